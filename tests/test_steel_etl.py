"""The steel ETL (GEM plants and furnaces, worldsteel production, Climate TRACE v5.7.0 iron and steel, the member
companies' GEM ids) on the tiny real-format extract and, marked slow, on the real files.

Every expected value is computed here from the raw file with the csv module, never typed in.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from conftest import FIXTURE_COUNTRIES, FIXTURE_RAW, ROOT, tree_digest
from decarb.contract import STEEL_STATUSES
from decarb.data import load_dataset
from decarb.provenance import release_of
from etl.__main__ import main
from etl.build import build

PLANTS = "gem_steel/gist_plants_2025-03.csv"
UNITS = "gem_steel/gist_units_2025-03.csv"
PRODUCTION = "worldsteel/crude_steel_production_2020-2024.csv"
TRACE_V5 = "climate_trace_v5/iron-and-steel_country_emissions_v5_7_0.csv"
COMPANIES = "leadit/leadit_company_gem_ids.csv"
TECHNOLOGY_OF_TAB = {
    "Blast_furnaces": "bf",
    "Basic_oxygen_furnaces": "bof",
    "Electric_arc_furnaces": "eaf",
    "DRI_furnaces": "dri",
    "Open_hearth_furnaces": "ohf",
}


def rows(raw: Path, name: str) -> list[dict[str, str]]:
    with (raw / name).open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def running_crude_steel_ttpa(raw: Path) -> float:
    """World operating + operating pre-retirement crude steel capacity, straight from the plant file's totals."""
    return sum(
        float(row[f"{status}-nominal-crude-steel-capacity-(ttpa)"])
        for row in rows(raw, PLANTS)
        for status in ("operating", "operating-pre-retirement")
    )


@pytest.fixture(scope="module")
def real_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real vendored files, built once for the slow tests of this module."""
    out = tmp_path_factory.mktemp("steel-real") / "processed"
    assert build(ROOT / "data" / "raw", out, force=True, progress=False).built
    return out


def built_and_raw(request: pytest.FixtureRequest, which: str) -> tuple[Path, Path]:
    if which == "extract":
        return request.getfixturevalue("fixture_build"), FIXTURE_RAW
    return request.getfixturevalue("real_build"), ROOT / "data" / "raw"


BOTH = pytest.mark.parametrize("which", ["extract", pytest.param("real", marks=pytest.mark.slow)])


# --- GEM plants and capacity -------------------------------------------------------------------------------------
@BOTH
def test_operating_capacity_includes_pre_retirement_and_equals_the_files_totals(request, which):
    built, raw = built_and_raw(request, which)
    capacity = pd.read_parquet(built / "steel_capacity.parquet")
    running = capacity[capacity["status"].isin(["operating", "operating_pre_retirement"])]
    table = running.loc[running["stage"] == "steel", "capacity_mt"].sum()
    assert table == pytest.approx(running_crude_steel_ttpa(raw) / 1000, rel=1e-12)
    pre = capacity[capacity["status"] == "operating_pre_retirement"]
    assert len(pre)  # Duisburg's blast furnaces (and many more in the real file) are never dropped


@BOTH
def test_every_capacity_column_arrives_once_in_megatonnes(request, which):
    built, raw = built_and_raw(request, which)
    capacity = pd.read_parquet(built / "steel_capacity.parquet")
    expected = {}
    for row in rows(raw, PLANTS):
        for column, text in row.items():
            match = re.match(
                r"^(.+?)-(?:nominal-(bf|bof|eaf|dri|ohf)(?:-steel)?|other/unspecified-(steel|iron))-", column
            )
            if match and float(text) > 0:
                status, technology, stage = match.groups()
                key = (row["plant-id"], status.replace("-", "_"), technology or "other", stage)
                expected[key] = float(text) / 1000
    got = {
        (r.plant_id, r.status, r.technology, None if r.technology != "other" else r.stage): r.capacity_mt
        for r in capacity.itertuples()
    }
    assert got == pytest.approx(expected, rel=1e-12)
    assert set(capacity["status"]) <= set(STEEL_STATUSES)


def test_duisburg_reads_as_running_not_zero(fixture_build):
    raw = {r["plant-name-(english)"]: r for r in rows(FIXTURE_RAW, PLANTS)}["ThyssenKrupp Steel Duisburg steel plant"]
    assert float(raw["operating-nominal-bf-capacity-(ttpa)"]) == 0  # the trap: the operating columns alone say 0
    capacity = pd.read_parquet(fixture_build / "steel_capacity.parquet")
    duisburg = capacity[(capacity["plant_id"] == raw["plant-id"]) & (capacity["technology"] == "bf")]
    assert duisburg.set_index("status")["capacity_mt"].to_dict() == {
        "operating_pre_retirement": float(raw["operating-pre-retirement-nominal-bf-capacity-(ttpa)"]) / 1000
    }


def test_plants_with_their_codes_coordinates_and_years(fixture_build):
    plants = pd.read_parquet(fixture_build / "steel_plants.parquet").set_index("plant_id")
    raw = rows(FIXTURE_RAW, PLANTS)
    assert list(plants.index) == [r["plant-id"] for r in raw]
    codes = {"Türkiye": "TUR", "South Korea": "KOR", "Taiwan": "TWN", "Germany": "DEU", "Sweden": "SWE", "India": "IND"}
    for r in raw:
        plant = plants.loc[r["plant-id"]]
        assert plant["iso3"] == codes[r["country/area"]]
        assert (plant["lat"], plant["lon"]) == (float(r["lat"]), float(r["lng"]))
        assert plant["plant_status"] == r["plant-status"].replace("-", "_")
        assert plant["parent_gem_ids"] == r["parent-gem-id"] and plant["wiki_url"] == r["gem-wiki-page"]
        year = None if r["start-date"] == "unknown" else int(r["start-date"][:4])
        assert (None if pd.isna(plant["start_year"]) else int(plant["start_year"])) == year


# --- GEM units ---------------------------------------------------------------------------------------------------
@BOTH
def test_units_of_unknown_size_are_kept_and_counted_never_zero(request, which):
    built, raw = built_and_raw(request, which)
    units = pd.read_parquet(built / "steel_units.parquet").set_index("unit_id")
    raw_units = rows(raw, UNITS)
    unknown = [r["gem-unit-id"] for r in raw_units if r["current-capacity-(ttpa)"] in (">0", "")]
    assert unknown and len(units) == len(raw_units)
    assert set(units.index[~units["capacity_known"]]) == set(unknown)
    assert units.loc[unknown, "capacity_mt"].isna().all()
    sized = {
        r["gem-unit-id"]: float(r["current-capacity-(ttpa)"]) / 1000
        for r in raw_units
        if r["gem-unit-id"] not in unknown
    }
    assert units.loc[list(sized), "capacity_mt"].to_dict() == pytest.approx(sized, rel=1e-12)
    notes = load_dataset(built, verify=False).manifest.quality_notes
    assert any(f"{len(unknown)} units have no size" in note for note in notes)


@BOTH
def test_relining_years_from_every_format_and_technologies(request, which):
    built, raw = built_and_raw(request, which)
    units = pd.read_parquet(built / "steel_units.parquet").set_index("unit_id")
    raw_units = rows(raw, UNITS)
    formats = {re.sub(r"\d", "9", r["most-recent-relining"]) for r in raw_units}
    assert "9999-99" in formats  # a year-month relining is in the extract
    for r in raw_units:
        unit = units.loc[r["gem-unit-id"]]
        relining = r["most-recent-relining"]
        assert (None if pd.isna(unit["relining_year"]) else int(unit["relining_year"])) == (
            int(relining[:4]) if relining else None
        )
        assert unit["technology"] == TECHNOLOGY_OF_TAB[r["tab-type"]]
        assert unit["status"] == r["status"].replace("-", "_") and unit["plant_id"] == r["plant-id"]


# --- worldsteel --------------------------------------------------------------------------------------------------
def worldsteel_rows(raw: Path) -> dict[str, dict[int, float]]:
    with (raw / PRODUCTION).open(encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.reader(handle))
    header = lines[2]
    years = [int(cell) for cell in header[1:] if cell]
    table = {}
    for line in lines[3:]:
        if not line[0]:
            break
        table[line[0]] = {year: float(cell.replace(",", "")) for year, cell in zip(years, line[1:], strict=False)}
    return table


@BOTH
def test_production_in_megatonnes_with_the_world_row(request, which):
    built, raw = built_and_raw(request, which)
    production = pd.read_parquet(built / "production.parquet")
    table = worldsteel_rows(raw)
    got = production.set_index(["iso3", "year"])["value"]
    for name, code in (("World", "WLD"), ("India", "IND"), ("Taiwan, China", "TWN"), ("Türkiye", "TUR")):
        assert {y: got[(code, y)] for y in table[name]} == pytest.approx({y: v / 1000 for y, v in table[name].items()})
    assert set(production["source"]) == {"worldsteel"} and set(production["unit"]) == {"Mt"}
    groupings = ("Others", "Belgium-Luxemburg", "Former Yugoslavia", "Serbia-Montenegro")
    stored = [name for name, values in table.items() if any(values.values()) and name not in groupings]
    assert production["iso3"].nunique() == len(stored)  # all-zero countries and groupings have no rows


# --- Climate TRACE v5.7.0 ----------------------------------------------------------------------------------------
@BOTH
def test_iron_and_steel_is_the_v5_release_without_its_half_year(request, which):
    built, raw = built_and_raw(request, which)
    emissions = pd.read_parquet(built / "emissions.parquet")
    steel = emissions[(emissions["source"] == "climate_trace_subsectors") & (emissions["sector"] == "iron_steel")]
    excluded = {int(y) for y in json.loads((raw / "sources.json").read_text())["climate_trace_v5"]["exclude_years"]}
    expected = {}
    raw_rows = rows(raw, TRACE_V5)
    covered = {r["iso3_country"] for r in raw_rows if float(r["emissions_quantity"] or 0) != 0}
    for r in raw_rows:
        year = int(r["start_time"][:4])
        if r["iso3_country"] in covered and year not in excluded and r["emissions_quantity"]:
            expected[(r["iso3_country"], year)] = float(r["emissions_quantity"]) / 1e6
    assert set(steel["gas"]) == {"ghg"}  # the release has no CO2-only series: the older release's is gone too
    assert steel.set_index(["iso3", "year"])["value"].to_dict() == pytest.approx(expected, rel=1e-12)
    assert not excluded & set(steel["year"])
    manifest = load_dataset(built, verify=False).manifest
    assert (
        release_of(manifest, "climate_trace_subsectors", "iron_steel") == manifest.sources["climate_trace_v5"].release
    )
    assert (
        release_of(manifest, "climate_trace_subsectors", "cement")
        == manifest.sources["climate_trace_subsectors"].release
    )
    assert "v5.7.0" in release_of(manifest, "climate_trace_subsectors", "iron_steel")


# --- Member companies -------------------------------------------------------------------------------------------
def test_company_owners_are_the_reviewed_file_and_match_plants(fixture_build):
    owners = pd.read_parquet(fixture_build / "company_steel_owners.parquet")
    raw = rows(FIXTURE_RAW, COMPANIES)
    assert owners.to_dict(orient="records") == [{k: (v or None) for k, v in r.items()} for r in raw]
    plants = pd.read_parquet(fixture_build / "steel_plants.parquet")
    ids = " ".join(plants["owner_gem_ids"].fillna("") + " " + plants["parent_gem_ids"].fillna(""))
    assert all(i in ids for i in owners["gem_entity_id"])


def test_worldsteel_attribution_travels_with_the_manifest(fixture_build):
    manifest = load_dataset(fixture_build, verify=False).manifest
    assert manifest.sources["worldsteel"].required_attribution == "Source: World Steel Association"
    assert "Source: World Steel Association" in manifest.sources["worldsteel"].licence.name


# --- The accept flow for new files -------------------------------------------------------------------------------
def test_a_new_file_is_refused_until_accepted_and_recorded_only_after_a_good_build(raw_copy, tmp_path, capsys):
    sources = json.loads((raw_copy / "sources.json").read_text())
    entry = sources["worldsteel"]["files"][PRODUCTION]
    recorded = entry.pop("sha256")
    entry.pop("accepted_on")
    (raw_copy / "sources.json").write_text(json.dumps(sources, indent=2, ensure_ascii=False) + "\n")
    out = tmp_path / "processed"
    args = ["--raw-dir", str(raw_copy), "--out-dir", str(out), "--quiet", "--min-countries", str(FIXTURE_COUNTRIES)]
    assert main(args) == 1
    assert "new file not yet accepted" in capsys.readouterr().err
    # Accepted but broken: refused, and sources.json keeps the file unaccepted.
    good = (raw_copy / PRODUCTION).read_bytes()
    (raw_copy / PRODUCTION).write_bytes(good.replace(b"Country,", b"Land,"))
    before = (raw_copy / "sources.json").read_bytes()
    assert main([*args, "--accept", PRODUCTION]) == 1
    assert (raw_copy / "sources.json").read_bytes() == before and not out.exists()
    (raw_copy / PRODUCTION).write_bytes(good)
    assert main([*args, "--accept", PRODUCTION]) == 0
    accepted = json.loads((raw_copy / "sources.json").read_text())["worldsteel"]["files"][PRODUCTION]
    assert accepted["sha256"] == recorded


def test_accepting_a_changed_gem_file_reports_what_moved(raw_copy, tmp_path, fixture_build):
    out = tmp_path / "processed"
    shutil.copytree(fixture_build, out)
    plants = pd.read_csv(raw_copy / PLANTS, dtype=str, keep_default_na=False)
    dropped = plants.iloc[-1]
    plants.iloc[:-1].to_csv(raw_copy / PLANTS, index=False)
    units = pd.read_csv(raw_copy / UNITS, dtype=str, keep_default_na=False)
    units[units["plant-id"] != dropped["plant-id"]].to_csv(raw_copy / UNITS, index=False)
    digest = tree_digest(out)
    result = build(raw_copy, out, accept=frozenset({PLANTS, UNITS}), progress=False, min_countries=FIXTURE_COUNTRIES)
    assert result.built and tree_digest(out) != digest
    record = load_dataset(out, verify=False).manifest.changes["gem_steel"]
    assert record["plants_removed"] == [f"{dropped['plant-id']} ({dropped['plant-name-(english)']})"]
    assert (
        record["plants_added"] == []
        and len(record["units_removed"]) == (units["plant-id"] == dropped["plant-id"]).sum()
    )
    running = sum(
        float(dropped[f"{s}-nominal-crude-steel-capacity-(ttpa)"]) for s in ("operating", "operating-pre-retirement")
    )
    assert record["operating_steel_before"] - record["operating_steel_after"] == pytest.approx(running / 1000)


# --- Bad input: the one line names the file, the row or line and column, and the problem --------------------------
@pytest.mark.parametrize(
    "name, variant, expected",
    [
        (PLANTS, "country that does not map", "row 2, column 'country/area': not a country or area name"),
        (PLANTS, "crude steel total disagrees", "row 2, column 'operating-nominal-crude-steel-capacity-(ttpa)': total"),
        (UNITS, "duplicated unit id", "row 3, column 'gem-unit-id': id is duplicated"),
        (UNITS, "relining in another format", "row 6, column 'most-recent-relining': not a year, year-month or date"),
        (PRODUCTION, "footer copyright changed", "line 14: expected the copyright line"),
        (TRACE_V5, "a 2031 year", "column 'start_time': year 2031 is outside 2015-"),
        (COMPANIES, "company not in the member list", "row 2, column 'company': 'Acme Steel' is not a company"),
    ],
)
def test_broken_steel_inputs_are_named_by_file_place_and_problem(name, variant, expected, raw_copy, tmp_path, capsys):
    from test_bad_input_corpus import CORPUS

    CORPUS[name][variant](raw_copy)
    out = tmp_path / "processed"
    args = ["--raw-dir", str(raw_copy), "--out-dir", str(out), "--quiet", "--accept", name]
    assert main([*args, "--min-countries", str(FIXTURE_COUNTRIES)]) == 1
    line = capsys.readouterr().err.strip()
    assert line.startswith(f"error: {raw_copy / name}: ") and expected in line, line


def test_release_of_names_an_unrecorded_release_rather_than_guess():
    from decarb.provenance import Manifest

    assert release_of(Manifest(), "climate_trace_subsectors", "iron_steel").endswith(
        "(release not recorded in the manifest)"
    )


def test_world_capacity_outside_the_plausible_band_stops_a_full_build(fixture_build):
    from etl import checks
    from etl.errors import InputError

    tables = {name: pd.read_parquet(fixture_build / f"{name}.parquet") for name in ("steel_plants", "steel_units")}
    tables["production"] = pd.read_parquet(fixture_build / "production.parquet")
    capacity = pd.read_parquet(fixture_build / "steel_capacity.parquet")
    checks._check_steel({**tables, "steel_capacity": capacity}, full=False)  # an extract is not held to it
    with pytest.raises(InputError, match="outside the plausible"):
        checks._check_steel({**tables, "steel_capacity": capacity}, full=True)
    low, high = checks.WORLD_OPERATING_STEEL_CAPACITY_MT
    running = capacity["status"].isin(["operating", "operating_pre_retirement"]) & (capacity["stage"] == "steel")
    scaled = capacity.assign(
        capacity_mt=capacity["capacity_mt"] * (low + high) / 2 / capacity.loc[running, "capacity_mt"].sum()
    )
    checks._check_steel({**tables, "steel_capacity": scaled}, full=True)
    with pytest.raises(InputError, match="outside the plausible"):  # ttpa read as tonnes: a thousand times too big
        checks._check_steel(
            {**tables, "steel_capacity": scaled.assign(capacity_mt=scaled["capacity_mt"] * 1000)}, full=True
        )
