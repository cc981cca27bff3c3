"""The build: verify raw files, run each source's step, check the outputs, write them all at once.

Nothing in the output folder changes until every step and check has passed: the tables are written to a
temporary folder beside it, which then replaces it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
from tqdm import tqdm

from decarb.contract import CLIMATE_TRACE_V5, IRON_STEEL, TABLES, column_names
from decarb.data import sha256_of
from decarb.paths import MANIFEST_NAME, PROJECT_ROOT
from decarb.provenance import parse_manifest
from etl import (
    areas,
    changes,
    checks,
    climate_trace,
    climate_trace_subsectors,
    climate_trace_v5,
    edgar,
    gem_steel,
    leadit,
    net_zero_tracker,
    owid,
    provenance,
    unfccc,
    worldsteel,
)

# decarb/provenance.py validates sources.json and defines the manifest the build writes.
CODE_FILES = sorted(
    [
        *(PROJECT_ROOT / "etl").glob("*.py"),
        PROJECT_ROOT / "decarb" / "contract.py",
        PROJECT_ROOT / "decarb" / "provenance.py",
    ]
)


@dataclass
class BuildResult:
    built: bool
    message: str
    timings: dict[str, float] = field(default_factory=dict)


@dataclass
class Parts:
    """What the source steps produce, gathered before the tables are assembled."""

    emissions: list[pd.DataFrame] = field(default_factory=list)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


# --- One step per source: read (validated), bring to the contract -------------------------------------------
def _edgar(raw_dir: Path, sources: dict, parts: Parts) -> None:
    sector_sheet, totals_sheet = edgar.read(raw_dir)
    emissions = edgar.to_emissions(sector_sheet)
    checked = edgar.check_totals(emissions, totals_sheet, raw_dir / edgar.FILE)
    parts.notes.append(
        f"EDGAR: sectors x substances reproduce {edgar.TOTALS_SHEET} for all {checked} "
        f"area-years (relative difference <= {edgar.TOTALS_TOLERANCE:g})."
    )
    parts.emissions.append(emissions)


def _climate_trace(raw_dir: Path, sources: dict, parts: Parts) -> None:
    excluded = {int(year): why for year, why in sources["climate_trace"].get("exclude_years", {}).items()}
    parts.emissions.append(climate_trace.to_emissions(climate_trace.read(raw_dir), list(excluded)))
    parts.notes += [f"Climate TRACE: year {year} excluded: {why}." for year, why in excluded.items()]


def _owid(raw_dir: Path, sources: dict, parts: Parts) -> None:
    frame = owid.read(raw_dir)
    parts.emissions.append(owid.to_emissions(frame))
    parts.tables["indicators"] = owid.to_indicators(frame)


def _net_zero_tracker(raw_dir: Path, sources: dict, parts: Parts) -> None:
    parts.tables["targets"], notes = net_zero_tracker.to_targets(net_zero_tracker.read(raw_dir))
    parts.notes += [f"Net Zero Tracker: {note}." for note in notes]


def _leadit(raw_dir: Path, sources: dict, parts: Parts) -> None:
    parts.tables["members"] = leadit.to_members(leadit.read_members(raw_dir))
    parts.tables["reported_counts"] = leadit.to_reported_counts(leadit.read_counts(raw_dir))
    parts.tables["milestones"] = leadit.to_milestones(leadit.read_milestones(raw_dir))


def _climate_trace_subsectors(raw_dir: Path, sources: dict, parts: Parts) -> None:
    emissions, notes = climate_trace_subsectors.to_emissions(climate_trace_subsectors.read(raw_dir))
    checked = climate_trace_subsectors.check_gases(emissions, raw_dir)
    # Iron and steel comes from the newer release (v5.7.0), in place of this release's steel rows: one
    # release per (source, sector), named by decarb.provenance.release_of.
    excluded = {int(year): why for year, why in sources[CLIMATE_TRACE_V5].get("exclude_years", {}).items()}
    path = raw_dir / climate_trace_v5.FILE
    steel, steel_notes = climate_trace_v5.to_emissions(climate_trace_v5.read(raw_dir), excluded, path)
    older = (emissions["sector"] == IRON_STEEL).to_numpy()
    compared = climate_trace_v5.compare_releases(emissions[older], steel)
    parts.emissions.append(pd.concat([emissions[~older], steel], ignore_index=True))
    # This release's steel file is still read and checked (and compared above); its notes say it is not stored.
    stale = "steel (late-2023 release, checked, not stored: replaced by v5.7.0):"
    notes = [stale + note.removeprefix("steel:") if note.startswith("steel:") else note for note in notes]
    parts.notes += [f"Climate TRACE sub-sectors: {note}." for note in [*notes, *steel_notes, compared]]
    parts.notes.append(f"Climate TRACE sub-sectors: co2e_100yr >= co2 in all {checked} area-years.")


def _gem_steel(raw_dir: Path, sources: dict, parts: Parts) -> None:
    frame, columns = gem_steel.read_plants(raw_dir)
    plants = gem_steel.to_steel_plants(frame)
    capacity = gem_steel.to_steel_capacity(frame, columns)
    checked = gem_steel.check_totals(frame, columns, capacity, raw_dir / gem_steel.PLANTS_FILE)
    units = gem_steel.to_steel_units(gem_steel.read_units(raw_dir))
    unit_notes = gem_steel.check_units(units, plants, raw_dir / gem_steel.UNITS_FILE)
    parts.tables.update(steel_plants=plants, steel_capacity=capacity, steel_units=units)
    parts.notes += [f"GEM steel: {note}." for note in [*gem_steel.notes(plants, capacity, units), *unit_notes]]
    parts.notes.append(
        f"GEM steel: every crude-steel and iron total equals the sum of its technologies ({checked:,} totals, "
        f"within {gem_steel.TOTAL_TOLERANCE_TTPA:g} ttpa)."
    )


def _worldsteel(raw_dir: Path, sources: dict, parts: Parts) -> None:
    table = worldsteel.read(raw_dir)
    parts.tables["production"], notes = worldsteel.to_production(table)
    parts.notes += [f"worldsteel: {note}." for note in [*notes, worldsteel.check_world(table)]]


def _company_steel_owners(raw_dir: Path, sources: dict, parts: Parts) -> None:
    # After gem_steel and leadit (STEPS order): the mapping joins the member list to the plants' owner ids.
    parts.tables["company_steel_owners"] = leadit.to_company_steel_owners(
        leadit.read_company_gem_ids(raw_dir),
        parts.tables["members"],
        parts.tables["steel_plants"],
        raw_dir / leadit.COMPANY_GEM_IDS_FILE,
    )


def _unfccc(raw_dir: Path, sources: dict, parts: Parts) -> None:
    frames = unfccc.read(raw_dir)
    checked = unfccc.check_sums(frames, raw_dir)
    emissions, notes = unfccc.to_emissions(frames)
    parts.emissions.append(emissions)
    parts.notes += [f"UNFCCC: {note}." for note in notes]
    parts.notes.append(
        f"UNFCCC: sub-categories reproduce their parent (1.A.2, 2.A, 2.B, 2.C) in all {checked} "
        "party-years without an unknown notation key "
        f"(relative difference <= {unfccc.SUM_TOLERANCE:g})."
    )


# Cheap steps first, so that a bad input among them stops the build before EDGAR's workbook is read; the
# emissions steps keep their order (it is the row order of the emissions table).
STEPS: dict[str, Callable[[Path, dict, Parts], None]] = {
    "gem_steel": _gem_steel,
    "worldsteel": _worldsteel,
    "edgar": _edgar,
    "climate_trace": _climate_trace,
    "owid": _owid,
    "net_zero_tracker": _net_zero_tracker,
    "leadit": _leadit,
    "company_steel_owners": _company_steel_owners,
    "climate_trace_subsectors": _climate_trace_subsectors,
    "unfccc": _unfccc,
}


# --- Fingerprints: what decides whether a rebuild is needed -------------------------------------------------
def code_digest() -> str:
    digest = hashlib.sha256()
    for path in CODE_FILES:
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def inputs_fingerprint(checksums: dict[str, str]) -> str:
    text = "\n".join(f"{name}={sha}" for name, sha in sorted(checksums.items())) + f"\ncode={code_digest()}"
    return hashlib.sha256(text.encode()).hexdigest()


def is_up_to_date(out_dir: Path, fingerprint: str) -> bool:
    try:  # read as the app reads it: a manifest the app cannot parse is never up to date
        manifest = parse_manifest(json.loads((out_dir / MANIFEST_NAME).read_text(encoding="utf-8")))
    except (OSError, ValueError):  # ManifestError is a ValueError
        return False
    if manifest.inputs_fingerprint != fingerprint:
        return False
    tables = manifest.tables
    return set(tables) == set(TABLES) and all(
        (out_dir / entry.file).exists() and sha256_of(out_dir / entry.file) == entry.sha256 for entry in tables.values()
    )


# --- Assembly and writing -----------------------------------------------------------------------------------
def assemble(parts: Parts) -> dict[str, pd.DataFrame]:
    # Row order is deterministic without a sort: sources in STEPS order, each in its file's order.
    emissions = pd.concat(parts.emissions, ignore_index=True)
    tables = {"emissions": emissions, **parts.tables}
    codes = {
        code
        for frame in tables.values()
        for col in ("iso3", "home_iso3")
        if col in frame
        for code in frame[col].dropna().unique()
    }
    tables["areas"] = areas.build_areas(codes)
    return {name: tables[name][column_names(name)] for name in TABLES}


def coverage(parts: list[pd.DataFrame]) -> dict[str, dict]:
    """Per source: rows, years, areas and sectors. Each part is one source's rows, so no groupby is needed."""
    return {
        frame["source"].iloc[0]: {
            "rows": int(len(frame)),
            "first_year": int(frame["year"].min()),
            "last_year": int(frame["year"].max()),
            "areas": len(pd.unique(frame["iso3"])),
            "sectors": sorted(pd.unique(frame["sector"]).tolist()),
        }
        for frame in parts
    }


def git_version() -> str:
    try:
        out = subprocess.run(
            ["git", "-C", str(PROJECT_ROOT), "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            timeout=5,
        )
        return out.stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def write_tables(tables: dict[str, pd.DataFrame], directory: Path) -> dict[str, dict]:
    entries = {}
    for name, frame in tables.items():
        path = directory / f"{name}.parquet"
        # No dictionary pages: sorted runs compress better with zstd alone, and the write is about twice as fast.
        # No column statistics: every table is one row group (the largest has 0.3 M rows), so min/max prune
        # nothing, and computing them over the text columns took half the write time.
        frame.to_parquet(path, index=False, compression="zstd", use_dictionary=False, write_statistics=False)
        schema = pq.read_schema(path)
        description, columns = TABLES[name]
        entries[name] = {
            "file": path.name,
            "rows": int(len(frame)),
            "sha256": sha256_of(path),
            "description": description,
            "columns": [
                {"name": c.name, "type": str(schema.field(c.name).type), "description": c.description, "unit": c.unit}
                for c in columns
            ],
        }
    return entries


def swap_in(built: Path, out_dir: Path) -> None:
    """Replace out_dir by built; the old folder is moved aside first and removed only after the swap."""
    old = out_dir.with_name(f".old-{out_dir.name}-{time.time_ns()}")
    if out_dir.exists():
        out_dir.rename(old)
    try:
        built.rename(out_dir)
    except OSError:
        if old.exists():
            old.rename(out_dir)
        raise
    shutil.rmtree(old, ignore_errors=True)


def previous_tables(out_dir: Path) -> dict[str, pd.DataFrame]:
    """The tables a change report compares with: those of the build now in out_dir that can be read."""
    tables = {}
    for name in ("members", "milestones", "emissions", *changes.STEEL_TABLES):
        try:
            tables[name] = pd.read_parquet(out_dir / f"{name}.parquet")
        except (OSError, ValueError):  # no previous build, or an older one without it: said in the report
            continue
    return tables


def build(
    raw_dir: Path,
    out_dir: Path,
    *,
    force: bool = False,
    accept: frozenset[str] = frozenset(),
    progress: bool = True,
    min_countries: int = checks.MIN_EDGAR_COUNTRIES,
) -> BuildResult:
    """Build every table into out_dir, or do nothing when inputs and code are unchanged."""
    started = time.perf_counter()
    sources = provenance.load_sources(raw_dir, accept)
    recorded = {name: entry["sha256"] for source in sources.values() for name, entry in source["files"].items()}
    checksums = provenance.verify_checksums(raw_dir, sources, set(accept))
    accepted = {
        source_id
        for source_id, source in sources.items()
        for name in source["files"]
        if name in accept and checksums[name] != recorded[name]
    }
    fingerprint = inputs_fingerprint({**checksums, provenance.SOURCES_FILE: provenance.sources_digest(sources)})
    if not force and is_up_to_date(out_dir, fingerprint):
        if accepted:
            provenance.write_sources(raw_dir, sources)
        return BuildResult(
            False,
            f"Up to date: {out_dir} already holds the build of these inputs and code; "
            "nothing to do (use --force to rebuild).",
        )
    parts, timings = Parts(), {}
    with tqdm(STEPS.items(), desc="build", unit="source", disable=not progress, leave=False) as bar:
        for name, step in bar:
            bar.set_description(f"reading {name}")
            t0 = time.perf_counter()
            step(raw_dir, sources, parts)
            timings[name] = time.perf_counter() - t0
            if progress:
                tqdm.write(f"  {name:<17} {timings[name]:6.2f} s")
    t0 = time.perf_counter()
    tables = assemble(parts)
    checks.check_outputs(tables, min_countries)
    change_notes, change_records = changes.change_report(
        previous_tables(out_dir) if accepted else None, tables, accepted
    )
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = out_dir.with_name(f".build-{out_dir.name}-{time.time_ns()}")
    staging.mkdir()
    try:
        manifest = {
            "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "code_version": git_version(),
            "code_sha256": code_digest(),
            "inputs_fingerprint": fingerprint,
            "tables": write_tables(tables, staging),
            "sources": sources,
            "coverage": coverage(parts.emissions),
            "quality_notes": parts.notes + change_notes,
            "changes": change_records,
        }
        provenance.write_json_atomically(staging / MANIFEST_NAME, manifest)
        swap_in(staging, out_dir)
        if accepted:  # only now: a file that did not build is never recorded as accepted
            provenance.write_sources(raw_dir, sources)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    timings["assemble, check and write"] = time.perf_counter() - t0
    total = time.perf_counter() - started
    rows = ", ".join(f"{name} {len(frame):,}" for name, frame in tables.items())
    report = "".join(f"\n  {line}" for line in change_notes)
    return BuildResult(True, f"Built {out_dir} in {total:.2f} s ({rows} rows).{report}", timings)
