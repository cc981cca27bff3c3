"""Load the processed Parquet tables, verified against the manifest the ETL wrote beside them.

The processed folder is a symlink to the current build (etl/output.py): a load resolves it once and reads one
build throughout. Messages are shown to users, so they name files, never a folder of the server (the full
detail goes to the server's log).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field, is_dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar, cast

import numpy as np
import pandas as pd

from decarb.contract import TABLES
from decarb.paths import MANIFEST_NAME, REBUILD_COMMAND
from decarb.paths import processed_dir as default_processed_dir
from decarb.provenance import Manifest, ManifestError, parse_manifest

T = TypeVar("T")


def read_only(value: T) -> T:
    """The value with every array in it made read-only, in place: numpy arrays, the blocks of frames and series,
    inside tuples, lists, dicts and dataclasses (a shared result that a caller changed would change for every
    session). Writing into one raises ValueError; pandas' copy-on-write still lets a caller derive new frames.
    A dict, or a dict in a plain tuple, comes back behind a read-only view."""
    if isinstance(value, np.ndarray):
        value.setflags(write=False)
    elif isinstance(value, (pd.DataFrame, pd.Series)):
        # pandas has no public switch for this: its block manager holds the arrays the frame is made of.
        for block in value._mgr.blocks:
            if isinstance(block.values, np.ndarray):
                block.values.setflags(write=False)
    elif type(value) is tuple:  # a plain tuple's dicts come back behind read-only views too
        return cast(T, tuple(read_only(item) for item in cast(tuple, value)))
    elif isinstance(value, (tuple, list)):
        for item in value:
            read_only(item)
    elif isinstance(value, dict):
        for item in value.values():
            read_only(item)
    elif is_dataclass(value) and not isinstance(value, type):
        for name in value.__dataclass_fields__:
            read_only(getattr(value, name))
    return cast(T, MappingProxyType(value)) if isinstance(value, dict) else value


def _direct(fn: Callable[..., T], ds: Dataset, *args: Any, **kwargs: Any) -> T:
    return read_only(fn(ds, *args, **kwargs))


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
    # Steel (GEM plants, capacity and furnaces; worldsteel production; member companies' GEM ids). Empty by
    # default so that a dataset built in code for a test need not make them.
    steel_plants: pd.DataFrame = field(default_factory=pd.DataFrame)
    steel_capacity: pd.DataFrame = field(default_factory=pd.DataFrame)
    steel_units: pd.DataFrame = field(default_factory=pd.DataFrame)
    production: pd.DataFrame = field(default_factory=pd.DataFrame)
    company_steel_owners: pd.DataFrame = field(default_factory=pd.DataFrame)

    # How `derived` computes: directly, unless whoever loaded the dataset passed a cache (decarb.memo.sharing).
    share: Callable[..., Any] = field(default=_direct, repr=False, compare=False)

    def derived(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """fn(self, *args, **kwargs), read-only: a table derived from this dataset that many results are built on
        (an encoding, an area set, a pivot); with a cache, every session's."""
        return self.share(fn, self, *args, **kwargs)


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
    """The manifest's sha256, a key that changes whenever the data is rebuilt (for caches); "missing" without one."""
    path = (processed_dir or default_processed_dir()) / MANIFEST_NAME
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
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
