"""Normalisations of an emissions series or panel: absolute, per capita, per GDP, index, share of the world.

Input values are in Mt CO2e (or Mt CO2) as returned by decarb.selection. Missing-data rule: a year whose
denominator is absent (population, GDP, base-year value, world total) gives NaN for that year; nothing is filled
or interpolated. For a set of areas the denominator is the sum over the same areas, and a year where any of
them lacks the indicator is NaN.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from decarb.contract import TONNES_PER_MT
from decarb.selection import AreaSet, area_set, series

if TYPE_CHECKING:
    from decarb.data import Dataset

HOWS: tuple[str, ...] = ("absolute", "per_capita", "per_gdp", "index", "share_of_world")
UNITS: dict[str, str] = {
    "absolute": "Mt CO2e",
    "per_capita": "t CO2e per person",
    # Grams, not kilograms: heavy industry's 0.01-0.12 kg per dollar read "0.0" in one-decimal text summaries.
    "per_gdp": "g CO2e per int-$ at 2011 prices",  # per international dollar of GDP (OWID: Maddison)
    "index": "index (base year = 100)",  # normalise() names the base year used: "index (2015 = 100)"
    "share_of_world": "% of world total",
}
G_PER_MT = 1e12  # grams per megatonne


def window_start(how: str, base_year: int) -> int | None:
    """The first year a time chart of `how` shows (None: every year). Normalised views (per capita, per unit of GDP,
    index, share of world) start at the base year, where the dashboard compares: before it, a ratio of a small
    early economy (Luxembourg's 37 t per person in 1970, index 807) would set the scale of every line. Absolute
    views keep the whole record. docs/method.md states the rule."""
    return None if how == "absolute" else base_year


def from_window(values: pd.Series, how: str, base_year: int) -> pd.Series:
    """`values` from window_start(how, base_year) on (attrs kept)."""
    start = window_start(how, base_year)
    if start is None:
        return values
    out = values[values.index >= start]
    out.attrs = dict(values.attrs)
    return out


def _codes(areas: Sequence[str] | AreaSet) -> list[str]:
    return list(areas.codes if isinstance(areas, AreaSet) else areas)


def indicator(ds: Dataset, areas: Sequence[str] | AreaSet, column: str) -> pd.Series:
    """Population (persons) or GDP (int-$ 2011) summed over areas per year; NaN where any area lacks it."""
    table = _pivot(ds, column)
    # numpy over the pivot's rows: `total[mask] = nan` on a Series made pandas format the mask's repr for a
    # KeyError it then swallowed (half of this function's time; a Countries chart calls it 8 times).
    rows = table.index.get_indexer(_codes(areas))
    values = table.to_numpy(dtype=float)[rows]
    values[rows < 0] = np.nan  # an area without the indicator lacks it in every year
    reported = ~np.isnan(values)
    some = reported.any(axis=0)  # years none of the areas report are absent, as before
    total = np.where(reported.all(axis=0), values.sum(axis=0), np.nan)
    return pd.Series(total[some], index=table.columns[some].astype(int), name=None)


def _divide(values: pd.Series | pd.DataFrame, denominator: pd.Series) -> pd.Series | pd.DataFrame:
    if isinstance(values, pd.DataFrame):
        return values.div(denominator.reindex(values.columns), axis=1)
    return values / denominator.reindex(values.index)


def _index(values: pd.Series | pd.DataFrame, base_year: int | None) -> pd.Series | pd.DataFrame:
    years = values.columns if isinstance(values, pd.DataFrame) else values.index
    base_year = int(min(years)) if base_year is None else base_year
    if base_year not in years:
        raise ValueError(f"Base year {base_year} is outside the data ({min(years)}-{max(years)}).")
    base = values[base_year] if isinstance(values, pd.DataFrame) else values.loc[base_year]
    if isinstance(values, pd.DataFrame):
        return values.div(base.where(base > 0), axis=0) * 100.0
    return values / base * 100.0 if base > 0 else values * np.nan


def _world(ds: Dataset, attrs: dict) -> pd.Series:
    missing = [k for k in ("source", "sector", "gas_set") if k not in attrs]
    if missing:
        raise ValueError(f"share_of_world needs values from decarb.selection (attrs {missing} missing).")
    return series(ds, attrs["source"], area_set(ds, "world"), attrs["sector"], attrs["gas_set"])


def normalise(
    values: pd.Series | pd.DataFrame,
    how: str,
    *,
    ds: Dataset,
    areas: Sequence[str] | AreaSet,
    base_year: int | None = None,
) -> pd.Series | pd.DataFrame:
    """`values` (Series by year, or DataFrame with year columns) expressed as `how` (unit: UNITS[how]).

    per_capita and per_gdp divide by population / GDP summed over `areas` (for a DataFrame, pass the rows'
    own codes, one per row, to divide each row by its own indicator). index: 100 * value / value(base_year),
    base year default the first year; NaN when the base value is absent or <= 0. share_of_world: 100 * value /
    the world total of the same source, sector and gas set (from values.attrs; see decarb.selection).
    """
    if how not in HOWS:
        raise ValueError(f"Unknown normalisation {how!r}: use one of {HOWS}.")
    attrs = dict(values.attrs)
    if how == "absolute":
        out = values.copy()
    elif how in ("per_capita", "per_gdp"):
        column, factor = ("population", TONNES_PER_MT) if how == "per_capita" else ("gdp", G_PER_MT)
        if isinstance(values, pd.DataFrame):
            out = _per_row(ds, values, column) * factor
        else:
            out = _divide(values, indicator(ds, areas, column)) * factor
    elif how == "index":
        years = values.columns if isinstance(values, pd.DataFrame) else values.index
        base_year = int(min(years)) if base_year is None else base_year
        out = _index(values, base_year)
    else:
        out = _divide(values, _world(ds, attrs)) * 100.0
    unit = attrs.get("unit", UNITS["absolute"])
    out.attrs = {**attrs, "how": how, "unit": unit if how == "absolute" else _unit(how, unit, base_year)}
    return out


def _unit(how: str, unit: str, base_year: int | None = None) -> str:
    if how == "index":  # a ratio to the base year: no gas, no convention, the year named
        return UNITS["index"].replace("base year", str(base_year))
    if unit.endswith("CO2"):
        return UNITS[how].replace("CO2e", "CO2")
    # The inventories state their GWP in the unit (Mt CO2e (GWP-100 AR4)): it stays stated when divided.
    convention = unit.partition(" (")[2]
    return f"{UNITS[how]} ({convention}" if convention and "CO2e" in UNITS[how] else UNITS[how]


def _per_row(ds: Dataset, values: pd.DataFrame, column: str) -> pd.DataFrame:
    return values / _pivot(ds, column).reindex(index=values.index, columns=values.columns)


def _make_pivot(ds: Dataset, column: str) -> pd.DataFrame:
    table = ds.indicators.pivot(index="iso3", columns="year", values=column)
    table.columns = table.columns.astype(int)
    return table


def _pivot(ds: Dataset, column: str) -> pd.DataFrame:
    """Indicator `column` as iso3 x year (int), read-only (Dataset.derived)."""
    return ds.derived(_make_pivot, column)
