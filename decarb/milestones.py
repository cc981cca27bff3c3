"""LeadIT milestones and join dates as marks on time charts: what to mark, and where, so labels stay readable.

Pure (no Streamlit): a page or a slide builds its figure as usual, then calls `add_milestones` and, on a
country chart, `add_join_markers`. Labels are one short word each, set in a band of rows that the top margin
gains for them, between the legend and the plot, so they cover neither the title, the legend nor the data; a
label that would run into its neighbour moves up a row. Hovering a label gives the full text, date and source.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from decarb.charts import CHECK_PROPERTIES
from decarb.contract import MILESTONE_KINDS
from decarb.memo import SHARED

LABEL_FONT_PX = 13  # legible on a projector at the figure's default size
ROW_PX = LABEL_FONT_PX + 6  # one row of labels
CHAR_PX = 0.62 * LABEL_FONT_PX  # average width of a sans-serif character, for the collision estimate
GAP_PX = 8  # least space between two labels in one row
# Plot width assumed when the figure sets none: a chart beside the sidebar in a 1280 px wide window.
PLOT_WIDTH_PX = 820
LINE = {"color": "#888888", "width": 1, "dash": "dot"}
JOIN_SYMBOLS = {"confirmed": "star", "unverified": "star-open"}


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


def stagger(positions_px: list[float], widths_px: list[float], gap_px: float = GAP_PX) -> list[int]:
    """Row of each label (0 = lowest) so that no two labels in a row overlap; labels are centred on their
    position and taken left to right, each in the lowest row where it clears the previous label."""
    row_ends: list[float] = []  # right edge of the last label in each row
    rows = [0] * len(positions_px)
    for index in sorted(range(len(positions_px)), key=lambda i: positions_px[i]):
        left = positions_px[index] - widths_px[index] / 2
        row = next((i for i, end in enumerate(row_ends) if end + gap_px <= left), len(row_ends))
        if row == len(row_ends):
            row_ends.append(0.0)
        row_ends[row] = positions_px[index] + widths_px[index] / 2
        rows[index] = row
    return rows


@dataclass(frozen=True)
class Marks:
    """What was marked on a figure, and what was not (outside the drawn years), so a page can say so."""

    shown: pd.DataFrame  # milestone_frame rows drawn, with their label row
    outside: pd.DataFrame  # milestone_frame rows outside the figure's x range

    @property
    def note(self) -> str:
        if self.outside.empty:
            return ""
        names = "; ".join(f"{d:%b %Y} {e}" for d, e in zip(self.outside["date"], self.outside["event"], strict=True))
        return f"Not marked (outside the years shown): {names}."


def _x_extent(fig: go.Figure) -> tuple[pd.Timestamp, pd.Timestamp, bool]:
    """First and last x of the figure's traces, and whether the axis is a date axis (else years as numbers)."""
    values = pd.Series([x for trace in fig.data if getattr(trace, "x", None) is not None for x in trace.x])
    if values.empty:
        raise ValueError("the figure has no data on its x axis to place milestones against")
    if pd.api.types.is_numeric_dtype(values):  # years as numbers: the last year drawn runs to its 31 December
        low, high = int(values.min()), int(values.max())
        return pd.Timestamp(year=low, month=1, day=1), pd.Timestamp(year=high, month=12, day=31), False
    dates = pd.to_datetime(values)
    return dates.min(), dates.max(), True


def add_milestones(fig: go.Figure, milestones: pd.DataFrame, *, plot_width_px: int | None = None) -> Marks:
    """Mark each milestone inside the figure's x range with a dotted line and a short label in the top margin.

    The figure and its top margin grow by the rows of labels and the legend moves up by the same height, so
    title, legend, labels and plot keep their own space. Works on a year axis (numbers) and on a date axis.
    Returns what was marked.
    """
    # Prepared once per milestones table (the dataset's lives as long as the dataset): half of this function's
    # time was the dates and hover texts made again for every chart.
    frame = SHARED.of_object(milestones, "milestone frame", lambda: milestone_frame(milestones))
    first, last, is_date = _x_extent(fig)
    inside = frame["date"].between(first, last)
    shown, outside = frame[inside].copy(), frame[~inside].reset_index(drop=True)
    if shown.empty:
        return Marks(shown.assign(row=pd.Series(dtype=int)), outside)
    layout = fig.layout
    margin_l, margin_r = layout.margin.l or 80, layout.margin.r or 80
    width = plot_width_px or ((layout.width - margin_l - margin_r) if layout.width else PLOT_WIDTH_PX)
    span_days = max((last - first).days, 1)
    positions = ((shown["date"] - first).dt.days / span_days * width).tolist()
    shown["row"] = stagger(positions, [len(label) * CHAR_PX for label in shown["label"]])
    shown["x"] = shown["date"].dt.strftime("%Y-%m-%d") if is_date else shown["year"]
    band = int(shown["row"].max() + 1) * ROW_PX + 4
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
            "yanchor": "bottom",
            "yshift": 4 + row.row * ROW_PX,
            "text": row.label,
            "hovertext": row.hover,
            "showarrow": False,
            "font": {"size": LABEL_FONT_PX},
            "captureevents": True,
        }
        for row in shown.itertuples()
    ]
    top, bottom = layout.margin.t or 100, layout.margin.b or 80
    height = layout.height or 450
    plot_height = max(height - top - bottom, 1)
    # Each list set at once, property by property: add_shape/add_annotation per milestone re-validated the
    # figure's whole list each time (add_milestones was 11.5% of a loaded server's GIL time, py-spy), and
    # update_layout walked the layout's whole tree for each key (half of the remaining time). The figure grows by
    # the band, so the plot keeps its height and the labels take no room from the data.
    layout.shapes = [*layout.shapes, *lines]
    layout.annotations = [*layout.annotations, *labels]
    layout.margin.t = top + band
    layout.height = height + band
    # What is placed from the top of the figure (a fraction of its height: the title, a legend under the
    # subtitle, decarb.charts.frame) stays where it was in pixels.
    for item in (layout.title, layout.legend):
        if item.yref == "container" and item.y is not None:
            item.y = 1 - (1 - item.y) * height / (height + band)
    # The legend's place is the theme's template's unless the figure sets its own (decarb.theme).
    legend_y = layout.legend.y if layout.legend.y is not None else layout.template.layout.legend.y
    above = layout.legend.yref != "container" and legend_y is not None and legend_y >= 1
    if above:  # a legend above the plot moves above the labels
        # The whole legend is set on the figure, not only its y: Streamlit's chart theme replaces the template,
        # and a figure legend with y alone then lost the template's horizontal orientation (a tall vertical
        # legend over the subtitle, seen at 1280 px).
        placed = {**layout.template.layout.legend.to_plotly_json(), **layout.legend.to_plotly_json()}
        layout.legend = {**placed, "y": legend_y + band / plot_height}
    return Marks(shown.reset_index(drop=True), outside)


def join_markers(members: pd.DataFrame, points: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Where each member country's join date falls on its line, and the members that cannot be placed.

    points: what a country chart plots, columns iso3, year, value (one line per iso3). Returns (marked, unplaced):
    marked has iso3, member, status, joined_on, year, value, hover; unplaced has iso3, member, reason (join date
    unknown, or no value in the join year).
    """
    # isin() of the few distinct codes: of the whole column (a row per point) it took 12 ms a chart.
    countries = members[(members["member_type"] == "country") & members["iso3"].isin(points["iso3"].unique())]
    # A dict of the member countries' points: a MultiIndex of all points, built for each chart, and its lookups
    # were 9% of a loaded replica's time (py-spy).
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
                    "color": "#000000",
                    "line": {"width": 1, "color": "#FFFFFF"},
                },
                text=part["hover"],
                hovertemplate="%{text}<extra></extra>",
            )
        )
    return unplaced
