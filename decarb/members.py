"""LeadIT members as a group: share of world emissions, member counts over time, trends around joining.

Descriptive only: a change in trend after a country joined is a description of the data, not an effect of
membership (many things change at the same time).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from decarb.contract import EDGAR, HEAVY_INDUSTRY
from decarb.selection import area_set, join_years, member_countries, panel, series, sum_areas

if TYPE_CHECKING:
    from decarb.data import Dataset


def member_share_of_world(
    ds: Dataset, source: str = EDGAR, sector: str = HEAVY_INDUSTRY, as_of_year: int | None = None, backcast: bool = True
) -> pd.DataFrame:
    """Members' emissions, the world total and the members' share (%) per year.

    Membership: backcast=True: today's members in every year (as_of_year must be None). backcast=False with
    as_of_year: the members of that year, in every year. backcast=False without as_of_year: in each year the
    members that had joined by then (zero members, share 0, before the first join; unknown dates excluded).
    Columns: year, members (unit in attrs), world, share_pct, n_members. World per decarb.selection (EDGAR: its
    own total). Years where either sum is incomplete are absent.
    """
    world = series(ds, source, area_set(ds, "world"), sector)
    if backcast or as_of_year is not None:
        codes = member_countries(ds.members, as_of_year, backcast)
        members = series(ds, source, codes, sector)
        counts = pd.Series(len(codes), index=members.index)
    else:
        members, counts = _time_varying_members(ds, source, sector)
    out = pd.DataFrame({"members": members, "world": world}).dropna()
    out["share_pct"] = 100.0 * out["members"] / out["world"]
    out["n_members"] = counts.reindex(out.index).astype(int)
    out.index.name = "year"
    rule = (
        area_set(ds, "members", as_of_year, backcast).note
        if backcast or as_of_year
        else (
            "In each year, the member countries (confirmed) that had joined by 31 December of that year; "
            "members with an unknown join date are left out."
        )
    )
    out.attrs = {
        "unit": world.attrs.get("unit", ""),
        "source": source,
        "sector": sector,
        "note": f"{rule} World: {world.attrs.get('note', '')}",
    }
    return out.reset_index()


def _time_varying_members(ds: Dataset, source: str, sector: str) -> tuple[pd.Series, pd.Series]:
    table = panel(ds, source, sector)
    rows = ds.members[(ds.members["member_type"] == "country") & (ds.members["status"] == "confirmed")]
    joined = dict(zip(rows["iso3"], join_years(rows), strict=True))
    values, counts = {}, {}
    for year in table.columns:  # one small sum per year (decades of years, not rows of data)
        codes = [c for c, y in joined.items() if not pd.isna(y) and y <= year]
        total, incomplete = sum_areas(table[[year]], codes)
        if year not in incomplete:
            values[year], counts[year] = (float(total.iloc[0]) if len(total) else 0.0), len(codes)
    return pd.Series(values, dtype=float), pd.Series(counts, dtype=int)


def member_counts(members: pd.DataFrame, reported_counts: pd.DataFrame) -> pd.DataFrame:
    """Members in the list over time, next to the counts LeadIT or governments reported.

    One row per date that is a join date or a report date: countries_listed / companies_listed (cumulative,
    known join dates only, confirmed and unverified), countries_unknown_date / companies_unknown_date (listed
    members without a date, so not placed in time), the reported countries / companies / total (NA where not
    reported that day), and gap_* = reported - listed (> 0: the list is missing members).
    """
    dates = pd.to_datetime(members["joined_on"])
    listed = {}
    for kind in ("country", "company"):
        known = dates[(members["member_type"] == kind) & dates.notna()]
        listed[kind] = known.value_counts().sort_index().cumsum()
    reported = reported_counts.assign(date=pd.to_datetime(reported_counts["date"])).set_index("date")
    index = listed["country"].index.union(listed["company"].index).union(reported.index)
    out = pd.DataFrame(index=pd.DatetimeIndex(index, name="date"))
    for kind, column in (("country", "countries"), ("company", "companies")):
        out[f"{column}_listed"] = listed[kind].reindex(index).ffill().fillna(0).astype(int)
        unknown = int(((members["member_type"] == kind) & dates.isna()).sum())
        out[f"{column}_unknown_date"] = unknown
    out["total_listed"] = out["countries_listed"] + out["companies_listed"]
    for column in ("countries", "companies", "total"):
        out[f"{column}_reported"] = reported[column].reindex(index).astype("Int64")
        out[f"gap_{column}"] = out[f"{column}_reported"] - out[f"{column}_listed"]
    out["event"] = reported["event"].reindex(index)
    return out.reset_index()


def reconciliation(members: pd.DataFrame, reported_counts: pd.DataFrame) -> pd.DataFrame:
    """Each reported count against the members the list names by that date, and the gap.

    One row per report date and part (countries, companies, total) that the report gives. named: confirmed
    members with a join date on or before the report date; gap = reported - named. The gap is then explained
    as far as the list allows, never by adding names: undated: confirmed members without a join date (they may
    or may not have joined by then); unverified: unverified members dated by then or undated; not_named = what
    no row of the list can account for (at least gap - undated - unverified). A negative gap (the list names
    more than was reported) is kept as it is: it points at a date or a count to check. undated_members and
    unverified_members name them; `explanation` says all this in words.
    """
    dates = pd.to_datetime(members["joined_on"])
    parts = {
        "countries": members["member_type"] == "country",
        "companies": members["member_type"] == "company",
        "total": pd.Series(True, index=members.index),
    }
    rows = []
    for report in reported_counts.sort_values("date").itertuples():
        when = pd.Timestamp(report.date)
        for part, in_part in parts.items():
            reported = getattr(report, part)
            if pd.isna(reported):
                continue
            confirmed, unverified = members["status"] == "confirmed", members["status"] != "confirmed"
            by_then = dates.notna() & (dates <= when)
            named = int((in_part & confirmed & by_then).sum())
            undated = members.loc[in_part & confirmed & dates.isna(), "member"].tolist()
            doubtful = members.loc[in_part & unverified & (by_then | dates.isna()), "member"].tolist()
            gap = int(reported) - named
            rows.append(
                {
                    "date": report.date,
                    "event": report.event,
                    "part": part,
                    "reported": int(reported),
                    "named": named,
                    "gap": gap,
                    "undated": len(undated),
                    "unverified": len(doubtful),
                    "not_named": max(gap - len(undated) - len(doubtful), 0),
                    "undated_members": ", ".join(undated),
                    "unverified_members": ", ".join(doubtful),
                    "explanation": _explain(part, int(reported), named, gap, undated, doubtful),
                    "source_url": report.source_url,
                }
            )
    return pd.DataFrame(
        rows,
        columns=[
            "date",
            "event",
            "part",
            "reported",
            "named",
            "gap",
            "undated",
            "unverified",
            "not_named",
            "undated_members",
            "unverified_members",
            "explanation",
            "source_url",
        ],
    )


def _explain(part: str, reported: int, named: int, gap: int, undated: list[str], doubtful: list[str]) -> str:
    noun = {"total": "members in total"}.get(part, part)
    text = f"Reported {reported} {noun}; the list names {named} confirmed by then"
    said = [f"{len(undated)} confirmed without a join date ({', '.join(undated)})"] if undated else []
    said += [f"{len(doubtful)} unverified ({', '.join(doubtful)})"] if doubtful else []
    held = f"{'; '.join(said)}." if said else ""
    if gap <= 0:
        text += ": no gap." if gap == 0 else f", {-gap} more than reported: a join date or the count needs checking."
        return f"{text} Not counted: {held}" if held else text
    text += f"; gap {gap}."
    if said:
        text += (
            f" Of the gap, at most {min(gap, len(undated) + len(doubtful))} may be rows the list holds but "
            f"cannot count: {held}"
        )
    unexplained = max(gap - len(undated) - len(doubtful), 0)
    if unexplained:
        text += (
            f" At least {unexplained} {'member is' if unexplained == 1 else 'members are'} not named in the "
            "list: it is known to be incomplete."
        )
    return text
