"""Pathways from a base year to a target year: a straight line to a residual share.

It returns a pd.Series indexed by every year from the base year to the target year (inclusive), in the unit of
`base_value`. The base year defaults (in the callers) to the latest year with data; the target year to 2050, or
a country's own net-zero year from the Net Zero Tracker, its newest release (`target_year_for`), stated as such.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from decarb.metrics import DEFAULT_TARGET_YEAR, check_residual
from decarb.targets import release_label

if TYPE_CHECKING:
    from decarb.data import Dataset

LINEAR = "linear"
# Net Zero Tracker end-target kinds that mean reaching (net) zero by the target year. Others ("Emissions reduction
# target", "Reduction v. BAU", "1.5°C target", "Other", "No target", ...) are not a net-zero year and are ignored.
NET_ZERO_KINDS: frozenset[str] = frozenset(
    {"Net zero", "Carbon neutral(ity)", "Climate neutral", "GHG neutral(ity)", "Zero carbon"}
)


def _check(base_year: int, base_value: float, target_year: int, residual_share: float) -> None:
    check_residual(residual_share)
    if target_year <= base_year:
        raise ValueError(f"target_year ({target_year}) must be after base_year ({base_year}).")
    if not math.isfinite(base_value) or base_value <= 0:
        raise ValueError(f"base_value must be a positive number: got {base_value}.")


def _years(base_year: int, target_year: int) -> pd.Index:
    return pd.Index(np.arange(base_year, target_year + 1), name="year")


def linear_pathway(
    base_year: int, base_value: float, target_year: int = DEFAULT_TARGET_YEAR, residual_share: float = 0.0
) -> pd.Series:
    """Straight line from base_value in base_year to residual_share * base_value in target_year.

    value(t) = v_B * (1 - (1 - r) * (t - B) / (T - B)). Raises ValueError when target_year <= base_year,
    base_value is not positive, or residual_share is outside [0, 1).
    """
    _check(base_year, base_value, target_year, residual_share)
    years = _years(base_year, target_year)
    fraction = (years.to_numpy() - base_year) / (target_year - base_year)
    values = base_value * (1.0 - (1.0 - residual_share) * fraction)
    values[-1] = base_value * residual_share  # exact in the target year, free of rounding
    return pd.Series(values, index=years, name=LINEAR)


def target_years(ds: Dataset) -> pd.DataFrame:
    """Each country's own end-target year (Net Zero Tracker, newest release): index iso3, columns year, note.

    Rows considered: actor_type "country", an end_target in NET_ZERO_KINDS, and a year. When a country has
    several such rows, the earliest year is taken (the note says so). Read-only (Dataset.derived).
    """
    return ds.derived(_target_years)


NO_TARGET = "No net-zero target in the tracker"
NO_STATUS = "Status not given"


def members_target_years(targets: pd.DataFrame, own: pd.DataFrame, codes: Sequence[str]) -> pd.DataFrame:
    """Each country of `codes` with its own net-zero year (`own`: target_years) as text, or "No target", and
    that target's status in the tracker (`targets`: the targets table; NO_STATUS where it gives none, NO_TARGET
    without a target): columns iso3, category, status, in the order of `codes`."""
    rows = targets[
        (targets["actor_type"] == "country")
        & targets["end_target"].isin(NET_ZERO_KINDS)
        & targets["end_target_year"].notna()
    ]
    status_of = {
        (c, int(y)): (s if isinstance(s, str) and s else NO_STATUS)
        for c, y, s in zip(rows["iso3"], rows["end_target_year"], rows["end_target_status"], strict=True)
    }
    out = []
    for code in codes:
        if code in own.index:
            year = int(own.loc[code, "year"])
            out.append((code, str(year), status_of.get((code, year), NO_STATUS)))
        else:
            out.append((code, "No target", NO_TARGET))
    return pd.DataFrame(out, columns=["iso3", "category", "status"])


def _target_years(ds: Dataset) -> pd.DataFrame:
    t = ds.targets
    rows = t[
        (t["actor_type"] == "country")
        & t["iso3"].notna()
        & t["end_target_year"].notna()
        & t["end_target"].isin(NET_ZERO_KINDS)
    ]
    rows = rows.assign(year=rows["end_target_year"].astype(int)).sort_values(["iso3", "year"])
    counts = rows.groupby("iso3").size()
    first = rows.drop_duplicates("iso3").set_index("iso3")
    status = first["end_target_status"].fillna("status not given")
    more = counts.reindex(first.index).map(lambda n: f" (earliest of {n} entries)" if n > 1 else "")
    release = first["end_target_snapshot"].map(lambda d: release_label(ds, d))
    note = first["end_target"] + " by " + first["year"].astype(str) + " (" + status + "), " + release + more
    return pd.DataFrame({"year": first["year"], "note": note})


def target_year_for(ds: Dataset, iso3: str, default: int = DEFAULT_TARGET_YEAR) -> tuple[int, str]:
    """(target year, description): the country's own end-target year from `target_years`, or the default.

    Without a usable Net Zero Tracker entry: (default, a note saying the default is used).
    """
    own = target_years(ds)
    if iso3 not in own.index:
        return default, f"No net-zero target year for {iso3} in the Net Zero Tracker: default {default}."
    return int(own.loc[iso3, "year"]), str(own.loc[iso3, "note"])
