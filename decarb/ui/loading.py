"""Load the processed data once per server process, shared by every session; say clearly when it is missing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import streamlit as st

from decarb.data import Dataset, DataUnavailable, load_dataset, manifest_fingerprint
from decarb.memo import RESULT, SHARED
from decarb.paths import processed_dir

T = TypeVar("T")
_THIS_RUN = "_dataset_this_run"  # what the entrypoint's try_dataset() found on this run, for the page


def _load(directory: Path) -> Dataset:
    """The dataset of this build, loaded once per server process (sessions arriving meanwhile wait for it).

    Keyed on the manifest fingerprint: a rebuilt dataset is picked up without restarting the server."""
    fingerprint = manifest_fingerprint(directory)
    key = ("dataset", str(directory), fingerprint)
    if key in SHARED:
        return SHARED.get(key, lambda: load_dataset(directory))
    with st.spinner("Loading the processed data (once per server)..."):
        ds = SHARED.get(key, lambda: load_dataset(directory))
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
    st.session_state[_THIS_RUN] = found
    return found


def show_unavailable(problem: str) -> None:
    st.error(f"The processed data cannot be loaded. {problem}")
    st.markdown("Rebuild it from the raw files in `data/raw/` (a few minutes), then reload this page:")
    st.code("make data", language="bash")
    st.caption("or, without make: `.venv/bin/python -m etl`")


def dataset_or_stop() -> Dataset:
    """The shared dataset; when it is unavailable, show why and how to rebuild it, and stop the page."""
    ds, problem = st.session_state.get(_THIS_RUN) or try_dataset()
    if ds is None:
        show_unavailable(problem or "Unknown problem.")
        st.stop()
    return ds


_PLAIN = (str, int, float, bool, type(None))


def _text(value: object) -> str | None:
    """A text naming the value exactly, for values made of strings, numbers, tuples and frozen dataclasses of
    those (a cache key without Streamlit's slower hashing); None for anything else."""
    if isinstance(value, _PLAIN):
        return repr(value)
    if isinstance(value, tuple):
        parts = [_text(v) for v in value]
        return None if None in parts else "(" + ",".join(parts) + ")"  # type: ignore[arg-type]
    params = getattr(type(value), "__dataclass_params__", None)
    if params is not None and params.frozen:
        fields = tuple(getattr(value, f) for f in type(value).__dataclass_fields__)
        inner = _text(fields)
        return None if inner is None else f"{type(value).__module__}.{type(value).__qualname__}{inner}"
    return None


def _name(fn: Callable) -> str:
    return f"{fn.__module__}.{fn.__qualname__}"


def _key_text(args: tuple) -> str:
    text = _text(args)
    if text is None:
        raise TypeError(f"cached results need plain arguments (strings, numbers, tuples, frozen dataclasses): {args}")
    return text


def cached(fn: Callable[..., T], ds: Dataset, *args: object, **kwargs: object) -> T:
    """fn(ds, *args, **kwargs) computed once per server for this dataset and these arguments (decarb.memo).

    The result is shared between sessions: callers must not modify it. Arguments are strings, numbers, tuples
    and frozen dataclasses of those (all the pages use), keyed by an exact text of them: Streamlit's own cache
    inspects the function's signature for every argument on every call (measured: 0.6 ms a lookup, several
    lookups a run, on every page).
    """
    text = _key_text((args, tuple(sorted(kwargs.items()))))
    return SHARED.get((RESULT, ds.fingerprint, _name(fn), text), lambda: fn(ds, *args, **kwargs))


def cached_on(fn: Callable[..., T], ds: Dataset, base: tuple, *args: object) -> T:
    """fn(cached(base[0], ds, *base[1:]), *args): a view of another cached result (e.g. a filtered table),
    itself computed once per server for these arguments (plain ones, as for cached). fn must not modify what it
    receives."""
    base_fn, *base_args = base
    text = _key_text((tuple(base_args), args))
    key = (RESULT, ds.fingerprint, f"{_name(fn)} of {_name(base_fn)}", text)
    return SHARED.get(key, lambda: fn(cached(base_fn, ds, *base_args), *args))
