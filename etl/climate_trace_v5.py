"""Climate TRACE v5.7.0, iron and steel: one CSV, one row per country and year, tonnes into Mt rows.

Its rows are stored under the industry source (`climate_trace_subsectors`, sector `iron_steel`) in place of the
late-2023 release's steel rows; `decarb.contract.SERIES_RELEASES` records that this series is the v5.7.0
release. Years listed in its sources.json entry's `exclude_years` are dropped (2026 holds January-June only);
a year that looks partial by the rule of the older release and is not listed there stops the build.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from decarb.contract import CLIMATE_TRACE_SUBSECTORS, IRON_STEEL, TONNES_PER_MT
from etl.areas import known_codes
from etl.climate_trace_subsectors import GASES, GWPS, UNITS, VALUE, _constant, _numbers, partial_years
from etl.errors import InputError, validated
from etl.readers import read_csv

FILE = "climate_trace_v5/iron-and-steel_country_emissions_v5_7_0.csv"
FIRST_YEAR = 2015


def _schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "iso3_country": pa.Column(str, pa.Check.isin(sorted(known_codes()))),
            "sector": pa.Column(str, pa.Check.eq("manufacturing")),
            "subsector": pa.Column(str, pa.Check.eq("iron-and-steel")),
            "start_time": pa.Column(str, pa.Check.str_matches(r"^\d{4}-01-01 00:00:00$")),
            "end_time": pa.Column(str, pa.Check.str_matches(r"^\d{4}-12-31 00:00:00$")),
            "gas": pa.Column(str, pa.Check.isin(list(GASES))),
            VALUE: pa.Column(
                float, [pa.Check.ge(0), pa.Check(lambda s: ~np.isinf(s), name="finite")], nullable=True, coerce=True
            ),
            "emissions_quantity_units": pa.Column(str, pa.Check.eq("tonnes")),
            "temporal_granularity": pa.Column(str, pa.Check.eq("annual")),
        },
        checks=[pa.Check(lambda f: f["start_time"].str[:4] == f["end_time"].str[:4], name="one calendar year")],
        unique=["iso3_country", "start_time", "gas"],
        report_duplicates="exclude_first",
        strict=False,
    )


_CONSTANT = {
    "sector": "manufacturing",
    "subsector": "iron-and-steel",
    "emissions_quantity_units": "tonnes",
    "temporal_granularity": "annual",
}


def _plainly_valid(frame: pd.DataFrame) -> bool:
    """True only where every rule of _schema holds, checked in plain vectorised pandas (pandera took ten times
    the file's reading). False means "not sure": pandera then validates and names the problem."""
    if not all(c in frame.columns for c in ("iso3_country", "start_time", "end_time", "gas", *_CONSTANT)):
        return False
    for column, value in _CONSTANT.items():
        if set(pd.unique(frame[column])) != {value}:
            return False
    if not set(pd.unique(frame["gas"])) <= set(GASES) or frame[VALUE].dtype != "float64":
        return False
    value = frame[VALUE].to_numpy()
    if not (np.isnan(value) | ((value >= 0) & (value < np.inf))).all():
        return False
    for column, day in (("start_time", "01-01"), ("end_time", "12-31")):
        if not frame[column].str.fullmatch(rf"\d{{4}}-{day} 00:00:00").fillna(False).all():
            return False
    if not (frame["start_time"].str[:4] == frame["end_time"].str[:4]).all():
        return False
    return not frame.duplicated(["iso3_country", "start_time", "gas"]).any()


def read(raw_dir: Path) -> pd.DataFrame:
    """The file, validated, with an integer `year` (from FIRST_YEAR to this year)."""
    path = raw_dir / FILE
    frame = read_csv(path, keep_default_na=False, na_values=[""], dtype="str", engine="pyarrow")
    if VALUE not in frame.columns:
        raise InputError(path, f"column '{VALUE}'", "missing (renamed or deleted?)")
    frame[VALUE] = _numbers(frame[VALUE], path)
    if "iso3_country" in frame.columns:  # named here: pandera would list every known code in its message
        unknown = ~frame["iso3_country"].astype(object).isin(known_codes())
        if unknown.any():
            first = int(np.flatnonzero(unknown.to_numpy())[0])
            raise InputError(
                path,
                f"row {first + 2}, column 'iso3_country'",
                f"{frame['iso3_country'].iloc[first]!r} is not a known area code (ISO 3166 alpha-3 or a documented "
                "special code)",
            )
    if not _plainly_valid(frame):  # pandera only where the plain checks fail: it names the problem
        frame = validated(_schema(), frame, path)
    year = frame["start_time"].str[:4].astype("int16")
    outside = (year < FIRST_YEAR) | (year > pd.Timestamp.today().year)
    if outside.any():
        first = int(np.flatnonzero(outside.to_numpy())[0])
        raise InputError(
            path,
            f"row {first + 2}, column 'start_time'",
            f"year {int(year.iloc[first])} is outside {FIRST_YEAR}-{pd.Timestamp.today().year}",
        )
    return frame.assign(year=year)


def to_emissions(frame: pd.DataFrame, excluded: dict[int, str], path: Path) -> tuple[pd.DataFrame, list[str]]:
    """Contract rows of every covered country and gas, the excluded years dropped; and quality notes.

    A country with no value or 0 in every year is not covered by the release: no rows, never zeros."""
    partial = partial_years(frame[["gas", "year", VALUE]])
    unlisted = sorted(set(partial) - set(excluded))
    if unlisted:
        year = unlisted[0]
        raise InputError(
            path,
            f"year {year}",
            f"looks partial (world co2e_100yr {partial[year]:.0%} of the year before) but its sources.json "
            "entry does not list it in exclude_years",
        )
    kept = frame[~frame["year"].isin(list(excluded)).to_numpy()][["iso3_country", "gas", "year", VALUE]]
    value = kept[VALUE].to_numpy()
    series = kept["iso3_country"] + " " + kept["gas"]
    covered_series = set(series[np.nan_to_num(value, nan=0.0) != 0])
    kept = kept[series.isin(covered_series).to_numpy() & ~np.isnan(value)]
    gas = kept["gas"].map(GASES)
    rows = pd.DataFrame(
        {
            "source": _constant(CLIMATE_TRACE_SUBSECTORS, len(kept)),
            "iso3": kept["iso3_country"].to_numpy(),
            "year": kept["year"].to_numpy(),
            "sector": _constant(IRON_STEEL, len(kept)),
            "gas": gas.to_numpy(),
            "value": kept[VALUE].to_numpy() / TONNES_PER_MT,
            "unit": gas.map(UNITS).to_numpy(),
            "gwp": gas.map(GWPS).to_numpy(),
        }
    )
    countries = rows.loc[rows["gas"] == "ghg", "iso3"].nunique()
    notes = [
        f"iron and steel from the v5.7.0 release: {countries} areas covered of {frame['iso3_country'].nunique()} "
        f"listed (the others have no value or 0 in every year: not covered, not zero), years "
        f"{int(rows['year'].min())}-{int(rows['year'].max())}",
        *(f"iron and steel v5.7.0: year {year} excluded: {why}" for year, why in excluded.items()),
    ]
    return rows, notes


def compare_releases(old: pd.DataFrame, new: pd.DataFrame) -> str:
    """How the v5.7.0 world total of all gases differs from the late-2023 release's, in their common years."""
    world = {}
    for name, rows in (("old", old), ("new", new)):
        ghg = rows[(rows["sector"] == IRON_STEEL) & (rows["gas"] == "ghg")]
        world[name] = ghg.groupby("year")["value"].sum()
    common = world["old"].index.intersection(world["new"].index)
    if not len(common):
        return "iron and steel: the two releases share no year"
    year = int(common.max())
    before, after = float(world["old"][year]), float(world["new"][year])
    return (
        f"iron and steel: the v5.7.0 release replaces the late-2023 release's rows (all gases and CO2); "
        f"sum of areas in {year}: {before:,.0f} Mt CO2e (late-2023) against {after:,.0f} Mt CO2e (v5.7.0), "
        f"{(after - before) / before:+.0%}: never mix the two releases"
    )
