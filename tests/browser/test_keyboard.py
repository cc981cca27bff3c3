"""Keyboard only, against the real server: on every registered page Tab reaches every control, each stop shows a
focus ring, and Tab comes back round to the first stop (no trap); then one control of each kind is operated with
Enter, Space or the arrow keys (a global selectbox, the milestones radio, a status pill, a chart's table view and
its CSV download, Present's slides). Notices that change what a page shows are in live regions.
"""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest

from decarb.theme import BACKGROUNDS, FOCUS, contrast_ratio

from .test_accessibility import GO, registered_pages, settle

pytestmark = pytest.mark.browser

MAX_STOPS = 250
# An element's name as a person reads it: its first line of text, past the ligature names of Streamlit's icons
# ("keyboard_arrow_right" is the text of the expander's arrow).
SHOWN = """const shown = text => (text.trim().split('\\n').map(t => t.trim())
    .find(t => t && !/^[a-z]+(_[a-z]+)+$/.test(t)) || '').slice(0, 60);"""
# The focused element: what it is, and whether a ring at least 2 px wide is drawn around it.
FOCUSED = (
    """() => {
    """
    + SHOWN
    + """
    const a = document.activeElement;
    if (!a || a === document.body || a === document.documentElement) return null;
    const box = a.tagName === 'INPUT' && a.closest('.react-aria-ComboBox');  // a select's ring is round its box
    const s = getComputedStyle(box || a);
    const name = a.getAttribute('aria-label') || a.innerText || a.value || a.getAttribute('href') || a.tagName;
    const path = []; for (let e = a; e && e !== document.body; e = e.parentElement)
        path.unshift(e.tagName + ':' + Array.prototype.indexOf.call(e.parentElement.children, e));
    return {id: path.join('/'), name: shown(name), tag: a.tagName, grid: !!a.closest('[data-testid="stDataFrame"]'),
            ring: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2};
}"""
)
# Every control a person could reach, with its group: a radio group and a toolbar are one Tab stop (the arrow
# keys move inside them), so a group counts as reached when one of its members is.
TABBABLE = (
    """() => { """
    + SHOWN
    + """ return Array.from(document.querySelectorAll(
        'a[href], button:not([disabled]), input:not([disabled]), select, textarea, summary, [tabindex]'))
    .filter(e => e.tabIndex >= 0 && e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden')
    .filter(e => !(e.type === 'radio' && !e.checked))
    .map(e => {
        const group = e.closest('[role="toolbar"], [role="radiogroup"], [role="tablist"]');
        const name = e.getAttribute('aria-label') || e.innerText || e.value || e.tagName;
        return [shown(name), group ? group.getAttribute('aria-label') || 'group' : null];
    }); }"""
)


def walk(page) -> tuple[list[dict], list[str]]:
    """Tab from the top of the page until the focus comes back to the first stop; the stops and the problems."""
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    stops: list[dict] = []
    problems = []
    for _ in range(MAX_STOPS):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUSED)
        if stop is None:  # the focus left the page for the browser's own controls: the next Tab comes back
            continue
        if stops and stop["id"] == stops[0]["id"]:
            return stops, problems
        # Streamlit's data grid draws its focused cell on its canvas, not in CSS (docs/accessibility.md).
        if not stop["ring"] and not stop["grid"]:
            problems.append(f"no focus ring on {stop['tag']} {stop['name']!r}")
        stops.append(stop)
    problems.append(f"focus never came back round after {MAX_STOPS} stops: a trap near {stops[-1]['name']!r}")
    return stops, problems


def tab_to(page, name: str, limit: int = MAX_STOPS) -> None:
    """Tab until the focused element's name starts with `name` (Tab only: no click)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUSED)
        if stop and stop["name"].startswith(name):
            assert stop["ring"], f"no focus ring on {name!r}"
            return
    raise AssertionError(f"Tab never reached {name!r}")


def test_the_focus_ring_contrasts_with_both_backgrounds():
    assert all(contrast_ratio(FOCUS, bg) >= 3 for bg in BACKGROUNDS.values())  # WCAG 1.4.11


def test_every_page_by_keyboard_alone(server, browser, tmp_path):
    page = browser.new_page()
    problems: list[str] = []
    try:
        page.set_viewport_size({"width": 1440, "height": 900})
        page.goto(server)
        for path, title in registered_pages().items():
            page.evaluate(GO, path)
            settle(page, title)
            stops, found = walk(page)
            reached = {s["name"] for s in stops}
            controls = page.evaluate(TABBABLE)
            groups_reached = {group for name, group in controls if group and name in reached}
            missed = [name for name, group in controls if name not in reached and group not in groups_reached]
            problems += [f"/{path}: {p}" for p in found] + [f"/{path}: Tab never reaches {m!r}" for m in missed]
        assert problems == [], "\n".join(problems)

        # A global control: Base year, opened and changed with the arrow keys and Enter.
        page.evaluate(GO, "")
        settle(page, "Overview")
        page.evaluate("() => document.activeElement && document.activeElement.blur()")
        tab_to(page, "Base year")
        before = page.locator('[data-testid="stSidebar"] input[aria-label="Base year"]').input_value()
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")
        page.wait_for_function("() => new URLSearchParams(location.search).has('base')", timeout=30_000)
        settle(page, "Overview")
        after = page.locator('[data-testid="stSidebar"] input[aria-label="Base year"]').input_value()
        assert after != before and f"base={after}" in page.url

        # The milestones radio: the arrow keys move the choice.
        tab_to(page, "Help for LeadIT milestones")
        page.keyboard.press("Tab")
        page.keyboard.press("ArrowRight")
        page.wait_for_function("() => location.search.includes('milestones=hide')", timeout=30_000)
        settle(page, "Overview")

        # A chart's table view (Enter on its fold) and its CSV (Enter on the button).
        tab_to(page, "Data table and CSV of this chart")
        page.keyboard.press("Enter")
        page.wait_for_selector('[data-testid="stDataFrame"]', timeout=30_000)
        settle(page, "Overview")
        tab_to(page, "Download CSV (the data plotted)")
        with page.expect_download() as download:
            page.keyboard.press("Enter")
        csv = pd.read_csv(io.BytesIO(download.value.path().read_bytes()))
        assert {"series", "year", "value"} <= set(csv.columns) and len(csv) > 10

        # A status pill on Progress: Space takes "on track" out of the filter and puts it back.
        page.evaluate(GO, "progress")
        settle(page, "Progress")
        page.evaluate("() => document.activeElement && document.activeElement.blur()")
        tab_to(page, "on track")
        page.keyboard.press("ArrowRight")  # the pills are one toolbar: the arrows move between them
        assert page.evaluate(FOCUSED)["name"] == "off track"
        page.keyboard.press("ArrowLeft")
        page.keyboard.press("Space")
        page.wait_for_function("() => location.search.includes('status=')", timeout=30_000)
        settle(page, "Progress")
        assert page.get_by_role("button", name=re.compile("^on track$")).get_attribute("aria-pressed") == "false"

        # Present: Next by Enter, then the arrow keys through the slides and back.
        page.evaluate(GO, "present")
        settle(page, "Present")
        first = page.locator('[data-testid="stMain"] h1').first.inner_text()
        page.evaluate("() => document.activeElement && document.activeElement.blur()")
        tab_to(page, "Next")
        page.keyboard.press("Enter")
        page.wait_for_function("() => location.search.includes('slide=2')", timeout=30_000)
        settle(page, "Present")
        assert page.locator('[data-testid="stMain"] h1').first.inner_text() != first
        page.evaluate("() => document.activeElement && document.activeElement.blur()")
        page.keyboard.press("ArrowRight")
        page.wait_for_function("() => location.search.includes('slide=3')", timeout=30_000)
        settle(page, "Present")
        page.keyboard.press("ArrowLeft")  # one key a run: a key pressed while the slide reruns can be lost
        page.wait_for_function("() => location.search.includes('slide=2')", timeout=30_000)
        settle(page, "Present")
        page.keyboard.press("ArrowLeft")
        page.wait_for_function("() => !location.search.includes('slide=')", timeout=30_000)
        settle(page, "Present")
        assert page.locator('[data-testid="stMain"] h1').first.inner_text() == first
    finally:
        page.close()


def test_notices_that_change_the_page_are_announced(server, browser):
    """A source answering for another (role=status) and an ignored link value (Streamlit's warning, role=alert):
    live regions, which screen readers announce when they appear."""
    page = browser.new_page()
    try:
        page.goto(f"{server}/progress?sectors=iron_steel&nonsense=1")
        settle(page, "Progress")
        main = page.locator('[data-testid="stMain"]')
        statuses = [s.inner_text() for s in main.get_by_role("status").all()]
        alerts = [a.inner_text() for a in main.get_by_role("alert").all()]
        assert any("does not split heavy industry by industry: Iron and steel from" in s for s in statuses), statuses
        assert any("Ignored unknown link parameter 'nonsense'" in a for a in alerts), alerts
    finally:
        page.close()
