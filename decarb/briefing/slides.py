"""The storyline's slides for the current view, each built from the screen functions of the page it summarises
(the pathway and scoreboard slides from the Overview, membership from the Members page), so a slide and its page
cannot disagree. The slide model is decarb.briefing.model; its plotly figure comes from decarb.briefing.figures.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from decarb import milestones as marks_model
from decarb import provenance, steel, theme
from decarb.briefing.figures import MARKED_SLIDES, figure_spec, marked_spec
from decarb.briefing.model import BARS, DATES, LINES, STACKED, Kind, Series, Slide, Style
from decarb.chartspec import ChartSpec
from decarb.contract import (
    CEMENT,
    CLIMATE_TRACE_SUBSECTORS,
    HEAVY_INDUSTRY,
    IRON_STEEL,
    LEADIT,
    NET_ZERO_TRACKER,
    NET_ZERO_TRACKER_2025,
    SOURCE_LABELS,
    TARGET_STATUSES,
)
from decarb.data import Dataset
from decarb.freshness import freshest_source, newest_year, source_years_words
from decarb.metrics import (
    NOT_ASSESSED,
    OFF_TRACK,
    ON_TRACK,
    STATUSES,
    WELL_OFF_TRACK,
    WRONG_DIRECTION,
    largest_moves,
    panel_change,
)
from decarb.pathways import NO_TARGET, members_target_years, target_years
from decarb.render import charts
from decarb.screens import industries as industries_screen
from decarb.screens import steel as steel_screen
from decarb.screens.members import member_timeline
from decarb.screens.overview import Overview, overview, page_sector, sector_adjective, sector_words
from decarb.screens.shared import country_names, number_text
from decarb.selection import AreaSet, panel
from decarb.storyline import DEFAULT_TITLES, StorylineConfig, source_line
from decarb.targets import release_label, snapshot_dates
from decarb.view import MEMBER_DEFINITIONS, View, members_set

MOVERS_EACH_WAY = 5  # the largest falls and the largest rises
# The most bars on a slide: 12 names fit a deck's bar chart at 14 pt, legible from the back of a room (16 bars
# took 11 pt); the others are named in words in the subtitle (decarb.briefing.pptx.bar_label_size).
MAX_BARS = 12
UNIT_MEMBERS = "member countries"
# The scoreboard's bar colours (decarb.theme.STATUS_COLOURS) in words.
STATUS_COLOUR_WORDS = {ON_TRACK: "green", OFF_TRACK: "ochre", WELL_OFF_TRACK: "purple", WRONG_DIRECTION: "red"}


@dataclass
class Context:
    """What the slide builders share: the data, the selection, the member set, the area names."""

    ds: Dataset
    view: View
    members: AreaSet
    names: Mapping[str, str]
    country: str = ""  # the presenter's own country (StorylineConfig.country)

    @property
    def sector(self) -> str:
        """What the emission slides (pathway, scoreboard, movers) show: heavy industry wherever the source has it,
        else what the source does report (OWID: cement's process CO2), as the Overview page does."""
        return page_sector(self.view.source)

    @property
    def sector_note(self) -> str:
        """One sentence why an emission slide shows another sector than heavy industry ("" when it does not)."""
        if self.sector == HEAVY_INDUSTRY:
            return ""
        return f"{self.source_label} reports no heavy-industry total, only {sector_words(self.sector)}, a part of it"

    @cached_property
    def overview(self) -> Overview:
        """The Overview page's content for this view (the pathway and scoreboard slides summarise it): the very
        result the Overview page shows (its sector too), shared with it when the dataset shares (Dataset.derived)."""
        return self.ds.derived(overview, self.view, self.sector)

    def emission_subtitle(self, *more: str) -> str:
        """The selection of an emission slide, its sector named, then why the sector (if not heavy industry)."""
        selection = "; ".join(t for t in (self.selection(self.sector), *more) if t)
        return f"{selection}. {self.sector_note}" if self.sector_note else selection

    def panel(self, source: str, sector: str) -> pd.DataFrame:
        """The area x year table of the source and sector (decarb.selection.panel: computed once per dataset)."""
        return panel(self.ds, source, sector)

    @property
    def source_label(self) -> str:
        return self.view.source_label

    def selection(self, sector: str | None = HEAVY_INDUSTRY, source: str | None = None) -> str:
        parts = [SOURCE_LABELS.get(source or self.view.source, source or self.view.source)]
        if sector:
            parts.append(sector_words(sector))
            newest = newest_year(self.ds, source or self.view.source, sector)
            parts += [f"data to {newest}"] if newest is not None else []
        parts += [
            f"base year {self.view.base_year}",
            f"net zero in {self.view.target_year}",
            f"members: {MEMBER_DEFINITIONS[self.view.members].lower()} ({len(self.members.codes)} countries)",
        ]
        return "; ".join(parts)


def context(ds: Dataset, view: View, country: str = "") -> Context:
    names = country_names(ds)
    return Context(ds, view, members_set(ds, view), names, country)


def _num(value: float | None) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)


@dataclass
class _Content:
    """What a builder computes; `build_slides` adds the title, overrides and the figure."""

    subtitle: str
    headline: str
    headline_label: str
    sources: tuple[str, ...]
    kind: Kind
    x_title: str
    y_title: str
    unit: str
    series: tuple[Series, ...]
    table: pd.DataFrame
    headline_colour: str = theme.ACCENT
    statuses: str = ""  # each bar's status in words, where a colour gives it on the chart


PATHWAY_SERIES = {
    "observed": "Observed",
    "pathway": "Straight line to net zero in {target}",
    "projection": "Current trend",
}


def _pathway_series(chart: ChartSpec, target_year: int) -> tuple[pd.DataFrame, tuple[Series, ...]]:
    """A page's members-against-the-pathway chart as a slide's table and series (observed, pathway, trend)."""
    names = {kind: name.format(target=target_year) for kind, name in PATHWAY_SERIES.items()}
    table = chart.data.assign(series=chart.data["kind"].map(names))
    styles = {
        "observed": (Style.SOLID, theme.MEMBER),
        "pathway": (Style.DASH, theme.PATHWAY),
        "projection": (Style.DOT, theme.PROJECTION),
    }
    series = tuple(
        Series(
            name,
            tuple(int(y) for y in rows["year"]),
            tuple(_num(v) for v in rows["value"]),
            *styles[rows["kind"].iloc[0]],
        )
        for name, rows in table.groupby("series", sort=False)
    )
    return table, series


def _pathway(ctx: Context) -> _Content:
    """The Overview page's chart: members' heavy-industry emissions (or the source's part of them), the pathway
    and the current trend."""
    view, page = ctx.view, ctx.overview
    table, series = _pathway_series(page.chart, view.target_year)
    year = page.latest_year
    return _Content(
        subtitle=ctx.emission_subtitle(),
        headline=number_text(page.change_pct, 1, "%", signed=True),
        headline_label=(
            f"change in members' {sector_adjective(ctx.sector)} emissions, {view.base_year} to {year}"
            if year
            else "no data for this selection"
        ),
        sources=(view.source, LEADIT),
        kind=LINES,
        x_title="Year",
        y_title=f"Emissions ({page.unit})",
        unit=page.unit,
        series=series,
        table=table,
    )


STEEL_SOURCE = CLIMATE_TRACE_SUBSECTORS  # the industry source that covers most members (UNFCCC: Annex I only)


def _steel(ctx: Context) -> _Content:
    """The Industries page's members-against-the-pathway chart for iron and steel, with its coverage."""
    view = ctx.view
    page = industries_screen.member_pathway(ctx.ds, view, STEEL_SOURCE, IRON_STEEL)
    table, series = _pathway_series(page.chart, view.target_year)
    p = page.progress
    year, unit = p["latest_year"], p["unit"] or "Mt CO2e"
    label = (
        f"change in members' iron and steel emissions, {page.base_year} to {year} ({p['status']})"
        if year and page.base_year
        else "no data for this selection"
    )
    return _Content(
        subtitle=f"{ctx.selection(IRON_STEEL, STEEL_SOURCE)}; {page.coverage}",
        headline=number_text(p["change_since_pct"], 1, "%", signed=True),
        headline_label=label,
        sources=(STEEL_SOURCE, LEADIT),
        kind=LINES,
        x_title="Year",
        y_title=f"Emissions ({unit})",
        unit=unit,
        series=series,
        table=table,
    )


def _scoreboard(ctx: Context) -> _Content:
    """Each member country's progress (the Overview page's count of members on track), as observed against
    required rates."""
    view = ctx.view
    rows = ctx.overview.per_country
    everyone = rows[rows["status"] != NOT_ASSESSED].sort_values("latest_value", ascending=False, kind="stable")
    # At most MAX_BARS: every member on track, then the largest emitters; the rest named with their status.
    on_track = everyone["status"] == ON_TRACK
    own = (everyone["iso3"] == ctx.country).to_numpy()  # the presenter's country, wherever it ranks
    room = max(MAX_BARS - int((on_track | own).sum()), 0)
    keep = on_track | own | ((~(on_track | own)).cumsum() <= room)
    assessed, hidden = everyone[keep], everyone[~keep]
    unit = "% per year"
    # Each bar named by its country alone (a name with its status took a quarter of the slide's width); the status
    # in the observed bar's colour, named in words in the subtitle, the table, the notes and the alt text.
    labels = [str(a) for a in assessed["area_name"]]
    statuses = [str(s) for s in assessed["status"]]
    table = pd.DataFrame(
        {
            "label": labels,
            "area_name": assessed["area_name"].to_numpy(),
            "iso3": assessed["iso3"].to_numpy(),
            "status": assessed["status"].to_numpy(),
            "latest_year": assessed["latest_year"].to_numpy(),
            "observed_rate_pct": assessed["observed_rate_pct"].to_numpy(dtype=float),
            "required_rate_pct": assessed["required_rate_pct"].to_numpy(dtype=float),
            "unit": unit,
            "source_label": ctx.source_label,
        }
    )
    series = (
        Series(
            "Observed rate (last 5 years), by status",
            tuple(labels),
            tuple(_num(v) for v in table["observed_rate_pct"]),
            Style.BAR,
            theme.STATUS_COLOURS[statuses[0]] if statuses else theme.MEMBER,
            tuple(theme.STATUS_COLOURS[s] for s in statuses),
        ),
        Series(
            f"Required rate (net zero in {view.target_year})",
            tuple(labels),
            tuple(_num(v) for v in table["required_rate_pct"]),
            Style.BAR,
            theme.NON_MEMBER,
        ),
    )
    shown_statuses = [s for s in STATUSES if s in statuses]
    status_words = "colour: " + ", ".join(f"{STATUS_COLOUR_WORDS[s]} {s}" for s in shown_statuses)
    left_out = len(rows) - len(everyone)
    not_shown = ", ".join(f"{a} ({s})" for a, s in zip(hidden["area_name"], hidden["status"], strict=True))
    return _Content(
        subtitle=ctx.emission_subtitle(
            status_words if shown_statuses else "",
            f"{len(assessed)} shown: every member on track, then the largest emitters" if len(hidden) else "",
            f"not shown: {not_shown}" if len(hidden) else "",
            f"{left_out} not assessed (too little data)" if left_out else "",
        ),
        headline=f"{ctx.overview.on_track} of {ctx.overview.assessed}" if len(table) else "n/a",
        headline_label=(
            f"member countries whose {sector_adjective(ctx.sector)} emissions fall at least as fast as net zero in "
            f"{view.target_year} requires"
        ),
        sources=(view.source, LEADIT),
        kind=BARS,
        x_title="Annual rate of change (% per year; negative: a fall)",
        y_title="",
        unit=unit,
        series=series,
        table=table,
        statuses="Status: " + ", ".join(f"{a} {s}" for a, s in zip(labels, statuses, strict=True)) + "."
        if statuses
        else "",
    )


def _country_bars(
    table: pd.DataFrame,
    column: str,
    name: str,
    colours: tuple[str, ...],
    *,
    subtitle: str,
    headline: str,
    headline_label: str,
    sources: tuple[str, ...],
    x_title: str,
    unit: str,
    headline_colour: str = theme.ACCENT,
) -> _Content:
    """A slide of one horizontal bar a country (the movers and cement slides): `table` holds one row a bar, its
    name in "label" and its value in `column`; `colours` one a bar, or () for the member colour throughout."""
    values = tuple(_num(v) for v in table[column])
    series = Series(name, tuple(table["label"]), values, Style.BAR, theme.MEMBER, colours)
    return _Content(
        subtitle, headline, headline_label, sources, BARS, x_title, "", unit, (series,), table, headline_colour
    )


MEMBER_MARK = "*"  # after a member's name on the movers slide: "(member)" took a third of the slide's width
MOVERS_COLOUR_WORDS = f"{theme.DIVERGING_WORDS}; {MEMBER_MARK}: a LeadIT member"


def _direction(change: float) -> str:
    """The largest change named by its direction, never just "change"."""
    return "largest rise" if change > 0 else "largest fall"


def _movers(ctx: Context) -> _Content:
    view = ctx.view
    table = ctx.panel(view.source, ctx.sector)
    countries = set(ctx.ds.areas.loc[ctx.ds.areas["kind"] == "country", "iso3"])
    table = table[table.index.isin(countries)]
    unit = table.attrs.get("unit", "")
    year, both = panel_change(table, view.base_year)
    picked = largest_moves(both, MOVERS_EACH_WAY)
    span = f"{view.base_year}-{year if year is not None else 'latest'}"
    members = set(ctx.members.codes)
    names = [ctx.names.get(c, c) + (MEMBER_MARK if c in members else "") for c in picked.index]
    table_out = pd.DataFrame(
        {
            "label": names,
            "area_name": [ctx.names.get(c, c) for c in picked.index],
            "iso3": picked.index.tolist(),
            "member": [c in members for c in picked.index],
            "base_year": view.base_year,
            "base_value": both.loc[picked.index, "base"].to_numpy(dtype=float),
            "year": year,
            "latest_value": both.loc[picked.index, "latest"].to_numpy(dtype=float),
            "change": picked.to_numpy(dtype=float),
            "unit": unit,
            "source_label": ctx.source_label,
        }
    )
    # Coloured by direction, as the change map of the pages (decarb.theme.FALL, RISE): a rise never in the accent
    # meant for progress; members are marked MEMBER_MARK.
    colours = tuple(theme.RISE if v > 0 else theme.FALL for v in table_out["change"])
    emissions = f"{sector_adjective(ctx.sector)} emissions"
    headline, colour = "n/a", theme.ACCENT
    if len(picked):
        falls, rises = picked[picked < 0], picked[picked > 0]  # changes in ascending order
        top = picked.index[0] if abs(picked.iloc[0]) >= abs(picked.iloc[-1]) else picked.index[-1]
        value = float(picked.loc[top])
        headline = number_text(value, 0, f" {unit}", signed=True)
        colour = theme.RISE if value > 0 else theme.FALL
        label = f"{ctx.names.get(top, top)}: the {_direction(value)} in {emissions}, {span}"
        other = rises.iloc[-1:] if value < 0 else falls.iloc[:1]  # the largest the other way, if any
        if len(other):
            code, change_other = other.index[0], float(other.iloc[0])
            label += (
                f"; the {_direction(change_other)}: {ctx.names.get(code, code)}, "
                f"{number_text(change_other, 0, f' {unit}', signed=True)}"
            )
    else:
        label = f"no country has {view.source_label} data in {view.base_year} and a later year"
    return _country_bars(
        table_out,
        "change",
        f"Change {span} ({unit})",
        colours,
        subtitle=ctx.emission_subtitle(
            f"the {MOVERS_EACH_WAY} largest falls and rises among {len(both)} countries", MOVERS_COLOUR_WORDS
        ),
        headline=headline,
        headline_label=label,
        headline_colour=colour,
        sources=(view.source, LEADIT),
        x_title=f"Change in {emissions}, {span} ({unit})",
        unit=unit,
    )


def _cement(ctx: Context) -> _Content:
    source = freshest_source(ctx.ds, CEMENT)
    table = ctx.panel(source, CEMENT)
    unit = table.attrs.get("unit", "")
    year = int(table.columns.max()) if len(table.columns) else None
    values = table[year].reindex(list(ctx.members.codes)).dropna() if year else pd.Series(dtype=float)
    values = values.sort_values(ascending=False)
    # The largest, and the presenter's country wherever it ranks (in place of the smallest of the largest).
    top = list(values.index[:MAX_BARS])
    own_added = int(ctx.country in values.index and ctx.country not in top)
    if own_added:
        top = [*top[: MAX_BARS - 1], ctx.country]
    shown, rest = values.loc[top], values.drop(top)
    world = float(table.loc["WLD", year]) if year and "WLD" in table.index else math.nan
    total = float(values.sum())
    share = 100 * total / world if world and not math.isnan(world) else math.nan
    table_out = pd.DataFrame(
        {
            "label": [ctx.names.get(c, c) for c in shown.index],
            "iso3": shown.index.tolist(),
            "year": year,
            "value": shown.to_numpy(dtype=float),
            "unit": unit,
            "source_label": SOURCE_LABELS[source],
        }
    )
    return _country_bars(
        table_out,
        "value",
        f"Cement process CO2, {year} ({unit})",
        (),
        subtitle=(
            f"{ctx.selection(None, source)}; process CO2 of cement only (not fuel burnt in kilns); "
            f"the newest year of any source ({source_years_words(ctx.ds, CEMENT)}); "
            f"{len(values)} member countries with data"
            + (
                f", the {len(shown) - own_added} largest"
                + (f" and {ctx.names.get(ctx.country, ctx.country)}" if own_added else "")
                + f" shown; the other {len(rest)} together: "
                f"{number_text(float(rest.sum()), 1)} {unit} ({', '.join(ctx.names.get(c, c) for c in rest.index)})"
                if len(rest)
                else ""
            )
        ),
        headline=number_text(share, 1, "%"),
        headline_label=(
            f"of the world's cement process CO2 in {year} came from members "
            f"({number_text(total, 0)} of {number_text(world, 0)} {unit})"
        ),
        sources=(source, LEADIT),
        x_title=f"Cement process CO2, {year} ({unit})",
        unit=unit,
    )


def _membership(ctx: Context) -> _Content:
    """The Members page's timeline: members named in the list (steps) and the counts reported (markers)."""
    page = member_timeline(ctx.ds).data
    table = page.assign(date=[pd.Timestamp(d).date() for d in page["date"]])
    colours = {"Countries": theme.PALETTE[0], "Companies": theme.PALETTE[1]}

    # Drawn in this order in both renderers: plotly draws the last trace on top, and the deck holds its longest
    # series first (decarb.briefing.pptx.drawn_order), which LibreOffice draws on top (measured).
    order = charts.overlapping_steps(table)
    series = []
    for label, dash, symbol in order:
        colour = colours[label]
        rows = table[table["series"] == label]
        named = rows[rows["kind"] == "named"]
        reported = rows[rows["kind"] == "reported"].set_index("date")["value"]
        dates = tuple(named["date"])
        series.append(
            Series(
                f"{label}: named in the member list",
                dates,
                tuple(float(v) for v in named["value"]),
                Style.STEP,
                colour,
                dash=Style(dash),
                symbol=symbol,
            )
        )
        series.append(
            Series(
                f"{label}: reported count",
                dates,
                tuple(float(reported[d]) if d in reported.index else None for d in dates),
                Style.MARKERS,
                colour,
            )
        )
    rc = ctx.ds.reported_counts.sort_values("date").iloc[-1]
    named_now = int(table.loc[table["kind"] == "named"].groupby("series")["value"].last().sum())
    return _Content(
        subtitle=(
            "Members named in the analysts' list (known join dates) and the counts reported at events; "
            "the list is known to be incomplete"
        ),
        headline=number_text(float(rc["total"]), 0),
        headline_label=(
            f"members reported on {pd.Timestamp(rc['date']).date()} ({rc['event']}); "
            f"{named_now} named with a join date in the member list"
        ),
        sources=(LEADIT,),
        kind=DATES,
        x_title="Date",
        y_title="Members",
        unit="members",
        series=tuple(series),
        table=table,
    )


def _targets(ctx: Context) -> _Content:
    detail = members_target_years(ctx.ds.targets, target_years(ctx.ds), ctx.members.codes)
    years = sorted(c for c in detail["category"].unique() if c != "No target")
    categories = years + (["No target"] if (detail["category"] == "No target").any() else [])
    order = [s for s in TARGET_STATUSES if s in set(detail["status"])]
    order += sorted(s for s in set(detail["status"]) if s not in order and s != NO_TARGET)
    order += [NO_TARGET] if NO_TARGET in set(detail["status"]) else []
    table_rows = []
    for status in order:
        for category in categories:
            hits = detail[(detail["category"] == category) & (detail["status"] == status)]
            table_rows.append(
                {
                    "category": category,
                    "status": status,
                    "value": float(len(hits)),
                    "countries": ", ".join(ctx.names.get(c, c) for c in hits["iso3"]),
                }
            )
    table = pd.DataFrame(table_rows, columns=["category", "status", "value", "countries"]).assign(
        unit=UNIT_MEMBERS, source_label=SOURCE_LABELS[NET_ZERO_TRACKER]
    )
    colours = {s: theme.colour_for(i) for i, s in enumerate(order)}
    colours[NO_TARGET] = theme.NON_MEMBER
    series = tuple(
        Series(
            status,
            tuple(categories),
            tuple(float(v) for v in table.loc[table["status"] == status, "value"]),
            Style.BAR,
            colours[status],
        )
        for status in order
    )
    years_given = pd.to_numeric(detail["category"], errors="coerce")
    by_target = int((years_given <= ctx.view.target_year).sum())
    return _Content(
        subtitle=(
            f"{len(detail)} member countries ({MEMBER_DEFINITIONS[ctx.view.members].lower()}); end targets "
            f"of net zero or neutrality in the {release_label(ctx.ds, snapshot_dates(ctx.ds)[1])}, earliest year "
            "where a country has several"
        ),
        headline=f"{by_target} of {len(detail)}",
        headline_label=f"member countries with a net-zero target year of {ctx.view.target_year} or earlier",
        sources=(NET_ZERO_TRACKER_2025, NET_ZERO_TRACKER, LEADIT),
        kind=STACKED,
        x_title="Net-zero target year",
        y_title="Member countries",
        unit=UNIT_MEMBERS,
        series=series,
        table=table,
    )


def _plants(ctx: Context) -> _Content:
    """The Steel page's members: capacity by technology operating and in the pipeline, and the blast furnaces
    coming up for relining (decarb.screens.steel.capacity_columns)."""
    ds, view = ctx.ds, ctx.view
    table = steel_screen.capacity_columns(ds, view)
    facts = steel_screen.facts(ds, view, steel_screen.MEMBERS)
    categories = tuple(dict.fromkeys(table["category"]))
    series = tuple(
        Series(
            str(rows["technology_label"].iloc[0]),
            categories,
            tuple(_num(float(rows.loc[rows["category"] == c, "value"].sum())) for c in categories),
            Style.BAR,
            steel_screen.technology_colour(str(code)),
        )
        for code in steel_screen.TECHNOLOGY_LABELS  # the legend's order, the coal route first
        if len(rows := table[table["technology"] == code])
    )
    share_now, share_new = (number_text(v, 0, "%") for v in (facts.near_zero_now_pct, facts.near_zero_pipeline_pct))
    return _Content(
        subtitle=(
            f"{len(ctx.members.codes)} member countries ({MEMBER_DEFINITIONS[view.members].lower()}); operating "
            "includes capacity whose closure is announced; pipeline: under construction or announced; electric arc "
            f"furnaces {share_now} of operating steel-making capacity, {share_new} of the pipeline; relining due: "
            f"last relining + {steel.CAMPAIGN_YEARS} years (rule in Data and method)"
        ),
        headline=f"{number_text(facts.due_2030_mt, 0)} Mt/yr",
        headline_label=(
            f"of members' blast furnaces ({facts.due_2030_furnaces} of {facts.furnaces}) come up for relining "
            "before 2030: reinvest in coal, or switch route"
        ),
        sources=(steel_screen.GEM, LEADIT),
        kind=STACKED,
        x_title="",
        y_title=f"Capacity ({steel_screen.UNIT_CAPACITY})",
        unit=steel_screen.UNIT_CAPACITY,
        series=series,
        table=table,
    )


BUILDERS: dict[str, Callable[[Context], _Content]] = {
    "pathway": _pathway,
    "steel": _steel,
    "plants": _plants,
    "scoreboard": _scoreboard,
    "movers": _movers,
    "cement": _cement,
    "membership": _membership,
    "targets": _targets,
}


def summary_text(title: str, headline: str, label: str, kind: Kind, series: Sequence[Series]) -> str:
    """A text equivalent of the slide (for screen readers, and the alt text of the chart)."""
    parts = [f"{title}. {headline} {label}."]
    for s in series[:4]:
        points = [(x, y) for x, y in zip(s.x, s.y, strict=True) if y is not None]
        if not points:
            continue
        if kind in (LINES, DATES):
            (x0, y0), (x1, y1) = points[0], points[-1]
            parts.append(f"{s.name}: {y0:,.1f} in {x0}, {y1:,.1f} in {x1}.")
        else:
            parts.append(f"{s.name}: " + ", ".join(f"{x} {y:,.1f}" for x, y in points[:8]) + ".")
    return " ".join(parts)


# --- The storyline ---------------------------------------------------------------------------------------------
def build_slides(ds: Dataset, view: View, config: StorylineConfig | None = None) -> list[Slide]:
    """The slides of the storyline for this selection, in the config's order, with its titles and headlines."""
    config = config or StorylineConfig()
    ctx = context(ds, view, config.country)
    return [_slide(ctx, config, key) for key in config.slides]


def build_slide(ds: Dataset, view: View, config: StorylineConfig, key: str) -> Slide:
    """One slide of the storyline, the same as build_slides gives for it: the Present page shows one slide at a
    time, so it builds one, not the whole storyline."""
    return _slide(context(ds, view, config.country), config, key)


def _slide(ctx: Context, config: StorylineConfig, key: str) -> Slide:
    ds, view = ctx.ds, ctx.view
    content = BUILDERS[key](ctx)
    title = config.title(key)
    if title == DEFAULT_TITLES[key]:  # a default title names the sector the slide shows (OWID: cement)
        title = title.replace("heavy-industry", sector_adjective(ctx.sector))
    headline = config.headline(key) or content.headline
    line = source_line(ds.manifest, content.sources)
    spec = figure_spec(content.kind, content.series, content.x_title, content.y_title, content.unit, line)
    milestones = ""
    if view.milestones and key in MARKED_SLIDES and any(s.x for s in content.series) and len(ds.milestones):
        spec, milestones = marked_spec(spec, marks_model.chart_milestones(ds))
    return Slide(
        key=key,
        title=title,
        subtitle=content.subtitle,
        headline=headline,
        headline_label=content.headline_label,
        source_line=line,
        kind=content.kind,
        x_title=content.x_title,
        y_title=content.y_title,
        unit=content.unit,
        series=content.series,
        table=provenance.with_licence(content.table, ds.manifest),
        figure_json=json.dumps(spec),
        name=f"leadit-{key}-{view.source}-{view.base_year}-{view.target_year}",
        summary=" ".join(
            t
            for t in (
                summary_text(title, headline, content.headline_label, content.kind, content.series),
                content.statuses,
                f"Dotted lines: {milestones}" if milestones else "",
            )
            if t
        ),
        computed_headline=content.headline,
        milestones=milestones,
        headline_colour=content.headline_colour,
    )


def selection_text(ds: Dataset, view: View) -> str:
    """The selection in words, for the title slide."""
    members = members_set(ds, view)
    return (
        f"Emissions source: {view.source_label}. Base year {view.base_year}; net zero in {view.target_year}. "
        f"Members: {MEMBER_DEFINITIONS[view.members].lower()} ({len(members.codes)} countries)."
    )


def plotted_values(series: Series) -> np.ndarray:
    """The y values of a series as floats (NaN where None), for comparisons."""
    return np.array([np.nan if v is None else float(v) for v in series.y], dtype=float)
