"""What an accepted raw file changed, compared with the previous build (as owid/co2-data compares releases).

Pure functions on the previous and the new tables: member rows added, removed and changed; for an emissions
source, the areas and years that appeared or vanished and the largest relative changes per area and sector.
The build writes the result into its output and the manifest's quality notes, so a reviewer sees what an
acceptance did before trusting the new numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from decarb.contract import EMISSION_SOURCES, LEADIT, NET_ZERO_TRACKER, NET_ZERO_TRACKER_2025, SOURCE_LABELS
from etl.leadit import MEMBER_COLUMNS

# Member fields whose change is reported one by one: every column of the member list but its key and the notes,
# which are free text, so only their count is reported.
MEMBER_FIELDS: tuple[str, ...] = tuple(c for c in MEMBER_COLUMNS if c not in ("member", "note"))
EMISSION_KEY: list[str] = ["iso3", "sector", "gas", "year"]
TARGET_SOURCES: tuple[str, ...] = (NET_ZERO_TRACKER, NET_ZERO_TRACKER_2025)
LARGEST_SHOWN = 5  # largest relative changes named in a note line (the manifest's "changes" keeps 20)
LARGEST_KEPT = 20


@dataclass
class MemberChanges:
    rows_before: int
    rows_after: int
    added: list[str]
    removed: list[str]
    changed: dict[str, dict[str, tuple[str, str]]]  # member: field: (before, after)
    notes_edited: list[str]

    def lines(self) -> list[str]:
        label = SOURCE_LABELS[LEADIT]
        out = [
            f"{label}: {self.rows_before} -> {self.rows_after} rows; {len(self.added)} added, "
            f"{len(self.removed)} removed, {len(self.changed)} changed, notes edited on {len(self.notes_edited)}."
        ]
        if self.added:
            out.append(f"{label}: added: {', '.join(self.added)}.")
        if self.removed:
            out.append(f"{label}: removed: {', '.join(self.removed)}.")
        for member, fields in self.changed.items():
            what = "; ".join(
                f"{name} {before or '(empty)'} -> {after or '(empty)'}" for name, (before, after) in fields.items()
            )
            out.append(f"{label}: changed: {member}: {what}.")
        return out

    def record(self) -> dict:
        return {
            "rows_before": self.rows_before,
            "rows_after": self.rows_after,
            "added": self.added,
            "removed": self.removed,
            "notes_edited": self.notes_edited,
            "changed": {m: {f: list(v) for f, v in fields.items()} for m, fields in self.changed.items()},
        }


@dataclass
class EmissionChanges:
    source: str
    areas_appeared: list[str]
    areas_vanished: list[str]
    years_appeared: list[int]
    years_vanished: list[int]
    values_compared: int
    values_changed: int
    largest: pd.DataFrame = field(repr=False)  # per area and sector, its largest relative change, largest first

    def lines(self) -> list[str]:
        label = SOURCE_LABELS[self.source]
        out = [
            f"{label}: areas appeared: {_listed(self.areas_appeared)}; vanished: {_listed(self.areas_vanished)}; "
            f"years appeared: {_listed(self.years_appeared)}; vanished: {_listed(self.years_vanished)}; "
            f"{self.values_changed:,} of {self.values_compared:,} values in both builds changed."
        ]
        if len(self.largest):
            shown = "; ".join(
                f"{r.iso3} {r.sector} {r.gas} {r.year}: {r.relative_change:+.1%} ({r.before:.4g} -> {r.after:.4g} "
                f"{r.unit})"
                for r in self.largest.head(LARGEST_SHOWN).itertuples()
            )
            out.append(f"{label}: largest relative changes per area and sector: {shown}.")
        return out

    def record(self) -> dict:
        largest = self.largest.head(LARGEST_KEPT).astype({"year": int})
        return {
            "areas_appeared": self.areas_appeared,
            "areas_vanished": self.areas_vanished,
            "years_appeared": self.years_appeared,
            "years_vanished": self.years_vanished,
            "values_compared": self.values_compared,
            "values_changed": self.values_changed,
            "largest": largest.to_dict(orient="records"),
        }


@dataclass
class MilestoneChanges:
    added: list[str]  # "YYYY-MM-DD event"
    removed: list[str]
    edited: list[str]  # same date and event, other kind, text or source

    def lines(self) -> list[str]:
        return [
            f"LeadIT milestones: added: {_listed(self.added)}; removed: {_listed(self.removed)}; "
            f"edited: {_listed(self.edited)}."
        ]

    def record(self) -> dict:
        return {"added": self.added, "removed": self.removed, "edited": self.edited}


@dataclass
class TargetChanges:
    """End targets of the targets table before and after an accepted Net Zero Tracker file, by actor."""

    source: str
    rows_before: int
    rows_after: int
    added: list[str]  # "name (actor id)"
    removed: list[str]
    changed: dict[str, tuple[str, str]]  # name: (end target before, after), in words

    def lines(self) -> list[str]:
        label = SOURCE_LABELS.get(self.source, self.source)
        shown = "; ".join(f"{name}: {before} -> {after}" for name, (before, after) in list(self.changed.items())[:10])
        more = f" (and {len(self.changed) - 10} more)" if len(self.changed) > 10 else ""
        return [
            f"{label}: targets {self.rows_before} -> {self.rows_after} rows; actors added: {_listed(self.added)}; "
            f"removed: {_listed(self.removed)}; end targets changed: {len(self.changed)}"
            + (f": {shown}{more}." if self.changed else ".")
        ]

    def record(self) -> dict:
        return {
            "rows_before": self.rows_before,
            "rows_after": self.rows_after,
            "added": self.added,
            "removed": self.removed,
            "changed": {name: list(pair) for name, pair in self.changed.items()},
        }


TARGET_FIELDS: tuple[str, ...] = ("end_target", "end_target_year", "end_target_status")


def target_changes(before: pd.DataFrame, after: pd.DataFrame, source: str) -> TargetChanges:
    """Rows matched by actor id; an end target is compared by kind, year and status."""

    def words(frame: pd.DataFrame) -> pd.Series:
        parts = [frame[f].astype("string").fillna("") for f in TARGET_FIELDS]
        return (parts[0] + " " + parts[1] + " (" + parts[2] + ")").str.replace(" ()", "", regex=False).str.strip()

    old, new = before.set_index("actor_id"), after.set_index("actor_id")
    old_words, new_words = words(old), words(new)
    kept = new.index[new.index.isin(old.index)]
    differs = [a for a in kept if old_words[a] != new_words[a]]
    return TargetChanges(
        source=source,
        rows_before=len(old),
        rows_after=len(new),
        added=[f"{new.at[a, 'name']} ({a})" for a in new.index if a not in old.index],
        removed=[f"{old.at[a, 'name']} ({a})" for a in old.index if a not in new.index],
        changed={str(new.at[a, "name"]): (str(old_words[a]), str(new_words[a])) for a in differs},
    )


def _listed(items: list) -> str:
    return ", ".join(str(i) for i in items) if items else "none"


def _text(value: object) -> str:
    return "" if pd.isna(value) else str(value)


def member_changes(before: pd.DataFrame, after: pd.DataFrame) -> MemberChanges:
    """Rows are matched by member name (the list's key); a renamed member shows as one removed, one added."""
    old, new = before.set_index("member"), after.set_index("member")
    kept = [m for m in new.index if m in old.index]
    changed: dict[str, dict[str, tuple[str, str]]] = {}
    for member in kept:
        fields = {name: (_text(old.at[member, name]), _text(new.at[member, name])) for name in MEMBER_FIELDS}
        fields = {name: pair for name, pair in fields.items() if pair[0] != pair[1]}
        if fields:
            changed[member] = fields
    return MemberChanges(
        rows_before=len(old),
        rows_after=len(new),
        added=[m for m in new.index if m not in old.index],
        removed=[m for m in old.index if m not in new.index],
        changed=changed,
        notes_edited=[m for m in kept if _text(old.at[m, "note"]) != _text(new.at[m, "note"])],
    )


def milestone_changes(before: pd.DataFrame, after: pd.DataFrame) -> MilestoneChanges:
    """Milestones matched by their key, date and event."""

    def keyed(frame: pd.DataFrame) -> pd.DataFrame:
        return frame.set_index(frame["date"].astype(str) + " " + frame["event"]).drop(columns=["date", "event"])

    old, new = keyed(before), keyed(after)
    kept = [k for k in new.index if k in old.index]
    return MilestoneChanges(
        added=[k for k in new.index if k not in old.index],
        removed=[k for k in old.index if k not in new.index],
        edited=[k for k in kept if [_text(v) for v in old.loc[k]] != [_text(v) for v in new.loc[k]]],
    )


def emission_changes(before: pd.DataFrame, after: pd.DataFrame, source: str) -> EmissionChanges:
    """One source's rows in two builds of the emissions table, compared value by value on the table's key.

    Relative change = (after - before) / |before|, only where before is not zero (from zero it has no size);
    values present in one build only are counted as areas or years that appeared or vanished.
    """
    old = before[before["source"] == source]
    new = after[after["source"] == source]
    both = old[[*EMISSION_KEY, "value"]].merge(
        new[[*EMISSION_KEY, "value", "unit"]], on=EMISSION_KEY, suffixes=("_before", "_after")
    )
    both = both.rename(columns={"value_before": "before", "value_after": "after"})
    differs = both["before"] != both["after"]
    sized = both[differs & (both["before"] != 0)].copy()
    sized["relative_change"] = (sized["after"] - sized["before"]) / sized["before"].abs()
    order = sized["relative_change"].abs().sort_values(ascending=False, kind="stable").index
    largest = sized.loc[order].drop_duplicates(["iso3", "sector"]).reset_index(drop=True)
    # unique() before set(): iterating an Arrow string column row by row took over a second here.
    old_areas, new_areas = set(old["iso3"].unique()), set(new["iso3"].unique())
    old_years, new_years = {int(y) for y in old["year"].unique()}, {int(y) for y in new["year"].unique()}
    return EmissionChanges(
        source=source,
        areas_appeared=sorted(new_areas - old_areas),
        areas_vanished=sorted(old_areas - new_areas),
        years_appeared=sorted(new_years - old_years),
        years_vanished=sorted(old_years - new_years),
        values_compared=len(both),
        values_changed=int(differs.sum()),
        largest=largest[["iso3", "sector", "gas", "year", "before", "after", "unit", "relative_change"]],
    )


def change_report(
    previous: dict[str, pd.DataFrame] | None, tables: dict[str, pd.DataFrame], sources: set[str]
) -> tuple[list[str], dict[str, dict]]:
    """Note lines and a record per source whose raw file was accepted, against the previous build's tables.

    previous: the tables of the previous build that could be read (None or missing ones: nothing to compare
    with, which is said). The record of leadit has one entry per table (members, milestones)."""
    if not sources:
        return [], {}
    previous = previous or {}
    lines, records = [], {}
    for source in sorted(sources):
        label = SOURCE_LABELS.get(source, source)
        parts: dict[str, MemberChanges | EmissionChanges | MilestoneChanges | TargetChanges]
        if source == LEADIT:
            reports: dict[str, Callable[[pd.DataFrame, pd.DataFrame], MemberChanges | MilestoneChanges]] = {
                "members": member_changes,
                "milestones": milestone_changes,
            }
            parts = {
                table: compare(previous[table], tables[table])
                for table, compare in reports.items()
                if table in previous
            }
        elif source in EMISSION_SOURCES:
            parts = (
                {"emissions": emission_changes(previous["emissions"], tables["emissions"], source)}
                if "emissions" in previous
                else {}
            )
        elif source in TARGET_SOURCES:
            parts = (
                {"targets": target_changes(previous["targets"], tables["targets"], source)}
                if "targets" in previous
                else {}
            )
        else:
            lines.append(f"{label}: accepted; no change report for this source yet.")
            continue
        if not parts:
            lines.append(f"{label}: accepted; no previous build to compare with.")
            continue
        for part in parts.values():
            lines += part.lines()
        records[source] = (
            parts["emissions"].record()
            if "emissions" in parts
            else parts["targets"].record()
            if "targets" in parts
            else {table: part.record() for table, part in parts.items()}
        )
    return lines, records
