"""Progress: the scoreboard (area x sector) with status, and the required vs observed annual rate."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from decarb import provenance
from decarb.chartspec import ChartKind, ChartSpec, chart_spec
from decarb.contract import INDUSTRIES, SECTORS, SOURCE_LABELS
from decarb.data import Dataset
from decarb.freshness import years_text
from decarb.metrics import DEFAULT_N_YEARS, FLAT_RATE_PCT, min_points
from decarb.scoreboard import scoreboard
from decarb.view import View, members_set, needs_industry_source

AREA_FILTERS: dict[str, str] = {
    "groups_members": "Groups and member countries",
    "members": "Member countries",
    "groups": "Groups",
    "countries": "All countries",
    "all": "Everything",
}
SCORE_COLUMNS: dict[str, str] = {  # scoreboard field -> header ("{base}": the base year, filled per table)
    "area_name": "Area",
    "sector_label": "Sector",
    "status": "Status",
    "change_since_pct": "Change since {base} (%)",
    "trend_years": "Trend years",
    "observed_rate_pct": "Trend (%/yr)",
    "required_rate_pct": "Needed (%/yr)",
    "rate_ratio": "Trend ÷ needed",
    "net_zero_text": "Net zero at trend",
    "gap_2030": "Gap to 2030 pathway",
    "latest_value": "Latest value",
    "unit": "Unit",
    "is_member": "Member",
    "note": "Why cells are empty",
    "latest_year": "Latest year",
    "target_year": "Target year",
    "iso3": "Code",
    "sector": "Sector code",
}
# In the table and its CSV, not on screen (the table fits a projector without scrolling sideways): the trend's
# years hold the latest year, the target year is the sidebar's, codes are for machines, and the one source and
# licence of the table are named under it.
HIDDEN_COLUMNS: tuple[str, ...] = ("Latest year", "Target year", "Code", "Sector code", "Source", "Licence")
# In the detail view under the table, not in it: with them the table scrolls sideways at 1280x800. The table
# keeps what answers "on track?": area, sector, status, change, the two paces, net zero, the value.
DETAIL_COLUMNS: tuple[str, ...] = ("Trend years", "Trend ÷ needed", "Gap to 2030 pathway", "Member")
NOTE = "Why cells are empty"
ROWS_IN_FULL = 25  # up to this many rows the table is shown whole (19 by default: members, then the groups)


# Columns said once in the caption, and hidden, while every row has the same value: column -> the caption's word.
SAID_ONCE: dict[str, str] = {"Sector": "sector:", "Unit": "latest values in"}


def same_in_every_row(table: pd.DataFrame) -> tuple[str, ...]:
    """The SAID_ONCE columns whose value is the same in every row (none of an empty table)."""
    return tuple(c for c in SAID_ONCE if len(table) and c in table.columns and table[c].nunique() == 1)


def hidden_columns(table: pd.DataFrame) -> tuple[str, ...]:
    """HIDDEN_COLUMNS and DETAIL_COLUMNS; the note column while no row has a note; the sector and the unit while
    every row has the same (table_caption names them once)."""
    quiet = NOTE in table.columns and not table[NOTE].astype(bool).any()
    return HIDDEN_COLUMNS + DETAIL_COLUMNS + ((NOTE,) if quiet else ()) + same_in_every_row(table)


def table_caption(table: pd.DataFrame) -> str:
    """The line above the table: its rows, what one sector or unit of every row is (their columns are hidden then,
    hidden_columns), and how to sort."""
    same = [f"{SAID_ONCE[column]} {table[column].iloc[0]}" for column in same_in_every_row(table)]
    return (
        "; ".join([f"{len(table)} rows", *same]) + ". Click a column header to sort; hover a header for what it holds."
    )


def detail_table(table: pd.DataFrame) -> pd.DataFrame:
    """The rows' DETAIL_COLUMNS beside their area and sector (the detail view under the table)."""
    return table[["Area", "Sector", *DETAIL_COLUMNS]]


def table_source(table: pd.DataFrame) -> str:
    """The line under the table naming its sources and licences (columns of the CSV, not shown); more than one
    where an industry source answers the industries the view's source does not split out."""
    if table.empty:
        return ""
    pairs = dict.fromkeys(zip(table["Source"], table["Licence"], strict=True))
    if len(pairs) == 1:
        source, licence = next(iter(pairs))
        return f"Source: {source}. Licence: {licence}. The CSV has every column."
    named = "; ".join(f"{source} (licence: {licence})" for source, licence in pairs)
    return f"Sources: {named}. The CSV has every column."


def intro(view: View) -> str:
    """What the page shows, in words (the formula is folded below it: STATUS_RULE)."""
    return (
        f"Is each area cutting its emissions fast enough to reach net zero in {view.target_year}? Each row sets the "
        f"recent trend (a straight line through the last {DEFAULT_N_YEARS} years of data) against the steady cut "
        f"needed from the latest year to zero in {view.target_year}. **On track**: at least the needed pace; "
        "**off track**: at least half of it; **well off track**: less than half; **wrong direction**: emissions "
        "rising; **not assessed**: too little data. The change since the base year covers a longer span than the "
        "trend, so the two can differ in sign."
    )


def column_help(base_year: int, target_year: int) -> dict[str, str]:
    """Each header's tooltip: what the column holds, in words."""
    return {
        "Status": "The trend's pace against the needed pace (see 'How the status is decided' above the table).",
        f"Change since {base_year} (%)": f"Latest value against the {base_year} value (the base year, sidebar).",
        "Trend years": f"The {DEFAULT_N_YEARS}-year window the trend is fitted over, ending at the latest year.",
        "Trend (%/yr)": "Slope of the straight line through the trend years, as % per year of its value at the "
        "window start (negative: falling).",
        "Needed (%/yr)": f"The steady cut per year, as % of the latest value, that reaches zero in {target_year}.",
        "Trend ÷ needed": "The trend's pace as a multiple of the needed pace: 1 or more is on track, 0.5 to 1 off "
        "track, below 0.5 well off track; below 0 the emissions are rising.",
        "Net zero at trend": "The year the trend line reaches zero, if it is falling.",
        "Gap to 2030 pathway": "The trend's 2030 value minus the straight line to net zero, in the row's unit; "
        "above 0: above the pathway.",
        "Latest value": "Emissions in the latest year with data.",
        "Member": "A LeadIT member (the member definition in the sidebar); groups that consist of members too.",
        NOTE: "Why a value could not be computed for this row.",
    }


def _net_zero_text(board: pd.DataFrame) -> pd.Series:
    """The net-zero year at the trend, or why there is none, in words (never an empty cell)."""
    year = board["net_zero_year"]
    rate = board["observed_rate_pct"]
    words = np.where(rate.isna(), "no trend", np.where(rate > FLAT_RATE_PCT, "none while rising", "none while flat"))
    known = year.notna().to_numpy()
    text = np.where(known, year.astype("Int64").astype(str).to_numpy(), words)
    return pd.Series(text, index=board.index, dtype=object)


def _notes(board: pd.DataFrame) -> pd.Series:
    """For each row, why its empty cells are empty (blank when none is)."""
    notes = []
    for row in board.itertuples(index=False):
        parts = []
        if pd.isna(row.change_since_pct):
            parts.append(f"no {int(row.since_year)} value above zero")
        if pd.isna(row.observed_rate_pct):
            needed = min_points(int(row.n_years))
            parts.append(
                f"{int(row.n_points)} of the years {row.trend_years} reported, a trend needs {needed}"
                if row.n_points < needed
                else "the trend starts at zero"
            )
        if pd.isna(row.required_rate_pct):
            parts.append("latest value is zero: nothing to cut" if row.latest_value <= 0 else "no needed cut")
        notes.append("; ".join(parts))
    return pd.Series(notes, index=board.index, dtype=object)


def _order(rows: pd.DataFrame) -> pd.DataFrame:
    """Member countries first, then the other countries, both by name; groups and other areas (aggregates,
    bunkers, historic areas) last; each area's sectors in the vocabulary's order."""
    kind = np.where(rows["area_kind"] == "country", np.where(rows["is_member"], 0, 1), 2)
    sector_rank = rows["sector"].map(SECTOR_RANK).fillna(len(SECTOR_RANK))
    key = pd.DataFrame({"kind": kind, "name": _plain(rows["area_name"]), "sector": sector_rank})
    return rows.iloc[key.sort_values(["kind", "name", "sector"], kind="stable").index.to_numpy()]


SECTOR_RANK: dict[str, int] = {s.code: i for i, s in enumerate(SECTORS)}


def _plain(names: pd.Series) -> pd.Series:
    """Names for sorting: Åland Islands with the A's, not after Zimbabwe."""
    return names.str.normalize("NFKD").str.replace(r"[\u0300-\u036f]", "", regex=True).str.casefold()


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
    rows = _order(rows[keep].reset_index(drop=True))
    start = rows["latest_year"] - rows["n_years"]
    rows = rows.assign(
        trend_years=[
            f"{int(a)}-{int(b)}" if pd.notna(b) else "" for a, b in zip(start, rows["latest_year"], strict=True)
        ]
    )
    rows = rows.assign(net_zero_text=_net_zero_text(rows), note=_notes(rows))
    base = int(rows["since_year"].iloc[0]) if len(rows) else 0
    headers = {k: v.format(base=base) for k, v in SCORE_COLUMNS.items()}
    out = rows[list(SCORE_COLUMNS)].rename(columns=headers)
    out.insert(len(out.columns), "Source", rows["source"].map(SOURCE_LABELS).fillna(source_label).to_numpy())
    out.insert(len(out.columns), "Licence", rows["licence"].to_numpy())
    return out.reset_index(drop=True)


RATE_ROWS = 60  # rows drawn at most (two sectors of the members and groups are 38); the others are named


def rate_figure(table: pd.DataFrame, view: View, limit: int = RATE_ROWS) -> ChartSpec:
    """Required vs observed annual rate for the rows shown (largest emitters first, at most `limit`); the rows
    left out, for want of a trend or beyond the limit, are named in the subtitle."""
    rated = table.dropna(subset=["Trend (%/yr)", "Needed (%/yr)"]).sort_values("Latest value", ascending=False)
    rows = rated.head(limit)
    unrated = table.drop(index=rated.index)
    left_out = [
        (f"no trend: {_row_names(unrated)}" if len(unrated) else ""),
        (f"beyond the largest {limit}: {_row_names(rated.iloc[limit:])}" if len(rated) > limit else ""),
    ]
    missing = "; ".join(t for t in left_out if t)
    labels = [
        f"{a} - {s}" + (" (member)" if m else "")
        for a, s, m in zip(rows["Area"], rows["Sector"], rows["Member"], strict=True)
    ]
    parts = []
    for measure, column in (("required", "Needed (%/yr)"), ("observed", "Trend (%/yr)")):
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
    return chart_spec(
        ChartKind.RATES,
        data,
        title="Required vs observed annual rate of change",
        subtitle=(
            f"Observed: trend of the last 5 years to each row's latest year ({years_text(rows['Latest year'])}); "
            f"required: straight line from the latest year to net zero in {view.target_year}; "
            + (
                f"{len(rows)} of the table's {len(table)} rows; not drawn: {missing}"
                if missing
                else "every row of the table"
            )
        ),
        name="rates-required-observed",
    )


NAMED_AT_MOST = 12  # rows named one by one where left out of the rate chart; beyond, counted


def _row_names(rows: pd.DataFrame) -> str:
    names = [f"{a} ({s.split(' (')[0].lower()})" for a, s in zip(rows["Area"], rows["Sector"], strict=True)]
    if len(names) > NAMED_AT_MOST:
        return f"{', '.join(names[:NAMED_AT_MOST])} and {len(names) - NAMED_AT_MOST} more (all in the table)"
    return ", ".join(names)


@dataclass(frozen=True)
class ProgressView:
    """Everything the Progress page shows for one selection (the caption, hidden columns and source line too), so
    the page derives nothing from the table on each run."""

    table: pd.DataFrame
    rates: ChartSpec | None  # None when no row is left
    caption: str
    hidden: tuple[str, ...]
    source_line: str


def progress_view(
    board: pd.DataFrame, view: View, sectors: tuple[str, ...], areas: str, statuses: tuple[str, ...]
) -> ProgressView:
    """What the Progress page shows for a selection: the filtered scoreboard, the lines about it, its rate chart."""
    table = scoreboard_view(board, sectors, areas, statuses, view.source_label)
    return ProgressView(
        table=table,
        rates=rate_figure(table, view) if len(table) else None,
        caption=table_caption(table),
        hidden=hidden_columns(table),
        source_line=table_source(table),
    )
