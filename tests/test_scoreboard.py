"""Scoreboard on the tiny dataset: exact rows, and every row equal to progress() of the same series."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from tiny_analytics_data import tiny_dataset

from decarb import metrics as m
from decarb.scoreboard import COLUMNS, scoreboard, scoreboard_sectors
from decarb.selection import area_set, series

DS = tiny_dataset()
BOARD = scoreboard(DS)


def row(source: str, area: str, sector: str, board: pd.DataFrame = BOARD) -> pd.Series:
    hits = board[(board["source"] == source) & (board["iso3"] == area) & (board["sector"] == sector)]
    assert len(hits) == 1, (source, area, sector)
    return hits.iloc[0]


@pytest.mark.parametrize(
    ("source", "sectors"),
    [
        ("edgar", ["total", "heavy_industry", "industrial_combustion", "industrial_processes"]),
        ("climate_trace", ["total", "heavy_industry", "manufacturing"]),
        ("owid", ["cement_process"]),
    ],
)
def test_scoreboard_sectors(source, sectors):
    assert scoreboard_sectors(source) == sectors


def test_columns_and_one_row_per_source_area_sector():
    assert list(BOARD.columns) == list(COLUMNS)
    assert not BOARD.duplicated(["source", "iso3", "sector"]).any()


@pytest.mark.parametrize(
    ("source", "area", "sector", "expected"),
    [
        (
            "edgar",
            "AAA",
            "heavy_industry",
            {
                "latest_year": 2023,
                "latest_value": 80.0,
                "observed_rate_pct": -4.0,
                "required_rate_pct": -100 / 27,
                "rate_ratio": 1.08,
                "status": m.ON_TRACK,
                "projection_2030": 52.0,
                "net_zero_year": 2043,
                "is_member": True,
                "change_since_pct": math.nan,
                "area_rule": "as reported",
            },
        ),
        (
            "edgar",
            "members",
            "heavy_industry",
            {"latest_value": 100.0, "area_rule": "sum of 2 areas", "area_name": "LeadIT members", "is_member": True},
        ),
        ("edgar", "WLD", "heavy_industry", {"latest_value": 120.0, "area_rule": "as reported", "is_member": False}),
        (
            "climate_trace",
            "WLD",
            "manufacturing",
            {
                "latest_value": 80.0,
                "area_rule": "sum of 2 areas",
                "observed_rate_pct": 2.0 / 70 * 100,
                "status": m.WRONG_DIRECTION,
            },
        ),
        ("edgar", "BBB", "heavy_industry", {"status": m.WRONG_DIRECTION, "is_member": False}),
        ("edgar", "non_members", "total", {"area_name": "Non-members", "area_kind": "group"}),
    ],
)
def test_scoreboard_rows(source, area, sector, expected):
    got = row(source, area, sector)
    for key, value in expected.items():
        if isinstance(value, float) and math.isnan(value):
            assert math.isnan(got[key]), key
        elif isinstance(value, float):
            assert got[key] == pytest.approx(value, rel=1e-12), key
        else:
            assert got[key] == value, key


def test_every_row_equals_progress_of_the_same_series():
    keys = {
        "members": area_set(DS, "members"),
        "non_members": area_set(DS, "non_members"),
        "g20": area_set(DS, "g20"),
        "WLD": area_set(DS, "world"),
        "EU27": area_set(DS, "eu27"),
    }
    for _, r in BOARD.iterrows():
        s = series(DS, r["source"], keys.get(r["iso3"], [r["iso3"]]), r["sector"])
        p = m.progress(s)
        for key in (
            "latest_value",
            "observed_rate_pct",
            "cagr_pct",
            "required_rate_pct",
            "rate_ratio",
            "projection_2030",
            "projection_2050",
            "pathway_2030",
            "gap_2030",
            "change_since_pct",
        ):
            a, b = float(r[key]), float(p[key])
            assert (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, rel=1e-9), (r["iso3"], key)
        assert r["status"] == p["status"]
        nz = None if pd.isna(r["net_zero_year"]) else int(r["net_zero_year"])
        assert nz == p["net_zero_year"]


def test_another_member_definition_sets_the_member_rows_and_flags():
    wider = area_set(DS, "members", include_unverified=True)  # adds the unverified BBB
    board = scoreboard(DS, sources=["edgar"], members=wider)
    assert set(wider.codes) - set(area_set(DS, "members").codes) == {"BBB"}
    assert row("edgar", "BBB", "heavy_industry", board)["is_member"]
    assert not row("edgar", "BBB", "heavy_industry")["is_member"]
    got = row("edgar", "members", "heavy_industry", board)
    assert got["area_rule"] == f"sum of {len(wider.codes)} areas"
    expected = m.progress(series(DS, "edgar", wider, "heavy_industry"))
    assert got["latest_value"] == pytest.approx(expected["latest_value"])
    assert got["latest_value"] != row("edgar", "members", "heavy_industry")["latest_value"]
    # Non-members are the complement: none are left in the tiny data, where BBB was the only one.
    assert [c for c in DS.areas.loc[DS.areas["kind"] == "country", "iso3"] if c not in wider.codes] == []
    assert pd.isna(row("edgar", "non_members", "total", board)["latest_value"])
    assert row("edgar", "non_members", "total")["latest_value"] == pytest.approx(
        m.progress(series(DS, "edgar", ["BBB"], "total"))["latest_value"]
    )


def test_net_zero_tracker_targets_per_country():
    board = scoreboard(DS, sources=["edgar"], target_year="net_zero_tracker")
    aaa, ccc = row("edgar", "AAA", "heavy_industry", board), row("edgar", "CCC", "heavy_industry", board)
    assert aaa["target_year"] == 2045
    assert aaa["required_rate_pct"] == pytest.approx(-100 / 22)
    assert "In law" in aaa["target_note"]
    assert ccc["target_year"] == 2050
    assert "default" in ccc["target_note"]


def test_options_flow_through():
    board = scoreboard(DS, sources=["edgar"], n_years=2, residual_share=0.1, since_year=2018)
    aaa = row("edgar", "AAA", "heavy_industry", board)
    assert aaa["observed_rate_pct"] == pytest.approx(100 * -4 / 88)
    assert aaa["required_rate_pct"] == pytest.approx(-90 / 27)
    assert aaa["change_since_pct"] == pytest.approx(-20.0)
    assert set(board["source"]) == {"edgar"}


def test_refuses_a_bad_residual():
    with pytest.raises(ValueError, match="residual_share"):
        scoreboard(DS, residual_share=1.0)


def test_a_gas_set_a_source_lacks_gives_no_rows_for_it():
    board = scoreboard(DS, gas_set="co2")
    assert set(board["source"]) == {"edgar"}
