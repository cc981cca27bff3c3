"""The global controls (source, base year, target year, member definition), decided and drawn by the entrypoint.

Their values are decided before the page runs (the page needs them) and their widgets drawn after it, into a
sidebar slot made before the page: the browser fetches and compiles the select boxes' code after the chart code
has started (drawn first, they delayed the request for plotly's code).
"""

from __future__ import annotations

from typing import cast

from decarb.data import Dataset
from decarb.params import Choice
from decarb.screens.shared import SECTOR_LABELS, default_sector, sector_help, sector_options
from decarb.ui.loading import cached
from decarb.ui.state import app_state, decide, render
from decarb.ui.streamlit_internals import DeltaGenerator
from decarb.ui.widgets import IMAGE_FORMAT_KEY
from decarb.view import (
    View,
    milestone_choice,
    period_choices,
    source_choice,
    source_note,
    source_years,
    with_industries,
)

_VIEW = "_view"


IMAGE_FORMAT = Choice(
    IMAGE_FORMAT_KEY,
    "Chart image download",
    ("png", "svg"),
    "png",
    {"png": "PNG (slides)", "svg": "SVG (editable)"},
    help="Format of the camera button in each chart's toolbar.",
)


def sector_choice(source: str, *, industries: bool = False) -> Choice:
    """The sector control of the Countries and Sectors pages (URL key `sector`), one for both: the
    sectors the source answers, in vocabulary order, then with `industries` the
    industries it does not split out (an industry source answers them); every sector labelled, so a notice about
    one this source lacks names it in words too."""
    options = sector_options(source)
    return Choice(
        "sector",
        "Sector",
        with_industries(options) if industries else tuple(options),
        default_sector(source),
        SECTOR_LABELS,
        help=sector_help(source),
    )


def _choices(ds: Dataset, source: str) -> list[tuple[Choice, str]]:
    """The controls in sidebar order with their widget kind (the period ones depend on the source); made once
    per source, not twice on every run."""
    return cached(_control_list, ds, source)


def _control_list(ds: Dataset, source: str) -> list[tuple[Choice, str]]:
    years = cached(source_years, ds)
    return [
        (source_choice(years), "selectbox"),
        *((c, "selectbox") for c in period_choices(years, source)),
        (milestone_choice(), "radio"),
        (IMAGE_FORMAT, "radio"),
    ]


def decide_global_controls(ds: Dataset) -> View:
    """The selection of this run (also kept for the pages), before any widget is drawn."""
    source = str(decide(source_choice(cached(source_years, ds))))  # the others depend on it
    base, target, members, marks, _image = (decide(choice) for choice, _ in _choices(ds, source)[1:])
    view = View(
        source=source,
        base_year=int(str(base)),
        target_year=int(str(target)),
        members=str(members),
        milestones=marks == "show",
    )
    app_state()[_VIEW] = view
    return view


def draw_global_controls(ds: Dataset, where: DeltaGenerator) -> None:
    """The sidebar widgets of the decided controls, into `where` (a slot made before the page ran)."""
    view = current_view()
    for choice, widget in _choices(ds, view.source):
        render(choice, widget, where=where)
        if choice.key == "source" and (note := source_note(view.source, cached(source_years, ds))):
            where.caption(note)


def current_view() -> View:
    """The selection decided by the entrypoint on this run."""
    return cast(View, app_state().get(_VIEW, View()))
