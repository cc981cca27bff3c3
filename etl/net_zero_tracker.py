"""Net Zero Tracker snapshot: end (net-zero) and interim targets of countries and companies."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from decarb.contract import TARGET_STATUSES
from etl.areas import canonical_code, known_codes
from etl.errors import validated
from etl.readers import open_workbook, read_sheet

FILE = "net_zero_tracker/nzt_snapshot_2023-04-22_12-08-19.xlsx"
SHEET = "NZT DATA"
ACTOR_TYPES = {"Country": "country", "Company": "company"}  # cities and regions are out of scope


def _year(nullable: bool = True) -> pa.Column:
    return pa.Column(float, pa.Check.in_range(1990, 2100), nullable=nullable, coerce=True)


SCHEMA = pa.DataFrameSchema(
    {
        "id_code": pa.Column(str, unique=True),
        "name": pa.Column(str),
        "actor_type": pa.Column(str, pa.Check.isin(["Country", "Company", "City", "Region"])),
        "country": pa.Column(str, pa.Check.isin(sorted(known_codes() | {"EUU"})), nullable=True),
        "industry": pa.Column(str, nullable=True),
        "end_target": pa.Column(str, nullable=True),
        "end_target_year": _year(),
        "end_target_status": pa.Column(str, pa.Check.isin(list(TARGET_STATUSES)), nullable=True),
        "interim_target": pa.Column(str, nullable=True),
        "interim_target_year": _year(),
        "interim_target_percentage_reduction": pa.Column(float, nullable=True, coerce=True),
        # NOTE: not range-checked here: the snapshot has one implausible value (see to_targets).
        "interim_target_baseline_year": pa.Column(float, nullable=True, coerce=True),
        "source_url": pa.Column(str, nullable=True),
    },
    strict=False,
)


def read(raw_dir: Path) -> pd.DataFrame:
    path = raw_dir / FILE
    frame = read_sheet(open_workbook(path), path, SHEET, columns=list(SCHEMA.columns))
    frame = validated(SCHEMA, frame, f"{path} [{SHEET}]")  # every row, so an unknown actor type is seen
    return frame[frame["actor_type"].isin(ACTOR_TYPES)]


PLAUSIBLE_BASELINE_YEARS = (1900, 2100)


def implausible_baselines(frame: pd.DataFrame) -> tuple[pd.Series, list[str]]:
    """Baseline years outside 1900-2100 (the snapshot has a year 1000) become missing, each with a note."""
    years = frame["interim_target_baseline_year"]
    bad = years.notna() & ~years.between(*PLAUSIBLE_BASELINE_YEARS)
    notes = [
        f"{FILE} row {i + 2} ({frame.at[i, 'name']}): interim_target_baseline_year {years[i]:g} is "
        f"implausible and is published as missing"
        for i in frame.index[bad]
    ]
    return years.mask(bad), notes


def to_targets(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The targets table, and data-quality notes for values withheld as implausible."""
    baseline_years, notes = implausible_baselines(frame)
    return pd.DataFrame(
        {
            "actor_id": frame["id_code"],
            "name": frame["name"],
            "actor_type": frame["actor_type"].map(ACTOR_TYPES),
            "iso3": frame["country"].map(canonical_code, na_action="ignore"),
            "industry": frame["industry"],
            "end_target": frame["end_target"],
            "end_target_year": frame["end_target_year"].astype("Int16"),
            "end_target_status": frame["end_target_status"],
            "interim_target": frame["interim_target"],
            "interim_target_year": frame["interim_target_year"].astype("Int16"),
            "interim_target_percentage_reduction": frame["interim_target_percentage_reduction"],
            "interim_target_baseline_year": baseline_years.astype("Int16"),
            "source_url": frame["source_url"],
        }
    ).reset_index(drop=True), notes
