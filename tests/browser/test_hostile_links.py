"""A sample of hostile links in the real browser: nothing from the link runs or renders as markup."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from .test_journeys import open_page

pytestmark = pytest.mark.browser

# Payloads that would set window.__pwned if the page ever rendered them as HTML or ran them.
PROBES = [
    '<img src=x onerror="window.__pwned=1">',
    "<script>window.__pwned=1</script>",
    '"><svg onload="window.__pwned=1">',
    "javascript:window.__pwned=1",
]
LINKS = [
    ("countries", {"countries": PROBES[0], "metric": PROBES[1]}),
    ("sectors", {"sector": PROBES[2], "rank_by": "9" * 3000, "compare": "index"}),
    ("progress", {"status": PROBES[1], "areas": PROBES[3], "sectors": PROBES[0]}),
    ("members", {"members": PROBES[0], PROBES[1]: "x"}),
    ("data", {"source": PROBES[2], "base": "-1", "target": "1e308"}),
    ("present", {"slide": PROBES[1], "title_pathway": PROBES[0], "headline_movers": PROBES[2]}),
]


@pytest.mark.parametrize(("slug", "params"), LINKS, ids=[slug for slug, _ in LINKS])
def test_hostile_link_in_the_browser(server, browser, slug, params):
    page = open_page(browser, f"{server}/{slug}?{urlencode(params)}", charts=0 if slug == "data" else 1)
    assert page.evaluate("window.__pwned") is None, "markup from the link ran"
    assert page.locator('img[src="x"], svg[onload]').count() == 0, "markup from the link was rendered"
    assert page.locator('[data-testid="stException"]').count() == 0
    if slug != "present":  # on the present page a title or headline is free text, shown escaped
        notices = page.locator('[data-testid="stAlertContentWarning"]').filter(has_text="Ignored ")
        assert notices.count() >= 1, "no notice saying what was ignored"  # the Members page always has a warning
    page.close()
