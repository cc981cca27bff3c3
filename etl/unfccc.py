"""UNFCCC Annex I inventories (CRF, "Detailed data by party"): manufacturing fuel (1.A.2.x) and industrial
processes (2.A, 2.B, 2.C) per party and year, kt into Mt rows, a fuel part and a process part per industry.

Notation keys (stated rule): NO (not occurring) and NA (not applicable) are zero; NE (not estimated), IE
(included elsewhere) and C (confidential) are unknown here and give no value (counted in the quality notes).
A key combining both kinds (e.g. "NO,IE") is unknown. The two EU entries are left out (docs/data.md).
"""

from __future__ import annotations

import functools
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd
import pyarrow

from decarb.contract import UNFCCC, UNIT_MT_CO2, UNIT_MT_CO2E_AR4
from etl.errors import InputError
from etl.readers import raw_bytes

FOLDER = "unfccc_annex1"
PARTIES_FILE = f"{FOLDER}/api-mappings/parties.json"
CONVERSION_FILE = f"{FOLDER}/api-mappings/conversion.json"
PARTS = {  # file stem -> parent category (the first row of every party)
    "1A2_manufacturing_industries": "1.A.2",
    "2A_mineral_industry": "2.A",
    "2B_chemical_industry": "2.B",
    "2C_metal_industry": "2.C",
}
# file suffix -> (gas, unit name the file must use, unit it becomes, GWP)
GASES = {
    "aggregate_ghgs": ("ghg", "kt CO₂ equivalent", "Mt CO₂ equivalent", "GWP-100 AR4"),
    "co2": ("co2", "kt", "Mt", "n/a (CO2 only)"),
}
UNITS = {"ghg": UNIT_MT_CO2E_AR4, "co2": UNIT_MT_CO2}
# Contract sector -> the categories that make it (their values are added).
SECTORS: dict[str, tuple[str, ...]] = {
    "iron_steel_fuel": ("1.A.2.a",),
    "non_ferrous_fuel": ("1.A.2.b",),
    "chemicals_fuel": ("1.A.2.c",),
    "pulp_paper_fuel": ("1.A.2.d",),
    "minerals_fuel": ("1.A.2.f",),
    "other_manufacturing_fuel": ("1.A.2.e", "1.A.2.g"),
    "minerals_process": ("2.A",),
    "cement_process": ("2.A.1",),  # inside minerals_process: never added to it (contract: adds_up=False)
    "chemicals_process": ("2.B",),
    "iron_steel_process": ("2.C.1",),
    "aluminium_process": ("2.C.3",),
    "other_metals_process": ("2.C.2", "2.C.4", "2.C.5", "2.C.6", "2.C.7"),
}
ZERO_KEYS = frozenset({"NO", "NA"})
UNKNOWN_KEYS = frozenset({"NE", "IE", "C"})
EU_ENTRIES = ("EUA", "EUC")  # European Union (KP) and (Convention): not EU27 (see docs/data.md)
SUM_TOLERANCE = 1e-6  # relative; sub-categories must reproduce their parent to float precision
YEAR_COLUMN = re.compile(r"^(\d{4})$|^Last Inventory Year \((\d{4})\)$")
CATEGORY = re.compile(r"^(\d\.[A-Z]{1,2}(?:\.\d+)?(?:\.[a-z])?)\s{2}\S")


def file_of(stem: str, gas: str) -> str:
    return f"{FOLDER}/{stem}__{gas}.json"


def _load_json(path: Path) -> object:
    data = raw_bytes(path)
    if not data.strip():
        raise InputError(path, "", "file is empty")
    try:
        return json.loads(data)
    except UnicodeDecodeError as err:
        raise InputError(path, "", f"not valid UTF-8 ({err.reason})") from None
    except json.JSONDecodeError as err:
        raise InputError(path, f"line {err.lineno}", f"not valid JSON ({err.msg}): is the file cut short?") from None


T = TypeVar("T")


def _require(value: object, kind: type[T], path: Path, where: str, what: str) -> T:
    if not isinstance(value, kind) or isinstance(value, bool):
        raise InputError(path, where, f"{what} must be a JSON {kind.__name__}, got {type(value).__name__}")
    return value


def _key(entry: dict, key: str, path: Path, where: str) -> object:
    if key not in entry:
        raise InputError(path, where, f"key '{key}' missing (renamed or deleted?)")
    return entry[key]


def _id(entry: dict, key: str, path: Path, where: str) -> int:
    """An id of the mappings: a JSON integer, as the data files' party ids are matched against them."""
    return _require(_key(entry, key, path, where), int, path, where, f"'{key}'")


def _number(entry: dict, key: str, path: Path, where: str) -> float:
    value = _key(entry, key, path, where)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(path, where, f"'{key}' must be a JSON number, got {type(value).__name__}")
    return float(value)


@dataclass(frozen=True)
class Mappings:
    parties: dict[int, str]  # party id -> ISO3 (or EUA/EUC)
    units: dict[int, str]  # unit id -> name
    to_mt: dict[tuple[int, int], float]  # (unit id from, unit id to) -> factor, where the same for every gas


def read_mappings(raw_dir: Path) -> Mappings:
    path = raw_dir / PARTIES_FILE
    groups = _require(_load_json(path), list, path, "top level", "the file")
    parties = {}
    for i, group in enumerate(groups):
        where = f"group {i + 1}"
        if _key(group, "categoryCode", path, where) != "annexOne" or group.get("name") != "Annex I":
            continue
        for party in _require(_key(group, "parties", path, where), list, path, where, "'parties'"):
            parties[_id(party, "id", path, where)] = str(_key(party, "code", path, where))
    if not parties:
        raise InputError(path, "", "no 'Annex I' group of parties")
    path = raw_dir / CONVERSION_FILE
    conversion = _require(_load_json(path), dict, path, "top level", "the file")
    units = {
        _id(u, "id", path, "units"): str(_key(u, "name", path, "units"))
        for u in _require(_key(conversion, "units", path, "top level"), list, path, "units", "'units'")
    }
    factors: dict[tuple[int, int], set[float]] = {}
    for entry in _require(_key(conversion, "annexOne", path, "top level"), list, path, "annexOne", "'annexOne'"):
        pair = (_id(entry, "unitFromId", path, "annexOne"), _id(entry, "unitToId", path, "annexOne"))
        factors.setdefault(pair, set()).add(_number(entry, "factor", path, "annexOne"))
    # NOTE: a mass unit into a CO2e unit differs per gas (its GWP); only factors that agree for every gas are kept
    # (kt -> Mt, kt CO2e -> Mt CO2e), the only ones this step uses.
    return Mappings(parties, units, {pair: values.pop() for pair, values in factors.items() if len(values) == 1})


def _years(columns: object, path: Path) -> dict[int, int]:
    """Column id -> year. `Last Inventory Year (2019)` is 2019; `Base year` is not a year and is skipped."""
    years = {}
    for i, column in enumerate(_require(columns, list, path, "columns", "'columns'")):
        name = str(_key(column, "name", path, f"column {i + 1}"))
        if name == "Base year":
            continue
        match = YEAR_COLUMN.match(name)
        if not match:
            raise InputError(
                path,
                f"column {i + 1}",
                f"name {name!r} is neither a year, 'Base year' nor 'Last Inventory Year (YYYY)'",
            )
        years[_id(column, "id", path, f"column {i + 1}")] = int(match.group(1) or match.group(2))
    if sorted(years.values()) != list(range(min(years.values(), default=0), max(years.values(), default=0) + 1)):
        raise InputError(path, "columns", "the year columns do not run without a gap")
    return years


def _unit_factor(unit_id: object, expected: str, target: str, maps: Mappings, path: Path, where: str) -> float:
    if unit_id not in maps.units:
        raise InputError(path, where, f"unknown unitId {unit_id!r} (not in {CONVERSION_FILE})")
    if maps.units[unit_id] != expected:
        raise InputError(path, where, f"unit is {maps.units[unit_id]!r}, expected {expected!r} for this file")
    target_id = next((i for i, name in maps.units.items() if name == target), None)
    factor = None if target_id is None else maps.to_mt.get((unit_id, target_id))
    if factor is None:
        raise InputError(path, where, f"no conversion from {expected!r} to {target!r} in {CONVERSION_FILE}")
    return factor


@functools.cache
def _notation(key: str) -> tuple[float, str]:
    """A notation key's value (0 for NO/NA) and the unknown keys it holds ('' when none)."""
    keys = set(key.replace(" ", "").split(","))
    if not keys <= ZERO_KEYS | UNKNOWN_KEYS:
        raise ValueError(f"unknown notation key {key!r} (expected NO, NA, NE, IE, C or a combination)")
    return (0.0, "") if keys <= ZERO_KEYS else (np.nan, "+".join(sorted(keys & UNKNOWN_KEYS)))


def _cell(cell: dict) -> tuple[float, str]:
    """(value, notation key): a number with key '', or NaN with its key. Raises ValueError with the problem.

    Called for every cell (about 200,000): plain comparisons, no numpy scalars and no text unless it fails.
    """
    number, key = cell.get("numberValue"), cell.get("stringValue")
    if (number is None) == (key is None):
        raise ValueError("a cell needs exactly one of 'numberValue' and 'stringValue'")
    if number is not None:
        if type(number) not in (int, float):
            raise ValueError(f"numberValue is not a number: {number!r}")
        if not 0.0 <= number < math.inf:  # NaN fails every comparison
            raise ValueError(f"numberValue {number!r} is not a finite non-negative number")
        return float(number), ""
    if not isinstance(key, str):
        raise ValueError(f"stringValue is not text: {key!r}")
    return _notation(key)


def read_file(path: Path, parent: str, gas_file: str, maps: Mappings) -> pd.DataFrame:
    """One file as rows (iso3, category, year, value in Mt, key); a notation key that is unknown has value NaN.

    The rows (a few hundred per file) are checked one by one; their cells (about 11,000 per file) are converted
    in one vectorised pass. Any cell that is not an ordinary one (a finite non-negative float, or a known notation
    key), and any failing row, sends the file through the cell-by-cell reading (`_read_file_by_cell`), which
    raises the first problem in file order with exactly its message.
    """
    payload = _require(_load_json(path), dict, path, "top level", "the file")
    years = _years(_key(payload, "columns", path, "top level"), path)
    try:
        rows = _ordinary_rows(payload, path, parent, gas_file, maps)
        frame = None if rows is None else _ordinary_cells(rows, years)
    except (InputError, TypeError):  # TypeError: e.g. an unhashable column id; the slow path raises it as before
        frame = None
    if frame is None:
        return _read_file_by_cell(payload, years, path, parent, gas_file, maps)
    if frame.empty:
        raise InputError(path, "", "no data rows")
    return frame


def _ordinary_rows(
    payload: dict, path: Path, parent: str, gas_file: str, maps: Mappings
) -> list[tuple[str, str, float, list]] | None:
    """(iso3, category, factor, cells) of every row with cells, or None where a row is not an ordinary one."""
    _, unit, target, _ = GASES[gas_file]
    found, seen = [], set()
    for entry in _require(_key(payload, "data", path, "top level"), list, path, "data", "'data'"):
        party_id = _key(entry, "id", path, "data")
        if party_id not in maps.parties:
            return None
        iso3 = maps.parties[party_id]
        for row in _require(_key(entry, "rows", path, f"party {iso3}"), list, path, f"party {iso3}", "'rows'"):
            name = str(_key(row, "name", path, f"party {iso3}"))
            match = CATEGORY.match(name)
            if not match or not (match.group(1) == parent or match.group(1).startswith(parent + ".")):
                return None
            category = match.group(1)
            if (iso3, category) in seen:
                return None
            seen.add((iso3, category))
            cells = _require(_key(row, "cells", path, name), list, path, name, "'cells'")
            if not cells:  # e.g. no CO2 from nitric acid: the interface lists the category without data
                continue
            factor = _unit_factor(row.get("unitId"), unit, target, maps, path, name)
            if set(map(type, cells)) != {dict}:
                return None
            found.append((iso3, category, factor, cells))
    return found


def _ordinary_cells(rows: list[tuple[str, str, float, list]], years: dict[int, int]) -> pd.DataFrame | None:
    """The cells of `rows` as one frame, or None where any cell (even a Base year one) is not an ordinary one:
    every cell has a finite non-negative float numberValue and no stringValue, or a known notation key and no
    numberValue."""
    cells = [cell for *_, row_cells in rows for cell in row_cells]
    numbers = [cell.get("numberValue") for cell in cells]
    keys = [cell.get("stringValue") for cell in cells]
    if not set(map(type, numbers)) <= {float, type(None)} or not set(map(type, keys)) <= {str, type(None)}:
        return None
    value = np.array(numbers, dtype="float64")  # None becomes NaN
    at_key = np.flatnonzero(np.array(keys, dtype=object) != None)  # noqa: E711 (elementwise)
    with np.errstate(invalid="ignore"):
        ordinary_numbers = (value >= 0.0) & (value < math.inf)
    # The cells without a key all hold a finite number; as many cells hold no number as hold a key: so those
    # with a key hold no number.
    if ordinary_numbers.sum() + len(at_key) != len(cells) or numbers.count(None) != len(at_key):
        return None
    try:
        notation = {key: _notation(key) for key in set(keys) - {None}}
    except ValueError:
        return None
    key_text = np.full(len(cells), "", dtype=object)
    if len(at_key):
        value[at_key], key_text[at_key] = zip(*(notation[keys[i]] for i in at_key), strict=True)
    columns = [cell.get("column") for cell in cells]
    if set(map(type, columns)) != {int}:  # a column id not a JSON integer: the cell-by-cell reading names it
        return None
    year = np.array([years.get(column, 0) for column in columns], dtype="int64")  # 0: Base year
    kept = year != 0
    row_of_cell = np.repeat(np.arange(len(rows)), [len(row_cells) for *_, row_cells in rows])[kept]
    if len(np.unique(row_of_cell * 10_000 + year[kept])) != len(row_of_cell):  # a year twice in one row
        return None
    factor = np.array([factor for _, _, factor, _ in rows], dtype="float64")
    return pd.DataFrame(
        {
            "iso3": _taken([iso3 for iso3, *_ in rows], row_of_cell),
            "category": _taken([category for _, category, *_ in rows], row_of_cell),
            "year": year[kept],
            "value": value[kept] * factor[row_of_cell],
            "key": pd.Series(key_text[kept], dtype="str"),
        }
    )


def _taken(labels: list[str], rows: np.ndarray) -> pd.Series:
    """labels[rows] as a string column, taken by Arrow without a Python object per row."""
    return pd.Series(pyarrow.array(labels, pyarrow.large_string()).take(pyarrow.array(rows)), dtype="str")


def _read_file_by_cell(
    payload: dict, years: dict[int, int], path: Path, parent: str, gas_file: str, maps: Mappings
) -> pd.DataFrame:
    """read_file one cell at a time: raises the first problem in file order, naming the party, category, year."""
    _, unit, target, _ = GASES[gas_file]
    records, seen = [], set()
    for entry in _require(_key(payload, "data", path, "top level"), list, path, "data", "'data'"):
        party_id = _key(entry, "id", path, "data")
        if party_id not in maps.parties:
            raise InputError(
                path,
                f"party {entry.get('name', party_id)!r}",
                f"unknown party id {party_id!r} (not an Annex I party in {PARTIES_FILE})",
            )
        iso3 = maps.parties[party_id]
        rows = _require(_key(entry, "rows", path, f"party {iso3}"), list, path, f"party {iso3}", "'rows'")
        for row in rows:
            name = str(_key(row, "name", path, f"party {iso3}"))
            match = CATEGORY.match(name)
            where = f"party {iso3}, category {name!r}"
            if not match or not (match.group(1) == parent or match.group(1).startswith(parent + ".")):
                raise InputError(path, where, f"not a category of {parent} (a file from another category?)")
            category = match.group(1)
            if (iso3, category) in seen:
                raise InputError(path, where, "duplicated row")
            seen.add((iso3, category))
            cells = _require(_key(row, "cells", path, where), list, path, where, "'cells'")
            if not cells:  # e.g. no CO2 from nitric acid: the interface lists the category without data
                continue
            factor = _unit_factor(row.get("unitId"), unit, target, maps, path, where)
            if not all(type(cell) is dict for cell in cells):
                raise InputError(path, where, "a cell must be a JSON object")
            row_years: set[int] = set()
            for cell in cells:
                column = cell.get("column")
                if isinstance(column, bool) or not isinstance(column, int):  # ids are JSON integers
                    raise InputError(path, where, f"a cell's 'column' is not a column id: {column!r}")
                if column not in years:
                    continue  # Base year
                year = years[column]
                if year in row_years:  # two values for one year: never added up, never one picked
                    raise InputError(path, f"{where}, year {year}", "two cells for the same year")
                row_years.add(year)
                try:
                    value, key = _cell(cell)
                except ValueError as err:
                    raise InputError(path, f"{where}, year {year}", str(err)) from None
                records.append((iso3, category, year, value * factor, key))
    if not records:
        raise InputError(path, "", "no data rows")
    return pd.DataFrame(records, columns=["iso3", "category", "year", "value", "key"])


def read(raw_dir: Path) -> dict[tuple[str, str], pd.DataFrame]:
    maps = read_mappings(raw_dir)
    return {
        (stem, gas): read_file(raw_dir / file_of(stem, gas), parent, gas, maps)
        for stem, parent in PARTS.items()
        for gas in GASES
    }


def check_sums(frames: dict[tuple[str, str], pd.DataFrame], raw_dir: Path) -> int:
    """Sub-categories reproduce their parent per party and year where no unknown key intervenes; returns checks.

    Per file, in numpy: each (party, year) is one integer, the children are summed with bincount.
    """
    checked = 0
    for (stem, gas), frame in frames.items():
        parent = PARTS[stem]
        category, categories = pd.factorize(frame["category"])
        depth = np.array([str(name).count(".") for name in categories])[category]
        party, _ = pd.factorize(frame["iso3"])
        year = frame["year"].to_numpy(dtype="int64")
        first, span = (int(year.min()), int(year.max() - year.min()) + 1) if len(year) else (0, 1)
        key = party * span + (year - first)
        value = frame["value"].to_numpy(dtype="float64")
        child = depth == parent.count(".") + 1
        size = np.bincount(key[child], minlength=key.max(initial=0) + 1)
        unknown = np.bincount(key[child], weights=np.isnan(value[child]), minlength=len(size))
        sums = np.bincount(key[child], weights=np.nan_to_num(value[child], nan=0.0), minlength=len(size))
        at_parent = np.flatnonzero(np.asarray(frame["category"] == parent))  # the file's order
        parent_key, parent_value = key[at_parent], value[at_parent]
        # A parent with children, where neither it nor any child is unknown (NaN).
        joined = (size[parent_key] > 0) & (unknown[parent_key] == 0) & ~np.isnan(parent_value)
        parent_key, parent_value, at_parent = parent_key[joined], parent_value[joined], at_parent[joined]
        children = sums[parent_key]
        difference = np.abs(parent_value - children)
        relative = difference / np.clip(np.abs(parent_value), 1e-9, None)
        bad = np.flatnonzero((relative > SUM_TOLERANCE) & (difference > 1e-9))
        if len(bad):
            row = at_parent[bad[0]]
            raise InputError(
                raw_dir / file_of(stem, gas),
                f"party {frame['iso3'].iloc[row]}, year {frame['year'].iloc[row]}",
                f"sub-categories of {parent} sum to {children[bad[0]] * 1e3:.6g} kt but {parent} "
                f"says {parent_value[bad[0]] * 1e3:.6g} kt ({len(bad)} party-years disagree)",
            )
        checked += len(parent_key)
    return checked


CATEGORY_SECTOR = {category: sector for sector, categories in SECTORS.items() for category in categories}


def to_emissions(frames: dict[tuple[str, str], pd.DataFrame]) -> tuple[pd.DataFrame, list[str]]:
    """Contract rows per party x sector x year x gas; and quality notes (notation keys, EU entries)."""
    every = pd.concat(
        [frame.assign(gas=GASES[gas_file][0]) for (_, gas_file), frame in frames.items()], ignore_index=True
    )
    every = every[~every["iso3"].isin(EU_ENTRIES)]
    counts = every.loc[every["key"] != "", "key"].value_counts().sort_index()
    # Each category makes exactly one sector; a sector of several categories is the sum of those with a value,
    # and none with a value gives no row.
    mapped = every.assign(sector=every["category"].map(CATEGORY_SECTOR)).dropna(subset=["sector"])
    value = mapped.groupby(["gas", "sector", "iso3", "year"], sort=False)["value"].sum(min_count=1).dropna()
    keys = value.index
    gas = pd.Series(keys.get_level_values("gas"))
    rows = pd.DataFrame(
        {
            "source": UNFCCC,
            "iso3": keys.get_level_values("iso3"),
            "year": keys.get_level_values("year").astype("int16"),
            "sector": keys.get_level_values("sector"),
            "gas": gas,
            "value": value.to_numpy(),
            "unit": gas.map(UNITS),
            "gwp": gas.map({g: gwp for g, _, _, gwp in GASES.values()}),
        }
    )
    notes = [f"cells with notation key {key} (unknown here: no value): {int(count)}" for key, count in counts.items()]
    notes.append(
        "the entries 'European Union (Convention)' and 'European Union (KP)' are left out: they are not "
        "EU27 (see docs/data.md)"
    )
    return rows, notes
