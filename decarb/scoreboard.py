"""Scoreboard: every area x sector x source with every progress metric, computed vectorised.

Rows: each area a source reports (countries, and its own aggregates such as EDGAR's WLD and EU27), plus the area
sets LeadIT members (today's members, back-cast), non-members, G20, and the world / EU27 where the source has no
total of its own (then the sum of its areas, by the rule of decarb.selection). Sectors: all sectors, heavy
industry and each part of heavy industry, wherever the source reports them. The metrics are those of
decarb.metrics, computed by the same vectorised functions, so a row equals `progress()` of the same series.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from decarb import metrics as m
from decarb.contract import (
    ALL_GHG,
    EMISSION_SOURCES,
    HEAVY_INDUSTRY,
    INDUSTRY_SOURCES,
    SECTOR_BY_CODE,
    SECTORS,
    TOTAL,
    sectors_for,
)
from decarb.pathways import target_years
from decarb.selection import (
    AreaSet,
    Encoded,
    area_set,
    incomplete_cells,
    non_members_of,
    panel_from,
    rows_of,
)

if TYPE_CHECKING:
    from decarb.data import Dataset

GROUP_KEYS: tuple[str, ...] = ("world", "eu27", "g20", "members", "non_members")
NET_ZERO_TRACKER_TARGETS = "net_zero_tracker"  # target_year value: each country's own end-target year
COLUMNS: tuple[str, ...] = (
    "source",
    "area",
    "area_name",
    "area_kind",
    "area_rule",
    "is_member",
    "sector",
    "sector_label",
    "gas_set",
    "unit",
    "latest_year",
    "latest_value",
    "since_year",
    "change_since_pct",
    "n_years",
    "n_points",
    "observed_rate_pct",
    "cagr_pct",
    "target_year",
    "target_note",
    "required_rate_pct",
    "rate_ratio",
    "status",
    "projection_2030",
    "projection_2050",
    "net_zero_year",
    "pathway_2030",
    "gap_2030",
)


def _under_heavy_industry(code: str) -> bool:
    parent = SECTOR_BY_CODE[code].parent
    return parent is not None and (parent == HEAVY_INDUSTRY or _under_heavy_industry(parent))


def scoreboard_sectors(source: str) -> list[str]:
    """All sectors, heavy industry and its parts that `source` can answer, in vocabulary order."""
    wanted = [TOTAL, HEAVY_INDUSTRY] + [s.code for s in SECTORS if _under_heavy_industry(s.code)]
    return [code for code in wanted if sectors_for(code, source)]


def _group_rows(table: pd.DataFrame, groups: Sequence[AreaSet]) -> tuple[pd.DataFrame, list[str]]:
    """Sums of the panel rows in each group (decarb.selection's rule, as a matrix product), and each rule."""
    values = table.to_numpy(dtype=float)
    # Index.isin hashes (np.isin sorts object arrays: 3 ms a call, 36 blocks x 5 groups per scoreboard).
    members = np.array([table.index.isin(g.codes) for g in groups], dtype=float).reshape(len(groups), len(table))
    sums = members @ np.nan_to_num(values)
    incomplete = members @ incomplete_cells(values) > 0
    reported = members @ ~np.isnan(values) > 0
    out = pd.DataFrame(
        np.where(reported & ~incomplete, sums, np.nan), index=[g.key for g in groups], columns=table.columns
    )
    rules = [f"sum of {int(row.sum())} areas" for row in members]
    return out, rules


def _block(enc: Encoded, source: str, sector: str, gas_set: str, groups: Sequence[AreaSet]) -> pd.DataFrame:
    """One source x sector: area rows (as reported) then group rows, values by year, with descriptive columns."""
    table = panel_from(enc, source, sector, gas_set)
    if table.empty:  # the source has no rows for this selection (e.g. a gas set it does not report)
        return table
    own = {WORLD_KEY: "WLD", EU27_KEY: "EU27"}
    needed = [g for g in groups if own.get(g.key) not in table.index]
    summed, rules = _group_rows(table, needed)
    summed.index = [own.get(k, k) for k in summed.index]
    block = pd.concat([table, summed])
    block.index.name = "area"
    block = block.reset_index()
    block["area_rule"] = (["as reported"] * len(table)) + rules
    block["source"], block["sector"], block["unit"] = source, sector, table.attrs["unit"]
    return block


WORLD_KEY, EU27_KEY = "world", "eu27"


def _describe(ds: Dataset, frame: pd.DataFrame, groups: Sequence[AreaSet], member_codes: set[str]) -> None:
    names = dict(zip(ds.areas["iso3"], ds.areas["name"], strict=True))
    kinds = dict(zip(ds.areas["iso3"], ds.areas["kind"], strict=True))
    names.update({g.key: g.label for g in groups if g.key not in (WORLD_KEY, EU27_KEY)})
    kinds.update({g.key: "group" for g in groups if g.key not in (WORLD_KEY, EU27_KEY)})
    frame["area_name"] = frame["area"].map(names)
    frame["area_kind"] = frame["area"].map(kinds)
    frame["is_member"] = frame["area"].isin(member_codes) | (frame["area"] == "members")
    frame["sector_label"] = frame["sector"].map({s.code: s.label for s in SECTORS})


def _targets(ds: Dataset, areas: pd.Series, target_year: int | str) -> tuple[np.ndarray, np.ndarray]:
    if target_year != NET_ZERO_TRACKER_TARGETS:
        return np.full(len(areas), float(target_year)), np.full(len(areas), f"{target_year} for every area")
    own = target_years(ds)
    years = areas.map(own["year"]).astype(float)
    notes = areas.map(own["note"]).fillna(f"no Net Zero Tracker year: default {m.DEFAULT_TARGET_YEAR}")
    return years.fillna(float(m.DEFAULT_TARGET_YEAR)).to_numpy(), notes.to_numpy()


def _source_frame(ds: Dataset, source: str, gas_set: str, groups: Sequence[AreaSet]) -> pd.DataFrame:
    own_rows = rows_of(ds, source)
    blocks = [_block(own_rows, source, sector, gas_set, groups) for sector in scoreboard_sectors(source)]
    blocks = [b for b in blocks if not b.empty]
    return pd.concat(blocks, ignore_index=True) if blocks else pd.DataFrame()


def scoreboard(
    ds: Dataset,
    sources: Sequence[str] | None = None,
    n_years: int = m.DEFAULT_N_YEARS,
    target_year: int | str = m.DEFAULT_TARGET_YEAR,
    residual_share: float = 0.0,
    gas_set: str = ALL_GHG,
    since_year: int = m.DEFAULT_SINCE_YEAR,
    members: AreaSet | None = None,
) -> pd.DataFrame:
    """One row per source x area x sector with every metric of decarb.metrics (columns: COLUMNS).

    target_year: a year for every row, or "net_zero_tracker" for each country's own end-target year
    (decarb.pathways.target_years; areas without one, and groups, use 2050; target_note says which).
    members: the member countries (default: today's confirmed members, back-cast); the non-members row is
    their complement. Units: values in `unit`, rates in %/yr.
    """
    m.check_residual(residual_share)
    groups = [area_set(ds, key) for key in GROUP_KEYS]
    if members is not None:
        groups[GROUP_KEYS.index("members")] = members
        groups[GROUP_KEYS.index("non_members")] = non_members_of(ds, members)
    member_codes = set(groups[GROUP_KEYS.index("members")].codes)
    frames = []
    for source in sources or EMISSION_SOURCES + INDUSTRY_SOURCES:
        frame = _source_frame(ds, source, gas_set, groups)
        if frame.empty:
            continue
        years = np.array(sorted(c for c in frame.columns if isinstance(c, (int, np.integer))))
        target, notes = _targets(ds, frame["area"], target_year)
        out = frame[["source", "area", "area_rule", "sector", "unit"]].copy()
        out = out.assign(
            **m.progress_rows(
                frame[list(years)].to_numpy(dtype=float), years, n_years, target, residual_share, since_year
            )
        )
        out["target_year"], out["target_note"] = target.astype(int), notes
        frames.append(out)
    if not frames:
        return pd.DataFrame(columns=list(COLUMNS))
    board = pd.concat(frames, ignore_index=True)
    _describe(ds, board, groups, member_codes)
    board["gas_set"], board["since_year"], board["n_years"] = gas_set, since_year, n_years
    board["latest_year"] = board["latest_year"].astype("Int64")
    board["net_zero_year"] = board["net_zero_year"].astype("Int64")
    return board[list(COLUMNS)]
