"""Sanity checks on the outputs, run on real data before anything is written. Any failure stops the build."""

from __future__ import annotations

import numpy as np
import pandas as pd

from decarb.contract import (
    EDGAR,
    GAS_LABELS,
    INDUSTRY_SOURCES,
    OPERATING,
    OPERATING_PRE_RETIREMENT,
    PRODUCTS,
    SECTOR_BY_CODE,
    STEEL_STAGES,
    STEEL_STATUSES,
    TABLES,
    column_names,
)
from etl.errors import InputError

MIN_EDGAR_COUNTRIES = 200
# Each stored industry sector of an industry source covers at least this many areas (the real files: Climate
# TRACE's least covered sub-sector, pulp-and-paper, has 29; the inventories 43 parties). A smaller build (the
# test extract) lowers it to its own minimum.
MIN_INDUSTRY_COUNTRIES = 25
KEYS = {
    "emissions": ["source", "iso3", "year", "sector", "gas"],
    "areas": ["iso3"],
    "indicators": ["iso3", "year"],
    "members": ["member"],
    "reported_counts": ["date"],
    "milestones": ["date", "event"],
    "targets": ["actor_id"],
    "steel_plants": ["plant_id"],
    "steel_capacity": ["plant_id", "status", "stage", "technology"],
    "steel_units": ["unit_id"],
    "production": ["source", "iso3", "year", "product"],
    "company_steel_owners": ["company", "gem_entity_id"],
}
# World crude steel (steel-making) capacity, operating + operating pre-retirement, in a full build: GEM's March
# 2025 file holds about 2,200 Mt against worldsteel's 1,884 Mt produced in 2024. A unit slip (ttpa read as
# tonnes or as Mt) or a dropped status lands far outside; checked only on full builds (an extract is small).
WORLD_OPERATING_STEEL_CAPACITY_MT = (1_500.0, 3_500.0)


def check_outputs(tables: dict[str, pd.DataFrame], min_countries: int = MIN_EDGAR_COUNTRIES) -> None:
    for name, frame in tables.items():
        _check_columns(name, frame)
        _check_unique(name, frame, KEYS[name])
    emissions, areas = tables["emissions"], tables["areas"]
    _check_vocabulary(emissions)
    _check_codes_described(tables, set(areas["iso3"]))
    if not np.isfinite(emissions["value"]).all():
        raise InputError("emissions", "column 'value'", "non-finite value in the output")
    countries = set(areas.loc[areas["kind"] == "country", "iso3"].unique())
    edgar_countries = set(emissions.loc[emissions["source"] == EDGAR, "iso3"].unique()) & countries
    if len(edgar_countries) < min_countries:
        raise InputError(
            "emissions", "source edgar", f"only {len(edgar_countries)} countries; expected at least {min_countries}"
        )
    _check_industry_coverage(emissions, min(MIN_INDUSTRY_COUNTRIES, min_countries))
    _check_steel(tables, full=min_countries >= MIN_EDGAR_COUNTRIES)


def _check_steel(tables: dict[str, pd.DataFrame], full: bool) -> None:
    capacity, units, plants = tables["steel_capacity"], tables["steel_units"], tables["steel_plants"]
    for name, frame, column in (
        ("steel_capacity", capacity, "status"),
        ("steel_units", units, "status"),
        ("steel_plants", plants, "plant_status"),
    ):
        unknown = set(frame[column].unique()) - set(STEEL_STATUSES)
        if unknown:
            raise InputError(name, f"column '{column}'", f"values outside STEEL_STATUSES: {sorted(unknown)}")
    pairs = {(stage, tech) for stage, techs in STEEL_STAGES.items() for tech in techs}
    found = set(zip(capacity["stage"], capacity["technology"], strict=True))
    if found - pairs:
        raise InputError(
            "steel_capacity", "columns 'stage', 'technology'", f"not in STEEL_STAGES: {sorted(found - pairs)}"
        )
    if not (capacity["capacity_mt"] > 0).all():
        raise InputError("steel_capacity", "column 'capacity_mt'", "a row without capacity above zero")
    products = set(tables["production"]["product"].unique()) - set(PRODUCTS)
    if products:
        raise InputError("production", "column 'product'", f"values outside PRODUCTS: {sorted(products)}")
    known = units["capacity_known"].to_numpy()
    if (units["capacity_mt"].notna().to_numpy() != known).any():
        raise InputError("steel_units", "column 'capacity_known'", "disagrees with capacity_mt being given")
    if full:
        running = capacity["status"].isin([OPERATING, OPERATING_PRE_RETIREMENT]) & (capacity["stage"] == "steel")
        world = float(capacity.loc[running, "capacity_mt"].sum())
        low, high = WORLD_OPERATING_STEEL_CAPACITY_MT
        if not low <= world <= high:
            raise InputError(
                "steel_capacity",
                "world operating + pre-retirement crude steel",
                f"{world:,.0f} Mt is outside the plausible {low:,.0f}-{high:,.0f} Mt (a unit slip?)",
            )


def _check_industry_coverage(emissions: pd.DataFrame, minimum: int) -> None:
    rows = emissions[emissions["source"].isin(INDUSTRY_SOURCES)]
    counts = rows.groupby(["source", "sector"], observed=True)["iso3"].nunique()
    for source in INDUSTRY_SOURCES:
        if source not in counts.index.get_level_values("source"):
            raise InputError("emissions", f"source {source}", "no rows")
    thin = counts[counts < minimum]
    if len(thin):
        (source, sector), count = thin.index[0], int(thin.iloc[0])
        raise InputError(
            "emissions", f"source {source}, sector {sector}", f"only {count} areas; expected at least {minimum}"
        )


def _check_columns(name: str, frame: pd.DataFrame) -> None:
    if list(frame.columns) != column_names(name):
        raise InputError(name, "columns", f"{list(frame.columns)} differ from the contract {column_names(name)}")


def _check_unique(name: str, frame: pd.DataFrame, key: list[str]) -> None:
    duplicated = frame.duplicated(subset=key)  # pandas 3 with Arrow strings: 40 ms for the emissions table
    if duplicated.any():
        first = frame.loc[duplicated, key].iloc[0].to_dict()
        raise InputError(name, f"key {first}", f"duplicated ({int(duplicated.sum())} rows)")


def _check_vocabulary(emissions: pd.DataFrame) -> None:
    for column, allowed in (("sector", SECTOR_BY_CODE), ("gas", GAS_LABELS)):
        unknown = set(emissions[column].unique()) - set(allowed)
        if unknown:
            raise InputError("emissions", f"column '{column}'", f"values outside the vocabulary: {sorted(unknown)}")


def _check_codes_described(tables: dict[str, pd.DataFrame], described: set[str]) -> None:
    for name in TABLES:
        for column in ("iso3", "home_iso3"):
            if column in tables[name]:
                missing = set(tables[name][column].dropna().unique()) - described
                if missing:
                    raise InputError(name, f"column '{column}'", f"codes missing from areas: {sorted(missing)}")


# A source's latest year is partial when, for most areas, it is under this share of their mean over the years
# before it (up to PARTIAL_YEAR_BASE of them). Per area over all its sectors and gases: on the real files a
# complete latest year has at most 11% of areas under half (Climate TRACE 2025, where land-use sinks swing), and
# Climate TRACE's quarter-year 2026 has 99.6%. Per sector would not do: land use alone swings that much.
PARTIAL_YEAR_SHARE = 0.5
PARTIAL_YEAR_BASE = 3


def drop_years(frame: pd.DataFrame, years: list[int]) -> pd.DataFrame:
    """Rows of the years the analyst excluded in sources.json (exclude_years) removed."""
    if "year" not in frame or not years:
        return frame
    return frame[~frame["year"].isin(years)]


def check_years(frame: pd.DataFrame, where: str, current_year: int) -> None:
    """Refuse observations after the current year, and a partial latest year of each emissions source.

    `where` names the file the rows come from (or their folder, for a source read from several files)."""
    if "year" not in frame or frame.empty:
        return
    future = frame["year"] > current_year
    if future.any():
        year = int(frame.loc[future, "year"].min())
        raise InputError(
            where,
            f"year {year}",
            f"after the current year {current_year} ({_rows(int(future.sum()))}): observations cannot be from "
            "the future (a typing error, or a projection?)",
        )
    if {"source", "iso3", "value"} <= set(frame.columns):
        for source, rows in frame.groupby("source", observed=True):
            _check_partial_latest_year(rows, where, str(source))


def _check_partial_latest_year(rows: pd.DataFrame, where: str, source: str) -> None:
    latest = int(rows["year"].max())
    if "sector" in rows:  # sectors that end earlier (another release of the source) are not compared
        rows = rows[rows["sector"].isin(pd.unique(rows.loc[rows["year"] == latest, "sector"]))]
    base_years = [y for y in range(latest - PARTIAL_YEAR_BASE, latest) if y in set(pd.unique(rows["year"]))]
    if not base_years:
        return
    size = rows["value"].abs().groupby([rows["iso3"], rows["year"]], observed=True).sum().unstack("year")
    base = size[base_years].mean(axis=1)
    compared = size[latest].notna() & (base > 0)
    low = compared & (size[latest] < PARTIAL_YEAR_SHARE * base)
    if compared.any() and low.sum() > compared.sum() / 2:
        span = f"{base_years[0]}-{base_years[-1]}" if len(base_years) > 1 else str(base_years[0])
        raise InputError(
            where,
            f"year {latest}",
            f"a partial year? for {int(low.sum())} of {int(compared.sum())} areas it is under "
            f"{PARTIAL_YEAR_SHARE:.0%} of their mean over {span} ({source}); if it is incomplete, exclude it "
            f'in sources.json ("exclude_years": {{"{latest}": "<why>"}} in the source\'s entry)',
        )


def _rows(count: int) -> str:
    return f"{count} row{'s' if count != 1 else ''}"
