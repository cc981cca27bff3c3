"""A first-time analyst on Countries in dark mode, in the real browser: the stacked sectors each have their own
look, a confirmed join star is drawn filled (as the caption says), and typing "India" + Enter in the country
picker adds India alone. Screenshots in artifacts/journeys/first-time/ to look at."""

from __future__ import annotations

import pytest

from conftest import ARTIFACTS
from decarb import theme

from .test_analyst import open_page

pytestmark = pytest.mark.browser

SHOTS = ARTIFACTS / "journeys" / "first-time"
# Each stacked part's fill (colour and hatch) as plotly drew it, by the chart's title.
PART_LOOKS = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).filter(
    gd => gd._fullData.some(t => t.stackgroup)).map(gd => ({title: gd.layout.title.text, parts: gd._fullData.filter(
    t => t.stackgroup).map(t => [t.name, t.fillcolor, (t.fillpattern || {}).shape || ''])}))"""
# The fill of each drawn join star, from the SVG as painted (computed style), by its trace name.
STAR_FILLS = """() => Array.from(document.querySelectorAll('.js-plotly-plot .scatterlayer .trace')).flatMap(tr => {
    const d = tr.__data__ && tr.__data__[0] && tr.__data__[0].trace; if (!d || !String(d.name).startsWith('Joined'))
    return []; return Array.from(tr.querySelectorAll('path.point')).map(p => { const s = getComputedStyle(p);
    return {name: d.name, fill: s.fill, opacity: Number(s.fillOpacity)}; }); })"""


def _rgb(hex_colour: str) -> str:
    value = hex_colour.lstrip("#")
    return "rgb({}, {}, {})".format(*(int(value[i : i + 2], 16) for i in (0, 2, 4)))


def test_countries_in_dark_mode_parts_stars_and_the_picker(server, browser):
    page = open_page(browser, f"{server}/countries?countries=IND&sector=iron_steel", 2, theme="dark")
    try:
        page.set_viewport_size({"width": 1280, "height": 800})
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "countries-india-dark.png"), full_page=True)

        stacked = page.evaluate(PART_LOOKS)
        assert stacked and len(stacked[0]["parts"]) >= 7, stacked  # heavy industry by its seven industries
        looks = [(colour, hatch) for _, colour, hatch in stacked[0]["parts"]]
        assert len(set(looks)) == len(looks), stacked

        stars = page.evaluate(STAR_FILLS)
        confirmed = [s for s in stars if s["name"] == "Joined LeadIT (confirmed)"]
        assert confirmed, stars
        assert all(s["fill"] == _rgb(theme.JOIN_STAR) and s["opacity"] == 1 for s in confirmed), confirmed

        page.goto(f"{server}/countries?countries=SWE")
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
        page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=60_000)
        picker = page.locator('[data-testid="stMultiSelect"]').first
        picker.locator("input").click()
        page.keyboard.type("India")
        page.wait_for_timeout(300)
        page.screenshot(path=str(SHOTS / "picker-typed-india.png"))
        page.keyboard.press("Enter")
        page.keyboard.press("Escape")
        page.wait_for_function("window.location.search.includes('IND')", timeout=30_000)
        page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=60_000)
        chosen = picker.locator("[data-tag] [title]").all_inner_texts()
        assert [c.strip() for c in chosen] == ["Sweden", "India"], chosen
        page.screenshot(path=str(SHOTS / "picker-after-enter.png"))
    finally:
        page.close()
