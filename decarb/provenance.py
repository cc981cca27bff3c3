"""Provenance: the typed manifest, and the one set of renderers that name sources and licences on every surface.

The ETL copies `data/raw/sources.json` into `data/processed/manifest.json`; `decarb.data` parses that file once
(`parse_manifest`) into the frozen pydantic models below, and every surface (footer, Data page, chart and slide
source lines, chart CSVs, the data package) renders provenance through the functions at the end of this module, so
a licence exception cannot be shown on one surface and dropped on another. Pure: no Streamlit, no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Annotated

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from decarb.contract import LEADIT, NET_ZERO_TRACKER, OWID, SERIES_RELEASES, SOURCE_LABELS

SOURCE_LINE_PREFIX = "Source: "
NOT_RECORDED = "licence not recorded in the manifest"  # a source a chart names that the manifest lacks
# Creative Commons names as sources state them ("CC BY-NC-ND 4.0") and their SPDX / Open Definition id.
_CC_NAME = re.compile(r"^CC (BY(?:-[A-Z]{2})*) (\d\.\d)$")

Text = Annotated[str, StringConstraints(pattern=r"\S")]  # not empty, not only blanks
Url = Annotated[str, StringConstraints(pattern=r"^https?://\S+$")]
Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]


class ManifestError(ValueError):
    """A manifest or sources.json entry without the agreed shape. `where` names the source and key."""

    def __init__(self, where: str, problem: str) -> None:
        self.where, self.problem = where, problem
        super().__init__(f"{where}: {problem}")


# --- The typed manifest ----------------------------------------------------------------------------------------
class _Strict(BaseModel):
    """The agreed licence structure: any other key is a typo or an unagreed change, refused."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class _Lenient(BaseModel):
    """Entries other engineers and the build extend: keys not modelled here are ignored."""

    model_config = ConfigDict(frozen=True, extra="ignore")


class LicenceException(_Strict):
    """A part of a source under another licence than the rest (EDGAR's fuel-combustion CO2)."""

    part: Text
    name: Text
    url: Url


class Licence(_Strict):
    name: Text
    url: Url | None = None  # left out where the terms are not a licence text online (the LeadIT member facts)
    exceptions: tuple[LicenceException, ...]  # required, so that "none" is a statement, not an omission
    note: Text | None = None

    @property
    def names(self) -> tuple[str, ...]:
        """Every licence name this source's data falls under: the main one, then each exception's."""
        return tuple(dict.fromkeys((self.name, *(e.name for e in self.exceptions))))


class FileOrigin(_Strict):
    """Where a raw file was taken from when it is a copy kept in a public repository (the UNFCCC archive, the
    Climate TRACE sub-sector files): the repository, the commit read, and the file's path (and name) there."""

    repository: Text
    commit: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{7,40}$")]  # as recorded: a full or short id
    path: Text
    original_name: Text | None = None  # the name before it was renamed for data/raw, where it differs from path's


class SourceFile(_Lenient):
    sha256: Sha256
    accepted_on: Text
    max_mb: float | None = None
    origin: FileOrigin | None = None  # None for a file downloaded from the producer itself


class Source(_Lenient):
    id: Text  # the key of the entry in sources.json
    producer: Text
    title: Text
    url: Url
    version: Text
    licence: Licence
    citation: Text
    files: dict[str, SourceFile]  # path relative to data/raw -> what was accepted
    exclude_years: dict[str, str] = Field(default_factory=dict)  # year -> why (Climate TRACE's partial year)
    released_on: str | None = None  # the date the producer released this version, where a date is stated
    # The line the terms require wherever the figures appear ("Source: World Steel Association"); None: none.
    required_attribution: Text | None = None
    # The release in a few words for a screen ("Climate TRACE v5.7.0"); None: the version says it.
    release: Text | None = None

    @property
    def label(self) -> str:
        return SOURCE_LABELS.get(self.id, self.title)


class TableColumn(_Lenient):
    name: Text
    type: str  # the Arrow type as written
    description: str
    unit: str | None  # None for a column without a unit (a code, a name)


class TableEntry(_Lenient):
    file: Text
    rows: int
    sha256: Sha256
    description: str
    columns: tuple[TableColumn, ...]


class Coverage(_Lenient):
    rows: int
    first_year: int
    last_year: int
    areas: int
    sectors: tuple[str, ...]


class AcceptedFile(_Lenient):
    file: Text  # path relative to data/raw
    source: Text
    sha256_before: Sha256
    sha256_after: Sha256


class ChangeEntry(_Lenient):
    """One line of data/raw/changes.jsonl (etl/history.py): a build that accepted changed raw files."""

    accepted_at: Text  # ISO 8601, UTC
    code_version: str
    files: tuple[AcceptedFile, ...]
    lines: tuple[str, ...]
    changes: dict[str, dict] = Field(default_factory=dict)
    note: str = ""  # optional: how the entry came about when not written by the accepting build itself


class Manifest(_Lenient):
    """data/processed/manifest.json. Empty defaults only serve datasets built in code by tests."""

    built_at: str = ""
    code_version: str = ""
    code_sha256: str = ""
    inputs_fingerprint: str = ""
    tables: dict[str, TableEntry] = Field(default_factory=dict)
    sources: dict[str, Source] = Field(default_factory=dict)
    coverage: dict[str, Coverage] = Field(default_factory=dict)
    quality_notes: tuple[str, ...] = ()
    # What an accepted input changed against the previous build (etl/changes.py), per source: shown as written.
    changes: dict[str, dict] = Field(default_factory=dict)
    # Every accepted build so far, oldest first, as kept with the inputs (data/raw/changes.jsonl).
    change_history: tuple[ChangeEntry, ...] = ()
    # The series behind OWID's population and GDP (its codebook's source), named beside per-capita/per-GDP data.
    indicator_sources: dict[str, str] = Field(default_factory=dict)


# --- Parsing ---------------------------------------------------------------------------------------------------
def _key(parts: list) -> str:
    return "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in parts).lstrip(".")


def _one_line(err: ValidationError) -> ManifestError:
    """pydantic's first error as "source 'edgar', key 'licence.exceptions[0].url'" and what is wrong there."""
    first = err.errors()[0]
    loc = list(first["loc"])
    if len(loc) > 1 and loc[0] == "sources":
        where = f"source '{loc[1]}'" + (f", key '{_key(loc[2:])}'" if len(loc) > 2 else "")
    else:
        where = f"key '{_key(loc)}'"
    got = "" if first["type"] == "missing" else f", got {first['input']!r}"[:200]
    return ManifestError(where, f"{first['msg']}{got}")


def _with_ids(sources: object) -> object:
    """Each entry with its key as `id` (the key in the file is the id)."""
    if not isinstance(sources, dict):
        return sources
    return {sid: {**meta, "id": sid} if isinstance(meta, dict) else meta for sid, meta in sources.items()}


def parse_sources(payload: object) -> dict[str, Source]:
    """sources.json (or the manifest's "sources"): every source, validated; ManifestError names the first bad key."""
    try:
        return Manifest.model_validate({"sources": _with_ids(payload)}).sources
    except ValidationError as err:
        raise _one_line(err) from None


def parse_manifest(payload: object) -> Manifest:
    """data/processed/manifest.json as written by etl/build.py; ManifestError names the first bad key."""
    if isinstance(payload, dict):
        payload = {**payload, "sources": _with_ids(payload.get("sources"))}
    try:
        return Manifest.model_validate(payload)
    except ValidationError as err:
        raise _one_line(err) from None


# --- Renderers: every surface names sources and licences through these ----------------------------------------
def licence_text(licence: Licence) -> str:
    """'CC BY 4.0, except CO2 from fuel combustion (IEA-EDGAR CO2): CC BY-NC-ND 4.0' (every exception named)."""
    text = licence.name
    if licence.exceptions:
        text += ", except " + "; ".join(f"{e.part}: {e.name}" for e in licence.exceptions)
    return text


def licence_markdown(licence: Licence) -> str:
    """The licence with links to each licence text, and its note (the Data page)."""

    def link(name: str, url: str | None) -> str:
        return f"[{name}]({url})" if url else name

    text = link(licence.name, licence.url)
    if licence.exceptions:
        text += ", except " + "; ".join(f"{e.part}: {link(e.name, e.url)}" for e in licence.exceptions)
    return text + (f" ({licence.note})" if licence.note else "")


def release_of(manifest: Manifest, source_id: str, sector: str) -> str:
    """The release a stored (source, sector) series comes from, in a few words for a screen ("Climate TRACE
    v5.7.0" for iron and steel, "Climate TRACE late-2023 release" for the other industries)."""
    entry = manifest.sources.get(SERIES_RELEASES.get((source_id, sector), source_id))
    if entry is None:
        return f"{SOURCE_LABELS.get(source_id, source_id)} (release not recorded in the manifest)"
    return entry.release or entry.version


def _named_sources(manifest: Manifest, source_ids: Iterable[str], name: Callable[[Source], str]) -> list[str]:
    """'<name> (licence: ...)' per source, once each; a source the manifest lacks is named with NOT_RECORDED."""
    parts = []
    for sid in dict.fromkeys(source_ids):
        source = manifest.sources.get(sid)
        if source is None:
            parts.append(f"{SOURCE_LABELS.get(sid, sid)} ({NOT_RECORDED})")
            continue
        parts.append(f"{name(source)} (licence: {licence_text(source.licence)})")
    return parts


def source_line(manifest: Manifest, source_ids: Iterable[str], *, cite: bool = False) -> str:
    """'Source: <label or citation> (licence: ...); ...' for a chart (labels: one line under a figure) or a slide
    (cite=True: full citations). A source the manifest lacks is named with NOT_RECORDED, never guessed."""
    return _line(
        _named_sources(manifest, source_ids, lambda s: s.citation.rstrip(". ") if cite else s.label),
    )


CITATION_IN_NOTES = "full citation in the notes"


def _short_name(source: Source) -> str:
    """The label where it names a release (a year) or is the attribution the terms require, else the release."""
    if source.release and not (any(c.isdigit() for c in source.label) or source.required_attribution):
        return source.release
    return source.label


def short_source_line(manifest: Manifest, source_ids: Iterable[str]) -> str:
    """'Source: <label> (licence: ...); ...; full citation in the notes.' for a slide whose full citations stand in
    its speaker notes and on the deck's Sources slide: each source's short name with its release, every licence
    exception named."""
    return _line([*_named_sources(manifest, source_ids, _short_name), CITATION_IN_NOTES])


def citation_entries(manifest: Manifest, source_ids: Iterable[str]) -> list[str]:
    """One text per source: its full citation and whole licence (a deck's Sources slide)."""
    entries = []
    for sid in dict.fromkeys(source_ids):
        source = manifest.sources.get(sid)
        if source is None:
            entries.append(f"{SOURCE_LABELS.get(sid, sid)} ({NOT_RECORDED}).")
            continue
        entries.append(f"{source.citation.rstrip('. ')}. Licence: {licence_text(source.licence)}.")
    return entries


def cited_sources(manifest: Manifest, line: str) -> list[str]:
    """The ids of the sources a slide's source line (source_line, cite=True) cites, in the order it cites them."""
    spans = []
    for sid, source in manifest.sources.items():
        citation = source.citation.rstrip(". ")
        if (at := line.find(citation)) >= 0:
            spans.append((at, at + len(citation), sid))
    # A citation that is the start of a longer one (Climate TRACE's, of its sub-sector files') is not cited alone.
    inside = {sid for a, b, sid in spans for c, d, other in spans if other != sid and c <= a and b <= d}
    return [sid for _, _, sid in sorted(spans) if sid not in inside]


def _line(parts: Iterable[str]) -> str:
    return SOURCE_LINE_PREFIX + "; ".join(parts) + "."


def footer_text(manifest: Manifest) -> str:
    """The caption under every page: each source with its whole licence, and the build time."""
    parts = [f"{source.title} ({licence_text(source.licence)})" for source in manifest.sources.values()]
    return (
        f"Data: {'; '.join(parts)}. Built {manifest.built_at or '?'}. "
        "Full citations, licences and checksums: Data and method."
    )


def sources_markdown(manifest: Manifest) -> str:
    """The Data page's sources block: per source its citation, licence, version, producer and link."""
    return "\n\n".join(
        f"### {s.title}\n\n**Citation:** {s.citation}  \n**Licence:** {licence_markdown(s.licence)}  \n"
        + (f"**Required attribution:** {s.required_attribution}  \n" if s.required_attribution else "")
        + f"**Version:** {s.version}  \n**Producer:** {s.producer}  \n**Link:** {s.url}"
        for s in manifest.sources.values()
    )


def licence_differences(manifest: Manifest) -> str:
    """A data quality note naming every part of a source under another licence ('' when there is none)."""
    parts = [f"{s.label}: {e.part} is {e.name}" for s in manifest.sources.values() for e in s.licence.exceptions]
    if not parts:
        return ""
    return f"**Licences differ:** {'; '.join(parts)}. See Sources above."


def origin_text(source: Source, file: SourceFile) -> str:
    """Where the raw file was taken from: a repository's commit and path (the copies kept in public repositories),
    else the source's producer and link."""
    origin = file.origin
    if origin is None:  # not stated where the file came from: say so rather than suppose the producer's site
        return f"no repository recorded (producer: {source.producer}; {source.url})"
    renamed = origin.original_name and origin.original_name != origin.path.rsplit("/", 1)[-1]
    named = f" (originally '{origin.original_name}')" if renamed else ""
    return f"repository {origin.repository} at commit {origin.commit}, {origin.path}{named}"


def source_rows(manifest: Manifest) -> list[dict[str, str]]:
    """One row per raw file: source, title, version, licence, citation, url, file, origin, sha256, acceptance date."""
    return [
        {
            "source": s.id,
            "title": s.title,
            "version": s.version,
            "licence": licence_text(s.licence),
            "citation": s.citation,
            "url": s.url,
            "file": path,
            "origin": origin_text(s, f),
            "sha256": f.sha256,
            "accepted on": f.accepted_on,
        }
        for s in manifest.sources.values()
        for path, f in s.files.items()
    ]


def frictionless_licences(licence: Licence) -> list[dict[str, str]]:
    """Frictionless Data `licenses` entries: the main licence, then each exception (its part in the title)."""

    def entry(name: str, url: str | None, title: str) -> dict[str, str]:
        match = _CC_NAME.match(name)
        out = {"name": f"CC-{match.group(1)}-{match.group(2)}" if match else "other"}
        if url:
            out["path"] = url
        out["title"] = title
        return out

    # The note says where terms without a licence text online are stated (the LeadIT member facts).
    main = entry(
        licence.name, licence.url, licence.name + (f" ({licence.note})" if licence.note and not licence.url else "")
    )
    return [main, *(entry(e.name, e.url, f"{e.name} for {e.part}") for e in licence.exceptions)]


def data_versions(manifest: Manifest) -> list[str]:
    """One line per source (version, raw files with the first 12 hex digits of their sha256) and one for the build."""
    lines = [
        f"Processed data built {manifest.built_at or 'at an unknown time'} by code version "
        f"{manifest.code_version or 'unknown'}."
    ]
    for source in manifest.sources.values():
        files = ", ".join(f"{path} sha256:{f.sha256[:12]}" for path, f in source.files.items())
        lines.append(f"{source.label}: {source.version} ({files}).")
    return lines


def data_vintage(manifest: Manifest) -> str:
    """A short line for the title slide: the latest year of each emission source and the build date."""
    years = "; ".join(f"{SOURCE_LABELS.get(s, s)} to {c.last_year}" for s, c in manifest.coverage.items())
    nzt = manifest.sources.get(NET_ZERO_TRACKER)
    built = (manifest.built_at or "unknown")[:10]
    return f"Data: {years}" + (f"; Net Zero Tracker {nzt.version}" if nzt else "") + f". Built {built}."


def build_line(manifest: Manifest) -> str:
    """The Data page's first line: when and by which code the data was built, and how much of it."""
    rows = sum(t.rows for t in manifest.tables.values())
    return (
        f"Processed data built **{manifest.built_at or 'at an unknown time'}** by code version "
        f"`{manifest.code_version or 'unknown'}`: {len(manifest.tables)} tables, {rows:,} rows, from "
        f"{len(manifest.sources)} sources. Rebuild with `make data`."
    )


# --- Charts: the source line under the figure and the licence column of its CSV ---------------------------------
# A chart's `source` column holds the labels its hover shows; the member timeline names the reported counts
# (leadit_reported_counts.csv, part of the leadit source) apart from the member list.
REPORTED_COUNTS_LABEL = "Reported counts (LeadIT or governments)"
_ID_BY_NAME = {**{label: sid for sid, label in SOURCE_LABELS.items()}, REPORTED_COUNTS_LABEL: LEADIT}


def source_ids(names: Iterable[str]) -> list[str]:
    """Source ids for the names in a chart's `source` column (labels, or ids)."""
    return list(dict.fromkeys(_ID_BY_NAME.get(str(n), str(n)) for n in names))


def licence_of(manifest: Manifest, source_id: str) -> str:
    source = manifest.sources.get(source_id)
    return licence_text(source.licence) if source else NOT_RECORDED


def with_licence(
    data: pd.DataFrame, manifest: Manifest, source_column: str = "source_label", licence_column: str = "licence"
) -> pd.DataFrame:
    """The data with each row's licence (by its source column): a chart's table and CSV, read on its own,
    still say under which terms each row may be used."""
    # One licence per distinct source, looked up per row in a dict: astype(str) and map() over every row (or
    # factorize of the string column) took most of the millisecond each chart spent here.
    names = data[source_column].to_numpy(dtype=object)
    licences = {name: licence_of(manifest, source_ids([str(name)])[0]) for name in dict.fromkeys(names)}
    return data.assign(**{licence_column: pd.array([licences[name] for name in names], dtype="str")})


DIVISOR_WORDS = {"per_capita": ("population", "Population"), "per_gdp": ("gdp", "GDP")}


def with_divisor(data: pd.DataFrame, manifest: Manifest, how: str) -> pd.DataFrame:
    """A per-capita or per-GDP chart's data with the series it was divided by, as columns `divisor_source` and
    `divisor_licence` (the source line names them too); other normalisations unchanged."""
    if how not in DIVISOR_WORDS:
        return data
    column, word = DIVISOR_WORDS[how]
    owid = SOURCE_LABELS[OWID]
    series = manifest.indicator_sources.get(column)
    named = f"{word}: {owid}" + (f" ({series})" if series else "")
    return data.assign(divisor_source=named, divisor_licence=licence_of(manifest, OWID))


def chart_source_line(data: pd.DataFrame) -> str:
    """The source line under a chart, from its data's `source_label` and `licence` columns (with_licence): every source
    plotted, each with its whole licence, then the series a normalised chart was divided by (with_divisor); just
    the prefix when nothing is plotted (the chart's notice says why)."""
    # The distinct pairs in row order from two plain arrays: dropna/astype/drop_duplicates on the frame took 2.5 ms
    # a chart, and every chart has a source line.
    rows = list(
        dict.fromkeys(
            zip(data["source_label"].to_numpy(dtype=object), data["licence"].to_numpy(dtype=object), strict=True)
        )
    )
    if "divisor_source" in data.columns:
        divisors = data["divisor_source"].to_numpy(dtype=object), data["divisor_licence"].to_numpy(dtype=object)
        # The series' link stays in the CSV; on the chart it would take several lines.
        rows += dict.fromkeys((re.sub(r" \[https?://[^\]]*\]", "", str(n)), c) for n, c in zip(*divisors, strict=True))
    pairs = [(str(name), str(licence)) for name, licence in dict.fromkeys(rows) if pd.notna(name) and pd.notna(licence)]
    if not pairs:
        return SOURCE_LINE_PREFIX
    return _line(f"{name} (licence: {licence})" for name, licence in dict.fromkeys(pairs))
