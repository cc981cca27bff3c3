"""The pages' figures are built without plotly's property check (decarb.render.charts.CHECK_PROPERTIES, for speed);
plotly's full check of each of them must accept it and change nothing, so what the browser gets is what a
checked figure would have been."""

from __future__ import annotations

import json
from dataclasses import replace

import plotly.graph_objects as go
import pytest
from chart_checks import assert_distinct_series, assert_no_raw_tags, shown_text

from decarb.contract import CLIMATE_TRACE_SUBSECTORS, HEAVY_INDUSTRY, IRON_STEEL, TOTAL, UNFCCC
from decarb.normalise import HOWS
from decarb.render.draw import draw
from decarb.screens import countries, industries, members, overview, sectors
from decarb.view import View

VIEWS = {"default": View(), "climate_trace_2015": View(source="climate_trace", base_year=2015, milestones=False)}


def _figures(ds, view):
    codes = countries.member_country_options(ds, view)
    charts = {
        "overview": overview.overview(ds, view).chart,
        **{f"countries {how}": countries.countries_chart(ds, view, codes, HEAVY_INDUSTRY, how) for how in HOWS},
        "breakdown": countries.sector_breakdown(ds, view, "IND", HEAVY_INDUSTRY),
        "breakdown all sectors": countries.sector_breakdown(ds, view, "IND", TOTAL),
        "breakdown by industry": countries.sector_breakdown(
            ds, replace(view, source=CLIMATE_TRACE_SUBSECTORS), "IND", HEAVY_INDUSTRY
        ),
        "breakdown inventories": countries.sector_breakdown(ds, replace(view, source=UNFCCC), "DEU", HEAVY_INDUSTRY),
        "ranking": sectors.sector_ranking(ds, view, HEAVY_INDUSTRY, HOWS[0]),
        "change map": sectors.sector_change_map(ds, view, HEAVY_INDUSTRY),
        "groups": sectors.group_comparison(ds, view, HEAVY_INDUSTRY, HOWS[0]),
        "member map": members.member_map(ds),
        "timeline": members.member_timeline(ds, view.milestones),
        "industry ranking": industries.industry_ranking(ds, view, CLIMATE_TRACE_SUBSECTORS, IRON_STEEL),
        "country industries": industries.country_industries(ds, UNFCCC, "SWE"),
        "fuel and process": industries.fuel_process_chart(ds, "SWE", IRON_STEEL),
        "sources": industries.sources_chart(ds, "SWE", IRON_STEEL),
    }
    return {name: draw(chart).fig for name, chart in charts.items() if chart is not None}


def _canonical(fig: go.Figure) -> str:
    return json.dumps(json.loads(fig.to_json()), sort_keys=True)


@pytest.mark.parametrize("view_name", VIEWS)
def test_every_screen_figure_passes_plotlys_check_unchanged(ds, view_name):
    figures = _figures(ds, VIEWS[view_name])
    assert len(figures) >= 14  # every chart above was drawn (None only where a source has no such data)
    for name, fig in figures.items():
        checked = go.Figure(fig.to_plotly_json())  # raises on any property plotly does not know
        assert _canonical(checked) == _canonical(fig), name
        assert_distinct_series(fig, name)
        assert_no_raw_tags(shown_text(fig), name, plotly=True)
