"""The processed-data contract: one vocabulary for sources, areas, sectors, gases, tables and columns.

The ETL writes exactly these tables and columns; the app, the analytics and the exports read them by these
names. Changing a name here is a breaking change to bookmarked URLs and exported CSVs.

Glossary: one word per idea, the same in code, tables, CSV exports and the screen.
- `iso3`: always an area code (ISO 3166-1 alpha-3 or one of SPECIAL_AREAS); `area_name`: its display name.
- `source`: a source id (EDGAR, ...); `source_label`: its display label (SOURCE_LABELS); a citation is a citation.
- `how`: the normalisation of a series (decarb.normalise.HOWS: absolute, per capita, per GDP, index, share of
  world); a "metric" is only a progress indicator of decarb.metrics. (URL keys `metric`, `rank_by`, `compare`
  keep their names: links are bookmarked.)
- `member_status`: confirmed or unverified (MEMBER_STATUSES, the `status` column of the members table);
  progress status: on track ... not assessed (decarb.metrics.STATUSES). Never a bare "status" across the two.
- `view`: the global selection (decarb.view.View); `members` in a view: the member definition.
"""

from __future__ import annotations

from dataclasses import dataclass

# --- Sources -------------------------------------------------------------------------------------------------
EDGAR = "edgar"
CLIMATE_TRACE = "climate_trace"
OWID = "owid"
NET_ZERO_TRACKER = "net_zero_tracker"
LEADIT = "leadit"

SOURCE_LABELS: dict[str, str] = {
    EDGAR: "EDGAR 2024 (JRC/IEA)",
    CLIMATE_TRACE: "Climate TRACE",
    OWID: "Our World in Data",
    NET_ZERO_TRACKER: "Net Zero Tracker",
    LEADIT: "LeadIT member list",
}
EMISSION_SOURCES: tuple[str, ...] = (EDGAR, CLIMATE_TRACE, OWID)

# --- Default years of the global view ------------------------------------------------------------------------
DEFAULT_BASE_YEAR = 2015  # the Paris Agreement year; also Climate TRACE's first year
DEFAULT_TARGET_YEAR = 2050
TONNES_PER_MT = 1e6

# --- Areas ---------------------------------------------------------------------------------------------------
# Countries use ISO 3166-1 alpha-3 (historic ones ISO 3166-3 alpha-3, via pycountry). Codes that are not ISO
# countries are listed here with the reason they exist; nothing else may appear in the `iso3` columns.
WORLD = "WLD"
EU27 = "EU27"
SPECIAL_AREAS: dict[str, tuple[str, str]] = {
    # code: (name, kind)
    WORLD: ("World", "aggregate"),  # EDGAR "GLOBAL TOTAL"
    EU27: ("European Union (27)", "aggregate"),  # EDGAR "EU27"; Net Zero Tracker "EUU"
    "AIR": ("International aviation", "bunker"),  # EDGAR: not allocated to any country
    "SEA": ("International shipping", "bunker"),  # EDGAR: not allocated to any country
    "XKX": ("Kosovo", "country"),  # user-assigned code used by Climate TRACE
    "ZNC": ("Northern Cyprus", "territory"),  # Climate TRACE code, not ISO
    "UNK": ("Unallocated (Climate TRACE)", "unallocated"),  # Climate TRACE emissions without a country
}
# How each source spells an aggregate, mapped onto the codes above.
SOURCE_AREA_ALIASES: dict[str, str] = {"GLOBAL TOTAL": WORLD, "EUU": EU27}


# --- Sectors -------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Sector:
    code: str
    label: str
    parent: str | None  # the aggregate this sector rolls up into (None: a root)
    sources: tuple[str, ...]  # sources that report it (empty: an aggregate computed from its children)
    note: str = ""


HEAVY_INDUSTRY = "heavy_industry"
TOTAL = "total"
CEMENT = "cement_process"

SECTORS: tuple[Sector, ...] = (
    Sector(TOTAL, "All sectors (economy-wide, excl. land use)", None, ()),
    Sector(HEAVY_INDUSTRY, "Heavy industry", TOTAL, ()),
    Sector("industrial_combustion", "Industrial combustion", HEAVY_INDUSTRY, (EDGAR,),
           "Fuel burnt in manufacturing and construction (EDGAR 'Industrial Combustion')."),
    Sector("industrial_processes", "Industrial processes", HEAVY_INDUSTRY, (EDGAR,),
           "Non-combustion process emissions: cement, iron and steel, aluminium, chemicals, solvents "
           "(EDGAR 'Processes')."),
    Sector(CEMENT, "Cement (process CO2)", "industrial_processes", (OWID,),
           "Process CO2 from cement only, not fuel burnt in kilns (OWID 'cement_co2', Global Carbon Budget)."),
    Sector("manufacturing", "Manufacturing", HEAVY_INDUSTRY, (CLIMATE_TRACE,),
           "Climate TRACE 'manufacturing': steel, cement, aluminium, chemicals, pulp and paper, other; "
           "not split by sub-sector in this file."),
    Sector("power", "Power", TOTAL, (EDGAR, CLIMATE_TRACE), "EDGAR 'Power Industry'; Climate TRACE 'power'."),
    Sector("buildings", "Buildings", TOTAL, (EDGAR, CLIMATE_TRACE)),
    Sector("transport", "Transport", TOTAL, (EDGAR, CLIMATE_TRACE), "Climate TRACE 'transportation'."),
    Sector("fuel_exploitation", "Fuel exploitation", TOTAL, (EDGAR, CLIMATE_TRACE),
           "EDGAR 'Fuel Exploitation'; Climate TRACE 'fossil-fuel-operations'."),
    Sector("agriculture", "Agriculture", TOTAL, (EDGAR, CLIMATE_TRACE)),
    Sector("waste", "Waste", TOTAL, (EDGAR, CLIMATE_TRACE)),
    Sector("fluorinated_gases", "Fluorinated gases", TOTAL, (CLIMATE_TRACE,),
           "Climate TRACE reports F-gases as a sector of their own."),
    Sector("mineral_extraction", "Mineral extraction", TOTAL, (CLIMATE_TRACE,)),
    Sector("forestry_and_land_use", "Forestry and land use", None, (CLIMATE_TRACE,),
           "Climate TRACE only; can be negative (sinks); kept out of 'All sectors' as EDGAR excludes LULUCF."),
)
SECTOR_BY_CODE: dict[str, Sector] = {s.code: s for s in SECTORS}
# Sectors that are aggregates: their value is the sum of the stored sectors beneath them, per source.
AGGREGATE_SECTORS: tuple[str, ...] = (TOTAL, HEAVY_INDUSTRY)
# Only these sectors may carry negative values (net removals).
SECTORS_ALLOWING_NEGATIVE: frozenset[str] = frozenset({"forestry_and_land_use"})


def descendants(code: str) -> list[str]:
    """Stored (leaf-level, source-reported) sectors beneath an aggregate, in vocabulary order.

    A sector that is itself reported by a source returns [code]. Sub-sectors of a reported sector (cement
    under industrial processes) are never added on top of their parent: that would double count.
    """
    sector = SECTOR_BY_CODE[code]
    if sector.sources:
        return [code]
    children = [s.code for s in SECTORS if s.parent == code]
    return [leaf for child in children for leaf in descendants(child)]


def sectors_for(aggregate: str, source: str) -> list[str]:
    """The stored sectors of `source` that add up to `aggregate` (empty: the source cannot answer)."""
    return [c for c in descendants(aggregate) if source in SECTOR_BY_CODE[c].sources]


# --- Gases ---------------------------------------------------------------------------------------------------
GAS_LABELS: dict[str, str] = {
    "co2": "CO2 (fossil)",
    "ch4": "CH4 (as CO2e)",
    "n2o": "N2O (as CO2e)",
    "f_gases": "F-gases (as CO2e)",
    "ghg": "All greenhouse gases (CO2e)",  # a source that reports only a total (Climate TRACE)
}
ALL_GHG = "all_ghg"  # gas set: every gas a source reports, summed (for EDGAR: the four substances)
GAS_SETS: dict[str, str] = {ALL_GHG: "All greenhouse gases", "co2": "CO2 only"}

UNIT_MT_CO2E = "Mt CO2e"
UNIT_MT_CO2 = "Mt CO2"


# --- Tables and columns --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    name: str
    description: str
    unit: str | None = None  # None: the column has no unit (a code, a label, a date)


TABLES: dict[str, tuple[str, tuple[Column, ...]]] = {
    "emissions": ("Greenhouse-gas emissions per source, area, year, sector and gas (long format).", (
        Column("source", "Dataset the row comes from (edgar, climate_trace, owid); see the manifest sources."),
        Column("iso3", "Area code: ISO 3166 alpha-3 for countries, or a documented special code (WLD, EU27, ...)."),
        Column("year", "Calendar year of the emissions.", "year"),
        Column("sector", "Canonical sector code (decarb.contract.SECTORS)."),
        Column("gas", "Gas code: co2, ch4, n2o, f_gases, or ghg for a source that reports only all gases."),
        Column("value", "Annual emissions in the row's unit.", "see column unit"),
        Column("unit", "Unit of value for this row (Mt CO2e or Mt CO2)."),
        Column("gwp", "Global-warming-potential convention used to express the gas as CO2e."),
    )),
    "areas": ("Every area code used in the other tables, with its name, region and group memberships.", (
        Column("iso3", "Area code (as in emissions.iso3)."),
        Column("name", "Short English name (pycountry common name where one exists)."),
        Column("kind", "country, historic, territory, aggregate, bunker or unallocated."),
        Column("region", "UN M49 continent (countrygroups UNSTATS_GEOGRAPHICAL_REGIONS); empty for non-countries."),
        Column("in_eu27", "Member of the European Union (27) (countrygroups EUROPEAN_UNION)."),
        Column("in_g20", "Member of the G20 in its own right (countrygroups G20; the EU is listed as EU27)."),
        Column("in_oecd", "Member of the OECD (countrygroups OECD, 38 members)."),
    )),
    "indicators": ("Population and GDP per country and year (OWID), for per-capita and per-GDP views.", (
        Column("iso3", "Area code."),
        Column("year", "Calendar year.", "year"),
        Column("population", "Population.", "persons"),
        Column("gdp", "Gross domestic product, adjusted for inflation and cost of living (Maddison Project).",
               "international-$ in 2011 prices"),
    )),
    "members": ("LeadIT members (countries and companies) from the analysts' member list.", (
        Column("member", "Member name as announced."),
        Column("member_type", "country or company."),
        Column("iso3", "Area code of a member country (empty for companies)."),
        Column("home_iso3", "Area code of a company's home country (empty for countries)."),
        Column("sector", "A company's sector as announced (empty for countries)."),
        Column("joined_on", "Date the member joined; empty where it is unknown.", "date"),
        Column("join_event", "Event at which the member joined."),
        Column("status", "confirmed or unverified."),
        Column("source_url", "Public source for the membership fact."),
        Column("note", "Analysts' note."),
    )),
    "reported_counts": ("Member counts reported by LeadIT or governments, for checking the member list.", (
        Column("date", "Date of the report.", "date"),
        Column("event", "Occasion of the report."),
        Column("countries", "Member countries reported; empty where not reported.", "members"),
        Column("companies", "Member companies reported; empty where not reported.", "members"),
        Column("total", "All members reported.", "members"),
        Column("source_url", "Public source of the count."),
    )),
    "milestones": ("LeadIT milestones (launch, summits, dialogues, members joining), each with its source.", (
        Column("date", "Date of the milestone (for a report, the date of the report).", "date"),
        Column("kind", "Kind of milestone (decarb.contract.MILESTONE_KINDS)."),
        Column("event", "Occasion, as named by the source."),
        Column("what_happened", "What happened there, in the analysts' words."),
        Column("source_url", "Public source of the milestone."),
    )),
    "targets": ("Net-zero (end) and interim targets of countries and companies (Net Zero Tracker snapshot).", (
        Column("actor_id", "Net Zero Tracker actor id."),
        Column("name", "Actor name."),
        Column("actor_type", "country or company."),
        Column("iso3", "Area code of the country (a company's home country)."),
        Column("industry", "Company industry (empty for countries)."),
        Column("end_target", "Kind of end target (Net zero, Carbon neutral(ity), ..., No target)."),
        Column("end_target_year", "Year of the end target; empty where none.", "year"),
        Column("end_target_status", "Status of the end target (In law, In policy document, ...)."),
        Column("interim_target", "Kind of interim target."),
        Column("interim_target_year", "Year of the interim target.", "year"),
        Column("interim_target_percentage_reduction", "Reduction the interim target promises.", "%"),
        Column("interim_target_baseline_year", "Baseline year of the interim target.", "year"),
        Column("source_url", "Net Zero Tracker's source for the target."),
    )),
}

TARGET_STATUSES: tuple[str, ...] = (
    "In law", "In policy document", "In corporate strategy", "Declaration / pledge", "Proposed / in discussion",
    "Achieved (self-declared)", "Achieved (externally validated)",
)
CONFIRMED, UNVERIFIED = "confirmed", "unverified"
MEMBER_STATUSES: tuple[str, ...] = (CONFIRMED, UNVERIFIED)
MEMBER_TYPES: tuple[str, ...] = ("country", "company")
# The kinds an analyst may give a milestone in leadit_events.csv, with the short word a chart labels it with
# (launch: a launch or a new phase; summit: a LeadIT Summit; members: members announced as joining).
MILESTONE_KINDS: dict[str, str] = {"launch": "Launch", "summit": "Summit", "dialogue": "Dialogue",
                                   "members": "Joining"}


def column_names(table: str) -> list[str]:
    return [c.name for c in TABLES[table][1]]
