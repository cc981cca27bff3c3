"""Climate TRACE manufacturing sub-sectors (late-2023 release): one CSV per sub-sector, tonnes into Mt rows.

`co2e_100yr` is the all-gases series (gas `ghg`), `co2` the CO2-only series; the other gases are validated and
not stored. A country whose series is NaN or 0 in every year is "not covered by this release": no rows.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow

from decarb.contract import CLIMATE_TRACE_SUBSECTORS, TONNES_PER_MT, UNIT_MT_CO2, UNIT_MT_CO2E
from etl.areas import known_codes
from etl.checks import check_years
from etl.errors import InputError, validated
from etl.readers import read_csv

FOLDER = "climate_trace_subsectors"
# Sub-sector (file name and `original_inventory_sector`) -> contract sector.
SECTORS = {
    "steel": "iron_steel",
    "cement": "cement",
    "aluminum": "aluminium",
    "chemicals": "chemicals_excl_petrochemicals",
    "petrochemicals": "petrochemicals",
    "pulp-and-paper": "pulp_paper",
    "other-manufacturing": "other_manufacturing",
}
GASES = {"co2e_100yr": "ghg", "co2": "co2"}  # stored; ch4, n2o and co2e_20yr are read and checked only
ALL_GASES = (*GASES, "ch4", "n2o", "co2e_20yr")
UNITS = {"ghg": UNIT_MT_CO2E, "co2": UNIT_MT_CO2}
GWPS = {"ghg": "GWP-100 (Climate TRACE co2e_100yr)", "co2": "n/a (CO2 only)"}
# NOTE: a year whose world total is under this share of the year before is a partial year (the release holds a
# 2023 row with about a quarter of a year for steel, cement, aluminum and chemicals). It is dropped, with any
# later year, and named in the quality notes.
PARTIAL_YEAR_SHARE = 0.5
VALUE = "emissions_quantity"


def file_of(subsector: str) -> str:
    return f"{FOLDER}/{subsector}_country_emissions.csv"


def _schema(subsectors: list[str]) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "iso3_country": pa.Column(str, pa.Check.isin(sorted(known_codes()))),
            "original_inventory_sector": pa.Column(str, pa.Check.isin(subsectors)),
            "start_time": pa.Column(str, pa.Check.str_matches(r"^\d{4}-01-01 00:00:00$")),
            "end_time": pa.Column(str, pa.Check.str_matches(r"^\d{4}-12-31 00:00:00$")),
            "gas": pa.Column(str, pa.Check.isin(list(ALL_GASES))),
            VALUE: pa.Column(
                float, [pa.Check.ge(0), pa.Check(lambda s: ~np.isinf(s), name="finite")], nullable=True, coerce=True
            ),
            "emissions_quantity_units": pa.Column(str, pa.Check.eq("tonnes")),
            # NOTE: other-manufacturing leaves it empty; start and end times already say "one calendar year".
            "temporal_granularity": pa.Column(str, pa.Check.eq("annual"), nullable=True),
        },
        checks=[pa.Check(lambda f: f["start_time"].str[:4] == f["end_time"].str[:4], name="one calendar year")],
        unique=["original_inventory_sector", "iso3_country", "start_time", "gas"],
        strict=False,
    )


def read(raw_dir: Path) -> dict[str, pd.DataFrame]:
    """Every sub-sector file, validated, with an integer `year`.

    The files are validated together in one pass (pandera's cost is per column, and seven passes took most of
    this step); only when that fails is each file validated alone, so that the message names the file and row.
    """
    frames = {}
    for subsector in SECTORS:
        path = raw_dir / file_of(subsector)
        frame = read_csv(path, keep_default_na=False, na_values=[""], dtype="str", engine="pyarrow")
        if VALUE not in frame.columns:
            raise InputError(path, f"column '{VALUE}'", "missing (renamed or deleted?)")
        frame[VALUE] = _numbers(frame[VALUE], path)
        frames[subsector] = frame
    try:
        every = pd.concat(frames.values(), ignore_index=True)
        if not _plainly_valid(every):  # pandera only where the plain checks do not pass: it names the problem
            validated(_schema(list(SECTORS)), every, raw_dir / FOLDER)
    except InputError:
        for subsector, frame in frames.items():
            validated(_schema([subsector]), frame, raw_dir / file_of(subsector))
        raise
    for subsector, frame in frames.items():  # every row in its own file's sub-sector (a file from another?)
        wrong = frame["original_inventory_sector"] != subsector
        if wrong.any():
            raise InputError(
                raw_dir / file_of(subsector),
                f"row {int(wrong.to_numpy().argmax()) + 2}, column 'original_inventory_sector'",
                f"is {frame.loc[wrong].iloc[0, 1]!r}, not {subsector!r}",
            )
    frames = {sub: frame.assign(year=frame["start_time"].str[:4].astype("int16")) for sub, frame in frames.items()}
    for subsector, frame in frames.items():  # before partial years are dropped: a future one is refused
        check_years(frame, str(raw_dir / file_of(subsector)), dt.date.today().year)
    return frames


def _plainly_valid(frame: pd.DataFrame) -> bool:
    """True only where every rule of _schema holds, checked in plain vectorised pandas (pandera's per-check
    overhead was most of this step). False means "not sure": pandera then validates and names the problem."""
    columns = ("iso3_country", "original_inventory_sector", "start_time", "end_time", "gas")
    units, granularity = "emissions_quantity_units", "temporal_granularity"
    if not all(c in frame.columns for c in (*columns, VALUE, units, granularity)):
        return False
    if any(str(frame[c].dtype) != "str" for c in (*columns, units, granularity)) or frame[VALUE].dtype != "float64":
        return False
    value = frame[VALUE].to_numpy()
    allowed = {
        "iso3_country": set(known_codes()),
        "original_inventory_sector": set(SECTORS),
        "gas": set(ALL_GASES),
        units: {"tonnes"},
    }
    if any(not set(pd.unique(frame[c])) <= allowed[c] for c in allowed):  # a missing value is never allowed
        return False
    if not set(pd.unique(frame[granularity].dropna())) <= {"annual"}:
        return False
    if not (np.isnan(value) | ((value >= 0) & (value < np.inf))).all():
        return False
    for column, day in (("start_time", "01-01"), ("end_time", "12-31")):
        pattern = re.compile(rf"[0-9]{{4}}-{day} 00:00:00")
        if not all(isinstance(v, str) and pattern.fullmatch(v) for v in pd.unique(frame[column])):
            return False
    if not (frame["start_time"].str[:4] == frame["end_time"].str[:4]).all():
        return False
    key = np.zeros(len(frame), dtype="int64")
    for column in ("original_inventory_sector", "iso3_country", "start_time", "gas"):
        codes, uniques = pd.factorize(frame[column])
        key = key * (len(uniques) + 1) + codes
    return not pd.Series(key).duplicated().any()


def _numbers(column: pd.Series, path: Path) -> pd.Series:
    """Text cells as floats; a cell that is not a number is named by its line (pandera would say only 'str')."""
    values = pd.to_numeric(column, errors="coerce")
    bad = values.isna() & column.notna()
    if bad.any():
        index = bad.to_numpy().nonzero()[0][0]
        raise InputError(path, f"row {index + 2}, column '{VALUE}'", f"not a number: {column.iloc[index]!r}")
    return values.astype("float64")


def partial_years(frame: pd.DataFrame) -> dict[int, float]:
    """Years whose world all-gases total is under PARTIAL_YEAR_SHARE of the year before (and all later years),
    with that share; complete years are absent."""
    all_gases = (frame["gas"] == "co2e_100yr").to_numpy()
    world = frame[VALUE][all_gases].groupby(frame["year"][all_gases]).sum().sort_index()
    share = world / world.shift()
    partial = share.index[(share < PARTIAL_YEAR_SHARE).to_numpy()]
    if not len(partial):
        return {}
    return {int(year): float(share.get(year, np.nan)) for year in world.index if year >= partial[0]}


def to_emissions(frames: dict[str, pd.DataFrame]) -> tuple[pd.DataFrame, list[str]]:
    """Contract rows of every covered country x sub-sector x gas, complete years only; and quality notes."""
    rows, notes = [], []
    for subsector, whole in frames.items():
        # Only the columns used: every row filter below then moves 4 columns, not the file's 11.
        frame = whole[["iso3_country", "gas", "year", VALUE]]
        dropped = partial_years(frame)
        if dropped:
            notes.append(
                f"{subsector}: year(s) {', '.join(map(str, dropped))} dropped as partial (world "
                f"co2e_100yr {', '.join(f'{s:.0%}' for s in dropped.values())} of the year before)"
            )
        stored = frame["gas"].isin(list(GASES)).to_numpy() & ~frame["year"].isin(list(dropped)).to_numpy()
        kept = frame[stored]
        value = kept[VALUE].to_numpy()
        # NOTE: NaN or 0 in every year means this release does not model the country: no rows, never zeros.
        # One integer per (country, gas): covered where any of its values is a number other than 0.
        country, _ = pd.factorize(kept["iso3_country"])
        gas_code, gases = pd.factorize(kept["gas"])
        series = country * len(gases) + gas_code
        covered = np.bincount(series, weights=np.nan_to_num(value, nan=0.0) != 0, minlength=1)[series] > 0
        kept = kept[covered & ~np.isnan(value)]
        countries = kept.loc[kept["gas"] == "co2e_100yr", "iso3_country"].nunique()
        notes.append(
            f"{subsector}: {countries} areas covered of {frame['iso3_country'].nunique()} listed "
            "(the others have no value or 0 in every year: not covered by this release, not zero)"
        )
        gas = kept["gas"].map(GASES)
        rows.append(
            pd.DataFrame(
                {
                    "source": _constant(CLIMATE_TRACE_SUBSECTORS, len(kept)),
                    "iso3": kept["iso3_country"].to_numpy(),
                    "year": kept["year"].to_numpy(),
                    "sector": _constant(SECTORS[subsector], len(kept)),
                    "gas": gas.to_numpy(),
                    "value": kept[VALUE].to_numpy() / TONNES_PER_MT,
                    "unit": gas.map(UNITS).to_numpy(),
                    "gwp": gas.map(GWPS).to_numpy(),
                }
            )
        )
    return pd.concat(rows, ignore_index=True), notes


def _constant(text: str, length: int) -> pd.Series:
    """One text repeated, as a string column built by Arrow (not one Python object per row)."""
    return pd.Series(pyarrow.repeat(pyarrow.scalar(text, pyarrow.large_string()), length), dtype="str")


def check_gases(emissions: pd.DataFrame, raw_dir: Path) -> int:
    """co2e_100yr (all gases) is at least co2 in every country-year of every sub-sector; returns pairs checked."""
    ours = emissions[emissions["source"] == CLIMATE_TRACE_SUBSECTORS]
    wide = ours.pivot_table(index=["sector", "iso3", "year"], columns="gas", values="value", aggfunc="first")
    both = wide.dropna(subset=["ghg", "co2"])
    # A relative margin only for float noise: both series are rounded independently in the published files.
    bad = both[both["ghg"] < both["co2"] * (1 - 1e-9)]
    if len(bad):
        sector, iso3, year = bad.index[0]
        subsector = next(k for k, v in SECTORS.items() if v == sector)
        raise InputError(
            raw_dir / file_of(subsector),
            f"area {iso3}, year {year}",
            f"co2e_100yr {bad['ghg'].iloc[0] * TONNES_PER_MT:.6g} t is below co2 "
            f"{bad['co2'].iloc[0] * TONNES_PER_MT:.6g} t ({len(bad)} rows)",
        )
    return len(both)
