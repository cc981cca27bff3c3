"""The slide model: what a slide of the storyline says and plots, with no drawing in it.

Presentation mode (decarb.ui.present, through decarb.briefing.figures), the PowerPoint deck (decarb.briefing.pptx)
and the offline HTML (decarb.briefing.html) all render the same `Slide` objects, built by decarb.briefing.slides.
Each slide carries one figure, one headline number, a title, a subtitle with the selection, a source line with
citation and licence from the manifest, and the exact table it plots (`Slide.table`); `Slide.series` is that
table as plotted series (what the native PowerPoint chart is built from).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from typing import cast

import pandas as pd

from decarb import theme
from decarb.describe import alt_text


class Kind(StrEnum):
    """A slide's chart kind, as each renderer (plotly, PowerPoint, HTML) draws it."""

    LINES = "lines"  # numeric x (years), one line per series; x ranges may differ
    DATES = "dates"  # x are dates; styles "step" (named members) and "markers" (reported counts)
    BARS = "bars"  # horizontal bars, x are category labels (first on top); several series are grouped
    STACKED = "stacked"  # vertical stacked columns, x are category labels


LINES, DATES, BARS, STACKED = Kind.LINES, Kind.DATES, Kind.BARS, Kind.STACKED


class Style(StrEnum):
    """How a series is drawn: a line's dash (lines), a step or markers (dates), bars."""

    SOLID = "solid"
    DASH = "dash"
    DOT = "dot"
    STEP = "step"
    MARKERS = "markers"
    BAR = "bar"


@dataclass(frozen=True)
class Series:
    """One plotted series: x (years, dates or category labels) and y (None where no value), in the slide's unit."""

    name: str
    x: tuple
    y: tuple
    style: Style = Style.SOLID  # SOLID, DASH, DOT (lines); STEP, MARKERS (dates); BAR
    colour: str = theme.MEMBER
    colours: tuple[str, ...] = ()  # one per point (bars coloured by direction)
    # A step's line and markers (dates): two steps with the same values stay apart (decarb.render.charts.STEP_STYLES).
    dash: Style = Style.SOLID  # SOLID or DASH
    symbol: str = "circle"  # circle, square


@dataclass(frozen=True, eq=False)
class Slide:
    key: str
    title: str
    subtitle: str  # the selection
    headline: str  # one number, as text (an analyst may have edited it)
    headline_label: str  # what the number is
    source_line: str  # 'Source: ...': citation and licence of every source used (not a source id)
    kind: Kind
    x_title: str
    y_title: str
    unit: str
    series: tuple[Series, ...]
    table: pd.DataFrame  # exactly the data plotted (tidy: one row per point, with unit and source)
    figure_json: str  # the plotly figure as JSON (figure_spec): text, so a slide shared by sessions never changes
    name: str  # file name stem
    summary: str  # text equivalent of the slide
    computed_headline: str = ""  # the headline as computed from the data (before an edit)
    milestones: str = ""  # the LeadIT milestones marked on the figure, in words ("" when none or hidden)
    # The headline number's colour (decarb.theme): the slides' accent, or a rise's warning colour where the
    # number is an increase in emissions (the accent is never used for a rise).
    headline_colour: str = theme.ACCENT

    @property
    def headline_edited(self) -> bool:
        return self.headline != self.computed_headline

    @property
    def has_data(self) -> bool:
        """Whether any point is plotted (a source may not report what a slide needs, e.g. OWID heavy industry)."""
        return any(y is not None for s in self.series for y in s.y)

    @property
    def alt(self) -> str:
        """The chart's name and description for assistive technology (decarb.describe): the Present page's figure
        label, the offline HTML's alt text and the deck's speaker notes give this one text."""
        return alt_text(self.title, self.table)

    @property
    def spec(self) -> dict:
        """The plotly figure as plain data (figure_spec), the caller's own."""
        return cast(dict, json.loads(self.figure_json))
