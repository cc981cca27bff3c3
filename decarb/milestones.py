"""LeadIT milestones and join dates as data for time charts: which to mark, their words, and where a member's
join date falls on its line. Drawing them (dotted lines, labels laid out above the plot, join stars) is the
rendering layer's: decarb.render.marks.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from decarb.contract import MILESTONE_KINDS
from decarb.data import Dataset


def milestone_frame(milestones: pd.DataFrame) -> pd.DataFrame:
    """The milestones table with what a chart needs: date (Timestamp), year (decimal, for year axes), label
    (the kind's short word) and hover (date, event, what happened, source). In date order."""
    frame = milestones.assign(date=pd.to_datetime(milestones["date"])).sort_values("date", kind="stable")
    start = pd.to_datetime(frame["date"].dt.year.astype(str) + "-01-01")
    days = frame["date"].dt.is_leap_year.map({True: 366, False: 365})
    frame["year"] = frame["date"].dt.year + (frame["date"] - start).dt.days / days
    frame["label"] = frame["kind"].map(MILESTONE_KINDS)
    frame["hover"] = [
        f"<b>{d:%d %b %Y}: {e}</b><br>{w}<br>Source: {u}"
        for d, e, w, u in zip(frame["date"], frame["event"], frame["what_happened"], frame["source_url"], strict=True)
    ]
    return frame.reset_index(drop=True)


def _dataset_milestone_frame(ds: Dataset) -> pd.DataFrame:
    return milestone_frame(ds.milestones)


def chart_milestones(ds: Dataset) -> pd.DataFrame:
    """milestone_frame of the dataset's milestones (read-only, Dataset.derived: every marked chart needs it)."""
    return ds.derived(_dataset_milestone_frame)


@dataclass(frozen=True)
class Marks:
    """What was marked on a figure, and what was not (outside the drawn years), so a page can say so."""

    shown: pd.DataFrame  # milestone_frame rows drawn, with x (the date's axis value), row and label_x
    outside: pd.DataFrame  # milestone_frame rows outside the figure's x range
    band_px: int = 0  # the height the figure grew by for the labels above the plot (decarb.render.marks)

    @property
    def named(self) -> str:
        """The milestones marked, in words (a text equivalent of the labels)."""
        return "; ".join(
            f"{d:%b %Y} {label} ({event})"
            for d, label, event in zip(self.shown["date"], self.shown["label"], self.shown["event"], strict=True)
        )

    @property
    def note(self) -> str:
        if self.outside.empty:
            return ""
        names = "; ".join(f"{d:%b %Y} {e}" for d, e in zip(self.outside["date"], self.outside["event"], strict=True))
        return f"Not marked (outside the years shown): {names}."


def join_markers(members: pd.DataFrame, points: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Where each member country's join date falls on its line, and the members that cannot be placed.

    points: what a country chart plots, columns iso3, year, value (one line per iso3). Returns (marked, unplaced):
    marked has iso3, member, status, joined_on, year, value, hover; unplaced has iso3, member, reason (join date
    unknown, or no value in the join year).
    """
    # isin() of the few distinct codes, not of the whole column (a row per point).
    countries = members[(members["member_type"] == "country") & members["iso3"].isin(points["iso3"].unique())]
    # A dict of the member countries' points, not a MultiIndex of all points built for each chart.
    # (Filtered, then whole columns as lists: iterating a pandas string column goes element by element.)
    mine = points[points["iso3"].isin(countries["iso3"].tolist())]
    values = {
        (code, int(year)): float(value)
        for code, year, value in zip(mine["iso3"].tolist(), mine["year"].tolist(), mine["value"].tolist(), strict=True)
    }
    marked, unplaced = [], []
    for row in countries.itertuples():
        if pd.isna(row.joined_on):
            unplaced.append({"iso3": row.iso3, "member": row.member, "reason": "join date unknown"})
            continue
        joined = pd.Timestamp(row.joined_on)
        if (row.iso3, joined.year) not in values:
            unplaced.append({"iso3": row.iso3, "member": row.member, "reason": f"no value in {joined.year}"})
            continue
        event = f" ({row.join_event})" if isinstance(row.join_event, str) else ""
        marked.append(
            {
                "iso3": row.iso3,
                "member": row.member,
                "status": row.status,
                "joined_on": row.joined_on,
                "year": joined.year,
                "value": values[(row.iso3, joined.year)],
                "hover": f"<b>{row.member} joined LeadIT</b><br>{joined:%d %b %Y}{event}<br>"
                f"Status: {row.status}<br>Source: {row.source_url}",
            }
        )
    return (
        pd.DataFrame(marked, columns=["iso3", "member", "status", "joined_on", "year", "value", "hover"]),
        pd.DataFrame(unplaced, columns=["iso3", "member", "reason"]),
    )
