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

from decarb.contract import (
    CLIMATE_TRACE_SUBSECTORS,
    CLIMATE_TRACE_V5,
    EMISSION_SOURCES,
    GEM_STEEL,
    INDUSTRY_SOURCES,
    IRON_STEEL,
    LEADIT,
    NET_ZERO_TRACKER,
    NET_ZERO_TRACKER_2025,
    OPERATING,
    OPERATING_PRE_RETIREMENT,
    SOURCE_LABELS,
    WORLDSTEEL,
)
from etl.leadit import MEMBER_COLUMNS

# Member fields whose change is reported one by one: every column of the member list but its key and the notes,
# which are free text, so only their count is reported.
MEMBER_FIELDS: tuple[str, ...] = tuple(c for c in MEMBER_COLUMNS if c not in ("member", "note"))
EMISSION_KEY: list[str] = ["iso3", "sector", "gas", "year"]
TARGET_SOURCES: tuple[str, ...] = (NET_ZERO_TRACKER, NET_ZERO_TRACKER_2025)
LARGEST_SHOWN = 5  # largest relative changes named in a note line (the manifest's "changes" keeps 20)
LARGEST_KEPT = 20
# The steel tables a change report compares (the build reads them from the previous build).
STEEL_TABLES: tuple[str, ...] = ("steel_plants", "steel_capacity", "steel_units", "production", "company_steel_owners")


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
class ValueChanges:
    """One source's rows of a long table (an area, a series, a year, a value) in two builds, value by value.

    `per` names what "largest relative change per ..." is per; `largest` holds the table's key columns first."""

    label: str
    per: str
    areas_appeared: list[str]
    areas_vanished: list[str]
    years_appeared: list[int]
    years_vanished: list[int]
    values_compared: int
    values_changed: int
    largest: pd.DataFrame = field(repr=False)  # per area and series, its largest relative change, largest first
    # Sector x gas series present in one build only (a release without a CO2-only series drops one).
    series_appeared: list[str] = field(default_factory=list)
    series_vanished: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [
            f"{self.label}: areas appeared: {_listed(self.areas_appeared)}; vanished: "
            f"{_listed(self.areas_vanished)}; years appeared: {_listed(self.years_appeared)}; vanished: "
            f"{_listed(self.years_vanished)}; {self.values_changed:,} of {self.values_compared:,} values in both "
            "builds changed."
        ]
        if len(self.largest):
            key = list(self.largest.columns[: self.largest.columns.get_loc("before")])
            shown = "; ".join(
                f"{' '.join(str(r[c]) for c in key)}: {r['relative_change']:+.1%} ({r['before']:.4g} -> "
                f"{r['after']:.4g} {r['unit']})"
                for _, r in self.largest.head(LARGEST_SHOWN).iterrows()
            )
            out.append(f"{self.label}: largest relative changes per {self.per}: {shown}.")
        if self.series_appeared or self.series_vanished:
            out.append(
                f"{self.label}: series (sector gas) appeared: {_listed(self.series_appeared)}; vanished: "
                f"{_listed(self.series_vanished)}."
            )
        return out

    def record(self) -> dict:
        largest = self.largest.head(LARGEST_KEPT).astype({"year": int})
        series = {"series_appeared": self.series_appeared, "series_vanished": self.series_vanished}
        return {
            **{key: value for key, value in series.items() if value},
            "areas_appeared": self.areas_appeared,
            "areas_vanished": self.areas_vanished,
            "years_appeared": self.years_appeared,
            "years_vanished": self.years_vanished,
            "values_compared": self.values_compared,
            "values_changed": self.values_changed,
            "largest": largest.to_dict(orient="records"),
        }


def value_changes(old: pd.DataFrame, new: pd.DataFrame, key: list[str], label: str, per: str) -> ValueChanges:
    """Rows matched on `key` (iso3 first, year last); the largest relative change is kept per key minus year.

    Relative change = (after - before) / |before|, only where before is not zero (from zero it has no size);
    values present in one build only are counted as areas or years that appeared or vanished.
    """
    both = old[[*key, "value"]].merge(new[[*key, "value", "unit"]], on=key, suffixes=("_before", "_after"))
    both = both.rename(columns={"value_before": "before", "value_after": "after"})
    differs = both["before"] != both["after"]
    sized = both[differs & (both["before"] != 0)].copy()
    sized["relative_change"] = (sized["after"] - sized["before"]) / sized["before"].abs()
    order = sized["relative_change"].abs().sort_values(ascending=False, kind="stable").index
    series_key = [c for c in key if c not in ("year", "gas")]
    largest = sized.loc[order].drop_duplicates(series_key).reset_index(drop=True)
    # unique() before set(): iterating an Arrow string column row by row took over a second here.
    old_areas, new_areas = set(old["iso3"].unique()), set(new["iso3"].unique())
    old_years, new_years = {int(y) for y in old["year"].unique()}, {int(y) for y in new["year"].unique()}
    return ValueChanges(
        label=label,
        per=per,
        areas_appeared=sorted(new_areas - old_areas),
        areas_vanished=sorted(old_areas - new_areas),
        years_appeared=sorted(new_years - old_years),
        years_vanished=sorted(old_years - new_years),
        values_compared=len(both),
        values_changed=int(differs.sum()),
        largest=largest[[*key, "before", "after", "unit", "relative_change"]],
    )


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
class CompanyIdChanges:
    """The member companies' GEM ids: pairs added or removed, and pairs whose note or source was edited."""

    added: list[str]  # "company: id"
    removed: list[str]
    edited: list[str]

    def lines(self) -> list[str]:
        return [
            f"LeadIT member companies' GEM ids: added: {_listed(self.added)}; removed: {_listed(self.removed)}; "
            f"note or source edited: {_listed(self.edited)}."
        ]

    def record(self) -> dict:
        return {"added": self.added, "removed": self.removed, "edited": self.edited}


def company_id_changes(before: pd.DataFrame, after: pd.DataFrame) -> CompanyIdChanges:
    def keyed(frame: pd.DataFrame) -> dict[str, tuple[str, str]]:
        return {f"{r.company}: {r.gem_entity_id}": (_text(r.note), _text(r.source_url)) for r in frame.itertuples()}

    old, new = keyed(before), keyed(after)
    return CompanyIdChanges(
        added=[k for k in new if k not in old],
        removed=[k for k in old if k not in new],
        edited=[k for k in new if k in old and new[k] != old[k]],
    )


@dataclass
class SteelChanges:
    """GEM plants and furnaces: what was added or removed, and where capacity moved (per plant, status, stage)."""

    plants_before: int
    plants_after: int
    plants_added: list[str]  # "P... (name)"
    plants_removed: list[str]
    status_changed: list[str]  # "P... (name): before -> after"
    units_before: int
    units_after: int
    units_added: list[str]
    units_removed: list[str]
    operating_steel_before: float  # Mt, operating + operating pre-retirement, steel-making
    operating_steel_after: float
    moves: pd.DataFrame = field(repr=False)  # plant_id, plant_name, status, stage, before, after, change (Mt)

    def lines(self) -> list[str]:
        label = SOURCE_LABELS[GEM_STEEL]
        out = [
            f"{label}: plants {self.plants_before:,} -> {self.plants_after:,} ({len(self.plants_added)} added, "
            f"{len(self.plants_removed)} removed, {len(self.status_changed)} changed status); units "
            f"{self.units_before:,} -> {self.units_after:,} ({len(self.units_added)} added, "
            f"{len(self.units_removed)} removed); operating + pre-retirement crude steel capacity "
            f"{self.operating_steel_before:,.1f} -> {self.operating_steel_after:,.1f} Mt.",
            f"{label}: plants added: {_listed(self.plants_added[:LARGEST_SHOWN])}"
            f"{' ...' if len(self.plants_added) > LARGEST_SHOWN else ''}; removed: "
            f"{_listed(self.plants_removed[:LARGEST_SHOWN])}"
            f"{' ...' if len(self.plants_removed) > LARGEST_SHOWN else ''}.",
        ]
        if len(self.moves):
            shown = "; ".join(
                f"{r.plant_id} ({r.plant_name}) {r.status} {r.stage}: {r.before:.4g} -> {r.after:.4g} Mt"
                for r in self.moves.head(LARGEST_SHOWN).itertuples()
            )
            out.append(f"{label}: largest capacity moves per plant, status and stage: {shown}.")
        return out

    def record(self) -> dict:
        return {
            "plants_before": self.plants_before,
            "plants_after": self.plants_after,
            "plants_added": self.plants_added,
            "plants_removed": self.plants_removed,
            "status_changed": self.status_changed,
            "units_before": self.units_before,
            "units_after": self.units_after,
            "units_added": self.units_added,
            "units_removed": self.units_removed,
            "operating_steel_before": self.operating_steel_before,
            "operating_steel_after": self.operating_steel_after,
            "moves": self.moves.head(LARGEST_KEPT).to_dict(orient="records"),
        }


def _named(plants: pd.DataFrame, ids: list[str]) -> list[str]:
    names = plants.set_index("plant_id")["plant_name"]
    return [f"{i} ({names.get(i, '?')})" for i in ids]


def _running_steel(capacity: pd.DataFrame) -> float:
    running = capacity["status"].isin([OPERATING, OPERATING_PRE_RETIREMENT]) & (capacity["stage"] == "steel")
    return float(capacity.loc[running, "capacity_mt"].sum())


def steel_changes(before: dict[str, pd.DataFrame], after: dict[str, pd.DataFrame]) -> SteelChanges:
    """Plants and units matched by their GEM ids; capacity per plant, status and stage (technologies summed)."""
    old_plants, new_plants = before["steel_plants"], after["steel_plants"]
    old_ids, new_ids = list(old_plants["plant_id"]), list(new_plants["plant_id"])
    old_set, new_set = set(old_ids), set(new_ids)
    statuses = old_plants.set_index("plant_id")["plant_status"].to_dict()
    changed = [
        f"{r.plant_id} ({r.plant_name}): {statuses[r.plant_id]} -> {r.plant_status}"
        for r in new_plants.itertuples()
        if r.plant_id in statuses and statuses[r.plant_id] != r.plant_status
    ]
    key = ["plant_id", "status", "stage"]
    sums = [
        frame.groupby(key, observed=True)["capacity_mt"].sum()
        for frame in (before["steel_capacity"], after["steel_capacity"])
    ]
    both = pd.concat(sums, axis=1, keys=["before", "after"]).fillna(0.0)
    moved = both[(both["before"] - both["after"]).abs() > 1e-9].reset_index()
    moved["change"] = moved["after"] - moved["before"]
    moved = moved.loc[moved["change"].abs().sort_values(ascending=False, kind="stable").index].reset_index(drop=True)
    names = pd.concat([old_plants, new_plants]).drop_duplicates("plant_id", keep="last").set_index("plant_id")
    moved.insert(1, "plant_name", moved["plant_id"].map(names["plant_name"]))
    old_units, new_units = set(before["steel_units"]["unit_id"]), set(after["steel_units"]["unit_id"])
    return SteelChanges(
        plants_before=len(old_ids),
        plants_after=len(new_ids),
        plants_added=_named(new_plants, [i for i in new_ids if i not in old_set]),
        plants_removed=_named(old_plants, [i for i in old_ids if i not in new_set]),
        status_changed=changed,
        units_before=len(old_units),
        units_after=len(new_units),
        units_added=sorted(new_units - old_units),
        units_removed=sorted(old_units - new_units),
        operating_steel_before=_running_steel(before["steel_capacity"]),
        operating_steel_after=_running_steel(after["steel_capacity"]),
        moves=moved,
    )


def production_changes(before: pd.DataFrame, after: pd.DataFrame) -> ValueChanges:
    return value_changes(before, after, ["iso3", "product", "year"], SOURCE_LABELS[WORLDSTEEL], "area")


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


def emission_changes(
    before: pd.DataFrame, after: pd.DataFrame, source: str, sectors: tuple[str, ...] | None = None
) -> ValueChanges:
    """One source's rows in two builds of the emissions table, compared value by value on the table's key."""
    old = before[before["source"] == source]
    new = after[after["source"] == source]
    if sectors is not None:  # one release's part of a source (Climate TRACE v5.7.0: iron and steel)
        old, new = old[old["sector"].isin(sectors)], new[new["sector"].isin(sectors)]
    changes = value_changes(old, new, EMISSION_KEY, SOURCE_LABELS[source], "area and sector")
    changes.series_appeared = sorted(_series(new) - _series(old))
    changes.series_vanished = sorted(_series(old) - _series(new))
    return changes


def _series(rows: pd.DataFrame) -> set[str]:
    return {f"{sector} {gas}" for sector, gas in rows[["sector", "gas"]].drop_duplicates().itertuples(index=False)}


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
        parts: dict[
            str,
            MemberChanges | ValueChanges | MilestoneChanges | CompanyIdChanges | SteelChanges | TargetChanges,
        ]
        if source == GEM_STEEL:
            names = ("steel_plants", "steel_capacity", "steel_units")
            parts = {"steel": steel_changes(previous, tables)} if all(n in previous for n in names) else {}
        elif source == WORLDSTEEL:
            parts = (
                {"production": production_changes(previous["production"], tables["production"])}
                if "production" in previous
                else {}
            )
        elif source == CLIMATE_TRACE_V5:
            parts = (
                {
                    "emissions": emission_changes(
                        previous["emissions"], tables["emissions"], CLIMATE_TRACE_SUBSECTORS, (IRON_STEEL,)
                    )
                }
                if "emissions" in previous
                else {}
            )
        elif source == LEADIT:
            reports: dict[
                str, Callable[[pd.DataFrame, pd.DataFrame], MemberChanges | MilestoneChanges | CompanyIdChanges]
            ] = {
                "members": member_changes,
                "milestones": milestone_changes,
                "company_steel_owners": company_id_changes,
            }
            parts = {
                table: compare(previous[table], tables[table])
                for table, compare in reports.items()
                if table in previous
            }
        elif source in (*EMISSION_SOURCES, *INDUSTRY_SOURCES):
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
            else next(iter(parts.values())).record()
            if len(parts) == 1 and source != LEADIT
            else {table: part.record() for table, part in parts.items()}
        )
    return lines, records
