"""Load the processed data once per server process, shared by every session; say clearly when it is missing."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import streamlit as st

from decarb.data import Dataset, DataUnavailable, load_dataset, manifest_fingerprint
from decarb.paths import processed_dir

T = TypeVar("T")
_FINGERPRINTS: dict[int, str] = {}
_THIS_RUN = "_dataset_this_run"  # what the entrypoint's try_dataset() found on this run, for the page


@st.cache_resource(show_spinner="Loading the processed data (once per server)...", max_entries=2)
def _load(directory: str, fingerprint: str) -> Dataset:
    # Keyed on the manifest fingerprint: a rebuilt dataset is picked up without restarting the server.
    ds = load_dataset(Path(directory))
    _FINGERPRINTS[id(ds)] = fingerprint
    return ds


def try_dataset() -> tuple[Dataset | None, str | None]:
    """The shared dataset, or None and the one-line reason it cannot be loaded.

    The entrypoint calls this first on every run; the page then gets the same answer (dataset_or_stop) without
    checking the manifest again.
    """
    directory = processed_dir()
    try:
        found: tuple[Dataset | None, str | None] = (_load(str(directory), manifest_fingerprint(directory)), None)
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


def fingerprint_of(ds: Dataset) -> str:
    return _FINGERPRINTS.get(id(ds), str(id(ds)))


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


MAX_RESULTS = 512
_RESULTS: OrderedDict[str, object] = OrderedDict()
_RESULTS_LOCK = threading.Lock()
_COMPUTING: dict[str, threading.Lock] = {}


def _remember(key: str, compute: Callable[[], object]) -> object:
    """compute() once per key for the whole server (least recently used results dropped beyond MAX_RESULTS).

    A plain dict, not st.cache_resource: Streamlit's cache inspects the function's signature for every argument
    on every call (measured: 0.6 ms a lookup, several lookups a run, on every page). Sessions asking for a key
    being computed wait for that computation instead of repeating it.
    """
    with _RESULTS_LOCK:
        if key in _RESULTS:
            _RESULTS.move_to_end(key)
            return _RESULTS[key]
        computing = _COMPUTING.setdefault(key, threading.Lock())
    with computing:
        with _RESULTS_LOCK:
            if key in _RESULTS:
                return _RESULTS[key]
        try:
            value = compute()
        finally:
            with _RESULTS_LOCK:
                _COMPUTING.pop(key, None)
        with _RESULTS_LOCK:
            _RESULTS[key] = value
            while len(_RESULTS) > MAX_RESULTS:
                _RESULTS.popitem(last=False)
    return value


@st.cache_resource(max_entries=MAX_RESULTS, show_spinner=False)
def _memo_hashed(fingerprint: str, name: str, args: tuple, kwargs: tuple, _fn: Callable, _ds: Dataset) -> object:
    return _fn(_ds, *args, **dict(kwargs))


def _name(fn: Callable) -> str:
    return f"{fn.__module__}.{fn.__qualname__}"


def cached(fn: Callable[..., T], ds: Dataset, *args: object, **kwargs: object) -> T:
    """fn(ds, *args, **kwargs) computed once per server for this dataset and these (hashable) arguments.

    The result is shared between sessions: callers must not modify it. Arguments made of strings, numbers,
    tuples and frozen dataclasses of those (all the pages use) are keyed by an exact text of them; anything
    else goes through st.cache_resource's hashing.
    """
    items = tuple(sorted(kwargs.items()))
    text = _text((args, items))
    if text is None:
        return _memo_hashed(fingerprint_of(ds), _name(fn), args, items, fn, ds)  # type: ignore[return-value]
    return _remember(f"{fingerprint_of(ds)}|{_name(fn)}|{text}", lambda: fn(ds, *args, **kwargs))  # type: ignore[return-value]


def cached_on(fn: Callable[..., T], ds: Dataset, base: tuple, *args: object) -> T:
    """fn(cached(base[0], ds, *base[1:]), *args): a view of another cached result (e.g. a filtered table),
    itself computed once per server for these arguments (plain ones, as for cached). fn must not modify what it
    receives."""
    base_fn, *base_args = base
    text = _text((tuple(base_args), args))
    if text is None:
        raise TypeError(f"cached_on needs plain arguments (strings, numbers, tuples, frozen dataclasses): {args}")
    key = f"{fingerprint_of(ds)}|{_name(fn)} of {_name(base_fn)}|{text}"
    return _remember(key, lambda: fn(cached(base_fn, ds, *base_args), *args))  # type: ignore[return-value]
