"""Selections: which rows of the emissions table make a series, for any source, area set, sector and gas set.

Rules for what is absent (stated once here, shown in docs/method.md, carried in `attrs["note"]`):

- Within one area, a sector aggregate (heavy industry, all sectors) and a gas set (all greenhouse gases) are
  the sum of the component rows the source reports for that year. A component without a row contributes
  nothing: that is how the sources' own totals are built (EDGAR's totals sheet equals its sector sheet summed
  over the rows present; the ETL checks this).
- Across areas (members, G20, ...), an area counts in the years from the first to the last year the source
  reports it for the selection (outside them it adds nothing; `attrs["note"]` names such areas, e.g. a
  country whose cement data starts in 1950). A year missing *between* an area's first and last year is a gap:
  the sum for that year is incomplete, so it is dropped from the series (never filled) and listed in
  `attrs["incomplete_years"]`.
- "All greenhouse gases" is the source's own all-gases row ("ghg") where it has one (Climate TRACE
  sub-sectors and the inventories also give CO2 alone, which is inside that row); otherwise the sum of its gases.
- A gas set the source does not report (e.g. "co2" for Climate TRACE, which only gives all gases together)
  gives an empty series with `attrs["reason"]`; nothing is substituted.
- World and EU27: where the source publishes its own total for the selection (EDGAR "GLOBAL TOTAL" -> WLD,
  EDGAR EU27, OWID's World for cement) that total is used; otherwise the sum of every non-aggregate area the
  source reports (countries, territories and, for the world, bunkers and unallocated emissions).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from decarb.contract import ALL_GHG, EU27, GAS_SETS, SECTOR_BY_CODE, UNIT_MT_CO2E, WORLD, sectors_for

if TYPE_CHECKING:
    from decarb.data import Dataset

AREA_SET_KEYS: tuple[str, ...] = ("members", "non_members", "world", "eu27", "g20")
# Area kinds that are sums of other areas: never added to a sum of areas (that would double count).
AGGREGATE_KIND = "aggregate"


@dataclass(frozen=True)
class AreaSet:
    """A named set of areas. `total_code` is the code of a source's own published total for the set, if any."""

    key: str  # "country:SWE", "members", "non_members", "world", "eu27", "g20"
    label: str
    codes: tuple[str, ...]  # the areas whose sum makes the set (used when a source has no total of its own)
    note: str  # the membership rule, in words
    total_code: str | None = None  # WLD or EU27: preferred where the source reports it


# --- Members -------------------------------------------------------------------------------------------------
def _member_rows(members: pd.DataFrame, include_unverified: bool, member_type: str = "country") -> pd.DataFrame:
    rows = members[members["member_type"] == member_type]
    return rows if include_unverified else rows[rows["status"] == "confirmed"]


def listed_members(
    members: pd.DataFrame,
    member_type: str,
    as_of_year: int | None = None,
    backcast: bool = True,
    include_unverified: bool = False,
) -> pd.DataFrame:
    """The member rows of one type ("country" or "company") under one member definition: the rule of
    member_countries, so countries and companies are always counted alike."""
    rows = _member_rows(members, include_unverified, member_type)
    if not backcast:
        rows = rows[(join_years(rows) <= as_of_year).fillna(False)]
    return rows


def join_years(members: pd.DataFrame) -> pd.Series:
    """Year each member joined (nullable Int64; <NA> where `joined_on` is unknown), indexed like `members`."""
    return pd.to_datetime(members["joined_on"]).dt.year.astype("Int64")


def member_countries(
    members: pd.DataFrame, as_of_year: int | None = None, backcast: bool = True, include_unverified: bool = False
) -> list[str]:
    """ISO3 codes of LeadIT member countries, sorted.

    backcast=True: today's members (every listed country, join date known or not), to be applied to every
    year of a series; `as_of_year` must then be None. backcast=False: the countries that had joined by
    31 December of `as_of_year` (required); countries with an unknown join date are left out because they
    cannot be placed in time. Unverified rows are left out unless `include_unverified`.
    """
    if backcast and as_of_year is not None:
        raise ValueError(
            "Choose one: membership as of a year (backcast=False, as_of_year=Y) "
            "or today's members back-cast (backcast=True, as_of_year=None)."
        )
    if not backcast and as_of_year is None:
        raise ValueError("backcast=False needs as_of_year: the year whose membership is used.")
    rows = listed_members(members, "country", as_of_year, backcast, include_unverified)
    return sorted(rows["iso3"].dropna().unique().tolist())


def _membership_note(
    members: pd.DataFrame,
    as_of_year: int | None,
    backcast: bool,
    include_unverified: bool,
) -> str:
    rows = _member_rows(members, include_unverified)
    unknown = int(join_years(rows).isna().sum())
    unverified = int(((members["member_type"] == "country") & (members["status"] != "confirmed")).sum())
    status = "confirmed and unverified" if include_unverified else "confirmed"
    # Plain words, and counts only where they are not 0 ("back-cast", "0 with an unknown join date are included").
    skipped = f"; {unverified} unverified member countries left out" if unverified and not include_unverified else ""
    if backcast:
        dated = f" (including {unknown} whose join date is unknown)" if unknown else ""
        return (
            f"Today's LeadIT member countries ({status}), counted in every year, also in the years before they "
            f"joined{dated}{skipped}."
        )
    dated = f"; {unknown} with an unknown join date are left out" if unknown else ""
    return f"LeadIT member countries ({status}) that had joined by 31 December {as_of_year}{dated}{skipped}."


# --- Area sets -----------------------------------------------------------------------------------------------
def _countries(areas: pd.DataFrame) -> list[str]:
    return sorted(areas.loc[areas["kind"] == "country", "iso3"].tolist())


def _non_aggregate(areas: pd.DataFrame) -> list[str]:
    return sorted(areas.loc[areas["kind"] != AGGREGATE_KIND, "iso3"].tolist())


def _g20(areas: pd.DataFrame) -> tuple[list[str], str]:
    flagged = areas[areas["in_g20"].astype(bool)]
    countries = set(flagged.loc[flagged["kind"] != AGGREGATE_KIND, "iso3"])
    note = "G20 members in their own right"
    if EU27 in set(flagged["iso3"]):
        countries |= set(areas.loc[areas["in_eu27"].astype(bool) & (areas["kind"] == "country"), "iso3"])
        note += ", plus the EU27 member countries (the EU is a G20 member), each counted once"
    return sorted(countries), note + "."


def area_set(
    ds: Dataset, key: str, as_of_year: int | None = None, backcast: bool = True, include_unverified: bool = False
) -> AreaSet:
    """The area set for `key`: "country:<ISO3>" (any code in ds.areas), or one of AREA_SET_KEYS.

    Raises ValueError for an unknown key or code. The membership arguments apply to "members" and
    "non_members" only (see `member_countries`). Read-only (Dataset.derived: every page asks for several).
    """
    return ds.derived(_area_set, key, as_of_year, backcast, include_unverified)


def _area_set(ds: Dataset, key: str, as_of_year: int | None, backcast: bool, include_unverified: bool) -> AreaSet:
    areas = ds.areas
    names = dict(zip(areas["iso3"], areas["name"], strict=True))
    if key.startswith("country:"):
        code = key.split(":", 1)[1]
        if code not in names:
            raise ValueError(f"Unknown area code {code!r}: not in the areas table.")
        total = code if code in (WORLD, EU27) else None
        return AreaSet(key, names[code], (code,), f"{names[code]} ({code}) as reported by each source.", total)
    if key in ("members", "non_members"):
        members = member_countries(ds.members, as_of_year, backcast, include_unverified)
        note = _membership_note(ds.members, as_of_year, backcast, include_unverified)
        if key == "members":
            return AreaSet(key, "LeadIT members", tuple(members), note)
        others = tuple(c for c in _countries(areas) if c not in set(members))
        return AreaSet(key, "Non-members", others, "Every country that is not a member. " + note)
    if key == "world":
        return AreaSet(
            key,
            "World",
            tuple(_non_aggregate(areas)),
            "The source's own world total where it publishes one (EDGAR: GLOBAL TOTAL, which includes "
            "international aviation and shipping); otherwise the sum of every area it reports.",
            WORLD,
        )
    if key == "eu27":
        codes = sorted(areas.loc[areas["in_eu27"].astype(bool) & (areas["kind"] == "country"), "iso3"])
        return AreaSet(
            key,
            names.get(EU27, "EU27"),
            tuple(codes),
            "The source's own EU27 total where it publishes one (EDGAR); otherwise the sum of the 27 member countries.",
            EU27,
        )
    if key == "g20":
        codes, note = _g20(areas)
        return AreaSet(key, "G20", tuple(codes), note)
    raise ValueError(f"Unknown area set {key!r}: use 'country:<ISO3>' or one of {AREA_SET_KEYS}.")


def non_members_of(ds: Dataset, members: AreaSet) -> AreaSet:
    """Every country not in `members`: the complement of whichever member definition is in use."""
    chosen = set(members.codes)
    return AreaSet(
        "non_members",
        "Non-members",
        tuple(c for c in _countries(ds.areas) if c not in chosen),
        f"Every country that is not a member. {members.note}",
    )


# --- Rows of one selection -----------------------------------------------------------------------------------
ALL_GASES_ROW = "ghg"  # a source's own all-gases total: never added to its CO2 row, which it contains
ENCODED_COLUMNS: tuple[str, ...] = ("source", "iso3", "sector", "gas", "unit")


@dataclass(frozen=True)
class Encoded:
    """The emissions table as integer codes (pd.factorize) per text column: fast masks and sums, no copies."""

    codes: dict[str, np.ndarray]
    labels: dict[str, np.ndarray]
    year: np.ndarray
    value: np.ndarray

    def code(self, column: str, label: str) -> int:
        hits = np.flatnonzero(self.labels[column] == label)
        return int(hits[0]) if hits.size else -1

    def present(self, column: str, rows: np.ndarray) -> np.ndarray:
        """Which labels of `column` occur in the rows selected by the boolean mask `rows`."""
        return np.bincount(self.codes[column][rows], minlength=len(self.labels[column])) > 0

    def mask(self, column: str, labels: Sequence[str]) -> np.ndarray:
        wanted = set(labels)
        hits = np.array([label in wanted for label in self.labels[column]], dtype=bool)
        return hits[self.codes[column]] if len(hits) else np.zeros(len(self.year), dtype=bool)


def encode(emissions: pd.DataFrame) -> Encoded:
    """Factorise the text columns of the emissions table once (the slow part of masking it by text)."""
    codes, labels = {}, {}
    for column in ENCODED_COLUMNS:
        codes[column], uniques = pd.factorize(emissions[column])
        labels[column] = np.asarray(uniques, dtype=object)
    return Encoded(codes, labels, emissions["year"].to_numpy(dtype=np.int64), emissions["value"].to_numpy(dtype=float))


def _encode_emissions(ds: Dataset) -> Encoded:
    return encode(ds.emissions)


def encoded(ds: Dataset) -> Encoded:
    """`encode` of the dataset's emissions (Dataset.derived: pages and decks build many panels from one)."""
    return ds.derived(_encode_emissions)


def _rows_of(ds: Dataset, source: str) -> Encoded:
    enc = encoded(ds)
    keep = enc.codes["source"] == enc.code("source", source)
    return Encoded({c: codes[keep] for c, codes in enc.codes.items()}, enc.labels, enc.year[keep], enc.value[keep])


def rows_of(ds: Dataset, source: str) -> Encoded:
    """The encoded rows of one source only (same labels; Dataset.derived): selections of a small source then
    mask only its rows, not the whole table, once per panel."""
    return ds.derived(_rows_of, source)


def gases_for(enc: Encoded, source: str, gas_set: str) -> tuple[list[str], str]:
    """Gases of `source` in `gas_set`, and a reason when there are none (the source does not report them)."""
    if gas_set not in GAS_SETS:
        raise ValueError(f"Unknown gas set {gas_set!r}: use one of {list(GAS_SETS)}.")
    in_source = enc.codes["source"] == enc.code("source", source)
    reported = sorted(enc.labels["gas"][enc.present("gas", in_source)].tolist())
    if gas_set == ALL_GHG:
        gases = [ALL_GASES_ROW] if ALL_GASES_ROW in reported else reported
    else:
        gases = [g for g in reported if g == gas_set]
    reason = (
        ""
        if gases
        else (
            f"{source} does not report gas set {gas_set!r} separately "
            f"(it reports: {', '.join(reported) or 'nothing'}); nothing is substituted."
        )
    )
    return gases, reason


def selection_mask(enc: Encoded, source: str, sector: str, gas_set: str = ALL_GHG) -> tuple[np.ndarray, str]:
    """Which emissions rows make up (source, sector, gas set), and a reason when there are none."""
    if sector not in SECTOR_BY_CODE:
        raise ValueError(f"Unknown sector {sector!r}: see decarb.contract.SECTORS.")
    leaves = sectors_for(sector, source)
    gases, reason = gases_for(enc, source, gas_set)
    if not leaves:
        reason = f"{source} does not report sector {sector!r} or any part of it."
    mask = (enc.codes["source"] == enc.code("source", source)) & enc.mask("sector", leaves) & enc.mask("gas", gases)
    return mask, reason


def unit_of(units: Sequence[str]) -> str:
    """The rows' one unit (e.g. Mt CO2e (GWP-100 AR4)); Mt CO2e for a mix (CO2 plus other gases as CO2e)."""
    distinct = set(units)
    return distinct.pop() if len(distinct) == 1 else UNIT_MT_CO2E


def panel_from(enc: Encoded, source: str, sector: str, gas_set: str = ALL_GHG) -> pd.DataFrame:
    """`panel` on an encoded table (see there); use it to build many panels from one `encode`."""
    mask, reason = selection_mask(enc, source, sector, gas_set)
    areas = np.flatnonzero(enc.present("iso3", mask))
    position = np.zeros(len(enc.labels["iso3"]), dtype=np.int64)
    position[areas] = np.arange(len(areas))
    area_idx = position[enc.codes["iso3"][mask]]
    years = enc.year[mask]
    first = int(years.min()) if years.size else 0
    span = int(years.max()) - first + 1 if years.size else 0
    cell = area_idx * span + (years - first)
    sums = np.bincount(cell, weights=enc.value[mask], minlength=len(areas) * span)
    counts = np.bincount(cell, minlength=len(areas) * span)
    values = np.where(counts > 0, sums, np.nan).reshape(len(areas), span)
    # Sorted and emptied of year columns in numpy, not sort_index and a boolean .loc on the string index: a
    # scoreboard builds a panel per source and sector (docs/deploy.md).
    names = enc.labels["iso3"][areas].astype(str)
    order, kept = np.argsort(names, kind="stable"), counts.reshape(len(areas), span).any(axis=0)
    table = pd.DataFrame(
        values[order][:, kept],
        index=pd.Index(names[order], name="iso3"),
        columns=pd.Index(np.arange(first, first + span)[kept], name="year"),
    )
    units = enc.labels["unit"][enc.present("unit", mask)].tolist()
    table.attrs = {"source": source, "sector": sector, "gas_set": gas_set, "unit": unit_of(units), "reason": reason}
    return table


def panel(ds: Dataset, source: str, sector: str, gas_set: str = ALL_GHG) -> pd.DataFrame:
    """Emissions of every area the source reports: rows iso3 (incl. its own aggregates), columns year.

    A cell is the sum of the rows present for that area and year over the sector's stored parts and the gas
    set's gases (unit in attrs["unit"]); NaN where the area has no row that year (never filled). Read-only
    (Dataset.derived).
    """
    return ds.derived(_panel_of, source, sector, gas_set)


def _panel_of(ds: Dataset, source: str, sector: str, gas_set: str) -> pd.DataFrame:
    return panel_from(encoded(ds), source, sector, gas_set)


def incomplete_cells(values: np.ndarray) -> np.ndarray:
    """True where a row is NaN in a year between its first and its last reported year (an internal gap)."""
    present = ~np.isnan(values)
    started = np.maximum.accumulate(present, axis=1)
    continues = np.maximum.accumulate(present[:, ::-1], axis=1)[:, ::-1]
    return started & continues & ~present


def _rows(table: pd.DataFrame, codes: Sequence[str]) -> tuple[list[str], np.ndarray]:
    """The codes the panel has (in order) and their rows as a float array.

    Plain lookups and numpy, not `table.reindex(codes)`: reindexing builds a string index from the list and
    deep-copies the panel's attrs on every call, most of a single country's series."""
    index = table.index
    present = [c for c in codes if c in index]
    return present, table.to_numpy(dtype=float)[[index.get_loc(c) for c in present]]


def sum_areas(table: pd.DataFrame, codes: Sequence[str]) -> tuple[pd.Series, list[int]]:
    """Sum of `codes` rows of a panel per year, and the incomplete years (dropped, see the module rule)."""
    present, values = _rows(table, codes)
    if not present:
        return pd.Series(dtype=float, index=pd.Index([], dtype=int, name="year")), []
    incomplete = incomplete_cells(values).any(axis=0)
    reported = ~np.isnan(values).all(axis=0)
    keep = reported & ~incomplete
    years = table.columns.to_numpy()
    total = pd.Series(np.nansum(values[:, keep], axis=0), index=pd.Index(years[keep], name=table.columns.name))
    return total, [int(y) for y in years[reported & incomplete]]


def coverage_note(table: pd.DataFrame, codes: Sequence[str]) -> str:
    """How many areas of a sum the source reports only from a later year, and which stop early."""
    if len(codes) < 2:
        return ""
    found, values = _rows(table, codes)
    if len(found) < 2:
        return ""
    present = ~np.isnan(values)
    years = table.columns.to_numpy()
    first = years[present.argmax(axis=1)]
    last = years[len(years) - 1 - present[:, ::-1].argmax(axis=1)]
    late = int((first > years.min()).sum())
    early = [f"{code} (last {int(y)})" for code, y in zip(found, last, strict=True) if y < years.max()]
    parts = [f"{late} of {len(found)} areas are reported from a later year than {int(years.min())}"] if late else []
    parts += [f"reported until an earlier year than {int(years.max())}: {', '.join(early)}"] if early else []
    return (" Coverage: " + "; ".join(parts) + " (outside its years an area adds nothing).") if parts else ""


MISSING_NAMED = 30  # sets up to this size name every area a source does not cover (members: all of them)


def _use_own_total(table: pd.DataFrame, aset: AreaSet) -> bool:
    return aset.total_code is not None and aset.total_code in table.index


def series(
    ds: Dataset,
    source: str,
    areas: Sequence[str] | AreaSet,
    sector: str,
    gas_set: str = ALL_GHG,
    years: tuple[int, int] | None = None,
) -> pd.Series:
    """Annual emissions (unit in attrs["unit"], Mt CO2e or Mt CO2) summed over `areas`, indexed by year.

    `areas` is a list of area codes or an AreaSet (then the source's own total is used where it has one).
    Years without data are absent; incomplete years of a multi-area sum are dropped and listed in
    attrs["incomplete_years"]; attrs["reason"] says why a series is empty; attrs["note"] states the rule used.
    """
    table = panel(ds, source, sector, gas_set)
    missing: tuple[str, ...] = ()
    codes: list[str]
    if isinstance(areas, AreaSet) and areas.total_code is not None and _use_own_total(table, areas):
        codes, rule = [areas.total_code], f"{source}'s own {areas.total_code} total."
    else:
        codes = list(areas.codes if isinstance(areas, AreaSet) else areas)
        missing = tuple(code for code in codes if code not in table.index)
        rule = (
            "A single area."
            if len(codes) == 1
            else (f"Sum of the {len(codes) - len(missing)} areas {source} reports, of the {len(codes)} in the set.")
        )
        if missing and len(codes) > 1 and len(missing) <= MISSING_NAMED:
            rule += f" Not covered by {source} for this selection: {', '.join(missing)}."
    values, incomplete = sum_areas(table, codes)
    rule += coverage_note(table, codes)
    if years is not None:
        values = values[(values.index >= years[0]) & (values.index <= years[1])]
    out = pd.Series(values.to_numpy(), index=pd.Index(values.index.astype(int), name="year"), name=sector)
    out.attrs = {
        **table.attrs,
        "areas": tuple(codes),
        "incomplete_years": incomplete,
        "missing_areas": missing,
        "note": rule + (f" {areas.note}" if isinstance(areas, AreaSet) else ""),
    }
    if out.empty and not out.attrs["reason"]:
        out.attrs["reason"] = f"{source} reports no {sector} data for these areas."
    return out
