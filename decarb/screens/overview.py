"""Overview: LeadIT at a glance, and members' heavy-industry emissions against the pathway to net zero."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from decarb import charts, exports, provenance, theme
from decarb.charts import Chart
from decarb.contract import CONFIRMED, HEAVY_INDUSTRY
from decarb.data import Dataset
from decarb.metrics import NOT_ASSESSED, ON_TRACK, progress, progress_rows
from decarb.screens.shared import (
    HOW_LABELS,
    country_names,
    number_text,
    observed_frame,
    pathway_frame,
    projection_frame,
    sector_label,
    with_milestones,
)
from decarb.selection import area_set, panel, series
from decarb.view import MEMBER_DEFINITIONS, View, members_set

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
    chart: Chart
    member_note: str


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
    (decarb.metrics.progress_rows: a Series and a fit per country were 7% of a loaded server's time)."""
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


def overview(ds: Dataset, view: View) -> Overview:
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
    reported = (
        f"{int(rc['countries'])} countries and {int(rc['companies'])} companies reported on "
        f"{pd.Timestamp(rc['date']).date()} ({rc['event']})"
    )
    data = pd.concat(
        [
            observed_frame(s, MEMBERS_LABEL, unit, src),
            pathway_frame(s, view.base_year, view.target_year, MEMBERS_LABEL, unit, src),
            projection_frame(s, view.target_year, MEMBERS_LABEL, unit, src),
        ],
        ignore_index=True,
    )
    chart = charts.line_chart(
        exports.with_selection(
            provenance.with_licence(data, ds.manifest),
            sector=sector_label(sector),
            normalisation=HOW_LABELS["absolute"],
        ),
        title="LeadIT members' heavy-industry emissions and the pathway to net zero",
        subtitle=(
            f"{len(aset.codes)} member countries ({MEMBER_DEFINITIONS[view.members].lower()}); "
            f"straight line from {view.base_year} to net zero in {view.target_year}; dotted: current trend"
        ),
        y_title=f"Emissions ({unit})",
        name="overview-members-heavy-industry",
        colours={MEMBERS_LABEL: theme.MEMBER},
        height=theme.FEATURE_HEIGHT,
    )
    chart = with_milestones(chart, ds, view)
    return Overview(
        countries=int(((m["member_type"] == "country") & m["iso3"].isin(aset.codes)).sum()),
        companies=int((m["member_type"] == "company").sum()),
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
    )


def overview_headlines(o: Overview, view: View) -> list[tuple[str, str, str | None]]:
    """Six short numbers, two rows of three: long values were cut off ("14 count...") beside four others."""
    listed = f"Named in the member list ({o.unverified} unverified). Reported: {o.reported}."
    return [
        ("Member countries", f"{o.countries}", listed),
        ("Member companies", f"{o.companies}", listed),
        (
            "Member countries on track",
            f"{o.on_track} of {o.assessed}",
            "Countries whose recent annual rate of change meets the rate required to reach net zero in "
            f"{view.target_year} (heavy industry; status rule in Data and method).",
        ),
        (f"Members' heavy industry {o.latest_year}", f"{number_text(o.members_value, 0)} {o.unit}", o.member_note),
        (
            "Share of the world",
            number_text(o.world_share_pct, 1, "%"),
            "Members' heavy industry / world heavy industry.",
        ),
        (
            f"Change since {view.base_year}",
            number_text(o.change_pct, 1, "%", signed=True),
            "Latest year vs the base year.",
        ),
    ]
