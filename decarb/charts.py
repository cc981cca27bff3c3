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

import re
import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from decarb import provenance
from decarb.exports import file_slug
from decarb.render.templates import page_layout
from decarb.render.text import chars_fitting, text_width
from decarb.theme import (
    BORDER,
    DIVERGING,
    DIVERGING_WORDS,
    HEIGHT,
    LAND,
    MEMBER,
    NON_MEMBER,
    OUTLINE,
    PALETTE,
    TICK_PX,
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
# Many series: the legend goes under the chart, below the source line (beside the plot it takes half a phone's
# width), in room for as many rows as a phone wraps it into: on a wider screen the spare room is at
# the figure's foot, never between the plot and its texts.
LEGEND_GAP_PX = 12


@dataclass(frozen=True)
class Chart:
    """A figure and exactly the data it plots."""

    fig: go.Figure
    data: pd.DataFrame
    name: str  # file name stem for downloads
    summary: str  # text equivalent for screen readers and for the page


# --- Frame of every figure -----------------------------------------------------------------------------------
def source_line(data: pd.DataFrame) -> str:
    """The line under a figure: every source in its data with that source's whole licence (decarb.provenance)."""
    return provenance.chart_source_line(data)


# Every figure is made once for every screen (the server never knows the viewport). On the pages the title and
# subtitle are drawn as HTML above the chart (decarb.ui.widgets.chart), so they wrap with their box at any width:
# a projector's line is not cut to a phone's. The figure keeps its own title and subtitle for the image the
# modebar downloads (1280 px wide, EXPORT_PX), wrapped for that width; the page hides them and lays the chart
# over their band (`meta.head_px`). The source line, axis titles and legend stay in the figure, broken into lines
# that fit the narrowest chart it is drawn in: a 390 px phone, where Streamlit leaves the chart 358 px
# (measured). Widths are estimated by decarb.render.text.
EXPORT_PX = 1280  # the modebar's PNG (decarb.ui.widgets.plotly_config)
NARROWEST_PX = 358
TITLE_PX = 16  # Streamlit's chart theme (bold)
SUBTITLE_PX = 13  # >= 13 px: legible on a projector from the back of a room
SOURCE_FONT_PX = 12  # the source line: the smallest text on a chart that still reads on a projector
AXIS_TITLE_PX = 14  # Streamlit's chart theme
LEGEND_PX = 12  # Streamlit's chart theme
LINE_EM = 1.3  # plotly's line spacing for <br>
MARGIN_L, MARGIN_R = 70, 30
SOURCE_LINE_PX = SOURCE_FONT_PX + 4
TOP_PAD = 10  # above the title
TITLE_LIFT_PX = 17
BASE_TOP, BASE_BOTTOM = 120, 95  # the margins of a figure `height` high with one line of each text


TITLE_CHARS = chars_fitting(EXPORT_PX - 8, TITLE_PX)  # the title starts at the figure's left edge
SUBTITLE_CHARS = chars_fitting(EXPORT_PX - 8, SUBTITLE_PX)
SOURCE_CHARS = chars_fitting(NARROWEST_PX - MARGIN_L, SOURCE_FONT_PX)  # the source line starts under the plot
AXIS_CHARS = chars_fitting(NARROWEST_PX - MARGIN_L - MARGIN_R, AXIS_TITLE_PX)  # centred under the plot
LEGEND_WIDTH_PX = NARROWEST_PX - MARGIN_L  # a horizontal legend starts over the plot's left edge
# Up to this viewport width the page hides the milestone labels (decarb.ui.widgets.APP_CSS): a phone. The
# narrowest chart that shows them is this wide less the page's padding (1 rem a side, no sidebar).
PHONE_MAX_PX = 640
LABELLED_LEGEND_WIDTH_PX = PHONE_MAX_PX - 32 - MARGIN_L
LEGEND_ROW_PX = 22  # one row of a horizontal legend at LEGEND_PX
LEGEND_SYMBOL_PX = 46  # an entry's line sample and the gaps around it


def source_wrapped(source: str, width: int = SOURCE_CHARS) -> str:
    """The text broken into lines of at most `width` characters (at spaces; plotly's <br>), never cutting a
    word; lines the text already breaks stay broken there. Titles, subtitles and source lines alike."""
    return "<br>".join(
        "<br>".join(textwrap.wrap(part, width, break_long_words=False, break_on_hyphens=False)) or part
        for part in source.split("<br>")
    )


# Plotly checks and coerces every property while a figure is built, most of the time of building a chart
# (docs/deploy.md). The figures here are made by our own code from our own tables, so they are built unchecked
# (`_validate` is plotly's own switch: it builds its templates so), and tests/test_figures.py checks that
# plotly's full check of every screen's figures changes nothing in them.
CHECK_PROPERTIES = False


wrapped = source_wrapped


def legend_rows(names: list[str], width_px: float = LEGEND_WIDTH_PX) -> int:
    """Rows a horizontal legend of these entries takes at a width (entries packed left to right, as plotly
    does): the room it needs on a phone is kept above the plot on every screen."""
    rows, used = 0, width_px
    for name in names:
        entry = LEGEND_SYMBOL_PX + text_width(name, LEGEND_PX)
        if used + entry > width_px:
            rows, used = rows + 1, 0.0
        used += entry
    return rows


# The legend's width under the chart on a laptop's and a projector's page (the plot measured in the browser at
# 1280x800 and 1920x1080, decarb.milestones, plus the right margin): from these viewport widths up, the page cuts
# off the foot of the figure that a phone's legend rows need and the wider legend leaves empty.
WIDE_LEGEND_WIDTH_PX = {1280: 708 + MARGIN_R, 1920: 1348 + MARGIN_R}


def legend_under_the_chart(fig: go.Figure, extra_entries: int = 0) -> None:
    """Move a framed figure's legend under its source line, growing the figure (the plot keeps its height) by the
    rows the legend takes on a phone; `extra_entries`: entries added later (of the longest name's length). The
    empty foot a wider screen leaves, one row kept in hand for the width estimate, is in `meta.foot_spare_px`
    (by viewport width) for the page to cut off (decarb.ui.widgets.chart); the downloaded image keeps it."""
    names = _legend_names(fig)
    names += [max(names, key=len, default="")] * extra_entries
    rows = max(legend_rows(names), 1)
    spare = {
        str(viewport): max(rows - max(legend_rows(names, width), 1) - 1, 0) * LEGEND_ROW_PX
        for viewport, width in WIDE_LEGEND_WIDTH_PX.items()
    }
    layout = fig.layout
    source = layout.annotations[0].text if layout.annotations else ""
    x_title = layout.xaxis.title.text or ""
    # From the plot's foot: ticks and axis title (frame's 58 px and its further lines), the source line's lines.
    below = 58 + (_lines(x_title) - 1) * AXIS_TITLE_PX * LINE_EM + _lines(source) * SOURCE_LINE_PX + LEGEND_GAP_PX
    room = round(rows * LEGEND_ROW_PX + LEGEND_GAP_PX)
    bottom = round(max(layout.margin.b, below) + room)
    layout.height = layout.height - layout.margin.b + bottom
    layout.margin.b = bottom
    layout.legend = {
        "orientation": "h",
        "x": 0,
        "xanchor": "left",
        "y": (bottom - below) / layout.height,
        "yanchor": "top",
        "yref": "container",
        "traceorder": "normal",
    }
    meta = layout.meta if isinstance(layout.meta, dict) else {}
    layout.meta = {**meta, "foot_spare_px": {k: v for k, v in spare.items() if v > 0}}


def _legend_names(fig: go.Figure) -> list[str]:
    return [t.name or "" for t in fig.data if t.showlegend is not False and t.name]


def _legend_under_subtitle(head: float, total: float) -> dict:
    """A horizontal legend right under the subtitle (placed in the figure's own height, not above the plot): the
    room kept for the rows a phone wraps it into is then below it, never between the subtitle and the legend, and
    milestone labels above the plot stay clear of it."""
    return {"y": 1 - (head + 16) / total, "yanchor": "top", "yref": "container"}


def _lines(text: str) -> int:
    return text.count("<br>") + 1 if text else 0


def frame(
    fig: go.Figure,
    *,
    title: str,
    subtitle: str,
    source: str,
    x_title: str | None = None,
    y_title: str | None = None,
    height: int = HEIGHT,
    legend: bool = True,
    x_format: str | None = None,
    legend_above: bool = True,
    left_px: float = MARGIN_L,
) -> go.Figure:
    """Title, subtitle, source line, axis titles, fonts and margins shared by every figure.

    `height` is the figure's height with a one-line title, subtitle, legend and source line: each further line
    (on a phone) is added to it, so the plot keeps its height and nothing overlaps on any screen: the top margin
    holds the title, the subtitle and the legend's rows as a phone draws them (`legend_above` False: a figure
    that places its legend elsewhere). `left_px`: where the plot starts on a phone when its axis labels push the
    left margin (the source line starts there).

    Set as one Layout object: update_layout() parses every keyword path, a good part of making a chart for a
    new selection."""
    title_lines, subtitle_lines = wrapped(title, TITLE_CHARS), wrapped(subtitle, SUBTITLE_CHARS)
    source_lines = wrapped(source, chars_fitting(NARROWEST_PX - max(left_px, MARGIN_L), SOURCE_FONT_PX))
    x_lines = wrapped(x_title, AXIS_CHARS) if x_title else x_title
    names = _legend_names(fig) if legend and legend_above else []
    rows = legend_rows(names) if names else 0
    # Rows a phone adds to the legend: room above the plot that wider screens leave empty, where milestone labels
    # (hidden on a phone) can go instead of growing the figure (decarb.milestones.add_milestones).
    spare = (rows - legend_rows(names, LABELLED_LEGEND_WIDTH_PX)) * LEGEND_ROW_PX if names else 0
    head = (
        TOP_PAD
        + (_lines(title_lines) - 1) * TITLE_LIFT_PX
        + _lines(title_lines) * TITLE_PX * LINE_EM
        + _lines(subtitle_lines) * SUBTITLE_PX * LINE_EM
    )
    top = round(head + 12 + rows * LEGEND_ROW_PX + (18 if rows else 0))
    x_extra = round((_lines(x_lines) - 1) * AXIS_TITLE_PX * LINE_EM) if x_lines else 0
    extra = source_lines.count("<br>") * SOURCE_LINE_PX + x_extra  # each further line below the plot
    bottom = BASE_BOTTOM + extra
    total = top + (height - BASE_TOP - BASE_BOTTOM) + bottom
    layout: dict = {
        # The texts unwrapped and the height of their band, for the page's HTML heading (decarb.ui.widgets.chart).
        "meta": {"title": title, "subtitle": subtitle, "head_px": round(head), "legend_spare_px": round(spare)},
        "title": {
            # the subtitle's own font size: Streamlit's chart theme drew it at 11 px
            "text": f"<b>{title_lines}</b>",
            "subtitle": {"text": subtitle_lines, "font": {"size": SUBTITLE_PX}},
            # plotly lifts a title of n lines by about n - 1 lines above its anchor (measured: 16 px for two)
            "y": 1 - (TOP_PAD + (_lines(title_lines) - 1) * TITLE_LIFT_PX) / total,
        },
        "height": total,
        "margin": {"l": MARGIN_L, "r": MARGIN_R, "t": top, "b": bottom},
        "showlegend": legend,
        **({"legend": _legend_under_subtitle(head, total)} if rows or (legend and legend_above) else {}),
        "annotations": [
            {
                "text": source_lines,
                "showarrow": False,
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": 0,
                "xanchor": "left",
                "yanchor": "top",
                "yshift": -58 - x_extra,
                "align": "left",
                "font": {"size": SOURCE_FONT_PX},
            }
        ],
    }
    xaxis = {
        **({"title": {"text": x_lines}} if x_lines is not None else {}),
        **({"tickformat": x_format} if x_format else {}),
    }
    if xaxis:
        layout["xaxis"] = xaxis
    if y_title is not None:
        layout["yaxis"] = {"title": {"text": y_title}}
    fig.layout = go.Layout(_merged(page_layout(), layout), _validate=CHECK_PROPERTIES)
    return fig


def _merged(base: Mapping, over: Mapping) -> dict:
    """`over` on top of `base`, nested settings merged key by key (the theme's title placement kept under a
    figure's title text)."""
    out = dict(base)
    for key, value in over.items():
        out[key] = (
            _merged(base[key], value) if isinstance(value, Mapping) and isinstance(base.get(key), Mapping) else value
        )
    return out


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
    height: int = HEIGHT,
) -> Chart:
    """Lines over years. `data`: series, kind (observed/pathway/projection/target), year, value, unit, source_label,
    and optionally member (bool). Pathways are dashed, projections dotted, targets diamonds. `height`: as frame()'s
    (a page's lead chart is drawn taller: FEATURE_HEIGHT)."""
    data = data.reset_index(drop=True)
    order = _series_order(data)
    members = data.groupby("series")["member"].any().to_dict() if "member" in data else {}
    parts = dict(iter(data.groupby(["series", "kind"], sort=False)))  # one pass, not a mask per trace
    traces = []
    many = len(order) > len(PALETTE)
    all_members = bool(members) and all(members.values())  # "(member)" on every entry says nothing
    for i, series in enumerate(order):
        colour = (colours or {}).get(series, colour_for(i))
        is_member = bool(members.get(series, False))
        label = f"{series} (member)" if is_member and not all_members and len(order) > 1 else series
        target = parts.get((series, "target"))
        if many and target is not None and not target.empty:
            label = f"{label} (net zero {', '.join(str(int(y)) for y in sorted(target['year'].unique()))})"
        in_legend = True
        for kind in ("observed", "pathway", "projection", "target"):
            part = parts.get((series, kind))
            if part is None or part.empty or (many and kind == "target"):
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
                        **hover,
                    }
                )
                continue
            width = 3.2 if is_member or len(order) == 1 else 1.8
            traces.append(
                {
                    "type": "scatter",
                    "x": part["year"].to_numpy(),
                    "y": part["value"].to_numpy(),
                    "mode": "lines",
                    "name": label + KIND_LABEL[kind],
                    "legendgroup": series,
                    "showlegend": in_legend,
                    "line": {
                        "color": colour,
                        "dash": MANY_DASHES[(i // len(PALETTE)) % len(MANY_DASHES)] if many else DASH[kind],
                        "width": width if kind == "observed" else 2,
                    },
                    **hover,
                }
            )
            in_legend = not many  # many series: one legend entry each, its group toggles the rest
    # Trace specs, not go.Scatter objects: the figure validates each once instead of twice.
    fig = go.Figure(data=traces, _validate=CHECK_PROPERTIES)
    frame(
        fig,
        title=title,
        subtitle=subtitle,
        source=source_line(data),
        x_title="Year",
        y_title=y_title,
        x_format="d",
        legend_above=not many,
        height=height,
    )
    if many:
        legend_under_the_chart(fig, extra_entries=2)  # and the two join-date entries a country chart adds
    return Chart(fig, data, name or file_slug(title), summary or _line_summary(data, y_title, parts))


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
    frame(fig, title=title, subtitle=subtitle, source=source_line(data), x_title="Year", y_title=y_title, x_format="d")
    if not summary and not data.empty:
        last = data[data["year"] == data["year"].max()].sort_values("value", ascending=False)
        summary = (
            f"{y_title} by part in {int(last['year'].iloc[0])}: "
            + ", ".join(f"{r.series} {r.value:,.1f}" for r in last.itertuples())
            + "."
        )
    return Chart(fig, data, name or file_slug(title), summary)


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
    height = max(HEIGHT, 120 + 22 * len(data) + 95)
    frame(
        fig,
        title=title,
        subtitle=subtitle + " | blue and bold: LeadIT members, grey: others",
        source=source_line(data),
        x_title=x_title,
        height=height,
        legend=False,
        left_px=labels_px(labels),
    )
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
    return Chart(fig, data, name or file_slug(title), summary)


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
    frame(
        fig,
        title=title,
        subtitle=subtitle + (f" | {DIVERGING_WORDS}" if diverging else "") + " | LeadIT members outlined in blue",
        source=source_line(data),
        legend=False,
    )
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
    return Chart(fig, data, name or file_slug(title), summary)


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
    frame(fig, title=title, subtitle=subtitle, source=source_line(data))
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
    return Chart(fig, data, name or file_slug(title), summary)


RATE_LINE_PX = round(TICK_PX * 1.3)  # one line of a row label (plotly's line height at the tick size)
RATE_LABEL_CHARS = 16  # a row label's line: the labels took 70% of a phone's width


def labels_px(labels: Iterable[str]) -> float:
    """The width the longest line of these axis labels takes (bold or not), with the gap to the axis."""
    longest = max((len(re.sub("<[^>]+>", "", line)) for text in labels for line in text.split("<br>")), default=0)
    return 20 + text_width(longest, LEGEND_PX)


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
    frame(
        fig,
        title=title,
        subtitle=f"{notes}; {subtitle}" if notes else subtitle,
        source=source_line(data),
        x_title="Annual rate of change (% per year; negative is a fall)",
        height=HEIGHT,
        left_px=labels_px(labels.values()),
    )
    # Rows are spaced evenly, so each as tall as the tallest label's lines at the tick size, plus the margins
    # frame() set: a fixed allowance for the margins let two-line labels of 38 rows run into each other.
    margin = fig.layout.margin
    lines = max((text.count("<br>") + 1 for text in labels.values()), default=1)
    needed = rows * max(24, RATE_LINE_PX * (lines + 1))  # a blank line's height between two rows
    fig.update_layout(height=max(HEIGHT, int((margin.t or 0) + (margin.b or 0) + needed)))
    fig.add_vline(x=0, line={"color": NON_MEMBER, "width": 1})
    fig.update_yaxes(autorange="reversed", automargin=True)
    return Chart(fig, data, name or file_slug(title), summary or f"{title}: {rows} rows.")


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
    frame(fig, title=title, subtitle=subtitle, source=source_line(data), x_title="Date", y_title="Members")
    fig.layout.yaxis.rangemode = "tozero"  # a count starts at 0 (the axis started at 11: growth looked tenfold)
    return Chart(fig, data, name or file_slug(title), summary or title)


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
