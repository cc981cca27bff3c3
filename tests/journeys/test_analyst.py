"""An analyst's pages in the real browser (issue 11 items 4, 8, 9): a normalised chart starts at the base year and
names its unit once, the Progress table fits a projector without scrolling, and the method's headings never grow
larger below a smaller one. Screenshots of each part in artifacts/journeys/analyst/ to look at."""

from __future__ import annotations

import pytest

from conftest import ARTIFACTS
from decarb.screens.data import METHOD_LABEL

from .layout import chart_problems
from .test_screens import settle

pytestmark = pytest.mark.browser

SHOTS = ARTIFACTS / "journeys" / "analyst"
FIRST_CHART = """() => { const gd = document.querySelector('.js-plotly-plot');
    return {x: gd._fullLayout.xaxis.range, y: gd._fullLayout.yaxis.title.text,
            series: new Set(gd._fullData.filter(t => t.mode === 'lines').map(t => t.legendgroup)).size}; }"""
# The names written at the lines' ends (right of the plot), each whole inside the chart.
LINE_END_NAMES = """() => { const gd = document.querySelector('.js-plotly-plot');
    const svg = gd.querySelector('.main-svg').getBoundingClientRect();
    const plot = gd.querySelector('.nsewdrag').getBoundingClientRect();
    return Array.from(gd.querySelectorAll('.annotation-text')).map(el => el.getBoundingClientRect())
        .filter(r => r.left >= plot.right && r.top >= plot.top - 8 && r.bottom <= plot.bottom + 8
                     && r.right <= svg.right + 1).length; }"""
# The data grid's own scroller: wider or higher content than its box means the table scrolls inside itself.
GRID_SCROLL = """() => Array.from(document.querySelectorAll('[data-testid="stDataFrame"] .dvn-scroller')).map(
    el => ({wide: el.scrollWidth - el.clientWidth, high: el.scrollHeight - el.clientHeight}))"""
HEADINGS = """() => Array.from(document.querySelectorAll(
    '[data-testid="stMain"] h1, [data-testid="stMain"] h2, [data-testid="stMain"] h3, [data-testid="stMain"] h4'))
    .map(h => [Number(h.tagName[1]), h.textContent])"""


def open_page(browser, url: str, charts: int, theme: str = "light"):
    page = browser.new_page()
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.emulate_media(color_scheme=theme)
    page.goto(url)
    page.wait_for_selector('[data-testid="stAppViewContainer"]', timeout=60_000)
    settle(page, charts)
    return page


@pytest.mark.parametrize(
    ("metric", "axis"), [("per_capita", "Per capita (t CO2e per person)"), ("index", "Index (2010 = 100)")]
)
def test_a_normalised_chart_starts_at_the_base_year(server, browser, metric, axis):
    page = open_page(browser, f"{server}/countries?metric={metric}&base=2010", 1)
    try:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"countries-{metric}.png"))
        chart = page.evaluate(FIRST_CHART)
        assert chart["y"] == axis
        assert 2009 <= chart["x"][0] <= 2010  # the axis starts at the base year (plotly pads half a year at most)
        assert "from the base year 2010" in page.locator(".js-plotly-plot .g-gtitle").first.text_content()
        # On a phone: every country told apart by its name at its line's end, the y axis title whole, and a legend
        # that scrolls rather than one taller than the plot (ten entries dwarfed it).
        page.set_viewport_size({"width": 390, "height": 844})
        page.wait_for_timeout(500)  # plotly redraws the chart in its new width
        page.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / f"countries-{metric}-390x844.png"))
        assert chart_problems(page) == []
        ends = page.evaluate(LINE_END_NAMES)
        assert ends == chart["series"] > 6, (ends, chart["series"])
    finally:
        page.close()


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_progress_table_fits_a_projector_without_scrolling(server, browser, theme):
    page = open_page(browser, f"{server}/progress", 1, theme)
    try:
        page.locator('[data-testid="stDataFrame"]').first.scroll_into_view_if_needed()
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"progress-table-{theme}.png"))
        scroll = page.evaluate(GRID_SCROLL)
        assert scroll and all(s["wide"] <= 1 and s["high"] <= 1 for s in scroll), scroll
        assert page.get_by_text("How the status is decided").count() == 1
        assert not page.get_by_text("ratio = observed annual rate").first.is_visible()  # folded until opened
    finally:
        page.close()


def test_data_and_method_headings_never_grow_below_a_smaller_one(server, browser):
    page = open_page(browser, f"{server}/data", 0)
    try:
        page.get_by_text(METHOD_LABEL).click()  # the method is made when its expander opens
        page.get_by_text("Which numbers make a series").first.wait_for(timeout=30_000)
        headings = page.evaluate(HEADINGS)
        levels = [level for level, _ in headings]
        assert levels[0] == 1 and 1 not in levels[1:], headings
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), headings
        assert not [text for _, text in headings if "decarb" in text]
        page.get_by_text("Which numbers make a series").first.scroll_into_view_if_needed()
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "data-method.png"))
    finally:
        page.close()
