"""Presentation mode as the audience and the presenter meet it, in the real browser (issue 11 item 5, issue 14):
at a laptop's 1280x800 and a projector's 1920x1080 the slide and its navigation fit the window without scrolling,
nothing but the slide is in view (no editor, leave link or page footer), the chart shows the app's own background
in dark mode, the milestone labels are projector-sized; on a phone the chart is on the first screen; "Apply to
the deck" returns to the slide; the storyline survives leaving presentation mode and coming back. Screenshots in
artifacts/journeys/present/ to look at.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from PIL import Image

from conftest import ARTIFACTS
from decarb.contract import MILESTONE_KINDS

from .layout import Box, chart_problems
from .test_screens import settle

pytestmark = pytest.mark.browser

SHOTS = ARTIFACTS / "journeys" / "present"
ROOMS = {"1280x800": (1280, 800), "1920x1080": (1920, 1080)}
LABEL_PX = 16  # a milestone label read from the back of a room
PHONE_GAP_PX = 40  # at most between the headline's label and the plot on a phone (was 112 px)
SIZES = {**ROOMS, "390x844": (390, 844)}

# Boxes of what the audience must see whole, what it must not see, and the slide chart's label sizes.
SLIDE = """(words) => {
    const box = el => { if (!el) return null; const r = el.getBoundingClientRect();
                        return r.width && r.height ? [r.left, r.top, r.right, r.bottom] : null; };
    const button = name => Array.from(document.querySelectorAll('button'))
        .find(b => b.innerText.trim().startsWith(name));
    const gd = document.querySelector('.st-key-slide_chart .js-plotly-plot');
    const seen = el => el !== null && el.checkVisibility() && el.getBoundingClientRect().height > 0;
    return {
        parts: {slide: box(document.querySelector('.st-key-present_slide')),
                title: box(document.querySelector('.slide-title')),
                source: box(document.querySelector('.slide-source')),
                chart: box(gd && gd.querySelector('.main-svg')), plot: box(gd && gd.querySelector('.nsewdrag')),
                previous: box(button('Previous')), next: box(button('Next')),
                number: box(document.querySelector('.slide-number'))},
        label: box(document.querySelector('.slide-label')),
        hidden: {editor: seen(document.querySelector('[data-testid="stForm"]')),
                 downloads: seen(document.querySelector('[data-testid="stDownloadButton"]')),
                 leave: Array.from(document.querySelectorAll('a')).some(a => a.innerText.includes('Leave presentation')
                                                                          && seen(a)),
                 footer: Array.from(document.querySelectorAll('[data-testid="stCaptionContainer"]')).some(seen),
                 sidebar: seen(document.querySelector('[data-testid="stSidebar"]'))},
        scroll: [document.documentElement.scrollHeight, document.documentElement.clientHeight,
                 document.querySelector('[data-testid="stMain"]').scrollHeight],
        labels: gd ? Array.from(gd.querySelectorAll('.annotation-text'))
                       .filter(a => words.includes(a.textContent.trim()))
                       .map(a => parseFloat(getComputedStyle(a).fontSize)) : [],
    };
}"""


def _open(browser, server: str, size: tuple[int, int], theme: str, query: str = "?slide=1"):
    page = browser.new_page()
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.emulate_media(color_scheme=theme)
    page.goto(f"{server}/present{query}")
    page.wait_for_selector('[data-testid="stAppViewContainer"]', timeout=60_000)
    settle(page, 1)
    return page


def _seen(page) -> dict:
    return page.evaluate(SLIDE, list(MILESTONE_KINDS.values()))


def _fits(seen: dict, width: int, height: int) -> list[str]:
    viewport = Box(0, 0, width, height)
    problems = [f"{name} missing" for name, box in seen["parts"].items() if box is None]
    problems += [
        f"{name} outside the window: {box}"
        for name, box in seen["parts"].items()
        if box is not None and not Box(*box).inside(viewport)
    ]
    document, window, main = seen["scroll"]
    if max(document, main) > window + 1:
        problems.append(f"the page scrolls: {max(document, main)} px in a {window} px window")
    return problems


def _pixel(path, x: float, y: float) -> tuple[int, ...]:
    with Image.open(path) as image:
        return image.convert("RGB").getpixel((int(x), int(y)))


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("size", ROOMS)
def test_the_audience_sees_the_whole_slide_and_only_the_slide(server, browser, size, theme):
    width, height = ROOMS[size]
    page = _open(browser, server, ROOMS[size], theme)
    try:
        SHOTS.mkdir(parents=True, exist_ok=True)
        shot = SHOTS / f"{size}-{theme}.png"
        page.screenshot(path=str(shot))
        seen = _seen(page)
        assert _fits(seen, width, height) == []
        assert [name for name, shown in seen["hidden"].items() if shown] == []
        assert len(seen["labels"]) >= 5 and min(seen["labels"]) >= LABEL_PX, seen["labels"]
        # The chart's paper is the app's background (it was a white box on the dark theme): the top-left corner
        # of the chart, left of the plot and above the labels, has the colour of the page's margin.
        chart = Box(*seen["parts"]["chart"])
        assert _pixel(shot, chart.left + 4, chart.top + 4) == _pixel(shot, 8, height - 4)
        if theme == "dark":
            assert sum(_pixel(shot, chart.left + 4, chart.top + 4)) < 3 * 80  # dark, not white
    finally:
        page.close()


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_on_a_phone_the_chart_is_on_the_first_screen(server, browser, theme):
    page = _open(browser, server, (390, 844), theme)
    try:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"390x844-{theme}.png"))
        seen = _seen(page)
        plot = seen["parts"]["plot"]
        assert plot and Box(*plot).inside(Box(0, 0, 390, 844)), plot
        # No empty band for the (hidden) milestone labels between the headline and the plot: it took 112 px of
        # the first screen; and the plot is most of the screen's width and a readable height.
        slide, label, plot = Box(*seen["parts"]["slide"]), Box(*seen["label"]), Box(*plot)
        assert plot.top - label.bottom <= PHONE_GAP_PX, (label, plot)
        assert slide.right - slide.left >= 0.9 * 390 and plot.bottom - plot.top >= 0.4 * 844, (slide, plot)
        # Labels spaced for a room's plot would pile up on a phone: they are named under the chart instead.
        words = page.locator(".slide-milestones")
        assert words.is_visible() and words.inner_text().startswith("LeadIT milestones: ")
    finally:
        page.close()


@pytest.mark.parametrize("size", ["1920x1080", "1280x800", "390x844"])
def test_the_presenter_tools_keep_a_readable_slide(server, browser, size):
    """With the tools open the slide was 62% of the window's height (a 164 px plot at 1280x800): it keeps the
    window's width and, in a room, all of its height but the downloads row, whose top shows below it."""
    width, height = SIZES[size]
    page = _open(browser, server, (width, height), "light")
    try:
        page.get_by_text("Presenter tools").click()
        page.wait_for_selector('[data-testid="stForm"]', timeout=60_000)
        settle(page, 1)
        page.evaluate("window.scrollTo(0, 0); document.querySelector('[data-testid=\"stMain\"]').scrollTo(0, 0)")
        page.wait_for_timeout(300)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{size}-tools.png"))
        parts = _seen(page)["parts"]
        slide, plot = Box(*parts["slide"]), Box(*parts["plot"])
        assert slide.right - slide.left >= 0.9 * width, slide
        if width > 640:  # a room: the whole slide and the top of the tools in the window
            assert slide.bottom - slide.top >= 0.85 * height and slide.bottom <= height, slide
            assert plot.bottom - plot.top >= 0.45 * height, plot
            downloads = page.locator('[data-testid="stDownloadButton"]').first.bounding_box()
            assert downloads and downloads["y"] < height, downloads
        else:  # a phone: the slide as the audience sees it, the tools below it
            assert plot.bottom - plot.top >= 0.4 * height and plot.top < height, plot
        # Every button label whole: in quarter-width columns they read "Download PowerPoint (.pptx, editable char…"
        cut = page.evaluate(
            """() => Array.from(document.querySelectorAll('[data-testid="stDownloadButton"] button *'))
                .filter(el => el.scrollWidth > el.clientWidth + 1).map(el => el.textContent)"""
        )
        assert cut == [], cut
    finally:
        page.close()


def test_apply_to_the_deck_returns_to_the_slide(server, browser):
    width, height = ROOMS["1280x800"]
    page = _open(browser, server, ROOMS["1280x800"], "light")
    try:
        page.get_by_text("Presenter tools").click()
        page.wait_for_selector('[data-testid="stForm"]', timeout=60_000)
        page.get_by_text("Leave presentation mode").wait_for(timeout=60_000)
        assert _seen(page)["hidden"]["editor"] and _seen(page)["hidden"]["leave"]
        page.get_by_role("button", name="Apply to the deck").click()
        page.wait_for_selector('[data-testid="stForm"]', state="detached", timeout=60_000)
        settle(page, 1)
        seen = _seen(page)
        assert _fits(seen, width, height) == []
        assert [name for name, shown in seen["hidden"].items() if shown] == []
    finally:
        page.close()


def test_the_storyline_survives_leaving_presentation_mode_and_coming_back(server, browser):
    """Issue 11 item 1: the edited storyline (in the link) was lost after "Leave presentation mode"."""
    page = _open(
        browser, server, ROOMS["1280x800"], "light", "?slides=targets,cement&title_cement=Cement%20and%20us&slide=2"
    )
    try:
        assert page.locator(".slide-title").inner_text() == "Cement and us"
        page.get_by_text("Presenter tools").click()
        page.get_by_text("Leave presentation mode").click()
        page.wait_for_url(lambda url: "/present" not in url, timeout=60_000)
        settle(page, 1)
        page.locator('[data-testid="stSidebarNav"] a').filter(has_text="Present").first.click()
        page.wait_for_url("**/present*", timeout=60_000)
        settle(page, 1)
        page.wait_for_function("location.search.includes('slides=')", timeout=30_000)
        assert page.locator(".slide-title").inner_text() == "Cement and us"
        assert page.locator(".slide-number").inner_text() == "2 / 2"
        params = parse_qs(urlparse(page.url).query)
        assert params["slides"] == ["targets,cement"] and params["title_cement"] == ["Cement and us"]
        assert params["slide"] == ["2"]
    finally:
        page.close()


def _slide(page, number: int, count: int, button: str) -> None:
    page.get_by_role("button", name=button).click()
    page.wait_for_function(
        f"document.querySelector('.slide-number').innerText === '{number} / {count}'", timeout=30_000
    )
    settle(page, 1)


def test_every_slide_fits_a_laptop_with_nothing_else_in_view_and_a_phone(server, browser):
    """The tightest room (1280x800), every slide of the default storyline reached with Next (slides differ in
    their source lines, legends and labels); then back through them on a phone (390x844), where a room's axis
    title and legend entries ran past the chart's right edge (the rate slide's x axis title was cut)."""
    width, height = ROOMS["1280x800"]
    page = _open(browser, server, ROOMS["1280x800"], "light")
    try:
        count = int(page.locator(".slide-number").inner_text().split("/")[1])
        for number in range(1, count + 1):
            if number > 1:
                _slide(page, number, count, "Next")
            seen = _seen(page)
            assert _fits(seen, width, height) == [], number
            assert [name for name, shown in seen["hidden"].items() if shown] == [], number
            page.screenshot(path=str(SHOTS / f"1280x800-slide-{number}.png"))
        page.set_viewport_size({"width": SIZES["390x844"][0], "height": SIZES["390x844"][1]})
        page.wait_for_timeout(500)  # plotly redraws the chart in its new width
        problems = []
        for number in range(count, 0, -1):
            if number < count:
                _slide(page, number, count, "Previous")
            page.locator(".st-key-slide_chart").scroll_into_view_if_needed()
            page.screenshot(path=str(SHOTS / f"390x844-slide-{number}.png"))
            problems += [f"slide {number}: {p}" for p in chart_problems(page)]
        assert problems == [], "\n".join(problems)
    finally:
        page.close()
