"""Data and method: what is loaded, where it comes from, how it is processed, and the whole dataset."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd

from decarb import freshness, provenance
from decarb.contract import (
    CONFIRMED,
    EMISSION_SOURCES,
    HEAVY_INDUSTRY_CONTENTS,
    INDUSTRIES,
    INDUSTRY_SOURCES,
    SECTOR_BY_CODE,
    SECTORS,
    SOURCE_LABELS,
    TABLES,
    sector_label_for,
    sectors_for,
)
from decarb.data import Dataset
from decarb.exports import dataset_zip as build_zip
from decarb.paths import PROJECT_ROOT
from decarb.provenance import ChangeEntry, Manifest


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


def coverage_notes(em: pd.DataFrame) -> list[str]:
    """What the emissions table holds, source by source, said from the table itself: years, sectors, what heavy
    industry is in each, and which sources split it into industries (markdown lines)."""
    held = set(em["source"].unique())
    sources = [s for s in (*EMISSION_SOURCES, *INDUSTRY_SOURCES) if s in held]
    rows = {s: em[em["source"] == s] for s in sources}
    cover = "; ".join(f"{SOURCE_LABELS[s]} {int(r['year'].min())}-{int(r['year'].max())}" for s, r in rows.items())
    notes = [
        f"**Years covered:** {cover}. Sources differ in the years and sectors they report; a figure shows one "
        "source at a time and says which."
    ]
    for source, r in rows.items():
        stored = set(r["sector"].unique())
        labels = ", ".join(sector_label_for(sector.code, source) for sector in SECTORS if sector.code in stored)
        notes.append(f"**{SOURCE_LABELS[source]} sectors:** {labels}.")
    notes.append("**What heavy industry holds in each source** (the sources draw its edge in different places):")
    notes += [f"  - {SOURCE_LABELS[s]}: {HEAVY_INDUSTRY_CONTENTS[s]}" for s in sources if s in HEAVY_INDUSTRY_CONTENTS]
    splitting = {
        s: r["iso3"].nunique()
        for s, r in rows.items()
        if any(set(sectors_for(industry, s)) & set(r["sector"].unique()) for industry in INDUSTRIES)
    }
    industries = ", ".join(SECTOR_BY_CODE[i].label.split(" (")[0].lower() for i in INDUSTRIES)
    others = [SOURCE_LABELS[s] for s in sources if s not in splitting]
    notes.append(
        f"**Heavy industry split into industries** ({industries}): "
        + (
            "; ".join(f"{SOURCE_LABELS[s]}, {n} areas" for s, n in splitting.items())
            if splitting
            else "no source in this build"
        )
        + (f". Not split by industry: {', '.join(others)}." if others else ".")
    )
    return notes


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
    notes += coverage_notes(ds.emissions)
    licences = provenance.licence_differences(ds.manifest)
    if licences:
        notes.append(licences)
    return "\n".join(f"- {n}" if not n.startswith("  - ") else n for n in notes)


METHOD_LABEL = "The method: how each figure is made, what counts as heavy industry, the rules for missing data"


def method_text() -> str:
    """docs/method.md, the method document, under the page's "Method" header (H2): its own title line is left
    out and every heading is one level lower, so no heading is larger than the one above it; or a pointer when
    the document is not there."""
    return _doc("method", "The method document")


ACCESSIBILITY_LABEL = (
    "The accessibility statement: the standard targeted, how it is tested, what does not conform, how to report a "
    "barrier"
)


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
    "The change history kept with the inputs (`data/raw/changes.jsonl`) records no accepted input yet; files "
    'accepted before it was kept show only their date ("accepted on" under Sources), without a report. '
    "Accepting a replaced file (`python -m etl --accept ...`) records here what it added, removed and changed."
)


def change_report(manifest: Manifest) -> list[str]:
    """The lines of the last accepted build's change report (etl/changes.py), from the change history kept with
    the inputs, so a rebuild does not lose them. Empty when the history holds no accepted build."""
    return list(manifest.change_history[-1].lines) if manifest.change_history else []


def _accepted(entry: ChangeEntry) -> str:
    when = entry.accepted_at.replace("T", " at ").replace("+00:00", " UTC")
    files = ", ".join(f"`{f.file}` ({SOURCE_LABELS.get(f.source, f.source)})" for f in entry.files)
    return f"Accepted on {when}: {files}." + (f" {entry.note}" if entry.note else "")


def last_change(manifest: Manifest) -> str:
    """When the last accepted build ran, which files it accepted, and its report lines (markdown)."""
    if not manifest.change_history:
        return NO_CHANGES
    entry = manifest.change_history[-1]
    return "\n".join([_accepted(entry), "", *(f"- {line}" for line in entry.lines)])


def earlier_changes(manifest: Manifest) -> str:
    """The accepted builds before the last, newest first, each with its report (markdown); empty if none."""
    parts = []
    for entry in reversed(manifest.change_history[:-1]):
        parts += [_accepted(entry), "", *(f"- {line}" for line in entry.lines), ""]
    return "\n".join(parts).strip()


def _this_build_report(manifest: Manifest) -> list[str]:
    """The quality notes this build wrote as its change report (empty unless it accepted a file)."""
    labels = [SOURCE_LABELS.get(source, source) for source in manifest.changes]
    return [
        note
        for note in manifest.quality_notes
        if ": accepted; " in note or any(note.startswith(f"{label}:") for label in labels)
    ]


def build_notes(manifest: Manifest) -> list[str]:
    """The build's other quality notes (checks passed, values withheld, years dropped), as written in the
    manifest."""
    reported = set(_this_build_report(manifest))
    return [note for note in manifest.quality_notes if note not in reported]


def data_vintage(ds: Dataset) -> pd.DataFrame:
    """The data vintage table: per source, release, newest complete year, date accepted."""
    return freshness.vintage_table(ds)
