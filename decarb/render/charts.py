"""Figures: one theme, a colour-blind-safe palette, slide-ready titles, and the data behind every figure.

Every builder takes a tidy frame (one row per plotted point, with `unit`, `source` and `licence` columns: the screens
add the licence with decarb.provenance.with_licence, from their dataset's manifest) and returns a
`Chart`: the plotly figure, that same frame (the table view and the CSV export), a file name and a text
equivalent. Conventions, the same on every page:

- members of LeadIT are drawn in MEMBER blue where a colour stands for a group, and bold with "(member)" in
  the legend where each country has its own colour; non-members are grey; the world is vermillion;
- observed values are solid, pathways to net zero dashed, projections of the current trend dotted;
- axis titles carry the unit; hover shows value, unit, year and source;
- each figure carries its title, a subtitle with the selection and a source line, so the modebar's image
  download is ready for a slide.

Colours, fonts and the plotly templates are decarb.theme's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from decarb import provenance
from decarb.chartspec import Axes, ChartText, LegendPlace, Rows, Size
from decarb.exports import file_slug
from decarb.render.layout import CHECK_PROPERTIES, frame, label_line_ends, labels_px, wrapped
from decarb.render.templates import TICK_PX
from decarb.theme import (
    BORDER,
    DIVERGING,
    DIVERGING_WORDS,
    LAND,
    MEMBER,
    NON_MEMBER,
    OUTLINE,
    PALETTE,
    WORLD,
    colour_for,
    part_style,
)

# --- Line styles ----------------------------------------------------------------------------------------------
DASH = {"observed": "solid", "pathway": "dash", "projection": "dot"}
KIND_LABEL = {"observed": "", "pathway": " - pathway to net zero", "projection": " - current trend"}
# More series than colours (14 members in 6 colours): each round of the palette gets its own dash,
# the legend sits beside the plot (one entry per series, never over the title), and each series' net-zero target
# year is written in its entry instead of a diamond on the zero line (nine diamonds shared 2050 there).
MANY_DASHES = ("solid", "dash", "dot", "dashdot")


@dataclass(frozen=True)
class Chart:
    """A figure and exactly the data it plots."""

    fig: go.Figure
    data: pd.DataFrame
    name: str  # file name stem for downloads
    summary: str  # text equivalent for screen readers and for the page
    text: ChartText | None = None  # the words around it (the page draws title and subtitle as HTML)


# --- Frame of every figure -----------------------------------------------------------------------------------
def source_line(data: pd.DataFrame) -> str:
    """The line under a figure: every source in its data with that source's whole licence (decarb.provenance)."""
    return provenance.chart_source_line(data)


def years_axes(y_title: str, x_range: tuple[int, int] | None = None) -> Axes:
    """Years along x (no thousands separator), the unit up the y axis."""
    return Axes("Year", y_title, "d", x_range)


def _hover(unit_in_text: bool = True) -> str:
    value = "%{y:,.2f} %{customdata[0]}" if unit_in_text else "%{y:,.2f}"
    return "<b>%{fullData.name}</b><br>%{x}: " + value + "<br>Source: %{customdata[1]}<extra></extra>"


def _hover_of(part: pd.DataFrame) -> dict:
    """Hover text naming value, unit, year and source. A trace with one unit and one source has them written
    into its template; per-point customdata is kept for mixed ones (it doubled a line chart's size)."""
    units, sources = part["unit"].unique(), part["source_label"].unique()
    if len(units) == 1 and len(sources) == 1 and "%{" not in f"{units[0]}{sources[0]}":
        return {
            "hovertemplate": _hover()
            .replace("%{customdata[0]}", str(units[0]))
            .replace("%{customdata[1]}", str(sources[0]))
        }
    return {"customdata": part[["unit", "source_label"]].to_numpy(), "hovertemplate": _hover()}


def _series_order(data: pd.DataFrame) -> list[str]:
    return list(dict.fromkeys(data["series"].tolist()))


# --- Lines: observed, pathways, projections, targets ---------------------------------------------------------
def line_chart(
    data: pd.DataFrame,
    *,
    title: str,
    subtitle: str,
    y_title: str,
    name: str | None = None,
    colours: Mapping[str, str] | None = None,
    summary: str = "",
    size: Size = Size.NORMAL,
    x_range: tuple[int, int] | None = None,
) -> Chart:
    """Lines over years. `data`: series, kind (observed/pathway/projection/target), year, value, unit, source_label,
    and optionally member (bool). Pathways are dashed, projections dotted, targets diamonds. `size`: a page's lead
    chart is drawn taller (Size.FEATURE)."""
    data = data.reset_index(drop=True)
    order = _series_order(data)
    members = data.groupby("series")["member"].any().to_dict() if "member" in data else {}
    parts = dict(iter(data.groupby(["series", "kind"], sort=False)))  # one pass, not a mask per trace
    traces = []
    many = len(order) > len(PALETTE)
    all_members = bool(members) and all(members.values())  # "(member)" on every entry says nothing
    for i, series in enumerate(order):
        is_member = bool(members.get(series, False))
        label = f"{series} (member)" if is_member and not all_members and len(order) > 1 else series
        target = parts.get((series, "target"))
        if many and target is not None and not target.empty:
            label = f"{label} (net zero {', '.join(str(int(y)) for y in sorted(target['year'].unique()))})"
        traces += _series_traces(
            {kind: parts[(series, kind)] for kind in KINDS if (series, kind) in parts},
            series,
            label,
            colour=(colours or {}).get(series, colour_for(i)),
            width=3.2 if is_member or len(order) == 1 else 1.8,
            many_dash=MANY_DASHES[(i // len(PALETTE)) % len(MANY_DASHES)] if many else None,
        )
    # Trace specs, not go.Scatter objects: the figure validates each once instead of twice.
    fig = go.Figure(data=traces, _validate=CHECK_PROPERTIES)
    text = ChartText(title, subtitle, source_line(data))
    axes = years_axes(y_title, x_range)
    frame(fig, text, axes, size=size, legend=LegendPlace.UNDER if many else LegendPlace.ABOVE, fold_legend=many)
    if many:  # named at their ends: the legend (6 colours, 4 dashes) cannot tell 17 lines apart on a phone
        label_line_ends(fig, _line_ends(order, parts, colours))
    return Chart(fig, data, name or file_slug(title), summary or _line_summary(data, y_title, parts), text)


KINDS = ("observed", "pathway", "projection", "target")


def _series_traces(
    parts: Mapping[str, pd.DataFrame], series: str, label: str, *, colour: str, width: float, many_dash: str | None
) -> list[dict]:
    """One series' traces by kind: lines, and its net-zero target as a diamond. With many series (`many_dash`, the
    dash of its round of the palette) its lines share that dash and one legend entry, and its target year is in
    its label instead of a diamond."""
    traces = []
    in_legend = True
    for kind, part in parts.items():
        if part.empty or (many_dash and kind == "target"):
            continue
        hover = _hover_of(part)
        if kind == "target":
            traces.append(
                {
                    "type": "scatter",
                    "x": part["year"].to_numpy(),
                    "y": part["value"].to_numpy(),
                    "mode": "markers",
                    "name": f"{label} - net-zero target",
                    "legendgroup": series,
                    "marker": {"symbol": "diamond", "size": 13, "color": colour, "line": {"width": 1.5}},
                    "cliponaxis": False,  # a target in the axis's last year sits on the plot's edge: whole
                    **hover,
                }
            )
            continue
        traces.append(
            {
                "type": "scatter",
                "x": part["year"].to_numpy(),
                "y": part["value"].to_numpy(),
                "mode": "lines",
                "name": label + KIND_LABEL[kind],
                "legendgroup": series,
                "showlegend": in_legend,
                "line": {"color": colour, "dash": many_dash or DASH[kind], "width": width if kind == "observed" else 2},
                **hover,
            }
        )
        in_legend = not many_dash  # many series: one legend entry each, its group toggles the rest
    return traces


def _line_ends(
    order: list[str], parts: Mapping[tuple[str, str], pd.DataFrame], colours: Mapping[str, str] | None
) -> list[tuple[str, float, str]]:
    """Each series' name, last observed value and colour (as line_chart draws it), for label_line_ends."""
    ends = []
    for i, series in enumerate(order):
        obs = parts.get((series, "observed"))
        values = obs["value"].to_numpy(dtype=float) if obs is not None else np.array([])
        known = values[np.isfinite(values)]
        if known.size:
            ends.append((series, float(known[-1]), (colours or {}).get(series, colour_for(i))))
    return ends


def _line_summary(data: pd.DataFrame, y_title: str, parts: Mapping[tuple[str, str], pd.DataFrame]) -> str:
    """Each series' first and last observed value, in words (the chart's text equivalent)."""
    texts = []
    for series in _series_order(data):
        obs = parts.get((series, "observed"))
        if obs is None:
            continue
        values = obs["value"].to_numpy(dtype=float)
        known = np.flatnonzero(~np.isnan(values))
        if not known.size:
            continue
        years = obs["year"].to_numpy()
        first, last = known[0], known[-1]
        texts.append(
            f"{series}: {values[first]:,.1f} in {int(years[first])}, {values[last]:,.1f} in {int(years[last])}"
        )
    return f"{y_title}. " + "; ".join(texts) + "." if texts else "No data for this selection."


def stacked_area(
    data: pd.DataFrame, *, title: str, subtitle: str, y_title: str, name: str | None = None, summary: str = ""
) -> Chart:
    """Stacked areas of parts over years (a sector breakdown). `data`: series, year, value, unit, source_label."""
    data = data.reset_index(drop=True)
    fig = go.Figure(_validate=CHECK_PROPERTIES)
    for i, series in enumerate(_series_order(data)):
        part = data[data["series"] == series]
        colour, pattern = part_style(i)  # parts: a longer palette than lines, as a breakdown has up to 11
        fig.add_trace(
            go.Scatter(
                _validate=CHECK_PROPERTIES,
                x=part["year"],
                y=part["value"],
                mode="lines",
                name=series,
                stackgroup="one",
                line={"color": colour, "width": 1},
                fillcolor=colour,
                fillpattern={"shape": pattern} if pattern else None,
                customdata=part[["unit", "source_label"]].to_numpy(),
                hovertemplate=_hover(),
            )
        )
    text = ChartText(title, subtitle, source_line(data))
    frame(fig, text, years_axes(y_title))
    if not summary and not data.empty:
        last = data[data["year"] == data["year"].max()].sort_values("value", ascending=False)
        summary = (
            f"{y_title} by part in {int(last['year'].iloc[0])}: "
            + ", ".join(f"{r.series} {r.value:,.1f}" for r in last.itertuples())
            + "."
        )
    return Chart(fig, data, name or file_slug(title), summary, text)


# --- Ranking, maps, rates ------------------------------------------------------------------------------------
def ranking_bar(
    data: pd.DataFrame, *, title: str, subtitle: str, x_title: str, name: str | None = None, summary: str = ""
) -> Chart:
    """Horizontal bars, largest on top. `data`: rank, area_name, value, unit, source_label, member (bool)."""
    data = data.reset_index(drop=True)
    colours = [MEMBER if m else NON_MEMBER for m in data["member"]]
    labels = [  # members in bold (and blue), not "(member)" on each: the labels took a phone's width
        f"<b>{int(r)}. {a}</b>" if m else f"{int(r)}. {a}"
        for r, a, m in zip(data["rank"], data["area_name"], data["member"], strict=True)
    ]
    fig = go.Figure(
        go.Bar(
            _validate=CHECK_PROPERTIES,
            x=data["value"],
            y=labels,
            orientation="h",
            marker={"color": colours},
            customdata=data[["unit", "source_label"]].to_numpy(),
            hovertemplate="<b>%{y}</b><br>%{x:,.2f} %{customdata[0]}<br>Source: %{customdata[1]}<extra></extra>",
            name=x_title,
        ),
        _validate=CHECK_PROPERTIES,
    )
    text = ChartText(title, subtitle + " | blue and bold: LeadIT members, grey: others", source_line(data))
    frame(fig, text, Axes(x_title), size=Rows(len(data)), legend=LegendPlace.NONE, left_px=labels_px(labels))
    fig.update_yaxes(autorange="reversed", automargin=True)
    if not summary and not data.empty:
        # The summary is page text, not plotly markup: members are named in words, not in <b> tags.
        plain = [
            f"{int(r)}. {a}" + (" (member)" if m else "")
            for r, a, m in zip(data["rank"], data["area_name"], data["member"], strict=True)
        ]
        summary = (
            f"{x_title}, ranked: "
            + ", ".join(f"{lab} {v:,.2f}" for lab, v in zip(plain[:10], data["value"][:10], strict=False))
            + "."
        )
    return Chart(fig, data, name or file_slug(title), summary, text)


def _world_geography(fig: go.Figure) -> None:
    """The world as both maps draw it: land without frame or coastlines, Antarctica cut off, small side margins."""
    fig.update_geos(
        showframe=False,
        showcoastlines=False,
        projection_type="natural earth",
        showland=True,
        landcolor=LAND,
        bgcolor="rgba(0,0,0,0)",
        lataxis_range=[-58, 85],
    )
    # Top and bottom stay frame()'s (title, legend, source line): a fixed bottom of 70 px cut the 12 px source
    # line off at the map's foot (journeys, Members and Sectors at 1280 and 1920).
    fig.update_layout(margin={"l": 10, "r": 10})


def world_map(
    data: pd.DataFrame,
    *,
    title: str,
    subtitle: str,
    colour_title: str,
    name: str | None = None,
    summary: str = "",
    diverging: bool = True,
) -> Chart:
    """Countries coloured by value; members outlined. `data`: iso3, area_name, value, unit, source_label, member."""
    data = data.reset_index(drop=True)
    limit = float(data["value"].abs().quantile(0.95)) if len(data) else 1.0
    limit = limit if limit > 0 else 1.0
    fig = go.Figure(
        go.Choropleth(
            _validate=CHECK_PROPERTIES,
            locations=data["iso3"],
            z=data["value"],
            locationmode="ISO-3",
            text=data["area_name"],
            colorscale=[list(p) for p in DIVERGING] if diverging else "Blues",
            zmid=0 if diverging else None,
            zmin=-limit if diverging else None,
            zmax=limit if diverging else None,
            marker={
                "line": {
                    "color": [MEMBER if m else OUTLINE for m in data["member"]],
                    "width": [2.2 if m else 0.4 for m in data["member"]],
                }
            },
            colorbar={"title": {"text": colour_title}, "tickfont": {"size": TICK_PX}},
            customdata=data[["unit", "source_label", "member"]].to_numpy(),
            hovertemplate="<b>%{text}</b><br>%{z:,.1f} %{customdata[0]}<br>Source: %{customdata[1]}<extra></extra>",
        ),
        _validate=CHECK_PROPERTIES,
    )
    subtitle += (f" | {DIVERGING_WORDS}" if diverging else "") + " | LeadIT members outlined in blue"
    text = ChartText(title, subtitle, source_line(data))
    frame(fig, text, legend=LegendPlace.NONE)
    _world_geography(fig)
    if not summary and not data.empty:
        top = data.sort_values("value")
        summary = (
            f"{colour_title}. Largest falls: "
            + ", ".join(f"{r.area_name} {r.value:,.1f}" for r in top.head(5).itertuples())
            + ". Largest rises: "
            + ", ".join(f"{r.area_name} {r.value:,.1f}" for r in top.tail(5).iloc[::-1].itertuples())
            + "."
        )
    return Chart(fig, data, name or file_slug(title), summary, text)


def category_map(
    data: pd.DataFrame,
    *,
    title: str,
    subtitle: str,
    colours: Mapping[str, str],
    name: str | None = None,
    summary: str = "",
) -> Chart:
    """Countries coloured by category (e.g. confirmed / unverified member). `data`: iso3, area_name, category,
    unit, source_label; one legend entry per category."""
    data = data.reset_index(drop=True)
    fig = go.Figure(_validate=CHECK_PROPERTIES)
    for category, colour in colours.items():
        part = data[data["category"] == category]
        if part.empty:
            continue
        fig.add_trace(
            go.Choropleth(
                _validate=CHECK_PROPERTIES,
                locations=part["iso3"],
                z=[1] * len(part),
                locationmode="ISO-3",
                text=part["area_name"],
                name=category,
                colorscale=[[0, colour], [1, colour]],
                showscale=False,
                showlegend=True,
                marker={"line": {"color": BORDER, "width": 0.6}},
                customdata=part[["category", "source_label"]].to_numpy(),
                hovertemplate="<b>%{text}</b><br>%{customdata[0]}<br>Source: %{customdata[1]}<extra></extra>",
            )
        )
    text = ChartText(title, subtitle, source_line(data))
    frame(fig, text)
    _world_geography(fig)
    if not summary:
        summary = (
            "; ".join(
                f"{c}: " + ", ".join(data.loc[data["category"] == c, "area_name"])
                for c in colours
                if (data["category"] == c).any()
            )
            + "."
        )
    return Chart(fig, data, name or file_slug(title), summary, text)


RATE_LABEL_CHARS = 16  # a row label's line: the labels took 70% of a phone's width


def rate_labels(data: pd.DataFrame) -> tuple[dict[str, str], str]:
    """Short row labels for the rate chart, and what they leave out, for its subtitle: the area's name alone when
    every row is of one sector (named once in the subtitle), members in bold rather than "(member)" on each row,
    each label broken into lines of RATE_LABEL_CHARS."""
    if not {"area_name", "sector", "member"} <= set(data.columns):
        return {label: label for label in data["label"]}, ""
    rows = data.drop_duplicates("label")
    one_sector = rows["sector"].nunique() == 1
    labels = {}
    for label, area, sector, member in zip(
        rows["label"], rows["area_name"], rows["sector"], rows["member"], strict=True
    ):
        # Several sectors: each by its name without the parenthesis (said in the table), so labels stay short.
        short = wrapped(str(area) if one_sector else f"{area}: {str(sector).split(' (')[0]}", RATE_LABEL_CHARS)
        labels[label] = f"<b>{short}</b>" if member else short
    notes = ([str(rows["sector"].iloc[0])] if one_sector and len(rows) else []) + (
        ["bold: LeadIT members"] if rows["member"].any() else []
    )
    return labels, "; ".join(notes)


def rate_chart(data: pd.DataFrame, *, title: str, subtitle: str, name: str | None = None, summary: str = "") -> Chart:
    """Required vs observed annual rate of change per row (a dot plot). `data`: label, measure
    ("required" / "observed"), value (% per year), unit, source_label, member; with area_name and sector, the rows
    are labelled short (rate_labels)."""
    data = data.reset_index(drop=True)
    labels, notes = rate_labels(data)
    fig = go.Figure(_validate=CHECK_PROPERTIES)
    styles = {
        "required": ("Required to reach net zero", "diamond-open", WORLD),
        "observed": ("Observed (recent years)", "circle", MEMBER),
    }
    for measure, (label, symbol, colour) in styles.items():
        part = data[data["measure"] == measure]
        if part.empty:
            continue
        fig.add_trace(
            go.Scatter(
                _validate=CHECK_PROPERTIES,
                x=part["value"],
                y=part["label"].map(labels),
                mode="markers",
                name=label,
                marker={"symbol": symbol, "size": 11, "color": colour, "line": {"width": 2, "color": colour}},
                customdata=part[["unit", "source_label"]].to_numpy(),
                hovertemplate="<b>%{y}</b><br>" + label + ": %{x:,.2f} %{customdata[0]}<br>Source: "
                "%{customdata[1]}<extra></extra>",
            )
        )
    rows = data["label"].nunique()
    text = ChartText(title, f"{notes}; {subtitle}" if notes else subtitle, source_line(data))
    # Rows are spaced evenly, so each as tall as the tallest label's lines (two-line labels of 38 rows ran into
    # each other in a fixed height).
    lines = max((label.count("<br>") + 1 for label in labels.values()), default=1)
    axes = Axes("Annual rate of change (% per year; negative is a fall)")
    frame(fig, text, axes, size=Rows(rows, lines, spaced=True), left_px=labels_px(labels.values()))
    fig.add_vline(x=0, line={"color": NON_MEMBER, "width": 1})
    fig.update_yaxes(autorange="reversed", automargin=True)
    return Chart(fig, data, name or file_slug(title), summary or f"{title}: {rows} rows.", text)


# Step lines of members over time share counts for years at a time, where the one drawn on top would hide the
# other: the step with more corners is drawn on top, dashed with squares, over the other, solid with circles (on
# the pages also wider underneath), so both colours show. The pages and the slides both draw them so.
STEP_STYLES: tuple[tuple[str, str], ...] = (("solid", "circle"), ("dash", "square"))


def step_corners(values: pd.Series) -> int:
    """The points of a step as drawn: each value, and a corner at each change."""
    return len(values) + int((values.diff().fillna(0) != 0).sum())


def overlapping_steps(data: pd.DataFrame) -> list[tuple[str, str, str]]:
    """The step series of `data` (series, kind, value: the "named" rows are steps) from the bottom up, fewest
    corners first (ties in data order), each with its dash and marker symbol (STEP_STYLES)."""
    named = data[data["kind"] == "named"]
    corners = {s: step_corners(named.loc[named["series"] == s, "value"]) for s in _series_order(data)}
    order = sorted(corners, key=lambda s: corners[s])
    return [(s, *STEP_STYLES[min(i, len(STEP_STYLES) - 1)]) for i, s in enumerate(order)]


def timeline(data: pd.DataFrame, *, title: str, subtitle: str, name: str | None = None, summary: str = "") -> Chart:
    """Named members over time (steps) beside the counts reported at given dates (markers).
    `data`: series, kind ("named" / "reported"), date, value, unit, source_label."""
    data = data.reset_index(drop=True)
    fig = go.Figure(_validate=CHECK_PROPERTIES)
    colours = {s: colour_for(i) for i, s in enumerate(_series_order(data))}
    for i, (series, dash, symbol) in enumerate(overlapping_steps(data)):
        rows = data[data["series"] == series]
        for kind in ("named", "reported"):
            part = rows[rows["kind"] == kind]
            if part.empty:
                continue
            step = kind == "named"
            fig.add_trace(
                go.Scatter(
                    _validate=CHECK_PROPERTIES,
                    x=part["date"],
                    y=part["value"],
                    mode="lines+markers" if step else "markers",
                    line={"shape": "hv", "color": colours[series], "width": 4 if i == 0 else 2.2, "dash": dash}
                    if step
                    else None,
                    marker={"symbol": symbol, "size": 8 if i == 0 else 6}
                    if step
                    else {"symbol": f"{symbol}-open", "size": 13, "color": colours[series], "line": {"width": 2}},
                    name=f"{series}: named in the member list" if step else f"{series}: reported count",
                    customdata=part[["unit", "source_label"]].to_numpy(),
                    hovertemplate="<b>%{fullData.name}</b><br>%{x|%Y-%m-%d}: %{y} %{customdata[0]}<br>Source: "
                    "%{customdata[1]}<extra></extra>",
                )
            )
    text = ChartText(title, subtitle, source_line(data))
    frame(fig, text, Axes("Date", "Members"))
    fig.layout.yaxis.rangemode = "tozero"  # a count starts at 0 (the axis started at 11: growth looked tenfold)
    return Chart(fig, data, name or file_slug(title), summary or title, text)


# --- Reading a figure back (tests and the browser check) -----------------------------------------------------
def plotted_points(fig: go.Figure) -> pd.DataFrame:
    """Every point of every trace as (trace, x, y): what the figure actually shows."""
    rows: list[dict[str, object]] = []
    for trace in fig.data:
        xs = getattr(trace, "x", None)
        ys = getattr(trace, "y", None)
        if trace.type == "choropleth":
            xs, ys = trace.locations, trace.z
        if xs is None or ys is None:
            continue
        rows.extend({"trace": trace.name, "x": x, "y": y} for x, y in zip(xs, ys, strict=True))
    return pd.DataFrame(rows, columns=["trace", "x", "y"])
