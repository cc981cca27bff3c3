"""The ETL on the tiny extract (exact values traced to the raw cells) and on the real vendored files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from conftest import FIXTURE_COUNTRIES, FIXTURE_RAW, ROOT, tree_digest
from decarb.contract import SECTOR_BY_CODE, TABLES, column_names
from decarb.data import load_dataset
from etl import climate_trace, edgar
from etl.build import build

EDGAR_FILE = FIXTURE_RAW / edgar.FILE


def emissions_row(built: Path, **key: object) -> pd.DataFrame:
    frame = pd.read_parquet(built / "emissions.parquet")
    mask = pd.Series(True, index=frame.index)
    for column, value in key.items():
        mask &= frame[column] == value
    return frame[mask]


@pytest.mark.parametrize(
    "substance, sector, code, year",
    [
        ("CO2", "Processes", "SWE", 2023),
        ("GWP_100_AR5_F-gases", "Processes", "IND", 2020),
        ("GWP_100_AR5_CH4", "Industrial Combustion", "IND", 1990),
        ("CO2", "Power Industry", "GLOBAL TOTAL", 2005),
        ("GWP_100_AR5_N2O", "Agriculture", "EU27", 1970),
    ],
)
def test_edgar_cells_arrive_unchanged_with_canonical_codes(fixture_build, substance, sector, code, year):
    sheet = pd.read_excel(EDGAR_FILE, edgar.SECTOR_SHEET, engine="calamine")
    cell = sheet.loc[
        (sheet["Substance"] == substance) & (sheet["Sector"] == sector) & (sheet[edgar.CODE] == code), year
    ].item()
    rows = emissions_row(
        fixture_build,
        source="edgar",
        iso3={"GLOBAL TOTAL": "WLD"}.get(code, code),
        year=year,
        sector=edgar.sector_code(sector, substance),
        gas=edgar.SUBSTANCES[substance],
    )
    assert len(rows) == 1
    assert rows["value"].item() == cell
    assert rows[["unit", "gwp"]].iloc[0].tolist() == ["Mt CO2e", "GWP-100 AR5"]


def test_edgar_empty_cells_are_absent_rows_not_zeros(fixture_build):
    sheet = pd.read_excel(EDGAR_FILE, edgar.SECTOR_SHEET, engine="calamine").dropna(how="all")
    reported = int(sheet[[c for c in sheet.columns if isinstance(c, int)]].notna().sum().sum())
    assert len(emissions_row(fixture_build, source="edgar")) == reported


def test_climate_trace_in_megatonnes_and_partial_year_dropped(fixture_build):
    raw = pd.read_csv(FIXTURE_RAW / climate_trace.FILE)
    sources = json.loads((FIXTURE_RAW / "sources.json").read_text())
    excluded = [int(y) for y in sources["climate_trace"]["exclude_years"]]
    cell = raw.loc[
        (raw["iso3_country"] == "SWE") & (raw["year"] == 2022) & (raw["sector"] == "manufacturing"),
        "sector_emissions_quantity",
    ].item()
    rows = emissions_row(fixture_build, source="climate_trace", iso3="SWE", year=2022, sector="manufacturing")
    assert rows["value"].item() == pytest.approx(cell / 1e6, rel=1e-12)
    years = set(emissions_row(fixture_build, source="climate_trace")["year"])
    assert years == set(raw["year"]) - set(excluded)


def test_owid_cement_and_indicators(fixture_build):
    raw = pd.read_parquet(FIXTURE_RAW / "owid_co2/owid-co2-data.parquet")
    india = raw[(raw["iso_code"] == "IND") & (raw["year"] == 2020)].iloc[0]
    rows = emissions_row(fixture_build, source="owid", iso3="IND", year=2020)
    assert rows[["sector", "gas", "unit"]].iloc[0].tolist() == ["cement_process", "co2", "Mt CO2"]
    assert rows["value"].item() == india["cement_co2"]
    indicators = pd.read_parquet(fixture_build / "indicators.parquet").set_index(["iso3", "year"])
    assert indicators.loc[("IND", 2020), "population"] == india["population"]
    world = raw[raw["country"] == "World"]
    assert set(emissions_row(fixture_build, source="owid", iso3="WLD")["year"]) == set(
        world.dropna(subset=["cement_co2"])["year"]
    )
    assert "Europe" not in set(indicators.index.get_level_values("iso3"))  # aggregates without a code are dropped


def test_areas_come_from_libraries(fixture_build):
    areas = pd.read_parquet(fixture_build / "areas.parquet").set_index("iso3")
    assert areas.loc["SWE", ["name", "kind", "region", "in_eu27", "in_g20", "in_oecd"]].tolist() == [
        "Sweden",
        "country",
        "Europe",
        True,
        False,
        True,
    ]
    assert areas.loc["IND", ["in_g20", "in_oecd", "region"]].tolist() == [True, False, "Asia"]
    assert areas.loc["EU27", ["kind", "in_g20"]].tolist() == ["aggregate", True]
    assert areas.loc["WLD", "name"] == "World"
    assert areas.loc["KOR", "name"] == "South Korea"  # pycountry's common name, from the member list


def test_members_and_targets(fixture_build):
    members = pd.read_parquet(fixture_build / "members.parquet")
    raw = pd.read_csv(FIXTURE_RAW / "leadit/leadit_members.csv", dtype=str, keep_default_na=False)
    assert members["member"].tolist() == raw["member"].tolist()
    unknown = raw["joined_on"] == ""
    assert members.loc[unknown.to_numpy(), "joined_on"].isna().all()
    assert str(members.loc[0, "joined_on"]) == raw.loc[0, "joined_on"]
    targets = pd.read_parquet(fixture_build / "targets.parquet")
    assert set(targets["actor_type"]) == {"country", "company"}  # cities and regions are out of scope
    assert pq.read_schema(fixture_build / "targets.parquet").field("end_target_year").type == "int16"


def test_manifest_describes_every_table_column_and_source(fixture_build):
    manifest = json.loads((fixture_build / "manifest.json").read_text())
    assert set(manifest["tables"]) == set(TABLES)
    for name, entry in manifest["tables"].items():
        schema = pq.read_schema(fixture_build / entry["file"])
        assert schema.names == column_names(name) == [c["name"] for c in entry["columns"]]
        assert all(c["description"] for c in entry["columns"])
        assert entry["rows"] == pq.read_metadata(fixture_build / entry["file"]).num_rows
    numeric = {c["name"]: c["unit"] for c in manifest["tables"]["indicators"]["columns"]}
    assert numeric["population"] == "persons" and numeric["gdp"]
    emissions = pd.read_parquet(fixture_build / "emissions.parquet")
    assert set(emissions["source"]) <= set(manifest["sources"])
    for source in manifest["sources"].values():
        assert all(source[k] for k in ("producer", "title", "url", "version", "licence", "citation", "files"))
    assert set(emissions["sector"]) <= set(SECTOR_BY_CODE) and emissions["unit"].notna().all()
    assert manifest["code_version"] and manifest["built_at"]


def test_second_run_does_nothing_and_says_so(fixture_build, tmp_path):
    out = tmp_path / "processed"
    shutil.copytree(fixture_build, out)
    before = tree_digest(out)
    result = build(FIXTURE_RAW, out, progress=False, min_countries=FIXTURE_COUNTRIES)
    assert not result.built and result.message.startswith("Up to date")
    assert tree_digest(out) == before


def test_damaged_output_is_rebuilt_and_refused_by_the_loader(fixture_build, tmp_path):
    out = tmp_path / "processed"
    shutil.copytree(fixture_build, out)
    with (out / "members.parquet").open("ab") as handle:
        handle.write(b"tampered")
    from decarb.data import DataUnavailable

    with pytest.raises(DataUnavailable, match="members.parquet does not match its checksum"):
        load_dataset(out)
    assert build(FIXTURE_RAW, out, progress=False, min_countries=FIXTURE_COUNTRIES).built
    assert load_dataset(out).members["member"].iloc[0] == "Sweden"


@pytest.mark.slow
def test_full_build_on_the_real_vendored_files(tmp_path):
    out = tmp_path / "processed"
    result = build(ROOT / "data" / "raw", out, force=True, progress=False)
    assert result.built
    ds = load_dataset(out)
    edgar_rows = ds.emissions[ds.emissions["source"] == "edgar"]
    assert (edgar_rows["year"].min(), edgar_rows["year"].max()) == (1970, 2023)
    assert set(edgar_rows["sector"]) == set(edgar.SECTORS.values()) | set(edgar.SPLIT_BY_SUBSTANCE.values())
    assert set(edgar_rows["gas"]) == set(edgar.SUBSTANCES.values())
    countries = set(ds.areas.loc[ds.areas["kind"] == "country", "iso3"]) & set(edgar_rows["iso3"])
    assert len(countries) >= 200
    assert {"WLD", "EU27"} <= set(edgar_rows["iso3"])
    assert any("reproduce GHG_totals_by_country" in note for note in ds.manifest.quality_notes)
    trace = ds.emissions[ds.emissions["source"] == "climate_trace"]
    assert trace["year"].max() < min(int(y) for y in ds.manifest.sources["climate_trace"].exclude_years)
    assert set(trace["sector"]) == set(climate_trace.SECTORS.values())
    assert not ds.emissions.duplicated(["source", "iso3", "year", "sector", "gas"]).any()
