"""The Steel journey in the real browser at 1280x800: a country, then a member company, then Back to the country
with its link and figures restored; the capacity chart's CSV is GEM's raw plant file summed for the company."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest

from conftest import ARTIFACTS, ROOT
from decarb import steel

from .test_industries import chart_csv, pick
from .test_screens import settle

pytestmark = pytest.mark.browser

RAW = ROOT / "data" / "raw"
SHOTS = ARTIFACTS / "journeys" / "steel"
COMPANY = "thyssenkrupp"


def raw_company_capacity(company: str) -> dict[str, float]:
    """GEM's crude-steel capacity (Mt a year) of every plant the company owns or whose parent it is, by phase."""
    mapping = pd.read_csv(RAW / "leadit" / "leadit_company_gem_ids.csv", dtype=str)
    ids = set(mapping.loc[mapping["company"] == company, "gem_entity_id"])
    plants = pd.read_csv(RAW / "gem_steel" / "gist_plants_2025-03.csv", dtype=str)
    text = plants["owner-gem-id"].fillna("") + ";" + plants["parent-gem-id"].fillna("")
    rows = plants[[bool(ids & set(steel.gem_ids(t))) for t in text]]

    def total(*statuses: str) -> float:
        columns = [f"{s}-nominal-crude-steel-capacity-(ttpa)" for s in statuses]
        return float(sum(pd.to_numeric(rows[c], errors="coerce").fillna(0).sum() for c in columns if c in rows)) / 1e3

    return {"operating": total("operating", "operating-pre-retirement"), "pipeline": total("construction", "announced")}


def selected(page) -> str:
    return page.locator('[data-testid="stSelectbox"]').filter(has_text="Plants of").locator("input").input_value()


def link_of(page) -> str | None:
    return parse_qs(urlsplit(page.url).query).get("of", [None])[0]


def metric(page, label: str) -> str:
    tile = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    return tile.locator('[data-testid="stMetricValue"]').inner_text()


def test_country_then_company_then_back(server, browser, tmp_path):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page()
    try:
        page.set_viewport_size({"width": 1280, "height": 800})
        page.goto(f"{server}/steel?of=DEU")
        settle(page, 4)
        assert selected(page) == "Germany" and link_of(page) == "DEU"
        germany = metric(page, "Steel-making capacity operating")
        page.screenshot(path=str(SHOTS / "germany.png"))

        pick(page, "Plants of", f"Company: {COMPANY}")
        page.wait_for_function(f"window.location.search.includes('{COMPANY}')", timeout=30_000)
        settle(page, 3)  # a company has no intensity chart
        assert link_of(page) == f"company:{COMPANY}"
        page.screenshot(path=str(SHOTS / "company.png"))
        csv = chart_csv(page, tmp_path, 0)  # the capacity chart: exactly the bars drawn
        raw = raw_company_capacity(COMPANY)
        steel_rows = csv[csv["stage"] == "steel"]
        operating = steel_rows[steel_rows["status"].isin(steel.OPERATING_STATUSES)]["value"].sum()
        pipeline = steel_rows[steel_rows["status"].isin(steel.PIPELINE_STATUSES)]["value"].sum()
        assert (operating, pipeline) == (pytest.approx(raw["operating"]), pytest.approx(raw["pipeline"]))
        assert metric(page, "Steel-making capacity operating") == f"{raw['operating']:,.1f} Mt/yr"
        assert csv["source_label"].str.startswith("Global Energy Monitor").all()

        page.go_back()
        page.wait_for_function("window.location.search.includes('of=DEU')", timeout=30_000)
        settle(page, 4)
        assert selected(page) == "Germany"
        assert metric(page, "Steel-making capacity operating") == germany
        assert page.locator('[data-testid="stException"]').count() == 0
    finally:
        page.close()
