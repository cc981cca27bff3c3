"""The global controls (source, base year, target year, member definition), rendered by the entrypoint."""

from __future__ import annotations

import streamlit as st

from decarb import views
from decarb.data import Dataset
from decarb.params import Choice
from decarb.ui.loading import cached
from decarb.ui.state import choose
from decarb.ui.widgets import IMAGE_FORMAT_KEY

_VIEW = "_view"


def global_controls(ds: Dataset) -> views.View:
    """Render the sidebar controls and return the selection (also kept for the pages)."""
    years = cached(views.source_years, ds)
    source = choose(views.source_choice(years), where=st.sidebar)
    base, target, members = (choose(choice, where=st.sidebar) for choice in views.period_choices(years, source))
    choose(Choice(IMAGE_FORMAT_KEY, "Chart image download", ("png", "svg"), "png",
                  {"png": "PNG (slides)", "svg": "SVG (editable)"},
                  help="Format of the camera button in each chart's toolbar."), widget="radio", where=st.sidebar)
    view = views.View(source=str(source), base_year=int(base), target_year=int(target), members=str(members))
    st.session_state[_VIEW] = view
    return view


def current_view() -> views.View:
    """The selection made in the entrypoint on this run."""
    return st.session_state.get(_VIEW, views.View())
