"""Hostile links: 200+ random and adversarial query strings on every page, through the real entrypoint.

Whatever a pasted link holds (unknown keys, wrong types, huge values, markup, repeated keys), a page renders
without an exception, never renders the link's text as HTML, and says what it ignored.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT

pytestmark = pytest.mark.corpus  # hundreds of cases: in `make test`, not in `make test-fast`

ENTRYPOINT = str(ROOT / "dashboard.py")
PAGES_DIR = "pages"
PAGES = sorted(p.stem for p in (ROOT / PAGES_DIR).glob("*.py"))
KNOWN_KEYS = [
    "source",
    "base",
    "target",
    "members",
    "img",
    "countries",
    "sector",
    "metric",
    "rank_by",
    "compare",
    "sectors",
    "areas",
    "status",
    "slide",
    "slides",
    "title_pathway",
    "headline_movers",
    "title_targets",
    "industry",
    "show",
    "area",
    "gases",
    "industry_source",
    "milestones",
    "of",
]
MARKUP = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<b>bold</b>",
    "javascript:alert(1)",
    "<iframe src=//example.org>",
    "<svg onload=alert(1)>",
]
# Markdown Streamlit would render in a notice: a heading, links, an image (a request to another origin), LaTeX,
# coloured text and icons, bare addresses.
MARKDOWN = [
    "x\n\n# Figures withdrawn by the Ministry\n\n",
    "[Figures withdrawn](http://example.org/)",
    "![x](http://example.org/p.png)",
    "$\\href{http://example.org/t}{t}$",
    ":red[Withdrawn] :material/warning:",
    "www.example.org a@example.org",
    "**bold** `code` ~~x~~",
    "Withdrawn\n===",
]
ODD = [
    "",
    " ",
    "-1",
    "0",
    "1e308",
    "NaN",
    "inf",
    "9" * 5000,
    "SWE," * 400,
    ",,,",
    "swe",
    "'; DROP TABLE x; --",
    "../../etc/passwd",
    "%00",
    "\u202e\u0000",
    "=cmd|' /C calc'!A0",
    "{{7*7}}",
    "${jndi:ldap://x/a}",
    "2050.5",
    "edgar",
    "climate_trace",
    "2015",
    "SWE",
    "IND,DEU",
    "heavy_industry",
    "per_capita",
    "\U0001f525",
    "A" * 50_000,
]
NOTICE_LIMIT = 600  # characters of a notice's markdown, at most: link values are quoted cut short
PUNCTUATION = r"[!-/:-@\[-`{-~]"  # ASCII punctuation: each can start markdown unless escaped
IGNORED = "Ignored "  # how every link notice starts (decarb/params.py), unlike a page's standing warnings
SEED = 20261128
CASES_PER_PAGE = 30  # x 7 pages = 210 links, each page gets its own 30


def hostile_params(rng: random.Random) -> dict[str, str | list[str]]:
    """One random link: some known keys with odd or markup values, maybe unknown keys, maybe repeated keys."""
    params: dict[str, str | list[str]] = {}
    for key in rng.sample(KNOWN_KEYS, rng.randint(1, 4)):
        value = rng.choice(MARKUP + MARKDOWN + ODD)
        params[key] = [value, rng.choice(ODD)] if rng.random() < 0.2 else value
    if rng.random() < 0.5:
        params[rng.choice(["utm_source", "x", "<script>", "page", "a" * 300, "__proto__"])] = rng.choice(MARKUP + ODD)
    return params


def cases() -> list[tuple[str, int, dict]]:
    rng = random.Random(SEED)
    return [(page, i, hostile_params(rng)) for page in PAGES for i in range(CASES_PER_PAGE)]


def unescaped_markdown(body: str) -> list[str]:
    """What in a notice's markdown could still be read as markup: ASCII punctuation without its backslash, and
    the ':' '@' 'www.' of a bare address (GFM links them whatever the escapes) without a word joiner after."""
    rest = re.sub(r"\\" + PUNCTUATION, "", body)
    joined = body.replace("\\", "")
    return re.findall(PUNCTUATION, rest) + re.findall(r"(?i)[:@](?!\u2060)|www\.", joined)


def rendered_html(at: AppTest) -> list[str]:
    """Every text the page asked the browser to render as HTML (markdown with HTML allowed, st.html)."""
    texts = [el.proto.body for el in at.get("markdown") if getattr(el.proto, "allow_html", False)]
    return texts + [el.proto.body for el in at.get("html")]


def test_every_page_is_covered_by_the_corpus():
    assert len(PAGES) >= 6 and len(cases()) >= 200


@pytest.mark.parametrize("page, number, params", cases(), ids=lambda v: v if isinstance(v, str | int) else "")
def test_hostile_link(page, number, params):
    at = AppTest.from_file(ENTRYPOINT, default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(f"{PAGES_DIR}/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    for html in rendered_html(at):
        for payload in MARKUP:
            # A URL scheme is harmful only where it is a link's or an element's address, not as escaped text.
            found = f'="{payload}' in html if payload.startswith("javascript:") else payload in html
            assert not found, f"link text rendered as HTML: {payload!r}"
    free_text = page == "present" and (lambda key: key.startswith(("title_", "headline_")))  # titles are text
    # The Industries page's ranking (the view every hostile link gets) keeps the country for the other views.
    kept_for_later = page == "industries" and (lambda key: key == "area")
    never_valid = [
        k
        for k, v in params.items()
        if not (free_text and free_text(k))
        and not (kept_for_later and kept_for_later(k))
        and (k not in KNOWN_KEYS or any(m in (v if isinstance(v, str) else " ".join(v)) for m in MARKUP + MARKDOWN))
    ]
    for warning in at.warning:
        if warning.value.startswith(IGNORED):  # a notice quoting the link: short, and nothing in it is markdown
            assert len(warning.value) <= NOTICE_LIMIT, warning.value[:200]
            assert not unescaped_markdown(warning.value), warning.value
    if never_valid:  # a notice that says what was ignored; a page's standing warnings do not count
        notices = [w.value for w in at.warning if w.value.startswith(IGNORED)]
        assert notices, f"no notice for ignored {never_valid}: warnings were {[w.value for w in at.warning]}"


@pytest.fixture(scope="module", autouse=True)
def needs_data():
    if not (Path(ROOT) / "data" / "processed" / "manifest.json").exists():
        pytest.skip("processed data absent: `make test` builds it first")


def test_a_notice_quotes_a_link_value_on_one_short_line():
    from decarb.params import QUOTE_LIMIT, quote, quote_all

    assert quote("x\n\n# Withdrawn\u202e\x00") == "'x # Withdrawn'"  # no line breaks, control or bidi characters
    long = quote("A" * 50_000)
    assert len(long) == QUOTE_LIMIT + 2 and long.endswith("…'")
    assert quote_all([str(n) for n in range(9)]) == "'0', '1', '2', '3', '4' and 4 more"
