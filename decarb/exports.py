"""Exports: formula-safe CSV of exactly the plotted data, and the whole processed dataset as a data package.

Pure functions, no Streamlit: the app hands their bytes to download buttons, the tests read them directly.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from collections.abc import Iterable, Mapping

import pandas as pd

from decarb import provenance
from decarb.contract import (
    CLIMATE_TRACE_V5,
    EMISSION_SOURCES,
    GEM_STEEL,
    INDUSTRY_SOURCES,
    LEADIT,
    NET_ZERO_TRACKER,
    NET_ZERO_TRACKER_2025,
    OWID,
    TABLES,
    WORLDSTEEL,
)
from decarb.provenance import Manifest, Source, TableColumn

# A spreadsheet treats a text cell starting with one of these as a formula (OWASP "CSV injection"); tab and
# carriage return are included because some spreadsheets strip them and then read the next character.
FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
# Columns every chart export must carry, so a CSV read on its own still says what its numbers are and under
# which terms they may be used (the licence column: decarb.provenance.with_licence).
REQUIRED_CHART_COLUMNS: tuple[str, ...] = ("value", "unit", "source_label", "licence")

# Which sources each processed table comes from (areas are built from ISO 3166 and country-group lists).
TABLE_SOURCES: dict[str, tuple[str, ...]] = {
    "emissions": (*EMISSION_SOURCES, *INDUSTRY_SOURCES, CLIMATE_TRACE_V5),
    "areas": (),
    "indicators": (OWID,),
    "members": (LEADIT,),
    "reported_counts": (LEADIT,),
    "milestones": (LEADIT,),
    "targets": (NET_ZERO_TRACKER_2025, NET_ZERO_TRACKER),  # countries' end targets 2025, the rest 2023
    "steel_plants": (GEM_STEEL,),
    "steel_capacity": (GEM_STEEL,),
    "steel_units": (GEM_STEEL,),
    "production": (WORLDSTEEL,),
    "company_steel_owners": (LEADIT, GEM_STEEL),
}
DATA_PACKAGE_NAME = "leadit-industry-transition"
# Fixed timestamp for zip entries: the same data gives the same bytes (cacheable, comparable).
_ZIP_DATE = (2020, 1, 1, 0, 0, 0)


# --- Formula-safe CSV ----------------------------------------------------------------------------------------
def neutralise(value: object) -> object:
    """Prefix a text cell that a spreadsheet would run as a formula with an apostrophe; other values pass."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy where every text cell is neutralised; numbers (negative ones too) stay numbers."""
    out = frame.copy()
    for name in out.columns:
        column = out[name]
        if isinstance(column.dtype, pd.CategoricalDtype):
            column = column.astype(object)
        if column.dtype == object or pd.api.types.is_string_dtype(column.dtype):
            out[name] = column.map(neutralise, na_action="ignore")
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV without the index, every text cell neutralised."""
    return neutralise_frame(frame).to_csv(index=False, lineterminator="\n").encode("utf-8")


def with_selection(data: pd.DataFrame, *, sector: str, normalisation: str, definition: str = "") -> pd.DataFrame:
    """The chart's rows with the selection they were drawn for, as columns after the series: a CSV read on its
    own says which sector (and, given `definition`, what that sector holds in the source) and which
    normalisation its values are. A copy."""
    out = data.copy()
    at = list(out.columns).index("series") + 1 if "series" in out.columns else 0
    out.insert(at, "normalisation", normalisation)
    if definition:
        out.insert(at, "sector_definition", definition)
    out.insert(at, "sector", sector)
    return out


def chart_csv(data: pd.DataFrame) -> bytes:
    """The CSV offered under a chart: exactly the rows plotted, with value, unit, source_label and licence."""
    missing = [c for c in REQUIRED_CHART_COLUMNS if c not in data.columns]
    if missing:
        raise ValueError(
            f"chart data lacks column(s) {', '.join(missing)}: an export must say its unit, source and licence"
        )
    return to_csv_bytes(data)


def file_slug(text: str) -> str:
    """A file-name-safe lower-case slug ("Heavy industry: SWE" -> "heavy-industry-swe")."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:80] or "chart"


# --- Data package (Frictionless) -----------------------------------------------------------------------------
_ARROW_TO_FRICTIONLESS = (
    ("bool", "boolean"),
    ("int", "integer"),
    ("uint", "integer"),
    ("float", "number"),
    ("double", "number"),
    ("decimal", "number"),
    ("date", "date"),
    ("timestamp", "datetime"),
)


def frictionless_type(type_name: str | None) -> str:
    """Map a manifest column type (Arrow or pandas spelling) onto a Table Schema field type."""
    name = (type_name or "").lower()
    if name.startswith("dictionary"):
        return "string"
    for prefix, kind in _ARROW_TO_FRICTIONLESS:
        if name.startswith(prefix):
            return kind
    return "string"


def _manifest_columns(manifest: Manifest, table: str) -> dict[str, TableColumn]:
    entry = manifest.tables.get(table)
    return {c.name: c for c in entry.columns} if entry else {}


def _source_entry(source: Source) -> dict[str, str]:
    entry = {
        "title": source.title,
        "path": source.url,
        "citation": source.citation,
        "version": source.version,
        "producer": source.producer,
        "licence": provenance.licence_text(source.licence),
        "id": source.id,
    }
    if source.required_attribution:  # worldsteel's terms: the line to show wherever its figures appear
        entry["required_attribution"] = source.required_attribution
    return entry


def _licences(sources: Iterable[Source]) -> list[dict[str, str]]:
    """Every licence of these sources, exceptions included, each once."""
    out: list[dict[str, str]] = []
    for source in sources:
        out += [entry for entry in provenance.frictionless_licences(source.licence) if entry not in out]
    return out


def datapackage(manifest: Manifest, resources: Iterable[Mapping]) -> dict:
    """The datapackage.json: one resource per table with its fields, units, sources and licences."""
    return {
        "profile": "tabular-data-package",
        "name": DATA_PACKAGE_NAME,
        "title": "LeadIT Industry Transition Dashboard: processed data",
        "description": "Emissions by country, sector and source, with members, targets and indicators, as "
        "processed for the Industry Transition Dashboard. Units are given per field "
        "('unit') and, for emissions, per row (column 'unit').",
        "created": manifest.built_at,
        "version": manifest.code_version,
        "licenses": _licences(manifest.sources.values()),
        "sources": [_source_entry(source) for source in manifest.sources.values()],
        "resources": list(resources),
    }


def _resource(table: str, csv: bytes, manifest: Manifest, frame: pd.DataFrame) -> dict:
    description, columns = TABLES[table]
    typed = _manifest_columns(manifest, table)
    fields = []
    for column in columns:
        written = typed.get(column.name)
        field = {
            "name": column.name,
            "type": frictionless_type(written.type if written else str(frame[column.name].dtype)),
            "description": column.description,
        }
        if column.unit:
            field["unit"] = column.unit
        fields.append(field)
    table_sources = [manifest.sources[s] for s in TABLE_SOURCES.get(table, ()) if s in manifest.sources]
    resource = {
        "name": table,
        "path": f"{table}.csv",
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "description": description,
        "bytes": len(csv),
        "hash": "sha256:" + hashlib.sha256(csv).hexdigest(),
        "rows": int(len(frame)),
        "schema": {"fields": fields},
        "sources": [_source_entry(source) for source in table_sources],
        "licenses": _licences(table_sources),
    }
    return resource


def dataset_zip(tables: Mapping[str, pd.DataFrame], manifest: Manifest) -> bytes:
    """A zip of one formula-safe CSV per contract table plus a Frictionless datapackage.json describing them."""
    buffer = io.BytesIO()
    resources = []
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table in TABLES:
            frame = tables[table]
            csv = to_csv_bytes(frame[[c.name for c in TABLES[table][1]]])
            archive.writestr(
                zipfile.ZipInfo(f"{table}.csv", date_time=_ZIP_DATE), csv, compress_type=zipfile.ZIP_DEFLATED
            )
            resources.append(_resource(table, csv, manifest, frame))
        package = json.dumps(datapackage(manifest, resources), indent=2, ensure_ascii=False).encode("utf-8")
        archive.writestr(
            zipfile.ZipInfo("datapackage.json", date_time=_ZIP_DATE), package, compress_type=zipfile.ZIP_DEFLATED
        )
    return buffer.getvalue()
