"""The targets changed since the 2023 snapshot, in the real browser: an analyst on the Countries page scrolls to
the section, reads the dated headings and the summary, and downloads the table, members first. Screenshots at
a laptop's and a projector's size in artifacts/journeys/targets/ to look at."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from conftest import ARTIFACTS
from decarb.data import load_dataset
from decarb.targets import snapshot_dates, target_changes
from decarb.view import View, members_set

from .test_screens import settle

pytestmark = pytest.mark.browser

SHOTS = ARTIFACTS / "journeys" / "targets"


def test_the_changed_targets_are_dated_listed_members_first_and_downloadable(server, browser):
    ds = load_dataset(verify=False)
    earlier, newest = snapshot_dates(ds)
    expected = target_changes(ds, set(members_set(ds, View()).codes), {}).table
    page = browser.new_page()
    try:
        SHOTS.mkdir(parents=True, exist_ok=True)
        for width, height in ((1280, 800), (1920, 1080)):
            page.set_viewport_size({"width": width, "height": height})
            page.goto(f"{server}/countries")
            page.wait_for_selector('[data-testid="stAppViewContainer"]', timeout=60_000)
            settle(page, 1)
            heading = page.get_by_text(f"Targets changed since the {earlier} snapshot")
            heading.scroll_into_view_if_needed()
            assert heading.is_visible()
            assert page.get_by_text(f"Net-zero targets (Net Zero Tracker, end targets as of {newest})").count() == 1
            summary = page.get_by_text("are LeadIT members, listed first")
            assert summary.is_visible() and f"and the {newest} stocktake" in summary.inner_text()
            page.screenshot(path=str(SHOTS / f"countries-changes-{width}x{height}.png"))
        button = page.locator('[data-testid="stDownloadButton"]').last
        button.scroll_into_view_if_needed()
        with page.expect_download() as download:
            button.click()
        shown = pd.read_csv(io.BytesIO(Path(download.value.path()).read_bytes()), keep_default_na=False)
        assert len(shown) == len(expected)
        members = (shown["LeadIT member"] == "yes").tolist()
        assert members == sorted(members, reverse=True) and members[0]  # members first
        assert shown["Country"].tolist()[: sum(members)] == sorted(shown["Country"].tolist()[: sum(members)])
    finally:
        page.close()
