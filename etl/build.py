"""The build: verify raw files, run each source's step, check the outputs, write them all at once.

One build at a time (a lock). Every raw file is read once and parsed from the bytes that were checksummed. Nothing
in the output folder or in sources.json changes until every step and check has passed and every table is
written: the tables go to a new build folder beside it, which then becomes current in one atomic step
(etl/output.py), with the accepted checksums recorded just before.
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

from decarb.contract import (
    CLIMATE_TRACE_V5,
    IRON_STEEL,
    NET_ZERO_TRACKER,
    NET_ZERO_TRACKER_2025,
    OWID,
    TABLES,
    column_names,
)
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
    global_carbon_budget,
    history,
    leadit,
    net_zero_tracker,
    output,
    owid,
    provenance,
    readers,
    unfccc,
    worldsteel,
)
from etl.output import BuildError
from etl.readers import Served

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
    indicator_sources: dict[str, str] = field(default_factory=dict)  # population/gdp -> the series OWID used


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
    parts.indicator_sources = owid.indicator_sources(raw_dir)


def _net_zero_tracker(raw_dir: Path, sources: dict, parts: Parts) -> None:
    targets, notes = net_zero_tracker.to_targets(net_zero_tracker.read(raw_dir))
    parts.notes += [f"Net Zero Tracker: {note}." for note in notes]
    # Both vintages: each country's newest end target, the earlier one beside it.
    stocktake = sources[NET_ZERO_TRACKER_2025]
    targets = net_zero_tracker.with_stocktake(
        targets,
        net_zero_tracker.read_stocktake(raw_dir),
        sources[NET_ZERO_TRACKER]["released_on"],
        stocktake["released_on"],
        stocktake["url"],
        raw_dir / net_zero_tracker.STOCKTAKE_FILE,
    )
    parts.tables["targets"] = targets


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


def _gcb(raw_dir: Path, sources: dict, parts: Parts) -> None:
    frame = global_carbon_budget.read(raw_dir)
    emissions, notes = global_carbon_budget.to_emissions(frame)
    year, world = global_carbon_budget.check_world_cement(emissions, raw_dir)
    parts.emissions.append(emissions)
    label = "Global Carbon Budget"
    parts.notes += [f"{label}: {note}." for note in notes]
    parts.notes.append(
        f"{label}: Total equals Coal + Oil + Gas + Flaring + Other + Cement in all "
        f"{global_carbon_budget.rows_checked(frame):,} rows that give every column (difference <= "
        f"{global_carbon_budget.SUM_TOLERANCE_MT:g} Mt); world cement process CO2 {world:,.0f} Mt in {year}."
    )
    owid_rows = [part for part in parts.emissions if len(part) and part["source"].iloc[0] == OWID]
    if owid_rows:
        parts.notes.append(f"{label}: {global_carbon_budget.compare_cement(emissions, owid_rows[0], 'OWID')}.")


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
    "gcb": _gcb,
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


def previous_tables(out_dir: Path) -> dict[str, pd.DataFrame]:
    """The tables a change report compares with: those of the build now in out_dir that can be read."""
    tables = {}
    for name in ("members", "milestones", "emissions", "targets", *changes.STEEL_TABLES):
        try:
            tables[name] = pd.read_parquet(out_dir / f"{name}.parquet")
        except (OSError, ValueError):  # no previous build, or an older one without it: said in the report
            continue
    return tables


def run_step(
    name: str, step: Callable[[Path, dict, Parts], None], raw_dir: Path, sources: dict, parts: Parts, served: Served
) -> None:
    """One source's step, then what every source gets: the years the analyst excluded in sources.json dropped,
    and its years checked (none after the current year, no partial latest year), naming the files it read."""
    served.reset()
    emissions_before, tables_before = len(parts.emissions), dict(parts.tables)
    step(raw_dir, sources, parts)
    new_tables = [frame for table, frame in parts.tables.items() if tables_before.get(table) is not frame]
    years = [int(f["year"].max()) for f in [*parts.emissions[emissions_before:], *new_tables] if "year" in f and len(f)]
    where = (served.files_with(max(years)) if years else None) or str(raw_dir)
    # A step's own source id, and those its rows carry (a step may read several sources).
    ids = [name, *{str(f["source"].iloc[0]) for f in parts.emissions[emissions_before:] if len(f)}]
    excluded = {int(year): why for i in ids for year, why in sources.get(i, {}).get("exclude_years", {}).items()}
    current_year = dt.date.today().year
    for i in range(emissions_before, len(parts.emissions)):
        kept = checks.drop_years(parts.emissions[i], list(excluded))
        if len(kept) < len(parts.emissions[i]):
            dropped = sorted(set(parts.emissions[i]["year"]) & set(excluded))
            parts.notes += [f"{name}: year {year} excluded: {excluded[year]}." for year in dropped]
        parts.emissions[i] = kept
        checks.check_years(kept, where, current_year)
    for frame in new_tables:
        checks.check_years(frame, where, current_year)


def write_build(tables: dict[str, pd.DataFrame], manifest: dict, out_dir: Path, records: dict[Path, bytes]) -> None:
    """Write a new build folder and make it current. `records` (files of data/raw and their new content: an
    acceptance) are written just before the switch and restored if it fails. A write that fails (a full disk) is
    one line, and the new folder is removed."""
    build_dir, previous = None, {path: path.read_bytes() if path.exists() else None for path in records}
    written: list[Path] = []

    def record() -> None:
        for path, data in records.items():
            provenance.write_bytes_atomically(path, data)
            written.append(path)

    try:
        build_dir = output.new_build_dir(out_dir)
        manifest = {**manifest, "tables": write_tables(tables, build_dir)}
        provenance.write_json_atomically(build_dir / MANIFEST_NAME, manifest)
        output.publish(build_dir, out_dir, before_switch=record)
    except BaseException as err:
        for path in written:
            before = previous[path]
            if before is None:
                path.unlink(missing_ok=True)
            else:
                provenance.write_bytes_atomically(path, before)
        if build_dir is not None:
            shutil.rmtree(build_dir, ignore_errors=True)
        if isinstance(err, OSError):
            raise BuildError(out_dir, f"cannot write the new build ({err.strerror or err})") from None
        raise


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
    with output.build_lock(out_dir):
        output.clean_leftovers(out_dir)
        sources = provenance.load_sources(raw_dir, accept)
        recorded = {name: entry["sha256"] for source in sources.values() for name, entry in source["files"].items()}
        verified = provenance.verify_checksums(raw_dir, sources, set(accept))
        checksums = verified.checksums
        accepted = {
            source_id
            for source_id, source in sources.items()
            for name in source["files"]
            if name in accept and checksums[name] != recorded[name]
        }
        past = history.read(raw_dir)
        fingerprint = inputs_fingerprint(
            {
                **checksums,
                provenance.SOURCES_FILE: provenance.sources_digest(sources),
                history.CHANGES_FILE: history.digest(past),
            }
        )
        if not force and not accepted and is_up_to_date(out_dir, fingerprint):
            return BuildResult(
                False,
                f"Up to date: {out_dir} already holds the build of these inputs and code; "
                "nothing to do (use --force to rebuild).",
            )
        parts, timings = Parts(), {}
        with (
            readers.serving(verified.data) as served,
            tqdm(STEPS.items(), desc="build", unit="source", disable=not progress, leave=False) as bar,
        ):
            for name, step in bar:
                bar.set_description(f"reading {name}")
                t0 = time.perf_counter()
                run_step(name, step, raw_dir, sources, parts, served)
                timings[name] = time.perf_counter() - t0
                if progress:
                    tqdm.write(f"  {name:<17} {timings[name]:6.2f} s")
        verified.data.clear()  # parsed: the raw bytes are no longer needed
        t0 = time.perf_counter()
        tables = assemble(parts)
        checks.check_outputs(tables, min_countries)
        change_notes, change_records = changes.change_report(
            previous_tables(out_dir) if accepted else None, tables, accepted
        )
        built_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        code_version = git_version()
        new_entry = (
            history.entry(
                built_at,
                code_version,
                [
                    {
                        "file": name,
                        "source": source_id,
                        "sha256_before": recorded[name],
                        "sha256_after": checksums[name],
                    }
                    for source_id, source in sources.items()
                    for name in source["files"]
                    if name in accept and checksums[name] != recorded[name]
                ],
                change_notes,
                change_records,
            )
            if accepted
            else None
        )
        kept = past + [new_entry] if new_entry else past
        if new_entry:  # the history as it will stand once the entry is appended, so the next build is up to date
            fingerprint = inputs_fingerprint(
                {
                    **checksums,
                    provenance.SOURCES_FILE: provenance.sources_digest(sources),
                    history.CHANGES_FILE: history.digest(kept),
                }
            )
        manifest = {
            "built_at": built_at,
            "code_version": code_version,
            "code_sha256": code_digest(),
            "inputs_fingerprint": fingerprint,
            "tables": None,  # written with the tables
            "sources": sources,
            "coverage": coverage(parts.emissions),
            "quality_notes": parts.notes + change_notes,
            "changes": change_records,
            "change_history": kept,
            "indicator_sources": parts.indicator_sources,
        }
        # An acceptance is recorded (sources.json, changes.jsonl) only with the build that succeeds.
        records = (
            {
                raw_dir / provenance.SOURCES_FILE: provenance.accepted_sources(sources),
                raw_dir / history.CHANGES_FILE: history.appended(raw_dir, new_entry),
            }
            if new_entry
            else {}
        )
        write_build(tables, manifest, out_dir, records)
        timings["assemble, check and write"] = time.perf_counter() - t0
    total = time.perf_counter() - started
    rows = ", ".join(f"{name} {len(frame):,}" for name, frame in tables.items())
    report = "".join(f"\n  {line}" for line in change_notes)
    return BuildResult(True, f"Built {out_dir} in {total:.2f} s ({rows} rows).{report}", timings)
