"""Steel plant by plant: capacity by technology and status, the near-zero share of what runs and what is planned,
the blast-furnace relining calendar, emissions per tonne of crude steel, and the member companies' plants.

Pure: frames of the steel tables (decarb.contract: steel_plants, steel_capacity, steel_units, production,
company_steel_owners, and the emissions table) in, frames and figures out. Each function states its rule for
missing data; docs/method.md ("Steel") says the same in words. Iron-making (blast furnace, DRI) and steel-making
(BOF, EAF, open hearth) capacity are two stages of one route and are never added together.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from decarb.contract import CLIMATE_TRACE_SUBSECTORS, EU27, IRON_STEEL, WORLD

# --- Vocabulary (the steel tables' words; decarb.contract holds the full lists) ---------------------------------
OPERATING_STATUSES: tuple[str, ...] = ("operating", "operating_pre_retirement")
PIPELINE_STATUSES: tuple[str, ...] = ("construction", "announced")
PHASES: dict[str, tuple[str, ...]] = {"operating": OPERATING_STATUSES, "pipeline": PIPELINE_STATUSES}
STAGES: tuple[str, ...] = ("steel", "iron")  # steel-making first: the headline share is about crude steel
# Routes that can reach near-zero emissions: an electric arc furnace (scrap or reduced iron, clean power) for
# steel-making; direct reduction (gas today, hydrogen possible) for iron-making. "Can reach", not "is": most
# DRI runs on gas or coal today, and an EAF's emissions are those of its power and its iron.
NEAR_ZERO: dict[str, tuple[str, ...]] = {"steel": ("eaf",), "iron": ("dri",)}
UNSPECIFIED = "other"  # GEM's "other/unspecified": capacity whose route the tracker does not give
BLAST_FURNACE = "bf"

# Blast-furnace campaign (years between relinings): the median observed campaign of the world's blast furnaces
# (Vogl, Olsson and Nykvist 2021, Joule; furnace-level data), inside the 15-20 years operators aim for and Agora
# Industry assumes; sources in docs/method.md ("Steel").
CAMPAIGN_YEARS = 17
DUE_BEFORE: tuple[int, ...] = (2030, 2035)
RELINING, START, NO_BASIS = "last relining", "plant start", "neither known"

# The emissions behind the intensity: Climate TRACE iron and steel, all greenhouse gases (its co2e_100yr row).
INTENSITY_SOURCE, INTENSITY_SECTOR, INTENSITY_GAS = CLIMATE_TRACE_SUBSECTORS, IRON_STEEL, "ghg"
PRODUCTION_SOURCE, CRUDE_STEEL = "worldsteel", "crude_steel"
AGGREGATE_CODES: frozenset[str] = frozenset({WORLD, EU27})  # a source's own totals: never added to countries

GEM_ID = re.compile(r"E\d+")
GEM_ID_SHARE = re.compile(r"(E\d+)\s*\[\s*([0-9.]+)\s*%\s*\]")


# --- What a figure covers ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Scope:
    """The plants a figure covers: a country's, a group's (by country) or a company's (by plant).

    `iso3` None: every plant. `outside`: every plant except those in `iso3` (non-members: the complement of the
    members within the tracker, so no plant is lost to an area the areas table calls a territory).
    `plant_ids` set: exactly these plants (a company), whatever their country.
    """

    key: str
    label: str
    iso3: frozenset[str] | None = None
    outside: bool = False
    plant_ids: frozenset[str] | None = None
    note: str = ""
    owners: dict[str, str] = field(default_factory=dict, compare=False, hash=False)  # plant_id -> member owners

    @property
    def is_company(self) -> bool:
        return self.plant_ids is not None

    def mask(self, frame: pd.DataFrame) -> np.ndarray:
        """Which rows of a frame with `plant_id` (a company) or `iso3` (the rest) are in the scope."""
        if self.plant_ids is not None:
            return frame["plant_id"].isin(self.plant_ids).to_numpy()
        if self.iso3 is None:
            return np.ones(len(frame), dtype=bool)
        inside = frame["iso3"].isin(self.iso3).to_numpy()
        return ~inside if self.outside else inside

    def countries(self, codes: Iterable[str]) -> list[str]:
        """Of `codes`, the countries in the scope (a company has none: its plants are not a country's total)."""
        if self.plant_ids is not None:
            return []
        pool = [c for c in codes if c not in AGGREGATE_CODES]
        if self.iso3 is None:
            return pool
        return [c for c in pool if (c in self.iso3) != self.outside]


def country_scope(iso3: str, name: str) -> Scope:
    return Scope(f"country:{iso3}", name, frozenset({iso3}), note=f"Plants in {name}.")


def world_scope() -> Scope:
    return Scope("world", "World", None, note="Every plant in the tracker.")


def group_scope(key: str, label: str, codes: Sequence[str], note: str, outside: bool = False) -> Scope:
    """A group by country (members; with outside=True, everything but them)."""
    return Scope(key, label, frozenset(codes), outside=outside, note=note)


# --- Member companies ----------------------------------------------------------------------------------------
def gem_ids(text: object) -> list[str]:
    """The GEM entity ids in a field of the plant file ("E100001000703 [100.0%]; E100000004212" -> both ids)."""
    return GEM_ID.findall(text) if isinstance(text, str) else []


def id_shares(text: object) -> dict[str, float]:
    """The share (%) GEM gives beside an id, where it gives one."""
    return {i: float(s) for i, s in GEM_ID_SHARE.findall(text)} if isinstance(text, str) else {}


COMPANY_MATCH_COLUMNS = ["plant_id", "company", "gem_entity_id", "via", "share_pct"]


def company_matches(plants: pd.DataFrame, owners: pd.DataFrame) -> pd.DataFrame:
    """Every (plant, member company) pair: the company's GEM entity id appears among the plant's owner ids or
    parent ids. Columns plant_id, company, gem_entity_id, via ("owner" or "parent"; the owner where both),
    share_pct (the share GEM gives beside that id; NaN where it gives none). One row per plant and company even
    when several of the company's ids match (the first in the mapping file's order)."""
    wanted: dict[str, list[str]] = {}
    for company, entity in zip(owners["company"], owners["gem_entity_id"], strict=True):
        wanted.setdefault(str(entity).strip(), []).append(str(company))
    rows = []
    for plant_id, owner_ids, parent_ids in zip(
        plants["plant_id"], plants["owner_gem_ids"], plants["parent_gem_ids"], strict=True
    ):
        seen: set[str] = set()
        for via, text in (("owner", owner_ids), ("parent", parent_ids)):
            shares = id_shares(text)
            for entity in gem_ids(text):
                for company in wanted.get(entity, ()):
                    if company not in seen:
                        seen.add(company)
                        rows.append((plant_id, company, entity, via, shares.get(entity, np.nan)))
    return pd.DataFrame(rows, columns=COMPANY_MATCH_COLUMNS)


def member_owners(matches: pd.DataFrame) -> dict[str, str]:
    """plant_id -> its member owners, named ("SSAB; LKAB; Vattenfall" order of the mapping file)."""
    out: dict[str, list[str]] = {}
    for plant_id, company in zip(matches["plant_id"], matches["company"], strict=True):
        out.setdefault(plant_id, []).append(company)
    return {plant: "; ".join(names) for plant, names in out.items()}


def company_scope(matches: pd.DataFrame, company: str | None = None) -> Scope:
    """The plants of one member company (or, company None, of every member company), each plant once.

    A plant counts whole for a company that owns any part of it, directly or through its parent: GEM's shares
    are shown beside the owners, never applied (a part-owner is part of the plant's reinvestment decision).
    """
    rows = matches if company is None else matches[matches["company"] == company]
    owners = member_owners(matches[matches["plant_id"].isin(set(rows["plant_id"]))])
    shared = sum(1 for names in owners.values() if "; " in names)
    label = company or "LeadIT member companies"
    note = f"Plants {label} owns in whole or in part (GEM owner or parent entity id), each counted once and in full" + (
        f"; {shared} with more than one member owner, named in the plant table." if shared else "."
    )
    key = f"company:{company}" if company else "companies"
    return Scope(key, label, plant_ids=frozenset(rows["plant_id"]), note=note, owners=owners)


# --- Capacity by technology and status -----------------------------------------------------------------------
CAPACITY_COLUMNS = ["stage", "technology", "status", "capacity_mt", "plants"]


def capacity_by_technology(capacity: pd.DataFrame, scope: Scope) -> pd.DataFrame:
    """Capacity (Mt a year) of the scope's plants per stage, technology and status, and how many plants hold it.

    Only rows the tracker has (capacity > 0); a status or technology without capacity is absent, not 0.
    Iron-making and steel-making are separate rows (`stage`), never summed together; "operating pre-retirement"
    stays its own status (operating capacity is operating + operating pre-retirement).
    """
    rows = capacity[scope.mask(capacity)]
    if rows.empty:
        return pd.DataFrame(columns=CAPACITY_COLUMNS)
    grouped = rows.groupby(["stage", "technology", "status"], as_index=False, observed=True).agg(
        capacity_mt=("capacity_mt", "sum"), plants=("plant_id", "nunique")
    )
    return grouped[CAPACITY_COLUMNS].reset_index(drop=True)


def phase_capacity(capacity: pd.DataFrame, scope: Scope, stage: str, phase: str) -> float:
    """Total capacity of one stage in one phase (operating: incl. pre-retirement; pipeline: construction +
    announced), Mt a year; 0.0 where the scope has none."""
    return _phase_total(_by_route(capacity[scope.mask(capacity)]), stage, phase)


@dataclass(frozen=True)
class _Routes:
    """The scope's capacity rows as arrays: the phase totals and the near-zero shares are sums over them (one
    filter of the whole table for all of them, not one per figure)."""

    stage: np.ndarray
    status: np.ndarray
    technology: np.ndarray
    mt: np.ndarray

    def where(self, stage: str, phase: str) -> np.ndarray:
        return (self.stage == stage) & np.isin(self.status, PHASES[phase])


def _by_route(rows: pd.DataFrame) -> _Routes:
    return _Routes(
        rows["stage"].to_numpy(dtype=object),
        rows["status"].to_numpy(dtype=object),
        rows["technology"].to_numpy(dtype=object),
        rows["capacity_mt"].to_numpy(dtype=float),
    )


def _phase_total(by_route: _Routes, stage: str, phase: str) -> float:
    return float(by_route.mt[by_route.where(stage, phase)].sum())


# --- Near-zero share -----------------------------------------------------------------------------------------
SHARE_COLUMNS = ["stage", "phase", "near_zero_mt", "other_routes_mt", "unspecified_mt", "share_pct"]


def near_zero_share(capacity: pd.DataFrame, scope: Scope) -> pd.DataFrame:
    """Share of capacity on near-zero-capable routes (steel: EAF; iron: DRI), operating against pipeline.

    One row per stage (steel, iron) and phase (operating = operating + operating pre-retirement; pipeline =
    construction + announced). share_pct = near_zero / (near_zero + other known routes): capacity whose route the
    tracker leaves unspecified is reported apart (unspecified_mt) and counted on neither side. NaN where the
    phase has no capacity of a known route (nothing to compare), never 0.
    """
    return _shares(_by_route(capacity[scope.mask(capacity)]))


def _shares(by_route: _Routes) -> pd.DataFrame:
    out = []
    for stage in STAGES:
        for phase in PHASES:
            inside = by_route.where(stage, phase)
            near = float(by_route.mt[inside & np.isin(by_route.technology, NEAR_ZERO[stage])].sum())
            unspecified = float(by_route.mt[inside & (by_route.technology == UNSPECIFIED)].sum())
            other = float(by_route.mt[inside].sum()) - near - unspecified
            known = near + other
            out.append((stage, phase, near, other, unspecified, 100.0 * near / known if known > 0 else np.nan))
    return pd.DataFrame(out, columns=SHARE_COLUMNS)


def pipeline_cleaner(shares: pd.DataFrame, stage: str = "steel") -> bool | None:
    """Is the pipeline's near-zero share higher than the operating fleet's? None where either share is missing."""
    by_phase = shares[shares["stage"] == stage].set_index("phase")["share_pct"]
    now, planned = by_phase.get("operating", np.nan), by_phase.get("pipeline", np.nan)
    if pd.isna(now) or pd.isna(planned):
        return None
    return bool(planned > now)


# --- Relining calendar ---------------------------------------------------------------------------------------
CALENDAR_COLUMNS = [
    "unit_id",
    "unit_name",
    "plant_id",
    "iso3",
    "status",
    "capacity_mt",
    "capacity_known",
    "basis",
    "basis_year",
    "due_year",
    "overdue",
]


def next_due(basis: str, basis_year: float, as_of_year: int, campaign: int = CAMPAIGN_YEARS) -> tuple[float, bool]:
    """The year a furnace's next relining is due, and whether the rule's date had already passed (overdue).

    Last relining known: last relining + campaign; a date before `as_of_year` means the campaign has run longer
    than the rule (the tracker knows no later relining), so it is due now: `as_of_year`, overdue. Plant start
    known, no relining: relinings assumed every `campaign` years since the start; the first such year not before
    `as_of_year` (a start year says nothing about which relinings happened since). Neither: NaN.
    """
    if basis == NO_BASIS or pd.isna(basis_year):
        return np.nan, False
    first = int(basis_year) + campaign
    if basis == RELINING:
        return (float(as_of_year), True) if first < as_of_year else (float(first), False)
    if first >= as_of_year:
        return float(first), False
    cycles = math.ceil((as_of_year - int(basis_year)) / campaign)
    return float(int(basis_year) + cycles * campaign), False


def relining_calendar(
    units: pd.DataFrame, scope: Scope, as_of_year: int, campaign: int = CAMPAIGN_YEARS
) -> pd.DataFrame:
    """Every operating blast furnace of the scope (operating and operating pre-retirement; mothballed ones are
    left out) with the year its next relining is due (`next_due`), sorted by that year.

    basis: "last relining" (the tracker's most recent relining year), else "plant start" (the plant's start
    year: the unit's own is not in the tracker), else "neither known": those furnaces have no due year (NaN) and
    are counted apart and named, never placed in a year. capacity_mt is NaN where the tracker gives no size
    (">0"); such furnaces are counted, their capacity is not.
    """
    rows = units[scope.mask(units)]
    rows = rows[(rows["technology"] == BLAST_FURNACE) & rows["status"].isin(OPERATING_STATUSES)]
    relined = pd.to_numeric(rows["relining_year"], errors="coerce")
    started = pd.to_numeric(rows["plant_start_year"], errors="coerce")
    basis = np.where(relined.notna(), RELINING, np.where(started.notna(), START, NO_BASIS))
    basis_year = relined.where(relined.notna(), started)
    due = [next_due(b, y, as_of_year, campaign) for b, y in zip(basis, basis_year, strict=True)]
    out = pd.DataFrame(
        {
            "unit_id": rows["unit_id"].to_numpy(),
            "unit_name": rows["unit_name"].to_numpy(),
            "plant_id": rows["plant_id"].to_numpy(),
            "iso3": rows["iso3"].to_numpy(),
            "status": rows["status"].to_numpy(),
            "capacity_mt": pd.to_numeric(rows["capacity_mt"], errors="coerce").to_numpy(dtype=float),
            "capacity_known": rows["capacity_known"].astype(bool).to_numpy(),
            "basis": basis,
            "basis_year": basis_year.astype("Int64").to_numpy(),
            "due_year": pd.array([d for d, _ in due], dtype="Float64").astype("Int64"),
            "overdue": np.array([o for _, o in due], dtype=bool),
        },
        columns=CALENDAR_COLUMNS,
    )
    return out.sort_values(["due_year", "iso3", "unit_id"], na_position="last").reset_index(drop=True)


SUMMARY_COLUMNS = [
    "iso3",
    "furnaces",
    "capacity_mt",
    *[c for year in DUE_BEFORE for c in (f"due_before_{year}_mt", f"due_before_{year}_furnaces")],
    *[f"due_before_{year}_unknown_size" for year in DUE_BEFORE],
    "overdue_furnaces",
    "no_basis_furnaces",
    "no_basis_named",
]


def _summary_row(calendar: pd.DataFrame, key: str) -> dict:
    known = calendar["capacity_mt"].notna()
    due = calendar["due_year"]
    row: dict[str, object] = {
        "iso3": key,
        "furnaces": len(calendar),
        "capacity_mt": float(calendar.loc[known, "capacity_mt"].sum()),
    }
    for year in DUE_BEFORE:
        before = (due < year).fillna(False).to_numpy(dtype=bool)
        row[f"due_before_{year}_mt"] = float(calendar.loc[before & known.to_numpy(), "capacity_mt"].sum())
        row[f"due_before_{year}_furnaces"] = int(before.sum())
        row[f"due_before_{year}_unknown_size"] = int((before & ~known.to_numpy()).sum())
    lacking = calendar[calendar["basis"] == NO_BASIS]
    row["overdue_furnaces"] = int(calendar["overdue"].sum())
    row["no_basis_furnaces"] = len(lacking)
    row["no_basis_named"] = "; ".join(
        f"{n} ({p})" for n, p in zip(lacking["unit_name"], lacking["plant_id"], strict=True)
    )
    return row


def relining_due(calendar: pd.DataFrame, by_country: bool = False, total_key: str = "all") -> pd.DataFrame:
    """Capacity (Mt a year) and furnaces whose relining falls due before each year of DUE_BEFORE ("before 2030":
    due in 2029 or earlier, overdue ones included), with the furnaces of unknown size due (counted, no capacity)
    and those with neither a relining nor a start year (counted apart and named). One row for the whole
    calendar (iso3 = `total_key`), or with by_country one per country, largest capacity due before 2030 first.
    """
    if not by_country:
        return pd.DataFrame([_summary_row(calendar, total_key)], columns=SUMMARY_COLUMNS)
    rows = [_summary_row(part, str(code)) for code, part in calendar.groupby("iso3", sort=True)]
    out = pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
    return out.sort_values(f"due_before_{DUE_BEFORE[0]}_mt", ascending=False, kind="stable").reset_index(drop=True)


# --- Emissions intensity -------------------------------------------------------------------------------------
INTENSITY_COLUMNS = ["iso3", "year", "emissions_mt", "production_mt", "intensity"]


def intensity_by_country(emissions: pd.DataFrame, production: pd.DataFrame) -> pd.DataFrame:
    """t CO2e per t crude steel per country and year: Climate TRACE iron and steel (all gases, Mt CO2e) over
    worldsteel crude steel (Mt), in the years and countries both report, where production is above 0 (no tonne
    to divide by otherwise). A source's own totals (World, EU27) are left out: aggregates are sums of the
    countries both report (`aggregate_intensity`). Nothing is filled: a country-year one source lacks is absent.
    """
    em = emissions[
        (emissions["source"] == INTENSITY_SOURCE)
        & (emissions["sector"] == INTENSITY_SECTOR)
        & (emissions["gas"] == INTENSITY_GAS)
        & ~emissions["iso3"].isin(AGGREGATE_CODES)
    ]
    pr = production[
        (production["source"] == PRODUCTION_SOURCE)
        & (production["product"] == CRUDE_STEEL)
        & ~production["iso3"].isin(AGGREGATE_CODES)
    ]
    e = em.groupby(["iso3", "year"], as_index=False, observed=True)["value"].sum()
    p = pr.groupby(["iso3", "year"], as_index=False, observed=True)["value"].sum()
    both = e.merge(p, on=["iso3", "year"], suffixes=("_e", "_p"))
    both = both[both["value_p"] > 0]
    out = pd.DataFrame(
        {
            "iso3": both["iso3"].astype(str).to_numpy(),
            "year": both["year"].astype(int).to_numpy(),
            "emissions_mt": both["value_e"].astype(float).to_numpy(),
            "production_mt": both["value_p"].astype(float).to_numpy(),
        }
    )
    out["intensity"] = out["emissions_mt"] / out["production_mt"]
    return out.sort_values(["iso3", "year"]).reset_index(drop=True)[INTENSITY_COLUMNS]


AGGREGATE_INTENSITY_COLUMNS = ["year", "emissions_mt", "production_mt", "intensity", "countries", "covered"]


def aggregate_intensity(pairs: pd.DataFrame, scope: Scope, candidates: Sequence[str] = ()) -> pd.DataFrame:
    """The scope's t CO2e per t crude steel per year, over the countries both sources report that year only:
    sum of their emissions over sum of their production (a tonne-weighted mean, never a mean of ratios).

    `pairs` from `intensity_by_country`. countries: how many; covered: which (codes, "; "). The scope's countries
    among `candidates` (e.g. the members) that are not covered in a year are in attrs["missing"][year].
    A company has no intensity here (its plants' emissions are not in these sources): empty, attrs["reason"].
    """
    if scope.is_company:
        out = pd.DataFrame(columns=AGGREGATE_INTENSITY_COLUMNS)
        out.attrs = {
            "reason": "Emissions are reported by country, not by company: no intensity for a company.",
            "missing": {},
        }
        return out
    chosen = set(scope.countries(pairs["iso3"].unique()))
    rows = pairs[pairs["iso3"].isin(chosen)]
    grouped = rows.groupby("year", sort=True)
    out = pd.DataFrame(
        {
            "emissions_mt": grouped["emissions_mt"].sum(),
            "production_mt": grouped["production_mt"].sum(),
            "countries": grouped["iso3"].nunique(),
            "covered": grouped["iso3"].agg(lambda codes: "; ".join(sorted(codes))),
        }
    ).reset_index()
    out["intensity"] = out["emissions_mt"] / out["production_mt"]
    wanted = set(scope.countries(candidates))
    missing = {
        int(year): sorted(wanted - set(part["iso3"]))
        for year, part in rows.groupby("year")
        if wanted - set(part["iso3"])
    }
    out = out[AGGREGATE_INTENSITY_COLUMNS]
    out.attrs = {
        "reason": "" if len(out) else "Neither source reports these countries in the same year.",
        "missing": missing,
    }
    return out


def production_series(production: pd.DataFrame, scope: Scope) -> pd.DataFrame:
    """worldsteel crude steel (Mt) of the scope's countries per year, with how many countries report it.

    A group is the sum of the countries worldsteel lists (its own World row is not used: the sum covers the same
    countries as every other figure of the group); a company has no production here (empty)."""
    rows = production[
        (production["source"] == PRODUCTION_SOURCE)
        & (production["product"] == CRUDE_STEEL)
        & ~production["iso3"].isin(AGGREGATE_CODES)
    ]
    rows = rows[rows["iso3"].isin(scope.countries(rows["iso3"].unique()))]
    grouped = rows.groupby("year", sort=True)
    return pd.DataFrame(
        {"production_mt": grouped["value"].sum().astype(float), "countries": grouped["iso3"].nunique()}
    ).reset_index()


# --- The headline figures of a scope ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Facts:
    """What the Steel page's headline, the Overview's member line and the steel slide say about a scope."""

    scope: Scope
    production_mt: float | None
    production_year: int | None
    steel_operating_mt: float
    steel_pipeline_mt: float
    iron_operating_mt: float
    iron_pipeline_mt: float
    near_zero_now_pct: float  # steel-making: EAF share of known-route operating capacity (NaN: none)
    near_zero_pipeline_pct: float
    iron_near_zero_now_pct: float  # iron-making: DRI share of known-route operating capacity (NaN: none)
    iron_near_zero_pipeline_pct: float
    due_2030_mt: float  # blast-furnace capacity due for relining before 2030
    due_2030_furnaces: int
    furnaces: int
    intensity: float | None
    intensity_year: int | None
    world_intensity: float | None  # the world's (countries both sources report) in the same year


def facts(
    capacity: pd.DataFrame,
    units: pd.DataFrame,
    production: pd.DataFrame,
    pairs: pd.DataFrame,
    scope: Scope,
    as_of_year: int,
    world: pd.DataFrame | None = None,
) -> Facts:
    """The headline figures of a scope (`pairs` from `intensity_by_country`); None or NaN where the data cannot
    answer (a company has no production or intensity; a scope without operating capacity has no share).
    `world`: the world's aggregate_intensity, the same for every scope (computed here when not given)."""
    by_route = _by_route(capacity[scope.mask(capacity)])
    shares = _shares(by_route).set_index(["stage", "phase"])["share_pct"]
    produced = production_series(production, scope)
    due = relining_due(relining_calendar(units, scope, as_of_year)).iloc[0]
    own = aggregate_intensity(pairs, scope)
    world = aggregate_intensity(pairs, world_scope()) if world is None else world
    year = int(own["year"].max()) if len(own) else None
    world_then = world.loc[world["year"] == year, "intensity"] if year is not None else pd.Series(dtype=float)
    return Facts(
        scope=scope,
        production_mt=float(produced["production_mt"].iloc[-1]) if len(produced) else None,
        production_year=int(produced["year"].iloc[-1]) if len(produced) else None,
        steel_operating_mt=_phase_total(by_route, "steel", "operating"),
        steel_pipeline_mt=_phase_total(by_route, "steel", "pipeline"),
        iron_operating_mt=_phase_total(by_route, "iron", "operating"),
        iron_pipeline_mt=_phase_total(by_route, "iron", "pipeline"),
        near_zero_now_pct=float(shares[("steel", "operating")]),
        near_zero_pipeline_pct=float(shares[("steel", "pipeline")]),
        iron_near_zero_now_pct=float(shares[("iron", "operating")]),
        iron_near_zero_pipeline_pct=float(shares[("iron", "pipeline")]),
        due_2030_mt=float(due[f"due_before_{DUE_BEFORE[0]}_mt"]),
        due_2030_furnaces=int(due[f"due_before_{DUE_BEFORE[0]}_furnaces"]),
        furnaces=int(due["furnaces"]),
        intensity=float(own.loc[own["year"] == year, "intensity"].iloc[0]) if year is not None else None,
        intensity_year=year,
        world_intensity=float(world_then.iloc[0]) if len(world_then) else None,
    )
