"""Progress at a laptop's and a projector's size: the scoreboard fits its box (no sideways scrolling; the other
columns are in the detail view under it) and the status filter offers every status, each readable in full."""

from __future__ import annotations

import pytest

from decarb.metrics import STATUSES

from .test_screens import settle

pytestmark = pytest.mark.browser

# The data grid's scroller of each table on the page: how wide its content is against its box.
TABLE_WIDTHS = """() => Array.from(document.querySelectorAll('[data-testid="stDataFrame"] .dvn-scroller'))
    .map(el => [el.scrollWidth, el.clientWidth])"""
# The status filter's options: text and whether any is cut (wider than its button).
PILLS = """() => Array.from(document.querySelectorAll('[data-testid="stButtonGroup"] button'))
    .map(b => [b.innerText.trim(), b.scrollWidth > b.clientWidth + 1, b.getBoundingClientRect().right])"""


@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080)], ids=["1280x800", "1920x1080"])
def test_scoreboard_fits_and_every_status_is_offered(server, browser, size):
    page = browser.new_page()
    try:
        page.set_viewport_size({"width": size[0], "height": size[1]})
        page.goto(f"{server}/progress")
        settle(page, 1)
        widths = page.evaluate(TABLE_WIDTHS)
        assert widths, "no table drawn"
        content, box = widths[0]
        assert content <= box + 1, f"the scoreboard scrolls sideways: {content} px in {box} px"
        pills = page.evaluate(PILLS)
        assert [text for text, _, _ in pills] == list(STATUSES)
        assert [text for text, cut, right in pills if cut or right > size[0]] == []
        assert page.get_by_text("More columns: trend years").count() == 1  # the rest, in the detail view
    finally:
        page.close()
