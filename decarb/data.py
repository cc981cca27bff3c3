"""Load the processed Parquet tables, verified against the manifest the ETL wrote beside them."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from decarb.contract import TABLES
from decarb.memo import SHARED
from decarb.paths import MANIFEST_NAME, REBUILD_COMMAND
from decarb.paths import processed_dir as default_processed_dir
from decarb.provenance import Manifest, ManifestError, parse_manifest


class DataUnavailable(Exception):
    """Processed data is missing, incomplete or damaged. str() is one line a user can act on."""


@dataclass(frozen=True)
class Dataset:
    emissions: pd.DataFrame
    areas: pd.DataFrame
    indicators: pd.DataFrame
    members: pd.DataFrame
    reported_counts: pd.DataFrame
    milestones: pd.DataFrame
    targets: pd.DataFrame
    manifest: Manifest
    # sha256 of the manifest it was loaded with: changes with every build, so it keys whatever is derived from
    # the dataset (empty for a dataset made in memory, e.g. a test's).
    fingerprint: str = ""
    # Steel (GEM plants, capacity and furnaces; worldsteel production; member companies' GEM ids). Empty by
    # default so that a dataset built in code for a test need not make them.
    steel_plants: pd.DataFrame = field(default_factory=pd.DataFrame)
    steel_capacity: pd.DataFrame = field(default_factory=pd.DataFrame)
    steel_units: pd.DataFrame = field(default_factory=pd.DataFrame)
    production: pd.DataFrame = field(default_factory=pd.DataFrame)
    company_steel_owners: pd.DataFrame = field(default_factory=pd.DataFrame)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_manifest(processed_dir: Path | None = None) -> Manifest:
    """The manifest, parsed once here into typed provenance (decarb.provenance) for every surface."""
    directory = processed_dir or default_processed_dir()
    path = directory / MANIFEST_NAME
    if not path.exists():
        raise DataUnavailable(f"No processed data in {directory}: build it with {REBUILD_COMMAND}")
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise DataUnavailable(f"{path} is unreadable ({err}): rebuild with {REBUILD_COMMAND}") from err
    try:
        return parse_manifest(payload)
    except ManifestError as err:  # e.g. written by an older build, before a sources.json change
        raise DataUnavailable(f"{path}: {err} (an older or damaged build): rebuild with {REBUILD_COMMAND}") from err


def manifest_fingerprint(processed_dir: Path | None = None) -> str:
    """The manifest's sha256, a key that changes whenever the data is rebuilt (for caches).

    Every page run asks; the file is read again only when its inode, size or mtime changed (a rebuild swaps in
    a new folder, so a new file).
    """
    path = (processed_dir or default_processed_dir()) / MANIFEST_NAME
    try:
        stat = path.stat()
        signature = ("manifest sha256", str(path), stat.st_ino, stat.st_size, stat.st_mtime_ns)
        return SHARED.get(signature, lambda: hashlib.sha256(path.read_bytes()).hexdigest())
    except OSError:
        return "missing"


def load_dataset(processed_dir: Path | None = None, verify: bool = True) -> Dataset:
    """Read every table; with verify, refuse any file whose checksum differs from the manifest's."""
    directory = processed_dir or default_processed_dir()
    manifest = read_manifest(directory)
    frames = {}
    for name in TABLES:
        entry = manifest.tables.get(name)
        path = directory / f"{name}.parquet"
        if entry is None or not path.exists():
            raise DataUnavailable(f"Table '{name}' is missing from {directory}: rebuild with {REBUILD_COMMAND}")
        if verify and sha256_of(path) != entry.sha256:
            raise DataUnavailable(
                f"{path} does not match its checksum in the manifest (damaged or edited after the build): "
                f"rebuild with {REBUILD_COMMAND}"
            )
        try:
            frames[name] = pd.read_parquet(path)
        except Exception as err:  # pyarrow raises several types for a damaged file
            raise DataUnavailable(f"{path} cannot be read ({err}): rebuild with {REBUILD_COMMAND}") from err
    fingerprint = hashlib.sha256((directory / MANIFEST_NAME).read_bytes()).hexdigest()
    return Dataset(manifest=manifest, fingerprint=fingerprint, **frames)
