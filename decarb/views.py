"""What each page shows, as pure functions of the dataset and the selection (no Streamlit).

The pages only lay these out; the tests call them directly and compare with what the app shows.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from decarb.contract import EMISSION_SOURCES, SOURCE_LABELS
from decarb.data import Dataset

DEFAULT_BASE_YEAR = 2015  # the Paris Agreement year; also Climate TRACE's first year
TARGET_YEARS: tuple[int, ...] = (2040, 2045, 2050, 2055, 2060, 2065, 2070)
DEFAULT_TARGET_YEAR = 2050
MIN_HISTORY = 5  # years between the base year and the latest year, at least
MEMBER_DEFINITIONS: dict[str, str] = {
    "confirmed": "Today's confirmed members, for every year",
    "with_unverified": "Today's members incl. unverified, for every year",
    "joined": "Members that had joined by the latest year",
}
DEFAULT_MEMBER_DEFINITION = "confirmed"


@dataclass(frozen=True)
class View:
    """The global selection, shared by every page (and in every page's URL)."""

    source: str = EMISSION_SOURCES[0]
    base_year: int = DEFAULT_BASE_YEAR
    target_year: int = DEFAULT_TARGET_YEAR
    members: str = DEFAULT_MEMBER_DEFINITION

    @property
    def source_label(self) -> str:
        return SOURCE_LABELS.get(self.source, self.source)


def source_years(ds: Dataset) -> dict[str, tuple[int, int]]:
    """First and last year each emission source reports."""
    em = ds.emissions
    out = {}
    for source in EMISSION_SOURCES:
        years = em.loc[em["source"] == source, "year"]
        if len(years):
            out[source] = (int(years.min()), int(years.max()))
    return out


def base_year_options(first: int, last: int) -> list[int]:
    """Base years that leave at least MIN_HISTORY years of observations after them (from 1990 at most)."""
    start = max(first, 1990)
    return list(range(start, max(start, last - MIN_HISTORY) + 1))


def default_base_year(options: list[int]) -> int:
    return DEFAULT_BASE_YEAR if DEFAULT_BASE_YEAR in options else options[0]


def table_summary(ds: Dataset) -> pd.DataFrame:
    """One row per processed table: rows, file, checksum and description from the manifest."""
    rows = []
    for name, entry in ds.manifest.get("tables", {}).items():
        frame = getattr(ds, name, None)
        rows.append({
            "table": name,
            "rows": int(entry.get("rows", len(frame) if frame is not None else 0)),
            "rows loaded": int(len(frame)) if frame is not None else None,
            "file": entry.get("file", f"{name}.parquet"),
            "sha256": entry.get("sha256", ""),
            "description": entry.get("description", ""),
        })
    return pd.DataFrame(rows)


def source_summary(manifest: dict) -> pd.DataFrame:
    """One row per source file: producer, version, licence, citation, checksum and acceptance date."""
    rows = []
    for sid, meta in manifest.get("sources", {}).items():
        files = meta.get("files", {}) or {"": {}}
        for path, info in files.items():
            rows.append({
                "source": sid,
                "title": meta.get("title", ""),
                "version": meta.get("version", ""),
                "licence": meta.get("licence", ""),
                "citation": meta.get("citation", ""),
                "url": meta.get("url", ""),
                "file": path,
                "sha256": info.get("sha256", ""),
                "accepted on": info.get("accepted_on", ""),
            })
    return pd.DataFrame(rows)


def build_line(manifest: dict) -> str:
    tables = manifest.get("tables", {})
    rows = sum(int(t.get("rows", 0)) for t in tables.values())
    return (f"Processed data built **{manifest.get('built_at', 'at an unknown time')}** by code version "
            f"`{manifest.get('code_version', 'unknown')}`: {len(tables)} tables, {rows:,} rows, from "
            f"{len(manifest.get('sources', {}))} sources. Rebuild with `make data`.")


def dataset_tables(ds: Dataset) -> dict[str, pd.DataFrame]:
    from decarb.contract import TABLES

    return {name: getattr(ds, name) for name in TABLES}


def dataset_zip(ds: Dataset) -> bytes:
    """The whole processed dataset: a zip of CSVs and a Frictionless datapackage.json."""
    from decarb.exports import dataset_zip as build

    return build(dataset_tables(ds), ds.manifest)


def quality_notes(ds: Dataset) -> str:
    """Data quality notes computed from the loaded data (markdown)."""
    from decarb.contract import SECTOR_BY_CODE

    notes = []
    m = ds.members
    countries = m[m["member_type"] == "country"]
    companies = m[m["member_type"] == "company"]
    unverified = m[m["status"] != "confirmed"]
    unknown_join = m[m["joined_on"].isna()]
    notes.append(f"**Member list is incomplete.** It names {len(countries)} countries and {len(companies)} "
                 f"companies; {len(unverified)} rows are unverified and {len(unknown_join)} have no known join "
                 "date. Compare with the counts LeadIT reported:")
    rc = ds.reported_counts.sort_values("date")
    for row in rc.itertuples():
        parts = [f"{int(v)} {label}" for v, label in ((row.countries, "countries"), (row.companies, "companies"),
                                                        (row.total, "in total")) if pd.notna(v)]
        notes.append(f"  - {pd.Timestamp(row.date).date()} ({row.event}): {', '.join(parts)}")
    years = source_years(ds)
    cover = "; ".join(f"{SOURCE_LABELS.get(s, s)} {a}-{b}" for s, (a, b) in years.items())
    notes.append(f"**Years covered:** {cover}. Sources differ in the years and sectors they report; a figure "
                 "shows one source at a time and says which.")
    em = ds.emissions
    for source in years:
        sectors = sorted(em.loc[em["source"] == source, "sector"].unique().tolist())
        labels = ", ".join(SECTOR_BY_CODE[s].label if s in SECTOR_BY_CODE else s for s in sectors)
        notes.append(f"**{SOURCE_LABELS.get(source, source)} sectors:** {labels}.")
    notes.append("**No open country-level split of heavy industry** into iron and steel, chemicals or aluminium "
                 "is in these sources; heavy industry is industrial combustion plus industrial processes (EDGAR) "
                 "or manufacturing (Climate TRACE); cement process CO2 is available separately (OWID).")
    notes.append("**Licences differ:** EDGAR's CO2 from fuel combustion is CC BY-NC-ND 4.0 (non-commercial, no "
                 "derivatives); Climate TRACE coal-mining data is CC BY-NC-SA 4.0. See Sources above.")
    return "\n".join(f"- {n}" if not n.startswith("  - ") else n for n in notes)


def method_text() -> str:
    """docs/method.md, the method document, or a pointer when it is not there yet."""
    from decarb.paths import PROJECT_ROOT

    path = PROJECT_ROOT / "docs" / "method.md"
    if path.exists():
        return path.read_text(encoding="utf-8")
    return "The method document (`docs/method.md`) is not in this build."
