"""Global Energy Monitor, Global Iron and Steel Tracker (March 2025): plants, their capacity, and furnaces.

The plant file gives nominal capacity in thousand tonnes a year (ttpa) in one column per status and technology
(`operating-nominal-bf-capacity-(ttpa)`, `operating-pre-retirement-other/unspecified-steel-capacity-(ttpa)`, ...),
plus per status a `crude-steel` (steel-making) and an `iron` (iron-making) total. The totals are checked against
their technologies and not stored. Countries are names, mapped to codes with the project's area machinery.
The unit file gives one row per furnace; its capacity is text, where `>0` means "exists, size unknown".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from decarb.contract import OPERATING, OPERATING_PRE_RETIREMENT, STEEL_STAGES, STEEL_STATUSES
from etl.areas import code_of_name
from etl.errors import InputError, row_label
from etl.readers import read_csv

PLANTS_FILE = "gem_steel/gist_plants_2025-03.csv"
UNITS_FILE = "gem_steel/gist_units_2025-03.csv"
TTPA_PER_MT = 1000.0
# A total may differ from the sum of its technologies by the file's rounding only (whole ttpa).
TOTAL_TOLERANCE_TTPA = 0.5
# Years a plant start or a relining can plausibly carry (announced plants start up to the 2030s).
FIRST_YEAR, LAST_START_YEAR, LAST_RELINING_YEAR = 1700, 2100, 2030
UNKNOWN_SIZE = ">0"

# The columns read (the capacity columns are found by CAPACITY_COLUMN); a missing one stops the build.
PLANT_COLUMNS = (
    "plant-id",
    "plant-name-(english)",
    "owner",
    "owner-gem-id",
    "parent",
    "parent-gem-id",
    "subnational-unit-(province/state)",
    "country/area",
    "lat",
    "lng",
    "plant-status",
    "start-date",
    "gem-wiki-page",
    "main-production-equipment",
)
UNIT_COLUMNS = (
    "gem-unit-id",
    "gem-plant-id",
    "plant-id",
    "unit-name",
    "country/area",
    "tab-type",
    "status",
    "current-capacity-(ttpa)",
    "most-recent-relining",
    "start-date",
)
UNIT_TECHNOLOGIES = {
    "Blast_furnaces": "bf",
    "Basic_oxygen_furnaces": "bof",
    "Electric_arc_furnaces": "eaf",
    "DRI_furnaces": "dri",
    "Open_hearth_furnaces": "ohf",
}
# `<status>-nominal-<technology>[-steel]-capacity-(ttpa)` or `<status>-other/unspecified-<stage>-capacity-(ttpa)`
_STATUS = (
    "operating-pre-retirement|mothballed-pre-retirement|operating|construction|announced|mothballed|retired|cancelled"
)
CAPACITY_COLUMN = re.compile(
    rf"^({_STATUS})-(?:nominal-(crude-steel|iron|bf|bof|eaf|dri|ohf)(?:-steel)?|other/unspecified-(steel|iron))"
    r"-capacity-\(ttpa\)$"
)
TOTALS = {"crude-steel": "steel", "iron": "iron"}  # total column -> the stage it sums
STAGE_OF = {"bf": "iron", "dri": "iron", "bof": "steel", "eaf": "steel", "ohf": "steel"}
_ID_LIST = re.compile(r"^E\d+(?: \[\d+(?:\.\d+)?%\])?(?:; E\d+(?: \[\d+(?:\.\d+)?%\])?)*$")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def status_code(text: str) -> str:
    """Either file's spelling of a status ("operating-pre-retirement", "operating_pre-retirement") as ours."""
    return text.replace("-", "_")


@dataclass(frozen=True)
class CapacityColumn:
    name: str
    status: str  # STEEL_STATUSES
    stage: str  # iron or steel
    technology: str  # a STEEL_STAGES technology, or "total"


def capacity_columns(columns: list[str], path: Path) -> list[CapacityColumn]:
    """Every capacity column of the plant file, parsed; one that does not follow the pattern stops the build."""
    parsed = []
    for name in columns:
        if not name.endswith("-capacity-(ttpa)"):
            continue
        match = CAPACITY_COLUMN.match(name)
        if match is None:
            raise InputError(path, f"column '{name}'", "not a capacity column this reader knows (renamed?)")
        status, technology, other_stage = match.groups()
        if other_stage:
            stage, technology = other_stage, "other"
        elif technology in TOTALS:
            stage, technology = TOTALS[technology], "total"
        else:
            stage = STAGE_OF[technology]
        parsed.append(CapacityColumn(name, status_code(status), stage, technology))
    for needed in ("operating", "operating-pre-retirement"):  # the columns operating capacity is read from
        for total in TOTALS:
            name = f"{needed}-nominal-{total}-capacity-(ttpa)"
            if name not in columns:
                raise InputError(path, f"column '{name}'", "missing (renamed or deleted?)")
    return parsed


# --- Reading and validation -----------------------------------------------------------------------------------
def _require(frame: pd.DataFrame, columns: list[str], path: Path) -> None:
    for column in columns:
        if column not in frame.columns:
            raise InputError(path, f"column '{column}'", "missing (renamed or deleted?)")


def _fail_first(bad: pd.Series, frame: pd.DataFrame, column: str, path: Path, problem: str) -> None:
    """Stop on the first row where `bad` holds, naming its line and value, and how many more rows fail."""
    if not bad.any():
        return
    position = int(np.flatnonzero(bad.to_numpy())[0])
    more = int(bad.sum()) - 1
    value = frame[column].iloc[position]
    suffix = f" (and {more} more row{'s' if more != 1 else ''})" if more else ""
    raise InputError(path, f"{row_label(position)}, column '{column}'", f"{problem}, got {value!r}{suffix}")


def _read(path: Path) -> pd.DataFrame:
    frame = read_csv(path, dtype=str, keep_default_na=False, engine="pyarrow")
    return frame.reset_index(drop=True)


def _check_ids(frame: pd.DataFrame, column: str, prefix: str, path: Path) -> None:
    _fail_first(~frame[column].str.fullmatch(rf"{prefix}\d+"), frame, column, path, f"not a GEM id ({prefix}...)")
    _fail_first(frame[column].duplicated(), frame, column, path, "id is duplicated")


def _check_countries(frame: pd.DataFrame, path: Path) -> pd.Series:
    names = frame["country/area"]
    codes = names.map({name: code_of_name(name) for name in names.unique()})
    _fail_first(
        codes.isna(),
        frame,
        "country/area",
        path,
        "not a country or area name the project knows (spelling? a new name needs an alias in "
        "decarb.contract.AREA_NAME_ALIASES)",
    )
    return codes.astype(str)


def _years(frame: pd.DataFrame, column: str, path: Path, last: int, unknown: tuple[str, ...]) -> pd.Series:
    """'2003', '2015-08' or '2015-08-21' as the year (a real calendar date); `unknown` values as missing.
    Parsed once per distinct value (a few hundred in thousands of rows)."""
    text = frame[column]
    distinct = pd.Series(text.unique())
    parts = distinct.str.extract(_DATE)
    whole = pd.to_datetime(
        parts[0] + "-" + parts[1].fillna("01") + "-" + parts[2].fillna("01"), format="%Y-%m-%d", errors="coerce"
    )
    year_of = pd.Series(pd.to_numeric(parts[0], errors="coerce").to_numpy(), index=distinct.to_numpy())
    valid = pd.Series(whole.notna().to_numpy(), index=distinct.to_numpy())
    known = ~text.isin(unknown)
    _fail_first(
        known & ~text.map(valid), frame, column, path, "not a year, year-month or date (YYYY, YYYY-MM or YYYY-MM-DD)"
    )
    year = text.map(year_of).where(known)
    _fail_first(known & ((year < FIRST_YEAR) | (year > last)), frame, column, path, f"year outside {FIRST_YEAR}-{last}")
    return year.astype("Int16")


def _numbers(frame: pd.DataFrame, column: str, path: Path, allowed_text: tuple[str, ...] = ()) -> pd.Series:
    """A capacity column as floats (ttpa); `allowed_text` values become missing. Non-negative and finite."""
    text = frame[column]
    values = pd.to_numeric(text.where(~text.isin(allowed_text)), errors="coerce")
    _fail_first(values.isna() & ~text.isin(allowed_text), frame, column, path, "not a number")
    _fail_first(~np.isfinite(values.fillna(0)) | (values < 0), frame, column, path, "not a finite number >= 0")
    return values.astype("float64")


def _capacities(frame: pd.DataFrame, names: list[str], path: Path) -> np.ndarray:
    """Every capacity column at once (ttpa, one conversion for the whole block); the first bad cell in file
    order (row, then column) is named."""
    text = frame[names].to_numpy(dtype=object)
    try:  # numpy parses plain decimal text ten times faster than to_numeric; any failure is located below
        values = text.astype("float64")
    except ValueError:
        values = pd.to_numeric(pd.Series(text.ravel()), errors="coerce").to_numpy(dtype="float64").reshape(text.shape)
    bad = ~np.isfinite(values) | (values < 0)
    if bad.any():
        row, col = (int(i[0]) for i in np.nonzero(bad))
        column = names[col]
        problem = "not a number" if np.isnan(values[row, col]) else "not a finite number >= 0"
        _fail_first(pd.Series(np.arange(len(frame)) == row), frame, column, path, problem)
    return values


def read_plants(raw_dir: Path) -> tuple[pd.DataFrame, list[CapacityColumn]]:
    """The plant file, validated: every text column as read, and the capacity columns as numbers (ttpa)."""
    path = raw_dir / PLANTS_FILE
    frame = _read(path)
    _require(frame, list(PLANT_COLUMNS), path)
    columns = capacity_columns(list(frame.columns), path)
    _check_ids(frame, "plant-id", "P", path)
    _fail_first(frame["plant-name-(english)"].str.strip() == "", frame, "plant-name-(english)", path, "name missing")
    frame["iso3"] = _check_countries(frame, path)
    for column in ("owner-gem-id", "parent-gem-id"):
        ids = frame[column]
        _fail_first((ids != "") & ~ids.str.fullmatch(_ID_LIST), frame, column, path, "not a list of GEM entity ids")
    statuses = frame["plant-status"].map(status_code)
    _fail_first(~statuses.isin(STEEL_STATUSES), frame, "plant-status", path, "status outside the vocabulary")
    frame["status"] = statuses
    for coordinate, bound in (("lat", 90), ("lng", 180)):
        values = pd.to_numeric(frame[coordinate].str.strip(), errors="coerce")
        _fail_first(~(values.abs() <= bound), frame, coordinate, path, f"not a coordinate within +-{bound} degrees")
        frame[coordinate] = values
    frame["start_year"] = _years(frame, "start-date", path, LAST_START_YEAR, ("unknown",))
    wiki = frame["gem-wiki-page"]
    _fail_first((wiki != "") & ~wiki.str.match(r"^https?://\S+$"), frame, "gem-wiki-page", path, "not a URL")
    names = [column.name for column in columns]
    frame[names] = _capacities(frame, names, path)
    return frame, columns


def read_units(raw_dir: Path) -> pd.DataFrame:
    """The unit file, validated; `capacity_ttpa` is missing where the file says '>0' or leaves it blank."""
    path = raw_dir / UNITS_FILE
    frame = _read(path)
    _require(frame, list(UNIT_COLUMNS), path)
    _check_ids(frame, "gem-unit-id", "U", path)
    _fail_first(~frame["gem-plant-id"].str.fullmatch(r"P\d+"), frame, "gem-plant-id", path, "not a GEM id (P...)")
    _fail_first(
        frame["gem-plant-id"] != frame["plant-id"], frame, "plant-id", path, "differs from the row's gem-plant-id"
    )
    frame["iso3"] = _check_countries(frame, path)
    _fail_first(
        ~frame["tab-type"].isin(list(UNIT_TECHNOLOGIES)),
        frame,
        "tab-type",
        path,
        "not a furnace type this reader knows",
    )
    statuses = frame["status"].map(status_code)
    _fail_first(~statuses.isin(STEEL_STATUSES), frame, "status", path, "status outside the vocabulary")
    frame["status_code"] = statuses
    frame["capacity_ttpa"] = _numbers(frame, "current-capacity-(ttpa)", path, allowed_text=(UNKNOWN_SIZE, ""))
    frame["relining_year"] = _years(frame, "most-recent-relining", path, LAST_RELINING_YEAR, ("",))
    frame["plant_start_year"] = _years(frame, "start-date", path, LAST_START_YEAR, ("unknown",))
    return frame


# --- To the contract ---------------------------------------------------------------------------------------------
def _text(series: pd.Series) -> pd.Series:
    """Text with an empty cell as missing (never the empty string)."""
    return series.str.strip().replace("", pd.NA).astype("str")


def to_steel_plants(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "plant_id": frame["plant-id"].astype("str"),
            "plant_name": _text(frame["plant-name-(english)"]),
            "owner": _text(frame["owner"]),
            "owner_gem_ids": _text(frame["owner-gem-id"]),
            "parent": _text(frame["parent"]),
            "parent_gem_ids": _text(frame["parent-gem-id"]),
            "iso3": frame["iso3"].astype("str"),
            "subnational": _text(frame["subnational-unit-(province/state)"]),
            "lat": frame["lat"].astype("float64"),
            "lon": frame["lng"].astype("float64"),
            "plant_status": frame["status"].astype("str"),
            "start_year": frame["start_year"],
            "wiki_url": _text(frame["gem-wiki-page"]),
            "main_equipment": _text(frame["main-production-equipment"]),
        }
    )


def to_steel_capacity(frame: pd.DataFrame, columns: list[CapacityColumn]) -> pd.DataFrame:
    """One row per plant x status x stage x technology with capacity above zero, in Mt a year; in file order of
    the plants, then status (STEEL_STATUSES order), stage and technology, whatever the file's column order."""
    kept = [column for column in columns if column.technology != "total"]
    values = frame[[column.name for column in kept]].to_numpy(dtype="float64")
    statuses = {status: i for i, status in enumerate(STEEL_STATUSES)}
    technologies = {tech: i for i, tech in enumerate(dict.fromkeys(t for ts in STEEL_STAGES.values() for t in ts))}
    rank = np.array(
        [(statuses[c.status], c.stage, technologies[c.technology]) for c in kept],
        dtype=[("status", "i4"), ("stage", "U5"), ("technology", "i4")],
    )
    order = np.argsort(rank, order=("status", "stage", "technology"), kind="stable")
    values = values[:, order]
    rows, cols = np.nonzero(values > 0)  # row-major: plants in file order, then the sorted columns
    chosen = [kept[i] for i in order]
    return pd.DataFrame(
        {
            "plant_id": pd.array(frame["plant-id"].to_numpy()[rows], dtype="str"),
            "iso3": pd.array(frame["iso3"].to_numpy()[rows], dtype="str"),
            "status": pd.array([chosen[c].status for c in cols], dtype="str"),
            "stage": pd.array([chosen[c].stage for c in cols], dtype="str"),
            "technology": pd.array([chosen[c].technology for c in cols], dtype="str"),
            "capacity_mt": values[rows, cols] / TTPA_PER_MT,
        }
    )


def to_steel_units(frame: pd.DataFrame) -> pd.DataFrame:
    capacity = frame["capacity_ttpa"] / TTPA_PER_MT
    return pd.DataFrame(
        {
            "unit_id": frame["gem-unit-id"].astype("str"),
            "plant_id": frame["gem-plant-id"].astype("str"),
            "unit_name": _text(frame["unit-name"]),
            "iso3": frame["iso3"].astype("str"),
            "technology": frame["tab-type"].map(UNIT_TECHNOLOGIES).astype("str"),
            "status": frame["status_code"].astype("str"),
            "capacity_mt": capacity.astype("float64"),
            "capacity_known": capacity.notna(),
            "relining_year": frame["relining_year"],
            "plant_start_year": frame["plant_start_year"],
        }
    )


# --- Sanity checks against the raw file --------------------------------------------------------------------------
def check_totals(frame: pd.DataFrame, columns: list[CapacityColumn], capacity: pd.DataFrame, path: Path) -> int:
    """Each plant's `crude-steel` and `iron` totals (as read from the file) equal the sum of that status's and
    stage's technologies in the capacity table, within rounding. Returns the number of totals checked."""
    sums = capacity.groupby(["plant_id", "status", "stage"], observed=True)["capacity_mt"].sum() * TTPA_PER_MT
    wide = sums.unstack(["status", "stage"]).reindex(frame["plant-id"].to_numpy()).fillna(0.0)
    checked = 0
    for column in columns:
        if column.technology != "total":
            continue
        key = (column.status, column.stage)
        summed = wide[key].to_numpy() if key in wide.columns else np.zeros(len(frame))
        total = frame[column.name].to_numpy(dtype="float64")
        bad = np.abs(total - summed) > TOTAL_TOLERANCE_TTPA
        if bad.any():
            first = int(np.flatnonzero(bad)[0])
            raise InputError(
                path,
                f"{row_label(first)}, column '{column.name}'",
                f"total {total[first]:g} ttpa differs from the sum of its technologies {summed[first]:g} ttpa "
                f"(plant {frame['plant-id'].iloc[first]}; {int(bad.sum())} totals differ)",
            )
        checked += len(frame)
    return checked


def check_units(units: pd.DataFrame, plants: pd.DataFrame, path: Path) -> list[str]:
    """A unit's country must be its plant's; units whose plant is not in the plant file are counted."""
    known = plants.set_index("plant_id")["iso3"]
    theirs = units["plant_id"].map(known)
    differs = theirs.notna() & (theirs != units["iso3"])
    if differs.any():
        first = int(np.flatnonzero(differs.to_numpy())[0])
        raise InputError(
            path,
            f"{row_label(first)}, column 'country/area'",
            f"{units['iso3'].iloc[first]} differs from its plant's country {theirs.iloc[first]} "
            f"(plant {units['plant_id'].iloc[first]})",
        )
    orphans = units.loc[theirs.isna(), "plant_id"]
    notes = []
    if len(orphans):
        notes.append(
            f"{len(orphans)} units name a plant absent from the plant file ({orphans.nunique()} plants, e.g. "
            f"{orphans.iloc[0]}): kept in steel_units, absent from plant totals"
        )
    else:
        notes.append(f"every unit's plant is in the plant file ({len(units):,} units)")
    return notes


def notes(plants: pd.DataFrame, capacity: pd.DataFrame, units: pd.DataFrame) -> list[str]:
    """Quality notes: coverage, operating capacity with pre-retirement apart, units of unknown size, relinings."""
    steel = capacity[capacity["stage"] == "steel"].groupby("status")["capacity_mt"].sum()
    unknown = units[~units["capacity_known"]]
    by_tech = unknown["technology"].value_counts()
    bf = units[units["technology"] == "bf"]
    with_units = plants["plant_id"].isin(units["plant_id"])
    return [
        f"{len(plants):,} plants in {plants['iso3'].nunique()} areas, {len(units):,} units; "
        f"{int((~with_units).sum())} plants have no unit rows",
        f"crude steel capacity (steel-making), world: {steel.get(OPERATING, 0.0):,.1f} Mt operating + "
        f"{steel.get(OPERATING_PRE_RETIREMENT, 0.0):,.1f} Mt operating pre-retirement (retirement or replacement "
        "announced; counted as operating, shown apart)",
        f"{len(unknown)} units have no size (capacity '>0' or blank: "
        f"{', '.join(f'{n} {t}' for t, n in by_tech.items()) or 'none'}): capacity_mt empty, capacity_known "
        "False, left out of capacity sums, never read as 0",
        f"most recent relining known for {int(bf['relining_year'].notna().sum())} of {len(bf):,} blast furnaces",
    ]
