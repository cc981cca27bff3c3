"""Provenance: the typed manifest, and the one set of renderers that name sources and licences on every surface.

The ETL copies `data/raw/sources.json` into `data/processed/manifest.json`; `decarb.data` parses that file once
(`parse_manifest`) into the frozen dataclasses below, and every surface (footer, Data page, chart and slide source
lines, chart CSVs, the data package) renders provenance through the functions at the end of this module, so a
licence exception cannot be shown on one surface and dropped on another. Pure: no Streamlit, no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from decarb.contract import LEADIT, NET_ZERO_TRACKER, SOURCE_LABELS

LICENCE_KEYS = frozenset({"name", "url", "exceptions", "note"})
EXCEPTION_KEYS = frozenset({"part", "name", "url"})
SOURCE_TEXT_KEYS = ("producer", "title", "url", "version", "citation")
SOURCE_LINE_PREFIX = "Source: "
NOT_RECORDED = "licence not recorded in the manifest"  # a source a chart names that the manifest lacks
# Creative Commons names as sources state them ("CC BY-NC-ND 4.0") and their SPDX / Open Definition id.
_CC_NAME = re.compile(r"^CC (BY(?:-[A-Z]{2})*) (\d\.\d)$")


class ManifestError(ValueError):
    """A manifest or sources.json entry without the agreed shape. `where` names the source and key."""

    def __init__(self, where: str, problem: str) -> None:
        self.where, self.problem = where, problem
        super().__init__(f"{where}: {problem}")


# --- The typed manifest ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LicenceException:
    """A part of a source under another licence than the rest (EDGAR's fuel-combustion CO2)."""

    part: str
    name: str
    url: str


@dataclass(frozen=True)
class Licence:
    name: str
    url: str | None  # None where the terms are not a licence text online (the LeadIT member facts)
    exceptions: tuple[LicenceException, ...] = ()
    note: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        """Every licence name this source's data falls under: the main one, then each exception's."""
        return tuple(dict.fromkeys((self.name, *(e.name for e in self.exceptions))))


@dataclass(frozen=True)
class SourceFile:
    path: str  # relative to data/raw
    sha256: str
    accepted_on: str
    max_mb: float | None


@dataclass(frozen=True)
class Source:
    id: str
    producer: str
    title: str
    url: str
    version: str
    licence: Licence
    citation: str
    files: tuple[SourceFile, ...]
    exclude_years: tuple[tuple[str, str], ...] = ()  # (year, why), e.g. Climate TRACE's partial year

    @property
    def label(self) -> str:
        return SOURCE_LABELS.get(self.id, self.title)


@dataclass(frozen=True)
class TableColumn:
    name: str
    type: str  # the Arrow type as written
    description: str
    unit: str


@dataclass(frozen=True)
class TableEntry:
    name: str
    file: str
    rows: int
    sha256: str
    description: str
    columns: tuple[TableColumn, ...]


@dataclass(frozen=True)
class Coverage:
    rows: int
    first_year: int
    last_year: int
    areas: int
    sectors: tuple[str, ...]


@dataclass(frozen=True)
class Manifest:
    """data/processed/manifest.json. Empty defaults only serve datasets built in code by tests."""

    built_at: str = ""
    code_version: str = ""
    code_sha256: str = ""
    inputs_fingerprint: str = ""
    tables: Mapping[str, TableEntry] = field(default_factory=dict)
    sources: Mapping[str, Source] = field(default_factory=dict)
    coverage: Mapping[str, Coverage] = field(default_factory=dict)
    quality_notes: tuple[str, ...] = ()


# --- Parsing ---------------------------------------------------------------------------------------------------
def _text(value: object, where: str, *, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ManifestError(where, f"expected a non-empty text, got {value!r}")
    return value


def _url(value: object, where: str, *, optional: bool = False) -> str | None:
    text = _text(value, where, optional=optional)
    if text is not None and not text.startswith(("https://", "http://")):
        raise ManifestError(where, f"expected a URL starting with https://, got {text!r}")
    return text


def _mapping(value: object, where: str) -> Mapping:
    if not isinstance(value, Mapping):
        raise ManifestError(where, f"expected an object, got {type(value).__name__}")
    return value


def _number(value: object, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ManifestError(where, f"expected a number, got {value!r}")
    return int(value)


def _known_keys(entry: Mapping, allowed: frozenset[str], where: str) -> None:
    unknown = sorted(set(entry) - allowed)
    if unknown:
        raise ManifestError(f"{where}.{unknown[0]}", f"unknown key (allowed: {', '.join(sorted(allowed))})")


def parse_licence(value: object, where: str) -> Licence:
    """A source's "licence" object: name, url, exceptions (a list, may be empty), optional note."""
    if isinstance(value, str):
        raise ManifestError(where, "expected an object {name, url, exceptions, note}, got a text (see docs/data.md)")
    entry = _mapping(value, where)
    _known_keys(entry, LICENCE_KEYS, where)
    if "exceptions" not in entry:
        raise ManifestError(f"{where}.exceptions", "missing (write [] when the whole source has one licence)")
    if not isinstance(entry["exceptions"], list):
        raise ManifestError(f"{where}.exceptions", f"expected a list, got {type(entry['exceptions']).__name__}")
    exceptions = []
    for i, item in enumerate(entry["exceptions"]):
        at = f"{where}.exceptions[{i}]"
        exception = _mapping(item, at)
        _known_keys(exception, EXCEPTION_KEYS, at)
        exceptions.append(LicenceException(part=_text(exception.get("part"), f"{at}.part"),
                                           name=_text(exception.get("name"), f"{at}.name"),
                                           url=_url(exception.get("url"), f"{at}.url")))
    return Licence(name=_text(entry.get("name"), f"{where}.name"), url=_url(entry.get("url"), f"{where}.url",
                                                                          optional=True),
                   exceptions=tuple(exceptions), note=_text(entry.get("note"), f"{where}.note", optional=True))


def parse_source(source_id: str, value: object) -> Source:
    """One entry of sources.json (also the manifest's "sources"); extra keys are ignored."""
    where = f"source '{source_id}'"
    entry = _mapping(value, where)
    texts = {key: _text(entry.get(key), f"{where}, key '{key}'") for key in SOURCE_TEXT_KEYS}
    files = []
    for path, info in _mapping(entry.get("files"), f"{where}, key 'files'").items():
        at = f"{where}, key 'files.{path}'"
        info = _mapping(info, at)
        sha = _text(info.get("sha256"), f"{at}.sha256")
        if not re.fullmatch(r"[0-9a-f]{64}", sha):
            raise ManifestError(f"{at}.sha256", f"expected 64 lower-case hex digits, got {sha!r}")
        max_mb = info.get("max_mb")
        files.append(SourceFile(path=path, sha256=sha, accepted_on=_text(info.get("accepted_on"), f"{at}.accepted_on"),
                                max_mb=None if max_mb is None else float(_number(max_mb, f"{at}.max_mb"))))
    excluded = _mapping(entry.get("exclude_years", {}), f"{where}, key 'exclude_years'")
    return Source(id=source_id, licence=parse_licence(entry.get("licence"), f"{where}, key 'licence'"),
                  files=tuple(files), exclude_years=tuple((str(y), str(why)) for y, why in excluded.items()),
                  **texts)


def parse_sources(payload: object) -> dict[str, Source]:
    """sources.json (or the manifest's "sources"): every source, validated."""
    return {str(sid): parse_source(str(sid), meta) for sid, meta in _mapping(payload, "sources").items()}


def parse_manifest(payload: object) -> Manifest:
    """data/processed/manifest.json as written by etl/build.py; ManifestError names the first bad key."""
    entry = _mapping(payload, "manifest")
    tables = {}
    for name, table in _mapping(entry.get("tables"), "key 'tables'").items():
        at = f"table '{name}'"
        table = _mapping(table, at)
        columns = tuple(TableColumn(name=_text(c.get("name"), f"{at}, column name"), type=str(c.get("type", "")),
                                    description=str(c.get("description", "")), unit=str(c.get("unit", "")))
                        for c in (_mapping(c, f"{at}, column") for c in table.get("columns", [])))
        tables[name] = TableEntry(name=name, file=_text(table.get("file"), f"{at}, key 'file'"),
                                  rows=_number(table.get("rows"), f"{at}, key 'rows'"),
                                  sha256=_text(table.get("sha256"), f"{at}, key 'sha256'"),
                                  description=str(table.get("description", "")), columns=columns)
    coverage = {}
    for sid, cover in _mapping(entry.get("coverage", {}), "key 'coverage'").items():
        at = f"coverage of '{sid}'"
        cover = _mapping(cover, at)
        coverage[sid] = Coverage(**{k: _number(cover.get(k), f"{at}, key '{k}'")
                                    for k in ("rows", "first_year", "last_year", "areas")},
                                 sectors=tuple(str(s) for s in cover.get("sectors", [])))
    return Manifest(built_at=_text(entry.get("built_at"), "key 'built_at'"),
                    code_version=_text(entry.get("code_version"), "key 'code_version'"),
                    code_sha256=str(entry.get("code_sha256", "")),
                    inputs_fingerprint=str(entry.get("inputs_fingerprint", "")),
                    tables=tables, sources=parse_sources(entry.get("sources")), coverage=coverage,
                    quality_notes=tuple(str(n) for n in entry.get("quality_notes", [])))


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


def source_line(manifest: Manifest, source_ids: Iterable[str], *, cite: bool = False) -> str:
    """'Source: <label or citation> (licence: ...); ...' for a chart (labels: one line under a figure) or a slide
    (cite=True: full citations). A source the manifest lacks is named with NOT_RECORDED, never guessed."""
    parts = []
    for sid in dict.fromkeys(source_ids):
        source = manifest.sources.get(sid)
        if source is None:
            parts.append(f"{SOURCE_LABELS.get(sid, sid)} ({NOT_RECORDED})")
            continue
        name = source.citation.rstrip(". ") if cite else source.label
        parts.append(f"{name} (licence: {licence_text(source.licence)})")
    return SOURCE_LINE_PREFIX + "; ".join(parts) + "."


def footer_text(manifest: Manifest) -> str:
    """The caption under every page: each source with its whole licence, and the build time."""
    parts = [f"{source.title} ({licence_text(source.licence)})" for source in manifest.sources.values()]
    return (f"Data: {'; '.join(parts)}. Built {manifest.built_at or '?'}. "
            "Full citations, licences and checksums: Data and method.")


def sources_markdown(manifest: Manifest) -> str:
    """The Data page's sources block: per source its citation, licence, version, producer and link."""
    return "\n\n".join(
        f"### {s.title}\n\n**Citation:** {s.citation}  \n**Licence:** {licence_markdown(s.licence)}  \n"
        f"**Version:** {s.version}  \n**Producer:** {s.producer}  \n**Link:** {s.url}"
        for s in manifest.sources.values())


def licence_differences(manifest: Manifest) -> str:
    """A data quality note naming every part of a source under another licence ('' when there is none)."""
    parts = [f"{s.label}: {e.part} is {e.name}" for s in manifest.sources.values() for e in s.licence.exceptions]
    if not parts:
        return ""
    return f"**Licences differ:** {'; '.join(parts)}. See Sources above."


def source_rows(manifest: Manifest) -> list[dict[str, str]]:
    """One row per raw file: source, title, version, licence, citation, url, file, sha256, acceptance date."""
    return [{"source": s.id, "title": s.title, "version": s.version, "licence": licence_text(s.licence),
             "citation": s.citation, "url": s.url, "file": f.path, "sha256": f.sha256, "accepted on": f.accepted_on}
            for s in manifest.sources.values() for f in (s.files or (SourceFile("", "", "", None),))]


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
    main = entry(licence.name, licence.url, licence.name + (f" ({licence.note})" if licence.note and not licence.url
                                                            else ""))
    return [main, *(entry(e.name, e.url, f"{e.name} for {e.part}") for e in licence.exceptions)]


def data_versions(manifest: Manifest) -> list[str]:
    """One line per source (version, raw files with the first 12 hex digits of their sha256) and one for the build."""
    lines = [f"Processed data built {manifest.built_at or 'at an unknown time'} by code version "
             f"{manifest.code_version or 'unknown'}."]
    for source in manifest.sources.values():
        files = ", ".join(f"{f.path} sha256:{f.sha256[:12]}" for f in source.files)
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
    return (f"Processed data built **{manifest.built_at or 'at an unknown time'}** by code version "
            f"`{manifest.code_version or 'unknown'}`: {len(manifest.tables)} tables, {rows:,} rows, from "
            f"{len(manifest.sources)} sources. Rebuild with `make data`.")


# --- Charts: the source line under the figure and the licence column of its CSV ---------------------------------
# A chart's `source` column holds the labels its hover shows; the member timeline names the reported counts
# (leadit_reported_counts.csv, part of the leadit source) apart from the member list.
_ID_BY_NAME = {**{label: sid for sid, label in SOURCE_LABELS.items()},
               "Reported counts (LeadIT or governments)": LEADIT}


def source_ids(names: Iterable[str]) -> list[str]:
    """Source ids for the names in a chart's `source` column (labels, or ids)."""
    return list(dict.fromkeys(_ID_BY_NAME.get(str(n), str(n)) for n in names))


def licence_of(manifest: Manifest, source_id: str) -> str:
    source = manifest.sources.get(source_id)
    return licence_text(source.licence) if source else NOT_RECORDED


def with_licence(data: pd.DataFrame, manifest: Manifest, source_column: str = "source",
                 licence_column: str = "licence") -> pd.DataFrame:
    """The data with each row's licence (by its source column): a chart's table and CSV, read on its own,
    still say under which terms each row may be used."""
    names = data[source_column].astype(str)
    licences = {name: licence_of(manifest, source_ids([name])[0]) for name in names.unique()}
    return data.assign(**{licence_column: names.map(licences)})


def chart_source_line(data: pd.DataFrame, manifest: Manifest) -> str | None:
    """The source line under a chart: every source in its data, each with its whole licence (None when nothing
    is plotted: the chart's own line and its notice stay)."""
    names = data["source"].dropna().astype(str).unique()
    return source_line(manifest, source_ids(names)) if len(names) else None


def licensed_spec(spec: dict, data: pd.DataFrame, manifest: Manifest) -> dict:
    """A serialised figure (a fresh to_dict(), so changed in place) whose source annotation names every licence
    of the sources in `data`: the figures are shared between sessions, and copying one costs far more (measured:
    48 ms against 6 ms for serialising the Countries chart of the member countries)."""
    line = chart_source_line(data, manifest)
    if line is None:
        return spec
    for annotation in spec.get("layout", {}).get("annotations", []):
        if str(annotation.get("text", "")).startswith(SOURCE_LINE_PREFIX):
            annotation["text"] = line
            return spec
    raise ValueError("the figure has no source annotation to name its licences in")
