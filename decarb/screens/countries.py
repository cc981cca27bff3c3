"""Countries: one or several countries over time, with pathways to net zero and their own targets."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from decarb import provenance, theme
from decarb.chartspec import ChartKind, ChartSpec, chart_spec
from decarb.contract import (
    LEADIT,
    NET_ZERO_TRACKER,
    SOURCE_LABELS,
    SOURCE_SCOPE,
    TOTAL,
    sector_label_for,
    sectors_for,
)
from decarb.data import Dataset
from decarb.freshness import fresher_note, years_text
from decarb.milestones import join_markers
from decarb.normalise import from_window, normalise
from decarb.pathways import target_years
from decarb.screens.shared import (
    chart_rows,
    country_names,
    how_words,
    observed_frame,
    observed_rows,
    pathway_rows,
    sector_label,
    tidy_frame,
    value_title,
    window_note,
)
from decarb.selection import series
from decarb.targets import TargetChanges, snapshot_dates, target_changes
from decarb.view import View, members_set

MAX_PATHWAYS = 6  # more dashed lines than this make the chart unreadable


def country_options(ds: Dataset, source: str) -> list[str]:
    """Countries (and the EU27/world aggregates) the source reports, by name."""
    em = ds.emissions
    reported = set(em.loc[em["source"] == source, "iso3"].unique().tolist())
    a = ds.areas[ds.areas["iso3"].isin(reported) & ds.areas["kind"].isin(["country", "aggregate"])]
    return a.sort_values("name")["iso3"].tolist()


def member_country_options(ds: Dataset, view: View) -> tuple[str, ...]:
    """The member countries (view's member definition) the view's source reports, by display name (the picker's
    chips and the legend read alphabetically): the Countries default."""
    reported = set(country_options(ds, view.source))
    names = country_names(ds)
    return tuple(sorted((c for c in members_set(ds, view).codes if c in reported), key=lambda c: names.get(c, c)))


@dataclass(frozen=True)
class _CountryRows:
    data: pd.DataFrame  # the chart's rows: observed, pathways, targets (line_chart's columns, with note)
    points: pd.DataFrame  # iso3, year, value of each line (where join stars go)
    unit: str
    left_out: list[str]  # countries named, not drawn


def _country_rows(ds: Dataset, view: View, codes: tuple[str, ...], sector: str, how: str) -> _CountryRows:
    """Each country's normalised line, its pathway (up to MAX_PATHWAYS countries) and its own net-zero target."""
    names = country_names(ds)
    members = set(members_set(ds, view).codes)
    own_targets = target_years(ds)
    src = view.source_label
    parts, targets, unit, left_out, points = [], [], "", [], []
    for code in codes:
        raw = series(ds, view.source, [code], sector)
        reported = raw.dropna()
        if reported.empty or (how == "index" and view.base_year not in reported.index):
            # An index needs the base year's value: a country without it is named, never drawn from another year.
            left_out.append(names.get(code, code))
            continue
        values = from_window(normalise(raw, how, ds=ds, areas=[code], base_year=view.base_year), how, view.base_year)
        unit = values.attrs.get("unit", unit)
        points.append(
            {
                "iso3": np.full(len(values), code, dtype=object),
                "year": values.index.to_numpy(dtype=int),
                "value": values.to_numpy(dtype=float),
            }
        )
        name, member = names.get(code, code), code in members
        parts.append(observed_rows(values, name, unit, src, member))
        if len(codes) <= MAX_PATHWAYS:
            parts.append(pathway_rows(values, view.base_year, view.target_year, name, unit, src, member))
        if code in own_targets.index and how != "share_of_world":
            targets.append(
                {
                    "series": name,
                    "kind": "target",
                    "year": int(own_targets.loc[code, "year"]),
                    "value": 0.0,
                    "unit": unit,
                    "source_label": SOURCE_LABELS[NET_ZERO_TRACKER],
                    "member": member,
                    "note": str(own_targets.loc[code, "note"]),
                }
            )
    # All parts share their columns, and the targets are one frame: concat then has a single column set to align.
    columns = ["series", "kind", "year", "value", "unit", "source_label", "member"]
    data = pd.concat(
        [
            tidy_frame(parts) if parts else pd.DataFrame(columns=columns),
            pd.DataFrame(targets, columns=[*columns, "note"]),
        ],
        ignore_index=True,
    )
    data["note"] = data["note"].fillna("")
    drawn = tidy_frame(points).dropna(subset=["value"]) if points else pd.DataFrame(columns=["iso3", "year", "value"])
    return _CountryRows(data, drawn, unit, left_out)


def _years_drawn(data: pd.DataFrame, view: View, countries: int) -> tuple[int, int] | None:
    """The axis's years: from the first drawn to the pathways' target year (without pathways, the data's last).
    Targets after it (such as 2070) stretched it by 20 years of empty plot: they are named in words instead."""
    drawn = data.loc[data["kind"] != "target", "year"]
    if not len(drawn):
        return None
    last = int(drawn.max())
    return int(drawn.min()), max(view.target_year, last) if countries <= MAX_PATHWAYS else last


def _countries_subtitle(
    ds: Dataset, view: View, rows: _CountryRows, codes: tuple[str, ...], sector: str, how: str, end: int
) -> str:
    """Which countries, how they are shown, what is left out or named instead of drawn, and the data's years."""
    names, data = country_names(ds), rows.data
    shown = ", ".join(names.get(c, c) for c in codes[:6]) + (f" and {len(codes) - 6} more" if len(codes) > 6 else "")
    path_note = (
        f"dashed: straight line from {view.base_year} to net zero in {view.target_year}"
        if len(codes) <= MAX_PATHWAYS
        else f"pathways shown for up to {MAX_PATHWAYS} countries"
    )
    missing = (
        f"; no value{' in ' + str(view.base_year) if how == 'index' else ''} for {', '.join(rows.left_out)}"
        if rows.left_out
        else ""
    )
    # Beyond the palette the chart writes each target year in the legend, not as a diamond (charts.line_chart).
    many = data["series"].nunique() > len(theme.PALETTE)
    later = data[(data["kind"] == "target") & (data["year"] > end)].sort_values(["year", "series"])
    later_note = (
        f"net-zero targets after {end}, not drawn: " + ", ".join(f"{r.series} {r.year}" for r in later.itertuples())
        if len(later) and not many
        else ""
    )
    targets_note = "in brackets: net-zero target year" if many else "diamonds: net-zero target year"
    parts = (
        shown,
        window_note(how, view.base_year),
        path_note,
        f"{targets_note} (Net Zero Tracker){missing}",
        later_note,
        f"{view.source_label} data {years_text(data.loc[data['kind'] == 'observed', 'year'])}",
        fresher_note(ds, view.source, sector),
    )
    return "; ".join(part for part in parts if part)


def countries_chart(ds: Dataset, view: View, codes: tuple[str, ...], sector: str, how: str) -> ChartSpec:
    """Lines per country, normalised by `how`, with pathways to net zero (dashed) and Net Zero Tracker
    targets (diamonds on the zero line) where a country has one."""
    rows = _country_rows(ds, view, codes, sector, how)
    years = _years_drawn(rows.data, view, len(codes))
    chart = chart_spec(
        ChartKind.LINES,
        chart_rows(ds, rows.data, view.source, sector, how),
        title=f"{sector_label(sector)}: {how_words(how, view.base_year)}",
        subtitle=_countries_subtitle(ds, view, rows, codes, sector, how, years[1] if years else view.target_year),
        y_title=value_title(how, rows.unit, view.base_year),
        name=f"countries-{sector}-{how}",
        x_range=years,
    )
    return with_join_dates(chart, ds, view, rows.points)


def with_join_dates(chart: ChartSpec, ds: Dataset, view: View, points: pd.DataFrame) -> ChartSpec:
    """A star at each member country's join year on its line (unless the view hides milestones); the member
    countries that cannot be placed (no join date, no value that year) are named in the text equivalent."""
    if not view.milestones:
        return chart
    marked, unplaced = join_markers(ds.members, points)
    names = country_names(ds)
    note = "; ".join(f"{names.get(row.iso3, row.member)} ({row.reason})" for row in unplaced.itertuples())
    stars = "Stars: year each member country joined LeadIT (open star: unverified)."
    return replace(chart, data=with_join_rows(chart.data, ds, marked, names), join_stars=marked).noted(
        f"{stars[:-1]}. Not marked: {note}." if note else stars
    )


def with_join_rows(data: pd.DataFrame, ds: Dataset, marked: pd.DataFrame, names: Mapping[str, str]) -> pd.DataFrame:
    """The chart's rows and a row per join star drawn (kind "joined LeadIT": the country's value that year, the
    join date and status in `note`, the member list as source), so the CSV holds every point of the chart."""
    if marked.empty:
        return data
    series = marked["iso3"].map(names).fillna(marked["iso3"])
    observed = data[data["kind"] == "observed"].drop_duplicates("series").set_index("series")
    stars = pd.DataFrame(
        {
            "series": series,
            "kind": "joined LeadIT",
            "year": marked["year"].astype(int),
            "value": marked["value"].astype(float),
            "unit": series.map(observed["unit"]) if "unit" in observed else "",
            "source_label": SOURCE_LABELS[LEADIT],
            "note": [
                f"{status}; joined on {pd.Timestamp(day).date()}"
                for status, day in zip(marked["status"], marked["joined_on"], strict=True)
            ],
        }
    )
    for column in ("sector", "sector_definition", "normalisation", "divisor_source", "divisor_licence"):
        if column in data.columns:
            stars[column] = data[column].iloc[0]
    stars["member"] = True
    stars = provenance.with_licence(stars, ds.manifest)
    return pd.concat([data, stars[[c for c in data.columns if c in stars.columns]]], ignore_index=True)


def sector_breakdown(ds: Dataset, view: View, code: str, sector: str) -> ChartSpec:
    """Stacked areas of the stored sectors making up `sector` (or all sectors when it is a single one)."""
    leaves = sectors_for(sector, view.source)
    # A single stored sector is shown within the widest whole its source answers (heavy industry for the
    # industry sources, which have no "all sectors").
    whole = sector if len(leaves) > 1 else SOURCE_SCOPE.get(view.source, TOTAL)
    leaves = sectors_for(whole, view.source)
    src, name = view.source_label, country_names(ds).get(code, code)
    parts = []
    for leaf in leaves:
        s = series(ds, view.source, [code], leaf)
        if s.dropna().empty:
            continue
        frame = observed_frame(s, sector_label_for(leaf, view.source), s.attrs.get("unit", "Mt CO2e"), src)
        parts.append(frame.drop(columns=["kind"]))
    data = (
        pd.concat(parts, ignore_index=True)
        if parts
        else pd.DataFrame(columns=["series", "year", "value", "unit", "source_label"])
    )
    unit = data["unit"].iloc[0] if len(data) else "Mt CO2e"
    return chart_spec(
        ChartKind.AREAS,
        provenance.with_licence(data, ds.manifest),
        title=f"{name}: {sector_label(whole).lower()} by sector",
        subtitle=f"Parts reported by {src}, stacked",
        y_title=f"Emissions ({unit})",
        name=f"breakdown-{code}-{whole}",
    )


TARGET_COLUMNS: dict[str, str] = {  # Net Zero Tracker field -> header, with its unit
    "name": "Country",
    "end_target": "Long-term target",
    "end_target_year": "Target year",
    "end_target_status": "Target status",
    "end_target_snapshot": "Target as of (release)",
    "end_target_status_updated": "Status last changed (year)",
    "interim_target": "Interim target",
    "interim_target_year": "Interim target year",
    "interim_target_percentage_reduction": "Interim cut (%)",
    "interim_target_baseline_year": "Interim cut from (year)",
    "source_url": "Source document",
    "iso3": "Code",
}


def target_table(ds: Dataset, codes: tuple[str, ...]) -> pd.DataFrame:
    """Net Zero Tracker end targets of the selected countries (where the tracker has one), with readable headers."""
    t = ds.targets
    rows = t[(t["actor_type"] == "country") & t["iso3"].isin(codes)]
    return rows[list(TARGET_COLUMNS)].rename(columns=TARGET_COLUMNS).reset_index(drop=True)


def targets_heading(ds: Dataset) -> str:
    """The targets section's heading, naming the release its end targets come from."""
    _, newest = snapshot_dates(ds)
    return f"Net-zero targets (Net Zero Tracker, end targets as of {newest})" if newest else "Net-zero targets"


def changed_targets(ds: Dataset, view: View) -> TargetChanges:
    """Countries whose end target changed since the earlier release, the view's members first."""
    return target_changes(ds, set(members_set(ds, view).codes), country_names(ds))


@dataclass(frozen=True)
class ChangedTargetsSection:
    """The changed-targets section as the page shows it: made once per view, so a rerun derives nothing."""

    heading: str
    summary: str
    table: pd.DataFrame  # the rows shown and downloaded (without the iso3 key)


def changed_targets_section(ds: Dataset, view: View) -> ChangedTargetsSection:
    changes = changed_targets(ds, view)
    return ChangedTargetsSection(
        heading=f"Targets changed since the {changes.earlier} snapshot",
        summary=changes.summary(),
        table=changes.table.drop(columns="iso3"),
    )
