"""What each page shows, as pure functions of the dataset and the selection (no Streamlit).

The pages only lay these out; the tests call them directly and compare with what the app shows.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from decarb import provenance
from decarb.contract import EMISSION_SOURCES, SOURCE_LABELS
from decarb.data import Dataset
from decarb.params import Choice
from decarb.provenance import Manifest

DEFAULT_BASE_YEAR = 2015  # the Paris Agreement year; also Climate TRACE's first year
TARGET_YEARS: tuple[int, ...] = (2040, 2045, 2050, 2055, 2060, 2065, 2070)
DEFAULT_TARGET_YEAR = 2050
MIN_HISTORY = 5  # years between the base year and the latest year, at least
MEMBER_DEFINITIONS: dict[str, str] = {
    "confirmed": "Today's confirmed members, for every year",
    "with_unverified": "Today's members incl. unverified, for every year",
    "joined": "Members that had joined by the latest year",
}
DEFAULT_MEMBER_DEFINITION = "confirmed"
# The same, short enough for the sidebar's select box (the long forms were cut off there).
MEMBER_DEFINITION_OPTIONS: dict[str, str] = {
    "confirmed": "Confirmed, every year", "with_unverified": "Incl. unverified, every year",
    "joined": "Joined by the latest year",
}


@dataclass(frozen=True)
class View:
    """The global selection, shared by every page (and in every page's URL)."""

    source: str = EMISSION_SOURCES[0]
    base_year: int = DEFAULT_BASE_YEAR
    target_year: int = DEFAULT_TARGET_YEAR
    members: str = DEFAULT_MEMBER_DEFINITION

    @property
    def source_label(self) -> str:
        return SOURCE_LABELS.get(self.source, self.source)


def source_years(ds: Dataset) -> dict[str, tuple[int, int]]:
    """First and last year each emission source reports."""
    em = ds.emissions
    out = {}
    for source in EMISSION_SOURCES:
        years = em.loc[em["source"] == source, "year"]
        if len(years):
            out[source] = (int(years.min()), int(years.max()))
    return out


def base_year_options(first: int, last: int) -> list[int]:
    """Base years that leave at least MIN_HISTORY years of observations after them (from 1990 at most)."""
    start = max(first, 1990)
    return list(range(start, max(start, last - MIN_HISTORY) + 1))


def default_base_year(options: list[int]) -> int:
    return DEFAULT_BASE_YEAR if DEFAULT_BASE_YEAR in options else options[0]


def source_choice(years: dict[str, tuple[int, int]]) -> Choice:
    """The global source control (URL key `source`); `years` from source_years()."""
    sources = tuple(years)
    return Choice("source", "Emissions source", sources, sources[0], SOURCE_LABELS,
                  help="Dataset for every emissions figure. Sources differ in sectors and years.")


def period_choices(years: dict[str, tuple[int, int]], source: str) -> tuple[Choice, Choice, Choice]:
    """The other global controls for a chosen source: base year, target year, member definition.

    One definition for the sidebar (decarb/ui/controls.py) and for links read without the app (storyline).
    """
    base_options = base_year_options(*years[source])
    return (
        Choice("base", "Base year", tuple(str(y) for y in base_options), str(default_base_year(base_options)),
               help="Changes and pathways start from this year."),
        Choice("target", "Net-zero target year", tuple(str(y) for y in TARGET_YEARS), str(DEFAULT_TARGET_YEAR),
               help="Year the pathways reach net zero."),
        Choice("members", "Member definition", tuple(MEMBER_DEFINITIONS), DEFAULT_MEMBER_DEFINITION,
               MEMBER_DEFINITION_OPTIONS,
               help="Which countries count as LeadIT members in group figures. " + "; ".join(
                   f"**{MEMBER_DEFINITION_OPTIONS[k]}**: {v.lower()}" for k, v in MEMBER_DEFINITIONS.items()) + "."),
    )


def table_summary(ds: Dataset) -> pd.DataFrame:
    """One row per processed table: rows, file, checksum and description from the manifest."""
    rows = []
    for name, entry in ds.manifest.tables.items():
        frame = getattr(ds, name, None)
        rows.append({
            "table": name,
            "rows": entry.rows,
            "rows loaded": int(len(frame)) if frame is not None else None,
            "file": entry.file,
            "sha256": entry.sha256,
            "description": entry.description,
        })
    return pd.DataFrame(rows)


def source_summary(manifest: Manifest) -> pd.DataFrame:
    """One row per source file: producer, version, licence, citation, checksum and acceptance date."""
    return pd.DataFrame(provenance.source_rows(manifest))


def source_files(ds: Dataset) -> pd.DataFrame:
    """The raw files behind the data: source, file, checksum, acceptance date, version and licence."""
    return source_summary(ds.manifest)[["source", "file", "sha256", "accepted on", "version", "licence"]]


def build_line(manifest: Manifest) -> str:
    return provenance.build_line(manifest)


def dataset_tables(ds: Dataset) -> dict[str, pd.DataFrame]:
    from decarb.contract import TABLES

    return {name: getattr(ds, name) for name in TABLES}


def dataset_zip(ds: Dataset) -> bytes:
    """The whole processed dataset: a zip of CSVs and a Frictionless datapackage.json."""
    from decarb.exports import dataset_zip as build

    return build(dataset_tables(ds), ds.manifest)


def quality_notes(ds: Dataset) -> str:
    """Data quality notes computed from the loaded data (markdown)."""
    from decarb.contract import SECTOR_BY_CODE

    notes = []
    m = ds.members
    countries = m[m["member_type"] == "country"]
    companies = m[m["member_type"] == "company"]
    unverified = m[m["status"] != "confirmed"]
    unknown_join = m[m["joined_on"].isna()]
    notes.append(f"**Member list is incomplete.** It names {len(countries)} countries and {len(companies)} "
                 f"companies; {len(unverified)} rows are unverified and {len(unknown_join)} have no known join "
                 "date. Compare with the counts LeadIT reported:")
    rc = ds.reported_counts.sort_values("date")
    for row in rc.itertuples():
        parts = [f"{int(v)} {label}" for v, label in ((row.countries, "countries"), (row.companies, "companies"),
                                                        (row.total, "in total")) if pd.notna(v)]
        notes.append(f"  - {pd.Timestamp(row.date).date()} ({row.event}): {', '.join(parts)}")
    years = source_years(ds)
    cover = "; ".join(f"{SOURCE_LABELS.get(s, s)} {a}-{b}" for s, (a, b) in years.items())
    notes.append(f"**Years covered:** {cover}. Sources differ in the years and sectors they report; a figure "
                 "shows one source at a time and says which.")
    em = ds.emissions
    for source in years:
        sectors = sorted(em.loc[em["source"] == source, "sector"].unique().tolist())
        labels = ", ".join(SECTOR_BY_CODE[s].label if s in SECTOR_BY_CODE else s for s in sectors)
        notes.append(f"**{SOURCE_LABELS.get(source, source)} sectors:** {labels}.")
    notes.append("**No open country-level split of heavy industry** into iron and steel, chemicals or aluminium "
                 "is in these sources; heavy industry is industrial combustion plus industrial processes (EDGAR) "
                 "or manufacturing (Climate TRACE); cement process CO2 is available separately (OWID).")
    licences = provenance.licence_differences(ds.manifest)
    if licences:
        notes.append(licences)
    return "\n".join(f"- {n}" if not n.startswith("  - ") else n for n in notes)


def method_text() -> str:
    """docs/method.md, the method document, or a pointer when it is not there yet."""
    from decarb.paths import PROJECT_ROOT

    path = PROJECT_ROOT / "docs" / "method.md"
    if path.exists():
        return path.read_text(encoding="utf-8")
    return "The method document (`docs/method.md`) is not in this build."


# --- Shared selection helpers --------------------------------------------------------------------------------
def sector_label(code: str) -> str:
    from decarb.contract import SECTOR_BY_CODE

    return SECTOR_BY_CODE[code].label if code in SECTOR_BY_CODE else code


def sector_options(source: str) -> list[str]:
    """Aggregates and stored sectors the source can answer, in vocabulary order."""
    from decarb.contract import SECTORS, sectors_for

    return [s.code for s in SECTORS if sectors_for(s.code, source)]


def default_sector(source: str) -> str:
    from decarb.contract import HEAVY_INDUSTRY, TOTAL

    options = sector_options(source)
    return HEAVY_INDUSTRY if HEAVY_INDUSTRY in options else (TOTAL if TOTAL in options else options[0])


def members_set(ds: Dataset, view: View):  # -> selection.AreaSet
    """The member countries under the view's member definition."""
    from decarb.selection import area_set

    if view.members == "with_unverified":
        return area_set(ds, "members", include_unverified=True)
    if view.members == "joined":
        latest = source_years(ds)[view.source][1]
        return area_set(ds, "members", as_of_year=latest, backcast=False)
    return area_set(ds, "members")


def country_names(ds: Dataset) -> dict[str, str]:
    a = ds.areas
    return dict(zip(a["iso3"], a["name"], strict=True))


def country_options(ds: Dataset, source: str) -> list[str]:
    """Countries (and the EU27/world aggregates) the source reports, by name."""
    em = ds.emissions
    reported = set(em.loc[em["source"] == source, "iso3"].unique().tolist())
    a = ds.areas[ds.areas["iso3"].isin(reported) & ds.areas["kind"].isin(["country", "aggregate"])]
    return a.sort_values("name")["iso3"].tolist()


def member_country_options(ds: Dataset, view: View) -> tuple[str, ...]:
    """The member countries (view's member definition) the view's source reports: the Countries default."""
    reported = set(country_options(ds, view.source))
    return tuple(c for c in members_set(ds, view).codes if c in reported)


def _fmt(value: float, digits: int = 1, suffix: str = "") -> str:
    return "n/a" if value is None or pd.isna(value) else f"{value:,.{digits}f}{suffix}"


def _signed(value: float, suffix: str = "%") -> str:
    return "n/a" if value is None or pd.isna(value) else f"{value:+,.1f}{suffix}"


def observed_frame(values: pd.Series, series_name: str, unit: str, source: str, member: bool | None = None,
                   kind: str = "observed") -> pd.DataFrame:
    clean = values.dropna()
    out = pd.DataFrame({"series": series_name, "kind": kind, "year": clean.index.astype(int),
                        "value": clean.to_numpy(dtype=float), "unit": unit, "source": source})
    if member is not None:
        out["member"] = member
    return out


def pathway_frame(values: pd.Series, base_year: int, target_year: int, series_name: str, unit: str,
                  source: str, member: bool | None = None) -> pd.DataFrame:
    """Straight line from the base-year value to zero in the target year (empty when not computable)."""
    from decarb.pathways import linear_pathway

    clean = values.dropna()
    if base_year not in clean.index or clean.loc[base_year] <= 0 or target_year <= base_year:
        return observed_frame(clean.iloc[:0], series_name, unit, source, member, "pathway")
    path = linear_pathway(base_year, float(clean.loc[base_year]), target_year)
    return observed_frame(path, series_name, unit, source, member, "pathway")


def projection_frame(values: pd.Series, target_year: int, series_name: str, unit: str, source: str,
                     member: bool | None = None) -> pd.DataFrame:
    """The current trend (decarb.metrics.project) from the latest year to the target year."""
    from decarb.metrics import latest, project

    year, _ = latest(values)
    if year is None or target_year <= year:
        return observed_frame(values.iloc[:0], series_name, unit, source, member, "projection")
    years = range(year, target_year + 1)
    proj = pd.Series([project(values, y) for y in years], index=list(years), dtype=float)
    return observed_frame(proj, series_name, unit, source, member, "projection")


# --- Overview ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Overview:
    countries: int
    companies: int
    unverified: int
    reported: str
    latest_year: int | None
    members_value: float
    unit: str
    world_share_pct: float
    change_pct: float
    on_track: int
    assessed: int
    progress: dict
    chart: object  # charts.Chart
    member_note: str


def member_progress(ds: Dataset, view: View, codes: tuple[str, ...], sector: str) -> pd.DataFrame:
    """progress() of each member country's series (one row per country)."""
    from decarb.metrics import progress
    from decarb.selection import series

    names = country_names(ds)
    rows = []
    for code in codes:
        s = series(ds, view.source, [code], sector)
        p = progress(s, target_year=view.target_year, since_year=view.base_year)
        rows.append({"iso3": code, "area": names.get(code, code), "status": p["status"], **{
            k: p[k] for k in ("latest_year", "latest_value", "unit", "change_since_pct", "observed_rate_pct",
                              "required_rate_pct", "rate_ratio")}})
    return pd.DataFrame(rows)


def overview(ds: Dataset, view: View) -> Overview:
    from decarb import charts
    from decarb.contract import HEAVY_INDUSTRY
    from decarb.metrics import NOT_ASSESSED, ON_TRACK, progress
    from decarb.selection import area_set, series

    aset = members_set(ds, view)
    src = view.source_label
    sector = HEAVY_INDUSTRY
    s = series(ds, view.source, aset, sector)
    world = series(ds, view.source, area_set(ds, "world"), sector)
    p = progress(s, target_year=view.target_year, since_year=view.base_year)
    unit = s.attrs.get("unit", "Mt CO2e")
    year = p["latest_year"]
    share = (100 * s.loc[year] / world.loc[year]) if year is not None and year in world.index else float("nan")
    per_country = member_progress(ds, view, aset.codes, sector)
    assessed = per_country[per_country["status"] != NOT_ASSESSED]
    m = ds.members
    rc = ds.reported_counts.sort_values("date").iloc[-1]
    reported = (f"{int(rc['countries'])} countries and {int(rc['companies'])} companies reported on "
                f"{pd.Timestamp(rc['date']).date()} ({rc['event']})")
    data = pd.concat([
        observed_frame(s, "LeadIT members", unit, src),
        pathway_frame(s, view.base_year, view.target_year, "LeadIT members", unit, src),
        projection_frame(s, view.target_year, "LeadIT members", unit, src),
    ], ignore_index=True)
    chart = charts.line_chart(
        data, title="LeadIT members' heavy-industry emissions and the pathway to net zero",
        subtitle=(f"{len(aset.codes)} member countries ({MEMBER_DEFINITIONS[view.members].lower()}); "
                  f"straight line from {view.base_year} to net zero in {view.target_year}; dotted: current trend"),
        y_title=f"Emissions ({unit})", name="overview-members-heavy-industry",
        colours={"LeadIT members": charts.MEMBER})
    return Overview(
        countries=int(((m["member_type"] == "country") & m["iso3"].isin(aset.codes)).sum()),
        companies=int((m["member_type"] == "company").sum()),
        unverified=int((m["status"] != "confirmed").sum()),
        reported=reported, latest_year=year, members_value=p["latest_value"], unit=unit,
        world_share_pct=float(share), change_pct=p["change_since_pct"],
        on_track=int((assessed["status"] == ON_TRACK).sum()), assessed=int(len(assessed)),
        progress=p, chart=chart, member_note=aset.note)


def overview_headlines(o: Overview, view: View) -> list[tuple[str, str, str | None]]:
    """Six short numbers, two rows of three: long values were cut off ("14 count...") beside four others."""
    listed = f"Named in the member list ({o.unverified} unverified). Reported: {o.reported}."
    return [
        ("Member countries", f"{o.countries}", listed),
        ("Member companies", f"{o.companies}", listed),
        ("Member countries on track", f"{o.on_track} of {o.assessed}",
         "Countries whose recent annual rate of change meets the rate required to reach net zero in "
         f"{view.target_year} (heavy industry; status rule in Data and method)."),
        (f"Members' heavy industry {o.latest_year}", f"{_fmt(o.members_value, 0)} {o.unit}", o.member_note),
        ("Share of the world", _fmt(o.world_share_pct, 1, "%"), "Members' heavy industry / world heavy industry."),
        (f"Change since {view.base_year}", _signed(o.change_pct), "Latest year vs the base year."),
    ]


# --- Countries -----------------------------------------------------------------------------------------------
MAX_PATHWAYS = 6  # more dashed lines than this make the chart unreadable
METRIC_LABELS: dict[str, str] = {
    "absolute": "Absolute", "per_capita": "Per capita", "per_gdp": "Per GDP", "index": "Index (base year = 100)",
    "share_of_world": "Share of world",
}


def countries_chart(ds: Dataset, view: View, codes: tuple[str, ...], sector: str, metric: str):
    """Lines per country in the chosen metric, with pathways to net zero (dashed) and Net Zero Tracker
    targets (diamonds on the zero line) where a country has one."""
    from decarb import charts
    from decarb.normalise import normalise
    from decarb.pathways import target_years
    from decarb.selection import series

    names = country_names(ds)
    members = set(members_set(ds, view).codes)
    own_targets = target_years(ds)
    src = view.source_label
    parts, targets, unit = [], [], ""
    for code in codes:
        raw = series(ds, view.source, [code], sector)
        values = normalise(raw, metric, ds=ds, areas=[code], base_year=view.base_year)
        unit = values.attrs.get("unit", unit)
        name, member = names.get(code, code), code in members
        parts.append(observed_frame(values, name, unit, src, member))
        if len(codes) <= MAX_PATHWAYS:
            parts.append(pathway_frame(values, view.base_year, view.target_year, name, unit, src, member))
        if code in own_targets.index and metric != "share_of_world":
            targets.append({"series": name, "kind": "target", "year": int(own_targets.loc[code, "year"]),
                            "value": 0.0, "unit": unit, "source": "Net Zero Tracker", "member": member,
                            "note": str(own_targets.loc[code, "note"])})
    # All parts share their columns, and the targets are one frame: concat then has a single column set to align.
    columns = ["series", "kind", "year", "value", "unit", "source", "member"]
    data = pd.concat([pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns),
                      pd.DataFrame(targets, columns=[*columns, "note"])], ignore_index=True)
    data["note"] = data["note"].fillna("")
    shown = ", ".join(names.get(c, c) for c in codes[:6]) + (f" and {len(codes) - 6} more" if len(codes) > 6 else "")
    path_note = (f"dashed: straight line from {view.base_year} to net zero in {view.target_year}"
                 if len(codes) <= MAX_PATHWAYS else f"pathways shown for up to {MAX_PATHWAYS} countries")
    return charts.line_chart(
        data, title=f"{sector_label(sector)}: {METRIC_LABELS[metric].lower()}",
        subtitle=f"{shown}; {path_note}; diamonds: net-zero target year (Net Zero Tracker)",
        y_title=f"{METRIC_LABELS[metric]} ({unit})", name=f"countries-{sector}-{metric}")


def sector_breakdown(ds: Dataset, view: View, code: str, sector: str):
    """Stacked areas of the stored sectors making up `sector` (or all sectors when it is a single one)."""
    from decarb import charts
    from decarb.contract import TOTAL, sectors_for
    from decarb.selection import series

    leaves = sectors_for(sector, view.source)
    whole = sector if len(leaves) > 1 else TOTAL
    leaves = sectors_for(whole, view.source)
    src, name = view.source_label, country_names(ds).get(code, code)
    parts = []
    for leaf in leaves:
        s = series(ds, view.source, [code], leaf)
        if s.dropna().empty:
            continue
        frame = observed_frame(s, sector_label(leaf), s.attrs.get("unit", "Mt CO2e"), src)
        parts.append(frame.drop(columns=["kind"]))
    data = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=["series", "year", "value", "unit", "source"])
    unit = data["unit"].iloc[0] if len(data) else "Mt CO2e"
    return charts.stacked_area(data, title=f"{name}: {sector_label(whole).lower()} by sector",
                               subtitle=f"Parts reported by {src}, stacked", y_title=f"Emissions ({unit})",
                               name=f"breakdown-{code}-{whole}")


def target_table(ds: Dataset, codes: tuple[str, ...]) -> pd.DataFrame:
    """Net Zero Tracker end targets of the selected countries (where the tracker has one)."""
    t = ds.targets
    rows = t[(t["actor_type"] == "country") & t["iso3"].isin(codes)]
    return rows[["name", "iso3", "end_target", "end_target_year", "end_target_status", "interim_target",
                 "interim_target_year", "interim_target_percentage_reduction", "source_url"]].reset_index(drop=True)


# --- Sectors -------------------------------------------------------------------------------------------------
RANK_TOP = 20


def sector_ranking(ds: Dataset, view: View, sector: str, metric: str):
    """Countries ranked by the metric in the latest year: the top RANK_TOP plus every member below them."""
    from decarb import charts
    from decarb.normalise import normalise
    from decarb.selection import panel

    table = panel(ds, view.source, sector)
    countries = ds.areas.loc[ds.areas["kind"] == "country", "iso3"]
    table = table[table.index.isin(countries)]
    if table.empty:
        return None
    year = int(table.columns.max())
    values = normalise(table, metric, ds=ds, areas=list(table.index), base_year=view.base_year)
    unit = values.attrs.get("unit", "")
    latest = values[year].dropna().sort_values(ascending=False)
    members = set(members_set(ds, view).codes)
    names = country_names(ds)
    ranked = pd.DataFrame({"rank": range(1, len(latest) + 1), "iso3": latest.index, "value": latest.to_numpy()})
    ranked["member"] = ranked["iso3"].isin(members)
    shown = ranked[(ranked["rank"] <= RANK_TOP) | ranked["member"]].copy()
    shown.insert(1, "area", shown["iso3"].map(names))
    shown["year"], shown["unit"], shown["source"] = year, unit, view.source_label
    label = f"{METRIC_LABELS[metric]} ({unit})"
    return charts.ranking_bar(
        shown, title=f"{sector_label(sector)}: countries ranked, {year}",
        subtitle=f"{METRIC_LABELS[metric]}; top {RANK_TOP} of {len(ranked)} countries plus every member",
        x_title=label, name=f"ranking-{sector}-{metric}-{year}")


def sector_change_map(ds: Dataset, view: View, sector: str):
    """World map of the % change from the base year to the latest year, per country."""
    from decarb import charts
    from decarb.selection import panel

    table = panel(ds, view.source, sector)
    countries = ds.areas.loc[ds.areas["kind"] == "country", "iso3"]
    table = table[table.index.isin(countries)]
    if table.empty or view.base_year not in table.columns:
        return None
    year = int(table.columns.max())
    base, last = table[view.base_year], table[year]
    change = (100 * (last / base - 1)).where(base > 0).dropna()
    members = set(members_set(ds, view).codes)
    names = country_names(ds)
    data = pd.DataFrame({"iso3": change.index, "area": change.index.map(names), "value": change.to_numpy(),
                         "base_year": view.base_year, "year": year, "unit": "% change",
                         "source": view.source_label})
    data["member"] = data["iso3"].isin(members)
    return charts.world_map(
        data, title=f"{sector_label(sector)}: change {view.base_year}-{year}",
        subtitle="Blue: fall, vermillion: rise (colour scale capped at the 95th percentile)",
        colour_title="% change", name=f"map-change-{sector}-{view.base_year}-{year}")


def group_comparison(ds: Dataset, view: View, sector: str, metric: str):
    """Members vs non-members vs world over time (absolute or index)."""
    from decarb import charts
    from decarb.normalise import normalise
    from decarb.selection import area_set, series

    groups = [("LeadIT members", members_set(ds, view), charts.MEMBER),
              ("Non-members", area_set(ds, "non_members"), charts.NON_MEMBER),
              ("World", area_set(ds, "world"), charts.WORLD)]
    if view.members != "confirmed":  # non-members are the complement of the chosen member set
        from decarb.selection import non_members_of

        groups[1] = ("Non-members", non_members_of(ds, groups[0][1]), charts.NON_MEMBER)
    parts, unit, missing = [], "", []
    for label, aset, _ in groups:
        s = series(ds, view.source, aset, sector)
        try:
            values = normalise(s, metric, ds=ds, areas=aset, base_year=view.base_year)
        except ValueError:  # no value in the base year (e.g. an incomplete year, dropped): nothing to index on
            missing.append(label)
            continue
        unit = values.attrs.get("unit", unit)
        parts.append(observed_frame(values, label, unit, view.source_label))
    data = pd.concat(parts, ignore_index=True)
    gap = (f"; not shown, no complete value in {view.base_year}: {', '.join(missing)}" if missing else "")
    return charts.line_chart(
        data, title=f"{sector_label(sector)}: members, non-members and the world",
        subtitle=f"{METRIC_LABELS[metric]}; members: {MEMBER_DEFINITIONS[view.members].lower()}{gap}",
        y_title=f"{METRIC_LABELS[metric]} ({unit})", name=f"groups-{sector}-{metric}",
        colours={label: colour for label, _, colour in groups})


# --- Progress ------------------------------------------------------------------------------------------------
AREA_FILTERS: dict[str, str] = {
    "groups_members": "Groups and member countries", "members": "Member countries", "groups": "Groups",
    "countries": "All countries", "all": "Everything",
}
SCORE_COLUMNS: dict[str, str] = {
    "area_name": "Area", "sector_label": "Sector", "status": "Status", "latest_year": "Latest year",
    "latest_value": "Latest value", "unit": "Unit", "change_since_pct": "Change since base (%)",
    "observed_rate_pct": "Observed rate (%/yr)", "required_rate_pct": "Required rate (%/yr)",
    "rate_ratio": "Rate ratio", "net_zero_year": "Net zero at current trend", "gap_2030": "Gap to pathway 2030",
    "target_year": "Target year", "is_member": "Member", "area": "Code", "sector": "Sector code",
}


def scoreboard_for(ds: Dataset, view: View) -> pd.DataFrame:
    from decarb.scoreboard import scoreboard

    return scoreboard(ds, sources=[view.source], target_year=view.target_year, since_year=view.base_year,
                      members=members_set(ds, view))


def scoreboard_view(board: pd.DataFrame, sectors: tuple[str, ...], areas: str,
                    statuses: tuple[str, ...], source_label: str = "") -> pd.DataFrame:
    """The scoreboard filtered and with readable column names (the table shown and exported)."""
    rows = board[board["sector"].isin(sectors) & board["status"].isin(statuses)]
    group = rows["area_kind"] == "group"
    country = rows["area_kind"] == "country"
    keep = {"groups_members": group | (country & rows["is_member"]), "members": country & rows["is_member"],
            "groups": group | (rows["area_kind"] == "aggregate"), "countries": country,
            "all": rows["area"].notna()}[areas]
    rows = rows[keep]
    out = rows[list(SCORE_COLUMNS)].rename(columns=SCORE_COLUMNS)
    out.insert(len(out.columns), "Source", source_label)
    return out.reset_index(drop=True)


def rate_figure(table: pd.DataFrame, view: View, limit: int = 30):
    """Required vs observed annual rate for the rows shown (largest emitters first, at most `limit`)."""
    from decarb import charts

    rows = table.dropna(subset=["Observed rate (%/yr)", "Required rate (%/yr)"])
    rows = rows.sort_values("Latest value", ascending=False).head(limit)
    labels = [f"{a} - {s}" + (" (member)" if m else "") for a, s, m in
              zip(rows["Area"], rows["Sector"], rows["Member"], strict=True)]
    parts = []
    for measure, column in (("required", "Required rate (%/yr)"), ("observed", "Observed rate (%/yr)")):
        parts.append(pd.DataFrame({"label": labels, "area": rows["Area"].to_numpy(),
                                   "sector": rows["Sector"].to_numpy(), "measure": measure,
                                   "value": rows[column].to_numpy(dtype=float), "unit": "% per year",
                                   "source": view.source_label, "member": rows["Member"].to_numpy()}))
    data = pd.concat(parts, ignore_index=True)
    return charts.rate_chart(
        data, title="Required vs observed annual rate of change",
        subtitle=(f"Observed: trend of the last 5 years; required: straight line from the latest year to net "
                  f"zero in {view.target_year}; largest {len(rows)} rows of the table"),
        name="rates-required-observed")


def progress_view(board: pd.DataFrame, view: View, sectors: tuple[str, ...], areas: str,
                  statuses: tuple[str, ...]):  # -> tuple[pd.DataFrame, charts.Chart | None]
    """What the Progress page shows for a selection: the filtered scoreboard and its rate chart (None if empty)."""
    table = scoreboard_view(board, sectors, areas, statuses, view.source_label)
    return table, (rate_figure(table, view) if len(table) else None)


# --- Members -------------------------------------------------------------------------------------------------
def member_map(ds: Dataset):
    from decarb import charts

    m = ds.members[ds.members["member_type"] == "country"]
    data = pd.DataFrame({"iso3": m["iso3"], "area": m["member"],
                         "category": m["status"].map({"confirmed": "Confirmed member",
                                                      "unverified": "Unverified (not confirmed)"}),
                         "joined_on": m["joined_on"].astype(str).replace({"None": "", "nan": ""}),
                         "unit": "", "source": "LeadIT member list"})
    return charts.category_map(
        data, title="LeadIT member countries", subtitle=f"{len(data)} countries named in the member list",
        colours={"Confirmed member": charts.MEMBER, "Unverified (not confirmed)": charts.NON_MEMBER},
        name="members-map")


def member_timeline(ds: Dataset):
    from decarb import charts
    from decarb.members import member_counts

    counts = member_counts(ds.members, ds.reported_counts)
    parts = []
    for label, listed, reported in (("Countries", "countries_listed", "countries_reported"),
                                    ("Companies", "companies_listed", "companies_reported")):
        named = counts[["date", listed]].rename(columns={listed: "value"}).assign(
            series=label, kind="named", source="LeadIT member list")
        rep = counts[["date", reported]].rename(columns={reported: "value"}).dropna().assign(
            series=label, kind="reported", source=provenance.REPORTED_COUNTS_LABEL)
        parts += [named, rep]
    data = pd.concat(parts, ignore_index=True)[["series", "kind", "date", "value", "source"]]
    data["value"] = data["value"].astype(float)
    data["unit"] = "members"
    return charts.timeline(
        data, title="LeadIT members over time: named vs reported",
        subtitle="Steps: members named in the list with a known join date; diamonds: counts reported at events",
        name="members-timeline")


def _norm(name: str) -> str:
    import re

    return re.sub(r"[^a-z0-9 ]", "", str(name).lower()).strip()


def _tracker_entry(member: str, home_iso3: str | None, by_name: dict[str, list]) -> object | None:
    """The Net Zero Tracker company for a member: the same name once lower-cased and stripped of punctuation, or
    one name a whole-word prefix of the other ("SSAB" / "SSAB AB"); in the member's home country when both
    say where they are, so a namesake elsewhere is never taken."""
    key = _norm(member)
    candidates = by_name.get(key) or [row for name, rows in by_name.items() for row in rows
                                      if name.startswith(key + " ") or key.startswith(name + " ")]
    for row in candidates:
        if pd.isna(home_iso3) or pd.isna(row.iso3) or row.iso3 == home_iso3:  # type: ignore[attr-defined]
            return row
    return None


def company_members(ds: Dataset) -> pd.DataFrame:
    """Company members with sector, home country, status and the Net Zero Tracker target where it covers them
    (the tracker entry matched is named, so the match can be checked)."""
    m = ds.members[ds.members["member_type"] == "company"]
    t = ds.targets[ds.targets["actor_type"] == "company"]
    by_name: dict[str, list] = {}
    for name, entry in zip(t["name"], t.itertuples(), strict=True):
        by_name.setdefault(_norm(name), []).append(entry)
    names = country_names(ds)
    rows = []
    for r in m.itertuples():
        match = _tracker_entry(r.member, r.home_iso3, by_name)
        rows.append({
            "Member": r.member + ("" if r.status == "confirmed" else " (UNVERIFIED)"),
            "Sector": r.sector, "Home country": names.get(r.home_iso3, r.home_iso3),
            "Joined": "" if pd.isna(r.joined_on) else str(r.joined_on), "Status": r.status,
            "Net-zero target": "not covered by the tracker" if match is None else
            f"{match.end_target} {'' if pd.isna(match.end_target_year) else int(match.end_target_year)}".strip(),
            "Target status": "" if match is None or pd.isna(match.end_target_status) else match.end_target_status,
            "Tracker entry": "" if match is None else f"{match.name} ({match.actor_id})",
            "Source": r.source_url,
        })
    return pd.DataFrame(rows)


def country_members(ds: Dataset) -> pd.DataFrame:
    m = ds.members[ds.members["member_type"] == "country"]
    return pd.DataFrame({
        "Member": [n + ("" if s == "confirmed" else " (UNVERIFIED)") for n, s in zip(m["member"], m["status"],
                                                                                       strict=True)],
        "Code": m["iso3"].to_numpy(), "Joined": m["joined_on"].astype(str).replace({"None": ""}).to_numpy(),
        "Event": m["join_event"].to_numpy(), "Status": m["status"].to_numpy(), "Source": m["source_url"].to_numpy(),
    })
