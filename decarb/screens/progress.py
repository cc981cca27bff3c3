"""Progress: the scoreboard (area x sector) with status, and the required vs observed annual rate."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from decarb import charts, provenance
from decarb.charts import Chart
from decarb.contract import INDUSTRIES, SOURCE_LABELS
from decarb.data import Dataset
from decarb.scoreboard import scoreboard
from decarb.view import View, members_set, needs_industry_source

AREA_FILTERS: dict[str, str] = {
    "groups_members": "Groups and member countries",
    "members": "Member countries",
    "groups": "Groups",
    "countries": "All countries",
    "all": "Everything",
}
SCORE_COLUMNS: dict[str, str] = {
    "area_name": "Area",
    "sector_label": "Sector",
    "status": "Status",
    "latest_year": "Latest year",
    "latest_value": "Latest value",
    "unit": "Unit",
    "change_since_pct": "Change since base (%)",
    "observed_rate_pct": "Observed rate (%/yr)",
    "required_rate_pct": "Required rate (%/yr)",
    "rate_ratio": "Rate ratio",
    "net_zero_year": "Net zero at current trend",
    "gap_2030": "Gap to pathway 2030",
    "target_year": "Target year",
    "is_member": "Member",
    "iso3": "Code",
    "sector": "Sector code",
}


def scoreboard_for(ds: Dataset, view: View, industry_source: str | None = None) -> pd.DataFrame:
    """The scoreboard of the view's source, each row with that source's licence (shown beside it and exported);
    with an industry source, also its rows of the industries the view's source does not split out."""
    board = scoreboard(
        ds,
        sources=[view.source],
        target_year=view.target_year,
        since_year=view.base_year,
        members=members_set(ds, view),
    )
    board = board.assign(licence=provenance.licence_of(ds.manifest, view.source))
    if industry_source is None:
        return board
    other = scoreboard_for(ds, replace(view, source=industry_source))
    lacking = [code for code in INDUSTRIES if needs_industry_source(view, (code,))]
    return pd.concat([board, other[other["sector"].isin(lacking)]], ignore_index=True)


def scoreboard_view(
    board: pd.DataFrame, sectors: tuple[str, ...], areas: str, statuses: tuple[str, ...], source_label: str = ""
) -> pd.DataFrame:
    """The scoreboard filtered and with readable column names (the table shown and exported)."""
    rows = board[board["sector"].isin(sectors) & board["status"].isin(statuses)]
    group = rows["area_kind"] == "group"
    country = rows["area_kind"] == "country"
    keep = {
        "groups_members": group | (country & rows["is_member"]),
        "members": country & rows["is_member"],
        "groups": group | (rows["area_kind"] == "aggregate"),
        "countries": country,
        "all": rows["iso3"].notna(),
    }[areas]
    rows = rows[keep]
    out = rows[list(SCORE_COLUMNS)].rename(columns=SCORE_COLUMNS)
    out.insert(len(out.columns), "Source", rows["source"].map(SOURCE_LABELS).fillna(source_label).to_numpy())
    out.insert(len(out.columns), "Licence", rows["licence"].to_numpy())
    return out.reset_index(drop=True)


def rate_figure(table: pd.DataFrame, view: View, limit: int = 30) -> Chart:
    """Required vs observed annual rate for the rows shown (largest emitters first, at most `limit`)."""
    rows = table.dropna(subset=["Observed rate (%/yr)", "Required rate (%/yr)"])
    rows = rows.sort_values("Latest value", ascending=False).head(limit)
    labels = [
        f"{a} - {s}" + (" (member)" if m else "")
        for a, s, m in zip(rows["Area"], rows["Sector"], rows["Member"], strict=True)
    ]
    parts = []
    for measure, column in (("required", "Required rate (%/yr)"), ("observed", "Observed rate (%/yr)")):
        parts.append(
            pd.DataFrame(
                {
                    "label": labels,
                    "area_name": rows["Area"].to_numpy(),
                    "sector": rows["Sector"].to_numpy(),
                    "measure": measure,
                    "value": rows[column].to_numpy(dtype=float),
                    "unit": "% per year",
                    "source_label": rows["Source"].to_numpy(),
                    "licence": rows["Licence"].to_numpy(),
                    "member": rows["Member"].to_numpy(),
                }
            )
        )
    data = pd.concat(parts, ignore_index=True)
    return charts.rate_chart(
        data,
        title="Required vs observed annual rate of change",
        subtitle=(
            f"Observed: trend of the last 5 years; required: straight line from the latest year to net "
            f"zero in {view.target_year}; largest {len(rows)} rows of the table"
        ),
        name="rates-required-observed",
    )


def progress_view(
    board: pd.DataFrame, view: View, sectors: tuple[str, ...], areas: str, statuses: tuple[str, ...]
) -> tuple[pd.DataFrame, Chart | None]:
    """What the Progress page shows for a selection: the filtered scoreboard and its rate chart (None if empty)."""
    table = scoreboard_view(board, sectors, areas, statuses, view.source_label)
    return table, (rate_figure(table, view) if len(table) else None)
