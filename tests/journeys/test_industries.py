"""The Industries journey in the real browser: India's steel, then the sources compared for Sweden, and the CSV of
what is plotted checked against the raw files (Climate TRACE's tonnes, the inventory's kt)."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

from conftest import ARTIFACTS, ROOT
from decarb.contract import SOURCE_LABELS, UNFCCC
from etl import climate_trace_subsectors, climate_trace_v5, unfccc

from .layout import SIZES, chart_problems, raw_missing_words
from .test_screens import settle

pytestmark = pytest.mark.browser

RAW = ROOT / "data" / "raw"
SHOTS = ARTIFACTS / "journeys" / "industries"


def raw_trace_mt(iso3: str, subsector: str = "steel") -> dict[int, float]:
    """Climate TRACE's all-gases series for one area, per year, in Mt (the raw file is in tonnes); iron and steel is
    the v5.7.0 release's file (it replaced the late-2023 one)."""
    name = climate_trace_v5.FILE if subsector == "steel" else climate_trace_subsectors.file_of(subsector)
    frame = pd.read_csv(RAW / name)
    rows = frame[(frame["iso3_country"] == iso3) & (frame["gas"] == "co2e_100yr")]
    return {int(t[:4]): q / 1e6 for t, q in zip(rows["start_time"], rows["emissions_quantity"], strict=True)}


def raw_unfccc_mt(stem: str, party: str, category: str, column: str) -> float:
    """One cell of an inventory file (kt CO2e) in Mt."""
    payload = json.loads((RAW / unfccc.file_of(stem, "aggregate_ghgs")).read_text(encoding="utf-8"))
    ids = {c["name"]: c["id"] for c in payload["columns"]}
    entry = next(e for e in payload["data"] if e["name"] == party)
    row = next(r for r in entry["rows"] if r["name"].startswith(category + "  "))
    return next(c for c in row["cells"] if c["column"] == ids[column])["numberValue"] / 1e3


def assert_trace_equals_raw(csv: pd.DataFrame, iso3: str) -> None:
    """The Climate TRACE rows of a chart's CSV are the raw file's, but for its partial last year (dropped by rule)."""
    trace = csv[csv["source_label"].str.startswith("Climate TRACE")]
    shown, raw = dict(zip(trace["year"], trace["value"], strict=True)), raw_trace_mt(iso3)
    assert set(raw) - set(shown) == {max(raw)}
    assert shown == pytest.approx({year: value for year, value in raw.items() if year in shown})


def pick(page, control: str, option: str) -> None:
    page.locator('[data-testid="stSelectbox"]').filter(has_text=control).first.click()
    page.keyboard.type(option)
    page.get_by_role("option", name=option, exact=True).click()


def chart_csv(page, tmp_path, nth: int) -> pd.DataFrame:
    """The CSV of the nth chart's data table, as downloaded."""
    folded = page.locator('[data-testid="stExpander"]').filter(has_text="Data table and CSV").nth(nth)
    button = folded.get_by_role("button", name="Download CSV (the data plotted)")
    if not button.count():  # an open table stays open when the selection changes
        folded.locator("summary").click()
    button.first.wait_for(timeout=30_000)
    # A click during the run the opening started can name a download that run has replaced: wait for its end.
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=60_000)
    with page.expect_download() as download:
        button.first.click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    return pd.read_csv(io.BytesIO(path.read_bytes()))


def test_india_steel_then_sources_compared_for_sweden(server, browser, tmp_path):
    page = browser.new_page()
    try:
        page.set_viewport_size({"width": 1280, "height": 800})
        page.goto(f"{server}/industries")
        settle(page, 2)  # the members against the pathway, the countries ranked
        page.locator('[data-testid="stButtonGroup"] button').filter(has_text="Sources compared").click()
        page.wait_for_function("window.location.search.includes('show=sources')", timeout=30_000)
        settle(page, 2)
        pick(page, "Country", "India")  # the page's default (left out of the URL): picking it changes nothing
        page.get_by_text("sources compared").first.wait_for(timeout=60_000)
        settle(page, 2)
        text = page.locator('[data-testid="stMain"]').inner_text()
        assert "India: iron and steel, sources compared" in text
        assert f"No data for this country and industry in: {SOURCE_LABELS[UNFCCC]}" in text  # not Annex I
        india = chart_csv(page, tmp_path, 1)
        assert_trace_equals_raw(india, "IND")

        pick(page, "Country", "Sweden")
        page.wait_for_function("window.location.search.includes('area=SWE')", timeout=30_000)
        settle(page, 2)
        page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=30_000)
        sweden = chart_csv(page, tmp_path, 1)
        inventory = sweden[sweden["source_label"] == SOURCE_LABELS[UNFCCC]].set_index("year")["value"]
        column = "Last Inventory Year (2019)"
        expected = raw_unfccc_mt("1A2_manufacturing_industries", "Sweden", "1.A.2.a", column) + raw_unfccc_mt(
            "2C_metal_industry", "Sweden", "2.C.1", column
        )
        assert inventory.loc[2019] == pytest.approx(expected)
        assert_trace_equals_raw(sweden, "SWE")
        assert sweden["series"].str.startswith("Context, not the industry").any()  # EDGAR heavy industry
        assert page.locator('[data-testid="stException"]').count() == 0
    finally:
        page.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_sources_compared_as_seen(server, browser, size):
    width, height = SIZES[size]
    page = browser.new_page()
    try:
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{server}/industries?area=SWE&show=sources")
        page.wait_for_selector('[data-testid="stAppViewContainer"]', timeout=60_000)
        settle(page, 2)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"sources-{size}.png"))
        page.locator(".js-plotly-plot").nth(1).screenshot(path=str(SHOTS / f"sources-{size}-chart.png"))
        assert page.locator('[data-testid="stException"]').count() == 0
        assert [f"raw {w!r} shown" for w in raw_missing_words(page)] == []
        assert chart_problems(page) == []
        if width >= 1280:  # on a laptop and a projector the comparison fits: no sideways scroll to the differences
            grids = page.locator('[data-testid="stDataFrame"] .dvn-scroller')
            grids.last.wait_for(timeout=30_000)
            widths = grids.last.evaluate("e => [e.scrollWidth, e.clientWidth]")
            assert widths[0] <= widths[1], f"the comparison table scrolls sideways at {size}: {widths}"
    finally:
        page.close()


def test_india_iron_and_steel_on_the_countries_page(server, browser, tmp_path):
    """The Countries page with an industry (issue 12): EDGAR stays the global source, the sector choice offers
    iron and steel, Climate TRACE's sub-sectors answer it (said in words) and the CSV is the raw file's."""
    page = browser.new_page()
    try:
        page.set_viewport_size({"width": 1280, "height": 800})
        page.goto(f"{server}/countries?countries=IND")
        settle(page, 2)
        pick(page, "Sector", "Iron and steel")
        page.wait_for_function("window.location.search.includes('sector=iron_steel')", timeout=30_000)
        settle(page, 2)
        text = page.locator('[data-testid="stMain"]').inner_text()
        assert (
            f"{SOURCE_LABELS['edgar']} does not split heavy industry by industry: Iron and steel from "
            f"{SOURCE_LABELS['climate_trace_subsectors']}." in text
        )
        assert "Iron and steel: absolute" in text and "India: heavy industry by sector" in text
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "countries-india-iron-steel.png"), full_page=True)
        csv = chart_csv(page, tmp_path, 0)
        observed = csv[(csv["kind"] == "observed") & (csv["series"] == "India")]
        assert set(observed["source_label"]) == {SOURCE_LABELS["climate_trace_subsectors"]}
        assert_trace_equals_raw(observed, "IND")
        assert page.locator('[data-testid="stException"]').count() == 0
        assert [f"raw {w!r} shown" for w in raw_missing_words(page)] == []
    finally:
        page.close()
