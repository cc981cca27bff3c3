"""Sectors: countries ranked, a world map of change since the base year, members vs non-members vs world."""

from __future__ import annotations

import pandas as pd

from decarb import provenance, theme
from decarb.chartspec import ChartKind, ChartSpec, chart_spec
from decarb.data import Dataset
from decarb.freshness import fresher_note, years_text
from decarb.metrics import panel_change, percent_change
from decarb.normalise import from_window, normalise
from decarb.screens.shared import (
    HOW_LABELS,
    chart_rows,
    country_names,
    how_words,
    observed_frame,
    sector_label,
    value_title,
    window_note,
    with_milestones,
)
from decarb.selection import area_set, non_members_of, panel, series
from decarb.view import MEMBER_DEFINITIONS, View, members_set

RANK_TOP = 20


def sector_ranking(ds: Dataset, view: View, sector: str, how: str) -> ChartSpec | None:
    """Countries ranked by `how` in the latest year: the top RANK_TOP plus every member below them."""
    table = panel(ds, view.source, sector)
    countries = ds.areas.loc[ds.areas["kind"] == "country", "iso3"]
    table = table[table.index.isin(countries)]
    if table.empty:
        return None
    values = normalise(table, how, ds=ds, areas=list(table.index), base_year=view.base_year)
    unit = values.attrs.get("unit", "")
    # The latest year the ranked measure has values in (GDP ends a year before the emissions): never an empty bar.
    filled = [int(y) for y in values.columns if values[y].notna().any()]
    if not filled:
        return None
    year = max(filled)
    latest = values[year].dropna().sort_values(ascending=False)
    members = set(members_set(ds, view).codes)
    names = country_names(ds)
    ranked = pd.DataFrame({"rank": range(1, len(latest) + 1), "iso3": latest.index, "value": latest.to_numpy()})
    ranked["member"] = ranked["iso3"].isin(members)
    shown = ranked[(ranked["rank"] <= RANK_TOP) | ranked["member"]].copy()
    shown.insert(1, "area_name", shown["iso3"].map(names))
    shown["year"], shown["unit"], shown["source_label"] = year, unit, view.source_label
    last = int(table.columns.max())
    divisor = {"per_capita": "population", "per_gdp": "GDP"}.get(how, "the world total")
    earlier = f" ({divisor} has no value for {last} yet)" if year < last else ""
    return chart_spec(
        ChartKind.RANKING,
        chart_rows(ds, shown, view.source, sector, how),
        title=f"{sector_label(sector)}: countries ranked, {year}",
        subtitle=f"{HOW_LABELS[how]}{earlier}; top {RANK_TOP} of {len(ranked)} countries plus every member",
        x_title=value_title(how, unit, view.base_year),
        name=f"ranking-{sector}-{how}-{year}",
    )


def sector_change_map(ds: Dataset, view: View, sector: str) -> ChartSpec | None:
    """World map of the % change from the base year to the latest year, per country."""
    table = panel(ds, view.source, sector)
    countries = ds.areas.loc[ds.areas["kind"] == "country", "iso3"]
    table = table[table.index.isin(countries)]
    year, values = panel_change(table, view.base_year)
    if year is None:
        return None
    change = percent_change(values)
    members = set(members_set(ds, view).codes)
    names = country_names(ds)
    data = pd.DataFrame(
        {
            "iso3": change.index,
            "area_name": change.index.map(names),
            "value": change.to_numpy(),
            "base_year": view.base_year,
            "year": year,
            "unit": "% change",
            "source_label": view.source_label,
        }
    )
    data["member"] = data["iso3"].isin(members)
    return chart_spec(
        ChartKind.WORLD_MAP,
        provenance.with_licence(data, ds.manifest),
        title=f"{sector_label(sector)}: change {view.base_year}-{year}",
        subtitle="Colour scale capped at the 95th percentile",
        colour_title="% change",
        name=f"map-change-{sector}-{view.base_year}-{year}",
    )


def group_comparison(ds: Dataset, view: View, sector: str, how: str) -> ChartSpec:
    """Members vs non-members vs world over time (absolute or index)."""
    groups = [
        ("LeadIT members", members_set(ds, view), theme.MEMBER),
        ("Non-members", area_set(ds, "non_members"), theme.NON_MEMBER),
        ("World", area_set(ds, "world"), theme.WORLD),
    ]
    if view.members != "confirmed":  # non-members are the complement of the chosen member set
        groups[1] = ("Non-members", non_members_of(ds, groups[0][1]), theme.NON_MEMBER)
    parts, unit, missing = [], "", []
    for label, aset, _ in groups:
        s = series(ds, view.source, aset, sector)
        try:
            values = from_window(normalise(s, how, ds=ds, areas=aset, base_year=view.base_year), how, view.base_year)
        except ValueError:  # no value in the base year (e.g. an incomplete year, dropped): nothing to index on
            missing.append(label)
            continue
        unit = values.attrs.get("unit", unit)
        parts.append(observed_frame(values, label, unit, view.source_label))
    data = pd.concat(parts, ignore_index=True)
    gap = f"; not shown, no complete value in {view.base_year}: {', '.join(missing)}" if missing else ""
    chart = chart_spec(
        ChartKind.LINES,
        chart_rows(ds, data, view.source, sector, how),
        title=f"{sector_label(sector)}: members, non-members and the world",
        subtitle="; ".join(
            part
            for part in (
                how_words(how, view.base_year).capitalize() if how == "index" else HOW_LABELS[how],
                window_note(how, view.base_year),
                f"members: {MEMBER_DEFINITIONS[view.members].lower()}{gap}",
                f"{view.source_label} data {years_text(data['year'])}",
                fresher_note(ds, view.source, sector),
            )
            if part
        ),
        y_title=value_title(how, unit, view.base_year),
        name=f"groups-{sector}-{how}",
        colours={label: colour for label, _, colour in groups},
    )
    return with_milestones(chart, ds, view)
