"""The global controls (source, base year, target year, member definition), rendered by the entrypoint."""

from __future__ import annotations

import streamlit as st

from decarb import views
from decarb.contract import SOURCE_LABELS
from decarb.data import Dataset
from decarb.ui.loading import cached
from decarb.ui.params import Choice
from decarb.ui.state import choose
from decarb.ui.widgets import IMAGE_FORMAT_KEY

_VIEW = "_view"


def global_controls(ds: Dataset) -> views.View:
    """Render the sidebar controls and return the selection (also kept for the pages)."""
    years = cached(views.source_years, ds)
    sources = tuple(s for s in years)
    source = choose(Choice("source", "Emissions source", sources, sources[0], SOURCE_LABELS,
                           help="Dataset for every emissions figure. Sources differ in sectors and years."),
                    where=st.sidebar)
    first, last = years[source]
    base_options = views.base_year_options(first, last)
    base = choose(Choice("base", "Base year", tuple(str(y) for y in base_options),
                         str(views.default_base_year(base_options)),
                         help="Changes and pathways start from this year."), where=st.sidebar)
    target = choose(Choice("target", "Net-zero target year", tuple(str(y) for y in views.TARGET_YEARS),
                           str(views.DEFAULT_TARGET_YEAR), help="Year the pathways reach net zero."),
                    where=st.sidebar)
    members = choose(Choice("members", "Member definition", tuple(views.MEMBER_DEFINITIONS),
                            views.DEFAULT_MEMBER_DEFINITION, views.MEMBER_DEFINITIONS,
                            help="Which countries count as LeadIT members in group figures."),
                     where=st.sidebar)
    choose(Choice(IMAGE_FORMAT_KEY, "Chart image download", ("png", "svg"), "png",
                  {"png": "PNG (slides)", "svg": "SVG (editable)"},
                  help="Format of the camera button in each chart's toolbar."), widget="radio", where=st.sidebar)
    view = views.View(source=str(source), base_year=int(base), target_year=int(target), members=str(members))
    st.session_state[_VIEW] = view
    return view


def current_view() -> views.View:
    """The selection made in the entrypoint on this run."""
    return st.session_state.get(_VIEW, views.View())
