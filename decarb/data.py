"""Load the processed Parquet tables, verified against the manifest the ETL wrote beside them.

The processed folder is a symlink to the current build (etl/output.py): a load resolves it once and reads one
build throughout. Messages are shown to users, so they name files, never a folder of the server (the full
detail goes to the server's log).
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from decarb.contract import TABLES
from decarb.memo import SHARED
from decarb.paths import MANIFEST_NAME, REBUILD_COMMAND
from decarb.paths import processed_dir as default_processed_dir
from decarb.provenance import Manifest, ManifestError, parse_manifest


class DataUnavailable(Exception):
    """Processed data is missing, incomplete or damaged. str() is one line a user can act on."""


LOG = logging.getLogger(__name__)


def _unavailable(message: str, where: Path, detail: object = "") -> DataUnavailable:
    LOG.warning("processed data in %s: %s %s", where, message, detail)
    return DataUnavailable(f"{message}: rebuild with {REBUILD_COMMAND}")


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


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_manifest(processed_dir: Path | None = None) -> Manifest:
    """The manifest, parsed once here into typed provenance (decarb.provenance) for every surface."""
    return _read_manifest((processed_dir or default_processed_dir()).resolve())


def _read_manifest(build: Path) -> Manifest:
    path = build / MANIFEST_NAME
    if not path.exists():
        LOG.warning("processed data in %s: no %s", build, MANIFEST_NAME)
        raise DataUnavailable(f"No processed data has been built yet: build it with {REBUILD_COMMAND}")
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise _unavailable(f"{MANIFEST_NAME} is unreadable ({err.strerror})", build, err) from err
    except ValueError as err:  # the JSON error names a line and column, not the file's path
        raise _unavailable(f"{MANIFEST_NAME} is unreadable ({err})", build) from err
    try:
        return parse_manifest(payload)
    except ManifestError as err:  # e.g. written by an older build, before a sources.json change
        raise _unavailable(f"{MANIFEST_NAME}: {err} (an older or damaged build)", build) from err


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
    """Read every table of the current build; with verify, refuse any file whose checksum differs from the
    manifest's. A build that stops being current while it is read (a rebuild removed it) is read again."""
    directory = processed_dir or default_processed_dir()
    while True:
        build = directory.resolve()
        try:
            return _load_build(build, verify)
        except (DataUnavailable, OSError) as err:
            if directory.resolve() != build:
                continue  # a new build became current meanwhile: read that one
            if isinstance(err, OSError):
                raise _unavailable(f"The processed data cannot be read ({err.strerror})", build, err) from err
            raise


def _load_build(build: Path, verify: bool) -> Dataset:
    manifest = _read_manifest(build)
    frames = {}
    for name in TABLES:
        entry = manifest.tables.get(name)
        path = build / f"{name}.parquet"
        if entry is None or not path.exists():
            raise _unavailable(f"Table '{name}' is missing from the processed data", build)
        if verify and sha256_of(path) != entry.sha256:
            raise _unavailable(
                f"{path.name} does not match its checksum in the manifest (damaged or edited after the build)", build
            )
        try:
            frames[name] = pd.read_parquet(path)
        except Exception as err:  # pyarrow raises several types for a damaged file; its text names the path
            raise _unavailable(f"{path.name} cannot be read ({type(err).__name__})", build, err) from err
    fingerprint = hashlib.sha256((build / MANIFEST_NAME).read_bytes()).hexdigest()
    return Dataset(manifest=manifest, fingerprint=fingerprint, **frames)
