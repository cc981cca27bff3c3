"""Checks of the analytics on the real processed Parquet (skipped with a reason when it has not been built)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from decarb import metrics as m
from decarb.contract import EDGAR, EMISSION_SOURCES, EU27, HEAVY_INDUSTRY, INDUSTRY_SOURCES, TOTAL, WORLD
from decarb.members import member_counts, member_share_of_world
from decarb.scoreboard import scoreboard, scoreboard_sectors
from decarb.selection import area_set, panel, series


@pytest.fixture(scope="module")
def board(ds):
    return scoreboard(ds)


EDGAR_SECTORS = scoreboard_sectors(EDGAR) + ["power", "transport"]


@pytest.mark.parametrize("sector", EDGAR_SECTORS)
@pytest.mark.parametrize("own_total", [WORLD, EU27])
def test_edgar_own_totals_equal_the_sum_of_their_areas(ds, sector, own_total):
    table = panel(ds, EDGAR, sector)
    kinds = dict(zip(ds.areas["iso3"], ds.areas["kind"], strict=True))
    if own_total == WORLD:  # every non-aggregate area: countries, territories, bunkers
        codes = [c for c in table.index if kinds[c] != "aggregate"]
    else:
        codes = list(area_set(ds, "eu27").codes)
    summed = table.reindex(codes).sum(axis=0, min_count=1)
    np.testing.assert_allclose(summed.to_numpy(), table.loc[own_total].to_numpy(), rtol=1e-12)


@pytest.mark.parametrize("source", EMISSION_SOURCES)
def test_member_aggregate_equals_the_sum_of_its_members(ds, source):
    sector = scoreboard_sectors(source)[-1]
    members = area_set(ds, "members")
    group = series(ds, source, members, sector)
    parts = pd.concat([series(ds, source, [c], sector) for c in members.codes], axis=1)
    complete = parts.dropna()  # the years every member reports: exactly the group's years here
    assert not group.empty
    np.testing.assert_allclose(group.reindex(complete.index).to_numpy(), complete.sum(axis=1).to_numpy(), rtol=1e-12)


def test_edgar_world_series_is_edgars_own_total(ds):
    world = series(ds, EDGAR, area_set(ds, "world"), TOTAL)
    own = ds.emissions[(ds.emissions["source"] == EDGAR) & (ds.emissions["iso3"] == WORLD)]
    expected = own.groupby("year")["value"].sum()
    np.testing.assert_allclose(world.to_numpy(), expected.reindex(world.index).to_numpy(), rtol=1e-12)
    assert "own WLD total" in world.attrs["note"]


def test_member_share_uses_the_same_sums(ds):
    frame = member_share_of_world(ds).set_index("year")
    members = series(ds, EDGAR, area_set(ds, "members"), HEAVY_INDUSTRY)
    world = series(ds, EDGAR, area_set(ds, "world"), HEAVY_INDUSTRY)
    year = int(frame.index.max())
    assert frame.loc[year, "share_pct"] == pytest.approx(100 * members.loc[year] / world.loc[year], rel=1e-12)
    assert ((frame["share_pct"] > 0) & (frame["share_pct"] < 100)).all()


def test_climate_trace_has_no_co2_only_series(ds):
    s = series(ds, "climate_trace", ["SWE"], TOTAL, "co2")
    assert s.empty
    assert "nothing is substituted" in s.attrs["reason"]


def test_panel_equals_a_plain_groupby(ds):
    table = panel(ds, EDGAR, HEAVY_INDUSTRY)
    em = ds.emissions
    rows = em[(em["source"] == EDGAR) & em["sector"].isin(["industrial_combustion", "industrial_processes"])]
    expected = rows.groupby(["iso3", "year"])["value"].sum().unstack("year")
    np.testing.assert_allclose(table.to_numpy(), expected.reindex_like(table).to_numpy(), rtol=1e-12)


ALL_SOURCES = EMISSION_SOURCES + INDUSTRY_SOURCES


def test_scoreboard_covers_every_source_sector_and_group(board):
    for source in ALL_SOURCES:
        assert set(board.loc[board["source"] == source, "sector"]) == set(scoreboard_sectors(source))
    for area in ("members", "non_members", "g20", WORLD, EU27):
        assert (board["area"] == area).sum() == sum(len(scoreboard_sectors(s)) for s in ALL_SOURCES)
    assert set(board["status"]) <= set(m.STATUSES)


@pytest.mark.parametrize("area", ["members", "SWE", "IND", WORLD, "g20"])
def test_scoreboard_rows_equal_progress_of_the_series(ds, board, area):
    sets = {"members": area_set(ds, "members"), WORLD: area_set(ds, "world"), "g20": area_set(ds, "g20")}
    for source in ALL_SOURCES:
        for sector in scoreboard_sectors(source):
            r = board[(board["source"] == source) & (board["area"] == area) & (board["sector"] == sector)]
            if r.empty:
                continue
            p = m.progress(series(ds, source, sets.get(area, [area]), sector))
            for key in ("latest_value", "observed_rate_pct", "required_rate_pct", "gap_2030", "change_since_pct"):
                a, b = float(r[key].iloc[0]), float(p[key])
                assert (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, rel=1e-9), (source, sector, key)
            assert r["status"].iloc[0] == p["status"]


def test_member_counts_compare_list_and_reports(ds):
    counts = member_counts(ds.members, ds.reported_counts)
    reported = counts.dropna(subset=["total_reported"])
    assert len(reported) == len(ds.reported_counts)
    assert (reported["gap_total"] == reported["total_reported"] - reported["total_listed"]).all()
    assert counts["total_listed"].is_monotonic_increasing
    known = pd.to_datetime(ds.members["joined_on"]).notna()
    assert counts["total_listed"].iloc[-1] == known.sum()


def test_method_worked_example_matches_the_data(ds):
    """docs/method.md shows the Sweden example; recompute it from the data and find each figure on the page."""
    from decarb.paths import PROJECT_ROOT

    text = (PROJECT_ROOT / "docs" / "method.md").read_text(encoding="utf-8")
    p = m.progress(series(ds, EDGAR, ["SWE"], HEAVY_INDUSTRY))
    shown = [
        f"{p['change_since_pct']:.2f} %",
        f"{p['observed_rate_pct']:.3f} %/yr",
        f"{p['cagr_pct']:.3f} %/yr",
        f"{p['required_rate_pct']:.3f} %/yr",
        f"{p['rate_ratio']:.3f}",
        f"**{p['status']}**",
        f"{p['projection_2030']:.3f}",
        f"{p['projection_2050']:.3f}",
        f"**{p['net_zero_year']}**",
        f"{p['gap_2030']:.3f} Mt CO2e",
        f"{p['latest_value']:.4f}",
    ]
    missing = [figure for figure in shown if figure not in text]
    assert not missing, f"docs/method.md worked example is out of date with the data: {missing}"


# --- Industries on the real build ----------------------------------------------------------------------------
def _unfccc_cell(stem: str, party: str, category: str) -> float:
    import json

    from decarb.paths import RAW_DIR

    payload = json.loads((RAW_DIR / f"unfccc_annex1/{stem}__aggregate_ghgs.json").read_text(encoding="utf-8"))
    column = next(c["id"] for c in payload["columns"] if c["name"] == "Last Inventory Year (2019)")
    row = next(r for e in payload["data"] if e["name"] == party for r in e["rows"] if r["name"].startswith(category))
    return next(c["numberValue"] for c in row["cells"] if c["column"] == column) / 1e3


def test_japan_steel_sources_compared_from_the_raw_inventory(ds):
    from decarb.industries import compare

    table, info = compare(ds, "JPN", "iron_steel")
    fuel = _unfccc_cell("1A2_manufacturing_industries", "Japan", "1.A.2.a  ")
    process = _unfccc_cell("2C_metal_industry", "Japan", "2.C.1  ")
    assert info["year"] == 2019
    assert table.set_index("source").loc["unfccc", "value"] == pytest.approx(fuel + process)
    assert fuel > 20 * process  # Japan reports most of steel under fuel (SOURCES.md: 134.9 against 5.5 Mt)


@pytest.mark.parametrize("source", ["climate_trace_subsectors", "unfccc"])
def test_scoreboard_has_every_industry_of_the_industry_sources(board, source):
    from decarb.contract import INDUSTRIES

    sectors = set(board.loc[board["source"] == source, "sector"])
    assert set(INDUSTRIES) <= sectors and "total" not in sectors


def test_industry_member_sum_names_the_members_not_covered(ds):
    members = area_set(ds, "members")
    values = series(ds, "climate_trace_subsectors", members, "pulp_paper")
    covered = set(panel(ds, "climate_trace_subsectors", "pulp_paper").index)
    assert set(values.attrs["missing_areas"]) == set(members.codes) - covered
    assert values.attrs["missing_areas"]  # this release models pulp and paper in only 29 areas


@pytest.mark.parametrize("source", EMISSION_SOURCES)
@pytest.mark.parametrize("base_year", [1990, 2005, 2015])
def test_each_member_row_of_the_overview_equals_progress_of_its_series(ds, source, base_year):
    # member_progress fits every country at once (decarb.metrics.progress_rows): each row must still equal
    # progress() of that country's own series, missing values and all.
    from decarb.screens.overview import member_progress
    from decarb.view import View, members_set

    view = View(source=source, base_year=base_year)
    codes = members_set(ds, view).codes
    rows = member_progress(ds, view, codes, HEAVY_INDUSTRY).set_index("iso3")
    assert list(rows.index) == list(codes)
    for code in codes:
        p = m.progress(series(ds, source, [code], HEAVY_INDUSTRY), target_year=view.target_year, since_year=base_year)
        row = rows.loc[code]
        assert row["status"] == p["status"] and row["unit"] == p["unit"]
        assert (p["latest_year"] is None and math.isnan(row["latest_year"])) or row["latest_year"] == p["latest_year"]
        for key in ("latest_value", "change_since_pct", "observed_rate_pct", "required_rate_pct", "rate_ratio"):
            assert row[key] == pytest.approx(p[key], rel=1e-12, nan_ok=True), (code, key)
