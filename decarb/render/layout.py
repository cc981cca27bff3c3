"""A chart's frame in pixels: title, subtitle and source line, axis titles, margins, where the legend goes and the
room it takes, for every screen the one figure is drawn on.

Every figure is made once for every screen (the server never knows the viewport). On the pages the title and
subtitle are drawn as HTML above the chart (decarb.ui.widgets.chart), so they wrap with their box at any width;
the figure keeps its own title and subtitle for the image the modebar downloads (EXPORT_PX wide), wrapped for that
width, and the page hides them and lays the chart over their band (head_px). The source line, axis titles and
legend stay in the figure, broken into lines that fit the narrowest chart it is drawn in: a 390 px phone, where
Streamlit leaves the chart NARROWEST_PX (measured). Widths are estimated by decarb.render.text.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable, Mapping

import numpy as np
import plotly.graph_objects as go

from decarb.chartspec import Axes, ChartText, LegendPlace, Rows, Size
from decarb.render.templates import TICK_PX, page_layout
from decarb.render.text import chars_fitting, text_width

# Plotly checks and coerces every property while a figure is built, most of the time of building a chart
# (docs/deploy.md). The figures here are made by our own code from our own tables, so they are built unchecked
# (`_validate` is plotly's own switch: it builds its templates so), and tests/test_figures.py checks that
# plotly's full check of every screen's figures changes nothing in them.
CHECK_PROPERTIES = False

HEIGHT = 480
# A page's lead chart (the Overview's): its plot 285 px instead of 265, legible from the back of a room at
# 1920x1080. Not taller: at 1280x800 (sidebar open) the whole chart, title to the x axis's labels, stays on the
# first screen under the page's title and tiles (at 560 its axis ended at 850 px).
FEATURE_HEIGHT = 500
HEIGHTS = {Size.NORMAL: HEIGHT, Size.FEATURE: FEATURE_HEIGHT}
EXPORT_PX, EXPORT_HEIGHT_PX = 1280, 720  # the modebar's PNG, at twice that resolution (decarb.ui.widgets)
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
TITLE_LIFT_PX = 17  # plotly lifts a title of n lines by about n - 1 of these above its anchor (measured)
BASE_TOP, BASE_BOTTOM = 120, 95  # the margins of a figure `height` high with one line of each text
AXIS_FOOT_PX = 58  # from the plot's foot to the source line: ticks and a one-line axis title
LEGEND_GAP_PX = 12
ROW_LINE_PX = round(TICK_PX * LINE_EM)  # one line of a row label at the tick size
ROW_MIN_PX = 22  # a one-line row label with room to breathe

TITLE_CHARS = chars_fitting(EXPORT_PX - 8, TITLE_PX)  # the title starts at the figure's left edge
SUBTITLE_CHARS = chars_fitting(EXPORT_PX - 8, SUBTITLE_PX)
SOURCE_CHARS = chars_fitting(NARROWEST_PX - MARGIN_L, SOURCE_FONT_PX)  # the source line starts under the plot
AXIS_CHARS = chars_fitting(NARROWEST_PX - MARGIN_L - MARGIN_R, AXIS_TITLE_PX)  # centred under the plot
LEGEND_WIDTH_PX = NARROWEST_PX - MARGIN_L  # a horizontal legend starts over the plot's left edge
# Up to this viewport width the page hides the milestone labels (decarb.ui.widgets.APP_CSS): a phone.
PHONE_MAX_PX = 640
LEGEND_ROW_PX = 22  # one row of a horizontal legend at LEGEND_PX
LEGEND_SYMBOL_PX = 46  # an entry's line sample and the gaps around it
# The legend's width on a laptop's and a projector's page (the plot measured in the browser at 1280x800 and
# 1920x1080, plus the right margin).
WIDE_LEGEND_WIDTH_PX = {1280: 708 + MARGIN_R, 1920: 1348 + MARGIN_R}
# A legend above the plot gets room for its rows at a laptop's width. Narrower (a phone), a legend placed in the
# figure's own height (yref "container") makes plotly move the plot down below its last row by itself, so no
# screen keeps empty rows for another's.
ABOVE_LEGEND_WIDTH_PX = WIDE_LEGEND_WIDTH_PX[1280]


def wrapped(text: str, width: int = SOURCE_CHARS) -> str:
    """The text broken into lines of at most `width` characters (at spaces; plotly's <br>), never cutting a
    word; lines the text already breaks stay broken there. Titles, subtitles and source lines alike."""
    return "<br>".join(
        "<br>".join(textwrap.wrap(part, width, break_long_words=False, break_on_hyphens=False)) or part
        for part in text.split("<br>")
    )


def legend_rows(names: list[str], width_px: float = LEGEND_WIDTH_PX) -> int:
    """Rows of text a horizontal legend of these entries takes at a width (entries packed left to right, as
    plotly does; a row as high as its entry of most lines)."""
    rows, used, lines = 0, width_px, 0
    for name in names:
        parts = name.split("<br>")
        entry = LEGEND_SYMBOL_PX + text_width(max(parts, key=len), LEGEND_PX)
        if used + entry > width_px:
            rows, used, lines = rows + lines, 0.0, 0
        used += entry
        lines = max(lines, len(parts))
    return rows + lines


# A legend entry longer than fits a phone's chart (one ran past its edge) is broken into lines short enough for three
# entries side by side in a laptop's legend, which then keeps one row where a wide plot has one.
LEGEND_NAME_CHARS = chars_fitting(NARROWEST_PX - LEGEND_SYMBOL_PX, LEGEND_PX)
LEGEND_LINE_CHARS = chars_fitting(ABOVE_LEGEND_WIDTH_PX / 3 - LEGEND_SYMBOL_PX, LEGEND_PX)


def _fit_legend_names(fig: go.Figure) -> None:
    for trace in fig.data:
        name = trace.name or ""
        if trace.showlegend is not False and len(name) > LEGEND_NAME_CHARS:
            trace.name = wrapped(name, LEGEND_LINE_CHARS)


def labels_px(labels: Iterable[str]) -> float:
    """The width the longest line of these axis labels takes (bold or not), with the gap to the axis."""
    longest = max((len(re.sub("<[^>]+>", "", line)) for text in labels for line in text.split("<br>")), default=0)
    return 20 + text_width(longest, LEGEND_PX)


def _lines(text: str) -> int:
    return text.count("<br>") + 1 if text else 0


def _legend_names(fig: go.Figure) -> list[str]:
    return [t.name or "" for t in fig.data if t.showlegend is not False and t.name]


def head_px(text: ChartText) -> int:
    """The height of the figure's title and subtitle band as the exported image draws them (the page lays its
    HTML heading over it)."""
    title, subtitle = wrapped(text.title, TITLE_CHARS), wrapped(text.subtitle, SUBTITLE_CHARS)
    return round(
        TOP_PAD
        + (_lines(title) - 1) * TITLE_LIFT_PX
        + _lines(title) * TITLE_PX * LINE_EM
        + _lines(subtitle) * SUBTITLE_PX * LINE_EM
    )


def _source_annotation(source: str, x_extra: int) -> dict:
    return {
        "text": source,
        "showarrow": False,
        "xref": "paper",
        "yref": "paper",
        "x": 0,
        "y": 0,
        "xanchor": "left",
        "yanchor": "top",
        "yshift": -AXIS_FOOT_PX - x_extra,
        "align": "left",
        "font": {"size": SOURCE_FONT_PX},
    }


def _axes_layout(axes: Axes, y_lines: str | None) -> dict:
    x_lines = wrapped(axes.x_title, AXIS_CHARS) if axes.x_title else axes.x_title
    out: dict = {}
    xaxis = {
        **({"title": {"text": x_lines}} if x_lines is not None else {}),
        **({"tickformat": axes.x_format} if axes.x_format else {}),
        **({"range": list(axes.x_range)} if axes.x_range else {}),
    }
    if xaxis:
        out["xaxis"] = xaxis
    if y_lines is not None:
        # automargin: a y title of two lines (a phone's plot is shorter than a long title) takes its room
        out["yaxis"] = {"title": {"text": y_lines}, "automargin": y_lines.count("<br>") > 0}
    return out


def _height(size: Size | Rows) -> int:
    """The figure's height with one line of each text (frame adds each further line)."""
    if isinstance(size, Size):
        return HEIGHTS[size]
    row = ROW_LINE_PX * (size.lines + 1) if size.spaced else max(ROW_MIN_PX, ROW_LINE_PX * size.lines + 4)
    return max(HEIGHT, BASE_TOP + BASE_BOTTOM + size.count * row)


def frame(
    fig: go.Figure,
    text: ChartText,
    axes: Axes | None = None,
    *,
    size: Size | Rows = Size.NORMAL,
    legend: LegendPlace = LegendPlace.ABOVE,
    left_px: float = MARGIN_L,
    fold_legend: bool = False,
) -> go.Figure:
    """Title, subtitle, source line, axis titles, fonts and margins shared by every figure.

    `size`: a Size, or Rows for a figure of one row per category. Each further line of a text is added to the
    figure's height, so the plot keeps its height. The top margin holds the title, the subtitle and the legend's
    rows at a laptop's width (a phone's further rows push the plot down: ABOVE_LEGEND_WIDTH_PX). `left_px`: where
    the plot starts on a phone when its axis labels push the left margin (the source line starts there).
    `fold_legend`: a legend under the chart keeps a laptop's rows and scrolls inside them on a phone (its lines are
    named at their ends: label_line_ends).

    Set as one Layout object: update_layout() parses every keyword path, a good part of making a chart for a
    new selection."""
    height, axes = _height(size), axes or Axes()
    head = head_px(text)
    _fit_legend_names(fig)
    names = _legend_names(fig) if legend is LegendPlace.ABOVE else []
    rows = legend_rows(names, ABOVE_LEGEND_WIDTH_PX) if names else 0
    top = round(head + 12 + rows * LEGEND_ROW_PX + (18 if rows else 0))
    source = wrapped(text.source, chars_fitting(NARROWEST_PX - max(left_px, MARGIN_L), SOURCE_FONT_PX))
    x_extra = round((_lines(wrapped(axes.x_title, AXIS_CHARS)) - 1) * AXIS_TITLE_PX * LINE_EM) if axes.x_title else 0
    bottom = BASE_BOTTOM + source.count("<br>") * SOURCE_LINE_PX + x_extra  # each further line below the plot
    total = top + (height - BASE_TOP - BASE_BOTTOM) + bottom
    plot_px = total - top - bottom
    # A y title longer than a plot is high is cut at both ends: broken into lines that fit the plot's height.
    y_lines = wrapped(axes.y_title, chars_fitting(plot_px, AXIS_TITLE_PX)) if axes.y_title is not None else None
    title = wrapped(text.title, TITLE_CHARS)
    layout: dict = {
        "title": {
            "text": f"<b>{title}</b>",
            # the subtitle's own font size: Streamlit's chart theme drew it at 11 px
            "subtitle": {"text": wrapped(text.subtitle, SUBTITLE_CHARS), "font": {"size": SUBTITLE_PX}},
            "y": 1 - (TOP_PAD + (_lines(title) - 1) * TITLE_LIFT_PX) / total,
        },
        "height": total,
        "margin": {"l": MARGIN_L, "r": MARGIN_R, "t": top, "b": bottom},
        "showlegend": legend is not LegendPlace.NONE,
        "annotations": [_source_annotation(source, x_extra)],
        **_axes_layout(axes, y_lines),
    }
    if legend is LegendPlace.ABOVE:
        # Right under the subtitle, in the figure's own height: milestone labels above the plot stay below it.
        layout["legend"] = {"y": 1 - (head + 16) / total, "yanchor": "top", "yref": "container"}
    fig.layout = go.Layout(_merged(page_layout(), layout), _validate=CHECK_PROPERTIES)
    if legend is LegendPlace.UNDER:
        legend_under_the_chart(fig, fold=fold_legend)
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


FOLDED_LEGEND_ROWS = 6  # a folded legend's room under the chart (legend_under_the_chart), in rows
# Entries a country chart adds after the legend is placed (the two join-date markers, decarb.render.marks).
LATER_ENTRIES = 2


def legend_under_the_chart(fig: go.Figure, *, fold: bool = False) -> None:
    """Move a framed figure's legend under its source line (many entries: beside the plot it takes half a phone's
    width), growing the figure (the plot keeps its height) by the rows the legend takes on a phone, with room
    for LATER_ENTRIES more of the longest name's length. The empty foot a wider screen leaves is cut off by the
    page (foot_spare_px); the downloaded image keeps it.

    `fold`: room for FOLDED_LEGEND_ROWS at most; a longer legend scrolls inside it (plotly's maxheight), so on a
    phone it no longer stands taller than the plot (17 countries took 19 rows, 420 px). Plotly aligns a legend of
    several rows in columns as wide as its widest entry: at 1280x800 (the plot narrowed by the names at the lines'
    ends) 17 countries take two columns and scroll too; at 1920x1080 they fit."""
    names = _legend_names(fig)
    names += [max(names, key=len, default="")] * LATER_ENTRIES
    rows = max(legend_rows(names), 1)
    if fold:
        rows = min(rows, FOLDED_LEGEND_ROWS)
    layout = fig.layout
    below = _below_the_plot(layout)
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
        **({"maxheight": rows * LEGEND_ROW_PX} if fold else {}),
    }


# A line's name at its end, in the right margin (label_line_ends).
END_LABEL_PX = SOURCE_FONT_PX  # the smallest chart text
END_LABEL_GAP_PX = 14  # from one name's middle to the next: a line of END_LABEL_PX text
END_LABEL_CHARS = 16  # a longer name is cut, with an ellipsis (the legend and the hover keep it whole)
END_LEADER_PX = 16  # the leader from the line's end to its name: level, a slant, level again


def spread_apart(targets: list[float], span: float, gap: float) -> list[float]:
    """Heights in [0, span] for labels wanted at `targets` (same order), at least `gap` apart (less where that many
    do not fit the span): pushed up from the lowest, then down from the top where the highest ran past it."""
    if not targets:
        return []
    gap = min(gap, span / max(len(targets) - 1, 1))
    order = sorted(range(len(targets)), key=lambda i: targets[i])
    heights = [min(max(targets[i], 0.0), span) for i in order]
    for k in range(1, len(heights)):
        heights[k] = max(heights[k], heights[k - 1] + gap)
    heights[-1] = min(heights[-1], span)
    for k in range(len(heights) - 2, -1, -1):
        heights[k] = max(min(heights[k], heights[k + 1] - gap), 0.0)  # 0 less rounding: the gap fits
    out = [0.0] * len(targets)
    for k, i in enumerate(order):
        out[i] = heights[k]
    return out


def _short(name: str) -> str:
    return name if len(name) <= END_LABEL_CHARS else name[: END_LABEL_CHARS - 1].rstrip() + "\u2026"


def label_line_ends(fig: go.Figure, ends: list[tuple[str, float, str]]) -> None:
    """Each line's name at its end, (name, last value, colour): in the right margin, at the line's height or
    as near as the others let it (spread_apart), with a leader in the line's colour from the plot's edge. Many
    lines cannot be told apart by a legend's 6 colours and 4 dashes on a phone; their names at their ends can.

    The y axis's range is set (the data's, padded by 5% as plotly pads it), so the names sit where their lines
    end on every screen; the right margin grows by the longest name."""
    layout = fig.layout
    values = np.concatenate([np.asarray(t.y, dtype=float) for t in fig.data if getattr(t, "y", None) is not None])
    values = values[np.isfinite(values)]
    if not ends or not values.size:
        return
    low, high = float(values.min()), float(values.max())
    pad = (high - low) * 0.05 or abs(high) * 0.05 or 1.0
    low, high = low - pad, high + pad
    layout.yaxis.range = [low, high]
    span = layout.height - layout.margin.t - layout.margin.b
    names = [_short(name) for name, _, _ in ends]
    wanted = [(value - low) / (high - low) * span for _, value, _ in ends]
    heights = spread_apart(wanted, span, END_LABEL_GAP_PX)
    layout.margin.r = max(MARGIN_R, round(END_LEADER_PX + 3 + max(text_width(n, END_LABEL_PX) for n in names) + 6))
    labels, leaders = [], []
    for name, (_, _, colour), want, height in zip(names, ends, wanted, heights, strict=True):
        labels.append(
            {
                "text": name,
                "showarrow": False,
                "xref": "paper",
                "x": 1,
                "xanchor": "left",
                "xshift": END_LEADER_PX + 3,
                "yref": "paper",
                "y": height / span,
                "yanchor": "middle",
                "font": {"size": END_LABEL_PX},
            }
        )
        start, end, level = want / span, height / span, END_LEADER_PX // 4
        leaders.append(
            {
                "type": "path",
                "xref": "paper",
                "xsizemode": "pixel",
                "xanchor": 1,
                "yref": "paper",
                "path": f"M0,{start:.4f} L{level},{start:.4f} L{END_LEADER_PX - level},{end:.4f} "
                f"L{END_LEADER_PX},{end:.4f}",
                "line": {"color": colour, "width": 1.5},
            }
        )
    layout.annotations = [*layout.annotations, *labels]
    layout.shapes = [*layout.shapes, *leaders]


def _below_the_plot(layout: go.Layout) -> float:
    """From the plot's foot to a legend under the chart: ticks, the axis title's lines, the source line's lines."""
    source = layout.annotations[0].text if layout.annotations else ""
    lines = (_lines(layout.xaxis.title.text or "") - 1) * AXIS_TITLE_PX * LINE_EM + _lines(source) * SOURCE_LINE_PX
    return AXIS_FOOT_PX + lines + LEGEND_GAP_PX


def legend_is_under(fig: go.Figure) -> bool:
    legend = fig.layout.legend
    return legend.yref == "container" and legend.yanchor == "top" and legend.y is not None and legend.y < 0.5


def foot_spare_px(fig: go.Figure) -> dict[int, int]:
    """By viewport width, the empty foot under a legend under the chart (the rows kept for a phone less the rows
    it takes there) that the page cuts off: one row kept in hand for the width estimate."""
    if not legend_is_under(fig):
        return {}
    names = _legend_names(fig)
    rows = int((fig.layout.margin.b - _below_the_plot(fig.layout) - LEGEND_GAP_PX) // LEGEND_ROW_PX)  # kept
    spare = {
        viewport: max(rows - max(legend_rows(names, width), 1) - 1, 0) * LEGEND_ROW_PX
        for viewport, width in WIDE_LEGEND_WIDTH_PX.items()
    }
    return {viewport: px for viewport, px in spare.items() if px > 0}
