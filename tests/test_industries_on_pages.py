"""The industries on the Countries and Progress pages (issue 12): the sector choice offers them whatever the global
source, an industry source answers them with that fallback said in words, and what is shown equals decarb's
analytics (selection.series, the scoreboard) on the real processed data."""

from __future__ import annotations

import pytest
from test_app_pages import figures, run

from decarb.contract import CLIMATE_TRACE_SUBSECTORS, INDUSTRIES, SOURCE_LABELS, UNFCCC
from decarb.scoreboard import scoreboard
from decarb.selection import area_set, series
from decarb.ui.state import markdown_text
from decarb.view import View, industry_fallback, needs_industry_source, sector_view, with_industries


def test_the_sector_options_end_with_the_industries_a_source_does_not_answer():
    assert with_industries(("total", "heavy_industry")) == ("total", "heavy_industry", *INDUSTRIES)
    assert with_industries(("heavy_industry", *INDUSTRIES)) == ("heavy_industry", *INDUSTRIES)


def test_the_fallback_names_both_sources_and_the_industries_in_words():
    edgar = View(source="edgar")
    assert not needs_industry_source(edgar, ("heavy_industry", "power"))
    assert sector_view(edgar, "heavy_industry", UNFCCC) == (edgar, None)
    view, text = sector_view(edgar, "iron_steel", UNFCCC)
    assert view.source == UNFCCC and view.base_year == edgar.base_year
    assert text == (
        "EDGAR 2024 (JRC/IEA) does not split heavy industry by industry: Iron and steel "
        "from UNFCCC Annex I inventories (CRF)."
    )
    text = industry_fallback(View(source="owid"), ("cement_process", "cement", "pulp_paper"), CLIMATE_TRACE_SUBSECTORS)
    assert "Cement (inventories: non-metallic minerals), Pulp and paper from Climate TRACE sub-sectors" in text
    assert "None" not in text and "pulp_paper" not in text


def test_countries_shows_indias_iron_and_steel_from_climate_trace(ds):
    at = run("pages/countries.py", sector="iron_steel", countries="IND")
    assert at.selectbox(key="sector").value == "iron_steel"
    assert at.selectbox(key="industry_source").value == CLIMATE_TRACE_SUBSECTORS
    assert any(
        "does not split heavy industry by industry: Iron and steel from Climate TRACE" in c.value for c in at.caption
    )
    expected = series(ds, CLIMATE_TRACE_SUBSECTORS, ["IND"], "iron_steel").dropna()
    line, breakdown = figures(at)
    india = next(t for t in line["data"] if t.get("name") == "India")
    assert india["x"] == expected.index.tolist() and india["y"] == pytest.approx(expected.to_numpy().tolist())
    assert "Iron and steel" in line["layout"]["title"]["text"]
    # One stored sector of an industry source: its breakdown is heavy industry by industry (it has no all sectors).
    assert "heavy industry by sector" in breakdown["layout"]["title"]["text"]
    steel = next(t for t in breakdown["data"] if t.get("name") == "Iron and steel")
    assert steel["y"] == pytest.approx(expected.to_numpy().tolist())


def test_countries_with_the_inventories_names_a_country_they_do_not_cover(ds):
    at = run("pages/countries.py", sector="iron_steel", industry_source=UNFCCC, countries="JPN")
    (line, breakdown) = figures(at)
    expected = series(ds, UNFCCC, ["JPN"], "iron_steel").dropna()
    japan = next(t for t in line["data"] if t.get("name") == "Japan")
    assert japan["y"] == pytest.approx(expected.to_numpy().tolist())
    parts = {t["name"]: t["y"] for t in breakdown["data"]}
    assert set(parts) == {"Iron and steel: fuel", "Iron and steel: process"}
    fuel = series(ds, UNFCCC, ["JPN"], "iron_steel_fuel").dropna()
    assert parts["Iron and steel: fuel"] == pytest.approx(fuel.to_numpy().tolist())
    # India is not an Annex I party: the inventories have no value for it, and it is offered no longer.
    at = run("pages/countries.py", sector="iron_steel", industry_source=UNFCCC, countries="JPN,IND")
    assert at.multiselect(key="countries").value == ["JPN"]
    assert [w.value for w in at.warning] == [
        markdown_text("Ignored 'India' in countries from the link: not available here.")
    ]


def test_progress_includes_the_industry_rows_of_the_scoreboard(ds):
    at = run("pages/progress.py", sectors="heavy_industry,iron_steel", areas="groups_members")
    assert at.multiselect(key="sectors").value == ["heavy_industry", "iron_steel"]
    assert at.selectbox(key="industry_source").value == CLIMATE_TRACE_SUBSECTORS
    table = at.dataframe[0].value
    line = next(c.value for c in at.caption if c.value.startswith("Source"))
    assert line.startswith(f"Sources: {SOURCE_LABELS['edgar']} (licence: ")
    assert f"; {SOURCE_LABELS[CLIMATE_TRACE_SUBSECTORS]} (licence: CC BY 4.0)" in line
    steel = table[table["Sector code"] == "iron_steel"]
    assert len(steel) and set(steel["Source"]) == {SOURCE_LABELS[CLIMATE_TRACE_SUBSECTORS]}
    assert set(table.loc[table["Sector code"] == "heavy_industry", "Source"]) == {SOURCE_LABELS["edgar"]}
    board = scoreboard(ds, sources=[CLIMATE_TRACE_SUBSECTORS], members=area_set(ds, "members"))
    expected = board[board["sector"] == "iron_steel"].set_index("iso3")
    for _, row in steel.iterrows():
        want = expected.loc[row["Code"]]
        assert row["Status"] == want["status"] and row["Latest value"] == pytest.approx(want["latest_value"])
    members = series(ds, CLIMATE_TRACE_SUBSECTORS, area_set(ds, "members"), "iron_steel").dropna()
    group = steel.set_index("Code").loc["members"]
    assert group["Latest year"] == int(members.index.max())
    assert group["Latest value"] == pytest.approx(float(members.iloc[-1]))


def test_progress_without_an_industry_has_no_industry_source_control(ds):
    at = run("pages/progress.py", sectors="heavy_industry")
    assert not [s for s in at.selectbox if s.key == "industry_source"]
