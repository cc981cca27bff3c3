"""Journeys across pages and sources in the real browser: what a person chose is still there when they come back,
and another source in the sidebar never empties a page into raw None/nan.

Known defects are strict xfails naming the issue item that fixes them (a fix then fails until the mark goes).
"""

from __future__ import annotations

import pytest

from .layout import raw_missing_words
from .test_screens import settle

pytestmark = pytest.mark.browser


TITLES = {"overview": "Overview", "countries": "Countries", "sectors": "Sectors"}  # as in the sidebar


def nav(page, slug: str, charts: int) -> None:
    """Switch page with the sidebar's navigation, as a person does (not by typing a URL)."""
    page.locator('[data-testid="stSidebarNav"] a').filter(has_text=TITLES[slug]).first.click()
    page.wait_for_url(f"**/{'' if slug == 'overview' else slug}*", timeout=60_000)
    settle(page, charts)


def test_countries_selection_survives_a_visit_to_sectors(server, browser):
    page = browser.new_page()
    try:
        page.set_viewport_size({"width": 1280, "height": 800})
        page.goto(f"{server}/countries?countries=IND&metric=per_capita")
        settle(page, 2)  # one country: its chart and its sector breakdown
        assert "countries=IND" in page.url and "metric=per_capita" in page.url
        nav(page, "sectors", 3)
        nav(page, "countries", 2)
        assert "countries=IND" in page.url and "metric=per_capita" in page.url
        chips = page.locator('[data-testid="stMultiSelect"] [data-tag]:visible')  # react-aria tags in 1.67
        assert chips.count() == 1 and "India" in chips.first.inner_text()
    finally:
        page.close()


def test_global_controls_survive_a_round_trip(server, browser):
    page = browser.new_page()
    try:
        page.set_viewport_size({"width": 1280, "height": 800})
        page.goto(f"{server}/?source=climate_trace&base=2016")
        settle(page, 1)
        nav(page, "sectors", 3)
        nav(page, "overview", 1)
        assert "source=climate_trace" in page.url and "base=2016" in page.url
        caption = page.locator('[data-testid="stMain"]').inner_text()
        assert "Emissions source: Climate TRACE" in caption and "2016" in caption
    finally:
        page.close()


@pytest.mark.parametrize(
    "source",
    [
        "edgar",
        "climate_trace",
        "owid",
    ],
)
def test_every_source_fills_the_overview_without_raw_missing_words(server, browser, source):
    page = browser.new_page()
    try:
        page.set_viewport_size({"width": 1280, "height": 800})
        page.goto(f"{server}/?source={source}")
        settle(page, 1)
        assert raw_missing_words(page) == []
        assert page.get_by_text("n/a", exact=False).count() == 0
    finally:
        page.close()
