"""Ways to break a raw file, each a function that edits a copy in place (used by the bad-input tests)."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path

import openpyxl
import pandas as pd

Breaker = Callable[[Path], None]  # takes the raw folder

# The raw files the bad-input tests break, as named in the fixture's sources.json (spelled here, not taken from
# etl/: a renamed file must fail these tests, not follow along).
MEMBERS = "leadit/leadit_members.csv"
COUNTS = "leadit/leadit_reported_counts.csv"
MILESTONES = "leadit/leadit_events.csv"
TRACE = "climate_trace/climate_trace_sector_level_summary.csv"
EDGAR = "edgar_2024_ghg/EDGAR_2024_GHG_booklet_2024.xlsx"
OWID = "owid_co2/owid-co2-data.parquet"
NZT = "net_zero_tracker/nzt_snapshot_2023-04-22_12-08-19.xlsx"
GEM_PLANTS = "gem_steel/gist_plants_2025-03.csv"
GEM_UNITS = "gem_steel/gist_units_2025-03.csv"
WORLDSTEEL = "worldsteel/crude_steel_production_2020-2024.csv"
TRACE_V5 = "climate_trace_v5/iron-and-steel_country_emissions_v5_7_0.csv"
COMPANY_GEM_IDS = "leadit/leadit_company_gem_ids.csv"
GCB = "global_carbon_budget/GCB2025v15_MtCO2_flat.csv"
NZT_2025 = "net_zero_tracker/nzt_stocktake_2025_country_end_targets.csv"


def edit_csv(name: str, change: Callable[[pd.DataFrame], pd.DataFrame]) -> Breaker:
    def apply(raw: Path) -> None:
        frame = pd.read_csv(raw / name, dtype=str, keep_default_na=False)
        change(frame).to_csv(raw / name, index=False)

    return apply


def set_cell(row: int, column: str, value: str) -> Callable[[pd.DataFrame], pd.DataFrame]:
    def change(frame: pd.DataFrame) -> pd.DataFrame:
        frame.loc[row, column] = value
        return frame

    return change


def edit_bytes(name: str, change: Callable[[bytes], bytes]) -> Breaker:
    def apply(raw: Path) -> None:
        (raw / name).write_bytes(change((raw / name).read_bytes()))

    return apply


def edit_workbook(name: str, change: Callable[[openpyxl.Workbook], None]) -> Breaker:
    def apply(raw: Path) -> None:
        book = openpyxl.load_workbook(raw / name)
        change(book)
        book.save(raw / name)

    return apply


def set_sheet_cell(sheet: str, row: int, column: int, value: object) -> Callable[[openpyxl.Workbook], None]:
    def change(book: openpyxl.Workbook) -> None:
        book[sheet].cell(row=row, column=column).value = value

    return change


def edit_json(name: str, change: Callable[[object], object]) -> Breaker:
    """Rewrite a JSON file with `change` applied to its parsed content."""

    def apply(raw: Path) -> None:
        path = raw / name
        path.write_text(
            json.dumps(change(json.loads(path.read_text(encoding="utf-8"))), ensure_ascii=False), encoding="utf-8"
        )

    return apply


def changed(path: tuple, value: object) -> Callable[[dict], dict]:
    """Set the value at `path` (keys and list indices) of a JSON payload."""

    def change(payload: dict) -> dict:
        target = payload
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value
        return payload

    return change


def edit_parquet(name: str, change: Callable[[pd.DataFrame], pd.DataFrame]) -> Breaker:
    def apply(raw: Path) -> None:
        change(pd.read_parquet(raw / name)).to_parquet(raw / name, index=False)

    return apply


def truncate(data: bytes) -> bytes:
    return data[: len(data) * 2 // 3]


def grow_to(megabytes: float) -> Callable[[bytes], bytes]:
    """Append filler past a size limit (the content is irrelevant: the size check comes first)."""

    def change(data: bytes) -> bytes:
        return data + b"\n" * int(megabytes * 1e6)

    return change


# --- Case tables: one row a case, {label: (where, value, ...)}; what follows the value is the test's own -------
def cell_table(name: str, cases: Mapping[str, tuple]) -> dict[str, tuple[Breaker, tuple]]:
    """{label: (row, column, value, *rest)} -> {label: (a breaker setting that cell of the CSV `name`, rest)}."""
    return {
        label: (edit_csv(name, set_cell(row, column, value)), tuple(rest))
        for label, (row, column, value, *rest) in cases.items()
    }


def sheet_table(name: str, sheet: str, cases: Mapping[str, tuple]) -> dict[str, tuple[Breaker, tuple]]:
    """{label: (row, column, value, *rest)} -> {label: (a breaker setting that cell of `sheet` in `name`, rest)}."""
    return {
        label: (edit_workbook(name, set_sheet_cell(sheet, row, column, value)), tuple(rest))
        for label, (row, column, value, *rest) in cases.items()
    }
