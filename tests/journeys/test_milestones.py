"""LeadIT's milestones on the time charts, in the real browser at a laptop's and a projector's size: the labels
render, sit inside their chart, and cover neither a title, a legend, the plot nor each other; the control hides
them. Screenshots in artifacts/journeys/milestones/ to look at.
"""

from __future__ import annotations

import pytest

from conftest import ARTIFACTS
from decarb.contract import MILESTONE_KINDS

from .layout import Box
from .test_screens import settle

pytestmark = pytest.mark.browser

SHOTS = ARTIFACTS / "journeys" / "milestones"
SIZES = {"1280x800": (1280, 800), "1920x1080": (1920, 1080)}
# page -> (charts on the page, title of the chart carrying the marks, as it starts)
PAGES = {
    "overview": (1, "LeadIT members' heavy-industry"),
    "sectors": (3, "Heavy industry: members, non-members"),
    "members": (2, "LeadIT members over time"),
    "present": (1, ""),
}
QUERIES = {"present": "?slide=1"}  # the pathway slide

# Per chart: title, and the boxes of its title, legend, plot area and every milestone label.
MARK_BOXES = r"""(words) => Array.from(document.querySelectorAll('.js-plotly-plot')).map((gd, index) => {
    const box = el => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
    const one = sel => { const el = gd.querySelector(sel); return el ? box(el) : null; };
    // a label is its kind's word, on the pages over its year ("Summit" then "2021")
    const labels = Array.from(gd.querySelectorAll('.annotation'))
        .filter(a => words.some(w => a.textContent.trim().replace(/\d{4}$/, '') === w))
        .map(a => box(a.querySelector('.annotation-text') || a));
    return {index: index, title: (gd.layout.title && gd.layout.title.text) || '', svg: one('.main-svg'),
            title_box: one('.g-gtitle'), legend: one('.legend'), plot: one('.nsewdrag'), labels: labels};
})"""


def _open(browser, server: str, slug: str, size: str, query: str = ""):
    width, height = SIZES[size]
    page = browser.new_page()
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{server}/{'' if slug == 'overview' else slug}{query}")
    page.wait_for_selector('[data-testid="stAppViewContainer"]', timeout=60_000)
    settle(page, PAGES[slug][0])
    return page


def _marked_chart(page, title_start: str) -> dict:
    charts = [
        c
        for c in page.evaluate(MARK_BOXES, list(MILESTONE_KINDS.values()))
        if c["title"].replace("<b>", "").startswith(title_start)
    ]
    assert len(charts) == 1, f"expected one chart titled {title_start!r}, found {len(charts)}"
    return charts[0]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("slug", PAGES)
def test_milestone_labels_render_clear_of_title_legend_and_plot(server, browser, slug, size):
    page = _open(browser, server, slug, size, QUERIES.get(slug, ""))
    try:
        SHOTS.mkdir(parents=True, exist_ok=True)
        chart = _marked_chart(page, PAGES[slug][1])
        plot = page.locator(".js-plotly-plot").nth(chart["index"])
        plot.scroll_into_view_if_needed()
        plot.screenshot(path=str(SHOTS / f"{slug}-{size}.png"))
        chart = _marked_chart(page, PAGES[slug][1])  # boxes after scrolling
        labels = [Box(*b) for b in chart["labels"]]
        svg, title, legend, plot = (
            Box(*chart[k]) if chart[k] else None for k in ("svg", "title_box", "legend", "plot")
        )
        assert len(labels) >= 5, f"{slug}: only {len(labels)} milestone labels drawn"
        problems = []
        for i, label in enumerate(labels):
            if not label.inside(svg):
                problems.append(f"label {i} outside its chart")
            for name, other in (("title", title), ("legend", legend), ("plot", plot)):
                if other and label.overlaps(other):
                    problems.append(f"label {i} over the {name}")
            problems += [
                f"labels {i} and {j} overlap" for j, other in enumerate(labels[i + 1 :], i + 1) if label.overlaps(other)
            ]
        assert not problems, f"{slug} at {size}: {problems}"
    finally:
        page.close()


def test_hidden_milestones_leave_no_label(server, browser):
    page = _open(browser, server, "overview", "1280x800", "?milestones=hide")
    try:
        assert _marked_chart(page, PAGES["overview"][1])["labels"] == []
    finally:
        page.close()


# The bottom of the x axis's tick labels of the first chart, as the page first shows it (before any scrolling).
X_TICKS_FOOT = """() => Math.max(...Array.from(document.querySelector('.js-plotly-plot').querySelectorAll(
    '.xtick text')).map(el => el.getBoundingClientRect().bottom))"""
# The app's stylesheet (sent with the footer, the page's last element) is in place: the figure's own title hidden.
STYLED = """() => { const t = document.querySelector('.js-plotly-plot .g-gtitle');
    return t !== null && getComputedStyle(t).display === 'none'; }"""


@pytest.mark.parametrize("size", SIZES)
def test_overview_chart_ends_inside_the_first_screen(server, browser, size):
    """Seven milestone labels stacked in seven rows pushed the Overview chart's foot below the fold at 1920x1080;
    in one row the whole chart (and its source line) is on the first screen. At 1280x800 with the sidebar open,
    the tiles in two rows pushed the x axis to 945 px: the chart from its title to the x axis's labels is on the
    first screen."""
    width, height = SIZES[size]
    page = _open(browser, server, "overview", size)
    try:
        page.wait_for_function(STYLED, timeout=30_000)
        page.wait_for_timeout(300)  # plotly redraws the chart in its new width
        chart = _marked_chart(page, PAGES["overview"][1])
        if size == "1920x1080":
            assert chart["svg"][3] <= height, f"the chart ends at {chart['svg'][3]:.0f} px"
        ticks = page.evaluate(X_TICKS_FOOT)
        assert ticks <= height, f"the x axis's labels end at {ticks:.0f} px, below the {height} px screen"
        assert chart["svg"][2] <= width
        rows = {round(label[1]) for label in chart["labels"]}
        assert len(rows) == 1, f"labels in {len(rows)} rows"
    finally:
        page.close()
