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

SOURCE_LABELS: dict[str, str] = {
    EDGAR: "EDGAR 2024 (JRC/IEA)",
    CLIMATE_TRACE: "Climate TRACE",
    OWID: "Our World in Data",
    NET_ZERO_TRACKER: "Net Zero Tracker",
    LEADIT: "LeadIT member list",
    CLIMATE_TRACE_SUBSECTORS: "Climate TRACE sub-sectors (late-2023 release)",
    UNFCCC: "UNFCCC Annex I inventories (CRF)",
}
EMISSION_SOURCES: tuple[str, ...] = (EDGAR, CLIMATE_TRACE, OWID)
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
        (OWID, UNFCCC),
        "Process CO2 from cement only, not fuel burnt in kilns (OWID 'cement_co2', Global Carbon Budget; "
        "UNFCCC 2.A.1).",
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
    Sector(IRON_STEEL, "Iron and steel", HEAVY_INDUSTRY, (CLIMATE_TRACE_SUBSECTORS,), "Climate TRACE 'steel'."),
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
    Sector(
        "forestry_and_land_use",
        "Forestry and land use",
        None,
        (CLIMATE_TRACE,),
        "Climate TRACE only; can be negative (sinks); kept out of 'All sectors' as EDGAR excludes LULUCF.",
    ),
)
SECTOR_BY_CODE: dict[str, Sector] = {s.code: s for s in SECTORS}
# Industries whose label names the inventories' wider parts: a source reporting the industry itself (Climate
# TRACE sub-sectors) is labelled with the industry alone, not with the inventories' scope.
OWN_LABELS: dict[str, str] = {"cement": "Cement", "aluminium": "Aluminium"}


def sector_label_for(code: str, source: str) -> str:
    """The sector's label for `source`'s rows: its own label where the source reports the sector itself."""
    sector = SECTOR_BY_CODE[code]
    return OWN_LABELS.get(code, sector.label) if source in sector.sources else sector.label


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


# The widest sector a source can answer: the industry sources report nothing outside heavy industry, so an
# "all sectors" of theirs would be heavy industry under a wrong name.
SOURCE_SCOPE: dict[str, str] = {source: HEAVY_INDUSTRY for source in INDUSTRY_SOURCES}
INDUSTRIES: tuple[str, ...] = (IRON_STEEL, "cement", "chemicals", "aluminium", "pulp_paper", "other_manufacturing")


def _within(code: str, scope: str) -> bool:
    parent = SECTOR_BY_CODE[code].parent
    return code == scope or (parent is not None and _within(parent, scope))


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


@cache  # a function of this module's constants, asked for on every page run (0.5 ms a run walking the tree)
def _sectors_for(aggregate: str, source: str) -> tuple[str, ...]:
    scope = SOURCE_SCOPE.get(source)
    if scope is not None and not _within(aggregate, scope):
        return ()
    return tuple(_stored_parts(aggregate, source))


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
        "Net-zero (end) and interim targets of countries and companies (Net Zero Tracker snapshot).",
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
            Column("source_url", "Net Zero Tracker's source for the target."),
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
