"""Scoreboard: every area x sector x source with every progress metric, computed vectorised.

Rows: each area a source reports (countries, and its own aggregates such as EDGAR's WLD and EU27), plus the area
sets LeadIT members (today's members, back-cast), non-members, G20, and the world / EU27 where the source has no
total of its own (then the sum of its areas, by the rule of decarb.selection). Sectors: all sectors, heavy
industry and each part of heavy industry, wherever the source reports them. The metrics are those of
decarb.metrics, computed by the same vectorised functions, so a row equals `progress()` of the same series.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
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
    "iso3",
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


@dataclass(frozen=True)
class _Block:
    """One source x sector: area rows (as reported) then group rows, as arrays (building a frame per block with
    pandas' string index and column inserts was most of the scoreboard's time)."""

    sector: str
    unit: str
    areas: list[str]
    rules: list[str]
    years: np.ndarray
    values: np.ndarray  # len(areas) x len(years)


def _group_rows(codes: list[str], values: np.ndarray, groups: Sequence[AreaSet]) -> tuple[np.ndarray, list[str]]:
    """Sums of the panel rows in each group (decarb.selection's rule, as a matrix product), and each rule."""
    # Membership by position, not pandas' isin on the panel's string index: called per block and group.
    position = {code: i for i, code in enumerate(codes)}
    members = np.zeros((len(groups), len(codes)))
    for row, group in enumerate(groups):
        members[row, [position[c] for c in group.codes if c in position]] = 1.0
    sums = members @ np.nan_to_num(values)
    incomplete = members @ incomplete_cells(values) > 0
    reported = members @ ~np.isnan(values) > 0
    rules = [f"sum of {int(row.sum())} areas" for row in members]
    return np.where(reported & ~incomplete, sums, np.nan), rules


def _block(enc: Encoded, source: str, sector: str, gas_set: str, groups: Sequence[AreaSet]) -> _Block | None:
    """One source x sector (None: the source has no rows for it, e.g. a gas set it does not report)."""
    table = panel_from(enc, source, sector, gas_set)
    if table.empty:
        return None
    codes = table.index.tolist()
    values = table.to_numpy(dtype=float)
    own = {WORLD_KEY: "WLD", EU27_KEY: "EU27"}
    reported = set(codes)
    needed = [g for g in groups if own.get(g.key) not in reported]
    summed, rules = _group_rows(codes, values, needed)
    return _Block(
        sector,
        table.attrs["unit"],
        codes + [own.get(g.key, g.key) for g in needed],
        ["as reported"] * len(codes) + rules,
        table.columns.to_numpy(dtype=np.int64),
        np.vstack([values, summed]),
    )


WORLD_KEY, EU27_KEY = "world", "eu27"


def _describe(
    ds: Dataset, columns: dict[str, np.ndarray], groups: Sequence[AreaSet], member_codes: set[str]
) -> dict[str, np.ndarray]:
    """The display columns of the rows: area name and kind (groups by their label), membership, sector label."""
    names = dict(zip(ds.areas["iso3"], ds.areas["name"], strict=True))
    kinds = dict(zip(ds.areas["iso3"], ds.areas["kind"], strict=True))
    names.update({g.key: g.label for g in groups if g.key not in (WORLD_KEY, EU27_KEY)})
    kinds.update({g.key: "group" for g in groups if g.key not in (WORLD_KEY, EU27_KEY)})
    labels = {s.code: s.label for s in SECTORS}
    areas = columns["iso3"]
    return {
        "area_name": np.array([names.get(a) for a in areas], dtype=object),
        "area_kind": np.array([kinds.get(a) for a in areas], dtype=object),
        "is_member": np.array([a in member_codes or a == "members" for a in areas], dtype=bool),
        "sector_label": np.array([labels.get(c) for c in columns["sector"]], dtype=object),
    }


def _targets(ds: Dataset, codes: np.ndarray, target_year: int | str) -> tuple[np.ndarray, np.ndarray]:
    if target_year != NET_ZERO_TRACKER_TARGETS:
        return np.full(len(codes), float(target_year)), np.full(len(codes), f"{target_year} for every area", object)
    own = target_years(ds)
    areas = pd.Series(codes)
    years = areas.map(own["year"]).astype(float)
    notes = areas.map(own["note"]).fillna(f"no Net Zero Tracker year: default {m.DEFAULT_TARGET_YEAR}")
    return years.fillna(float(m.DEFAULT_TARGET_YEAR)).to_numpy(), notes.to_numpy()


def _source_frame(
    ds: Dataset, source: str, gas_set: str, groups: Sequence[AreaSet]
) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray] | None:
    """A source's blocks stacked: descriptive columns, the years, and the values on those years (NaN elsewhere)."""
    own_rows = rows_of(ds, source)
    blocks = [b for sector in scoreboard_sectors(source) if (b := _block(own_rows, source, sector, gas_set, groups))]
    if not blocks:
        return None
    years = np.unique(np.concatenate([b.years for b in blocks]))
    values = np.full((sum(len(b.areas) for b in blocks), len(years)), np.nan)
    top = 0
    for b in blocks:
        values[top : top + len(b.areas), np.searchsorted(years, b.years)] = b.values
        top += len(b.areas)
    n = [len(b.areas) for b in blocks]
    columns = {
        "source": np.full(top, source, dtype=object),
        "iso3": np.concatenate([np.asarray(b.areas, dtype=object) for b in blocks]),
        "area_rule": np.concatenate([np.asarray(b.rules, dtype=object) for b in blocks]),
        "sector": np.repeat(np.asarray([b.sector for b in blocks], dtype=object), n),
        "unit": np.repeat(np.asarray([b.unit for b in blocks], dtype=object), n),
    }
    return columns, years, values


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
    their complement. Units: values in `unit`, rates in %/yr. `iso3` is the area's code (WLD and EU27 for the
    world and the EU, whether reported or summed); a group without a code of its own (members, non_members, g20)
    carries its area-set key there, with area_kind "group".
    """
    m.check_residual(residual_share)
    groups = [area_set(ds, key) for key in GROUP_KEYS]
    if members is not None:
        groups[GROUP_KEYS.index("members")] = members
        groups[GROUP_KEYS.index("non_members")] = non_members_of(ds, members)
    member_codes = set(groups[GROUP_KEYS.index("members")].codes)
    parts = []
    for source in sources or EMISSION_SOURCES + INDUSTRY_SOURCES:
        stacked = _source_frame(ds, source, gas_set, groups)
        if stacked is None:
            continue
        columns, years, values = stacked
        target, notes = _targets(ds, columns["iso3"], target_year)
        columns.update(m.progress_rows(values, years, n_years, target, residual_share, since_year))
        columns["target_year"], columns["target_note"] = target.astype(int), notes
        parts.append(columns)
    if not parts:
        return pd.DataFrame(columns=list(COLUMNS))
    # One frame from whole columns: inserting them one by one into a frame was a third of the scoreboard's time.
    board = {key: np.concatenate([part[key] for part in parts]) for key in parts[0]}
    board.update(_describe(ds, board, groups, member_codes))
    n = len(board["iso3"])
    board["gas_set"] = np.full(n, gas_set, dtype=object)
    board["since_year"], board["n_years"] = np.full(n, since_year), np.full(n, n_years)
    frame = pd.DataFrame({key: board[key] for key in COLUMNS})
    frame["latest_year"] = frame["latest_year"].astype("Int64")
    frame["net_zero_year"] = frame["net_zero_year"].astype("Int64")
    return frame
