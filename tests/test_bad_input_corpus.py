"""A corpus of at least 20 broken variants of every raw input: each must stop the ETL cleanly.

Every variant: exit code 1, exactly one line on stderr that starts with "error:" and names the file,
data/processed left byte-identical, sources.json unchanged (the refused file was named in --accept, and nothing is
recorded unless the build succeeds) and no build folder left beside it. (tests/test_etl_bad_input.py checks the
wording of the line in detail.)
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from breakers import (
    COMPANY_GEM_IDS,
    COUNTS,
    EDGAR,
    GCB,
    GEM_PLANTS,
    GEM_UNITS,
    MEMBERS,
    MILESTONES,
    NZT,
    NZT_2025,
    OWID,
    TRACE,
    TRACE_V5,
    WORLDSTEEL,
    Breaker,
    cell_table,
    changed,
    edit_bytes,
    edit_csv,
    edit_json,
    edit_parquet,
    edit_workbook,
    grow_to,
    set_sheet_cell,
    sheet_table,
    truncate,
)
from conftest import FIXTURE_COUNTRIES, FIXTURE_RAW, tree_digest
from etl.__main__ import main

pytestmark = pytest.mark.corpus  # hundreds of cases: in `make test`, not in `make test-fast`

CODEBOOK = "owid_co2/owid-co2-codebook.csv"
STEEL = "climate_trace_subsectors/steel_country_emissions.csv"
METAL = "unfccc_annex1/2C_metal_industry__co2.json"
GARBAGE = bytes(range(256)) * 64
BIG_MB = 3.5  # over the fixture's caps (tests/fixtures/raw/sources.json: max_mb)
NEXT_YEAR = str(dt.date.today().year + 1)


def replaced_by(name: str, kind: str) -> Breaker:
    """The file replaced by something that is not a regular file: reading it would block, never end, or fail."""

    def apply(raw: Path) -> None:
        path = raw / name
        path.unlink()
        if kind == "fifo":
            os.mkfifo(path)
        elif kind == "folder":
            path.mkdir()
        else:
            path.symlink_to("/dev/zero")

    return apply


# --- Damage any file can suffer ------------------------------------------------------------------------------
def file_level(name: str) -> dict[str, Breaker]:
    return {
        "empty file": edit_bytes(name, lambda b: b""),
        "truncated to two thirds": edit_bytes(name, truncate),
        "truncated to 40 bytes": edit_bytes(name, lambda b: b[:40]),
        "binary garbage": edit_bytes(name, lambda b: GARBAGE),
        "very large file": edit_bytes(name, grow_to(BIG_MB)),
        "a FIFO in its place": replaced_by(name, "fifo"),
        "a link to /dev/zero in its place": replaced_by(name, "/dev/zero"),
        "a folder in its place": replaced_by(name, "folder"),
    }


def csv_level(name: str, first_column: str) -> dict[str, Breaker]:
    return {
        **file_level(name),
        "header only": edit_bytes(name, lambda b: b.split(b"\n", 1)[0] + b"\n"),
        "UTF-16 encoded": edit_bytes(name, lambda b: b.decode("utf-8").encode("utf-16")),
        "Latin-1 character": edit_bytes(name, lambda b: b.replace(b",", "\xe9,".encode("latin-1"), 3)),
        "semicolon separated": edit_bytes(name, lambda b: b.replace(b",", b";")),
        "first column dropped": edit_csv(name, lambda f: f.drop(columns=[first_column])),
        "first column renamed": edit_csv(name, lambda f: f.rename(columns={first_column: first_column.upper()})),
        "first row duplicated": edit_csv(name, lambda f: pd.concat([f, f.iloc[[0]]], ignore_index=True)),
        "ragged row": edit_bytes(
            name, lambda b: b"\n".join(line + b",extra" if i == 2 else line for i, line in enumerate(b.split(b"\n")))
        ),
    }


def workbook_level(name: str, sheet: str, key_column: int) -> dict[str, Breaker]:
    return {
        **file_level(name),
        "a CSV saved as .xlsx": edit_bytes(name, lambda b: b"a,b,c\n1,2,3\n"),
        "sheet missing": edit_workbook(name, lambda book: book.remove(book[sheet])),
        "sheet renamed": edit_workbook(name, lambda book: setattr(book[sheet], "title", sheet.lower() + "_v2")),
        "header pushed down a row": edit_workbook(name, lambda book: book[sheet].insert_rows(1)),
        "no data rows": edit_workbook(name, lambda book: book[sheet].delete_rows(2, book[sheet].max_row)),
        "first row duplicated": edit_workbook(name, lambda book: book[sheet].append([c.value for c in book[sheet][2]])),
        "key header renamed": edit_workbook(name, set_sheet_cell(sheet, 1, key_column, "renamed")),
    }


def cells(name: str, cases: dict[str, tuple[int, str, str]]) -> dict[str, Breaker]:
    return {label: breaker for label, (breaker, _) in cell_table(name, cases).items()}


def sheet_cells(name: str, sheet: str, cases: dict[str, tuple[int, int, object]]) -> dict[str, Breaker]:
    return {label: breaker for label, (breaker, _) in sheet_table(name, sheet, cases).items()}


# --- The corpus, per raw input -------------------------------------------------------------------------------
def where(column: str, equals: str, target: str, value: str) -> Callable[[pd.DataFrame], pd.DataFrame]:
    def change(frame: pd.DataFrame) -> pd.DataFrame:
        frame.loc[frame[column] == equals, target] = value
        return frame

    return change


def first_where(column: str, equals: str, target: str, value: str) -> Callable[[pd.DataFrame], pd.DataFrame]:
    """Edit only the first row matching, wherever the analysts have moved it in the file."""

    def change(frame: pd.DataFrame) -> pd.DataFrame:
        frame.loc[(frame[column] == equals).idxmax(), target] = value
        return frame

    return change


def on_first_cell(key: str, value: object, party: int = 0) -> Callable[[dict], dict]:
    """Set `key` of a party's first row's first year cell (not the skipped Base year)."""

    def change(payload: dict) -> dict:
        cell = payload["data"][party]["rows"][0]["cells"][1]
        cell.pop("numberValue", None), cell.pop("stringValue", None)
        cell[key] = value
        return payload

    return change


def repeated_year_cell(payload: dict) -> dict:
    """The first row's first year cell listed again: two values for one year (they must not be added up)."""
    cells = payload["data"][0]["rows"][0]["cells"]
    cells.append(dict(cells[1]))
    return payload


def renamed_key(old: str, new: str) -> Callable[[dict], dict]:
    return lambda payload: {new if k == old else k: v for k, v in payload.items()}


def duplicated_row(payload: dict) -> dict:
    rows = payload["data"][0]["rows"]
    rows.append(rows[1])
    return payload


def steel_where(gas: str, value: str) -> Callable[[pd.DataFrame], pd.DataFrame]:
    """Set the first covered row of `gas` (Sweden 2015) to `value`."""

    def change(frame: pd.DataFrame) -> pd.DataFrame:
        frame.loc[((frame["iso3_country"] == "SWE") & (frame["gas"] == gas)).idxmax(), "emissions_quantity"] = value
        return frame

    return change


TRACE_YEAR_ROW = 3


def latest_swedish_row_in_next_year(frame: pd.DataFrame) -> pd.DataFrame:
    latest = frame.loc[frame["iso_code"] == "SWE", "year"].idxmax()
    return frame.assign(year=frame["year"].where(frame.index != latest, int(NEXT_YEAR)))


def first_row_in_next_year(frame: pd.DataFrame) -> pd.DataFrame:
    frame.loc[0, ["start_time", "end_time"]] = [f"{NEXT_YEAR}-01-01 00:00:00", f"{NEXT_YEAR}-12-31 00:00:00"]
    return frame


def set_cell_of_first(row: int, year: str) -> Callable[[pd.DataFrame], pd.DataFrame]:
    def change(frame: pd.DataFrame) -> pd.DataFrame:
        frame.loc[row, "year"] = year
        return frame

    return change


def quarter_of_latest_year(frame: pd.DataFrame) -> pd.DataFrame:
    """A download made in April: the latest year the build keeps holds a quarter of the year's emissions."""
    sources = json.loads((FIXTURE_RAW / "sources.json").read_text(encoding="utf-8"))
    kept = set(frame["year"]) - set(sources["climate_trace"]["exclude_years"])
    rows = frame["year"] == max(kept)
    value = "sector_emissions_quantity"
    frame.loc[rows, value] = (frame.loc[rows, value].astype(float) / 4).astype(str)
    return frame


def repeat_key_of_first_row(frame: pd.DataFrame) -> pd.DataFrame:
    frame.loc[1, ["date", "event"]] = frame.loc[0, ["date", "event"]].to_list()
    return frame


def replace_once(old: bytes, new: bytes) -> Callable[[bytes], bytes]:
    def change(data: bytes) -> bytes:
        assert old in data, old  # a breaker that changes nothing would pass for the wrong reason
        return data.replace(old, new, 1)

    return change


def add_to_total(column: str, ttpa: float) -> Callable[[pd.DataFrame], pd.DataFrame]:
    """A plant total that no longer equals the sum of its technologies."""

    def change(frame: pd.DataFrame) -> pd.DataFrame:
        frame.loc[0, column] = str(float(frame.loc[0, column]) + ttpa)
        return frame

    return change


def copy_cell(column: str, source_row: int, target_row: int) -> Callable[[pd.DataFrame], pd.DataFrame]:
    def change(frame: pd.DataFrame) -> pd.DataFrame:
        frame.loc[target_row, column] = frame.loc[source_row, column]
        return frame

    return change


def drop_excluded_years(raw: Path) -> None:
    """sources.json no longer excludes the v5.7.0 release's half year: the partial-year rule must catch it."""
    edit_json("sources.json", lambda p: {**p, "climate_trace_v5": {**p["climate_trace_v5"], "exclude_years": {}}})(raw)


CAPACITY = "operating-nominal-crude-steel-capacity-(ttpa)"
WORLDSTEEL_BYTES = {
    "title changed": replace_once(b"Total production of crude steel", b"Total production of pig iron"),
    "header Country renamed": replace_once(b"Country,2020", b"Land,2020"),
    "a 2031 year in the header": replace_once(b",2024,", b",2031,"),
    "years not consecutive": replace_once(b",2022,", b",2019,"),
    "value as text": replace_once(b'Germany,"35,680.0"', b"Germany,n/a"),
    "negative value": replace_once(b'Sweden,"4,408.7"', b"Sweden,-4408.7"),
    "value with spaces for thousands": replace_once(b'India,"100,256.5"', b"India,100 256.5"),
    "country that does not map": replace_once(b"Germany,", b"Atlantis,"),
    "country listed twice": replace_once(b"Sweden,", b"Germany,"),
    "value beyond the year columns": replace_once(b'"19,195.3",,', b'"19,195.3",12,'),
    "blank line before the footer removed": replace_once(b"\n,,,,,,,,,,,,\n\xc2\xa9", b"\n\xc2\xa9"),
    "footer copyright changed": replace_once(b"World Steel Association,", b"Steel Statistics Ltd,"),
    "footer link changed": replace_once(b"https://www.worldsteel.org/", b"https://example.org/"),
    "footer Retrieved line removed": replace_once(b"Retrieved:,11/3/25 16:34", b","),
    "row after the footer": replace_once(
        b"Retrieved:,11/3/25 16:34,,,,,,,,,,,\n", b"Retrieved:,11/3/25 16:34,,,,,,,,,,,\nNote,x,,,,,,,,,,,\n"
    ),
    "a short row": replace_once(b'Sweden,"4,408.7","4,678.3"', b'Sweden,"4,408.7"'),
}


CORPUS: dict[str, dict[str, Breaker]] = {
    GEM_PLANTS: {
        **csv_level(GEM_PLANTS, "plant-id"),
        **cells(
            GEM_PLANTS,
            {
                "country that does not map": (0, "country/area", "Atlantis"),
                "country in lower case": (0, "country/area", "germany"),
                "capacity as text": (0, CAPACITY, "lots"),
                "negative capacity": (0, "operating-pre-retirement-nominal-bf-capacity-(ttpa)", "-100"),
                "infinite capacity": (0, CAPACITY, "inf"),
                "status not in the vocabulary": (0, "plant-status", "shelved"),
                "start date in another format": (0, "start-date", "03/1961"),
                "start year 2150": (0, "start-date", "2150"),
                "latitude out of range": (0, "lat", "95.0"),
                "longitude as text": (0, "lng", "east"),
                "plant id not a GEM id": (0, "plant-id", "X100000120421"),
                "owner id malformed": (0, "owner-gem-id", "E100000004212 [100%"),
                "wiki page not a URL": (0, "gem-wiki-page", "gem.wiki/Duisburg"),
                "plant name missing": (0, "plant-name-(english)", ""),
            },
        ),
        "duplicated plant id": edit_csv(GEM_PLANTS, copy_cell("plant-id", 0, 1)),
        "capacity column renamed": edit_csv(
            GEM_PLANTS,
            lambda f: f.rename(
                columns={"operating-nominal-bf-capacity-(ttpa)": "operating-nominal-blast-capacity-(ttpa)"}
            ),
        ),
        "technology column dropped (totals no longer add up)": edit_csv(
            GEM_PLANTS, lambda f: f.drop(columns=["operating-nominal-eaf-steel-capacity-(ttpa)"])
        ),
        "pre-retirement total dropped": edit_csv(
            GEM_PLANTS, lambda f: f.drop(columns=["operating-pre-retirement-nominal-crude-steel-capacity-(ttpa)"])
        ),
        "crude steel total disagrees": edit_csv(GEM_PLANTS, add_to_total(CAPACITY, 100)),
    },
    GEM_UNITS: {
        **csv_level(GEM_UNITS, "gem-unit-id"),
        **cells(
            GEM_UNITS,
            {
                "capacity as text": (0, "current-capacity-(ttpa)", "lots"),
                "negative capacity": (0, "current-capacity-(ttpa)", "-5"),
                "capacity '<5'": (0, "current-capacity-(ttpa)", "<5"),
                "relining in another format": (4, "most-recent-relining", "08/2015"),
                "relining month 13": (4, "most-recent-relining", "2015-13"),
                "relining in 2031": (4, "most-recent-relining", "2031"),
                "status not in the vocabulary": (0, "status", "idle"),
                "unknown furnace type": (0, "tab-type", "Induction_furnaces"),
                "country that does not map": (0, "country/area", "Atlantis"),
                "country other than its plant's": (0, "country/area", "Japan"),
                "plant id disagrees with gem-plant-id": (0, "plant-id", "P100000120999"),
                "unit id not a GEM id": (0, "gem-unit-id", "144433"),
                "start date as text": (0, "start-date", "soon"),
            },
        ),
        "duplicated unit id": edit_csv(GEM_UNITS, copy_cell("gem-unit-id", 0, 1)),
        "capacity column renamed": edit_csv(
            GEM_UNITS, lambda f: f.rename(columns={"current-capacity-(ttpa)": "current-capacity-(tpa)"})
        ),
        "relining column dropped": edit_csv(GEM_UNITS, lambda f: f.drop(columns=["most-recent-relining"])),
    },
    WORLDSTEEL: {
        **file_level(WORLDSTEEL),
        "header only": edit_bytes(WORLDSTEEL, lambda b: b.split(b"\n", 1)[0] + b"\n"),
        "UTF-16 encoded": edit_bytes(WORLDSTEEL, lambda b: b.decode("utf-8-sig").encode("utf-16")),
        "Latin-1 character": edit_bytes(
            WORLDSTEEL, lambda b: b.replace("Türkiye".encode(), "Türkiye".encode("latin-1"))
        ),
        "semicolon separated": edit_bytes(WORLDSTEEL, lambda b: b.replace(b",", b";")),
        **{label: edit_bytes(WORLDSTEEL, change) for label, change in WORLDSTEEL_BYTES.items()},
    },
    TRACE_V5: {
        **csv_level(TRACE_V5, "iso3_country"),
        **cells(
            TRACE_V5,
            {
                "value text": (5, "emissions_quantity", "lots"),
                "value negative": (5, "emissions_quantity", "-3"),
                "value infinite": (5, "emissions_quantity", "inf"),
                "unknown code": (5, "iso3_country", "QQQ"),
                "file from another sub-sector": (5, "subsector", "cement"),
                "another sector": (5, "sector", "power"),
                "other unit": (5, "emissions_quantity_units", "Mt"),
                "gas not stored by this reader": (5, "gas", "ch4"),
                "monthly rows": (5, "temporal_granularity", "month"),
                "end in another year": (5, "end_time", "2030-12-31 00:00:00"),
            },
        ),
        "a 2031 year": edit_csv(
            TRACE_V5,
            lambda f: f.assign(
                start_time=f["start_time"].str.replace("2026-", "2031-"),
                end_time=f["end_time"].str.replace("2026-", "2031-"),
            ),
        ),
        "half year not excluded in sources.json": drop_excluded_years,
    },
    COMPANY_GEM_IDS: {
        **csv_level(COMPANY_GEM_IDS, "company"),
        **cells(
            COMPANY_GEM_IDS,
            {
                "company not in the member list": (0, "company", "Acme Steel"),
                "a member country, not a company": (0, "company", "Sweden"),
                "company name in another case": (0, "company", "ssab"),
                "id no plant has": (0, "gem_entity_id", "E100000000000"),
                "id malformed": (0, "gem_entity_id", "E123"),
                "id in lower case": (0, "gem_entity_id", "e100000001651"),
                "id missing": (0, "gem_entity_id", ""),
                "source not a URL": (0, "source_url", "gem.wiki"),
                "source missing": (0, "source_url", ""),
            },
        ),
        "same company and id twice": edit_csv(
            COMPANY_GEM_IDS, lambda f: pd.concat([f, f.iloc[[2]]], ignore_index=True)
        ),
        "extra column": edit_csv(COMPANY_GEM_IDS, lambda f: f.assign(share="100%")),
        "columns swapped": edit_csv(COMPANY_GEM_IDS, lambda f: f[["gem_entity_id", "company", *f.columns[2:]]]),
    },
    STEEL: {
        **csv_level(STEEL, "iso3_country"),
        **cells(
            STEEL,
            {
                "value text": (5, "emissions_quantity", "lots"),
                "value infinite": (5, "emissions_quantity", "inf"),
                "value negative": (5, "emissions_quantity", "-3"),
                "unknown code": (5, "iso3_country", "QQQ"),
                "file from another sub-sector": (5, "original_inventory_sector", "cement"),
                "other unit": (5, "emissions_quantity_units", "Mt"),
                "monthly row": (5, "start_time", "2015-02-01 00:00:00"),
                "end in another year": (5, "end_time", "2030-12-31 00:00:00"),
                "unknown gas": (5, "gas", "sf6"),
            },
        ),
        "co2e_100yr below co2": edit_csv(STEEL, steel_where("co2e_100yr", "1")),
        "a year after the current year": edit_csv(STEEL, first_row_in_next_year),
        "gas column dropped": edit_csv(STEEL, lambda f: f.drop(columns=["gas"])),
    },
    METAL: {
        **file_level(METAL),
        "top level a list": edit_json(METAL, lambda p: [p]),
        "'data' renamed": edit_json(METAL, renamed_key("data", "parties")),
        "'columns' renamed": edit_json(METAL, renamed_key("columns", "cols")),
        "year column renamed": edit_json(METAL, changed(("columns", 1, "name"), "Year 1990")),
        "last inventory year unreadable": edit_json(METAL, changed(("columns", -1, "name"), "Last Inventory Year")),
        "unknown party": edit_json(METAL, changed(("data", 0, "id"), 999)),
        "unknown unit id": edit_json(METAL, changed(("data", 0, "rows", 0, "unitId"), 12345)),
        "CO2e unit in the CO2 file": edit_json(METAL, changed(("data", 0, "rows", 0, "unitId"), 140)),
        "number as a string": edit_json(METAL, on_first_cell("numberValue", "12.5")),
        "NaN": edit_json(METAL, on_first_cell("numberValue", float("nan"))),
        "infinity": edit_json(METAL, on_first_cell("numberValue", float("inf"))),
        "negative value": edit_json(METAL, on_first_cell("numberValue", -4.0)),
        "unknown notation key": edit_json(METAL, on_first_cell("stringValue", "XX")),
        "cell without a value": edit_json(METAL, on_first_cell("note", "x")),
        "duplicated row": edit_json(METAL, duplicated_row),
        "file from another category": edit_bytes(METAL, lambda b: b.replace(b"2.C  Metal", b"2.A  Metal")),
        "category name without its code": edit_json(METAL, changed(("data", 0, "rows", 1, "name"), "Iron and Steel")),
        "cells not a list": edit_json(METAL, changed(("data", 0, "rows", 0, "cells"), {"column": 32})),
        "cell column a list": edit_json(METAL, changed(("data", 0, "rows", 0, "cells", 1, "column"), [32])),
        "cell column as text": edit_json(METAL, changed(("data", 0, "rows", 0, "cells", 1, "column"), "32")),
        "stringValue an object": edit_json(METAL, on_first_cell("stringValue", {"key": "NO"})),
        "a year's cell twice in a row": edit_json(METAL, repeated_year_cell),
    },
    MEMBERS: {
        **csv_level(MEMBERS, "member"),
        **cells(
            MEMBERS,
            {
                "member missing": (2, "member", ""),
                "unknown ISO3": (1, "iso3", "ABC"),
                "lower-case ISO3": (1, "iso3", "ind"),
                "member type city": (0, "member_type", "city"),
                "status maybe": (0, "status", "maybe"),
                "malformed date": (0, "joined_on", "23/09/2019"),
                "impossible date": (0, "joined_on", "2019-02-30"),
                "future date": (0, "joined_on", "2999-12-31"),
                "source not a URL": (0, "source_url", "newspaper"),
                "confirmed without source": (0, "source_url", ""),
                "country with home country": (0, "home_iso3", "IND"),
            },
        ),
        "company without home country": edit_csv(MEMBERS, first_where("member_type", "company", "home_iso3", "")),
        "extra column": edit_csv(MEMBERS, lambda f: f.assign(extra="x")),
        "columns swapped": edit_csv(MEMBERS, lambda f: f[["member_type", "member", *f.columns[2:]]]),
    },
    COUNTS: {
        **csv_level(COUNTS, "date"),
        **cells(
            COUNTS,
            {
                "negative count": (0, "countries", "-1"),
                "text count": (0, "companies", "eleven"),
                "fractional count": (0, "countries", "10.5"),
                "infinite count": (0, "total", "inf"),
                "total missing": (0, "total", ""),
                "counts do not add up": (3, "total", "39"),
                "malformed date": (0, "date", "Sept 2019"),
                "future date": (1, "date", "2999-01-01"),
                "duplicate date": (1, "date", "2019-09-23"),
                "source not a URL": (0, "source_url", "ftp://example"),
            },
        ),
        "extra column": edit_csv(COUNTS, lambda f: f.assign(note="x")),
    },
    MILESTONES: {
        **csv_level(MILESTONES, "date"),
        **cells(
            MILESTONES,
            {
                "date missing": (0, "date", ""),
                "malformed date": (0, "date", "1 June 2022"),
                "impossible date": (3, "date", "2022-02-30"),
                "future date": (6, "date", "2999-01-01"),
                "kind not in the list": (0, "kind", "party"),
                "kind capitalised": (2, "kind", "Summit"),
                "event missing": (1, "event", ""),
                "what happened missing": (1, "what_happened", ""),
                "source missing": (4, "source_url", ""),
                "source not a URL": (4, "source_url", "dnaindia.com"),
            },
        ),
        "same date and event twice": edit_csv(MILESTONES, repeat_key_of_first_row),
        "extra column": edit_csv(MILESTONES, lambda f: f.assign(note="x")),
        "columns swapped": edit_csv(MILESTONES, lambda f: f[["kind", "date", *f.columns[2:]]]),
    },
    TRACE: {
        **csv_level(TRACE, "iso3_country"),
        **cells(
            TRACE,
            {
                "value missing": (3, "sector_emissions_quantity", ""),
                "value infinite": (3, "sector_emissions_quantity", "inf"),
                "value text": (3, "sector_emissions_quantity", "n/a"),
                "unknown code": (3, "iso3_country", "QQQ"),
                "unknown sector": (3, "sector", "steel"),
                "other gas": (3, "gas", "co2"),
                "other unit": (3, "emissions_quantity_units", "Mt"),
                "monthly rows": (3, "temporal_granularity", "month"),
                "year out of range": (3, "year", "1850"),
                "fractional year": (3, "year", "2020.5"),
            },
        ),
        "negative manufacturing": edit_csv(TRACE, where("sector", "manufacturing", "sector_emissions_quantity", "-1")),
        "a year after the current year": edit_csv(TRACE, set_cell_of_first(TRACE_YEAR_ROW, NEXT_YEAR)),
        "a partial latest year": edit_csv(TRACE, quarter_of_latest_year),
        "value column dropped": edit_csv(TRACE, lambda f: f.drop(columns=["sector_emissions_quantity"])),
    },
    CODEBOOK: {
        **csv_level(CODEBOOK, "column"),
        "cement unit changed": edit_csv(CODEBOOK, where("column", "cement_co2", "unit", "tonnes")),
        "GDP unit changed": edit_csv(CODEBOOK, where("column", "gdp", "unit", "US$")),
        "population unit missing": edit_csv(CODEBOOK, where("column", "population", "unit", "")),
        "cement row deleted": edit_csv(CODEBOOK, lambda f: f[f["column"] != "cement_co2"]),
        "unit column dropped": edit_csv(CODEBOOK, lambda f: f.drop(columns=["unit"])),
        "unit column renamed": edit_csv(CODEBOOK, lambda f: f.rename(columns={"unit": "units"})),
        "last rows cut": edit_csv(CODEBOOK, lambda f: f.iloc[: len(f) // 2]),
    },
    OWID: {
        **file_level(OWID),
        "a CSV saved as .parquet": edit_bytes(OWID, lambda b: b"country,year\nWorld,2000\n"),
        **{
            f"{c} dropped": edit_parquet(OWID, lambda f, c=c: f.drop(columns=[c]))
            for c in ("country", "year", "iso_code", "population", "gdp", "cement_co2")
        },
        "iso_code renamed": edit_parquet(OWID, lambda f: f.rename(columns={"iso_code": "iso"})),
        "population as text": edit_parquet(OWID, lambda f: f.assign(population=f["population"].astype(str) + " p")),
        "negative cement": edit_parquet(OWID, lambda f: f.assign(cement_co2=-f["cement_co2"])),
        "infinite GDP": edit_parquet(OWID, lambda f: f.assign(gdp=f["gdp"] * float("inf"))),
        "negative population": edit_parquet(OWID, lambda f: f.assign(population=-f["population"])),
        "duplicate country-year": edit_parquet(OWID, lambda f: pd.concat([f, f.iloc[[5]]], ignore_index=True)),
        "unknown ISO code": edit_parquet(OWID, lambda f: f.assign(iso_code=f["iso_code"].replace("SWE", "SWX"))),
        "year out of range": edit_parquet(OWID, lambda f: f.assign(year=f["year"] - 500)),
        "country missing": edit_parquet(OWID, lambda f: f.assign(country=f["country"].where(f.index != 3))),
        "no rows": edit_parquet(OWID, lambda f: f.iloc[:0]),
        "a year after the current year": edit_parquet(OWID, latest_swedish_row_in_next_year),
    },
    NZT: {
        **workbook_level(NZT, "NZT DATA", key_column=2),
        **sheet_cells(
            NZT,
            "NZT DATA",
            {
                "id missing": (2, 2, None),
                "name missing": (2, 3, None),
                "unknown country": (2, 4, "XYZ"),
                "actor type planet": (2, 5, "Planet"),
                "status maybe": (2, 18, "Maybe"),
                "target year 1800": (2, 17, 1800),
                "target year text": (2, 17, "soon"),
                "interim year 3000": (2, 28, 3000),
            },
        ),
        "duplicate id": edit_workbook(
            NZT, lambda book: set_sheet_cell("NZT DATA", 3, 2, book["NZT DATA"].cell(row=2, column=2).value)(book)
        ),
    },
    EDGAR: {
        **workbook_level(EDGAR, "GHG_by_sector_and_country", key_column=1),
        "totals sheet missing": edit_workbook(EDGAR, lambda book: book.remove(book["GHG_totals_by_country"])),
        **sheet_cells(
            EDGAR,
            "GHG_by_sector_and_country",
            {
                "Substance header renamed": (1, 1, "Gas"),
                "year header gap": (1, 25, "1990b"),
                "years start late": (1, 5, "Y_1970"),
                "negative value": (3, 12, -2.0),
                "text value": (3, 12, "lots"),
                "unknown substance": (3, 1, "SF6"),
                "unknown sector": (3, 2, "Steel"),
                "unknown code": (3, 3, "ZZZ"),
                "substance missing": (3, 1, None),
            },
        ),
        "totals disagree": edit_workbook(EDGAR, set_sheet_cell("GHG_totals_by_country", 2, 30, 12345.0)),
        "totals negative": edit_workbook(EDGAR, set_sheet_cell("GHG_totals_by_country", 2, 30, -1.0)),
    },
}


def gcb_rows(country: str, change: Callable[[pd.Series], pd.Series]) -> Callable[[pd.DataFrame], pd.DataFrame]:
    """Apply `change` to every numeric column of one entity's rows (so its totals still add up)."""

    def edit(frame: pd.DataFrame) -> pd.DataFrame:
        rows = frame["Country"] == country
        for column in ("Total", "Coal", "Oil", "Gas", "Cement", "Flaring", "Other"):
            values = pd.to_numeric(frame.loc[rows, column], errors="coerce")
            frame.loc[rows, column] = change(values).map(lambda v: "" if pd.isna(v) else repr(float(v)))
        return frame

    return edit


def same_key_under_another_name(frame: pd.DataFrame) -> pd.DataFrame:
    """Row 0 renamed, but given the code and year of another row: one code-year twice."""
    other = frame.index[(frame["Country"] != frame.loc[0, "Country"]) & (frame["Year"] == frame.loc[0, "Year"])][0]
    frame.loc[0, "Country"] = frame.loc[0, "Country"] + " (copy)"
    frame.loc[0, "ISO 3166-1 alpha-3"] = frame.loc[other, "ISO 3166-1 alpha-3"]
    return frame


CORPUS.update(
    {
        GCB: {
            **csv_level(GCB, "Country"),
            **cells(
                GCB,
                {
                    "Total not the sum of its parts": (3, "Total", "99999"),
                    "negative cement": (3, "Cement", "-1"),
                    "text in Coal": (3, "Coal", "lots"),
                    "infinite Oil": (3, "Oil", "inf"),
                    "unknown ISO code": (3, "ISO 3166-1 alpha-3", "SWX"),
                    "year out of range": (3, "Year", "1600"),
                    "fractional year": (3, "Year", "2020.5"),
                    "country missing": (3, "Country", ""),
                    "negative per capita": (3, "Per Capita", "-3"),
                },
            ),
            "Cement column dropped": edit_csv(GCB, lambda f: f.drop(columns=["Cement"])),
            "Total renamed": edit_csv(GCB, lambda f: f.rename(columns={"Total": "Total CO2"})),
            "Coal and Oil swapped": edit_csv(GCB, lambda f: f[[*f.columns[:5], "Oil", "Coal", *f.columns[7:]]]),
            "extra column": edit_csv(GCB, lambda f: f.assign(Bunkers="0")),
            "world in kt, not Mt": edit_csv(GCB, gcb_rows("Global", lambda v: v * 1000)),
            "no Global rows": edit_csv(GCB, lambda f: f[f["Country"] != "Global"]),
            "one code-year twice under two names": edit_csv(GCB, same_key_under_another_name),
        },
        NZT_2025: {
            **csv_level(NZT_2025, "iso3"),
            **cells(
                NZT_2025,
                {
                    "unknown status": (0, "status_of_end_target", "Maybe"),
                    "target year out of range": (0, "end_target_year", "2200"),
                    "fractional target year": (0, "end_target_year", "2050.5"),
                    "target year as text": (0, "end_target_year", "soon"),
                    "status updated in the future": (0, "date_of_last_status_update", "2031"),
                    "unknown code": (0, "iso3", "ZZZ"),
                    "code missing": (0, "iso3", ""),
                    "a country the 2023 snapshot lacks": (0, "iso3", "ATA"),
                    "target kind missing beside a year": (0, "end_target", ""),
                    "typed n/a status": (0, "status_of_end_target", "n/a"),
                },
            ),
            "duplicate code": edit_csv(NZT_2025, lambda f: f.assign(iso3=[f["iso3"].iloc[0]] * len(f))),
            "status column dropped": edit_csv(NZT_2025, lambda f: f.drop(columns=["status_of_end_target"])),
            "columns reordered": edit_csv(NZT_2025, lambda f: f[[*f.columns[::-1]]]),
            "extra column": edit_csv(NZT_2025, lambda f: f.assign(interim_target="")),
        },
    }
)


@pytest.mark.parametrize("name, variant", [(GCB, "Total not the sum of its parts"), (NZT_2025, "unknown status")])
def test_new_raw_formats_leave_sources_json_unchanged(name, variant, raw_copy, tmp_path, pristine, capsys):
    """An accepted file that is refused records nothing: sources.json is written only after a build succeeds."""
    built, digest = pristine
    out = tmp_path / "processed"
    shutil.copytree(built, out)
    before = (raw_copy / "sources.json").read_bytes()
    CORPUS[name][variant](raw_copy)
    args = ["--raw-dir", str(raw_copy), "--out-dir", str(out), "--quiet", "--accept", name]
    assert main([*args, "--min-countries", str(FIXTURE_COUNTRIES)]) == 1
    line = capsys.readouterr().err.strip()
    assert Path(name).name in line and "row " in line and "column '" in line, line  # file, row, column, problem
    assert (raw_copy / "sources.json").read_bytes() == before and tree_digest(out) == digest


@pytest.fixture(scope="module")
def pristine(fixture_build: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    return fixture_build, tree_digest(fixture_build)


@pytest.mark.parametrize("name", list(CORPUS))
def test_corpus_has_at_least_20_variants_of_every_raw_input(name):
    assert len(CORPUS[name]) >= 20, f"{name}: {len(CORPUS[name])} variants"


@pytest.mark.parametrize("name, variant", [(n, v) for n, variants in CORPUS.items() for v in variants])
def test_broken_variant_stops_cleanly(name, variant, raw_copy, tmp_path, pristine, capsys):
    built, digest = pristine
    out = tmp_path / "processed"
    shutil.copytree(built, out)
    CORPUS[name][variant](raw_copy)
    sources = (raw_copy / "sources.json").read_bytes()
    code = main(
        [
            "--raw-dir",
            str(raw_copy),
            "--out-dir",
            str(out),
            "--quiet",
            "--accept",
            name,
            "--min-countries",
            str(FIXTURE_COUNTRIES),
        ]
    )
    lines = capsys.readouterr().err.strip().splitlines()
    assert code == 1, f"{variant}: the ETL accepted it"
    assert len(lines) == 1 and lines[0].startswith("error: "), lines
    assert Path(name).name in lines[0]
    assert tree_digest(out) == digest
    assert (raw_copy / "sources.json").read_bytes() == sources, f"{variant}: sources.json changed by a refused build"
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith((".build-", ".old-"))]


def test_workbook_breakers_really_change_the_file(raw_copy):
    """Guard against a breaker that silently does nothing (the variant would then 'pass' for a wrong reason)."""
    before = openpyxl.load_workbook(raw_copy / NZT)["NZT DATA"].cell(row=2, column=18).value
    CORPUS[NZT]["status maybe"](raw_copy)
    assert openpyxl.load_workbook(raw_copy / NZT)["NZT DATA"].cell(row=2, column=18).value == "Maybe" != before
