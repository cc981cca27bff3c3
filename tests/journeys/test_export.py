"""The image a chart's modebar downloads keeps the figure's own title and subtitle (the page hides them and draws
its HTML heading instead, decarb.ui.widgets.heading_html): a slide made from it still says what it shows."""

from __future__ import annotations

import re

import pytest

from .test_screens import settle

pytestmark = pytest.mark.browser


def test_downloaded_image_keeps_title_and_subtitle(server, browser, tmp_path):
    page = browser.new_page()
    try:
        page.set_viewport_size({"width": 390, "height": 844})  # the page's narrowest heading
        page.goto(f"{server}/?img=svg")
        settle(page, 1)
        heading = page.locator(".chart-head").first
        assert heading.is_visible()
        title = heading.locator(".chart-title").inner_text()
        assert title.startswith("LeadIT members")
        assert page.locator(".js-plotly-plot .g-gtitle").first.is_hidden()  # not twice on screen
        page.locator(".js-plotly-plot").first.hover()
        with page.expect_download() as download:
            page.locator('.modebar-btn[data-title^="Download plot"]').first.click(force=True)
        path = tmp_path / "chart.svg"
        download.value.save_as(path)
        svg = path.read_text()
        texts = " ".join(re.sub(r"<[^>]+>", " ", t) for t in re.findall(r'class="g-gtitle".*?</g>', svg, re.S))
        words = re.sub(r"\s+", " ", texts)
        assert title.split()[0] in words and "pathway to net zero" in words, words[:200]
        assert "display: none" not in svg.split('class="g-gtitle"')[1][:200]
    finally:
        page.close()
