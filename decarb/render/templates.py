"""The plotly templates of the pages and the slides, registered with plotly on import."""

from __future__ import annotations

import functools

import plotly.graph_objects as go
import plotly.io as pio

from decarb.theme import FONT, GRID, INK, PALETTE, PAPER, ZERO_LINE

SLIDE_FONT_SIZE = 18
# Axis tick labels on the pages: Streamlit's chart theme draws them at 12 px, too small from the back of a room at
# 1920x1080; 14 px is the axis titles' size, and still leaves a phone's axes a few ticks each.
TICK_PX = 14

# --- The plotly templates --------------------------------------------------------------------------------------
PAGE = "decarb"
SLIDE = "slide"
LEGEND = {"orientation": "h", "x": 0, "xanchor": "left"}

# Pages: background and text colours are left to Streamlit's theme (light or dark), so the page template sets
# only what is ours: font, palette, hover, legend and title placement.
pio.templates[PAGE] = go.layout.Template(
    layout={
        "font": {"family": FONT},
        "colorway": list(PALETTE),
        "hovermode": "closest",
        # traceorder "normal": with legend groups (a line and its pathway and trend) plotly's default "grouped"
        # stacks each group's entries vertically, even in a horizontal legend (seen: a 3-row legend over the
        # Overview's subtitle at 1920 px).
        "legend": {**LEGEND, "y": 1.0, "yanchor": "bottom", "traceorder": "normal"},
        "title": {"x": 0, "xanchor": "left", "y": 0.98, "yanchor": "top", "yref": "container"},
        "xaxis": {"tickfont": {"size": TICK_PX}},
        "yaxis": {"tickfont": {"size": TICK_PX}},
    }
)
# Slides: large type on white, light grid, the title left to the slide around the chart.
_AXIS = {"showgrid": True, "gridcolor": GRID, "zeroline": True, "zerolinecolor": ZERO_LINE, "automargin": True}
pio.templates[SLIDE] = go.layout.Template(
    layout={
        "font": {"size": SLIDE_FONT_SIZE, "color": INK},
        "paper_bgcolor": PAPER,
        "plot_bgcolor": PAPER,
        "margin": {"l": 20, "r": 30, "t": 30, "b": 20},
        "legend": {**LEGEND, "y": 1.02, "yanchor": "bottom", "traceorder": "normal"},
        "xaxis": _AXIS,
        "yaxis": _AXIS,
    }
)


@functools.cache
def page_layout() -> dict:
    """The page template's settings as plain layout data, which decarb.render.charts.frame writes into every figure.

    Written into the layout rather than set as the figure's template, for two measured reasons: setting a
    composed template copies and validates the whole of it (most of a chart's cost on a cache miss: docs/deploy.md),
    and Streamlit's chart theme replaces the figure's template in the
    browser, so settings kept only there (the horizontal legend) were lost on screen. Shared: never modify it.
    """
    return pio.templates[PAGE].layout.to_plotly_json()


@functools.cache
def slide_template() -> dict:
    """ "decarb+slide" as plain JSON-ready data, for figure specs that skip plotly's validation."""
    return pio.templates[f"{PAGE}+{SLIDE}"].to_plotly_json()
