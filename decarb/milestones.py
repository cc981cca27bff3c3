"""LeadIT milestones and join dates as marks on time charts: what to mark, and where, so labels stay readable.

Pure (no Streamlit): a page or a slide builds its figure as usual, then calls `add_milestones` and, on a
country chart, `add_join_markers`. Labels are one short word each, set in one row (more only if they cannot fit
across the plot) in a band that the top margin gains for them, between the legend and the plot, so they cover
neither the title, the legend nor the data; each label is moved sideways as little as its neighbours allow and
joined to its date by a thin leader line (the pages and the Present slides share this one layout, each with its
LabelStyle). Hovering a label gives the full text, date and source.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from decarb.charts import CHECK_PROPERTIES
from decarb.contract import MILESTONE_KINDS
from decarb.data import Dataset
from decarb.render.text import text_width
from decarb.theme import JOIN_STAR

LINE = {"color": "#888888", "width": 1, "dash": "dot"}
JOIN_SYMBOLS = {"confirmed": "star", "unverified": "star-open"}


@dataclass(frozen=True)
class LabelStyle:
    """How a kind of chart sets its milestone labels: type size, the least gap between two labels, the leader
    line's height, and the narrowest plot (px) the labels are spaced for. Label centres are placed in axis units,
    so a wider plot only spreads them further apart."""

    font_px: float
    gap_px: float
    leader_px: float
    plot_px: float

    @property
    def char_px(self) -> float:  # average width of a character, for the spacing estimate
        return text_width(1, self.font_px)

    @property
    def row_px(self) -> float:
        return self.font_px + 8


# The pages' charts: the narrowest plot they are drawn in at a laptop's 1280x800 (measured in the browser: the
# Overview's 708 px, Sectors' groups 715 px); 1920x1080 gives 1348 px. On a phone (a 250 px plot) one row cannot
# hold the labels: the page hides them there (decarb.ui.widgets.APP_CSS), keeps the dotted lines and names every
# milestone in the chart's text (with_milestones), and the exported image keeps them.
PAGE_LABELS = LabelStyle(font_px=13, gap_px=8, leader_px=12, plot_px=700)


def milestone_frame(milestones: pd.DataFrame) -> pd.DataFrame:
    """The milestones table with what a chart needs: date (Timestamp), year (decimal, for year axes), label
    (the kind's short word) and hover (date, event, what happened, source). In date order."""
    frame = milestones.assign(date=pd.to_datetime(milestones["date"])).sort_values("date", kind="stable")
    start = pd.to_datetime(frame["date"].dt.year.astype(str) + "-01-01")
    days = frame["date"].dt.is_leap_year.map({True: 366, False: 365})
    frame["year"] = frame["date"].dt.year + (frame["date"] - start).dt.days / days
    frame["label"] = frame["kind"].map(MILESTONE_KINDS)
    frame["hover"] = [
        f"<b>{d:%d %b %Y}: {e}</b><br>{w}<br>Source: {u}"
        for d, e, w, u in zip(frame["date"], frame["event"], frame["what_happened"], frame["source_url"], strict=True)
    ]
    return frame.reset_index(drop=True)


def _dataset_milestone_frame(ds: Dataset) -> pd.DataFrame:
    return milestone_frame(ds.milestones)


def chart_milestones(ds: Dataset) -> pd.DataFrame:
    """milestone_frame of the dataset's milestones (read-only, Dataset.derived: every marked chart needs it)."""
    return ds.derived(_dataset_milestone_frame)


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


@dataclass(frozen=True)
class Marks:
    """What was marked on a figure, and what was not (outside the drawn years), so a page can say so."""

    shown: pd.DataFrame  # milestone_frame rows drawn, with x (the date's axis value), row and label_x
    outside: pd.DataFrame  # milestone_frame rows outside the figure's x range
    band_px: int = 0  # the height the figure grew by for the labels above the plot

    @property
    def named(self) -> str:
        """The milestones marked, in words (a text equivalent of the labels)."""
        return "; ".join(
            f"{d:%b %Y} {label} ({event})"
            for d, label, event in zip(self.shown["date"], self.shown["label"], self.shown["event"], strict=True)
        )

    @property
    def note(self) -> str:
        if self.outside.empty:
            return ""
        names = "; ".join(f"{d:%b %Y} {e}" for d, e in zip(self.outside["date"], self.outside["event"], strict=True))
        return f"Not marked (outside the years shown): {names}."


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

    The figure and its top margin grow by the labels' band and the legend moves up by the same height, so
    title, legend, labels and plot keep their own space. Works on a year axis (numbers) and on a date axis.
    `milestones` is the milestones table or its milestone_frame (chart_milestones). Returns what was marked.
    """
    frame = milestones if "hover" in milestones.columns else milestone_frame(milestones)
    first, last, is_date, low, high = _x_extent(fig)
    inside = frame["date"].between(first, last)
    shown, outside = frame[inside].copy(), frame[~inside].reset_index(drop=True)
    if shown.empty:
        return Marks(shown.assign(row=pd.Series(dtype=int)), outside)
    layout = fig.layout
    # Positions in axis units as numbers (years, or nanoseconds on a date axis), over the data's extent.
    where = shown["date"].dt.as_unit("ns").astype("int64").to_numpy() if is_date else shown["year"].to_numpy()
    span = max(high - low, 1)
    anchors = [min(max((w - low) / span * style.plot_px, 0.0), style.plot_px) for w in where]
    widths = [text_width(label, style.font_px) for label in shown["label"]]
    rows, centres = label_rows(anchors, widths, style.plot_px, style.gap_px)

    def axis_value(px: float) -> object:
        value = low + px / style.plot_px * span
        return pd.Timestamp(int(value)).strftime("%Y-%m-%d") if is_date else round(value, 3)

    shown["x"] = shown["date"].dt.strftime("%Y-%m-%d") if is_date else shown["year"]
    shown["row"] = rows
    shown["label_x"] = [axis_value(c) for c in centres]
    band = round(style.leader_px + (max(rows) + 1) * style.row_px + 4)
    lines = [
        {
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
        for x in shown["x"]
    ]
    labels = [
        {
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
            "text": row.label,
            "hovertext": row.hover,
            "font": {"size": style.font_px},
            "captureevents": True,
        }
        for row in shown.itertuples()
    ]
    top, bottom = layout.margin.t or 100, layout.margin.b or 80
    height = layout.height or 450
    plot_height = max(height - top - bottom, 1)
    # Each list set at once, property by property: add_shape/add_annotation per milestone re-validates the
    # figure's whole list each time, and update_layout walks the layout's whole tree for each key. The figure grows by
    # the band, so the plot keeps its height and the labels take no room from the data.
    layout.shapes = [*layout.shapes, *lines]
    layout.annotations = [*layout.annotations, *labels]
    # The labels sit right above the plot. Where the top margin keeps room for a legend's phone rows (charts.frame
    # notes it in meta), the labels go there on wider screens, where the legend takes fewer rows (at 1920 px that
    # room was an empty band between the legend and the labels); the page hides the labels on a phone.
    meta = layout.meta if isinstance(layout.meta, dict) else {}
    spare = int(meta.get("legend_spare_px", 0))
    grow = max(band - spare, 0)
    if spare:
        layout.meta = {**meta, "legend_spare_px": spare - (band - grow)}
    layout.margin.t = top + grow
    layout.height = height + grow
    # What is placed from the top of the figure (a fraction of its height: the title, a legend under the
    # subtitle, decarb.charts.frame) stays where it was in pixels.
    for item in (layout.title, layout.legend):
        if item.yref == "container" and item.y is not None:
            item.y = 1 - (1 - item.y) * height / (height + grow)
    # The legend's place is the theme's template's unless the figure sets its own (decarb.theme).
    legend_y = layout.legend.y if layout.legend.y is not None else layout.template.layout.legend.y
    above = layout.legend.yref != "container" and legend_y is not None and legend_y >= 1
    if above:  # a legend above the plot moves above the labels
        # The whole legend is set on the figure, not only its y: Streamlit's chart theme replaces the template,
        # and a figure legend with y alone then lost the template's horizontal orientation (a tall vertical
        # legend over the subtitle, seen at 1280 px).
        placed = {**layout.template.layout.legend.to_plotly_json(), **layout.legend.to_plotly_json()}
        layout.legend = {**placed, "y": legend_y + band / plot_height}
    return Marks(shown.reset_index(drop=True), outside, grow)


def join_markers(members: pd.DataFrame, points: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Where each member country's join date falls on its line, and the members that cannot be placed.

    points: what a country chart plots, columns iso3, year, value (one line per iso3). Returns (marked, unplaced):
    marked has iso3, member, status, joined_on, year, value, hover; unplaced has iso3, member, reason (join date
    unknown, or no value in the join year).
    """
    # isin() of the few distinct codes, not of the whole column (a row per point).
    countries = members[(members["member_type"] == "country") & members["iso3"].isin(points["iso3"].unique())]
    # A dict of the member countries' points, not a MultiIndex of all points built for each chart.
    # (Filtered, then whole columns as lists: iterating a pandas string column goes element by element.)
    mine = points[points["iso3"].isin(countries["iso3"].tolist())]
    values = {
        (code, int(year)): float(value)
        for code, year, value in zip(mine["iso3"].tolist(), mine["year"].tolist(), mine["value"].tolist(), strict=True)
    }
    marked, unplaced = [], []
    for row in countries.itertuples():
        if pd.isna(row.joined_on):
            unplaced.append({"iso3": row.iso3, "member": row.member, "reason": "join date unknown"})
            continue
        joined = pd.Timestamp(row.joined_on)
        if (row.iso3, joined.year) not in values:
            unplaced.append({"iso3": row.iso3, "member": row.member, "reason": f"no value in {joined.year}"})
            continue
        event = f" ({row.join_event})" if isinstance(row.join_event, str) else ""
        marked.append(
            {
                "iso3": row.iso3,
                "member": row.member,
                "status": row.status,
                "joined_on": row.joined_on,
                "year": joined.year,
                "value": values[(row.iso3, joined.year)],
                "hover": f"<b>{row.member} joined LeadIT</b><br>{joined:%d %b %Y}{event}<br>"
                f"Status: {row.status}<br>Source: {row.source_url}",
            }
        )
    return (
        pd.DataFrame(marked, columns=["iso3", "member", "status", "joined_on", "year", "value", "hover"]),
        pd.DataFrame(unplaced, columns=["iso3", "member", "reason"]),
    )


def add_join_markers(fig: go.Figure, members: pd.DataFrame, points: pd.DataFrame) -> pd.DataFrame:
    """A star on each member country's line at its join year (open star: unverified); returns the unplaced."""
    marked, unplaced = join_markers(members, points)
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
    return unplaced
