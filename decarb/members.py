"""LeadIT members as a group: share of world emissions, member counts over time, trends around joining.

Descriptive only: a change in trend after a country joined is a description of the data, not an effect of
membership (many things change at the same time).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from decarb.contract import EDGAR, HEAVY_INDUSTRY
from decarb.metrics import observed_rate
from decarb.selection import area_set, join_years, member_countries, panel, series, sum_areas

if TYPE_CHECKING:
    from decarb.data import Dataset

UNKNOWN_DATE = "unknown join date"


def member_share_of_world(ds: Dataset, source: str = EDGAR, sector: str = HEAVY_INDUSTRY,
                          as_of_year: int | None = None, backcast: bool = True) -> pd.DataFrame:
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
    rule = area_set(ds, "members", as_of_year, backcast).note if backcast or as_of_year else (
        "In each year, the member countries (confirmed) that had joined by 31 December of that year; "
        "members with an unknown join date are left out.")
    out.attrs = {"unit": world.attrs.get("unit", ""), "source": source, "sector": sector,
                 "note": f"{rule} World: {world.attrs.get('note', '')}"}
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


def trend_before_after(ds: Dataset, iso3: str, source: str = EDGAR, sector: str = HEAVY_INDUSTRY,
                       years: int = 5) -> dict:
    """Observed annual rate (%/yr, decarb.metrics.observed_rate) in the `years` up to and after joining.

    before: window join_year - years .. join_year; after: join_year .. join_year + years (or the latest year),
    each a least-squares rate relative to its own start. NaN with a reason when a window has too few points
    or the join date is unknown. Descriptive only: no causal claim.
    """
    rows = ds.members[(ds.members["member_type"] == "country") & (ds.members["iso3"] == iso3)]
    base = {"iso3": iso3, "source": source, "sector": sector, "years": years,
            "wording": "Descriptive trend before and after joining; not an effect of membership."}
    if rows.empty:
        return {**base, "joined_on": None, "reason": f"{iso3} is not in the member list."}
    joined = join_years(rows).iloc[0]
    if pd.isna(joined):
        return {**base, "joined_on": None, "reason": UNKNOWN_DATE, "before_pct": np.nan, "after_pct": np.nan}
    data = series(ds, source, [iso3], sector)
    before = data[(data.index >= joined - years) & (data.index <= joined)]
    after = data[(data.index >= joined) & (data.index <= joined + years)]
    result = {**base, "joined_on": rows["joined_on"].iloc[0], "join_year": int(joined), "unit": data.attrs["unit"],
              "before_pct": observed_rate(before, years),
              "after_pct": observed_rate(after, int(after.index.max() - joined)) if len(after) > 1 else np.nan,
              "after_years": int(after.index.max() - joined) if len(after) else 0}
    result["reason"] = "" if not np.isnan(result["after_pct"]) else "too few years of data after joining"
    return result
