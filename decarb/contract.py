"""The processed-data contract: one vocabulary for sources, areas, sectors, gases, tables and columns.

The ETL writes exactly these tables and columns; the app, the analytics and the exports read them by these
names. Changing a name here is a breaking change to bookmarked URLs and exported CSVs.

Glossary: one word per idea, the same in code, tables, CSV exports and the screen.
- `iso3`: always an area code (ISO 3166-1 alpha-3 or one of SPECIAL_AREAS); `area_name`: its display name.
  One exception, on the scoreboard: a group without a code (G20, members, non-members) has its group key there
  (decarb.scoreboard.GROUP_KEYS: `g20`, `members`; lower case, so never equal to a code), `area_kind` "group".
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
from functools import cache

# --- Sources -------------------------------------------------------------------------------------------------
EDGAR = "edgar"
CLIMATE_TRACE = "climate_trace"
OWID = "owid"
NET_ZERO_TRACKER = "net_zero_tracker"
LEADIT = "leadit"
CLIMATE_TRACE_SUBSECTORS = "climate_trace_subsectors"
UNFCCC = "unfccc"
GCB = "gcb"
NET_ZERO_TRACKER_2025 = "net_zero_tracker_2025"
GEM_STEEL = "gem_steel"
WORLDSTEEL = "worldsteel"
# The newer Climate TRACE release of iron and steel: its own entry in sources.json (one version per entry),
# while its rows carry the industry source id (CLIMATE_TRACE_SUBSECTORS): see SERIES_RELEASES.
CLIMATE_TRACE_V5 = "climate_trace_v5"

SOURCE_LABELS: dict[str, str] = {
    EDGAR: "EDGAR 2024 (JRC/IEA)",
    CLIMATE_TRACE: "Climate TRACE",
    OWID: "Our World in Data",
    NET_ZERO_TRACKER: "Net Zero Tracker",
    LEADIT: "LeadIT member list",
    CLIMATE_TRACE_SUBSECTORS: "Climate TRACE sub-sectors (late-2023 release and v5.7.0 for iron and steel)",
    UNFCCC: "UNFCCC Annex I inventories (CRF)",
    GCB: "Global Carbon Budget 2025",
    NET_ZERO_TRACKER_2025: "Net Zero Tracker 2025 stocktake",
    GEM_STEEL: "Global Energy Monitor, Global Iron and Steel Tracker",
    WORLDSTEEL: "World Steel Association",
    CLIMATE_TRACE_V5: "Climate TRACE v5.7.0 (iron and steel)",
}
EMISSION_SOURCES: tuple[str, ...] = (EDGAR, CLIMATE_TRACE, OWID, GCB)
# Sources that split heavy industry industry by industry; they cover nothing outside it (see SOURCE_SCOPE).
INDUSTRY_SOURCES: tuple[str, ...] = (CLIMATE_TRACE_SUBSECTORS, UNFCCC)

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
# Area names (GEM's `country/area`, worldsteel's `Country`) that pycountry's names, common names and official
# names do not spell this way; every other name must be one of those exactly, or the build stops.
AREA_NAME_ALIASES: dict[str, str] = {
    "World": WORLD,
    "Türkiye": "TUR",
    "South Korea": "KOR",
    "North Korea": "PRK",
    "D.P.R. Korea": "PRK",
    "Taiwan": "TWN",
    "Taiwan, China": "TWN",
    "Russia": "RUS",
    "Ivory Coast": "CIV",
    "Macedonia": "MKD",
    "Czech Republic": "CZE",
}


# --- Sectors -------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Sector:
    code: str
    label: str
    parent: str | None  # the aggregate this sector rolls up into (None: a root)
    sources: tuple[str, ...]  # sources that report it (empty: an aggregate computed from its children)
    note: str = ""
    adds_up: bool = True  # False: only a part of its parent (cement's process CO2), never added into it


HEAVY_INDUSTRY = "heavy_industry"
IRON_STEEL = "iron_steel"
TOTAL = "total"
CEMENT = "cement_process"
F_GASES = "fluorinated_gases"

SECTORS: tuple[Sector, ...] = (
    Sector(TOTAL, "All sectors (economy-wide, excl. land use)", None, ()),
    Sector(HEAVY_INDUSTRY, "Heavy industry", TOTAL, ()),
    Sector(
        "industrial_combustion",
        "Industrial combustion",
        HEAVY_INDUSTRY,
        (EDGAR,),
        "Fuel burnt in manufacturing and construction (EDGAR 'Industrial Combustion').",
    ),
    Sector(
        "industrial_processes",
        "Industrial processes",
        HEAVY_INDUSTRY,
        (EDGAR,),
        "EDGAR 'Processes' without its F-gases (CO2, CH4 and N2O): cement, lime, iron and steel, aluminium, "
        "chemicals, and also solvents and other product use, which the booklet does not split out.",
    ),
    Sector(
        CEMENT,
        "Cement (process CO2)",
        "industrial_processes",
        (OWID, UNFCCC, GCB),
        "Process CO2 from cement only, not fuel burnt in kilns (OWID 'cement_co2', Global Carbon Budget; "
        "UNFCCC 2.A.1; Global Carbon Budget 2025 'Cement').",
        adds_up=False,
    ),
    Sector(
        "manufacturing",
        "Manufacturing",
        HEAVY_INDUSTRY,
        (CLIMATE_TRACE,),
        "Climate TRACE 'manufacturing': steel, cement, aluminium, chemicals, pulp and paper, other; "
        "not split by sub-sector in this file.",
    ),
    # Industries: the same words for every source. Climate TRACE sub-sectors hold fuel and process together; the
    # inventories (UNFCCC) store a fuel part (1.A.2.x) and a process part (2.x) beneath each industry.
    Sector(
        IRON_STEEL,
        "Iron and steel",
        HEAVY_INDUSTRY,
        (CLIMATE_TRACE_SUBSECTORS,),
        "Climate TRACE 'iron-and-steel', release v5.7.0 (2015-2025; all gases only).",
    ),
    Sector("iron_steel_fuel", "Iron and steel: fuel", IRON_STEEL, (UNFCCC,), "UNFCCC 1.A.2.a."),
    Sector("iron_steel_process", "Iron and steel: process", IRON_STEEL, (UNFCCC,), "UNFCCC 2.C.1."),
    Sector(
        "cement",
        "Cement (inventories: non-metallic minerals)",
        HEAVY_INDUSTRY,
        (CLIMATE_TRACE_SUBSECTORS,),
        "Climate TRACE 'cement' (calcination and kiln fuel).",
    ),
    Sector(
        "minerals_fuel",
        "Non-metallic minerals: fuel",
        "cement",
        (UNFCCC,),
        "UNFCCC 1.A.2.f: kilns for cement, lime, glass and ceramics.",
    ),
    Sector(
        "minerals_process",
        "Non-metallic minerals: process",
        "cement",
        (UNFCCC,),
        "UNFCCC 2.A: cement, lime, glass, other carbonates (cement alone: cement_process).",
    ),
    Sector("chemicals", "Chemicals (incl. petrochemicals)", HEAVY_INDUSTRY, ()),
    Sector(
        "chemicals_excl_petrochemicals",
        "Chemicals other than petrochemicals",
        "chemicals",
        (CLIMATE_TRACE_SUBSECTORS,),
        "Climate TRACE 'chemicals'.",
    ),
    Sector(
        "petrochemicals", "Petrochemicals", "chemicals", (CLIMATE_TRACE_SUBSECTORS,), "Climate TRACE 'petrochemicals'."
    ),
    Sector("chemicals_fuel", "Chemicals: fuel", "chemicals", (UNFCCC,), "UNFCCC 1.A.2.c."),
    Sector(
        "chemicals_process",
        "Chemicals: process",
        "chemicals",
        (UNFCCC,),
        "UNFCCC 2.B (incl. petrochemicals 2.B.8 and fluorochemicals 2.B.9).",
    ),
    Sector(
        "aluminium",
        "Aluminium (inventories' fuel: non-ferrous metals)",
        HEAVY_INDUSTRY,
        (CLIMATE_TRACE_SUBSECTORS,),
        "Climate TRACE 'aluminum'.",
    ),
    Sector("non_ferrous_fuel", "Non-ferrous metals: fuel", "aluminium", (UNFCCC,), "UNFCCC 1.A.2.b."),
    Sector("aluminium_process", "Aluminium: process", "aluminium", (UNFCCC,), "UNFCCC 2.C.3."),
    Sector(
        "pulp_paper", "Pulp and paper", HEAVY_INDUSTRY, (CLIMATE_TRACE_SUBSECTORS,), "Climate TRACE 'pulp-and-paper'."
    ),
    Sector(
        "pulp_paper_fuel",
        "Pulp, paper and print: fuel",
        "pulp_paper",
        (UNFCCC,),
        "UNFCCC 1.A.2.d (the inventories' process part, 2.H.1, is not in these files).",
    ),
    Sector(
        "other_manufacturing",
        "Other manufacturing",
        HEAVY_INDUSTRY,
        (CLIMATE_TRACE_SUBSECTORS,),
        "Climate TRACE 'other-manufacturing'.",
    ),
    Sector(
        "other_manufacturing_fuel",
        "Other manufacturing: fuel",
        "other_manufacturing",
        (UNFCCC,),
        "UNFCCC 1.A.2.e + 1.A.2.g (food, construction, other).",
    ),
    Sector(
        "other_metals_process",
        "Other metals: process",
        "other_manufacturing",
        (UNFCCC,),
        "UNFCCC 2.C.2 + 2.C.4-2.C.7 (ferroalloys, magnesium, lead, zinc, other).",
    ),
    Sector("power", "Power", TOTAL, (EDGAR, CLIMATE_TRACE), "EDGAR 'Power Industry'; Climate TRACE 'power'."),
    Sector("buildings", "Buildings", TOTAL, (EDGAR, CLIMATE_TRACE)),
    Sector("transport", "Transport", TOTAL, (EDGAR, CLIMATE_TRACE), "Climate TRACE 'transportation'."),
    Sector(
        "fuel_exploitation",
        "Fuel exploitation",
        TOTAL,
        (EDGAR, CLIMATE_TRACE),
        "EDGAR 'Fuel Exploitation'; Climate TRACE 'fossil-fuel-operations'.",
    ),
    Sector("agriculture", "Agriculture", TOTAL, (EDGAR, CLIMATE_TRACE)),
    Sector("waste", "Waste", TOTAL, (EDGAR, CLIMATE_TRACE)),
    Sector(
        F_GASES,
        "Fluorinated gases",
        TOTAL,
        (EDGAR, CLIMATE_TRACE),
        "EDGAR 'Processes', substance F-gases (HFCs, PFCs, SF6, NF3); Climate TRACE 'fluorinated-gases'. Mostly "
        "refrigerants and other product uses; not heavy industry.",
    ),
    Sector("mineral_extraction", "Mineral extraction", TOTAL, (CLIMATE_TRACE,)),
    # Global Carbon Budget splits fossil CO2 by fuel, not by sector: each fuel spans every sector (industry's
    # fuel is inside them, not apart), so they sit under the total only.
    *(
        Sector(code, label, TOTAL, (GCB,), f"Global Carbon Budget '{column}': fossil CO2 of every sector.")
        for code, label, column in (
            ("fossil_coal", "Coal (all sectors)", "Coal"),
            ("fossil_oil", "Oil (all sectors)", "Oil"),
            ("fossil_gas", "Gas (all sectors)", "Gas"),
            ("fossil_flaring", "Gas flaring", "Flaring"),
            ("fossil_other", "Other fossil CO2 (all sectors)", "Other"),
        )
    ),
    Sector(
        "forestry_and_land_use",
        "Forestry and land use",
        None,
        (CLIMATE_TRACE,),
        "Climate TRACE only; can be negative (sinks); kept out of 'All sectors' as EDGAR excludes LULUCF.",
    ),
)
SECTOR_BY_CODE: dict[str, Sector] = {s.code: s for s in SECTORS}
GCB_FUEL_SECTORS: tuple[str, ...] = ("fossil_coal", "fossil_oil", "fossil_gas", "fossil_flaring", "fossil_other")

# Industries whose label names the inventories' wider parts: a source reporting the industry itself (Climate
# TRACE sub-sectors) is labelled with the industry alone, not with the inventories' scope.
OWN_LABELS: dict[str, str] = {"cement": "Cement", "aluminium": "Aluminium"}


def sector_label_for(code: str, source: str) -> str:
    """The sector's label for `source`'s rows: its own label where the source reports the sector itself."""
    sector = SECTOR_BY_CODE[code]
    return OWN_LABELS.get(code, sector.label) if source in sector.sources else sector.label


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


# The widest sector a source can answer: the industry sources report nothing outside heavy industry, so an
# "all sectors" of theirs would be heavy industry under a wrong name.
SOURCE_SCOPE: dict[str, str] = {source: HEAVY_INDUSTRY for source in INDUSTRY_SOURCES}
# Parts that do not add up to their parent but do belong to a source's total, which reports no parent for them:
# Global Carbon Budget's total is its fuels plus cement's process CO2 (its file's Total column is that sum).
TOTAL_ALSO: dict[str, tuple[str, ...]] = {GCB: (CEMENT,)}
INDUSTRIES: tuple[str, ...] = (IRON_STEEL, "cement", "chemicals", "aluminium", "pulp_paper", "other_manufacturing")


def within(code: str, scope: str) -> bool:
    """Whether sector `code` is `scope` or lies beneath it in the tree."""
    parent = SECTOR_BY_CODE[code].parent
    return code == scope or (parent is not None and within(parent, scope))


def _stored_parts(code: str, source: str) -> list[str]:
    if source in SECTOR_BY_CODE[code].sources:
        return [code]
    return [leaf for s in SECTORS if s.parent == code and s.adds_up for leaf in _stored_parts(s.code, source)]


def sectors_for(aggregate: str, source: str) -> list[str]:
    """The stored sectors of `source` that add up to `aggregate` (empty: the source cannot answer).

    A sector the source reports is itself; otherwise the source's parts of its children (an industry of the
    inventories is its fuel part plus its process part). A part that does not add up to its parent (cement's
    process CO2) is never added into it, and nothing is answered above the source's SOURCE_SCOPE.
    """
    return list(_sectors_for(aggregate, source))


@cache  # a function of this module's constants, asked for on every page run: the tree is walked once
def _sectors_for(aggregate: str, source: str) -> tuple[str, ...]:
    scope = SOURCE_SCOPE.get(source)
    if scope is not None and not within(aggregate, scope):
        return ()
    extra = TOTAL_ALSO.get(source, ()) if aggregate == TOTAL else ()
    return (*_stored_parts(aggregate, source), *extra)


# What each source's heavy industry holds, exactly (help texts, docs/method.md, the CSVs' sector_definition):
# the sources draw the line in different places, and a figure compared across sources must say where.
HEAVY_INDUSTRY_CONTENTS: dict[str, str] = {
    EDGAR: (
        "EDGAR 'Industrial Combustion' (fuel burnt in manufacturing, all gases) plus 'Processes' without its "
        "F-gases (CO2, CH4, N2O of cement, lime, iron and steel, aluminium, chemicals). Still inside, because the "
        "booklet gives Processes only by substance: solvents and other product use (CO2 from non-energy use of "
        "fuels, N2O from product uses). Left out: Processes' F-gases (HFCs, PFCs, SF6, NF3), shown as "
        "'Fluorinated gases', including the industrial part the booklet does not separate (PFCs from aluminium "
        "smelting, HFC-23 from HCFC-22 production)."
    ),
    CLIMATE_TRACE: (
        "Climate TRACE 'manufacturing' (iron and steel, cement, aluminium, chemicals, petrochemicals, pulp and "
        "paper, other manufacturing; fuel and process together). Its 'fluorinated-gases' sector is apart, shown "
        "as 'Fluorinated gases'."
    ),
    CLIMATE_TRACE_SUBSECTORS: (
        "The sum of Climate TRACE's seven manufacturing sub-sectors (steel, cement, aluminum, chemicals, "
        "petrochemicals, pulp-and-paper, other-manufacturing; fuel and process together)."
    ),
    UNFCCC: (
        "UNFCCC inventory categories 1.A.2 (fuel burnt in manufacturing and construction) plus 2.A, 2.B and 2.C "
        "(mineral, chemical and metal industry processes, all gases: including the F-gases of fluorochemical "
        "production and aluminium smelting). Not included: 2.D-2.H (solvents, electronics, product uses as "
        "substitutes for ozone-depleting substances, other product use)."
    ),
    OWID: "Not given: this source has only cement's process CO2, a part of heavy industry.",
    GCB: "Not given: this source splits fossil CO2 by fuel, not by sector, and has only cement's process CO2 of it.",
}


def sector_definition(sector: str, source: str) -> str:
    """What `sector` holds in `source`, in words: heavy industry as HEAVY_INDUSTRY_CONTENTS says, any other
    sector by the notes of the stored parts it adds up (its label where there is no note)."""
    if sector == HEAVY_INDUSTRY:
        return HEAVY_INDUSTRY_CONTENTS.get(source, "")
    parts = sectors_for(sector, source) or [sector]
    notes = [SECTOR_BY_CODE[p].note or SECTOR_BY_CODE[p].label for p in parts if p in SECTOR_BY_CODE]
    if sector == TOTAL:
        return "All sectors of the source but land use: " + ", ".join(SECTOR_BY_CODE[p].label for p in parts) + "."
    return " ".join(notes)


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
UNIT_MT_CO2E_AR4 = "Mt CO2e (GWP-100 AR4)"  # the inventories' aggregates, as the 2021 reporting rules require

# Which sources.json entry (release) a stored series comes from, where it is not the entry of its own source id:
# Climate TRACE iron and steel is the v5.7.0 release, the other industries the late-2023 one
# (decarb.provenance.release_of names it on screen).
SERIES_RELEASES: dict[tuple[str, str], str] = {(CLIMATE_TRACE_SUBSECTORS, IRON_STEEL): CLIMATE_TRACE_V5}

# --- Steel plants, furnaces and production -------------------------------------------------------------------
# One status vocabulary for both GEM files (the plant file spells "operating-pre-retirement", the unit file
# "operating_pre-retirement"). Pre-retirement capacity still runs, with its retirement or replacement announced:
# operating capacity is operating + operating_pre_retirement, shown apart, never dropped.
OPERATING, OPERATING_PRE_RETIREMENT = "operating", "operating_pre_retirement"
STEEL_STATUSES: tuple[str, ...] = (
    OPERATING,
    OPERATING_PRE_RETIREMENT,
    "construction",
    "announced",
    "mothballed",
    "mothballed_pre_retirement",
    "retired",
    "cancelled",
)
# Iron-making and steel-making capacity are never added together (a plant's iron feeds its steel).
STEEL_STAGES: dict[str, tuple[str, ...]] = {"iron": ("bf", "dri", "other"), "steel": ("bof", "eaf", "ohf", "other")}
PRODUCTS: dict[str, str] = {"crude_steel": "Crude steel"}
UNIT_MT = "Mt"


# --- Tables and columns --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    name: str
    description: str
    unit: str | None = None  # None: the column has no unit (a code, a label, a date)


TABLES: dict[str, tuple[str, tuple[Column, ...]]] = {
    "emissions": (
        "Greenhouse-gas emissions per source, area, year, sector and gas (long format).",
        (
            Column("source", "Dataset the row comes from (edgar, climate_trace, owid); see the manifest sources."),
            Column("iso3", "Area code: ISO 3166 alpha-3 for countries, or a documented special code (WLD, EU27, ...)."),
            Column("year", "Calendar year of the emissions.", "year"),
            Column("sector", "Canonical sector code (decarb.contract.SECTORS)."),
            Column("gas", "Gas code: co2, ch4, n2o, f_gases, or ghg for a source that reports only all gases."),
            Column("value", "Annual emissions in the row's unit.", "see column unit"),
            Column("unit", "Unit of value for this row (Mt CO2e or Mt CO2)."),
            Column("gwp", "Global-warming-potential convention used to express the gas as CO2e."),
        ),
    ),
    "areas": (
        "Every area code used in the other tables, with its name, region and group memberships.",
        (
            Column("iso3", "Area code (as in emissions.iso3)."),
            Column("name", "Short English name (pycountry common name where one exists)."),
            Column("kind", "country, historic, territory, aggregate, bunker or unallocated."),
            Column("region", "UN M49 continent (countrygroups UNSTATS_GEOGRAPHICAL_REGIONS); empty for non-countries."),
            Column("in_eu27", "Member of the European Union (27) (countrygroups EUROPEAN_UNION)."),
            Column("in_g20", "Member of the G20 in its own right (countrygroups G20; the EU is listed as EU27)."),
            Column("in_oecd", "Member of the OECD (countrygroups OECD, 38 members)."),
        ),
    ),
    "indicators": (
        "Population and GDP per country and year (OWID), for per-capita and per-GDP views.",
        (
            Column("iso3", "Area code."),
            Column("year", "Calendar year.", "year"),
            Column("population", "Population.", "persons"),
            Column(
                "gdp",
                "Gross domestic product, adjusted for inflation and cost of living (Maddison Project).",
                "international-$ in 2011 prices",
            ),
        ),
    ),
    "members": (
        "LeadIT members (countries and companies) from the analysts' member list.",
        (
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
        ),
    ),
    "reported_counts": (
        "Member counts reported by LeadIT or governments, for checking the member list.",
        (
            Column("date", "Date of the report.", "date"),
            Column("event", "Occasion of the report."),
            Column("countries", "Member countries reported; empty where not reported.", "members"),
            Column("companies", "Member companies reported; empty where not reported.", "members"),
            Column("total", "All members reported.", "members"),
            Column("source_url", "Public source of the count."),
        ),
    ),
    "milestones": (
        "LeadIT milestones (launch, summits, dialogues, members joining), each with its source.",
        (
            Column("date", "Date of the milestone (for a report, the date of the report).", "date"),
            Column("kind", "Kind of milestone (decarb.contract.MILESTONE_KINDS)."),
            Column("event", "Occasion, as named by the source."),
            Column("what_happened", "What happened there, in the analysts' words."),
            Column("source_url", "Public source of the milestone."),
        ),
    ),
    "targets": (
        "Net-zero (end) and interim targets of countries and companies (Net Zero Tracker: each country's end "
        "target from the 2025 stocktake with its 2023 one beside it; interim targets and companies from the 2023 "
        "snapshot).",
        (
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
            Column(
                "source_url",
                "Net Zero Tracker's source for the target (for an end target from the 2025 stocktake: its record).",
            ),
            Column(
                "end_target_snapshot",
                "Date of the Net Zero Tracker release the end target comes from (countries: the 2025 stocktake; "
                "companies and interim targets: the 2023 snapshot).",
                "date",
            ),
            Column("end_target_status_updated", "Year the end target's status last changed (2025 stocktake).", "year"),
            Column("earlier_end_target", "The country's end target in the earlier release (2023 snapshot)."),
            Column("earlier_end_target_year", "Its year.", "year"),
            Column("earlier_end_target_status", "Its status."),
            Column("earlier_end_target_snapshot", "Date of the earlier release.", "date"),
        ),
    ),
    "steel_plants": (
        "Iron and steel plants (GEM Global Iron and Steel Tracker, March 2025), one row per plant.",
        (
            Column("plant_id", "GEM plant id (P...)."),
            Column("plant_name", "Plant name in English as GEM gives it."),
            Column("owner", "Owner(s) as GEM names them."),
            Column("owner_gem_ids", "GEM entity ids of the owner(s), as in the file (';'-separated)."),
            Column("parent", "Parent company or companies as GEM names them."),
            Column(
                "parent_gem_ids",
                "GEM entity ids of the parent(s) with their share where given, as in the file "
                "(e.g. 'E100001000703 [100.0%]').",
            ),
            Column("iso3", "Area code of the plant's country (GEM country/area name mapped to ISO 3166)."),
            Column("subnational", "Province or state as GEM gives it."),
            Column("lat", "Latitude (WGS 84).", "degrees"),
            Column("lon", "Longitude (WGS 84).", "degrees"),
            Column("plant_status", "The plant's status (decarb.contract.STEEL_STATUSES)."),
            Column("start_year", "Year the plant started; empty where GEM says unknown.", "year"),
            Column("wiki_url", "The plant's page on the GEM wiki."),
            Column("main_equipment", "Main production equipment as GEM lists it (e.g. 'BF; BOF')."),
        ),
    ),
    "steel_capacity": (
        "Nominal capacity per plant, status, stage (iron- or steel-making) and technology (GEM), "
        "only where it is above zero.",
        (
            Column("plant_id", "GEM plant id (as in steel_plants)."),
            Column("iso3", "Area code of the plant's country."),
            Column("status", "Status of this capacity (STEEL_STATUSES); a plant can hold several."),
            Column("stage", "iron (iron-making) or steel (steel-making): never add one to the other."),
            Column("technology", "bf, dri or other (iron); bof, eaf, ohf or other (steel)."),
            Column("capacity_mt", "Nominal capacity, from GEM's thousand tonnes a year.", "Mt a year"),
        ),
    ),
    "steel_units": (
        "Furnaces (GEM Global Iron and Steel Tracker, March 2025), one row per unit.",
        (
            Column("unit_id", "GEM unit id (U...)."),
            Column("plant_id", "GEM plant id of the unit's plant."),
            Column("unit_name", "Unit name as GEM gives it; empty where the file leaves it blank."),
            Column("iso3", "Area code of the plant's country."),
            Column("technology", "bf, bof, eaf, dri or ohf."),
            Column("status", "The unit's status (STEEL_STATUSES)."),
            Column(
                "capacity_mt",
                "Current capacity, from thousand tonnes a year; empty where the file says '>0' (a unit "
                "known to exist, of unknown size).",
                "Mt a year",
            ),
            Column("capacity_known", "False where the file gives no size ('>0')."),
            Column(
                "relining_year",
                "Year of the most recent relining (blast furnaces; from '2022', '2015-08' or '2015-08-21'); "
                "empty where not known.",
                "year",
            ),
            Column("plant_start_year", "Year the unit's plant started (not the unit's own); empty if unknown.", "year"),
        ),
    ),
    "production": (
        "Production by area and year (long format like emissions): crude steel from worldsteel.",
        (
            Column("source", "Dataset the row comes from (worldsteel)."),
            Column("iso3", "Area code; WLD is worldsteel's own World row."),
            Column("year", "Calendar year.", "year"),
            Column("product", "Product code (decarb.contract.PRODUCTS): crude_steel."),
            Column("value", "Production in the row's unit.", "see column unit"),
            Column("unit", "Unit of value (Mt)."),
        ),
    ),
    "company_steel_owners": (
        "LeadIT member companies matched to GEM owner and parent entity ids (a reviewed mapping file).",
        (
            Column("company", "The member's name exactly as in the members table."),
            Column("gem_entity_id", "GEM entity id (E...) found among the plants' owner or parent ids."),
            Column("note", "What the id covers (e.g. a plant shared with other members)."),
            Column("source_url", "Public page where the id's plants are described (GEM wiki)."),
        ),
    ),
}

TARGET_STATUSES: tuple[str, ...] = (
    "In law",
    "In policy document",
    "In corporate strategy",
    "Declaration / pledge",
    "Proposed / in discussion",
    "Achieved (self-declared)",
    "Achieved (externally validated)",
)
CONFIRMED, UNVERIFIED = "confirmed", "unverified"
MEMBER_STATUSES: tuple[str, ...] = (CONFIRMED, UNVERIFIED)
MEMBER_TYPES: tuple[str, ...] = ("country", "company")
# The kinds an analyst may give a milestone in leadit_events.csv, with the short word a chart labels it with
# (launch: a launch or a new phase; summit: a LeadIT Summit; members: members announced as joining).
MILESTONE_KINDS: dict[str, str] = {"launch": "Launch", "summit": "Summit", "dialogue": "Dialogue", "members": "Joining"}


def column_names(table: str) -> list[str]:
    return [c.name for c in TABLES[table][1]]
