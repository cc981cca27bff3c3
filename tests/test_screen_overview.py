"""Overview screen on the real processed data: every source fills it, a source without heavy industry shows the
sector it has, named, with the fallback said in words (issue 11 item 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from decarb import metrics
from decarb.contract import CEMENT, HEAVY_INDUSTRY
from decarb.render.draw import draw
from decarb.screens import overview as screen
from decarb.selection import area_set, panel, series
from decarb.ui.state import markdown_text
from decarb.view import View, members_set

ENTRYPOINT = str(Path(__file__).resolve().parent.parent / "dashboard.py")
RAW_MISSING = ("None", "nan", "n/a", "NaN")


def page_overview(ds, view: View) -> screen.Overview:
    """What the Overview page shows (pages/overview.py): the sector the source reports."""
    return screen.overview(ds, view, screen.page_sector(view.source))


def test_a_source_without_heavy_industry_shows_its_cement_figures(ds):
    view = View(source="owid")
    o = page_overview(ds, view)
    assert o.sector == CEMENT
    members = series(ds, "owid", members_set(ds, view), CEMENT)
    world = series(ds, "owid", area_set(ds, "world"), CEMENT)
    p = metrics.progress(members, target_year=2050, since_year=2015)
    assert (o.latest_year, o.members_value, o.unit) == (p["latest_year"], p["latest_value"], "Mt CO2")
    assert o.world_share_pct == pytest.approx(100 * members[o.latest_year] / world[o.latest_year])
    assert o.change_pct == pytest.approx(p["change_since_pct"])
    assert "Our World in Data reports no heavy-industry total" in o.sector_note and "cement" in o.sector_note
    assert o.assessed > 0 and "cement (process CO2)" in draw(o.chart).fig.layout.title.text


@pytest.mark.parametrize("source", ["edgar", "climate_trace", "owid"])
def test_every_source_fills_every_headline(ds, source):
    view = View(source=source)
    o = page_overview(ds, view)
    for label, value, help_text in screen.overview_headlines(o, view):
        text = f"{label} {value} {help_text}"
        assert not any(word in text.split() for word in RAW_MISSING), text
        assert value != "no value", label
    assert o.chart.data["value"].notna().all() and len(draw(o.chart).fig.data) == 3  # observed, pathway, trend
    assert (o.sector == HEAVY_INDUSTRY) == (source != "owid") and (o.sector_note == "") == (source != "owid")


def test_the_members_line_starts_where_every_member_country_is_reported(ds):
    view = View(source="owid")
    o = page_overview(ds, view)
    table = panel(ds, "owid", CEMENT).reindex(list(members_set(ds, view).codes)).dropna(how="all")
    whole = max(int(row.first_valid_index()) for _, row in table.iterrows())
    observed = o.chart.data[o.chart.data["kind"] == "observed"]
    assert int(observed["year"].min()) >= whole
    first = int(observed["year"].min())
    assert f"from {first}, the first year Our World in Data reports every member country" in (
        draw(o.chart).fig.layout.title.subtitle.text.replace("<br>", " ")
    )
    edgar = page_overview(ds, View())  # EDGAR reports every member from its first year: nothing cut, nothing said
    assert "first year" not in draw(edgar.chart).fig.layout.title.subtitle.text.replace("<br>", " ")


def test_the_overview_page_with_owid_names_the_sector_and_why(ds):
    at = AppTest.from_file(ENTRYPOINT, default_timeout=120)
    at.query_params["source"] = "owid"
    at.run()
    assert not at.exception
    shown = {m.label: m.value for m in at.metric}
    o = page_overview(ds, View(source="owid"))
    assert shown[f"Members' cement (process CO2) {o.latest_year}"] == f"{o.members_value:,.0f} Mt CO2"
    assert [i.value for i in at.info] == [o.sector_note]
    assert all(word not in json.dumps(shown) for word in RAW_MISSING)


def test_switching_to_a_source_without_the_sector_names_it_in_words(ds):
    at = AppTest.from_file(ENTRYPOINT, default_timeout=120)
    at.switch_page("pages/countries.py")
    at.run()
    at.sidebar.selectbox(key="source").select("owid").run()
    notices = [w.value for w in at.warning]
    assert (
        markdown_text("Heavy industry is not available for this selection: sector set to Cement (process CO2).")
        in notices
    )
    assert not any(HEAVY_INDUSTRY in n for n in notices)


def test_the_on_track_tile_says_why_some_members_have_no_status(ds):
    view = View(source="owid")
    o = page_overview(ds, view)
    tile = next(h for h in screen.overview_headlines(o, view) if h[0] == "Member countries on track")
    assert 0 < o.assessed < o.countries  # one member country reports no cement trend in OWID
    assert tile[1] == f"{o.on_track} of {o.assessed}"
    assert f"{o.countries - o.assessed} of the {o.countries} member countries have no recent trend" in tile[2]
    edgar = page_overview(ds, View())
    tile = next(h for h in screen.overview_headlines(edgar, View()) if h[0] == "Member countries on track")
    assert edgar.assessed == edgar.countries and "no recent trend" not in tile[2]


def test_a_link_with_a_sector_the_source_lacks_names_it_in_words(ds):
    at = AppTest.from_file(ENTRYPOINT, default_timeout=120)
    at.query_params["source"] = "owid"
    at.query_params["sector"] = HEAVY_INDUSTRY
    at.switch_page("pages/countries.py")
    at.run()
    notices = [w.value for w in at.warning]
    assert notices == [
        markdown_text("Heavy industry is not available for this selection: sector set to Cement (process CO2).")
    ]
    assert at.selectbox(key="sector").value == CEMENT


def test_the_slides_summary_stays_heavy_industry_and_shares_the_pages_result(ds):
    """The slides call overview() without a sector: with OWID they stay empty rather than show cement under a
    heavy-industry title; with EDGAR the page and the slides share one result."""
    from decarb.memo import cached

    owid = screen.overview(ds, View(source="owid"))
    assert owid.sector == HEAVY_INDUSTRY and (owid.members_value is None or pd.isna(owid.members_value))
    assert cached(screen.overview, ds, View()) is cached(screen.overview, ds, View())
    assert screen.page_sector("edgar") == HEAVY_INDUSTRY and screen.page_sector("owid") == CEMENT
