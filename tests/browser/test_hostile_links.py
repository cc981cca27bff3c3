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


# Markdown a notice would render if it read a link's value as markdown: a heading, links, an image (a request to
# another origin), LaTeX, coloured text and an icon, bare addresses. Each short enough to be quoted whole.
MARKDOWN = {
    "heading": "x\n\n# Figures withdrawn by the Ministry\n",
    "link": "[Figures withdrawn](http://example.org/)",
    "image": "![x](http://example.org/p.png)",
    "latex": "$\\href{http://example.org/t}{t}$",
    "styled": ":red[Withdrawn] :material/warning:",
    "bare": "www.example.org a@example.org",
    "html": "<img src=http://example.org/h.png>",
}
BIG = "A" * 50_000  # a link can carry this much; a notice quotes the start of it
MARKDOWN_LINKS = [
    # show=sources draws the country and gases controls too: every key of the page is read from the link.
    (
        "industries",
        {
            "show": "sources",
            "industry": MARKDOWN["image"],
            "industry_source": MARKDOWN["latex"],
            "area": MARKDOWN["link"],
            "gases": MARKDOWN["styled"],
            "milestones": MARKDOWN["heading"],
            "source": MARKDOWN["bare"],
            "base": MARKDOWN["html"],
        },
    ),
    ("industries", {"show": MARKDOWN["heading"], "target": BIG, "members": MARKDOWN["image"]}),
    # An unknown key is quoted too; a slide title from the link is free text on the slide.
    ("present", {"title_" + MARKDOWN["link"]: "x", "title_pathway": MARKDOWN["image"]}),
]
NOTICE_ELEMENTS = """() => Array.from(document.querySelectorAll('[data-testid="stAlertContentWarning"]')).map(
    a => ({text: a.innerText.replaceAll('\\u2060', ''), tags: Array.from(a.querySelectorAll('*'), e => e.tagName)}))"""


def test_markdown_in_a_link_is_quoted_as_text(server, browser):
    """Notices quote a link's values as short literal text: nothing in them is a link, image, heading or formula,
    and the page asks no other origin for anything."""
    seen = len(browser.requests)
    quoted = []
    for slug, params in MARKDOWN_LINKS:
        page = open_page(browser, f"{server}/{slug}?{urlencode(params)}", charts=1)
        notices = page.evaluate(NOTICE_ELEMENTS)
        quoted += [n["text"] for n in notices]
        for notice in notices:
            assert set(notice["tags"]) <= {"DIV", "P"}, notice  # text in a paragraph, nothing else
            assert len(notice["text"]) < 300, notice["text"][:300]
        assert page.locator("main a[href*='example.org'], main img[src*='example.org']").count() == 0
        assert BIG[:100] not in page.locator("main").inner_text()
        page.close()
    text = "\n".join(quoted)
    for payload in MARKDOWN.values():
        assert f"'{' '.join(payload.split())}'" in text, f"{payload!r} not quoted as it is in {text}"
    assert f"'{BIG[:39]}…'" in text  # the start of a long value, cut with an ellipsis
    outside = [url for url in browser.requests[seen:] if not url.startswith((server, "data:", "blob:"))]
    assert not outside, outside
