"""Net Zero Tracker: end (net-zero) and interim targets of countries and companies, by vintage.

The April 2023 snapshot has countries and companies with interim targets; the September 2025 stocktake has each
country's end target only. A country's end target is the newest vintage's, with the earlier one beside it (for
the changes since); interim targets and companies come from the 2023 snapshot, the only one that has them.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from decarb.contract import TARGET_STATUSES
from etl.areas import canonical_code, known_codes
from etl.errors import InputError, validated
from etl.readers import open_workbook, read_csv, read_sheet

FILE = "net_zero_tracker/nzt_snapshot_2023-04-22_12-08-19.xlsx"
STOCKTAKE_FILE = "net_zero_tracker/nzt_stocktake_2025_country_end_targets.csv"
STOCKTAKE_COLUMNS = ["iso3", "end_target", "end_target_year", "status_of_end_target", "date_of_last_status_update"]
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


STOCKTAKE_SCHEMA = pa.DataFrameSchema(
    {
        "iso3": pa.Column(str, pa.Check.isin(sorted(known_codes() | {"EUU"})), unique=True),
        "end_target": pa.Column(str, nullable=True),
        "end_target_year": _year(),
        "status_of_end_target": pa.Column(str, pa.Check.isin(list(TARGET_STATUSES)), nullable=True),
        # the year the status last changed: never after the stocktake (2025) nor before the Paris Agreement era
        "date_of_last_status_update": pa.Column(float, pa.Check.in_range(1990, 2025), nullable=True, coerce=True),
    },
    strict=True,
    ordered=True,
)


def read_stocktake(raw_dir: Path) -> pd.DataFrame:
    """The 2025 stocktake's country end targets (one row per country)."""
    path = raw_dir / STOCKTAKE_FILE
    # Only truly empty cells are missing: a typed "n/a" must fail validation, not vanish.
    frame = validated(STOCKTAKE_SCHEMA, read_csv(path, keep_default_na=False, na_values=[""]), path)
    whole = frame["end_target_year"].dropna()
    if (whole != whole.round()).any():
        i = (whole != whole.round()).idxmax()
        raise InputError(path, f"row {i + 2}, column 'end_target_year'", f"{whole[i]:g} is not a whole year")
    no_target = frame["end_target"].isna() & frame["end_target_year"].notna()
    if no_target.any():
        i = no_target.idxmax()
        raise InputError(path, f"row {i + 2}, column 'end_target'", "missing where a target year is given")
    return frame


END_FIELDS = ("end_target", "end_target_year", "end_target_status")


def with_stocktake(
    targets: pd.DataFrame,
    stocktake: pd.DataFrame,
    snapshot: str,
    stocktake_date: str,
    stocktake_url: str,
    path: Path | str = STOCKTAKE_FILE,
) -> pd.DataFrame:
    """The targets table with each country's end target from the stocktake (dated), the 2023 one beside it.

    A country the stocktake lacks keeps its 2023 end target and date; one only the stocktake has is refused (its
    actor id and name are unknown). Companies keep the 2023 snapshot. The source of a stocktake target is the
    stocktake's record (`stocktake_url`): the 2023 row's source describes the 2023 target.
    """
    new = stocktake.assign(iso3=stocktake["iso3"].map(canonical_code)).set_index("iso3")
    out = targets.assign(
        end_target_snapshot=pd.Timestamp(snapshot).date(),
        end_target_status_updated=pd.array([pd.NA] * len(targets), dtype="Int16"),
        earlier_end_target=pd.Series([None] * len(targets), dtype="str"),
        earlier_end_target_year=pd.array([pd.NA] * len(targets), dtype="Int16"),
        earlier_end_target_status=pd.Series([None] * len(targets), dtype="str"),
        earlier_end_target_snapshot=pd.Series([None] * len(targets), dtype="object"),
    )
    countries = (out["actor_type"] == "country") & out["iso3"].isin(new.index)
    codes = out.loc[countries, "iso3"]
    for field in END_FIELDS:
        out.loc[countries, f"earlier_{field}"] = out.loc[countries, field]
    out.loc[countries, "earlier_end_target_snapshot"] = pd.Timestamp(snapshot).date()
    out.loc[countries, "end_target"] = codes.map(new["end_target"]).to_numpy()
    out.loc[countries, "end_target_year"] = codes.map(new["end_target_year"]).astype("Int16").to_numpy()
    out.loc[countries, "end_target_status"] = codes.map(new["status_of_end_target"]).to_numpy()
    out.loc[countries, "end_target_status_updated"] = (
        codes.map(new["date_of_last_status_update"]).astype("Int16").to_numpy()
    )
    out.loc[countries, "end_target_snapshot"] = pd.Timestamp(stocktake_date).date()
    out.loc[countries, "source_url"] = stocktake_url
    known = set(out.loc[out["actor_type"] == "country", "iso3"])
    only_new = [i for i, code in enumerate(new.index) if code not in known]
    if only_new:
        raise InputError(
            path,
            f"row {only_new[0] + 2}, column 'iso3'",
            f"'{new.index[only_new[0]]}' is a country the 2023 snapshot does not list (its name and actor id "
            "are unknown)",
        )
    return out.astype({"end_target_year": "Int16"}).reset_index(drop=True)
