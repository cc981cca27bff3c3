"""Overview: LeadIT at a glance, and members' heavy-industry emissions against the pathway to net zero."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from decarb import theme
from decarb.chartspec import ChartKind, ChartSpec, Size, chart_spec
from decarb.contract import CONFIRMED, HEAVY_INDUSTRY, SECTOR_BY_CODE, sector_definition, within
from decarb.data import Dataset
from decarb.freshness import fresher_note, years_text
from decarb.metrics import NOT_ASSESSED, ON_TRACK, progress, progress_rows
from decarb.screens import steel as steel_screen
from decarb.screens.shared import (
    chart_rows,
    country_names,
    default_sector,
    number_text,
    observed_frame,
    pathway_frame,
    projection_frame,
    sector_label,
    sector_options,
    with_milestones,
)
from decarb.selection import area_set, panel, series
from decarb.view import MEMBER_DEFINITIONS, View, member_tally, members_set

MEMBERS_LABEL = "LeadIT members"


@dataclass(frozen=True, eq=False)
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
    per_country: pd.DataFrame  # member_progress() of every member country (heavy industry)
    chart: ChartSpec
    member_note: str
    sector: str = HEAVY_INDUSTRY  # what the figures are of: heavy industry, or what the source has instead
    sector_note: str = ""  # in words, when the source has no heavy-industry total and another sector is shown
    # In words, where another source has a newer year (decarb.freshness), under the chart: in its subtitle it
    # pushed the chart's foot below a projector's fold.
    fresher_note: str = ""
    count_rule: str = ""  # how both member tiles count, from the member definition (shown under the tiles)
    definition: str = ""  # what the sector holds in the source (decarb.contract.sector_definition)


def sector_words(sector: str) -> str:
    """The sector as it reads inside a sentence: "heavy industry", "cement (process CO2)"."""
    label = sector_label(sector)
    return label[:1].lower() + label[1:]


def sector_adjective(sector: str) -> str:
    """The sector before a noun: "heavy-industry emissions", "cement (process CO2) emissions"."""
    return "heavy-industry" if sector == HEAVY_INDUSTRY else sector_words(sector)


def fallback_note(source_label: str, sector: str) -> str:
    """Why the Overview shows `sector`: empty for heavy industry, else the fallback said in words."""
    if sector == HEAVY_INDUSTRY:
        return ""
    return (
        f"{source_label} reports no heavy-industry total, so this page shows what it does report: "
        f"{sector_words(sector)}, a part of heavy industry. Pick EDGAR or Climate TRACE in the sidebar for all of "
        "heavy industry."
    )


def first_complete_year(ds: Dataset, source: str, sector: str, codes: tuple[str, ...]) -> int | None:
    """The first year from which the source reports every one of `codes` it reports at all (None: none)."""
    table = panel(ds, source, sector).reindex(list(codes)).dropna(how="all")
    if table.empty:
        return None
    return int(max(row.first_valid_index() for _, row in table.iterrows()))


PER_COUNTRY_COLUMNS = (
    "latest_year",
    "latest_value",
    "change_since_pct",
    "observed_rate_pct",
    "required_rate_pct",
    "rate_ratio",
)


def member_progress(ds: Dataset, view: View, codes: tuple[str, ...], sector: str) -> pd.DataFrame:
    """progress() of each member country's series (one row per country), all countries in one vectorised fit
    (decarb.metrics.progress_rows), not a Series and a fit per country."""
    table = panel(ds, view.source, sector)
    rows = table.reindex(list(codes))
    metrics = progress_rows(
        rows.to_numpy(dtype=float),
        rows.columns.to_numpy(),
        target_year=view.target_year,
        since_year=view.base_year,
    )
    names = country_names(ds)
    out = pd.DataFrame(
        {
            "iso3": list(codes),
            "area_name": [names.get(code, code) for code in codes],
            "status": metrics["status"],
            **{k: metrics[k] for k in PER_COUNTRY_COLUMNS},
        }
    )
    out.insert(out.columns.get_loc("latest_value") + 1, "unit", table.attrs.get("unit", ""))
    if out["latest_year"].notna().all():  # whole years, as progress() gives them
        out["latest_year"] = out["latest_year"].astype(int)
    return out


def page_sector(source: str) -> str:
    """The sector the Overview page shows: heavy industry wherever the source has it, else the first part of heavy
    industry it reports (OWID and Global Carbon Budget: cement's process CO2), else its default."""
    options = sector_options(source)
    if HEAVY_INDUSTRY in options:
        return HEAVY_INDUSTRY
    parts = [code for code in options if SECTOR_BY_CODE[code].parent is not None and within(code, HEAVY_INDUSTRY)]
    return parts[0] if parts else default_sector(source)


def overview(ds: Dataset, view: View, sector: str = HEAVY_INDUSTRY) -> Overview:
    """LeadIT at a glance for `sector`. The page passes page_sector() (with OWID: cement, said in words); the
    slides summarise heavy industry and call it without a sector (a source without it gives empty slides, not
    cement figures under a heavy-industry title)."""
    aset = members_set(ds, view)
    src = view.source_label
    s = series(ds, view.source, aset, sector)
    world = series(ds, view.source, area_set(ds, "world"), sector)
    p = progress(s, target_year=view.target_year, since_year=view.base_year)
    unit = s.attrs.get("unit", "Mt CO2e")
    year = p["latest_year"]
    share = (100 * s.loc[year] / world.loc[year]) if year is not None and year in world.index else float("nan")
    per_country = member_progress(ds, view, aset.codes, sector)
    assessed = per_country[per_country["status"] != NOT_ASSESSED]
    m = ds.members
    countries, companies, count_rule = member_tally(ds, view)
    rc = ds.reported_counts.sort_values("date").iloc[-1]
    reported = (
        f"{int(rc['countries'])} countries and {int(rc['companies'])} companies reported on "
        f"{pd.Timestamp(rc['date']).date()} ({rc['event']})"
    )
    # Before every member country is reported the sum is over fewer countries: the line starts where it is whole.
    # (A year with a gap inside a country's years is already dropped from the sum: the line starts after it.)
    whole, known = first_complete_year(ds, view.source, sector, aset.codes), s.dropna()
    start = int(known.index[known.index >= whole].min()) if whole is not None and (known.index >= whole).any() else None
    drawn = s if start is None else s[s.index >= start]
    cut = start is not None and start > int(known.index.min())
    data = pd.concat(
        [
            observed_frame(drawn, MEMBERS_LABEL, unit, src),
            pathway_frame(s, view.base_year, view.target_year, MEMBERS_LABEL, unit, src),
            projection_frame(s, view.target_year, MEMBERS_LABEL, unit, src),
        ],
        ignore_index=True,
    )
    chart = chart_spec(
        ChartKind.LINES,
        chart_rows(ds, data, view.source, sector, "absolute"),
        title=f"LeadIT members' {sector_adjective(sector)} emissions and the pathway to net zero",
        subtitle=(
            f"{len(aset.codes)} member countries ({MEMBER_DEFINITIONS[view.members].lower()}); "
            f"data {years_text(known.index.to_numpy())}; "
            f"straight line from {view.base_year} to net zero in {view.target_year}; dotted: current trend"
            + (f"; from {start}, the first year {src} reports every member country" if cut else "")
        ),
        y_title=f"Emissions ({unit})",
        name=f"overview-members-{sector.replace('_', '-')}",
        colours={MEMBERS_LABEL: theme.MEMBER},
        size=Size.FEATURE,
    )
    chart = with_milestones(chart, ds, view)
    return Overview(
        countries=countries,
        companies=companies,
        unverified=int((m["status"] != CONFIRMED).sum()),
        reported=reported,
        latest_year=year,
        members_value=p["latest_value"],
        unit=unit,
        world_share_pct=float(share),
        change_pct=p["change_since_pct"],
        on_track=int((assessed["status"] == ON_TRACK).sum()),
        assessed=int(len(assessed)),
        progress=p,
        per_country=per_country,
        chart=chart,
        member_note=aset.note,
        sector=sector,
        sector_note=fallback_note(src, sector),
        count_rule=count_rule,
        definition=sector_definition(sector, view.source),
        fresher_note=fresher_note(ds, view.source, sector),
    )


def figure_text(value: float | None, digits: int, suffix: str = "", signed: bool = False) -> str:
    """A headline figure, or "no value" (the tile's help says why): never "n/a" or "None"."""
    text = number_text(value, digits, suffix, signed)
    return "no value" if text == "n/a" else text


def overview_headlines(o: Overview, view: View) -> list[tuple[str, str, str | None]]:
    """Six short numbers, two rows of three: long values were cut off ("14 count...") beside four others."""
    listed = f"{o.count_rule} The member list names {o.unverified} unverified members. Reported: {o.reported}."
    what = sector_words(o.sector)
    year = f" {o.latest_year}" if o.latest_year is not None else ""
    no_data = f" {view.source_label} has no {what} value for the member countries." if not year else ""
    base = (
        ""
        if pd.notna(o.change_pct) or not year
        else f" No value in {view.base_year}, or the base year is not before {o.latest_year}: pick another base year."
    )
    value = figure_text(o.members_value, 0)
    return [
        ("Member countries", f"{o.countries}", listed),
        ("Member companies", f"{o.companies}", listed),
        (
            "Member countries on track",
            f"{o.on_track} of {o.assessed}" if o.assessed else "none assessed",
            "Countries whose recent annual rate of change meets the rate required to reach net zero in "
            f"{view.target_year} ({what}; status rule in Data and method)."
            + ("" if o.assessed else f" No member country has a recent trend in {view.source_label}.")
            + (
                f" {o.countries - o.assessed} of the {o.countries} member countries have no recent trend or no "
                f"value in {view.source_label}, so no status."
                if 0 < o.assessed < o.countries
                else ""
            ),
        ),
        (
            f"Members' {what}{year}",
            f"{value} {o.unit}" if value != "no value" else value,
            " ".join(t for t in (o.member_note, no_data.strip(), f"{sector_label(o.sector)}: {o.definition}") if t),
        ),
        (
            f"Share of the world{year}",
            figure_text(o.world_share_pct, 1, "%"),
            f"Members' {what} / world {what}."
            + ("" if pd.notna(o.world_share_pct) else f" {view.source_label} has no world value that year."),
        ),
        (
            f"Change {view.base_year}-{o.latest_year}" if year else f"Change since {view.base_year}",
            figure_text(o.change_pct, 1, "%", signed=True),
            "Latest year vs the base year." + base + no_data,
        ),
    ]


def member_steel_markdown(ds: Dataset, view: View) -> str:
    """Each member country's and member company's steel plants in one line (decarb.screens.steel.member_lines),
    as a markdown list; "" when no member has a plant in the tracker."""
    lines = steel_screen.member_lines(ds, view)
    return "\n".join(f"- **{name}**: {text}." for name, _, text in lines)
