"""Every page at the three sizes people meet it at (projector 1920x1080, laptop 1280x800, phone 390x844), light and
dark, against the real server: screenshots in artifacts/journeys/<size>-<theme>/ to look at, and what can be
asserted about them (no error, no legend over a title or plot, no title wider than its chart, no cut-off headline
number, no raw None/nan).

Known defects are listed in KNOWN with the issue item that fixes them; they are strict xfails, so a fix shows up
as a failure until its entry is removed.
"""

from __future__ import annotations

import pytest

from conftest import ARTIFACTS

from .layout import CUT_OFF_TEXT, HIDDEN_CHIPS, SIZES, THEMES, chart_problems, raw_missing_words, text_contrasts

pytestmark = pytest.mark.browser

SHOTS = ARTIFACTS / "journeys"
PAGES = {"overview": 1, "countries": 1, "sectors": 3, "steel": 4, "progress": 1, "members": 2, "present": 1, "data": 0}
MIN_CONTRAST = 4.5
MIN_TICK_PX = 14  # axis ticks readable on a projector (Streamlit's theme drew 12 px)
KNOWN: dict[tuple[str, str], str] = {}  # (page, size) -> the issue item that fixes it


def settle(page, charts: int) -> None:
    for _ in range(2):  # a finished run can start another
        if charts:
            page.wait_for_function(
                f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {charts}", timeout=60_000
            )
        else:
            page.wait_for_selector('[data-testid="stDataFrame"]', timeout=60_000)
        page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=60_000)
        page.wait_for_timeout(300)


def cases() -> list:
    out = []
    for slug in PAGES:
        for size in SIZES:
            for theme in THEMES:
                reason = KNOWN.get((slug, size))
                marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
                out.append(pytest.param(slug, size, theme, marks=marks, id=f"{slug}-{size}-{theme}"))
    return out


@pytest.mark.parametrize(("slug", "size", "theme"), cases())
def test_page_as_seen(server, browser, slug, size, theme):
    width, height = SIZES[size]
    page = browser.new_page()
    try:
        page.set_viewport_size({"width": width, "height": height})
        page.emulate_media(color_scheme=theme)
        page.goto(f"{server}/{'' if slug == 'overview' else slug}")
        page.wait_for_selector('[data-testid="stAppViewContainer"]', timeout=60_000)
        settle(page, PAGES[slug])
        folder = SHOTS / f"{size}-{theme}"
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"{slug}.png"))  # the first screen, as a person first sees it
        page.screenshot(path=str(folder / f"{slug}-full.png"), full_page=True)
        assert page.locator('[data-testid="stException"]').count() == 0
        problems = chart_problems(page)
        problems += [f"cut off: {t!r}" for t in page.evaluate(CUT_OFF_TEXT)]
        problems += [f"raw {w!r} shown" for w in raw_missing_words(page)]
        problems += [f"chips of {label!r} hidden past the box" for label in page.evaluate(HIDDEN_CHIPS)]
        # Issue 11 item 10: muted chart texts readable on a projector, in both themes (WCAG AA for small text),
        # no chart text smaller than the 12 px source line, and axis ticks at MIN_TICK_PX.
        problems += [
            f"{name}: {part} at {ratio}:1 contrast, {px:g} px"
            for name, part, ratio, px in text_contrasts(page)
            if ratio < MIN_CONTRAST or px < 12 or (part in ("tick", "ytick") and px < MIN_TICK_PX)
        ]
        assert problems == [], "\n".join(problems)
    finally:
        page.close()
