"""How fresh each figure is: the newest year a source reports for a sector, and, in words, a newer year another
source offers for the same thing ("EDGAR ends in 2023; Global Carbon Budget has 2024 for cement"); the data
vintage of every source (release, newest complete year, date accepted) for the Data page.

Pure (no Streamlit); every year is read from the data and the manifest, never typed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from decarb.contract import (
    EMISSION_SOURCES,
    INDUSTRY_SOURCES,
    LEADIT,
    SECTOR_BY_CODE,
    SECTORS,
    SOURCE_LABELS,
    sectors_for,
    within,
)
from decarb.data import Dataset

FRESHNESS_SOURCES: tuple[str, ...] = EMISSION_SOURCES + INDUSTRY_SOURCES


def newest_year(ds: Dataset, source: str, sector: str) -> int | None:
    """The newest year with any value of `source` for `sector` (its stored parts), or None."""
    return ds.derived(_newest_years).get((source, sector))


def _newest_years(ds: Dataset) -> dict[tuple[str, str], int]:
    em = ds.emissions
    leaves = em.groupby(["source", "sector"], observed=True)["year"].max()
    newest_by_leaf = {key: int(year) for key, year in leaves.items()}
    out: dict[tuple[str, str], int] = {}
    for source in FRESHNESS_SOURCES:
        for sector in SECTORS:
            years = [
                newest_by_leaf[(source, p)] for p in sectors_for(sector.code, source) if (source, p) in newest_by_leaf
            ]
            if years:
                out[(source, sector.code)] = max(years)
    return out


def _words(sector: str) -> str:
    label = SECTOR_BY_CODE[sector].label
    return label[:1].lower() + label[1:]


def fresher_note(ds: Dataset, source: str, sector: str, newest_only: bool = False) -> str:
    """In words, where another source has a newer year for `sector` or a part of it than `source` ("EDGAR ends in
    2023; Climate TRACE has 2025 for heavy industry; Global Carbon Budget 2025 has 2024 for cement (process
    CO2)"); empty when none is newer. `newest_only`: only the first source with the newest year, its sector named
    only where it is a part of `sector` ("EDGAR ends in 2023; Climate TRACE has 2025"), for a slide, which names
    its sector and where every line of text is taken from the chart."""
    own = newest_year(ds, source, sector)
    if own is None:
        return ""
    offers: list[tuple[int, str]] = []
    named: set[str] = set()
    parts = [s.code for s in SECTORS if s.code != sector and within(s.code, sector)]
    for what in (sector, *parts):
        for other in FRESHNESS_SOURCES:
            year = newest_year(ds, other, what)
            if other == source or other in named or year is None or year <= own:
                continue
            # A part counts only where the chart's own source reports that part too, or it is the part a source
            # without the whole offers (cement's process CO2): never every sub-sector of every industry source.
            if what != sector and newest_year(ds, other, sector) is not None:
                continue
            # A slide names its own sector: only a part is named there ("has 2024", "has 2024 for cement").
            what_words = "" if newest_only and what == sector else f" for {_words(what)}"
            offers.append((year, f"{SOURCE_LABELS.get(other, other)} has {year}{what_words}"))
            named.add(other)
    if not offers:
        return ""
    if newest_only:
        newest = max(year for year, _ in offers)
        offers = [next(offer for offer in offers if offer[0] == newest)]
    return f"{SOURCE_LABELS.get(source, source)} ends in {own}; " + "; ".join(text for _, text in offers)


def freshest_source(ds: Dataset, sector: str) -> str:
    """The emission source with the newest year for `sector` (the first in EMISSION_SOURCES on a tie)."""
    years = {s: y for s in EMISSION_SOURCES if (y := newest_year(ds, s, sector)) is not None}
    if not years:
        return EMISSION_SOURCES[0]
    newest = max(years.values())
    return next(s for s in EMISSION_SOURCES if years.get(s) == newest)


def source_years_words(ds: Dataset, sector: str) -> str:
    """'Global Carbon Budget 2025 to 2024, Our World in Data to 2023' for the emission sources of `sector`."""
    years = [(s, y) for s in EMISSION_SOURCES if (y := newest_year(ds, s, sector)) is not None]
    years.sort(key=lambda item: -item[1])
    return ", ".join(f"{SOURCE_LABELS.get(s, s)} to {y}" for s, y in years)


def years_text(years: pd.Series | np.ndarray) -> str:
    """'1970-2023' (or one year) for the years a chart shows; empty where none."""
    values = pd.Series(years).dropna()
    if values.empty:
        return ""
    first, last = int(values.min()), int(values.max())
    return str(last) if first == last else f"{first}-{last}"


VINTAGE_COLUMNS: tuple[str, ...] = ("Source", "Release", "Newest complete year", "Date accepted")


def vintage_table(ds: Dataset) -> pd.DataFrame:
    """Per source: its release (version, and date where stated), the newest complete year it gives (the build's
    coverage; for targets the release date, for the LeadIT facts the newest milestone), and the date its files
    were accepted (sources.json, as copied into the manifest)."""
    manifest = ds.manifest
    rows = []
    for sid, source in manifest.sources.items():
        coverage = manifest.coverage.get(sid)
        accepted = sorted({f.accepted_on for f in source.files.values()})
        if coverage is not None:
            newest = str(coverage.last_year)
        elif source.released_on:
            newest = f"targets as of {source.released_on}"
        elif sid == LEADIT and len(ds.milestones):
            newest = f"milestones to {pd.Timestamp(ds.milestones['date'].max()).date()}"
        else:
            newest = "not a yearly series"
        rows.append(
            {
                "Source": source.label,
                "Release": source.version + (f" (released {source.released_on})" if source.released_on else ""),
                "Newest complete year": newest,
                "Date accepted": accepted[-1] if len(accepted) == 1 else f"{accepted[0]} to {accepted[-1]}",
            }
        )
    return pd.DataFrame(rows, columns=list(VINTAGE_COLUMNS))
