"""Members: where the member countries are, how membership grew, and the company members."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from decarb import provenance, theme
from decarb.chartspec import ChartKind, ChartSpec, chart_spec
from decarb.contract import CONFIRMED, LEADIT, SOURCE_LABELS, UNVERIFIED
from decarb.data import Dataset
from decarb.members import member_counts, reconciliation
from decarb.milestones import milestone_frame
from decarb.provenance import REPORTED_COUNTS_LABEL
from decarb.screens.shared import country_names, with_milestones
from decarb.targets import release_label
from decarb.view import View


def member_map(ds: Dataset) -> ChartSpec:

    m = ds.members[ds.members["member_type"] == "country"]
    data = pd.DataFrame(
        {
            "iso3": m["iso3"],
            "area_name": m["member"],
            "category": m["status"].map({CONFIRMED: "Confirmed member", UNVERIFIED: "Unverified (not confirmed)"}),
            "joined_on": m["joined_on"].astype(str).replace({"None": "", "nan": ""}),
            "unit": "",
            "source_label": SOURCE_LABELS[LEADIT],
        }
    )
    return chart_spec(
        ChartKind.CATEGORY_MAP,
        provenance.with_licence(data, ds.manifest),
        title="LeadIT member countries",
        subtitle=f"{len(data)} countries named in the member list (member facts to {newest_fact(ds)})",
        colours={"Confirmed member": theme.MEMBER, "Unverified (not confirmed)": theme.NON_MEMBER},
        name="members-map",
    )


def member_timeline(ds: Dataset, milestones: bool = True) -> ChartSpec:
    """Members named vs counts reported over time, with LeadIT's milestones marked unless `milestones` is off.

    Takes the one setting of the view it depends on, not the view: a cache keyed by the whole view would compute
    it again for every base year, source and target year."""

    counts = member_counts(ds.members, ds.reported_counts)
    parts = []
    for label, listed, reported in (
        ("Countries", "countries_listed", "countries_reported"),
        ("Companies", "companies_listed", "companies_reported"),
    ):
        named = (
            counts[["date", listed]]
            .rename(columns={listed: "value"})
            .assign(series=label, kind="named", source_label=SOURCE_LABELS[LEADIT])
        )
        rep = (
            counts[["date", reported]]
            .rename(columns={reported: "value"})
            .dropna()
            .assign(series=label, kind="reported", source_label=REPORTED_COUNTS_LABEL)
        )
        parts += [named, rep]
    data = pd.concat(parts, ignore_index=True)[["series", "kind", "date", "value", "source_label"]]
    data["value"] = data["value"].astype(float)
    data["unit"] = "members"
    chart = chart_spec(
        ChartKind.TIMELINE,
        provenance.with_licence(data, ds.manifest),
        title="LeadIT members over time: named vs reported",
        subtitle="Steps: members named in the list with a known join date; open markers: counts reported at events"
        f" (member facts to {newest_fact(ds)})",
        name="members-timeline",
    )
    return with_milestones(chart, ds, View(milestones=milestones))


def newest_fact(ds: Dataset) -> str:
    """The newest date among the members' join dates and the reported counts: how fresh the member facts are."""
    dates = [*ds.members["joined_on"].dropna(), *ds.reported_counts["date"].dropna()]
    return str(max(pd.Timestamp(d).date() for d in dates)) if dates else "an unknown date"


def _norm(name: str) -> str:

    return re.sub(r"[^a-z0-9 ]", "", str(name).lower()).strip()


def _tracker_entry(member: str, home_iso3: str | None, by_name: dict[str, list[Any]]) -> Any | None:
    """The Net Zero Tracker company for a member: the same name once lower-cased and stripped of punctuation, or
    one name a whole-word prefix of the other ("SSAB" / "SSAB AB"); in the member's home country when both
    say where they are, so a namesake elsewhere is never taken."""
    key = _norm(member)
    candidates = by_name.get(key) or [
        row
        for name, rows in by_name.items()
        for row in rows
        if name.startswith(key + " ") or key.startswith(name + " ")
    ]
    for row in candidates:
        if pd.isna(home_iso3) or pd.isna(row.iso3) or row.iso3 == home_iso3:
            return row
    return None


def company_members(ds: Dataset) -> pd.DataFrame:
    """Company members with sector, home country, status and the Net Zero Tracker target where it covers them
    (the tracker entry matched is named, so the match can be checked)."""
    m = ds.members[ds.members["member_type"] == "company"]
    t = ds.targets[ds.targets["actor_type"] == "company"]
    by_name: dict[str, list[Any]] = {}  # rows of t.itertuples(): namedtuples of the targets table's columns
    for name, entry in zip(t["name"], t.itertuples(), strict=True):
        by_name.setdefault(_norm(name), []).append(entry)
    names = country_names(ds)
    rows = []
    for r in m.itertuples():
        match = _tracker_entry(r.member, r.home_iso3, by_name)
        year = "" if match is None or pd.isna(match.end_target_year) else int(match.end_target_year)
        rows.append(
            {
                "Member": r.member + ("" if r.status == CONFIRMED else " (UNVERIFIED)"),
                "Sector": r.sector,
                "Home country": names.get(r.home_iso3, r.home_iso3),
                "Joined": "" if pd.isna(r.joined_on) else str(r.joined_on),
                "Status": r.status,
                "Net-zero target": "not covered by the tracker"
                if match is None
                else f"{match.end_target} {year}".strip(),
                "Target status": "" if match is None or pd.isna(match.end_target_status) else match.end_target_status,
                "Target as of": "" if match is None else release_label(ds, match.end_target_snapshot),
                "Tracker entry": "" if match is None else f"{match.name} ({match.actor_id})",
                "Source": r.source_url,
            }
        )
    return pd.DataFrame(rows)


def country_members(ds: Dataset) -> pd.DataFrame:
    m = ds.members[ds.members["member_type"] == "country"]
    return pd.DataFrame(
        {
            "Member": [
                n + ("" if s == CONFIRMED else " (UNVERIFIED)") for n, s in zip(m["member"], m["status"], strict=True)
            ],
            "Code": m["iso3"].to_numpy(),
            "Joined": m["joined_on"].astype(str).replace({"None": ""}).to_numpy(),
            "Event": m["join_event"].to_numpy(),
            "Status": m["status"].to_numpy(),
            "Source": m["source_url"].to_numpy(),
        }
    )


def milestone_table(ds: Dataset) -> pd.DataFrame:
    """LeadIT's milestones, in date order, each with what happened and its source (what the charts mark)."""
    frame = milestone_frame(ds.milestones)
    return pd.DataFrame(
        {
            "Date": frame["date"].dt.date,
            "Marked as": frame["label"],
            "Event": frame["event"],
            "What happened": frame["what_happened"],
            "Source": frame["source_url"],
        }
    )


RECONCILIATION_NOTE = (
    "Named: confirmed members whose join date is on or before the report. The gap is never "
    "filled with names: members without a join date and unverified members may account for part "
    "of it; the rest are members the list does not name (it is known to be incomplete)."
)


def reconciliation_table(ds: Dataset) -> pd.DataFrame:
    """Each count LeadIT or a government reported against the members the list names by then, and the gap."""
    rows = reconciliation(ds.members, ds.reported_counts)
    return pd.DataFrame(
        {
            "Reported on": pd.to_datetime(rows["date"]).dt.date,
            "Event": rows["event"],
            "Count of": rows["part"],
            "Reported": rows["reported"],
            "Named by then": rows["named"],
            "Gap": rows["gap"],
            "Undated (confirmed)": rows["undated"],
            "Unverified": rows["unverified"],
            "Not named in the list": rows["not_named"],
            "Explanation": rows["explanation"],
            "Source": rows["source_url"],
        }
    )
