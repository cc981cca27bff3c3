"""Global Carbon Budget 2025 (v15): national fossil CO2 by fuel, and cement process CO2 (emissions).

The file splits fossil CO2 by fuel (coal, oil, gas, flaring, other) and cement's process CO2, not by sector: it
has no industrial-combustion part, so it answers cement (process CO2) and the economy-wide total, never heavy
industry (decarb.contract places its columns in the sector tree).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from decarb.contract import CEMENT, GCB, GCB_FUEL_SECTORS, UNIT_MT_CO2, WORLD
from etl.areas import canonical_code, known_codes
from etl.errors import InputError, row_label, validated
from etl.readers import read_csv

FILE = "global_carbon_budget/GCB2025v15_MtCO2_flat.csv"
CODE = "ISO 3166-1 alpha-3"
# The file's fuel columns, in its order, as the contract's sector codes; Cement is process CO2 (CEMENT).
FUEL_COLUMNS: dict[str, str] = dict(zip(("Coal", "Oil", "Gas", "Flaring", "Other"), GCB_FUEL_SECTORS, strict=True))
PARTS: tuple[str, ...] = (*FUEL_COLUMNS, "Cement")
# The file's columns, in its order.
COLUMNS = ["Country", CODE, "UN M49", "Year", "Total", "Coal", "Oil", "Gas", "Cement", "Flaring", "Other", "Per Capita"]
# GCB's codes for its aggregates, as ours (XIS/XIA are its international shipping and aviation; KSV Kosovo).
AREA_ALIASES: dict[str, str] = {"XIS": "SEA", "XIA": "AIR", "KSV": "XKX", "WLD": WORLD}
# The total equals the sum of its parts to the file's rounding (measured: 2e-6 Mt at most where all are given).
SUM_TOLERANCE_MT = 0.01
# World cement process CO2 in the newest year must lie in this band (Mt CO2): a unit slip (kt, t) or a cut file
# lands far outside it. Recent years: about 1.5 Gt.
WORLD_CEMENT_BAND_MT = (1000.0, 2500.0)


def _mt() -> pa.Column:
    return pa.Column(
        float, [pa.Check.ge(0), pa.Check(lambda s: ~np.isinf(s), name="finite")], nullable=True, coerce=True
    )


SCHEMA = pa.DataFrameSchema(
    {
        "Country": pa.Column(str),
        CODE: pa.Column(str, pa.Check.isin(sorted(known_codes() | set(AREA_ALIASES))), nullable=True),
        "UN M49": pa.Column(int, coerce=True),
        "Year": pa.Column(int, pa.Check.in_range(1750, 2100), coerce=True),
        **{column: _mt() for column in COLUMNS[4:-1]},
        "Per Capita": pa.Column(float, pa.Check.ge(0), nullable=True, coerce=True),
    },
    unique=["Country", "Year"],
    strict=True,
    ordered=True,
)


def read(raw_dir: Path) -> pd.DataFrame:
    path = raw_dir / FILE
    frame = validated(SCHEMA, read_csv(path, engine="pyarrow"), path)
    _check_codes_unique(frame, path)
    _check_sums(frame, path)
    return frame


def _check_codes_unique(frame: pd.DataFrame, path: Path) -> None:
    """One row per code and year (two names for one code would be added twice)."""
    coded = frame.dropna(subset=[CODE])
    duplicated = coded.duplicated(subset=[CODE, "Year"])
    if duplicated.any():
        i = duplicated.idxmax()
        raise InputError(path, row_label(i), f"duplicate key: {coded.at[i, CODE]} {coded.at[i, 'Year']} appears twice")


def _check_sums(frame: pd.DataFrame, path: Path) -> int:
    """Total equals the sum of the fuels and cement wherever the file gives all of them; returns rows checked."""
    given = frame[["Total", *PARTS]].notna().all(axis=1)
    difference = (frame.loc[given, list(PARTS)].sum(axis=1) - frame.loc[given, "Total"]).abs()
    bad = difference[difference > SUM_TOLERANCE_MT]
    if len(bad):
        i = bad.index[0]
        raise InputError(
            path,
            f"{row_label(i)}, column 'Total'",
            f"{frame.at[i, 'Total']:g} is not the sum of {', '.join(PARTS)} ({frame.loc[i, list(PARTS)].sum():g}; "
            f"{len(bad)} rows differ by more than {SUM_TOLERANCE_MT:g} Mt)",
        )
    return int(given.sum())


def rows_checked(frame: pd.DataFrame) -> int:
    """Rows whose total was checked against its parts (every part given)."""
    return int(frame[["Total", *PARTS]].notna().all(axis=1).sum())


def check_world_cement(emissions: pd.DataFrame, raw_dir: Path) -> tuple[int, float]:
    """World cement process CO2 of the newest year lies in WORLD_CEMENT_BAND_MT; returns (year, value)."""
    world = emissions[(emissions["iso3"] == WORLD) & (emissions["sector"] == CEMENT)]
    if world.empty:
        raise InputError(raw_dir / FILE, "area 'Global'", "no cement process CO2 for the world")
    newest = world.loc[world["year"].idxmax()]
    year, value = int(newest["year"]), float(newest["value"])
    low, high = WORLD_CEMENT_BAND_MT
    if not low <= value <= high:
        raise InputError(
            raw_dir / FILE,
            f"area 'Global', year {year}, column 'Cement'",
            f"world cement process CO2 {value:,.1f} Mt is outside the plausible {low:,.0f}-{high:,.0f} Mt "
            "(a unit or a cut file?)",
        )
    return year, value


def _coded(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Rows with our area codes; entities without a code (Kuwaiti oil fires, ...) are dropped, each with a note."""
    uncoded = frame[frame[CODE].isna()]
    notes = [
        f"{name} (no ISO code; {int(rows['Total'].notna().sum())} years with a total, {rows['Total'].sum():,.1f} "
        "Mt CO2 in all) is not an area of the dashboard and is dropped (it stays in the Global total)"
        for name, rows in uncoded.groupby("Country", sort=False)
    ]
    rows = frame.dropna(subset=[CODE])
    codes = rows[CODE].map(lambda code: canonical_code(AREA_ALIASES.get(str(code), str(code))))
    return rows.assign(iso3=codes), notes


def to_emissions(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Cement process CO2 and fossil CO2 by fuel, per area and year; a missing value is not reported, not zero.

    The total is not stored: it is the sum of its parts (checked on reading), as the sector tree adds them.
    """
    rows, notes = _coded(frame)
    long = rows.melt(id_vars=["iso3", "Year"], value_vars=list(PARTS), var_name="column", value_name="value")
    long = long.dropna(subset=["value"])
    sectors = long["column"].map({**FUEL_COLUMNS, "Cement": CEMENT})
    out = pd.DataFrame(
        {
            "source": GCB,
            "iso3": long["iso3"],
            "year": long["Year"].astype("int16"),
            "sector": sectors,
            "gas": "co2",
            "value": long["value"].astype("float64"),
            "unit": UNIT_MT_CO2,
            "gwp": "n/a (CO2 only)",
        }
    )
    return out.reset_index(drop=True), notes


def compare_cement(emissions: pd.DataFrame, other: pd.DataFrame, label: str, shown: int = 5) -> str:
    """The largest differences between this source's cement process CO2 and another's (OWID) in shared
    area-years, as one note line."""
    mine = emissions[emissions["sector"] == CEMENT].set_index(["iso3", "year"])["value"]
    theirs = other[other["sector"] == CEMENT].set_index(["iso3", "year"])["value"]
    both = pd.DataFrame({"gcb": mine, "other": theirs}).dropna()
    if both.empty:
        return f"cement process CO2 shares no area-year with {label}"
    both["difference"] = both["gcb"] - both["other"]
    years = both.index.get_level_values("year")
    largest = both.reindex(both["difference"].abs().sort_values(ascending=False, kind="stable").index).head(shown)
    listed = "; ".join(
        f"{iso3} {year}: {row.gcb:,.2f} against {row.other:,.2f} Mt ({row.difference:+,.2f})"
        for (iso3, year), row in largest.iterrows()
    )
    same = int((both["difference"].abs() <= SUM_TOLERANCE_MT).sum())
    return (
        f"cement process CO2 against {label} in the {len(both):,} area-years both report ({years.min()}-"
        f"{years.max()}): {same:,} agree within {SUM_TOLERANCE_MT:g} Mt; largest differences: {listed}"
    )
