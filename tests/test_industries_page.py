"""The Industries page through the real entrypoint (AppTest) on the real processed data: what it shows equals
decarb/industries.py's analytics (member sum, coverage, the sources' values in the year they share)."""

from __future__ import annotations

import math
from dataclasses import replace

import pandas as pd
import pytest
from test_app_pages import figures, run, trace_names

from decarb import industries
from decarb.contract import CLIMATE_TRACE_SUBSECTORS, SOURCE_LABELS, UNFCCC
from decarb.metrics import progress
from decarb.render.draw import draw
from decarb.screens import industries as screen
from decarb.screens.shared import country_names
from decarb.selection import area_set
from decarb.view import View

PAGE = "pages/industries.py"


def metrics_of(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def figure_titled(at, words: str) -> dict:
    matches = [f for f in figures(at) if words in f["layout"]["title"]["text"].replace("<br>", " ")]  # wrapped
    assert len(matches) == 1, [f["layout"]["title"]["text"] for f in figures(at)]
    return matches[0]


@pytest.mark.parametrize("source", [CLIMATE_TRACE_SUBSECTORS, UNFCCC])
def test_members_headline_and_coverage_equal_the_analytics(ds, source):
    at = run(PAGE, industry="iron_steel", industry_source=source)
    values, missing = industries.member_series(ds, source, "iron_steel", area_set(ds, "members"))
    year = int(values.dropna().index.max())
    shown = metrics_of(at)
    assert shown[f"Members' iron and steel {year}"] == f"{values.loc[year]:,.1f} {values.attrs['unit']}"
    base = 2015  # the view's default base year; both industry sources report it
    expected = progress(values, since_year=base)
    assert shown[f"Change since {base}"] == f"{expected['change_since_pct']:+,.1f}%"
    assert shown["Status"] == expected["status"].capitalize()
    note = at.info[0].value
    names = country_names(ds)
    assert missing, "each industry source misses some member for steel (UNFCCC: non-Annex I members)"
    assert f"does not cover {len(missing)} member countries" in note
    assert all(names[code] in note for code in missing)
    observed = figure_titled(at, "pathway to net zero")["data"][0]
    assert observed["y"] == pytest.approx(values.dropna().to_numpy().tolist())


def test_ranking_highlights_members_and_matches_the_panel(ds):
    at = run(PAGE, industry="cement", industry_source=CLIMATE_TRACE_SUBSECTORS)
    fig = figure_titled(at, "countries ranked")
    chart = screen.industry_ranking(ds, View(), CLIMATE_TRACE_SUBSECTORS, "cement")
    top = chart.data.iloc[0]
    assert top["rank"] == 1 and top["value"] == max(chart.data["value"])
    assert chart.data["member"].any() and (chart.data[chart.data["member"]]["rank"] > 0).all()
    assert sum(len(t["x"]) for t in fig["data"]) == len(chart.data)


def test_sources_compared_for_sweden_steel_equal_compare(ds):
    at = run(PAGE, industry="iron_steel", area="SWE", show="sources")
    table = next(df.value for df in at.dataframe if "Difference (%)" in df.value.columns)
    rows, info = industries.compare(ds, "SWE", "iron_steel")
    assert info["year"] is not None and len(rows) == 2
    assert table["Source"].tolist() == [SOURCE_LABELS[s] for s in rows["source"]]
    assert table["Value"].tolist() == pytest.approx(rows["value"].tolist())
    assert table["Year"].tolist() == [info["year"]] * 2
    ct, un = rows["value"].tolist()
    assert table["Difference (%)"].iloc[1] == pytest.approx(100 * (un - ct) / ct)
    names = trace_names(figure_titled(at, "sources compared"))
    assert any(n.startswith("Climate TRACE") for n in names) and any(n.startswith("UNFCCC") for n in names)
    assert any(n.startswith("Context, not the industry - EDGAR") for n in names)


def test_co2_only_comparison_uses_the_co2_series(ds):
    # Cement: Climate TRACE iron and steel (release v5.7.0) has no CO2-only series.
    at = run(PAGE, industry="cement", area="SWE", show="sources", gases="co2")
    table = next(df.value for df in at.dataframe if "Difference (%)" in df.value.columns)
    rows, _ = industries.compare(ds, "SWE", "cement", "co2")
    all_gases, _ = industries.compare(ds, "SWE", "cement")
    assert table["Value"].tolist() == pytest.approx(rows["value"].tolist())
    assert table["Unit"].tolist() == ["Mt CO2", "Mt CO2"]
    assert not math.isclose(rows["value"].iloc[1], all_gases["value"].iloc[1])  # the inventory's CO2 < its CO2e
    assert "CO2 only" in figure_titled(at, "sources compared")["layout"]["title"]["subtitle"]["text"].replace(
        "<br>", " "
    )


def test_india_has_no_inventory_and_the_page_says_so(ds):
    at = run(PAGE, industry="iron_steel", area="IND", show="sources")
    assert not any("Difference (%)" in df.value.columns for df in at.dataframe)
    text = " ".join(c.value for c in at.caption)
    assert f"No data for this country and industry in: {SOURCE_LABELS[UNFCCC]}" in text


def test_inventory_source_splits_fuel_and_process(ds):
    at = run(PAGE, industry="iron_steel", industry_source=UNFCCC, area="DEU", show="country")
    fig = figure_titled(at, "fuel against process")
    parts = industries.fuel_and_process(ds, "DEU", "iron_steel").dropna(subset=["value"])
    assert {n.split(" - ")[0] for n in trace_names(fig)} == {"Fuel combustion (1.A.2)", "Industrial processes (2)"}
    assert sum(sum(t["y"]) for t in fig["data"]) == pytest.approx(parts["value"].sum())


def test_members_joined_by_the_latest_year_work_for_an_industry_source(ds):
    """The load test found it: with members=joined the page raised (no global years for an industry source)."""
    from decarb.screens.industries import member_pathway
    from decarb.view import View, members_set

    view = View(members="joined")
    em = ds.emissions
    for source in ("climate_trace_subsectors", "unfccc"):
        latest = int(em.loc[em["source"] == source, "year"].max())
        joined = members_set(ds, replace(view, source=source))
        assert set(joined.codes) <= set(members_set(ds, View()).codes)
        assert all(
            str(d)[:4] <= str(latest)
            for d in ds.members.loc[ds.members["iso3"].isin(joined.codes), "joined_on"].dropna()
        )
        assert member_pathway(ds, view, source, "iron_steel").covered >= 1


def test_members_pathway_marks_the_milestones_as_the_overview_does(ds):
    """The Industries pathway is a time chart of the members, as the Overview's: the same milestone marks
    (a dotted line and a label per milestone inside the years drawn), unless the view hides them."""
    shown = screen.member_pathway(ds, View(), CLIMATE_TRACE_SUBSECTORS, "iron_steel").chart
    hidden = screen.member_pathway(ds, View(milestones=False), CLIMATE_TRACE_SUBSECTORS, "iron_steel").chart
    first, last = int(shown.data["year"].min()), int(shown.data["year"].max())
    inside = ds.milestones[pd.to_datetime(ds.milestones["date"]).dt.year.between(first, last)]
    assert len(inside) > 0
    labels = [a.text for a in draw(shown).fig.layout.annotations if a.hovertext]
    assert len(labels) == len(inside) and len(draw(shown).fig.layout.shapes) >= len(inside)
    assert "LeadIT milestones (" in draw(shown).summary
    assert (
        not [a for a in draw(hidden).fig.layout.annotations if a.hovertext]
        and "LeadIT milestones (" not in draw(hidden).summary
    )
