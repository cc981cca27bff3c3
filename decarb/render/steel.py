"""The Steel page's figures: capacity by technology and status, the relining calendar, and the plant map.

Built like decarb.charts' figures (tidy frame in, `Chart` out, decarb.render.charts.frame for the title, subtitle and
source line; colours from decarb.theme), for shapes the other pages do not draw: stacked bars and plants as points.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from decarb import theme
from decarb.chartspec import Axes, ChartText, LegendPlace, Rows, Size
from decarb.exports import file_slug
from decarb.render import charts
from decarb.render.charts import Chart, years_axes
from decarb.render.layout import CHECK_PROPERTIES, frame, labels_px, wrapped
from decarb.theme import TECHNOLOGY_COLOURS

HATCHED = frozenset({"other"})
ROW_LABEL_CHARS = 18
# Map symbols by plant status: filled where it runs, open where it is planned.
STATUS_SYMBOLS: dict[str, str] = {"running": "circle", "construction": "circle-open", "announced": "diamond-open"}
MARKER_MIN_PX, MARKER_MAX_PX = 5, 30  # plant markers: area grows with capacity
DUE_MARK_COLOUR = theme.NON_MEMBER
TICK_STEP = 5  # years between the relining calendar's labels


def capacity_bars(
    data: pd.DataFrame,
    *,
    title: str,
    subtitle: str,
    x_title: str,
    name: str | None = None,
    summary: str = "",
) -> Chart:
    """Horizontal bars, one per row (in the data's order, top down), stacked by technology. `data`: row,
    technology (code), technology_label, value, unit, source_label, licence."""
    data = data.reset_index(drop=True)
    # Row labels broken into short lines: one long label pushed the plot, and the source line under it, to a
    # third of a phone's width.
    labels = {row: wrapped(str(row), ROW_LABEL_CHARS) for row in dict.fromkeys(data["row"])}
    rows = list(labels.values())
    traces: list[dict] = []
    present = set(data["technology"])
    order = [code for code in TECHNOLOGY_COLOURS if code in present] + sorted(present - set(TECHNOLOGY_COLOURS))
    for code in order:  # the legend in one order on every selection: the coal route first
        part = data[data["technology"] == code]
        colour = TECHNOLOGY_COLOURS.get(str(code), theme.NON_MEMBER)
        traces.append(
            dict(
                type="bar",
                x=part["value"].to_numpy(),
                y=part["row"].map(labels).to_numpy(),
                orientation="h",
                name=str(part["technology_label"].iloc[0]),
                marker={
                    "color": colour,
                    "line": {"width": 0},
                    **(
                        {"pattern": {"shape": "/", "fillmode": "overlay", "fgcolor": theme.PAPER, "size": 6}}
                        if code in HATCHED
                        else {}
                    ),
                },
                customdata=part[["unit", "source_label"]].to_numpy(),
                hovertemplate="<b>%{y}</b><br>%{fullData.name}: %{x:,.1f} %{customdata[0]}<br>Source: "
                "%{customdata[1]}<extra></extra>",
            )
        )
    fig = go.Figure(data=traces, _validate=CHECK_PROPERTIES)
    text = ChartText(title, subtitle, charts.source_line(data))
    lines = max((row.count("<br>") + 1 for row in rows), default=1)
    frame(fig, text, Axes(x_title), size=Rows(len(rows), lines), left_px=labels_px(rows))
    fig.update_layout(barmode="stack")
    fig.update_yaxes(categoryorder="array", categoryarray=rows, autorange="reversed", automargin=True)
    if not summary:
        totals = data.groupby("row", sort=False)["value"].sum()
        summary = f"{x_title}: " + "; ".join(f"{row} {value:,.1f}" for row, value in totals.items()) + "."
    return Chart(fig, data, name or file_slug(title), summary, text)


def due_bars(
    data: pd.DataFrame,
    *,
    title: str,
    subtitle: str,
    y_title: str,
    marks: Sequence[int] = (),
    first_label: str | None = None,
    colours: Mapping[str, str] | None = None,
    name: str | None = None,
    summary: str = "",
) -> Chart:
    """Capacity due per year, stacked by `series` (vertical bars), with dotted lines just before each year of
    `marks` ("before 2030"). `first_label`: the first year's tick text (e.g. "2025 and overdue"). `data`: series,
    year, value, unit, source_label, licence."""
    data = data.reset_index(drop=True)
    traces: list[dict] = []
    for i, (series, part) in enumerate(data.groupby("series", sort=False)):
        traces.append(
            dict(
                type="bar",
                x=part["year"].to_numpy(),
                y=part["value"].to_numpy(),
                name=str(series),
                marker={"color": (colours or {}).get(str(series), theme.colour_for(i)), "line": {"width": 0}},
                customdata=part[["unit", "source_label"]].to_numpy(),
                hovertemplate="<b>%{fullData.name}</b><br>%{x}: %{y:,.1f} %{customdata[0]}<br>Source: "
                "%{customdata[1]}<extra></extra>",
            )
        )
    fig = go.Figure(data=traces, _validate=CHECK_PROPERTIES)
    text = ChartText(title, subtitle, charts.source_line(data))
    frame(fig, text, Axes("Year due", y_title))
    fig.update_layout(barmode="stack", bargap=0.15)
    years = sorted(data["year"].unique()) if len(data) else []
    if years:
        # The first year, then every fifth: upright labels that fit a phone (yearly ones were turned and overlapped
        # the axis title at 390 px).
        first, last = int(years[0]), int(years[-1])
        ticks = [first, *range(first + TICK_STEP - first % TICK_STEP, last + 1, TICK_STEP)]
        texts = [first_label if (first_label and t == first) else str(t) for t in ticks]
        fig.update_xaxes(tickvals=ticks, ticktext=texts, tickangle=0)
    for year in marks:
        fig.add_vline(x=year - 0.5, line={"color": DUE_MARK_COLOUR, "width": 1.5, "dash": "dot"})
    return Chart(fig, data, name or file_slug(title), summary or title, text)


def marker_sizes(values: pd.Series, largest: float) -> np.ndarray:
    """Marker diameters whose area grows with the value (0 or unknown: the smallest)."""
    clipped = np.clip(values.fillna(0).to_numpy(dtype=float), 0, None)
    scale = np.sqrt(clipped / largest) if largest > 0 else np.zeros_like(clipped)
    return MARKER_MIN_PX + (MARKER_MAX_PX - MARKER_MIN_PX) * scale


def plant_map(
    data: pd.DataFrame,
    *,
    title: str,
    subtitle: str,
    route_labels: Mapping[str, str],
    status_labels: Mapping[str, str],
    whole_world: bool,
    name: str | None = None,
    summary: str = "",
) -> Chart:
    """Plants as points on the project's own world shapes: area by capacity, colour by route, symbol by status.

    `data`: plant_name, lat, lon, route (a TECHNOLOGY_COLOURS key), status_group (a STATUS_SYMBOLS key),
    capacity_mt, unit, source_label, licence. `whole_world` False: the view fits the plants shown."""
    data = data.reset_index(drop=True)
    largest = float(data["capacity_mt"].max()) if len(data) and data["capacity_mt"].notna().any() else 0.0
    traces: list[dict] = []
    # One trace per route and status (a symbol each, not one a point); what a trace's points share (status, unit,
    # source: our own labels, no "%{" in them) is written once into its hover template, a point carries its name
    # and capacity: the figure's JSON is sent on every page run, so nothing is repeated per point.
    for route, label in route_labels.items():
        colour = TECHNOLOGY_COLOURS.get(route, theme.NON_MEMBER)
        for group, symbol in STATUS_SYMBOLS.items():
            part = data[(data["route"] == route) & (data["status_group"] == group)]
            if part.empty:
                continue
            traces.append(
                dict(
                    type="scattergeo",
                    lat=part["lat"].to_numpy(),
                    lon=part["lon"].to_numpy(),
                    mode="markers",
                    name=label,
                    legendgroup=route,
                    showlegend=False,  # the legend's own entry below: plotly would show a trace's own symbol
                    text=part["plant_name"].astype(str).to_numpy(),
                    customdata=part["capacity_mt"].to_numpy(dtype=float),
                    marker={
                        "size": marker_sizes(part["capacity_mt"], largest).round(1),
                        "color": colour,
                        "symbol": symbol,
                        "opacity": 0.8,
                        "line": {"width": 1.5, "color": colour},
                    },
                    hovertemplate=f"<b>%{{text}}</b><br>{part['status_label'].iloc[0]}<br>"
                    f"%{{customdata:,.1f}} {part['unit'].iloc[0]}<br>"
                    f"Source: {part['source_label'].iloc[0]}<extra></extra>",
                )
            )
        traces.append(
            _legend_entry(
                label,
                {"size": 11, "color": TECHNOLOGY_COLOURS.get(route, theme.NON_MEMBER), "symbol": "square"},
                legendgroup=route,
            )
        )
    for group, label in status_labels.items():  # legend entries for the symbols, in grey
        traces.append(_legend_entry(label, {"size": 10, "color": theme.NON_MEMBER, "symbol": STATUS_SYMBOLS[group]}))
    fig = go.Figure(data=traces, _validate=CHECK_PROPERTIES)
    text = ChartText(title, subtitle, charts.source_line(data))
    frame(fig, text, size=Size.FEATURE, legend=LegendPlace.UNDER)
    geos: dict = {
        "showframe": False,
        "showcoastlines": False,
        "showcountries": True,
        "countrycolor": theme.OUTLINE,
        "projection_type": "natural earth",
        "showland": True,
        "landcolor": theme.LAND,
        "bgcolor": "rgba(0,0,0,0)",
    }
    if whole_world or data.empty:
        geos["lataxis_range"] = [-58, 85]
    else:
        geos["fitbounds"] = "locations"
    fig.update_geos(**geos)
    fig.update_layout(margin={"l": 10, "r": 10})
    if not summary:
        summary = f"{len(data)} plants drawn." if len(data) else "No plant to draw for this selection."
    return Chart(fig, data, name or file_slug(title), summary, text)


def ratio_lines(
    data: pd.DataFrame,
    *,
    title: str,
    subtitle: str,
    y_title: str,
    source: str,
    colours: Mapping[str, str] | None = None,
    name: str | None = None,
    summary: str = "",
) -> Chart:
    """Lines with a point per year for a ratio of two sources (the source line names both: `source`, made with
    decarb.provenance.source_line). `data`: series, year, value, unit, source_label."""
    data = data.reset_index(drop=True)
    traces: list[dict] = []
    for i, (series, part) in enumerate(data.groupby("series", sort=False)):
        colour = (colours or {}).get(str(series), theme.colour_for(i))
        traces.append(
            dict(
                type="scatter",
                x=part["year"].to_numpy(),
                y=part["value"].to_numpy(),
                mode="lines+markers",
                name=str(series),
                line={"color": colour, "width": 3.2 if i == 0 else 2},
                marker={"symbol": theme.SYMBOLS[i % len(theme.SYMBOLS)], "size": 8, "color": colour},
                customdata=part[["unit"]].to_numpy(),
                hovertemplate="<b>%{fullData.name}</b><br>%{x}: %{y:,.2f} %{customdata[0]}<extra></extra>",
            )
        )
    fig = go.Figure(data=traces, _validate=CHECK_PROPERTIES)
    text = ChartText(title, subtitle, source)
    frame(fig, text, years_axes(y_title))
    fig.update_xaxes(dtick=1)  # whole years: plotly put 2022 under two ticks of a five-year axis
    fig.update_yaxes(rangemode="tozero")
    if not summary and len(data):
        summary = (
            f"{y_title}. "
            + "; ".join(
                f"{series}: {part['value'].iloc[-1]:,.2f} in {int(part['year'].iloc[-1])}"
                for series, part in data.groupby("series", sort=False)
            )
            + "."
        )
    return Chart(fig, data, name or file_slug(title), summary or title, text)


def _legend_entry(name: str, marker: dict, **extra: object) -> dict:
    """A map trace with no point: only its legend entry shows."""
    return dict(
        type="scattergeo", lat=[None], lon=[None], mode="markers", name=name, marker=marker, hoverinfo="skip", **extra
    )
