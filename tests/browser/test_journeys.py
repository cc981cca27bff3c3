"""A few real user journeys in chromium against the real server: pages, deep links, URL updates, CSV export."""

from __future__ import annotations

import io
from urllib.parse import urlparse

import pandas as pd
import pytest

from decarb import provenance
from decarb.contract import EDGAR
from decarb.data import read_manifest

from .conftest import ROOT, SCREENSHOTS, start_server, stop_server

pytestmark = pytest.mark.browser

# The default page (overview) lives at "/": its url_path is not served on its own.
PAGES = {"overview": 1, "countries": 1, "sectors": 3, "progress": 1, "members": 2, "data": 0}
FIGURE_DATA = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(gd => ({
    // _fullData: plotly's decoded copy (gd.data keeps numeric arrays base64-encoded)
    layout: {title: gd.layout.title?.text, yaxis: gd.layout.yaxis?.title?.text},
    data: gd._fullData.map(t => ({name: t.name, x: Array.from(t.x || t.locations || []),
                             y: Array.from(t.y || t.z || [])}))}))"""

# The source line each chart draws (its annotation starting "Source: ").
SOURCE_LINES = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(gd =>
    (gd.layout.annotations || []).map(a => a.text).find(t => t.startsWith('Source: ')))"""


def settle(page, charts: int) -> None:
    """Wait until the run is over and the charts are drawn (twice: a finished run can start another)."""
    for _ in range(2):
        if charts:
            page.wait_for_function(
                f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {charts}", timeout=60_000
            )
        else:
            page.wait_for_selector('[data-testid="stDataFrame"]', timeout=60_000)
        page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=60_000)
        page.wait_for_timeout(400)


def open_page(browser, url: str, charts: int = 1):
    page = browser.new_page()
    page.goto(url)
    page.wait_for_selector('[data-testid="stAppViewContainer"]', timeout=60_000)
    settle(page, charts)
    return page


@pytest.mark.parametrize(("slug", "charts"), PAGES.items())
def test_every_page_shows_its_charts(server, browser, slug, charts):
    page = open_page(browser, f"{server}/{'' if slug == 'overview' else slug}", charts)
    page.wait_for_timeout(500)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.get_by_text("Page not found").count() == 0
    assert page.locator(".js-plotly-plot").count() == charts
    assert page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').count() == 4  # global controls
    page.screenshot(path=str(SCREENSHOTS / f"{slug}.png"), full_page=True)
    page.close()


def test_the_tab_shows_our_icon_served_by_the_app_itself(server, browser):
    page = open_page(browser, f"{server}/members", charts=2)
    href = page.evaluate("() => document.querySelector('link[rel~=icon]')?.href")
    assert urlparse(href).path == "/app/static/favicon.png" and href.startswith(server)
    response = page.request.get(href)
    assert response.status == 200 and response.headers["content-type"] == "image/png"
    assert response.body() == (ROOT / "static" / "favicon.png").read_bytes()
    page.close()


def test_first_deep_link_after_a_server_start_runs_inside_the_entrypoint(server, browser, tmp_path):
    """The very first request to a fresh server is a deep link: it must still get the global controls.

    (Streamlit's legacy pages/ folder mode would run the page script alone; see ui.run_through_entrypoint.)
    """
    proc, fresh = start_server(ROOT / "dashboard.py", tmp_path / "fresh.log")
    try:
        page = open_page(browser, f"{fresh}/sectors?sector=industrial_processes&base=2010", charts=3)
        assert page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').count() == 4
        assert page.get_by_role("heading", name="Sectors").count() == 1
        assert "sector=industrial_processes" in page.url and "base=2010" in page.url
        assert page.locator('[data-testid="stException"]').count() == 0
        page.close()
    finally:
        stop_server(proc)


def test_deep_link_reproduces_a_view(server, browser):
    page = open_page(browser, f"{server}/countries?countries=SWE,IND&metric=per_capita&base=2010", charts=1)
    figure = page.evaluate(FIGURE_DATA)[0]
    names = [t["name"] for t in figure["data"]]
    assert "Sweden" in names and "India" in names  # both members: the entries do not repeat "(member)"
    assert "t CO2e per person" in figure["layout"]["yaxis"]
    pathway = next(t for t in figure["data"] if t["name"] == "Sweden - pathway to net zero")
    assert pathway["x"][0] == 2010
    base = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').nth(1)
    shown = base.inner_text() + " ".join(base.locator("input").evaluate_all("els => els.map(e => e.value)"))
    assert "2010" in shown
    page.screenshot(path=str(SCREENSHOTS / "countries-deep-link.png"), full_page=True)
    page.close()


def test_changing_a_control_updates_the_url(server, browser):
    page = open_page(browser, f"{server}/sectors", charts=3)
    page.locator('[data-testid="stSelectbox"]').filter(has_text="Sector").first.click()
    page.get_by_role("option", name="Industrial processes", exact=True).click()
    page.wait_for_function("window.location.search.includes('sector=industrial_processes')", timeout=30_000)
    settle(page, 3)
    figure = page.evaluate(FIGURE_DATA)[0]
    assert figure["layout"]["title"].replace("<b>", "").startswith("Industrial processes")
    page.close()


def test_chart_csv_equals_the_figure_data(server, browser, tmp_path):
    page = open_page(browser, f"{server}/", charts=1)
    page.locator('[data-testid="stExpander"] summary').filter(has_text="Data table and CSV").first.click()
    # Opening the table reruns the page; a click during a run can name a download the run has just replaced
    # (Streamlit drops the previous run's deferred downloads when a run starts), so wait for the run to end.
    settle(page, 1)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV (the data plotted)").first.click()
    path = tmp_path / "chart.csv"
    download.value.save_as(path)
    csv = pd.read_csv(io.BytesIO(path.read_bytes()))
    assert {"unit", "source_label", "licence"} <= set(csv.columns)
    # The Overview chart plots EDGAR: its CSV and the source line the browser draws name both its licences.
    edgar = provenance.licence_text(read_manifest(ROOT / "data" / "processed").sources[EDGAR].licence)
    assert set(csv["licence"]) == {edgar}
    source_line = " ".join(page.evaluate(SOURCE_LINES)[0].split("<br>"))  # a long source line wraps at spaces
    assert edgar in source_line and "CC BY-NC-ND 4.0" in source_line
    plotted = sorted(
        (x, round(y, 6)) for t in page.evaluate(FIGURE_DATA)[0]["data"] for x, y in zip(t["x"], t["y"], strict=True)
    )
    exported = sorted((int(x), round(y, 6)) for x, y in zip(csv["year"], csv["value"], strict=True))
    assert exported == plotted
    page.close()


def test_zz_no_request_left_the_machine(browser):
    hosts = {urlparse(url).hostname for url in browser.requests if urlparse(url).scheme in ("http", "https", "ws")}
    assert browser.requests, "no journey ran"
    assert hosts <= {"127.0.0.1", "localhost"}, hosts


# The colour an element's text shows: its colour made translucent by its opacity over the app's background.
SHOWN_COLOURS = """(selector) => {
  const rgb = s => s.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const bg = rgb(getComputedStyle(document.querySelector('[data-testid="stApp"]')).backgroundColor);
  const hex = c => '#' + c.map(v => Math.round(v).toString(16).padStart(2, '0')).join('');
  return Array.from(document.querySelectorAll(selector)).map(el => {
    const style = getComputedStyle(el), a = Number(style.opacity), fg = rgb(style.color);
    return [hex(fg.map((v, i) => a * v + (1 - a) * bg[i])), hex(bg)];
  });
}"""
CUT_OFF = """() => Array.from(document.querySelectorAll(
      '[data-testid="stMetricValue"], [data-testid="stMetricValue"] *, [data-testid="stMetricLabel"] *'))
    .filter(el => el.scrollWidth > el.clientWidth + 1).map(el => el.textContent)"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_both_themes_keep_text_readable_and_headline_numbers_whole(server, browser, scheme):
    from decarb.theme import contrast_ratio

    page = browser.new_page()
    try:
        page.set_viewport_size({"width": 1280, "height": 900})
        page.emulate_media(color_scheme=scheme)
        page.goto(f"{server}/")
        page.wait_for_selector('[data-testid="stMetricValue"]', timeout=60_000)
        settle(page, 1)
        (_, background), *_ = page.evaluate(SHOWN_COLOURS, '[data-testid="stMetricValue"]')
        assert (contrast_ratio(background, "#000000") < 2) == (scheme == "dark")  # the theme followed the system
        assert page.evaluate(CUT_OFF) == []  # no "14 count..." on a 1280-pixel projector
        page.screenshot(path=str(SCREENSHOTS / f"overview-{scheme}.png"))
        page.goto(f"{server}/present")
        settle(page, 1)
        for selector in (".slide-title", ".slide-subtitle", ".slide-source", '[data-testid="slide-headline"]'):
            for shown, behind in page.evaluate(SHOWN_COLOURS, selector):
                assert contrast_ratio(shown, behind) >= 4.5 if selector != '[data-testid="slide-headline"]' else 3.0, (
                    selector,
                    shown,
                    behind,
                )
    finally:
        page.close()
