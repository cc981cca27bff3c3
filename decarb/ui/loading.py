"""Load the processed data once per server process, shared by every session; say clearly when it is missing."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import streamlit as st

from decarb.data import Dataset, DataUnavailable, load_dataset, manifest_fingerprint
from decarb.paths import PROCESSED_DIR

T = TypeVar("T")
_FINGERPRINTS: dict[int, str] = {}


def processed_dir() -> Path:
    """Where the processed tables are; read at call time so a test or a server can point elsewhere."""
    env = os.environ.get("DECARB_PROCESSED_DIR")
    return Path(env) if env else PROCESSED_DIR


@st.cache_resource(show_spinner="Loading the processed data (once per server)...", max_entries=2)
def _load(directory: str, fingerprint: str) -> Dataset:
    # Keyed on the manifest fingerprint: a rebuilt dataset is picked up without restarting the server.
    ds = load_dataset(Path(directory))
    _FINGERPRINTS[id(ds)] = fingerprint
    return ds


def try_dataset() -> tuple[Dataset | None, str | None]:
    """The shared dataset, or None and the one-line reason it cannot be loaded."""
    directory = processed_dir()
    try:
        return _load(str(directory), manifest_fingerprint(directory)), None
    except DataUnavailable as err:
        return None, str(err)


def show_unavailable(problem: str) -> None:
    st.error(f"The processed data cannot be loaded. {problem}")
    st.markdown("Rebuild it from the raw files in `data/raw/` (a few minutes), then reload this page:")
    st.code("make data", language="bash")
    st.caption("or, without make: `.venv/bin/python -m etl`")


def dataset_or_stop() -> Dataset:
    """The shared dataset; when it is unavailable, show why and how to rebuild it, and stop the page."""
    ds, problem = try_dataset()
    if ds is None:
        show_unavailable(problem or "Unknown problem.")
        st.stop()
    return ds


def fingerprint_of(ds: Dataset) -> str:
    return _FINGERPRINTS.get(id(ds), str(id(ds)))


@st.cache_resource(max_entries=512, show_spinner=False)
def _memo(fingerprint: str, name: str, args: tuple, kwargs: tuple, _fn: Callable, _ds: Dataset) -> object:
    return _fn(_ds, *args, **dict(kwargs))


def cached(fn: Callable[..., T], ds: Dataset, *args: object, **kwargs: object) -> T:
    """fn(ds, *args, **kwargs) computed once per server for this dataset and these (hashable) arguments.

    The result is shared between sessions: callers must not modify it.
    """
    name = f"{fn.__module__}.{fn.__qualname__}"
    return _memo(fingerprint_of(ds), name, args, tuple(sorted(kwargs.items())), fn, ds)  # type: ignore[return-value]
