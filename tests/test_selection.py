"""Selections on the tiny hand-made dataset: which rows make a series, and the rules for what is absent."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from tiny_analytics_data import tiny_dataset

from decarb.selection import area_set, member_countries, panel, series

DS = tiny_dataset()


def values(s: pd.Series) -> dict[int, float]:
    return {int(k): float(v) for k, v in s.items()}


@pytest.mark.parametrize(
    ("source", "areas", "sector", "gas_set", "expected"),
    [
        # combustion CO2 + combustion CH4 + process CO2
        ("edgar", ["AAA"], "heavy_industry", "all_ghg", {2018: 100, 2019: 96, 2020: 92, 2021: 88, 2022: 84, 2023: 80}),
        ("edgar", ["AAA"], "heavy_industry", "co2", {2018: 90, 2019: 86, 2020: 82, 2021: 78, 2022: 74, 2023: 70}),
        ("edgar", ["AAA"], "total", "co2", {2018: 190, 2019: 186, 2020: 182, 2021: 178, 2022: 174, 2023: 170}),
        ("edgar", ["AAA"], "industrial_processes", "all_ghg", {y: 30 for y in range(2018, 2024)}),
        # BBB's 2021 process row is absent: the year is the sum of the rows present (as EDGAR's own totals are)
        ("edgar", ["BBB"], "heavy_industry", "all_ghg", {2018: 15, 2019: 16, 2020: 17, 2021: 13, 2022: 19, 2023: 20}),
        # CCC has no row in 2020: a sum of areas drops that year (never filled)
        ("edgar", ["AAA", "CCC"], "heavy_industry", "all_ghg", {2018: 120, 2019: 116, 2021: 108, 2022: 104, 2023: 100}),
        ("edgar", ["CCC"], "heavy_industry", "all_ghg", {2018: 20, 2019: 20, 2021: 20, 2022: 20, 2023: 20}),
        (
            "climate_trace",
            ["AAA", "BBB"],
            "heavy_industry",
            "all_ghg",
            {2018: 70, 2019: 72, 2020: 74, 2021: 76, 2022: 78, 2023: 80},
        ),
        ("edgar", ["AAA"], "heavy_industry", "all_ghg", {2018: 100, 2019: 96, 2020: 92, 2021: 88, 2022: 84, 2023: 80}),
    ],
)
def test_series_values(source, areas, sector, gas_set, expected):
    assert values(series(DS, source, areas, sector, gas_set)) == expected


@pytest.mark.parametrize(("areas", "incomplete"), [(["AAA", "CCC"], [2020]), (["AAA"], []), (["CCC"], [])])
def test_incomplete_years_are_listed(areas, incomplete):
    assert series(DS, "edgar", areas, "heavy_industry").attrs["incomplete_years"] == incomplete


@pytest.mark.parametrize(
    ("source", "gas_set", "unit"),
    [
        ("edgar", "co2", "Mt CO2"),
        ("edgar", "all_ghg", "Mt CO2e"),
        ("climate_trace", "all_ghg", "Mt CO2e"),
    ],
)
def test_unit(source, gas_set, unit):
    assert series(DS, source, ["AAA"], "heavy_industry", gas_set).attrs["unit"] == unit


@pytest.mark.parametrize(
    ("source", "sector", "gas_set", "reason_part"),
    [
        ("climate_trace", "heavy_industry", "co2", "does not report gas set 'co2'"),
        ("climate_trace", "cement_process", "all_ghg", "does not report sector 'cement_process'"),
        ("owid", "cement_process", "all_ghg", "it reports: nothing"),
    ],
)
def test_unavailable_selection_is_empty_with_a_reason(source, sector, gas_set, reason_part):
    s = series(DS, source, ["AAA"], sector, gas_set)
    assert s.empty
    assert reason_part in s.attrs["reason"]


def test_year_range():
    assert values(series(DS, "edgar", ["AAA"], "heavy_industry", years=(2021, 2022))) == {2021: 88, 2022: 84}


@pytest.mark.parametrize(
    ("key", "source", "expected", "rule_part"),
    [
        # EDGAR publishes its own world total (incl. bunkers; CCC absent in 2020 so the world has 92 + 17 there)
        ("world", "edgar", {2018: 135, 2019: 132, 2020: 109, 2021: 121, 2022: 123, 2023: 120}, "own WLD total"),
        ("eu27", "edgar", {2018: 115, 2019: 112, 2020: 109, 2021: 101, 2022: 103, 2023: 100}, "own EU27 total"),
        # Climate TRACE has no world row: the sum of the areas it reports
        ("world", "climate_trace", {2018: 70, 2019: 72, 2020: 74, 2021: 76, 2022: 78, 2023: 80}, "Sum of the 2 areas"),
        ("members", "edgar", {2018: 120, 2019: 116, 2021: 108, 2022: 104, 2023: 100}, "Sum of the 2 areas"),
    ],
)
def test_area_sets_use_the_source_total_where_there_is_one(key, source, expected, rule_part):
    s = series(DS, source, area_set(DS, key), "heavy_industry")
    assert values(s) == expected
    assert rule_part in s.attrs["note"]


@pytest.mark.parametrize(
    ("key", "codes"),
    [
        ("members", ("AAA", "CCC")),
        ("non_members", ("BBB",)),
        ("g20", ("AAA", "BBB", "CCC")),  # AAA and CCC in their own right, plus the EU27 countries (AAA, BBB)
        ("eu27", ("AAA", "BBB")),
        ("world", ("AAA", "BBB", "CCC", "SEA")),
        ("country:CCC", ("CCC",)),
    ],
)
def test_area_set_codes(key, codes):
    assert area_set(DS, key).codes == codes


@pytest.mark.parametrize(
    ("as_of_year", "backcast", "unverified", "expected"),
    [
        (None, True, False, ["AAA", "CCC"]),
        (None, True, True, ["AAA", "BBB", "CCC"]),
        (2018, False, False, []),
        (2019, False, False, ["AAA"]),
        (2030, False, True, ["AAA"]),  # unknown join dates cannot be placed in time
    ],
)
def test_member_countries(as_of_year, backcast, unverified, expected):
    assert member_countries(DS.members, as_of_year, backcast, unverified) == expected


@pytest.mark.parametrize(("as_of_year", "backcast"), [(2019, True), (None, False)])
def test_member_countries_refuses_an_ambiguous_rule(as_of_year, backcast):
    with pytest.raises(ValueError, match="as_of_year"):
        member_countries(DS.members, as_of_year, backcast)


@pytest.mark.parametrize(
    ("kwargs", "note_part"),
    [
        ({}, "counted in every year, also in the years before they joined"),
        ({"as_of_year": 2019, "backcast": False}, "joined by 31 December 2019"),
    ],
)
def test_membership_rule_is_stated(kwargs, note_part):
    assert note_part in area_set(DS, "members", **kwargs).note


@pytest.mark.parametrize("key", ["country:ZZZ", "oecd", "country:"])
def test_unknown_area_set(key):
    with pytest.raises(ValueError, match="Unknown"):
        area_set(DS, key)


def test_unknown_sector_and_gas_set():
    with pytest.raises(ValueError, match="Unknown sector"):
        series(DS, "edgar", ["AAA"], "steel")
    with pytest.raises(ValueError, match="Unknown gas set"):
        series(DS, "edgar", ["AAA"], "total", "ch4_only")


def test_panel_rows_are_areas_and_absent_cells_are_nan():
    table = panel(DS, "edgar", "heavy_industry")
    assert list(table.index) == ["AAA", "BBB", "CCC", "EU27", "WLD"]
    assert list(table.columns) == list(range(2018, 2024))
    assert math.isnan(table.loc["CCC", 2020])
    assert table.loc["BBB", 2021] == 13
