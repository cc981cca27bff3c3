"""The plotly renderer of the slide model: a slide's figure as plain JSON-ready data (what Present shows, and what
the offline HTML hands to plotly.js), with LeadIT's milestones marked."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from decarb.briefing.model import BARS, DATES, LINES, STACKED, Kind, Series, Slide
from decarb.render import charts, templates
from decarb.render.marks import LabelStyle, add_milestones

DASHES = {"solid": "solid", "dash": "dash", "dot": "dot"}


def figure_spec(kind: Kind, series: Sequence[Series], x_title: str, y_title: str, unit: str, source_line: str) -> dict:
    """The slide's plotly figure as plain JSON-ready data in the "decarb+slide" template (decarb.theme): large
    type, no title (the slide carries it). Plain data, so the offline HTML and the command line never pay for
    plotly's validation; `figure()` wraps it as a go.Figure for the app."""
    traces = []
    category, value = ("y", "x") if kind == BARS else ("x", "y")
    for s in series:
        hover = f"<b>{s.name}</b><br>%{{{category}}}: %{{{value}:,.2f}} {unit}<extra></extra>"
        trace: dict = {"name": s.name, "hovertemplate": hover}
        if kind == LINES:
            trace.update(
                type="scatter",
                mode="lines",
                x=[int(x) for x in s.x],
                y=list(s.y),
                line={"color": s.colour, "dash": DASHES.get(s.style, "solid"), "width": 4},
            )
        elif kind == DATES:
            step = s.style == "step"
            trace.update(
                type="scatter",
                mode="lines+markers" if step else "markers",
                x=[str(d) for d in s.x],
                y=list(s.y),
                line={"color": s.colour, "width": 3.5, "shape": "hv", "dash": DASHES.get(s.dash, "solid")},
                marker={
                    "symbol": s.symbol if step else "diamond-open",
                    "size": 9 if step else 16,
                    "color": s.colour,
                    "line": {"width": 3, "color": s.colour},
                },
            )
        elif kind == BARS:
            trace.update(
                type="bar",
                orientation="h",
                x=list(s.y),
                y=[str(x) for x in s.x],
                marker={"color": list(s.colours) if s.colours else s.colour},
            )
        else:
            trace.update(type="bar", x=[str(x) for x in s.x], y=list(s.y), marker={"color": s.colour})
        traces.append(trace)
    xaxis: dict = {"title": {"text": x_title}} if x_title else {}
    yaxis: dict = {"title": {"text": y_title}} if y_title else {}
    if kind == LINES:
        xaxis["tickformat"] = "d"
    if kind == DATES:
        xaxis["type"] = "date"
    if kind == BARS:
        yaxis.update(autorange="reversed", showgrid=False)
    if kind == STACKED:
        xaxis.update(type="category", showgrid=False)
    layout = {
        "template": templates.slide_template(),
        "showlegend": len(series) > 1,
        # At the foot of the figure, in pixels from its bottom edge (below the axis title, which plotly places
        # first): never over the plot, and the top margin stays free for the milestone labels.
        "legend": {**templates.LEGEND, "y": 0, "yanchor": "bottom", "yref": "container", "traceorder": "normal"},
        "barmode": "stack" if kind == STACKED else "group",
        "meta": {"source_line": source_line},
        "xaxis": xaxis,
        "yaxis": yaxis,
    }
    return {"data": traces, "layout": layout}


def figure(spec: dict) -> go.Figure:
    """A plotly Figure of a figure spec (validated by plotly). go.Figure edits the dicts it is given while it
    reads them (it takes each trace's type out and puts it back): pass a spec of the caller's own (Slide.spec)."""
    return go.Figure(spec)


MARKED_SLIDES = ("pathway", "membership")  # the slides drawing a member aggregate over time
# Milestone labels on a slide at the slide's own type size (legible on a projector). They sit in one row in a
# top margin reserved for them in pixels, each joined to its date by a thin leader line, and the legend sits at
# the foot of the figure (figure_spec), so labels and legend cannot meet at any chart height or width.
SLIDE_LABEL_PX = templates.SLIDE_FONT_SIZE
# The narrowest plot the labels are spaced for: the slide chart's plot on the Present page at 1280x800
# (measured in the browser: 742 px; tests/journeys/test_present.py checks the labels at 1280 and 1920). Wider
# plots only spread them further. The layout itself is decarb.milestones' (the pages' too).
SLIDE_LABELS = LabelStyle(font_px=SLIDE_LABEL_PX, gap_px=12, leader_px=16, plot_px=720)


def marked_spec(spec: dict, milestones: pd.DataFrame) -> tuple[dict, str]:
    """The figure spec with LeadIT's milestones marked (decarb.milestones: a dotted line at each date, short
    labels in one row above the plot, each with a leader line down to its date); and the milestones marked,
    in words (the PowerPoint deck marks them on its native chart and names them with these words under it)."""
    fig = figure(spec)
    marks = add_milestones(fig, milestones, style=SLIDE_LABELS)
    if marks.shown.empty:
        return spec, marks.note
    marked = {
        **spec,
        "layout": {
            **spec["layout"],
            "margin": {**spec["layout"].get("margin", {}), "t": marks.band_px + 2},
            "shapes": [shape.to_plotly_json() for shape in fig.layout.shapes],
            "annotations": [note.to_plotly_json() for note in fig.layout.annotations],
        },
    }
    return marked, " ".join(t for t in (f"LeadIT milestones: {marks.named}.", marks.note) if t)


def slide_chart(slide: Slide) -> charts.Chart:
    """The slide's plotly figure with exactly the data it plots, a new one on each call."""
    return charts.Chart(figure(slide.spec), slide.table, slide.name, slide.summary)
