"""Load the processed Parquet tables, verified against the manifest the ETL wrote beside them."""

from __future__ import annotations

import hashlib
import json
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
    """The manifest's sha256, a key that changes whenever the data is rebuilt (for caches); "missing" without one."""
    path = (processed_dir or default_processed_dir()) / MANIFEST_NAME
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
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
