"""WCAG 2.2 AA on every registered page, as axe-core and the browser see it: light and dark, at a laptop's 1440 px and
a phone's 390 px. One tab per theme and width visits the pages in turn against the one test server; axe-core comes
bundled in axe-playwright-python (injected from the package's own file: nothing is fetched).

What axe cannot judge is asserted beside it on the same visit: the page's language, its own tab title (waited
for), headings in order, and every request loopback.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
WIDTHS = {"1440": (1440, 900), "390": (390, 844)}
THEMES = ("light", "dark")

# The page's run is over and every chart on it is drawn (the footer's rule is the last element a run draws; an
# element of the previous run not yet replaced is marked stale).
SETTLED = """() => !!document.querySelector('[data-testid="stMain"] hr') &&
    !document.querySelector('[data-testid="stStatusWidget"], [data-stale="true"]') &&
    Array.from(document.querySelectorAll('[data-testid="stPlotlyChart"]')).every(c => c.querySelector('.main-svg'))"""

# Heading levels of the main area in document order, and what the page tells assistive technology about itself.
PAGE_FACTS = """() => ({
    lang: document.documentElement.lang,
    title: document.title,
    headings: Array.from(document.querySelectorAll('[data-testid="stMain"] :is(h1, h2, h3, h4, h5, h6)'))
        .filter(h => h.getClientRects().length)
        .map(h => [Number(h.tagName[1]), h.textContent.trim().slice(0, 60)]),
})"""


# Each chart's title as the page shows it: the heading drawn above it (decarb.ui.widgets.heading_html), or on
# Present the slide's h1.
CHART_TITLES = """() => Array.from(document.querySelectorAll('[data-testid="stPlotlyChart"]')).map(chart => {
    const holder = chart.closest('[data-testid="stElementContainer"]');
    const head = holder && holder.previousElementSibling && holder.previousElementSibling.querySelector('.chart-title');
    return (head || document.querySelector('[data-testid="stMain"] h1')).textContent.trim();
})"""
FIGURE = re.compile(r'^figure "(.+)"')


def chart_problems(page, where: str) -> list[str]:
    """Every chart as a screen reader meets it (the browser's accessibility tree): a figure named by its title,
    then a description with a figure in it (decarb.describe; its wording is tested in tests/test_describe.py)."""
    problems = []
    for index, title in enumerate(page.evaluate(CHART_TITLES)):
        tree = page.locator('[data-testid="stPlotlyChart"]').nth(index).aria_snapshot()
        line = tree.splitlines()[0].removeprefix("- ")
        if line.startswith("'"):  # YAML's single quotes around a line with a quote in it
            line = line[1 : line.rindex("'")].replace("''", "'")
        match = FIGURE.match(line)
        name = match.group(1) if match else ""
        if not name.startswith(f"{title}. ") or not re.search(r"\d", name[len(title) :]):
            problems.append(f"{where}: chart {title!r} reads as {tree.splitlines()[0][:200]!r}")
    return problems


def registered_pages(entrypoint: Path = ROOT / "dashboard.py") -> dict[str, str]:
    """{url path served: page title} of every page the entrypoint registers with st.Page and shows in its
    navigation (the default page at ""; hidden redirect pages left out): pages added later are covered too."""
    pages: dict[str, str] = {}
    for node in ast.walk(ast.parse(entrypoint.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "Page"):
            continue
        kw = {k.arg: k.value.value for k in node.keywords if isinstance(k.value, ast.Constant)}
        if kw.get("visibility") == "hidden":
            continue
        pages["" if kw.get("default") else str(kw["url_path"])] = str(kw["title"])
    return pages


# To another page inside the app, as the browser's Back and Forward do (Streamlit follows popstate): a new page
# load would parse the 4.8 MB of plotly.js again on each of the 32 visits.
GO = """path => { history.pushState({}, '', '/' + path); dispatchEvent(new PopStateEvent('popstate', {state: {}})); }"""


def settle(page, title: str) -> None:
    page.wait_for_function("t => document.title.startsWith(t + ' - ')", arg=title, timeout=60_000)
    for _ in range(2):  # a finished run can start another
        page.wait_for_function(SETTLED, timeout=60_000)
        page.wait_for_timeout(300)


def heading_problems(headings: list[list]) -> list[str]:
    """A page starts with its one h1 and never skips a level going down (WCAG 1.3.1, 2.4.6)."""
    problems = []
    if not headings or headings[0][0] != 1:
        problems.append(f"first heading is not an h1: {headings[:1]}")
    if sum(1 for level, _ in headings if level == 1) > 1:
        problems.append("more than one h1")
    for (before, _), (level, text) in zip(headings, headings[1:], strict=False):
        if level > before + 1:
            problems.append(f"h{before} then h{level} ({text!r})")
    return problems


def test_the_registered_pages_are_read_from_the_entrypoint():
    pages = registered_pages()
    assert pages[""] == "Overview" and "overview" not in pages  # the default at /, its redirect hidden
    assert {"countries", "sectors", "progress", "members", "present", "data"} <= set(pages)


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_meets_wcag_22_aa(server, browser, theme, width):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    requests_before = len(browser.requests)
    page = browser.new_page()
    problems: list[str] = []
    try:
        page.set_viewport_size(dict(zip(("width", "height"), WIDTHS[width], strict=True)))
        page.emulate_media(color_scheme=theme)
        page.goto(server)
        for path, title in registered_pages().items():
            page.evaluate(GO, path)
            settle(page, title)
            where = f"/{path} ({theme}, {width} px)"
            assert page.locator('[data-testid="stException"]').count() == 0, where
            result = axe.run(page, options=AXE_OPTIONS)
            for violation in result.response["violations"]:
                for node in violation["nodes"]:
                    problems.append(
                        f"{where}: {violation['id']} ({violation['impact']}): {node['html'][:160]} -- "
                        f"{node.get('failureSummary', '').splitlines()[-1].strip()}"
                    )
            facts = page.evaluate(PAGE_FACTS)
            if facts["lang"] != "en":
                problems.append(f"{where}: <html lang={facts['lang']!r}>")
            problems += [f"{where}: {p}" for p in heading_problems(facts["headings"])]
            problems += chart_problems(page, where)
    finally:
        page.close()
    # axe runs from the package's own copy: the pages and it fetched nothing from anywhere but the server.
    urls = [urlparse(u) for u in browser.requests[requests_before:]]
    hosts = {u.hostname for u in urls if u.scheme in ("http", "https", "ws", "wss")}
    assert hosts <= {"127.0.0.1"}, hosts
    assert problems == [], "\n".join(problems)
