"""Data and method: what is loaded, where it comes from, how it is processed, and the whole dataset."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd

from decarb import provenance
from decarb.contract import CONFIRMED, SECTOR_BY_CODE, SOURCE_LABELS, TABLES
from decarb.data import Dataset
from decarb.exports import dataset_zip as build_zip
from decarb.paths import PROJECT_ROOT
from decarb.provenance import Manifest
from decarb.view import source_years


def table_summary(ds: Dataset) -> pd.DataFrame:
    """One row per processed table: rows, file, checksum and description from the manifest."""
    rows = []
    for name, entry in ds.manifest.tables.items():
        frame = getattr(ds, name, None)
        rows.append(
            {
                "table": name,
                "rows": entry.rows,
                "rows loaded": int(len(frame)) if frame is not None else None,
                "file": entry.file,
                "sha256": entry.sha256,
                "description": entry.description,
            }
        )
    return pd.DataFrame(rows)


def source_summary(manifest: Manifest) -> pd.DataFrame:
    """One row per source file: producer, version, licence, citation, checksum and acceptance date."""
    return pd.DataFrame(provenance.source_rows(manifest))


def source_files(ds: Dataset) -> pd.DataFrame:
    """The raw files behind the data: source, file, checksum, acceptance date, version, licence and origin."""
    return source_summary(ds.manifest)[["source", "file", "sha256", "accepted on", "version", "licence", "origin"]]


def build_line(manifest: Manifest) -> str:
    return provenance.build_line(manifest)


def dataset_tables(ds: Dataset) -> dict[str, pd.DataFrame]:

    return {name: getattr(ds, name) for name in TABLES}


def dataset_zip(ds: Dataset) -> bytes:
    """The whole processed dataset: a zip of CSVs and a Frictionless datapackage.json."""
    return build_zip(dataset_tables(ds), ds.manifest)


def quality_notes(ds: Dataset) -> str:
    """Data quality notes computed from the loaded data (markdown)."""
    notes = []
    m = ds.members
    countries = m[m["member_type"] == "country"]
    companies = m[m["member_type"] == "company"]
    unverified = m[m["status"] != CONFIRMED]
    unknown_join = m[m["joined_on"].isna()]
    notes.append(
        f"**Member list is incomplete.** It names {len(countries)} countries and {len(companies)} "
        f"companies; {len(unverified)} rows are unverified and {len(unknown_join)} have no known join "
        "date. Compare with the counts LeadIT reported:"
    )
    rc = ds.reported_counts.sort_values("date")
    for row in rc.itertuples():
        parts = [
            f"{int(v)} {label}"
            for v, label in ((row.countries, "countries"), (row.companies, "companies"), (row.total, "in total"))
            if pd.notna(v)
        ]
        notes.append(f"  - {pd.Timestamp(row.date).date()} ({row.event}): {', '.join(parts)}")
    years = source_years(ds)
    cover = "; ".join(f"{SOURCE_LABELS.get(s, s)} {a}-{b}" for s, (a, b) in years.items())
    notes.append(
        f"**Years covered:** {cover}. Sources differ in the years and sectors they report; a figure "
        "shows one source at a time and says which."
    )
    em = ds.emissions
    for source in years:
        sectors = sorted(em.loc[em["source"] == source, "sector"].unique().tolist())
        labels = ", ".join(SECTOR_BY_CODE[s].label if s in SECTOR_BY_CODE else s for s in sectors)
        notes.append(f"**{SOURCE_LABELS.get(source, source)} sectors:** {labels}.")
    notes.append(
        "**No open country-level split of heavy industry** into iron and steel, chemicals or aluminium "
        "is in these sources; heavy industry is industrial combustion plus industrial processes (EDGAR) "
        "or manufacturing (Climate TRACE); cement process CO2 is available separately (OWID)."
    )
    licences = provenance.licence_differences(ds.manifest)
    if licences:
        notes.append(licences)
    return "\n".join(f"- {n}" if not n.startswith("  - ") else n for n in notes)


def method_text() -> str:
    """docs/method.md, the method document, under the page's "Method" header (H2): its own title line is left
    out and every heading is one level lower, so no heading is larger than the one above it; or a pointer when
    the document is not there."""
    return _doc("method", "The method document")


def accessibility_text() -> str:
    """docs/accessibility.md, the accessibility statement, under the page's "Accessibility" header (as the
    method: one level lower, its title left out), or a pointer when the document is not there."""
    return _doc("accessibility", "The accessibility statement")


def _doc(name: str, what: str) -> str:
    path = PROJECT_ROOT / "docs" / f"{name}.md"
    if not path.exists():
        return f"{what} (`docs/{name}.md`) is not in this build."
    return _doc_text(path, path.stat().st_mtime_ns)


@cache  # read and rewritten once per version of the file, not on every run of the page
def _doc_text(path: Path, modified_ns: int) -> str:
    return under_header(path.read_text(encoding="utf-8"))


def under_header(markdown: str) -> str:
    """Markdown with its title (H1) dropped and its other headings one level lower (outside code blocks)."""
    lines, fenced = [], False
    for line in markdown.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and line.startswith("# "):
            continue
        elif not fenced and line.startswith("#"):
            line = "#" + line
        lines.append(line)
    return "\n".join(lines).strip() + "\n"


NO_CHANGES = (
    "No raw file was accepted in this build, so there is no change report: the data are rebuilt from the "
    "same inputs as before. Accepting a replaced file (`python -m etl --accept ...`) reports here what "
    "it added, removed and changed."
)


def change_report(manifest: Manifest) -> list[str]:
    """The lines of the build's change report (etl/changes.py): the quality notes of each source whose accepted
    file the build compared with the previous build. Empty when no file was accepted."""
    labels = [SOURCE_LABELS.get(source, source) for source in manifest.changes]
    return [
        note
        for note in manifest.quality_notes
        if ": accepted; " in note or any(note.startswith(f"{label}:") for label in labels)
    ]


def build_notes(manifest: Manifest) -> list[str]:
    """The build's other quality notes (checks passed, values withheld, years dropped), as written in the
    manifest."""
    reported = set(change_report(manifest))
    return [note for note in manifest.quality_notes if note not in reported]
