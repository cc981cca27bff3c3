"""Industries: the two new ETL steps on the tiny extract (values traced to the raw files) and the analytics."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from conftest import FIXTURE_RAW
from decarb.contract import sectors_for
from decarb.data import load_dataset
from decarb.industries import compare, coverage, fuel_and_process
from decarb.selection import encoded, gases_for, series
from etl import climate_trace_subsectors, climate_trace_v5, unfccc


@pytest.fixture(scope="module")
def fds(fixture_build):
    return load_dataset(fixture_build)


def raw_trace(subsector: str, iso3: str, year: int, gas: str) -> float:
    """A raw Climate TRACE cell; iron and steel is the v5.7.0 release's file (it replaced the late-2023 one)."""
    name = climate_trace_v5.FILE if subsector == "iron-and-steel" else climate_trace_subsectors.file_of(subsector)
    frame = pd.read_csv(FIXTURE_RAW / name)
    row = frame[(frame["iso3_country"] == iso3) & (frame["start_time"].str[:4] == str(year)) & (frame["gas"] == gas)]
    return float(row["emissions_quantity"].iloc[0])


def raw_unfccc(stem: str, gas: str, party: str, category: str, column: str) -> dict:
    payload = json.loads((FIXTURE_RAW / unfccc.file_of(stem, gas)).read_text(encoding="utf-8"))
    ids = {c["name"]: c["id"] for c in payload["columns"]}
    entry = next(e for e in payload["data"] if e["name"] == party)
    row = next(r for r in entry["rows"] if r["name"].startswith(category + "  "))
    return next(c for c in row["cells"] if c["column"] == ids[column])


@pytest.mark.parametrize(
    "subsector, sector, iso3, year, gas, stored_gas",
    [
        ("iron-and-steel", "iron_steel", "IND", 2024, "co2e_100yr", "ghg"),
        ("cement", "cement", "SWE", 2015, "co2", "co2"),
        ("cement", "cement", "DEU", 2020, "co2e_100yr", "ghg"),
        ("petrochemicals", "petrochemicals", "JPN", 2019, "co2", "co2"),
    ],
)
def test_climate_trace_rows_are_the_raw_tonnes_in_mt(fds, subsector, sector, iso3, year, gas, stored_gas):
    rows = fds.emissions.query(
        "source == 'climate_trace_subsectors' and sector == @sector and iso3 == @iso3 "
        "and year == @year and gas == @stored_gas"
    )
    assert rows["value"].tolist() == [pytest.approx(raw_trace(subsector, iso3, year, gas) / 1e6)]


def test_partial_year_dropped_by_rule_and_named(fds):
    cement = fds.emissions.query("source == 'climate_trace_subsectors' and sector == 'cement'")
    assert cement["year"].max() == 2022  # the raw file has a 2023 row for every area
    assert any("cement: year(s) 2023 dropped as partial" in n for n in fds.manifest.quality_notes)


@pytest.mark.parametrize(
    "sector, iso3", [("chemicals_excl_petrochemicals", "SWE"), ("pulp_paper", "JPN"), ("iron_steel", "ABW")]
)
def test_not_covered_is_no_rows_not_zero(fds, sector, iso3):
    rows = fds.emissions.query("source == 'climate_trace_subsectors' and sector == @sector and iso3 == @iso3")
    assert rows.empty


@pytest.mark.parametrize(
    "party, iso3, stem, category, sector",
    [
        ("Japan", "JPN", "1A2_manufacturing_industries", "1.A.2.a", "iron_steel_fuel"),
        ("Sweden", "SWE", "2C_metal_industry", "2.C.1", "iron_steel_process"),
        ("France", "FRA", "2A_mineral_industry", "2.A.1", "cement_process"),
    ],
)
@pytest.mark.parametrize("column, year", [("1990", 1990), ("Last Inventory Year (2019)", 2019)])
def test_unfccc_rows_are_the_raw_kt_in_mt(fds, party, iso3, stem, category, sector, column, year):
    cell = raw_unfccc(stem, "aggregate_ghgs", party, category, column)
    rows = fds.emissions.query(
        "source == 'unfccc' and iso3 == @iso3 and sector == @sector and year == @year and gas == 'ghg'"
    )
    assert rows["value"].tolist() == [pytest.approx(cell["numberValue"] / 1e3)]
    assert rows["unit"].tolist() == ["Mt CO2e (GWP-100 AR4)"]


def test_unfccc_notation_keys_and_eu_entries(fds):
    # Germany's chemicals fuel is C or IE in every year (unknown): no rows. NO/NA are zeros (Japan's aluminium).
    rows = fds.emissions.query("source == 'unfccc'")
    assert rows.query("iso3 == 'DEU' and sector == 'chemicals_fuel'").empty
    assert raw_unfccc("2C_metal_industry", "co2", "Japan", "2.C.3", "Last Inventory Year (2019)")["stringValue"] == "NO"
    assert rows.query("iso3 == 'JPN' and sector == 'aluminium_process' and year == 2019")["value"].tolist() == [0, 0]
    assert not rows["iso3"].isin(["EUA", "EUC"]).any()
    assert 1989 not in set(rows["year"])  # the Base year column is not a year


def test_all_gases_is_the_own_total_not_plus_co2(fds):
    gases, _ = gases_for(encoded(fds), "unfccc", "all_ghg")
    assert gases == ["ghg"]
    ghg = series(fds, "unfccc", ["JPN"], "iron_steel")[2019]
    parts = fds.emissions.query(
        "source == 'unfccc' and iso3 == 'JPN' and year == 2019 and gas == 'ghg' "
        "and sector in ['iron_steel_fuel', 'iron_steel_process']"
    )["value"].sum()
    assert ghg == pytest.approx(parts)


@pytest.mark.parametrize(
    "aggregate, source, expected",
    [
        ("iron_steel", "unfccc", ["iron_steel_fuel", "iron_steel_process"]),
        ("iron_steel", "climate_trace_subsectors", ["iron_steel"]),
        ("chemicals", "climate_trace_subsectors", ["chemicals_excl_petrochemicals", "petrochemicals"]),
        ("total", "unfccc", []),  # industry sources answer nothing above heavy industry
        ("heavy_industry", "owid", []),  # cement process CO2 is never the whole
        ("heavy_industry", "edgar", ["industrial_combustion", "industrial_processes"]),
        ("cement", "unfccc", ["minerals_fuel", "minerals_process"]),  # cement_process (2.A.1) is inside 2.A
    ],
)
def test_industry_parts(aggregate, source, expected):
    assert sectors_for(aggregate, source) == expected


def test_compare_latest_shared_year_differences(fds):
    table, info = compare(fds, "JPN", "iron_steel")
    assert info["year"] == 2019  # UNFCCC ends 2019, Climate TRACE runs 2015-2025
    trace = raw_trace("iron-and-steel", "JPN", 2019, "co2e_100yr") / 1e6
    fuel = (
        raw_unfccc("1A2_manufacturing_industries", "aggregate_ghgs", "Japan", "1.A.2.a", "Last Inventory Year (2019)")[
            "numberValue"
        ]
        / 1e3
    )
    process = (
        raw_unfccc("2C_metal_industry", "aggregate_ghgs", "Japan", "2.C.1", "Last Inventory Year (2019)")["numberValue"]
        / 1e3
    )
    assert table["value"].tolist() == pytest.approx([trace, fuel + process])
    assert table["difference"].iloc[1] == pytest.approx(fuel + process - trace)
    assert table["difference_pct"].iloc[1] == pytest.approx(100 * (fuel + process - trace) / trace)


def test_compare_for_a_non_annex_country_says_which_source_is_absent(fds):
    table, info = compare(fds, "IND", "iron_steel")
    assert table.empty and info["absent"] == ["unfccc"] and info["year"] is None


def test_fuel_and_process_parts(fds):
    parts = fuel_and_process(fds, "SWE", "iron_steel")
    assert set(parts["part"]) == {"fuel", "process"}
    process_2019 = parts.query("part == 'process' and year == 2019")["value"].iloc[0]
    cell = raw_unfccc("2C_metal_industry", "aggregate_ghgs", "Sweden", "2.C.1", "Last Inventory Year (2019)")
    assert process_2019 == pytest.approx(cell["numberValue"] / 1e3)


def test_coverage_and_uncovered_members_are_named(fds):
    table = coverage(fds, "climate_trace_subsectors").set_index("industry")
    assert table.loc["pulp_paper", "covered"] == "DEU, IND, SWE"  # Japan not covered by this release
    values = series(fds, "climate_trace_subsectors", ["SWE", "JPN", "IND"], "pulp_paper")
    assert values.attrs["missing_areas"] == ("JPN",)
    assert "Not covered by climate_trace_subsectors for this selection: JPN" in values.attrs["note"]


@pytest.mark.parametrize("how", ["absolute", "per_capita", "per_gdp", "index", "share_of_world"])
def test_the_five_normalisations_work_for_an_industry(fds, how):
    from decarb.normalise import normalise

    values = series(fds, "unfccc", ["SWE"], "iron_steel")
    out = normalise(values, how, ds=fds, areas=["SWE"], base_year=2015)
    people = fds.indicators.set_index(["iso3", "year"])
    expected = {
        "absolute": values[2018],
        "per_capita": values[2018] * 1e6 / people.loc[("SWE", 2018), "population"],
        "per_gdp": values[2018] * 1e12 / people.loc[("SWE", 2018), "gdp"],
        "index": 100 * values[2018] / values[2015],
        # the world of the inventories is the sum of the parties they hold (here Sweden, Germany, France, Japan)
        "share_of_world": 100 * values[2018] / series(fds, "unfccc", ["SWE", "DEU", "FRA", "JPN"], "iron_steel")[2018],
    }[how]
    assert out[2018] == pytest.approx(expected)
    assert "AR4" in out.attrs["unit"] or how in ("index", "share_of_world")


def test_pathway_metrics_for_an_industry(fds):
    from decarb.metrics import progress

    result = progress(series(fds, "climate_trace_subsectors", ["IND"], "iron_steel"), target_year=2070)
    assert result["latest_year"] == 2025  # the v5.7.0 release's last complete year
    assert result["latest_value"] == pytest.approx(raw_trace("iron-and-steel", "IND", 2025, "co2e_100yr") / 1e6)
    assert result["required_rate_pct"] == pytest.approx(-100 / (2070 - 2025))  # linear to zero from 2025
