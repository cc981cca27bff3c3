"""Load the processed data once per server process, shared by every session; say clearly when it is missing."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar, cast

import streamlit as st

from decarb.data import Dataset, DataUnavailable, load_dataset, manifest_fingerprint
from decarb.memo import RESULT, SHARED, cached, cached_on, derived, sharing  # noqa: F401  (the pages' import path)
from decarb.paths import MANIFEST_NAME, processed_dir
from decarb.ui.state import app_state

T = TypeVar("T")
_THIS_RUN = "_dataset_this_run"  # what the entrypoint's try_dataset() found on this run, for the page


def _fingerprint(directory: Path) -> str:
    """manifest_fingerprint, read again only when the manifest's inode, size or mtime changed (every page run
    asks; a rebuild swaps in a new folder, so a new file)."""
    path = directory / MANIFEST_NAME
    try:
        stat = path.stat()
    except OSError:
        return "missing"
    signature = ("manifest sha256", str(path), stat.st_ino, stat.st_size, stat.st_mtime_ns)
    return SHARED.get(signature, lambda: manifest_fingerprint(directory))


def _load(directory: Path) -> Dataset:
    """The dataset of this build, loaded once per server process (sessions arriving meanwhile wait for it), its
    derived tables shared through the cache.

    Keyed on the manifest fingerprint: a rebuilt dataset is picked up without restarting the server."""
    fingerprint = _fingerprint(directory)
    key = ("dataset", str(directory), fingerprint)
    if key in SHARED:
        return SHARED.get(key, lambda: sharing(load_dataset(directory)))
    with st.spinner("Loading the processed data (once per server)..."):
        ds = SHARED.get(key, lambda: sharing(load_dataset(directory)))
    # A new build: the previous one and everything derived from it would only hold memory.
    SHARED.drop(
        lambda k: (
            isinstance(k, tuple)
            and (
                (k[0] == "dataset" and k[1] == str(directory) and k != key) or (k[0] == RESULT and k[1] != fingerprint)
            )
        )
    )
    return ds


def try_dataset() -> tuple[Dataset | None, str | None]:
    """The shared dataset, or None and the one-line reason it cannot be loaded.

    The entrypoint calls this first on every run; the page then gets the same answer (dataset_or_stop) without
    checking the manifest again.
    """
    directory = processed_dir()
    try:
        found: tuple[Dataset | None, str | None] = (_load(directory), None)
    except DataUnavailable as err:
        found = (None, str(err))
    app_state()[_THIS_RUN] = found
    return found


def show_unavailable(problem: str) -> None:
    st.error(f"The processed data cannot be loaded. {problem}")
    st.markdown("Rebuild it from the raw files in `data/raw/` (a few minutes), then reload this page:")
    st.code("make data", language="bash")
    st.caption("or, without make: `.venv/bin/python -m etl`")


def dataset_or_stop() -> Dataset:
    """The shared dataset; when it is unavailable, show why and how to rebuild it, and stop the page."""
    ds, problem = cast(tuple, app_state().get(_THIS_RUN)) or try_dataset()
    if ds is None:
        show_unavailable(problem or "Unknown problem.")
        st.stop()
    return ds
