"""The pages' url paths are a public API (people bookmark and share them): each opens its page on the real server,
with the link's selection, and never Streamlit's "Page not found" dialog."""

from __future__ import annotations

import pytest

from .test_screens import settle

pytestmark = pytest.mark.browser


# Every text that said "not found" while the page loaded (the dialog can come and go with the next run).
WATCH_NOT_FOUND = """window.__notFound = []; new MutationObserver(() => {
    const text = document.body && document.body.innerText;
    if (text && /not found/i.test(text)) window.__notFound.push(text.match(/.{0,60}not found.{0,60}/i)[0]);
}).observe(document, {subtree: true, childList: true, characterData: true});"""


def test_overview_path_opens_the_overview_with_its_query(server, browser):
    warm = browser.new_page()  # a server's very first deep link runs the legacy pages/ mode, which hid the defect
    warm.goto(server)
    settle(warm, 1)
    warm.close()
    page = browser.new_page()
    try:
        page.set_viewport_size({"width": 1280, "height": 800})
        page.add_init_script(WATCH_NOT_FOUND)
        page.goto(f"{server}/overview?milestones=hide")
        page.wait_for_url(f"{server}/?*", timeout=60_000)  # the Overview is served at the root
        settle(page, 1)
        assert page.locator("h1").first.inner_text() == "LeadIT at a glance"
        assert "milestones=hide" in page.url  # the link's selection is kept
        assert page.evaluate("window.__notFound") == []
        assert page.locator('[data-testid="stSidebarNav"] a').filter(has_text="Overview").count() == 1
        hidden = page.locator('[data-testid="stSidebar"] [data-testid="stRadio"]').filter(has_text="Hidden")
        assert hidden.locator("input:checked").count() == 1, "the milestones control lost the link's value"
    finally:
        page.close()
