"""LeadIT milestones and join dates drawn on time charts, so labels stay readable.

A page or a slide builds its figure as usual, then calls `add_milestones` and, on a country chart,
`add_join_markers`. Labels are short (on the pages the kind's word over its year), set in one row (more only if
they cannot fit across the plot) in a band that the top margin gains for them, between the legend and the plot,
so they cover neither the title, the legend nor the data; each label is moved sideways as little as its
neighbours allow and joined to its date by a thin leader line (the pages and the Present slides share this one
layout, each with its LabelStyle). Hovering a label gives the full text, date and source.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from decarb.milestones import Marks, milestone_frame
from decarb.render.layout import CHECK_PROPERTIES, LINE_EM
from decarb.render.text import text_width
from decarb.theme import JOIN_STAR, NON_MEMBER

LINE = {"color": NON_MEMBER, "width": 1, "dash": "dot"}
JOIN_SYMBOLS = {"confirmed": "star", "unverified": "star-open"}


@dataclass(frozen=True)
class LabelStyle:
    """How a kind of chart sets its milestone labels: type size, the least gap between two labels, the leader
    line's height, the narrowest plot (px) the labels are spaced for, and whether a label gives its year under
    its word (two milestones of one kind, "Summit" and "Summit", read apart). Label centres are placed in axis
    units, so a wider plot only spreads them further apart."""

    font_px: float
    gap_px: float
    leader_px: float
    plot_px: float
    dated: bool = False

    @property
    def char_px(self) -> float:  # average width of a character, for the spacing estimate
        return text_width(1, self.font_px)

    @property
    def row_px(self) -> float:
        return self.font_px + 8 + (self.font_px * LINE_EM if self.dated else 0)

    def text(self, label: str, date: pd.Timestamp) -> str:
        return f"{label}<br>{date.year}" if self.dated else label

    def width(self, label: str) -> float:
        return text_width(max(len(label), 4 if self.dated else 0), self.font_px)


# The pages' charts: the narrowest plot they are drawn in at a laptop's 1280x800 (measured in the browser: the
# Overview's 708 px, Sectors' groups 715 px); 1920x1080 gives 1348 px. On a phone (a 250 px plot) one row cannot
# hold the labels: the page hides them there (decarb.ui.widgets.APP_CSS), keeps the dotted lines and names every
# milestone in the chart's text (with_milestones), and the exported image keeps them.
PAGE_LABELS = LabelStyle(font_px=13, gap_px=8, leader_px=12, plot_px=700, dated=True)


def spread(anchors: Sequence[float], widths: Sequence[float], span: float, gap: float) -> list[float] | None:
    """Centres for labels in one row, in the order of their anchors, each as near its anchor as its neighbours
    allow and all inside [0, span]; None when they cannot fit in one row."""
    if sum(widths) + gap * (len(widths) - 1) > span:
        return None
    centres = list(anchors)
    for i, width in enumerate(widths):  # left to right: clear the left edge and the label before
        least = width / 2 if i == 0 else centres[i - 1] + (widths[i - 1] + width) / 2 + gap
        centres[i] = max(centres[i], least)
    for i in range(len(widths) - 1, -1, -1):  # right to left: clear the right edge and the label after
        most = span - widths[i] / 2 if i == len(widths) - 1 else centres[i + 1] - (widths[i] + widths[i + 1]) / 2 - gap
        centres[i] = min(centres[i], most)
    return centres


def label_rows(
    anchors: Sequence[float], widths: Sequence[float], span: float, gap: float
) -> tuple[list[int], list[float]]:
    """Row (0 = lowest) and centre of each label (anchors in order): one row when they fit across the span, else
    the labels dealt in turn to as few rows as fit."""
    for rows in range(1, len(anchors) + 1):
        row_of = [i % rows for i in range(len(anchors))]
        centres = [0.0] * len(anchors)
        for row in range(rows):
            members = [i for i in range(len(anchors)) if row_of[i] == row]
            placed = spread([anchors[i] for i in members], [widths[i] for i in members], span, gap)
            if placed is None:
                break
            for i, centre in zip(members, placed, strict=True):
                centres[i] = centre
        else:
            return row_of, centres
    raise ValueError("a label wider than the plot")


def _x_extent(fig: go.Figure) -> tuple[pd.Timestamp, pd.Timestamp, bool, float, float]:
    """First and last x of the figure's traces as dates (a year axis: 1 January of the first year to 31 December
    of the last), whether the axis is a date axis (else years as numbers), and the first and last x in axis
    units as numbers (years, or nanoseconds of a date)."""
    values = pd.Series([x for trace in fig.data if getattr(trace, "x", None) is not None for x in trace.x])
    if values.empty:
        raise ValueError("the figure has no data on its x axis to place milestones against")
    if pd.api.types.is_numeric_dtype(values):  # years as numbers: the last year drawn runs to its 31 December
        low, high = float(values.min()), float(values.max())
        first, last = pd.Timestamp(year=int(low), month=1, day=1), pd.Timestamp(year=int(high), month=12, day=31)
        return first, last, False, low, high
    dates = pd.to_datetime(values)
    return dates.min(), dates.max(), True, float(dates.min().value), float(dates.max().value)


def add_milestones(fig: go.Figure, milestones: pd.DataFrame, *, style: LabelStyle = PAGE_LABELS) -> Marks:
    """Mark each milestone inside the figure's x range with a dotted line and a short label above the plot.

    The figure and its top margin grow by the labels' band, so title, legend, labels and plot keep their own
    space. Works on a year axis (numbers) and on a date axis. `milestones` is the milestones table or its
    milestone_frame (chart_milestones). Returns what was marked.
    """
    frame = milestones if "hover" in milestones.columns else milestone_frame(milestones)
    first, last, is_date, low, high = _x_extent(fig)
    inside = frame["date"].between(first, last)
    shown, outside = frame[inside].copy(), frame[~inside].reset_index(drop=True)
    if shown.empty:
        return Marks(shown.assign(row=pd.Series(dtype=int)), outside)
    shown = _placed(shown, style, is_date, low, high)
    band = round(style.leader_px + (shown["row"].max() + 1) * style.row_px + 4)
    # Each list set at once: add_shape/add_annotation per milestone re-validates the figure's whole list each time.
    fig.layout.shapes = [*fig.layout.shapes, *(_dotted_line(x) for x in shown["x"])]
    fig.layout.annotations = [*fig.layout.annotations, *(_label(row, style) for row in shown.itertuples())]
    _grow_above_the_plot(fig.layout, band)
    return Marks(shown.reset_index(drop=True), outside, band)


def _placed(shown: pd.DataFrame, style: LabelStyle, is_date: bool, low: float, high: float) -> pd.DataFrame:
    """The milestones with x (the date's axis value), row and label_x (the label's centre in axis units)."""
    # Positions in axis units as numbers (years, or nanoseconds on a date axis), over the data's extent.
    where = shown["date"].dt.as_unit("ns").astype("int64").to_numpy() if is_date else shown["year"].to_numpy()
    span = max(high - low, 1)
    anchors = [min(max((w - low) / span * style.plot_px, 0.0), style.plot_px) for w in where]
    widths = [style.width(label) for label in shown["label"]]
    rows, centres = label_rows(anchors, widths, style.plot_px, style.gap_px)

    def axis_value(px: float) -> object:
        value = low + px / style.plot_px * span
        return pd.Timestamp(int(value)).strftime("%Y-%m-%d") if is_date else round(value, 3)

    return shown.assign(
        x=shown["date"].dt.strftime("%Y-%m-%d") if is_date else shown["year"],
        row=rows,
        label_x=[axis_value(c) for c in centres],
    )


def _dotted_line(x: object) -> dict:
    return {
        "type": "line",
        "xref": "x",
        "yref": "paper",
        "x0": x,
        "x1": x,
        "y0": 0,
        "y1": 1,
        "line": LINE,
        "layer": "below",
    }


def _label(row: Any, style: LabelStyle) -> dict:  # a row of _placed's frame (itertuples)
    """A label above the plot joined to its date by a leader line (the page hides these on a phone by their
    arrow: decarb.ui.widgets.APP_CSS)."""
    return {
        "x": row.x,
        "xref": "x",
        "y": 1,
        "yref": "paper",
        "ax": row.label_x,
        "axref": "x",
        "ay": -(style.leader_px + row.row * style.row_px),
        "ayref": "pixel",
        "yanchor": "bottom",
        "yshift": 0,
        "showarrow": True,
        "arrowhead": 0,
        "arrowwidth": 1,
        "arrowcolor": LINE["color"],
        "standoff": 0,
        "text": style.text(row.label, row.date),
        "hovertext": row.hover,
        "font": {"size": style.font_px},
        "captureevents": True,
    }


def _grow_above_the_plot(layout: go.Layout, band: int) -> None:
    """The figure and its top margin grow by the band, so the plot keeps its height; what is placed from the
    top of the figure (the title, a legend under the subtitle: decarb.render.layout.frame) stays where it was in
    pixels, and a legend placed above the plot moves above the band."""
    top, bottom = layout.margin.t or 100, layout.margin.b or 80
    height = layout.height or 450
    plot_height = max(height - top - bottom, 1)
    layout.margin.t = top + band
    layout.height = height + band
    for item in (layout.title, layout.legend):
        if item.yref == "container" and item.y is not None:
            item.y = 1 - (1 - item.y) * height / (height + band)
    # The legend's place is the theme's template's unless the figure sets its own.
    legend_y = layout.legend.y if layout.legend.y is not None else layout.template.layout.legend.y
    if layout.legend.yref != "container" and legend_y is not None and legend_y >= 1:
        # The whole legend is set on the figure, not only its y: Streamlit's chart theme replaces the template,
        # and a figure legend with y alone then lost the template's horizontal orientation.
        placed = {**layout.template.layout.legend.to_plotly_json(), **layout.legend.to_plotly_json()}
        layout.legend = {**placed, "y": legend_y + band / plot_height}


def add_join_markers(fig: go.Figure, marked: pd.DataFrame) -> None:
    """A star on each member country's line at its join year (open star: unverified); `marked` is
    decarb.milestones.join_markers' first frame."""
    for status, part in marked.groupby("status", sort=True):
        fig.add_trace(
            go.Scatter(
                _validate=CHECK_PROPERTIES,  # built from our own values, as decarb.charts builds its figures
                x=part["year"],
                y=part["value"],
                mode="markers",
                name=f"Joined LeadIT ({status})",
                marker={
                    "symbol": JOIN_SYMBOLS.get(status, "star"),
                    "size": 15,
                    "color": JOIN_STAR,  # filled or open by symbol alone, the same in both themes
                    "line": {"width": 1, "color": JOIN_STAR},
                },
                text=part["hover"],
                hovertemplate="%{text}<extra></extra>",
            )
        )
