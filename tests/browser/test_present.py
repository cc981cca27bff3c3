"""Presentation mode and the offline HTML deck in chromium: every slide from a deep link, keyboard and buttons
moving through the deck with the slide number in the URL, the PowerPoint download, and the HTML deck rendering
every chart with every network request blocked. Screenshots go to artifacts/screenshots/present-*.png."""

from __future__ import annotations

import sys
from urllib.parse import parse_qs, urlparse

import numpy as np
import pytest
from pptx import Presentation

from decarb import storyline as sl
from decarb.briefing import build_deck
from decarb.briefing import slides as sp
from decarb.briefing.html import deck_html
from decarb.data import load_dataset
from decarb.view import View

from .conftest import SCREENSHOTS

pytestmark = pytest.mark.browser
SLIDE_VIEWPORT = {"width": 1600, "height": 900}  # a projector
TRACES = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).filter(gd => gd.offsetParent !== null)
    .map(gd => gd.data.map(t => ({name: t.name, x: Array.from(t.x || []), y: Array.from(t.y || [])})))"""


@pytest.fixture(scope="module")
def deck():
    return build_deck(load_dataset(verify=False), View())


def open_slide(browser, url: str):
    page = browser.new_page()
    page.set_viewport_size(SLIDE_VIEWPORT)
    page.goto(url)
    page.wait_for_selector('[data-testid="stAppViewContainer"]', timeout=60_000)
    page.wait_for_selector(".slide-title", timeout=60_000)
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length >= 1", timeout=60_000)
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=60_000)
    return page


def assert_plots(traces: list[dict], slide: sp.Slide) -> None:
    assert [t["name"] for t in traces] == [s.name for s in slide.series]
    for trace, spec in zip(traces, slide.series, strict=True):
        values = trace["x"] if slide.kind == sp.BARS else trace["y"]
        got = np.array([np.nan if v is None else v for v in values], dtype=float)
        np.testing.assert_allclose(got, sp.plotted_values(spec), rtol=1e-9)


@pytest.mark.parametrize("number", range(1, len(sl.SLIDE_KEYS) + 1))
def test_deep_link_shows_the_slide(server, browser, deck, number):
    page = open_slide(browser, f"{server}/present?slide={number}")
    slide = deck.slides[number - 1]
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator(".slide-title").inner_text() == slide.title
    assert page.locator('[data-testid="slide-headline"]').inner_text() == slide.headline
    # Its colour is the slide's (the movers slide's rise in the warning colour, as in the deck and the HTML).
    colour = page.locator('[data-testid="slide-headline"]').evaluate("el => getComputedStyle(el).color")
    assert colour == "rgb({}, {}, {})".format(*(int(slide.headline_colour[i : i + 2], 16) for i in (1, 3, 5)))
    assert page.locator(".slide-source").inner_text() == slide.source_line
    assert page.locator(".slide-number").inner_text() == f"{number} / {len(deck.slides)}"
    assert not page.locator('[data-testid="stSidebar"]').is_visible()  # no controls in view
    assert_plots(page.evaluate(TRACES)[0], slide)
    page.screenshot(path=str(SCREENSHOTS / f"present-{number}-{slide.key}.png"))
    page.close()


def test_keys_and_buttons_move_through_the_deck_with_the_number_in_the_url(server, browser, deck):
    page = open_slide(
        browser, f"{server}/present?slides=targets,cement,pathway&title_cement=Cement%20and%20us&base=2010"
    )
    assert page.locator(".slide-title").inner_text() == sl.DEFAULT_TITLES["targets"]
    page.locator(".slide-subtitle").click()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("new URLSearchParams(location.search).get('slide') === '2'", timeout=30_000)
    page.wait_for_function("document.querySelector('.slide-title').innerText === 'Cement and us'", timeout=30_000)
    page.get_by_role("button", name="Next").click()
    page.wait_for_function("new URLSearchParams(location.search).get('slide') === '3'", timeout=30_000)
    page.wait_for_function("document.querySelector('.slide-number').innerText === '3 / 3'", timeout=30_000)
    params = parse_qs(urlparse(page.url).query)
    assert params["slides"] == ["targets,cement,pathway"] and params["base"] == ["2010"]
    assert params["title_cement"] == ["Cement and us"]
    figure = page.evaluate(TRACES)[0]
    assert figure[1]["x"][0] == 2010  # the pathway starts in the base year of the link
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("new URLSearchParams(location.search).get('slide') === '2'", timeout=30_000)
    page.close()


def test_pptx_download_is_the_deck_of_the_view(server, browser, deck, tmp_path):
    page = open_slide(browser, f"{server}/present?slides=pathway,membership")
    page.get_by_text("Presenter tools").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download PowerPoint (.pptx, editable charts)").click()
    path = tmp_path / "deck.pptx"
    download.value.save_as(path)
    prs = Presentation(str(path))
    assert [s.shapes.title.text for s in list(prs.slides)[1:3]] == [
        sl.DEFAULT_TITLES["pathway"],
        sl.DEFAULT_TITLES["membership"],
    ]
    notes = prs.slides[1].notes_slide.notes_text_frame.text
    assert f"{urlparse(page.url).scheme}://{urlparse(page.url).netloc}/present?slides=pathway%2Cmembership" in notes
    page.close()


# The smallest font size (px) of any text shown on the current slide, HTML and the chart's SVG alike, and the
# chart's plot area (plotly's drag layer) as a share of the viewport.
LEGIBILITY = """() => {
  const slide = document.querySelector('.slide.current');
  let least = Infinity;
  const walker = document.createTreeWalker(slide, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.textContent.trim()) continue;
    const el = node.parentElement;
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height || getComputedStyle(el).visibility === 'hidden') continue;
    least = Math.min(least, parseFloat(getComputedStyle(el).fontSize));
  }
  const drag = slide.querySelector('.nsewdrag');
  const r = drag ? drag.getBoundingClientRect() : {width: 0, height: 0};
  return [least, r.width * r.height / (innerWidth * innerHeight)];
}"""


def test_offline_html_renders_every_chart_with_the_network_blocked(browser, deck, tmp_path):
    path = tmp_path / "deck.html"
    path.write_text(deck_html(deck), encoding="utf-8")
    page = browser.new_page()
    page.set_viewport_size(SLIDE_VIEWPORT)
    blocked: list[str] = []

    def block(route) -> None:  # the file itself may load; anything else is recorded and refused
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    page.route("**/*", block)
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.goto(path.as_uri())
    page.wait_for_function("window.slideCount !== undefined", timeout=30_000)
    assert page.evaluate("window.slideCount") == len(deck.slides) + 2  # the cover, the Sources slide
    page.screenshot(path=str(SCREENSHOTS / "present-html-1-cover.png"))
    for number, slide in enumerate(deck.slides, start=2):
        page.keyboard.press("ArrowRight")
        page.wait_for_function(f"location.hash === '#{number}'", timeout=10_000)
        page.wait_for_function(f"window.renderedCharts >= {number - 1}", timeout=30_000)
        current = page.locator(".slide.current")
        assert current.get_attribute("data-key") == slide.key
        assert current.locator(".chart .main-svg").count() >= 1
        assert_plots(page.evaluate(TRACES)[0], slide)
        smallest, plot = page.evaluate(LEGIBILITY)
        # As the PowerPoint deck: no text under 1.25% of the width (12 pt on a 13.3-inch slide).
        assert smallest >= max(12, round(SLIDE_VIEWPORT["width"] * 0.0125)) - 0.5, (slide.key, smallest)
        assert plot >= 0.3, (slide.key, plot)  # measured 35-54% at 1600x900
        sys.stdout.write(f"html slide {number} {slide.key}: smallest text {smallest:.0f} px, plot {plot:.0%}\n")
        page.screenshot(path=str(SCREENSHOTS / f"present-html-{number}-{slide.key}.png"))
    # The last slide: each source's full citation (the slides' footnotes give short names), as legible.
    page.keyboard.press("ArrowRight")
    page.wait_for_function(f"location.hash === '#{len(deck.slides) + 2}'", timeout=10_000)
    current = page.locator(".slide.current")
    assert current.get_attribute("aria-label") == "Sources"
    assert current.locator("li").count() == len(deck.sources)
    assert page.evaluate(LEGIBILITY)[0] >= max(12, round(SLIDE_VIEWPORT["width"] * 0.0125)) - 0.5
    page.screenshot(path=str(SCREENSHOTS / f"present-html-{len(deck.slides) + 2}-sources.png"))
    page.keyboard.press("Home")
    page.wait_for_function("location.hash === '#1'", timeout=10_000)
    page.goto(path.as_uri() + "#4")  # a slide number in the address opens that slide
    page.wait_for_function("document.querySelector('.slide.current').id === 'slide-4'", timeout=10_000)
    assert blocked == [] and errors == []
    page.close()
