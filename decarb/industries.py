"""Industries compared across sources: one country's series from every source with its scope, the latest year
they share with the differences, fuel against process, and which areas a source does not cover.

Pure (no Streamlit): the Industries page and the steel slide show what these functions return. Every number is a
row sum of the emissions table by decarb.selection's rules; nothing is estimated.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from decarb.contract import (
    ALL_GHG,
    CEMENT,
    CLIMATE_TRACE_SUBSECTORS,
    EDGAR,
    GCB,
    HEAVY_INDUSTRY,
    INDUSTRIES,
    OWID,
    SECTOR_BY_CODE,
    SECTORS,
    SOURCE_LABELS,
    UNFCCC,
    sector_label_for,
    sectors_for,
)
from decarb.selection import AreaSet, panel, series

if TYPE_CHECKING:
    from decarb.data import Dataset

SAME_INDUSTRY, CONTEXT = "same industry", "context"


@dataclass(frozen=True)
class Comparable:
    """One series of a comparison: what it is, and whether it claims the industry's scope or only frames it."""

    source: str
    sector: str
    role: str  # SAME_INDUSTRY or CONTEXT
    scope: str  # in words, for a legend


def _scope(source: str, sector: str) -> str:
    parts = sectors_for(sector, source)
    notes = "; ".join(SECTOR_BY_CODE[p].note.rstrip(".") for p in parts if SECTOR_BY_CODE[p].note)
    return f"{SOURCE_LABELS[source]}: {sector_label_for(sector, source)}" + (f" ({notes})" if notes else "")


def comparables(industry: str) -> list[Comparable]:
    """The series that answer `industry`, then the closest context: cement process CO2 for cement, else EDGAR's
    heavy industry (a whole that contains the industry, never a value for it)."""
    if industry not in INDUSTRIES:
        raise ValueError(f"Unknown industry {industry!r}: use one of {list(INDUSTRIES)}.")
    out = [Comparable(s, industry, SAME_INDUSTRY, _scope(s, industry)) for s in (CLIMATE_TRACE_SUBSECTORS, UNFCCC)]
    if industry == "cement":
        out += [Comparable(s, CEMENT, CONTEXT, _scope(s, CEMENT)) for s in (GCB, OWID, UNFCCC)]
    else:
        out.append(Comparable(EDGAR, HEAVY_INDUSTRY, CONTEXT, _scope(EDGAR, HEAVY_INDUSTRY)))
    return out


def source_series(ds: Dataset, iso3: str, industry: str, gas_set: str = ALL_GHG) -> pd.DataFrame:
    """Long frame (source, sector, role, scope, unit, year, value) of every comparable series for one area.

    A source that does not cover the area or the gas set contributes no rows (see `compare`'s `absent`).
    """
    frames = []
    for item in comparables(industry):
        values = series(ds, item.source, [iso3], item.sector, gas_set)
        if values.empty:
            continue
        frames.append(
            pd.DataFrame(
                {
                    "source": item.source,
                    "sector": item.sector,
                    "role": item.role,
                    "scope": item.scope,
                    "unit": values.attrs["unit"],
                    "year": values.index.to_numpy(),
                    "value": values.to_numpy(),
                }
            )
        )
    columns = ["source", "sector", "role", "scope", "unit", "year", "value"]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)


WHY_DIFFERENT = {
    (CLIMATE_TRACE_SUBSECTORS, UNFCCC): (
        "Independent estimate (Climate TRACE, its own co2e_100yr) against the country's own inventory (UNFCCC, "
        "GWP-100 AR4; fuel part + process part): methods, GWPs and scopes differ."
    ),
}
SCOPE_NOTES = {
    "cement": "The inventories cannot isolate cement's kiln fuel: their cement is all non-metallic minerals "
    "(1.A.2.f + 2.A), wider than Climate TRACE's cement.",
    "aluminium": "The inventories' fuel part is all non-ferrous metals (1.A.2.b), wider than aluminium.",
    "chemicals": "UNFCCC 2.B includes fluorochemical production.",
    "pulp_paper": "The inventories' part is fuel only (1.A.2.d, incl. printing).",
    "other_manufacturing": "1.A.2.g includes construction; the residuals are not the same.",
    "iron_steel": "Parties split steel's fuel and process differently (e.g. Japan reports most under 1.A.2.a): "
    "compare the sums.",
}


def compare(ds: Dataset, iso3: str, industry: str, gas_set: str = ALL_GHG) -> tuple[pd.DataFrame, dict]:
    """Each same-industry source's value in the latest year they all report, and its difference from the first.

    Returns (table, info): table rows (source, scope, unit, year, value, difference, difference_pct), info with
    `year` (None when the sources share no year), `absent` (sources without data for this area), `why`
    (reasons the values may differ), `present` (the same-industry sources with data) and `years` (the years of
    every series, same industry and context, keyed by (source, role)). Context series are left out of the
    differences: they are not the industry.
    """
    long = source_series(ds, iso3, industry, gas_set)
    same = long[long["role"] == SAME_INDUSTRY]
    present = list(dict.fromkeys(same["source"]))
    absent = [c.source for c in comparables(industry) if c.role == SAME_INDUSTRY and c.source not in present]
    # The scope notes are about the inventories' parts: said only where an inventory is compared.
    why = [SCOPE_NOTES.get(industry, "") if UNFCCC in present else ""]
    why += [text for pair, text in WHY_DIFFERENT.items() if set(pair) <= set(present)]
    years = {
        (source, role): sorted(int(y) for y in group["year"])
        for (source, role), group in long.groupby(["source", "role"], sort=False)
    }
    info: dict[str, object] = {
        "year": None,
        "absent": absent,
        "why": [w for w in why if w],
        "present": present,
        # Years each drawn series has, by (source, role): the note says which series overlap where.
        "years": years,
    }
    columns = ["source", "scope", "unit", "year", "value", "difference", "difference_pct"]
    shared = set.intersection(*(set(same.loc[same["source"] == s, "year"]) for s in present)) if present else set()
    if len(present) < 2 or not shared:
        return pd.DataFrame(columns=columns), info
    year = max(shared)
    rows = same[same["year"] == year].drop_duplicates("source")[["source", "scope", "unit", "year", "value"]]
    rows = rows.reset_index(drop=True)
    first = float(rows["value"].iloc[0])
    rows["difference"] = rows["value"] - first
    rows["difference_pct"] = 100.0 * rows["difference"] / first if first else np.nan
    info["year"] = int(year)
    return rows[columns], info


def fuel_and_process(ds: Dataset, iso3: str, industry: str, gas_set: str = ALL_GHG) -> pd.DataFrame:
    """The inventories' parts of an industry for one area: columns year, part (fuel or process), sector, value."""
    frames = []
    for sector in sectors_for(industry, UNFCCC):
        part = "fuel" if sector.endswith("_fuel") else "process"
        values = series(ds, UNFCCC, [iso3], sector, gas_set)
        frames.append(
            pd.DataFrame({"year": values.index.to_numpy(), "part": part, "sector": sector, "value": values.to_numpy()})
        )
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["year", "part", "sector", "value"])


def covered_areas(ds: Dataset, source: str, sector: str) -> list[str]:
    """Areas with at least one row for (source, sector): those the source covers; the others it does not."""
    return sorted(panel(ds, source, sector).index.tolist())


def coverage(ds: Dataset, source: str) -> pd.DataFrame:
    """Coverage table: per industry of `source`, how many and which areas it covers."""
    rows = []
    for industry in INDUSTRIES:
        if not sectors_for(industry, source):
            continue
        areas = covered_areas(ds, source, industry)
        rows.append(
            {
                "industry": industry,
                "label": SECTOR_BY_CODE[industry].label,
                "areas": len(areas),
                "covered": ", ".join(areas),
            }
        )
    return pd.DataFrame(rows, columns=["industry", "label", "areas", "covered"])


def member_series(
    ds: Dataset,
    source: str,
    industry: str,
    members: AreaSet,
    gas_set: str = ALL_GHG,
) -> tuple[pd.Series, list[str]]:
    """The members' sum for an industry and the members the source does not cover (never silently fewer)."""
    values = series(ds, source, members, industry, gas_set)
    return values, list(values.attrs.get("missing_areas", ()))


def industry_labels() -> dict[str, str]:
    """Industry code -> label, in vocabulary order (for pickers)."""
    return {s.code: s.label for s in SECTORS if s.code in INDUSTRIES}
