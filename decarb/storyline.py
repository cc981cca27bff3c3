"""The storyline for dialogue meetings: slides derived from the global selection and a storyline config.

Pure (no Streamlit): presentation mode (pages/present.py), the PowerPoint deck and the offline HTML
(decarb.briefing) all render the same `Slide` objects, so the three never disagree. Each slide carries one
figure, one headline number, a title, a subtitle with the selection, a source line with citation and licence from
the manifest, and the exact table it plots (`Slide.table`); `Slide.series` is that table as plotted series
(what the native PowerPoint chart is built from).

The storyline config (which slides, in which order, retitled, with edited headlines) lives in the URL next to the
global selection, so a link reproduces the deck:

    ?source=edgar&base=2015&slides=pathway,movers&title_movers=Who%20moved&headline_pathway=-7%25&slide=2

Values that cannot be used are ignored with a notice, never an exception (as for every other link parameter).
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import parse_qs, urlencode, urlsplit

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from decarb import charts, provenance
from decarb.contract import (
    CEMENT,
    HEAVY_INDUSTRY,
    LEADIT,
    NET_ZERO_TRACKER,
    OWID,
    SECTOR_BY_CODE,
    SOURCE_LABELS,
    TARGET_STATUSES,
)
from decarb.data import Dataset
from decarb.members import member_counts
from decarb.metrics import NOT_ASSESSED, ON_TRACK, change_since, latest, progress, project
from decarb.params import Choice
from decarb.pathways import NET_ZERO_KINDS, linear_pathway, target_years
from decarb.provenance import Manifest
from decarb.selection import AreaSet, Encoded, encoded, panel_from, sum_areas
from decarb.views import MEMBER_DEFINITIONS, View, members_set, period_choices, source_choice, source_years

# --- The slides ------------------------------------------------------------------------------------------------
SLIDE_KEYS: tuple[str, ...] = ("pathway", "scoreboard", "movers", "cement", "membership", "targets")
DEFAULT_TITLES: dict[str, str] = {
    "pathway": "Members' heavy-industry emissions against the pathway to net zero",
    "scoreboard": "Member-country scoreboard: the pace of change against the pace required",
    "movers": "Biggest movers in heavy-industry emissions since the base year",
    "cement": "Cement process CO2 among members",
    "membership": "LeadIT membership growth",
    "targets": "Members' net-zero targets: year and status",
}
SLIDE_LABELS: dict[str, str] = {  # short names for the storyline editor
    "pathway": "Emissions vs pathway", "scoreboard": "Scoreboard", "movers": "Biggest movers",
    "cement": "Cement process CO2", "membership": "Membership growth", "targets": "Net-zero targets",
}
MOVERS_EACH_WAY = 5  # the largest falls and the largest rises
NO_TARGET = "No net-zero target in the tracker"
NO_STATUS = "Status not given"
UNIT_MEMBERS = "member countries"

# Chart kinds, as the PowerPoint and HTML builders draw them.
LINES = "lines"  # numeric x (years), one line per series; x ranges may differ
DATES = "dates"  # x are dates; styles "step" (named members) and "markers" (reported counts)
BARS = "bars"  # horizontal bars, x are category labels (first on top); several series are grouped
STACKED = "stacked"  # vertical stacked columns, x are category labels

# --- URL parameters of the storyline ---------------------------------------------------------------------------
PARAM_SLIDES = "slides"
PARAM_SLIDE = "slide"  # the slide shown (1-based)
TITLE_PREFIX = "title_"
HEADLINE_PREFIX = "headline_"
MAX_TITLE = 120
MAX_HEADLINE = 40
VIEW_PARAMS: tuple[str, ...] = ("source", "base", "target", "members")  # the entrypoint's global controls
DEFAULT_BASE_URL = "http://localhost:8501"
PRESENT_PATH = "present"


@dataclass(frozen=True)
class StorylineConfig:
    """Which slides, in which order, with which titles and headlines (overrides by slide key)."""

    slides: tuple[str, ...] = SLIDE_KEYS
    titles: tuple[tuple[str, str], ...] = ()  # (slide key, title), hashable so it can key a cache
    headlines: tuple[tuple[str, str], ...] = ()

    def title(self, key: str) -> str:
        return dict(self.titles).get(key, DEFAULT_TITLES[key])

    def headline(self, key: str) -> str | None:
        return dict(self.headlines).get(key)


def _clean_text(text: str, limit: int) -> tuple[str, bool]:
    """Printable single-line text, whitespace collapsed, cut to `limit` characters (True when cut)."""
    flat = re.sub(r"\s+", " ", "".join(ch for ch in str(text) if ch.isprintable() or ch.isspace())).strip()
    return flat[:limit].rstrip(), len(flat) > limit


def _first(raw: str | Sequence[str] | None) -> str | None:
    if raw is None or isinstance(raw, str):
        return raw
    return raw[-1] if len(raw) else None  # a repeated parameter: the last one wins


def decode_config(params: Mapping[str, str | Sequence[str]]) -> tuple[StorylineConfig, list[str]]:
    """The storyline config in URL parameters, and notices for what was ignored (never raises)."""
    notices: list[str] = []
    slides = SLIDE_KEYS
    raw = _first(params.get(PARAM_SLIDES))
    if raw is not None:
        parts = [p.strip().lower() for p in raw.split(",") if p.strip()]
        kept = tuple(dict.fromkeys(p for p in parts if p in SLIDE_KEYS))
        bad = [p for p in parts if p not in SLIDE_KEYS]
        if bad:
            notices.append(f"Ignored unknown slide{'s' if len(bad) > 1 else ''} {', '.join(map(repr, bad))} in "
                           f"the storyline from the link (slides: {', '.join(SLIDE_KEYS)}).")
        if len(kept) < len([p for p in parts if p in SLIDE_KEYS]):
            notices.append("Repeated slides in the storyline from the link are shown once.")
        if kept:
            slides = kept
        else:
            notices.append("The storyline from the link has no known slide: showing the default storyline.")
    overrides: dict[str, dict[str, str]] = {TITLE_PREFIX: {}, HEADLINE_PREFIX: {}}
    for name in sorted(params):
        prefix = next((p for p in (TITLE_PREFIX, HEADLINE_PREFIX) if name.startswith(p)), None)
        if prefix is None:
            continue
        key, what = name[len(prefix):], "title" if prefix == TITLE_PREFIX else "headline"
        if key not in SLIDE_KEYS:
            notices.append(f"Ignored the {what} for unknown slide {key!r} from the link.")
            continue
        text, cut = _clean_text(_first(params[name]) or "", MAX_TITLE if prefix == TITLE_PREFIX else MAX_HEADLINE)
        if cut:
            notices.append(f"The {what} of slide {key!r} from the link was cut to "
                           f"{MAX_TITLE if prefix == TITLE_PREFIX else MAX_HEADLINE} characters.")
        if text:
            overrides[prefix][key] = text
    titles = tuple((k, v) for k, v in overrides[TITLE_PREFIX].items() if v != DEFAULT_TITLES[k])
    return StorylineConfig(slides, titles, tuple(overrides[HEADLINE_PREFIX].items())), notices


def encode_config(config: StorylineConfig) -> dict[str, str]:
    """URL parameters for the config; defaults are left out (the default storyline gives no parameter)."""
    out: dict[str, str] = {}
    if tuple(config.slides) != SLIDE_KEYS:
        out[PARAM_SLIDES] = ",".join(config.slides)
    for key, text in config.titles:
        if text and text != DEFAULT_TITLES.get(key):
            out[TITLE_PREFIX + key] = text
    for key, text in config.headlines:
        if text:
            out[HEADLINE_PREFIX + key] = text
    return out


def storyline_param_keys(params: Sequence[str]) -> list[str]:
    """The URL parameters (of those present) that belong to the storyline."""
    return [k for k in params if k in (PARAM_SLIDES, PARAM_SLIDE) or k.startswith((TITLE_PREFIX, HEADLINE_PREFIX))]


def decode_slide_number(raw: str | Sequence[str] | None, count: int) -> tuple[int, str | None]:
    """The 1-based slide number from the URL (1 when absent), and a notice when it was not usable."""
    text = _first(raw)
    if text is None:
        return 1, None
    try:
        number = int(str(text).strip())
    except ValueError:
        return 1, f"Ignored slide {text!r} from the link: not a number; showing slide 1."
    if not 1 <= number <= max(count, 1):
        return (1 if number < 1 else max(count, 1)), (f"Ignored slide {number} from the link: the storyline has "
                                                      f"{count} slides.")
    return number, None


# --- The global selection in a link (for the command line; the app binds these in its entrypoint) ---------------
def decode_view(ds: Dataset, params: Mapping[str, str | Sequence[str]]) -> tuple[View, list[str]]:
    """The View in URL parameters, read with the app's own global-control choices (views.source_choice,
    views.period_choices): same keys, options, defaults, and a notice rather than an error for a bad value."""
    years = source_years(ds)
    notices: list[str] = []

    def pick(choice: Choice) -> str:
        value, notice = choice.parse(params.get(choice.key))
        if notice:
            notices.append(notice)
        return str(value)

    source = pick(source_choice(years))
    base, target, members = (pick(choice) for choice in period_choices(years, source))
    return View(source=source, base_year=int(base), target_year=int(target), members=members), notices


def encode_view(ds: Dataset, view: View) -> dict[str, str]:
    """URL parameters of a View, defaults left out (as the app writes them)."""
    years = source_years(ds)
    values = (view.source, str(view.base_year), str(view.target_year), view.members)
    choices = (source_choice(years), *period_choices(years, view.source))
    encoded_values = {choice.key: choice.encode(value) for choice, value in zip(choices, values, strict=True)}
    return {key: text for key, text in encoded_values.items() if text is not None}


def split_link(text: str) -> dict[str, list[str]]:
    """URL parameters of a full link (http://host/present?...) or of a bare query string (with or without '?')."""
    text = text.strip()
    query = urlsplit(text).query if "://" in text else text.lstrip("?")
    return parse_qs(query, keep_blank_values=True)


def base_url_of(page_url: str, page_path: str = PRESENT_PATH) -> str:
    """The dashboard's address from the address of one of its pages (DEFAULT_BASE_URL when it is unknown)."""
    parts = urlsplit(page_url)
    if not parts.scheme or not parts.netloc:
        return DEFAULT_BASE_URL
    path = parts.path.rstrip("/")
    if path.endswith("/" + page_path):
        path = path[: -len(page_path) - 1]
    return f"{parts.scheme}://{parts.netloc}{path}"


def present_link(ds: Dataset, view: View, config: StorylineConfig, base_url: str = DEFAULT_BASE_URL,
                 slide: int | None = None) -> str:
    """The link that reproduces this view and storyline in presentation mode."""
    params = {**encode_view(ds, view), **encode_config(config)}
    if slide is not None and slide > 1:
        params[PARAM_SLIDE] = str(slide)
    query = urlencode(params)
    return f"{base_url.rstrip('/')}/{PRESENT_PATH}" + (f"?{query}" if query else "")


# --- Provenance: source lines and data versions ----------------------------------------------------------------
def source_line(manifest: Manifest, source_ids: Sequence[str]) -> str:
    """'Source: <citation> (licence: ...); ...' for the sources a slide uses, every licence exception named."""
    return provenance.source_line(manifest, source_ids, cite=True)


def data_versions(manifest: Manifest) -> list[str]:
    """One line per source (version, raw files with the first 12 hex digits of their sha256) and one for the build."""
    return provenance.data_versions(manifest)


def data_vintage(manifest: Manifest) -> str:
    """A short line for the title slide: the latest year of each emission source and the build date."""
    return provenance.data_vintage(manifest)


# --- The slide model -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Series:
    """One plotted series: x (years, dates or category labels) and y (None where no value), in the slide's unit."""

    name: str
    x: tuple
    y: tuple
    style: str = "solid"  # solid, dash, dot (lines); step, markers (dates); bar
    colour: str = charts.MEMBER
    colours: tuple[str, ...] = ()  # one per point (bars coloured by membership)


@dataclass(frozen=True, eq=False)
class Slide:
    key: str
    title: str
    subtitle: str  # the selection
    headline: str  # one number, as text (an analyst may have edited it)
    headline_label: str  # what the number is
    source: str  # citation and licence of every source used
    kind: str  # LINES, DATES, BARS or STACKED
    x_title: str
    y_title: str
    unit: str
    series: tuple[Series, ...]
    table: pd.DataFrame  # exactly the data plotted (tidy: one row per point, with unit and source)
    spec: dict  # the plotly figure as plain data (figure_spec)
    name: str  # file name stem
    summary: str  # text equivalent of the slide
    computed_headline: str = ""  # the headline as computed from the data (before an edit)

    @property
    def headline_edited(self) -> bool:
        return self.headline != self.computed_headline

    @property
    def has_data(self) -> bool:
        """Whether any point is plotted (a source may not report what a slide needs, e.g. OWID heavy industry)."""
        return any(y is not None for s in self.series for y in s.y)

    @cached_property
    def chart(self) -> charts.Chart:
        """The plotly figure with exactly the data it plots (built on first use: the app needs it, the packs not)."""
        return charts.Chart(figure(self.spec), self.table, self.name, self.summary)


@dataclass
class Context:
    """What the slide builders share: the data, the selection, one encoding of the emissions, the member set."""

    ds: Dataset
    view: View
    enc: Encoded
    members: AreaSet
    names: dict[str, str]
    _panels: dict = field(default_factory=dict)

    def panel(self, source: str, sector: str) -> pd.DataFrame:
        if (source, sector) not in self._panels:
            self._panels[(source, sector)] = panel_from(self.enc, source, sector)
        return self._panels[(source, sector)]

    @property
    def source_label(self) -> str:
        return self.view.source_label

    def selection(self, sector: str | None = HEAVY_INDUSTRY, source: str | None = None) -> str:
        parts = [SOURCE_LABELS.get(source or self.view.source, source or self.view.source)]
        if sector:
            parts.append(SECTOR_BY_CODE[sector].label.lower())
        parts += [f"base year {self.view.base_year}", f"net zero in {self.view.target_year}",
                  f"members: {MEMBER_DEFINITIONS[self.view.members].lower()} ({len(self.members.codes)} countries)"]
        return "; ".join(parts)


def member_set(ds: Dataset, view: View) -> AreaSet:
    """The member countries under the view's member definition (the app's rule: decarb.views.members_set)."""
    return members_set(ds, view)


def context(ds: Dataset, view: View) -> Context:
    names = dict(zip(ds.areas["iso3"], ds.areas["name"], strict=True))
    return Context(ds, view, encoded(ds.emissions), member_set(ds, view), names)


def _num(value: float | None) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)


def _fmt(value: float | None, digits: int = 0, suffix: str = "", signed: bool = False) -> str:
    if value is None or pd.isna(value):
        return "n/a"
    return f"{value:{'+' if signed else ''},.{digits}f}{suffix}"


@dataclass
class _Content:
    """What a builder computes; `build_slides` adds the title, overrides and the figure."""

    subtitle: str
    headline: str
    headline_label: str
    sources: tuple[str, ...]
    kind: str
    x_title: str
    y_title: str
    unit: str
    series: tuple[Series, ...]
    table: pd.DataFrame


def _member_series(ctx: Context, source: str, sector: str) -> pd.Series:
    """Members' sum per year, by decarb.selection's rule (the same as selection.series for the member set)."""
    table = ctx.panel(source, sector)
    values, _ = sum_areas(table, list(ctx.members.codes))
    out = pd.Series(values.to_numpy(dtype=float), index=pd.Index(values.index.astype(int), name="year"))
    out.attrs = {"unit": table.attrs.get("unit", "")}
    return out


def _pathway(ctx: Context) -> _Content:
    view = ctx.view
    s = _member_series(ctx, view.source, HEAVY_INDUSTRY)
    unit = s.attrs["unit"]
    parts = [pd.DataFrame({"series": "Observed", "kind": "observed", "year": s.index.astype(int),
                           "value": s.to_numpy(dtype=float)})]
    base_ok = view.base_year in s.index and s.loc[view.base_year] > 0 and view.target_year > view.base_year
    if base_ok:
        path = linear_pathway(view.base_year, float(s.loc[view.base_year]), view.target_year)
        parts.append(pd.DataFrame({"series": f"Straight line to net zero in {view.target_year}", "kind": "pathway",
                                   "year": path.index.astype(int), "value": path.to_numpy(dtype=float)}))
    year, _ = latest(s)
    if year is not None and view.target_year > year:
        years = list(range(year, view.target_year + 1))
        parts.append(pd.DataFrame({"series": "Current trend", "kind": "projection", "year": years,
                                   "value": [project(s, y) for y in years]}))
    table = pd.concat(parts, ignore_index=True).assign(unit=unit, source=ctx.source_label)
    styles = {"observed": ("solid", charts.MEMBER), "pathway": ("dash", "#009E73"),
              "projection": ("dot", "#AA7A00")}
    series = tuple(Series(name, tuple(int(y) for y in rows["year"]), tuple(_num(v) for v in rows["value"]),
                          *styles[rows["kind"].iloc[0]]) for name, rows in table.groupby("series", sort=False))
    change = change_since(s, view.base_year)
    return _Content(
        subtitle=ctx.selection(), headline=_fmt(change, 1, "%", signed=True),
        headline_label=(f"change in members' heavy-industry emissions, {view.base_year} to {year}" if year else
                        "no data for this selection"),
        sources=(view.source, LEADIT), kind=LINES, x_title="Year", y_title=f"Emissions ({unit})", unit=unit,
        series=series, table=table)


def _scoreboard(ctx: Context) -> _Content:
    """Each member country's row of the Progress scoreboard (heavy industry), by decarb.metrics.progress of its
    series: the scoreboard's rows equal progress() (tested there), and one sector of a few countries is far
    cheaper than the whole board."""
    view = ctx.view
    table = ctx.panel(view.source, HEAVY_INDUSTRY)
    rows = []
    for code in ctx.members.codes:
        values = table.loc[code].dropna() if code in table.index else pd.Series(dtype=float)
        p = progress(values, target_year=view.target_year, since_year=view.base_year)
        rows.append({"area": code, "area_name": ctx.names.get(code, code), "status": p["status"],
                     "latest_year": p["latest_year"], "latest_value": p["latest_value"],
                     "observed_rate_pct": p["observed_rate_pct"], "required_rate_pct": p["required_rate_pct"]})
    rows = pd.DataFrame(rows, columns=["area", "area_name", "status", "latest_year", "latest_value",
                                       "observed_rate_pct", "required_rate_pct"])
    assessed = rows[rows["status"] != NOT_ASSESSED].sort_values("latest_value", ascending=False, kind="stable")
    unit = "% per year"
    labels = [f"{a} ({s})" for a, s in zip(assessed["area_name"], assessed["status"], strict=True)]
    table = pd.DataFrame({
        "label": labels, "area": assessed["area_name"].to_numpy(), "iso3": assessed["area"].to_numpy(),
        "status": assessed["status"].to_numpy(), "latest_year": assessed["latest_year"].to_numpy(),
        "observed_rate_pct": assessed["observed_rate_pct"].to_numpy(dtype=float),
        "required_rate_pct": assessed["required_rate_pct"].to_numpy(dtype=float), "unit": unit,
        "source": ctx.source_label})
    series = (
        Series("Observed rate (last 5 years)", tuple(labels), tuple(_num(v) for v in table["observed_rate_pct"]),
               "bar", charts.MEMBER),
        Series(f"Required rate (net zero in {view.target_year})", tuple(labels),
               tuple(_num(v) for v in table["required_rate_pct"]), "bar", charts.WORLD),
    )
    on_track = int((table["status"] == ON_TRACK).sum())
    left_out = len(rows) - len(assessed)
    return _Content(
        subtitle=ctx.selection() + (f"; {left_out} not assessed (too little data)" if left_out else ""),
        headline=f"{on_track} of {len(table)}" if len(table) else "n/a",
        headline_label=("member countries whose heavy-industry emissions fall at least as fast as net zero in "
                        f"{view.target_year} requires"),
        sources=(view.source, LEADIT), kind=BARS, x_title="Annual rate of change (% per year; negative: a fall)",
        y_title="", unit=unit, series=series, table=table)


def _movers(ctx: Context) -> _Content:
    view = ctx.view
    table = ctx.panel(view.source, HEAVY_INDUSTRY)
    countries = set(ctx.ds.areas.loc[ctx.ds.areas["kind"] == "country", "iso3"])
    table = table[table.index.isin(countries)]
    unit = table.attrs.get("unit", "")
    year = int(table.columns.max()) if len(table.columns) else None
    if year is not None and view.base_year in table.columns and year > view.base_year:
        both = table[[view.base_year, year]].dropna()
        change = (both[year] - both[view.base_year]).sort_values()
    else:
        both, change = table.iloc[:0, :0], pd.Series(dtype=float)
    picked = pd.concat([change[change < 0].head(MOVERS_EACH_WAY), change[change > 0].tail(MOVERS_EACH_WAY)])
    span = f"{view.base_year}-{year if year is not None else 'latest'}"
    members = set(ctx.members.codes)
    names = [ctx.names.get(c, c) + (" (member)" if c in members else "") for c in picked.index]
    table_out = pd.DataFrame({
        "label": names, "area": [ctx.names.get(c, c) for c in picked.index], "iso3": picked.index.tolist(),
        "member": [c in members for c in picked.index], "base_year": view.base_year,
        "base_value": [float(both.loc[c, view.base_year]) for c in picked.index], "year": year,
        "latest_value": [float(both.loc[c, year]) for c in picked.index], "change": picked.to_numpy(dtype=float),
        "unit": unit, "source": ctx.source_label})
    colours = tuple(charts.MEMBER if m else charts.NON_MEMBER for m in table_out["member"])
    series = (Series(f"Change {span} ({unit})", tuple(names),
                     tuple(_num(v) for v in table_out["change"]), "bar", charts.MEMBER, colours),)
    if len(picked):
        top = picked.index[0] if abs(picked.iloc[0]) >= abs(picked.iloc[-1]) else picked.index[-1]
        headline = _fmt(float(picked.loc[top]), 0, f" {unit}", signed=True)
        label = f"{ctx.names.get(top, top)}: the largest change in heavy-industry emissions, {span}"
    else:
        headline, label = "n/a", f"no country has {view.source_label} data in {view.base_year} and a later year"
    return _Content(
        subtitle=(f"{ctx.selection()}; the {MOVERS_EACH_WAY} largest falls and rises among "
                  f"{len(change)} countries; blue: LeadIT members"),
        headline=headline, headline_label=label, sources=(view.source, LEADIT), kind=BARS,
        x_title=f"Change in heavy-industry emissions, {span} ({unit})", y_title="", unit=unit,
        series=series, table=table_out)


def _cement(ctx: Context) -> _Content:
    table = ctx.panel(OWID, CEMENT)
    unit = table.attrs.get("unit", "")
    year = int(table.columns.max()) if len(table.columns) else None
    values = table[year].reindex(list(ctx.members.codes)).dropna() if year else pd.Series(dtype=float)
    values = values.sort_values(ascending=False)
    world = float(table.loc["WLD", year]) if year and "WLD" in table.index else math.nan
    total = float(values.sum())
    share = 100 * total / world if world and not math.isnan(world) else math.nan
    labels = [ctx.names.get(c, c) for c in values.index]
    table_out = pd.DataFrame({"label": labels, "iso3": values.index.tolist(), "year": year,
                              "value": values.to_numpy(dtype=float), "unit": unit,
                              "source": SOURCE_LABELS[OWID]})
    series = (Series(f"Cement process CO2, {year} ({unit})", tuple(labels), tuple(_num(v) for v in values),
                     "bar", charts.MEMBER),)
    return _Content(
        subtitle=(f"{ctx.selection(None, OWID)}; process CO2 of cement only (not fuel burnt in kilns); "
                  f"{len(values)} member countries with data"),
        headline=_fmt(share, 1, "%"),
        headline_label=(f"of the world's cement process CO2 in {year} came from members "
                        f"({_fmt(total, 0)} of {_fmt(world, 0)} {unit})"),
        sources=(OWID, LEADIT), kind=BARS, x_title=f"Cement process CO2, {year} ({unit})", y_title="", unit=unit,
        series=series, table=table_out)


def _membership(ctx: Context) -> _Content:
    counts = member_counts(ctx.ds.members, ctx.ds.reported_counts)
    dates = [pd.Timestamp(d).date() for d in counts["date"]]
    parts, series = [], []
    specs = (("Countries", "countries", charts.PALETTE[0]), ("Companies", "companies", charts.PALETTE[1]))
    for label, column, colour in specs:
        named = counts[f"{column}_listed"].astype(float)
        reported = counts[f"{column}_reported"].astype("Float64")
        keep = reported.notna().to_numpy()
        parts.append(pd.DataFrame({"series": label, "kind": "named", "date": dates, "value": named.to_numpy(),
                                   "source": SOURCE_LABELS[LEADIT]}))
        parts.append(pd.DataFrame({"series": label, "kind": "reported",
                                   "date": [d for d, k in zip(dates, keep, strict=True) if k],
                                   "value": reported[keep].astype(float).to_numpy(),
                                   "source": "Reported counts (LeadIT or governments)"}))
        series.append(Series(f"{label}: named in the member list", tuple(dates), tuple(float(v) for v in named),
                             "step", colour))
        series.append(Series(f"{label}: reported count", tuple(dates),
                             tuple(None if pd.isna(v) else float(v) for v in reported), "markers", colour))
    table = pd.concat(parts, ignore_index=True).assign(unit="members")
    rc = ctx.ds.reported_counts.sort_values("date").iloc[-1]
    named_now = int(counts["total_listed"].iloc[-1])
    return _Content(
        subtitle=("Members named in the analysts' list (known join dates) and the counts reported at events; "
                  "the list is known to be incomplete"),
        headline=_fmt(float(rc["total"]), 0),
        headline_label=(f"members reported on {pd.Timestamp(rc['date']).date()} ({rc['event']}); "
                        f"{named_now} named with a join date in the member list"),
        sources=(LEADIT,), kind=DATES, x_title="Date", y_title="Members", unit="members", series=tuple(series),
        table=table)


def _targets(ctx: Context) -> _Content:
    own = target_years(ctx.ds)
    t = ctx.ds.targets
    rows = t[(t["actor_type"] == "country") & t["end_target"].isin(NET_ZERO_KINDS) & t["end_target_year"].notna()]
    status_of = {(c, int(y)): (s if isinstance(s, str) and s else NO_STATUS) for c, y, s in
                 zip(rows["iso3"], rows["end_target_year"], rows["end_target_status"], strict=True)}
    per_country = []
    for code in ctx.members.codes:
        if code in own.index:
            year = int(own.loc[code, "year"])
            per_country.append((code, str(year), status_of.get((code, year), NO_STATUS)))
        else:
            per_country.append((code, "No target", NO_TARGET))
    detail = pd.DataFrame(per_country, columns=["iso3", "category", "status"])
    years = sorted(c for c in detail["category"].unique() if c != "No target")
    categories = years + (["No target"] if (detail["category"] == "No target").any() else [])
    order = [s for s in TARGET_STATUSES if s in set(detail["status"])]
    order += sorted(s for s in set(detail["status"]) if s not in order and s != NO_TARGET)
    order += [NO_TARGET] if NO_TARGET in set(detail["status"]) else []
    table_rows = []
    for status in order:
        for category in categories:
            hits = detail[(detail["category"] == category) & (detail["status"] == status)]
            table_rows.append({"category": category, "status": status, "value": float(len(hits)),
                               "countries": ", ".join(ctx.names.get(c, c) for c in hits["iso3"])})
    table = pd.DataFrame(table_rows, columns=["category", "status", "value", "countries"]).assign(
        unit=UNIT_MEMBERS, source=SOURCE_LABELS[NET_ZERO_TRACKER])
    colours = {s: charts.colour_for(i) for i, s in enumerate(order)}
    colours[NO_TARGET] = charts.NON_MEMBER
    series = tuple(Series(status, tuple(categories), tuple(float(v) for v in table.loc[table["status"] == status,
                                                                                         "value"]),
                          "bar", colours[status]) for status in order)
    by_target = int(sum(1 for _, c, _ in per_country if c != "No target" and int(c) <= ctx.view.target_year))
    return _Content(
        subtitle=(f"{len(detail)} member countries ({MEMBER_DEFINITIONS[ctx.view.members].lower()}); end targets "
                  "of net zero or neutrality in the Net Zero Tracker, earliest year where a country has several"),
        headline=f"{by_target} of {len(detail)}",
        headline_label=f"member countries with a net-zero target year of {ctx.view.target_year} or earlier",
        sources=(NET_ZERO_TRACKER, LEADIT), kind=STACKED, x_title="Net-zero target year",
        y_title="Member countries", unit=UNIT_MEMBERS, series=series, table=table)


BUILDERS: dict[str, Callable[[Context], _Content]] = {
    "pathway": _pathway, "scoreboard": _scoreboard, "movers": _movers, "cement": _cement,
    "membership": _membership, "targets": _targets,
}


# --- Figures ---------------------------------------------------------------------------------------------------
SLIDE_FONT_SIZE = 18
DASHES = {"solid": "solid", "dash": "dash", "dot": "dot"}


def figure_spec(kind: str, series: Sequence[Series], x_title: str, y_title: str, unit: str, source: str,
                font_size: int = SLIDE_FONT_SIZE) -> dict:
    """The slide's plotly figure as plain JSON-ready data: large type, no title (the slide carries it), the palette
    of decarb.charts. Plain data, so the offline HTML and the command line never pay for plotly's validation;
    `figure()` wraps it as a go.Figure for the app."""
    traces = []
    category, value = ("y", "x") if kind == BARS else ("x", "y")
    for s in series:
        hover = f"<b>{s.name}</b><br>%{{{category}}}: %{{{value}:,.2f}} {unit}<extra></extra>"
        trace: dict = {"name": s.name, "hovertemplate": hover}
        if kind == LINES:
            trace.update(type="scatter", mode="lines", x=[int(x) for x in s.x], y=list(s.y),
                         line={"color": s.colour, "dash": DASHES.get(s.style, "solid"), "width": 4})
        elif kind == DATES:
            step = s.style == "step"
            trace.update(type="scatter", mode="lines+markers" if step else "markers", x=[str(d) for d in s.x],
                         y=list(s.y), line={"color": s.colour, "width": 3.5, "shape": "hv"},
                         marker={"symbol": "circle" if step else "diamond-open", "size": 9 if step else 16,
                                 "color": s.colour, "line": {"width": 3, "color": s.colour}})
        elif kind == BARS:
            trace.update(type="bar", orientation="h", x=list(s.y), y=[str(x) for x in s.x],
                         marker={"color": list(s.colours) if s.colours else s.colour})
        else:
            trace.update(type="bar", x=[str(x) for x in s.x], y=list(s.y), marker={"color": s.colour})
        traces.append(trace)
    grid = {"showgrid": True, "gridcolor": "#E5E5E5", "zeroline": True, "zerolinecolor": "#888888",
            "automargin": True}
    xaxis = {**grid, "title": {"text": x_title}} if x_title else dict(grid)
    yaxis = {**grid, "title": {"text": y_title}} if y_title else dict(grid)
    if kind == LINES:
        xaxis["tickformat"] = "d"
    if kind == DATES:
        xaxis["type"] = "date"
    if kind == BARS:
        yaxis.update(autorange="reversed", showgrid=False)
    if kind == STACKED:
        xaxis.update(type="category", showgrid=False)
    layout = {
        "font": {"family": charts.FONT, "size": font_size}, "margin": {"l": 20, "r": 30, "t": 30, "b": 20},
        "hovermode": "closest", "paper_bgcolor": "#FFFFFF", "plot_bgcolor": "#FFFFFF",
        "legend": {"orientation": "h", "x": 0, "xanchor": "left", "y": 1.02, "yanchor": "bottom",
                   "traceorder": "normal"},
        "showlegend": len(series) > 1, "barmode": "stack" if kind == STACKED else "group", "meta": {"source": source},
        "xaxis": xaxis, "yaxis": yaxis,
    }
    return {"data": traces, "layout": layout}


def figure(spec: dict) -> go.Figure:
    """A plotly Figure of a figure spec (validated by plotly), built from a private copy of the spec.

    Cached specs are shared by every session, and go.Figure briefly edits the dicts it is given (it takes each
    trace's type out and puts it back): two sessions building from one spec at once got exceptions or a bar
    chart drawn as a scatter (seen under load). A deep copy makes each build independent.
    """
    return go.Figure(copy.deepcopy(spec))


def summary_text(title: str, headline: str, label: str, kind: str, series: Sequence[Series]) -> str:
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
def build_slides(ds: Dataset, view: View, config: StorylineConfig = StorylineConfig()) -> list[Slide]:
    """The slides of the storyline for this selection, in the config's order, with its titles and headlines."""
    ctx = context(ds, view)
    slides = []
    for key in config.slides:
        content = BUILDERS[key](ctx)
        title = config.title(key)
        headline = config.headline(key) or content.headline
        source = source_line(ds.manifest, content.sources)
        spec = figure_spec(content.kind, content.series, content.x_title, content.y_title, content.unit, source)
        slides.append(Slide(key=key, title=title, subtitle=content.subtitle, headline=headline,
                            headline_label=content.headline_label, source=source, kind=content.kind,
                            x_title=content.x_title, y_title=content.y_title, unit=content.unit,
                            series=content.series, table=provenance.with_licence(content.table, ds.manifest),
                            spec=spec,
                            name=f"leadit-{key}-{view.source}-{view.base_year}-{view.target_year}",
                            summary=summary_text(title, headline, content.headline_label, content.kind,
                                                 content.series),
                            computed_headline=content.headline))
    return slides


def selection_text(ds: Dataset, view: View) -> str:
    """The selection in words, for the title slide."""
    members = member_set(ds, view)
    return (f"Emissions source: {view.source_label}. Base year {view.base_year}; net zero in {view.target_year}. "
            f"Members: {MEMBER_DEFINITIONS[view.members].lower()} ({len(members.codes)} countries).")


def plotted_values(series: Series) -> np.ndarray:
    """The y values of a series as floats (NaN where None), for comparisons."""
    return np.array([np.nan if v is None else float(v) for v in series.y], dtype=float)
