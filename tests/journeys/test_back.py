"""Browser Back restores the view a person had (issue 11 item 1): the page's selections are in the URL
(decarb/ui/state.py), so Back after switching page shows the selections of the page left, and Back after changing
a selection shows the one before, in the widgets and the link alike.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from .test_round_trips import nav
from .test_screens import settle

pytestmark = pytest.mark.browser

SHOWN = """() => ({
    chips: Array.from(document.querySelectorAll('[data-testid="stMultiSelect"] [data-tag]'))
        .filter(e => e.checkVisibility()).map(e => e.innerText.trim()),
    selects: Object.fromEntries(Array.from(
        document.querySelectorAll('[data-testid="stMain"] [data-testid="stSelectbox"] input'))
        .map(i => [i.getAttribute('aria-label'), i.value])),
})"""


def _shown(page) -> dict:
    return page.evaluate(SHOWN)


def _params(page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def test_back_after_switching_page_and_after_changing_a_selection(server, browser):
    page = browser.new_page()
    try:
        page.set_viewport_size({"width": 1280, "height": 800})
        page.goto(f"{server}/countries?countries=IND")
        settle(page, 2)
        before = _shown(page)
        assert before["chips"] == ["India"] and before["selects"]["Metric"] == "Absolute"
        sector = before["selects"]["Sector"]
        page.locator('[data-testid="stSelectbox"]').filter(has_text="Metric").click()
        page.get_by_role("option", name="Per capita").click()
        page.wait_for_function("location.search.includes('metric=per_capita')", timeout=30_000)
        settle(page, 2)
        nav(page, "sectors", 3)

        page.go_back()  # to Countries as it was left: India, per capita, the same sector
        page.wait_for_url("**/countries?*", timeout=30_000)
        settle(page, 2)
        shown = _shown(page)
        assert shown["chips"] == ["India"]
        assert shown["selects"]["Metric"] == "Per capita" and shown["selects"]["Sector"] == sector
        assert _params(page) == {"countries": ["IND"], "metric": ["per_capita"]}  # sector=total was added here

        page.go_back()  # to before the metric was changed
        page.wait_for_function("!location.search.includes('metric=')", timeout=30_000)
        settle(page, 2)
        shown = _shown(page)
        assert shown["chips"] == ["India"]
        assert shown["selects"]["Metric"] == "Absolute" and shown["selects"]["Sector"] == sector
        assert _params(page) == {"countries": ["IND"]}

        page.go_forward()  # and forward again
        page.wait_for_function("location.search.includes('metric=per_capita')", timeout=30_000)
        settle(page, 2)
        assert _shown(page)["selects"]["Metric"] == "Per capita"
    finally:
        page.close()


def test_back_to_present_shows_the_storyline_and_slide_left(server, browser):
    page = browser.new_page()
    try:
        page.set_viewport_size({"width": 1280, "height": 800})
        page.goto(f"{server}/present?slides=cement,targets&slide=2")
        settle(page, 1)
        page.get_by_text("Presenter tools").click()
        page.get_by_text("Leave presentation mode").click()
        page.wait_for_url(lambda url: "/present" not in url, timeout=60_000)
        settle(page, 1)
        page.go_back()
        page.wait_for_url("**/present?*", timeout=30_000)
        settle(page, 1)
        assert page.locator(".slide-number").inner_text() == "2 / 2"
        assert _params(page)["slides"] == ["cement,targets"]
    finally:
        page.close()
