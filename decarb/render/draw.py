"""A chart description (decarb.chartspec.ChartSpec) drawn: its kind's builder, then its marks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from decarb.chartspec import ChartKind, ChartSpec
from decarb.render import charts, steel
from decarb.render.charts import Chart
from decarb.render.marks import add_join_markers, add_milestones

BUILDERS: dict[ChartKind, Callable[..., Chart]] = {
    ChartKind.LINES: charts.line_chart,
    ChartKind.AREAS: charts.stacked_area,
    ChartKind.RANKING: charts.ranking_bar,
    ChartKind.WORLD_MAP: charts.world_map,
    ChartKind.CATEGORY_MAP: charts.category_map,
    ChartKind.RATES: charts.rate_chart,
    ChartKind.TIMELINE: charts.timeline,
    ChartKind.CAPACITY: steel.capacity_bars,
    ChartKind.DUE: steel.due_bars,
    ChartKind.RATIOS: steel.ratio_lines,
    ChartKind.PLANT_MAP: steel.plant_map,
}


def draw(spec: ChartSpec) -> Chart:
    """The figure of `spec`, built afresh, with its join stars and milestones; its text equivalent names every
    milestone drawn (a phone hides their labels) and those outside the years drawn."""
    chart = BUILDERS[spec.kind](spec.data, **spec.options)
    if spec.join_stars is not None:
        add_join_markers(chart.fig, spec.join_stars)
    summary = [chart.summary, *spec.notes]
    if spec.milestones is not None and not spec.data.empty:  # an empty chart has no years to mark
        marks = add_milestones(chart.fig, spec.milestones)
        if len(marks.shown):
            summary.append(f"Dotted lines: LeadIT milestones ({len(marks.shown)}): {marks.named}.")
        summary.append(marks.note)
    return replace(chart, summary=" ".join(t for t in summary if t))
