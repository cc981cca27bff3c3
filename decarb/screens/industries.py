"""Industries: one industry across countries, one country's industries, the members against the pathway, and
every source's series for one country side by side (decarb.industries computes; this module only frames it)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

import pandas as pd

from decarb import provenance, theme
from decarb.chartspec import ChartKind, ChartSpec, chart_spec
from decarb.contract import (
    ALL_GHG,
    EDGAR,
    GAS_SETS,
    INDUSTRIES,
    INDUSTRY_SOURCES,
    IRON_STEEL,
    SECTOR_BY_CODE,
    SOURCE_LABELS,
    UNFCCC,
    sectors_for,
)
from decarb.data import Dataset
from decarb.freshness import fresher_note, years_text
from decarb.industries import (
    CONTEXT,
    SAME_INDUSTRY,
    compare,
    covered_areas,
    fuel_and_process,
    member_series,
    source_series,
)
from decarb.metrics import progress
from decarb.screens.sectors import sector_ranking
from decarb.screens.shared import (
    country_names,
    observed_frame,
    pathway_frame,
    projection_frame,
    sector_label,
    with_milestones,
)
from decarb.selection import series
from decarb.view import MEMBER_DEFINITIONS, View, members_set

DEFAULT_INDUSTRY = INDUSTRIES[0]
DEFAULT_COUNTRY = "IND"  # the first question at a dialogue meeting: "how is India's steel doing?"
MEMBERS_LABEL = "LeadIT members"
SECTIONS = {"ranking": "Countries ranked", "country": "One country's industries", "sources": "Sources compared"}
PART_LABELS = {"fuel": "Fuel combustion (1.A.2)", "process": "Industrial processes (2)"}


def industry_view(view: View, source: str) -> View:
    """The global view with this page's own source: the industry sources are not among the global ones."""
    return replace(view, source=source)


def country_options(ds: Dataset) -> tuple[str, ...]:
    """Countries any industry source covers for any industry, by name (so a comparison can pick any of them)."""
    codes = {c for source in INDUSTRY_SOURCES for industry in INDUSTRIES for c in covered_areas(ds, source, industry)}
    a = ds.areas[ds.areas["iso3"].isin(codes) & (ds.areas["kind"] == "country")]
    return tuple(a.sort_values("name")["iso3"].tolist())


def industry_ranking(ds: Dataset, view: View, source: str, industry: str) -> ChartSpec | None:
    """Countries ranked by the industry's emissions in the source's latest year, members highlighted."""
    return sector_ranking(ds, industry_view(view, source), industry, "absolute")


def country_industries(ds: Dataset, source: str, iso3: str) -> ChartSpec:
    """One country's industries over time in one source (a line each)."""
    src, name = SOURCE_LABELS[source], country_names(ds).get(iso3, iso3)
    parts = []
    for industry in INDUSTRIES:
        values = series(ds, source, [iso3], industry)
        if not values.dropna().empty:
            parts.append(observed_frame(values, sector_label(industry), values.attrs["unit"], src))
    data = pd.concat(parts, ignore_index=True) if parts else observed_frame(pd.Series(dtype=float), "", "", src)
    unit = data["unit"].iloc[0] if len(data) else "Mt CO2e"
    shown = len(parts)
    return chart_spec(
        ChartKind.LINES,
        provenance.with_licence(data, ds.manifest),
        title=f"{name}: emissions by industry, {src}",
        subtitle=f"{shown} of {len(INDUSTRIES)} industries reported for {name}"
        if shown
        else f"{src} does not cover {name} for any industry",
        y_title=f"Emissions ({unit})",
        name=f"industries-{iso3}-{source}",
    )


def fuel_process_chart(ds: Dataset, iso3: str, industry: str) -> ChartSpec | None:
    """The inventory's fuel part against its process part for one country's industry (None: not reported)."""
    parts = fuel_and_process(ds, iso3, industry).dropna(subset=["value"])
    if parts.empty:
        return None
    src, name = SOURCE_LABELS[UNFCCC], country_names(ds).get(iso3, iso3)
    unit = series(ds, UNFCCC, [iso3], industry).attrs["unit"]
    data = pd.DataFrame(
        {
            "series": parts["part"].map(PART_LABELS) + " - " + parts["sector"].map(sector_label),
            "year": parts["year"].astype(int),
            "value": parts["value"].astype(float),
            "unit": unit,
            "source_label": src,
        }
    )
    return chart_spec(
        ChartKind.AREAS,
        provenance.with_licence(data, ds.manifest),
        title=f"{name}: {sector_label(industry).lower()}, fuel against process",
        subtitle="The party's own inventory, stacked: fuel burnt in the industry (1.A.2) and its process "
        "emissions (2.A-2.C)",
        y_title=f"Emissions ({unit})",
        name=f"fuel-process-{iso3}-{industry}",
    )


@dataclass(frozen=True, eq=False)
class MemberPathway:
    chart: ChartSpec
    progress: dict
    covered: int  # member countries the source reports for the industry
    missing: tuple[str, ...]  # member countries it does not cover (named, never silently fewer)
    base_year: int | None  # the pathway's start: the view's base year, else the source's first year
    coverage: str  # which members the source does not cover, in words


def member_pathway(ds: Dataset, view: View, source: str, industry: str) -> MemberPathway:
    """The members' sum of the industry against the straight line to net zero, with the status rule's verdict."""
    aset = members_set(ds, view)
    values, missing = member_series(ds, source, industry, aset)
    src = SOURCE_LABELS[source]
    unit = values.attrs.get("unit", "Mt CO2e")
    known = values.dropna()
    base = view.base_year if view.base_year in known.index else (int(known.index.min()) if len(known) else None)
    p = progress(values, target_year=view.target_year, since_year=base if base is not None else view.base_year)
    data = pd.concat(
        [
            observed_frame(values, MEMBERS_LABEL, unit, src),
            pathway_frame(values, base, view.target_year, MEMBERS_LABEL, unit, src)
            if base is not None
            else observed_frame(values.iloc[:0], MEMBERS_LABEL, unit, src, kind="pathway"),
            projection_frame(values, view.target_year, MEMBERS_LABEL, unit, src),
        ],
        ignore_index=True,
    )
    start = (
        ""
        if base is None
        else (
            f"straight line from {base}"
            + ("" if base == view.base_year else f" (the source's first year; it has no {view.base_year})")
        )
    )
    chart = chart_spec(
        ChartKind.LINES,
        provenance.with_licence(data, ds.manifest),
        title=f"LeadIT members' {sector_label(industry).lower()} emissions and the pathway to net zero",
        subtitle=(
            f"{len(aset.codes) - len(missing)} of {len(aset.codes)} member countries "
            f"({MEMBER_DEFINITIONS[view.members].lower()}); {src} data {years_text(known.index.to_numpy())}; "
            f"{start} to net zero in {view.target_year}; dotted: current trend"
            + (f". {fresher}" if (fresher := fresher_note(ds, source, industry)) else "")
        ),
        y_title=f"Emissions ({unit})",
        name=f"members-{industry}-{source}",
        colours={MEMBERS_LABEL: theme.MEMBER},
    )
    chart = with_milestones(chart, ds, view)  # as on the Overview's pathway: the same years, the same marks
    covered = len(aset.codes) - len(missing)
    return MemberPathway(chart, p, covered, tuple(missing), base, coverage_text(ds, source, industry, covered, missing))


def coverage_text(ds: Dataset, source: str, industry: str, covered: int, missing: list[str]) -> str:
    """Which members the source does not cover for the industry, in words."""
    src, label = SOURCE_LABELS[source], sector_label(industry).lower()
    if not missing:
        return f"{src} covers all {covered} member countries for {label}."
    names = country_names(ds)
    return (
        f"{src} does not cover {len(missing)} member countries for {label}: "
        f"{', '.join(names.get(c, c) for c in missing)}. The members' figures are the sum of the other "
        f"{covered}."
    )


def legend_name(source: str, sector: str, role: str) -> str:
    """A short legend entry naming the source and its scope; the full scope is in the chart's data (CSV)."""
    codes = " + ".join(sector_code(source, part) for part in sectors_for(sector, source))
    scope = f"{SOURCE_LABELS[source].split(' (')[0]}: {sector_label(sector).split(' (')[0].lower()} ({codes})"
    return scope if role == SAME_INDUSTRY else f"Context, not the industry - {scope}"


def sector_code(source: str, sector: str) -> str:
    """The source's own name for a stored sector, from the vocabulary's note: the inventories' category codes
    ("UNFCCC 1.A.2.e + 1.A.2.g (food, ...)."), the other sources' quoted names ("EDGAR 'Processes'")."""
    note = SECTOR_BY_CODE[sector].note
    if source == UNFCCC:
        found = re.search(r"UNFCCC ([0-9][^ ():]*(?: \+ [0-9][^ ():]*)*)", note)
        return found.group(1).rstrip(".") if found else sector_label(sector).lower()
    quoted = re.findall(r"'([^']+)'", note)
    named = ", ".join(dict.fromkeys(quoted)) if quoted else sector_label(sector).lower()
    return named + OWN_NAME_EXCEPT.get((source, sector), "")


# Where a stored sector is less than the source's own sector of that name: said in the legend beside the name.
OWN_NAME_EXCEPT: dict[tuple[str, str], str] = {(EDGAR, "industrial_processes"): " without F-gases"}


def sources_chart(ds: Dataset, iso3: str, industry: str, gas_set: str = ALL_GHG) -> ChartSpec:
    """Every source's series for one country and industry on one chart, each with its scope in the legend.

    Context series (a whole that contains the industry, or cement's process part) are shown from the first year
    an industry series has: EDGAR's from 1970 squeezed the industry's own lines into the bottom of the chart.
    """
    long = source_series(ds, iso3, industry, gas_set)
    same = long[long["role"] == SAME_INDUSTRY]
    if len(same):
        long = long[(long["role"] == SAME_INDUSTRY) | (long["year"] >= same["year"].min())]
    name = country_names(ds).get(iso3, iso3)
    data = pd.DataFrame(
        {
            "series": [
                legend_name(s, sec, r) for s, sec, r in zip(long["source"], long["sector"], long["role"], strict=True)
            ],
            "kind": "observed",
            "year": long["year"].astype(int),
            "value": long["value"].astype(float),
            "unit": long["unit"],
            "source_label": long["source"].map(SOURCE_LABELS),
            "scope": long["scope"],
        }
    )
    units = " / ".join(dict.fromkeys(long["unit"])) or "Mt CO2e"
    return chart_spec(
        ChartKind.LINES,
        provenance.with_licence(data, ds.manifest),
        title=f"{name}: {sector_label(industry).lower()}, sources compared",
        subtitle=f"{GAS_SETS[gas_set]}; every source that reports it; the full scopes are in the data table",
        y_title=f"Emissions ({units})",
        name=f"sources-{iso3}-{industry}-{gas_set}",
    )


def comparison_table(ds: Dataset, iso3: str, industry: str, gas_set: str = ALL_GHG) -> tuple[pd.DataFrame, dict]:
    """decarb.industries.compare with readable columns (the table shown and exported) and its info, with `note`
    (comparison_note) in words."""
    rows, info = compare(ds, iso3, industry, gas_set)
    info = {**info, "note": comparison_note(info)}
    # Shown: each row named as in the chart's legend (source and scope in a few words), so the table fits a
    # laptop without scrolling sideways; the source's full label and scope are hidden columns of the CSV.
    table = pd.DataFrame(
        {
            "Series": [legend_name(source, industry, SAME_INDUSTRY) for source in rows["source"]],
            "Year": rows["year"],
            "Value": rows["value"],
            "Unit": rows["unit"],
            "Difference": rows["difference"],
            "Difference (%)": rows["difference_pct"],
            "Source": rows["source"].map(SOURCE_LABELS),
            "Scope": rows["scope"],
        }
    )
    return table, info


# How the comparison table shows its columns (Streamlit's column settings as plain mappings: this module stays
# free of Streamlit): two decimals of a Mt and signed differences (the CSV keeps them unrounded); the full
# source label and scope only in the CSV.
COMPARISON_COLUMNS: dict[str, dict | None] = {
    **{
        column: {"type_config": {"type": "number", "format": fmt}}
        for column, fmt in (("Value", "%.2f"), ("Difference", "%+.2f"), ("Difference (%)", "%+.1f%%"))
    },
    "Source": None,
    "Scope": None,
}


def comparison_note(info: dict) -> str:
    """Why the values may differ, and which sources have nothing for this country, in words."""
    absent = [SOURCE_LABELS[s] for s in info["absent"]]
    parts = [] if not absent else [f"No data for this country and industry in: {', '.join(absent)}."]
    present, years = info.get("present", []), info.get("years", {})
    if len(present) == 1:
        own = years.get((present[0], SAME_INDUSTRY), [])
        parts.append(
            f"Only {SOURCE_LABELS[present[0]]} reports this industry for this country ({year_span(own)}): "
            "no second source to take a difference from."
        )
        for (source, role), context in years.items():
            shared = sorted(set(own) & set(context))
            if role == CONTEXT and shared:
                parts.append(
                    f"{SOURCE_LABELS[source]} overlaps it in {year_span(shared)} but is context, not the industry: "
                    "no difference is computed with it."
                )
    elif info["year"] is None and present:
        parts.append("The sources share no year for this country and industry: no difference to show.")
    return " ".join(parts + info["why"])


def steel_link(
    industry: str, country: str | None, countries_with_plants: tuple[str, ...], names: Mapping[str, str]
) -> tuple[str, dict[str, str]] | None:
    """The Steel page's link for iron and steel, (label, link parameters); None for another industry. The
    country shown where it has plants in the tracker, else the member countries (the Steel page's default)."""
    if industry != IRON_STEEL:
        return None
    whose = names.get(country, country) if country in countries_with_plants else "the LeadIT member countries"
    params = {"of": country} if country in countries_with_plants else {}
    return f"Steel plant by plant, for {whose}: capacity, pipeline, blast furnaces due for relining", params


def year_span(years: list[int]) -> str:
    """Years as a reader says them: "2015-2022" when unbroken, else each run ("1990-1995, 2000-2019")."""
    if not years:
        return "no year"
    runs: list[list[int]] = []
    for year in sorted(years):
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(f"{run[0]}-{run[-1]}" if len(run) > 1 else f"{run[0]}" for run in runs)
