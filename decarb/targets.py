"""Net-zero targets by vintage: each country's newest end target with its release date, and what changed against
the earlier release (targets added or withdrawn, moved in year, changed in kind or status).

Pure (no Streamlit). The targets table holds, per country, the newest end target (`end_target*`, dated by
`end_target_snapshot`) and the earlier one beside it (`earlier_end_target*`); see decarb.contract.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

import pandas as pd

from decarb.contract import NET_ZERO_TRACKER, NET_ZERO_TRACKER_2025, SOURCE_LABELS
from decarb.data import Dataset

NO_TARGET = "No target"
CHANGE_KINDS: tuple[str, ...] = ("target added", "target withdrawn", "year moved", "kind changed", "status changed")
CHANGE_COLUMNS: tuple[str, ...] = (
    "Country",
    "LeadIT member",
    "What changed",
    "Earlier",
    "Newest",
    "Status last changed",
)


def date_text(value: object) -> str:
    """A release date as YYYY-MM-DD, or "" where none."""
    return "" if value is None or pd.isna(value) else str(pd.Timestamp(value).date())


def snapshot_dates(ds: Dataset) -> tuple[str, str]:
    """(earlier, newest) release dates of the countries' end targets, from the data (empty where absent)."""
    countries = ds.targets[ds.targets["actor_type"] == "country"]
    earlier = countries["earlier_end_target_snapshot"].dropna()
    newest = countries["end_target_snapshot"].dropna()
    return (
        date_text(earlier.max()) if len(earlier) else "",
        date_text(newest.max()) if len(newest) else "",
    )


def release_label(ds: Dataset, snapshot: object) -> str:
    """'Net Zero Tracker 2025 stocktake (2025-09-17)' or 'Net Zero Tracker (2023-04-22 snapshot)' for a date."""
    when = date_text(snapshot)
    stocktake = ds.manifest.sources.get(NET_ZERO_TRACKER_2025)
    if stocktake is not None and stocktake.released_on == when:
        return f"{SOURCE_LABELS[NET_ZERO_TRACKER_2025]} ({when})"
    return f"{SOURCE_LABELS[NET_ZERO_TRACKER]} ({when} snapshot)" if when else SOURCE_LABELS[NET_ZERO_TRACKER]


def _has_target(kind: object) -> bool:
    return isinstance(kind, str) and kind != NO_TARGET


def _text(kind: object, year: object, status: object) -> str:
    if not _has_target(kind):
        return NO_TARGET
    parts = [str(kind)] + ([str(int(year))] if not pd.isna(year) else [])  # type: ignore[call-overload]
    return " ".join(parts) + (f" ({status})" if isinstance(status, str) else " (status not given)")


def changes_of(row: pd.Series) -> list[str]:
    """What changed between a country's earlier and newest end target, in words (empty: nothing)."""
    before, after = row["earlier_end_target"], row["end_target"]
    if not _has_target(before) and not _has_target(after):
        return []
    if not _has_target(before):
        return ["target added"]
    if not _has_target(after):
        return ["target withdrawn"]
    out = []
    y0, y1 = row["earlier_end_target_year"], row["end_target_year"]
    if (pd.isna(y0) != pd.isna(y1)) or (not pd.isna(y0) and int(y0) != int(y1)):
        out.append(f"year moved {'?' if pd.isna(y0) else int(y0)} -> {'?' if pd.isna(y1) else int(y1)}")
    if before != after:
        out.append(f"kind changed {before} -> {after}")
    s0, s1 = (
        s if isinstance(s, str) else "not given" for s in (row["earlier_end_target_status"], row["end_target_status"])
    )
    if s0 != s1:
        out.append(f"status changed {s0} -> {s1}")
    return out


@dataclass(frozen=True)
class TargetChanges:
    table: pd.DataFrame  # CHANGE_COLUMNS (+ iso3), members first, then by name
    earlier: str  # release dates
    newest: str
    compared: int  # countries with both releases
    counts: dict[str, int]  # per kind of change (CHANGE_KINDS): countries
    member_counts: dict[str, int]

    def summary(self) -> str:
        """One sentence: how many countries changed, by kind, and how many of them are members."""
        changed = len(self.table)
        if not self.compared:
            return "No country has an end target in both releases: nothing to compare."
        kinds = ", ".join(f"{n} {kind}" for kind, n in self.counts.items() if n) or "none"
        members = sum(self.table["LeadIT member"] == "yes")
        return (
            f"{changed} of {self.compared} countries changed their end target between the {self.earlier} snapshot "
            f"and the {self.newest} stocktake ({kinds}); {members} of them are LeadIT members, listed first."
        )


def target_changes(ds: Dataset, members: Collection[str], names: Mapping[str, str]) -> TargetChanges:
    """Countries whose end target changed between the two releases, members first (each change named)."""
    t = ds.targets
    rows = t[(t["actor_type"] == "country") & t["earlier_end_target_snapshot"].notna()]
    earlier, newest = snapshot_dates(ds)
    records = []
    counts = dict.fromkeys(CHANGE_KINDS, 0)
    member_counts = dict.fromkeys(CHANGE_KINDS, 0)
    for _, row in rows.iterrows():
        what = changes_of(row)
        if not what:
            continue
        code = row["iso3"]
        is_member = code in members
        for kind in CHANGE_KINDS:
            if any(w.startswith(kind) for w in what):
                counts[kind] += 1
                member_counts[kind] += is_member
        updated = row["end_target_status_updated"]
        records.append(
            {
                "Country": names.get(code, row["name"]),
                "LeadIT member": "yes" if is_member else "no",
                "What changed": "; ".join(what),
                "Earlier": _text(
                    row["earlier_end_target"], row["earlier_end_target_year"], row["earlier_end_target_status"]
                ),
                "Newest": _text(row["end_target"], row["end_target_year"], row["end_target_status"]),
                "Status last changed": "" if pd.isna(updated) else str(int(updated)),
                "iso3": code,
            }
        )
    table = pd.DataFrame(records, columns=[*CHANGE_COLUMNS, "iso3"])
    if len(table):
        order = table.assign(_m=table["LeadIT member"] != "yes").sort_values(["_m", "Country"], kind="stable")
        table = order.drop(columns="_m").reset_index(drop=True)
    return TargetChanges(table, earlier, newest, len(rows), counts, member_counts)
