"""Steel: one country's, a group's or a member company's plants: capacity by technology and status, the pipeline
against the operating fleet, the blast furnaces due for relining, emissions per tonne, a plant map and table
(decarb.steel computes; this module only frames it).

Every function takes the dataset, the view and the selection's code (the page's `of` link parameter) so the
page can memo them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from decarb import provenance, steel, theme
from decarb.chartspec import ChartKind, ChartSpec, chart_spec
from decarb.contract import CLIMATE_TRACE_SUBSECTORS, IRON_STEEL, SERIES_RELEASES, SOURCE_LABELS
from decarb.data import Dataset
from decarb.freshness import years_text
from decarb.params import Choice
from decarb.screens.shared import country_names, number_text
from decarb.steel import DUE_BEFORE, NO_BASIS, RELINING, START, Scope
from decarb.view import View, member_view, members_set

GEM, WORLDSTEEL = "gem_steel", "worldsteel"
WORLDSTEEL_LINE = "Source: World Steel Association"  # worldsteel's terms: this line wherever its data is used
MEMBERS, COMPANIES, NON_MEMBERS, WORLD = "members", "companies", "non_members", "world"
GROUP_LABELS = {
    MEMBERS: "LeadIT member countries",
    COMPANIES: "LeadIT member companies",
    NON_MEMBERS: "Non-member countries",
    WORLD: "World",
}
GROUPS = tuple(GROUP_LABELS)  # the selections of more than one country
COMPANY_PREFIX = "company:"
DEFAULT_SELECTION = MEMBERS
UNIT_CAPACITY = "Mt a year"
UNIT_INTENSITY = "t CO2e per t crude steel"
TECHNOLOGY_LABELS = {
    "bf": "Blast furnace (BF)",
    "bof": "Oxygen furnace (BOF)",
    "eaf": "Electric arc (EAF): near-zero capable",
    "dri": "Direct reduction (DRI): near-zero capable",
    "ohf": "Open hearth",
    "other": "Other or unspecified",
}
STAGE_LABELS = {"steel": "Steel", "iron": "Iron"}  # steel-making, iron-making: the chart's rows say it short
STATUS_LABELS = {
    "operating": "operating",
    "operating_pre_retirement": "operating, closure announced",
    "construction": "under construction",
    "announced": "announced",
    "mothballed": "mothballed",
}
# The map's routes: a plant is drawn in the colour of the route of its largest capacity (steel-making where it
# has any, else iron-making), its blast furnaces first (a plant with any is on the coal route).
ROUTE_LABELS = {
    "bf": "Blast furnace route (BF, BOF)",
    "eaf": "Electric arc furnace (scrap or DRI)",
    "dri": "Direct reduction (iron only)",
    "bof": "Oxygen furnace without own BF",
    "ohf": "Open hearth",
    "other": "Other or unspecified",
}
MAP_STATUS_LABELS = {"running": "Operating", "construction": "Under construction", "announced": "Announced"}
MAP_STATUS_GROUP = {
    "operating": "running",
    "operating_pre_retirement": "running",
    "construction": "construction",
    "announced": "announced",
}


# --- The selection ---------------------------------------------------------------------------------------------
def company_code(company: str) -> str:
    """A member company's code in the link: "company:" and its name in lower case, words joined by "-"."""
    return COMPANY_PREFIX + re.sub(r"[^a-z0-9]+", "-", company.lower()).strip("-")


def company_matches(ds: Dataset) -> pd.DataFrame:
    """decarb.steel.company_matches over the tracker, derived once per dataset (read-only)."""
    return ds.derived(_company_matches)


def _company_matches(ds: Dataset) -> pd.DataFrame:
    return steel.company_matches(ds.steel_plants, ds.company_steel_owners)


def member_companies(ds: Dataset) -> dict[str, str]:
    """code -> name of the member companies that own at least one plant in the tracker, in the members' order."""
    owning = set(company_matches(ds)["company"])
    names = [m for m in ds.members.loc[ds.members["member_type"] == "company", "member"] if m in owning]
    return {company_code(name): name for name in names}


def countries_with_plants(ds: Dataset) -> tuple[str, ...]:
    names = country_names(ds)
    codes = set(ds.steel_plants["iso3"])
    return tuple(sorted(codes, key=lambda c: names.get(c, c)))


def selection_choice(ds: Dataset) -> Choice:
    """The page's one control (URL key `of`): a group, a member company or a country with plants."""
    return ds.derived(_selection_choice)


def _selection_choice(ds: Dataset) -> Choice:
    companies = member_companies(ds)
    countries = countries_with_plants(ds)
    names = country_names(ds)
    labels = {
        **GROUP_LABELS,
        **{code: f"Company: {name}" for code, name in companies.items()},
        **{code: names.get(code, code) for code in countries},
    }
    return Choice(
        "of",
        "Plants of",
        (MEMBERS, COMPANIES, NON_MEMBERS, WORLD, *companies, *countries),
        DEFAULT_SELECTION,
        labels,
        help="A group of countries, a LeadIT member company (its plants, whole or part-owned), or one country.",
    )


def steel_view(view: View) -> View:
    """The part of the view the steel figures depend on: who the members are (decarb.view.member_view), nothing
    else; the pages key the steel results on it, so a session that changes the base year, target year, source
    or milestones does not compute them again."""
    return member_view(view)


def scope_of(ds: Dataset, view: View, code: str) -> Scope:
    """The plants a selection covers (decarb.steel.Scope); members as the sidebar's member definition says."""
    if code == WORLD:
        return steel.world_scope()
    if code in (MEMBERS, NON_MEMBERS):
        aset = members_set(ds, view)
        if code == MEMBERS:
            return steel.group_scope(MEMBERS, GROUP_LABELS[MEMBERS], aset.codes, aset.note)
        note = f"Every plant outside the member countries. {aset.note}"
        return steel.group_scope(NON_MEMBERS, GROUP_LABELS[NON_MEMBERS], aset.codes, note, outside=True)
    if code == COMPANIES:
        return steel.company_scope(company_matches(ds))
    companies = member_companies(ds)
    if code in companies:
        return steel.company_scope(company_matches(ds), companies[code])
    return steel.country_scope(code, country_names(ds).get(code, code))


def _scope_view(view: View, code: str) -> View:
    """The view as far as the selection's plants depend on it (scope_of): only the member groups follow the member
    definition, so a country's or a company's derived tables serve every definition."""
    return view if code in (MEMBERS, NON_MEMBERS) else View()


def as_of_year(ds: Dataset) -> int:
    """The tracker's year (its release, from the manifest): the relining calendar counts from it."""
    source = ds.manifest.sources.get(GEM)
    found = re.search(r"(19|20)\d\d", source.version if source else "")
    if found is None:
        raise ValueError("The manifest gives no release year for the steel tracker (gem_steel version).")
    return int(found.group(0))


def intensity_pairs(ds: Dataset) -> pd.DataFrame:
    """decarb.steel.intensity_by_country, derived once per dataset (read-only)."""
    return ds.derived(_intensity_pairs)


def _intensity_pairs(ds: Dataset) -> pd.DataFrame:
    return steel.intensity_by_country(ds.emissions, ds.production)


def world_intensity(ds: Dataset) -> pd.DataFrame:
    """The world's decarb.steel.aggregate_intensity, derived once per dataset: every selection's facts compare
    with it."""
    return ds.derived(_world_intensity)


def _world_intensity(ds: Dataset) -> pd.DataFrame:
    return steel.aggregate_intensity(intensity_pairs(ds), steel.world_scope())


def release_label(ds: Dataset) -> str:
    """The emissions release behind the intensity, in a few words ("Climate TRACE v5.7.0")."""
    return provenance.release_of(ds.manifest, CLIMATE_TRACE_SUBSECTORS, IRON_STEEL)


def tracker_release(ds: Dataset) -> str:
    """The plant tracker's release as the manifest names it ("GEM Global Iron and Steel Tracker, March 2025
    release"): the vintage of every capacity, pipeline, relining and plant figure on the page."""
    release = provenance.release_of(ds.manifest, GEM, IRON_STEEL)
    return release if "release" in release.lower() else f"{release} release"


def production_release(ds: Dataset) -> str:
    """worldsteel's table as the manifest names it ("worldsteel, retrieved 2025-03-11")."""
    return provenance.release_of(ds.manifest, WORLDSTEEL, IRON_STEEL)


EMISSIONS_SOURCE = SERIES_RELEASES.get((CLIMATE_TRACE_SUBSECTORS, IRON_STEEL), CLIMATE_TRACE_SUBSECTORS)


# --- Headline ---------------------------------------------------------------------------------------------------
def facts(ds: Dataset, view: View, code: str) -> steel.Facts:
    """decarb.steel.facts of the selection; derived once per selection, for the headlines and the Overview's
    member lines alike."""
    return ds.derived(_facts, _scope_view(view, code), code)


def _facts(ds: Dataset, view: View, code: str) -> steel.Facts:
    scope = scope_of(ds, view, code)
    return steel.facts(
        ds.steel_capacity,
        ds.steel_units,
        ds.production,
        intensity_pairs(ds),
        scope,
        as_of_year(ds),
        world_intensity(ds),
    )


def headlines(ds: Dataset, view: View, code: str) -> list[tuple[str, str, str | None]]:
    """Six numbers: production, operating and pipeline capacity, the near-zero share now and planned, the blast
    furnaces due for relining before 2030, and a tonne's emissions against the world's."""
    f = facts(ds, view, code)
    year = as_of_year(ds)
    company = f.scope.is_company
    produced = (
        ("Crude steel production", "not by company", "worldsteel reports production by country only.")
        if company
        else (
            f"Crude steel production {f.production_year or ''}".strip(),
            f"{number_text(f.production_mt, 1)} Mt" if f.production_mt is not None else "no value",
            f"{WORLDSTEEL_LINE}. Sum of the countries worldsteel lists in the selection."
            if f.production_mt is not None
            else f"worldsteel lists no production for this selection. {WORLDSTEEL_LINE}.",
        )
    )
    share_now, share_new = (number_text(v, 0, "%") for v in (f.near_zero_now_pct, f.near_zero_pipeline_pct))
    due_help = (
        f"Blast-furnace capacity whose next relining falls due before 2030 ({f.due_2030_furnaces} of {f.furnaces} "
        f"operating blast furnaces): last relining + {steel.CAMPAIGN_YEARS} years, or the plant's start year; "
        f"overdue ones count as due in {year}. Rule in Data and method."
    )
    if f.intensity is None:
        intensity = ("Emissions per tonne", "no value", _no_intensity(f.scope))
    else:
        world = f"world {number_text(f.world_intensity, 2)}" if f.world_intensity is not None else "world: no value"
        intensity = (
            f"t CO2e per t steel {f.intensity_year}",
            f"{number_text(f.intensity, 2)} ({world})",
            f"{release_label(ds)} iron and steel emissions over worldsteel crude steel, over the countries both "
            f"report. {WORLDSTEEL_LINE}.",
        )
    return [
        produced,
        (
            "Steel-making capacity operating",
            f"{number_text(f.steel_operating_mt, 1)} Mt/yr",
            "Operating and operating pre-retirement (closure or replacement announced); iron-making "
            f"capacity is counted apart: {number_text(f.iron_operating_mt, 1)} Mt/yr. Source: Global Energy "
            "Monitor.",
        ),
        (
            "In the pipeline",
            f"{number_text(f.steel_pipeline_mt, 1)} Mt/yr",
            f"Steel-making capacity under construction or announced (iron-making: "
            f"{number_text(f.iron_pipeline_mt, 1)} Mt/yr).",
        ),
        (
            "Near-zero-capable share: now, pipeline",
            f"{share_now} → {share_new}",
            "Electric arc furnaces' share of steel-making capacity of a known route, operating against the "
            "pipeline. 'n/a': no capacity of a known route.",
        ),
        ("Relining due before 2030", f"{number_text(f.due_2030_mt, 1)} Mt/yr", due_help),
        intensity,
    ]


def _no_intensity(scope: Scope) -> str:
    if scope.is_company:
        return "Emissions are reported by country, not by company."
    return "Climate TRACE and worldsteel share no year for this selection."


# --- Capacity by technology and status --------------------------------------------------------------------------
def capacity_chart(ds: Dataset, view: View, code: str) -> ChartSpec:
    """Capacity by stage and status (a bar each), stacked by technology."""
    scope = scope_of(ds, view, code)
    table = steel.capacity_by_technology(ds.steel_capacity, scope)
    table = table[table["status"].isin(STATUS_LABELS)]
    order = [(stage, status) for stage in steel.STAGES for status in STATUS_LABELS]
    rank = {key: i for i, key in enumerate(order)}
    table = table.assign(_order=[rank[(s, t)] for s, t in zip(table["stage"], table["status"], strict=True)])
    table = table.sort_values(["_order", "technology"]).drop(columns="_order")
    data = pd.DataFrame(
        {
            "row": [
                f"{STAGE_LABELS[s]}: {STATUS_LABELS[t]}" for s, t in zip(table["stage"], table["status"], strict=True)
            ],
            "stage": table["stage"].to_numpy(),
            "status": table["status"].to_numpy(),
            "technology": table["technology"].to_numpy(),
            "technology_label": table["technology"].map(TECHNOLOGY_LABELS).to_numpy(),
            "value": table["capacity_mt"].to_numpy(dtype=float),
            "plants": table["plants"].to_numpy(),
            "unit": UNIT_CAPACITY,
            "source_label": SOURCE_LABELS.get(GEM, GEM),
        }
    )
    data = provenance.with_licence(data, ds.manifest)
    shares = steel.near_zero_share(ds.steel_capacity, scope).set_index(["stage", "phase"])["share_pct"]
    verdict = {True: "cleaner than", False: "not cleaner than", None: "not comparable with"}[
        steel.pipeline_cleaner(steel.near_zero_share(ds.steel_capacity, scope))
    ]
    return chart_spec(
        ChartKind.CAPACITY,
        data,
        title=f"{scope.label}: capacity by technology and status",
        subtitle=(
            f"{tracker_release(ds)}. Steel-making pipeline {verdict} the operating fleet: electric arc furnaces "
            f"{number_text(shares[('steel', 'operating')], 0, '%')} of operating capacity, "
            f"{number_text(shares[('steel', 'pipeline')], 0, '%')} of the pipeline. Iron-making and steel-making "
            "are two stages of one route: never added"
        ),
        x_title=f"Capacity ({UNIT_CAPACITY})",
        name=f"steel-capacity-{_slug(code)}",
    )


# --- Relining calendar -------------------------------------------------------------------------------------------
BASIS_LABELS = {RELINING: "Last relining + 17 years", START: "Plant start + 17-year cycles"}
OVERDUE_LABEL = "Overdue (campaign past 17 years)"


def calendar(ds: Dataset, view: View, code: str) -> pd.DataFrame:
    """decarb.steel.relining_calendar of the selection, derived once for the chart, its notes and tables."""
    return ds.derived(_calendar, _scope_view(view, code), code)


def _calendar(ds: Dataset, view: View, code: str) -> pd.DataFrame:
    return steel.relining_calendar(ds.steel_units, scope_of(ds, view, code), as_of_year(ds))


def relining_chart(ds: Dataset, view: View, code: str) -> ChartSpec:
    """Blast-furnace capacity due for relining per year, by what the date rests on."""
    scope = scope_of(ds, view, code)
    cal = calendar(ds, view, code)
    year = as_of_year(ds)
    placed = cal[cal["due_year"].notna()]
    series = np.where(placed["overdue"], OVERDUE_LABEL, placed["basis"].map(BASIS_LABELS).fillna(""))
    grouped = (
        pd.DataFrame(
            {
                "series": series,
                "year": placed["due_year"].astype(int).to_numpy(),
                "value": placed["capacity_mt"].fillna(0.0).to_numpy(dtype=float),
                "furnaces": 1,
                "unknown_size": placed["capacity_mt"].isna().to_numpy(dtype=int),
            }
        )
        .groupby(["series", "year"], as_index=False, sort=False)
        .sum()
    )
    order = {OVERDUE_LABEL: 0, BASIS_LABELS[RELINING]: 1, BASIS_LABELS[START]: 2}
    grouped = grouped.sort_values(["series", "year"], key=lambda c: c.map(order) if c.name == "series" else c)
    data = provenance.with_licence(
        grouped.assign(unit=UNIT_CAPACITY, source_label=SOURCE_LABELS.get(GEM, GEM)), ds.manifest
    )
    due = steel.relining_due(cal).iloc[0]
    unplaced = int(due["no_basis_furnaces"])
    unknown = int(due["due_before_2035_unknown_size"])
    notes = [
        f"{int(due['furnaces'])} operating blast furnaces; {number_text(due['due_before_2030_mt'], 1)} Mt/yr due "
        f"before 2030, {number_text(due['due_before_2035_mt'], 1)} Mt/yr before 2035",
    ]
    if unknown:
        notes.append(f"{unknown} due before 2035 of unknown size (counted, not drawn)")
    if unplaced:
        notes.append(f"{unplaced} with neither a relining nor a start year (not placed: named in the table)")
    colours = {OVERDUE_LABEL: theme.WORLD, BASIS_LABELS[RELINING]: theme.PROJECTION, BASIS_LABELS[START]: theme.FAINT}
    return chart_spec(
        ChartKind.DUE,
        data,
        title=f"{scope.label}: blast furnaces coming up for relining",
        subtitle=f"{tracker_release(ds)}, counted from {year}; " + "; ".join(notes) + ". Dotted lines: 2030 and 2035",
        y_title=f"Capacity due ({UNIT_CAPACITY})",
        marks=DUE_BEFORE,
        first_label=f"{year}*",
        colours=colours,
        name=f"steel-relining-{_slug(code)}",
        summary=" ".join(
            t
            for t in (
                "; ".join(notes) + ".",
                f"* {year}: the tracker's year; furnaces whose 17-year campaign has passed count as due then.",
                unknown_basis_note(ds, view, code),
            )
            if t
        ),
    )


CALENDAR_TABLE_COLUMNS = {
    "unit_name": "Furnace",
    "plant_name": "Plant",
    "country": "Country",
    "status": "Status",
    "capacity_mt": f"Capacity ({UNIT_CAPACITY})",
    "basis": "Due date rests on",
    "basis_year": "Year it rests on",
    "due_year": "Relining due",
    "overdue": "Overdue",
    "unit_id": "GEM unit id",
    "plant_id": "GEM plant id",
}


def calendar_table(ds: Dataset, view: View, code: str) -> pd.DataFrame:
    """The furnaces of the calendar, readable (every furnace; those with no basis at the end, due year empty)."""
    cal = calendar(ds, view, code)
    plants = ds.steel_plants.set_index("plant_id")["plant_name"]
    names = country_names(ds)
    shown = cal.assign(
        plant_name=cal["plant_id"].map(plants),
        country=cal["iso3"].map(lambda c: names.get(c, c)),
        status=cal["status"].map(STATUS_LABELS),
    )
    return shown[list(CALENDAR_TABLE_COLUMNS)].rename(columns=CALENDAR_TABLE_COLUMNS).reset_index(drop=True)


def relining_by_country(ds: Dataset, view: View, code: str) -> pd.DataFrame:
    """Per country of a group: blast-furnace capacity due before 2030 and 2035 (empty for one country)."""
    scope = scope_of(ds, view, code)
    if scope.key.startswith("country:"):
        return pd.DataFrame()
    table = steel.relining_due(calendar(ds, view, code), by_country=True)
    names = country_names(ds)
    return pd.DataFrame(
        {
            "Country": table["iso3"].map(lambda c: names.get(c, c)),
            "Operating blast furnaces": table["furnaces"],
            f"Capacity ({UNIT_CAPACITY})": table["capacity_mt"],
            "Due before 2030 (Mt/yr)": table["due_before_2030_mt"],
            "Furnaces due before 2030": table["due_before_2030_furnaces"],
            "Due before 2035 (Mt/yr)": table["due_before_2035_mt"],
            "Furnaces due before 2035": table["due_before_2035_furnaces"],
            "Of unknown size, due before 2035": table["due_before_2035_unknown_size"],
            "Neither relining nor start year": table["no_basis_furnaces"],
        }
    )


# --- Intensity over time --------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Intensity:
    chart: ChartSpec | None  # None: no year with both sources (the page says why)
    note: str


def intensity_chart(ds: Dataset, view: View, code: str) -> Intensity:
    """The selection's t CO2e per t crude steel per year against the world's (and the members' for a country)."""
    scope = scope_of(ds, view, code)
    pairs = intensity_pairs(ds)
    members = members_set(ds, view)
    own = steel.aggregate_intensity(pairs, scope, candidates=members.codes if code == MEMBERS else ())
    if own.empty:
        return Intensity(None, str(own.attrs.get("reason", "")) or _no_intensity(scope))
    lines = [(scope.label, own)]
    if code != WORLD:
        lines.append(("World", steel.aggregate_intensity(pairs, steel.world_scope())))
    if code not in (MEMBERS, WORLD) and not scope.is_company:
        lines.append((GROUP_LABELS[MEMBERS], steel.aggregate_intensity(pairs, scope_of(ds, view, MEMBERS))))
    label = release_label(ds)
    data = pd.concat(
        [
            pd.DataFrame(
                {
                    "series": name,
                    "year": frame["year"].astype(int).to_numpy(),
                    "value": frame["intensity"].to_numpy(dtype=float),
                    "emissions_mt": frame["emissions_mt"].to_numpy(dtype=float),
                    "production_mt": frame["production_mt"].to_numpy(dtype=float),
                    "countries": frame["countries"].to_numpy(),
                    "covered": frame["covered"].to_numpy(),
                    "unit": UNIT_INTENSITY,
                    "source_label": SOURCE_LABELS.get(EMISSIONS_SOURCE, EMISSIONS_SOURCE),
                    "production_source": SOURCE_LABELS.get(WORLDSTEEL, WORLDSTEEL),
                }
            )
            for name, frame in lines
        ],
        ignore_index=True,
    )
    data = provenance.with_licence(data, ds.manifest)
    data["production_licence"] = provenance.licence_of(ds.manifest, WORLDSTEEL)
    names = country_names(ds)
    latest = own.iloc[-1]
    missing = own.attrs.get("missing", {}).get(int(latest["year"]), [])
    counted = (
        ""
        if scope.key.startswith("country:")
        else f"{scope.label}: the {int(latest['countries'])} countries both sources report in {int(latest['year'])}"
        + (f" (member countries without both: {', '.join(names.get(c, c) for c in missing)})" if missing else "")
        + ". "
    )
    note = counted + "World: the sum over every country both report. " + WORLDSTEEL_LINE + "."
    chart = chart_spec(
        ChartKind.RATIOS,
        data,
        title=f"{scope.label}: emissions per tonne of crude steel",
        subtitle=(
            f"{label} iron and steel emissions over worldsteel crude steel ({production_release(ds)}), "
            f"{years_text(data['year'])}: the countries both report"
        ),
        y_title=f"Intensity ({UNIT_INTENSITY})",
        source=provenance.source_line(ds.manifest, [EMISSIONS_SOURCE, WORLDSTEEL]),
        colours={scope.label: theme.MEMBER if code == MEMBERS else theme.PALETTE[3], "World": theme.WORLD},
        name=f"steel-intensity-{_slug(code)}",
    )
    return Intensity(chart.noted(note), note)


# --- Plants: map and table -------------------------------------------------------------------------------------------
def plant_capacities(ds: Dataset, scope: Scope) -> pd.DataFrame:
    """Per plant of the scope: operating and pipeline capacity of each stage (Mt a year), and its route."""
    rows = ds.steel_capacity[scope.mask(ds.steel_capacity)]
    phase = np.select(
        [rows["status"].isin(steel.OPERATING_STATUSES), rows["status"].isin(steel.PIPELINE_STATUSES)],
        ["operating", "pipeline"],
        "other",
    )
    rows = rows.assign(phase=phase)
    wide = rows.pivot_table(
        index="plant_id", columns=["stage", "phase"], values="capacity_mt", aggfunc="sum", fill_value=0.0
    )
    out = pd.DataFrame(index=wide.index)
    for stage in steel.STAGES:
        for part in ("operating", "pipeline"):
            out[f"{stage}_{part}_mt"] = wide[(stage, part)] if (stage, part) in wide.columns else 0.0
    live = rows[rows["phase"] != "other"]
    by_tech = live.pivot_table(index="plant_id", columns="technology", values="capacity_mt", aggfunc="sum")
    by_tech = by_tech.reindex(index=out.index, columns=list(ROUTE_ORDER)).fillna(0.0)
    has = by_tech.to_numpy() > 0
    # The first technology of ROUTE_ORDER a plant has live capacity of; "other" where it has none.
    out["route"] = np.where(has.any(axis=1), np.array(ROUTE_ORDER)[has.argmax(axis=1)], "other")
    return out.reset_index()


ROUTE_ORDER = ("bf", "eaf", "dri", "bof", "ohf")  # a plant with any blast furnace is on the coal route


def plant_frame(ds: Dataset, view: View, code: str) -> pd.DataFrame:
    """The selection's plants with their capacities, member owners and status, derived once for the map and
    the table."""
    return ds.derived(_plant_frame, _scope_view(view, code), code)


def _plant_frame(ds: Dataset, view: View, code: str) -> pd.DataFrame:
    scope = scope_of(ds, view, code)
    plants = ds.steel_plants[scope.mask(ds.steel_plants)]
    caps = plant_capacities(ds, scope)
    out = plants.merge(caps, on="plant_id", how="left")
    for column in [c for c in out.columns if c.endswith("_mt")]:
        out[column] = out[column].fillna(0.0)
    out["route"] = out["route"].fillna("other")
    owners = scope.owners or steel.member_owners(company_matches(ds))
    out["member_owners"] = out["plant_id"].map(owners).fillna("")
    return out


PLANT_TABLE_COLUMNS = {
    "plant_name": "Plant",
    "wiki_url": "GEM wiki",
    "country": "Country",
    "plant_status": "Status",
    "start_year": "Start year",
    "steel_operating_mt": "Steel-making operating (Mt/yr)",
    "steel_pipeline_mt": "Steel-making pipeline (Mt/yr)",
    "iron_operating_mt": "Iron-making operating (Mt/yr)",
    "iron_pipeline_mt": "Iron-making pipeline (Mt/yr)",
    "main_equipment": "Main equipment",
    "owner": "Owner",
    "parent": "Parent",
    "member_owners": "LeadIT member owners",
    "plant_id": "GEM plant id",
}
PLANT_TABLE_CONFIG: dict[str, dict | None] = {
    "GEM wiki": {"type_config": {"type": "link", "display_text": "GEM wiki"}},
    **{
        label: {"type_config": {"type": "number", "format": "%.2f"}}
        for key, label in PLANT_TABLE_COLUMNS.items()
        if key.endswith("_mt")
    },
}


def plant_table(ds: Dataset, view: View, code: str) -> pd.DataFrame:
    """Every plant of the selection, largest steel-making capacity (operating + pipeline) first, with its link."""
    plants = plant_frame(ds, view, code)
    names = country_names(ds)
    shown = plants.assign(
        country=plants["iso3"].map(lambda c: names.get(c, c)),
        start_year=plants["start_year"].astype("Int64"),
        _size=plants["steel_operating_mt"] + plants["steel_pipeline_mt"],
    ).sort_values(["_size", "plant_name"], ascending=[False, True])
    return shown[list(PLANT_TABLE_COLUMNS)].rename(columns=PLANT_TABLE_COLUMNS).reset_index(drop=True)


def map_chart(ds: Dataset, view: View, code: str) -> ChartSpec:
    """The selection's operating and planned plants on the world's shapes (retired, cancelled and mothballed
    plants are in the table, not on the map)."""
    scope = scope_of(ds, view, code)
    plants = plant_frame(ds, view, code)
    drawn = plants[plants["plant_status"].isin(MAP_STATUS_GROUP) & plants["lat"].notna() & plants["lon"].notna()]
    steel_mt = drawn["steel_operating_mt"] + drawn["steel_pipeline_mt"]
    iron_mt = drawn["iron_operating_mt"] + drawn["iron_pipeline_mt"]
    group = drawn["plant_status"].map(MAP_STATUS_GROUP)
    data = pd.DataFrame(
        {
            "plant_name": drawn["plant_name"].to_numpy(),
            "plant_id": drawn["plant_id"].to_numpy(),
            "iso3": drawn["iso3"].to_numpy(),
            "lat": drawn["lat"].to_numpy(dtype=float),
            "lon": drawn["lon"].to_numpy(dtype=float),
            "route": drawn["route"].to_numpy(),
            "route_label": drawn["route"].map(ROUTE_LABELS).to_numpy(),
            "status_group": group.to_numpy(),
            "status_label": group.map(MAP_STATUS_LABELS).to_numpy(),
            "capacity_mt": np.where(steel_mt > 0, steel_mt, iron_mt),
            "capacity_stage": np.where(steel_mt > 0, "steel-making", "iron-making"),
            "unit": UNIT_CAPACITY,
            "source_label": SOURCE_LABELS.get(GEM, GEM),
        }
    )
    data = provenance.with_licence(data, ds.manifest)
    left_out = len(plants) - len(drawn)
    return chart_spec(
        ChartKind.PLANT_MAP,
        data,
        title=f"{scope.label}: plants by route and status",
        subtitle=(
            f"{tracker_release(ds)}. Area: steel-making capacity operating and planned (iron-making for an "
            "iron-only plant); colour: route; filled: operating, open: planned"
            + (f"; {left_out} mothballed, retired or cancelled plants only in the table" if left_out else "")
        ),
        route_labels={k: v for k, v in ROUTE_LABELS.items() if k in set(data["route"])},
        status_labels={k: v for k, v in MAP_STATUS_LABELS.items() if k in set(data["status_group"])},
        whole_world=not (scope.key.startswith("country:") or scope.is_company),
        name=f"steel-plants-{_slug(code)}",
        summary=_map_summary(data),
    )


def _map_summary(data: pd.DataFrame) -> str:
    """The map in words: how many plants of each status and of each route."""
    if data.empty:
        return "No operating or planned plant to draw for this selection."
    by_status = data["status_label"].value_counts()
    by_route = data["route_label"].value_counts()
    return (
        f"{len(data)} plants drawn: "
        + ", ".join(f"{n} {label.lower()}" for label, n in by_status.items())
        + ". By route: "
        + ", ".join(f"{label} {n}" for label, n in by_route.items())
        + "."
    )


def _slug(code: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", code.lower()).strip("-")


def selection_note(ds: Dataset, view: View, code: str) -> str:
    """What the selection covers, in words (members' rule, a company's shared plants)."""
    return scope_of(ds, view, code).note


def unknown_basis_note(ds: Dataset, view: View, code: str) -> str:
    """The furnaces the calendar cannot place, named (empty when none)."""
    cal = calendar(ds, view, code)
    lacking = cal[cal["basis"] == NO_BASIS]
    if lacking.empty:
        return ""
    plants = ds.steel_plants.set_index("plant_id")["plant_name"]
    named = "; ".join(
        f"{u} ({plants.get(p, p)})" for u, p in zip(lacking["unit_name"], lacking["plant_id"], strict=True)
    )
    return f"Not placed in the calendar (neither a relining nor a start year known): {named}."


# --- The members' steel at a glance (the steel slide, the Overview's line per member) -------------------------------
SLIDE_COLUMNS = ("category", "technology", "technology_label", "value", "unit", "source_label")


def _due_category(first: int, end: int) -> str:
    return f"Relining due {first}-{str(end - 1)[-2:]}"


def capacity_columns(ds: Dataset, view: View, code: str = MEMBERS) -> pd.DataFrame:
    """Capacity by technology in columns: steel-making and iron-making operating (incl. pre-retirement) and in
    the pipeline, then the blast furnaces due for relining before 2030 and from 2030 to 2034 (one column each,
    Mt a year; furnaces of unknown size not added). One row per column and technology with capacity."""
    scope = scope_of(ds, view, code)
    year = as_of_year(ds)
    table = steel.capacity_by_technology(ds.steel_capacity, scope)
    rows = []
    for stage in steel.STAGES:
        for phase, statuses in steel.PHASES.items():
            part = table[(table["stage"] == stage) & table["status"].isin(statuses)]
            category = f"{'Steel' if stage == 'steel' else 'Iron'}: {phase}"
            for tech, value in part.groupby("technology", sort=False)["capacity_mt"].sum().items():
                rows.append((category, str(tech), float(value)))
    cal = calendar(ds, view, code)
    known = cal[cal["capacity_mt"].notna() & cal["due_year"].notna()]
    bounds = (year, *DUE_BEFORE)
    for first, end in zip(bounds[:-1], bounds[1:], strict=True):
        due = known[(known["due_year"] >= first) & (known["due_year"] < end)]
        rows.append((_due_category(first, end), "bf", float(due["capacity_mt"].sum())))
    out = pd.DataFrame(rows, columns=["category", "technology", "value"])
    # Columns in the order built (steel, iron, relining); within each, the technologies in the legend's order.
    columns, order = list(dict.fromkeys(out["category"])), list(TECHNOLOGY_LABELS)
    out = out.sort_values(
        ["category", "technology"], key=lambda c: c.map((columns if c.name == "category" else order).index)
    )
    out["technology_label"] = out["technology"].map(TECHNOLOGY_LABELS)
    out["unit"] = UNIT_CAPACITY
    out["source_label"] = SOURCE_LABELS.get(GEM, GEM)
    return out[list(SLIDE_COLUMNS)].reset_index(drop=True)


def _stage_words(operating: float, pipeline: float, now_pct: float, new_pct: float, route: str) -> str:
    """ "X Mt/yr operating (EAF a%), Y Mt/yr in the pipeline (EAF b%)": a share only where there is one."""

    def part(mt: float, pct: float, what: str) -> str:
        share = "" if pd.isna(pct) else f" ({route} {number_text(pct, 0, '%')})"
        return f"{number_text(mt, 1)} Mt/yr {what}{share}"

    return f"{part(operating, now_pct, 'operating')}, {part(pipeline, new_pct, 'in the pipeline')}"


def steel_line(ds: Dataset, view: View, code: str) -> str:
    """One selection's steel facts in one line (the Overview's member line-up): steel-making capacity operating
    and planned with the electric arc furnaces' share (iron-making, with DRI's share, where a selection has no
    steel-making), the blast furnaces due for relining before 2030, and the latest t CO2e per t."""
    f = facts(ds, view, code)
    if not (f.steel_operating_mt or f.steel_pipeline_mt or f.iron_operating_mt or f.iron_pipeline_mt):
        return "no operating or planned capacity in the tracker (its plants there are mothballed, retired or cancelled)"
    if f.steel_operating_mt or f.steel_pipeline_mt:
        words = _stage_words(
            f.steel_operating_mt, f.steel_pipeline_mt, f.near_zero_now_pct, f.near_zero_pipeline_pct, "EAF"
        )
        parts = [f"steel-making {words}"]
    else:
        words = _stage_words(
            f.iron_operating_mt, f.iron_pipeline_mt, f.iron_near_zero_now_pct, f.iron_near_zero_pipeline_pct, "DRI"
        )
        parts = [f"no steel-making; iron-making {words}"]
    if f.furnaces:
        parts.append(f"{number_text(f.due_2030_mt, 1)} Mt/yr of blast furnaces due for relining before 2030")
    if f.intensity is not None:
        parts.append(f"{number_text(f.intensity, 2)} t CO2e per t crude steel ({f.intensity_year})")
    return "; ".join(parts)


def member_lines(ds: Dataset, view: View) -> list[tuple[str, str, str]]:
    """(name, `of` code, steel line) for each member country and member company with plants in the tracker,
    countries first in the members' order."""
    plants = set(ds.steel_plants["iso3"])
    names = country_names(ds)
    out = [(names.get(c, c), c, steel_line(ds, view, c)) for c in members_set(ds, view).codes if c in plants]
    out += [(name, code, steel_line(ds, view, code)) for code, name in member_companies(ds).items()]
    return out


def technology_colour(code: str) -> str:
    """A technology's colour on the slides (the page's)."""
    return theme.TECHNOLOGY_COLOURS.get(code, theme.NON_MEMBER)
