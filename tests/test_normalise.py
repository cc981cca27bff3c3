"""Normalisations on the tiny dataset: exact values and the missing-denominator rule."""

from __future__ import annotations

import math

import pytest
from tiny_analytics_data import tiny_dataset

from decarb.normalise import UNITS, normalise
from decarb.selection import area_set, panel, series

DS = tiny_dataset()
AAA = series(DS, "edgar", ["AAA"], "heavy_industry")  # 100, 96, 92, 88, 84, 80 Mt CO2e
MEMBERS = series(DS, "edgar", area_set(DS, "members"), "heavy_industry")  # AAA + CCC


@pytest.mark.parametrize(
    ("values", "how", "areas", "base_year", "year", "expected"),
    [
        (AAA, "absolute", ["AAA"], None, 2018, 100.0),
        (AAA, "per_capita", ["AAA"], None, 2018, 20.0),  # 100 Mt / 5 million people = 20 t per person
        (AAA, "per_capita", ["AAA"], None, 2023, 16.0),
        (AAA, "per_gdp", ["AAA"], None, 2018, 1000.0),  # 100e12 g / 1e11 int-$
        (AAA, "index", ["AAA"], None, 2023, 80.0),  # base year defaults to the first year
        (AAA, "index", ["AAA"], 2020, 2023, 100 * 80 / 92),
        (AAA, "share_of_world", ["AAA"], None, 2018, 100 * 100 / 135),  # EDGAR's own world total
        (MEMBERS, "per_capita", area_set(DS, "members"), None, 2018, 120 / 9),  # 120 Mt / (5 + 4) million people
        (MEMBERS, "per_gdp", area_set(DS, "members"), None, 2018, math.nan),  # CCC has no GDP: never filled
    ],
)
def test_normalise(values, how, areas, base_year, year, expected):
    out = normalise(values, how, ds=DS, areas=areas, base_year=base_year)
    got = out.loc[year]
    assert (math.isnan(got) and math.isnan(expected)) or got == pytest.approx(expected, rel=1e-12)
    assert out.attrs["how"] == how


@pytest.mark.parametrize(
    ("how", "unit"),
    [
        ("absolute", "Mt CO2e"),
        ("per_capita", UNITS["per_capita"]),
        ("index", "index (2018 = 100)"),  # the base year defaults to the first year, and is named
    ],
)
def test_units(how, unit):
    assert normalise(AAA, how, ds=DS, areas=["AAA"]).attrs["unit"] == unit


def test_co2_only_units_say_co2():
    co2 = series(DS, "edgar", ["AAA"], "heavy_industry", "co2")
    assert normalise(co2, "per_capita", ds=DS, areas=["AAA"]).attrs["unit"] == "t CO2 per person"


def test_panel_per_capita_divides_each_row_by_its_own_population():
    table = normalise(panel(DS, "edgar", "heavy_industry"), "per_capita", ds=DS, areas=[])
    assert table.loc["AAA", 2018] == pytest.approx(20.0)
    assert table.loc["BBB", 2018] == pytest.approx(15.0)
    assert math.isnan(table.loc["WLD", 2018])  # no population for the aggregate in the tiny data


@pytest.mark.parametrize(
    ("how", "kwargs", "match"),
    [
        ("per_hectare", {}, "Unknown normalisation"),
        ("index", {"base_year": 1990}, "outside the data"),
    ],
)
def test_normalise_refuses(how, kwargs, match):
    with pytest.raises(ValueError, match=match):
        normalise(AAA, how, ds=DS, areas=["AAA"], **kwargs)
