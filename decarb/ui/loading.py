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
_THIS_RUN = "_dataset_this_run"  # what the entrypoint's try_dataset() found on this run, for the page


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


@st.cache_resource(max_entries=512, show_spinner=False)
def _memo(fingerprint: str, name: str, args: object, kwargs: object, _fn: Callable, _ds: Dataset,
          _args: tuple, _kwargs: dict) -> object:
    return _fn(_ds, *_args, **_kwargs)


def _key(value: object) -> object:
    text = _text(value)
    return value if text is None else text


def _name(fn: Callable) -> str:
    return f"{fn.__module__}.{fn.__qualname__}"


def cached(fn: Callable[..., T], ds: Dataset, *args: object, **kwargs: object) -> T:
    """fn(ds, *args, **kwargs) computed once per server for this dataset and these (hashable) arguments.

    The result is shared between sessions: callers must not modify it. Arguments made of strings, numbers,
    tuples and frozen dataclasses of those are keyed by their repr (measured: Streamlit's own hashing of a
    View and a tuple of codes took 0.2-0.4 ms a call, the repr a few microseconds).
    """
    items = tuple(sorted(kwargs.items()))
    return _memo(fingerprint_of(ds), _name(fn), _key(args), _key(items), fn, ds, args, kwargs)  # type: ignore[return-value]


def cached_on(fn: Callable[..., T], ds: Dataset, base: tuple, *args: object) -> T:
    """fn(cached(base[0], ds, *base[1:]), *args): a view of another cached result (e.g. a filtered table),
    itself computed once per server for these arguments. fn must not modify what it receives."""
    base_fn, *base_args = base

    def compute(ds: Dataset) -> object:
        return fn(cached(base_fn, ds, *base_args), *args)

    name = f"{_name(fn)} of {_name(base_fn)}"
    return _memo(fingerprint_of(ds), name, _key(tuple(base_args)), _key(args), compute, ds, (), {})  # type: ignore[return-value]
