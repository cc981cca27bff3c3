"""The one cache of results shared between sessions (and threads): computed once per key, kept while used.

Only the boundary uses it: the UI where pages call screens (decarb.ui.loading), and whoever loads a dataset
for the analytics to derive tables through (`sharing`). The analytics themselves hold nothing.

One locking rule for every entry: a single lock guards the table, and each key being computed has its own lock,
so a caller asking for a key another thread is computing waits for that result instead of repeating the work
(single flight: the load test showed sessions piling onto the same cold computation). The computation itself
runs outside the table lock, so computations of other keys (including the ones it asks for) go on meanwhile.
Least recently used entries are dropped beyond `max_entries`.

Keys are plain hashable values (a dataset fingerprint, a function name, a text of the arguments). Results derived
from an object that has no such key (a figure or frame returned by another entry) use `of_object`: keyed by the
object's identity and checked against a weak reference, so an entry never outlives its object's identity.
What `cached` hands out is read-only (`read_only`), so no caller needs a copy of its own.
"""

from __future__ import annotations

import functools
import inspect
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import is_dataclass, replace
from typing import Any, TypeVar, cast

from decarb.data import Dataset, read_only

T = TypeVar("T")
MAX_ENTRIES = 512
_MISSING = object()


class Memo:
    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self.max_entries = max_entries
        self._values: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[Hashable, threading.Lock] = {}
        # Keys of objects that died, dropped on the next lookup: a weakref callback may run in the middle of any
        # operation of this thread (garbage collection), so it only appends (atomic) and never takes the lock.
        self._dead: list[Hashable] = []

    def __contains__(self, key: Hashable) -> bool:
        with self._lock:
            return key in self._values

    def _lookup(self, key: Hashable, valid: Callable[[Any], bool] | None) -> object:
        """The stored value (marked most recently used), or _MISSING; call with the table lock held."""
        while self._dead:
            self._values.pop(self._dead.pop(), None)
        value = self._values.get(key, _MISSING)
        if value is _MISSING or (valid is not None and not valid(value)):
            return _MISSING
        self._values.move_to_end(key)
        return value

    def get(self, key: Hashable, compute: Callable[[], T], valid: Callable[[T], bool] | None = None) -> T:
        """compute() once for `key` (a stored value that `valid` rejects counts as absent); the stored result
        afterwards. (The table holds values of every type; a key's value is what its compute() returned, hence
        the casts.)"""
        with self._lock:
            value = self._lookup(key, valid)
            if value is not _MISSING:
                return cast(T, value)
            computing = self._computing.setdefault(key, threading.Lock())
        with computing:
            with self._lock:
                value = self._lookup(key, valid)
                if value is not _MISSING:
                    return cast(T, value)
            try:
                value = compute()
            finally:
                with self._lock:
                    self._computing.pop(key, None)
            with self._lock:
                self._values[key] = value
                self._values.move_to_end(key)
                while len(self._values) > self.max_entries:
                    self._values.popitem(last=False)
        return value

    def of_object(self, owner: object, kind: Hashable, make: Callable[[], T]) -> T:
        """make() once per (owner object, kind) while that object lives (for shared objects never modified)."""
        key = ("object", id(owner), kind)
        dead = self._dead
        ref = weakref.ref(owner, lambda _: dead.append(key))
        entry = self.get(key, lambda: (ref, make()), valid=lambda e: e[0]() is owner)
        return entry[1]

    def drop(self, unwanted: Callable[[Hashable], bool]) -> None:
        """Forget every entry whose key is unwanted (e.g. the results of a dataset that was rebuilt)."""
        with self._lock:
            for key in [k for k in self._values if unwanted(k)]:
                del self._values[key]


SHARED = Memo()
# First part of the key of every result computed from a loaded dataset, then the dataset's fingerprint: a rebuilt
# dataset drops the results of the previous one (decarb.ui.loading).
RESULT = "result"


_PLAIN = (str, int, float, bool, type(None))


def _text(value: object) -> str | None:
    """A text naming the value exactly, for values made of strings, numbers, tuples, mappings and frozen
    dataclasses of those (repr tells 1, 1.0 and True apart, which hashing does not); None for anything else."""
    if isinstance(value, _PLAIN):
        return repr(value)
    if isinstance(value, tuple):
        parts = [text for text in (_text(v) for v in value) if text is not None]
        return None if len(parts) < len(value) else "(" + ",".join(parts) + ")"
    if isinstance(value, Mapping):
        return _text(tuple(sorted(value.items())))
    params = getattr(type(value), "__dataclass_params__", None)
    if params is not None and params.frozen and is_dataclass(value):
        fields = tuple(getattr(value, f) for f in value.__dataclass_fields__)
        inner = _text(fields)
        return None if inner is None else f"{type(value).__module__}.{type(value).__qualname__}{inner}"
    return None


def _name(fn: Callable) -> str:
    return f"{fn.__module__}.{fn.__qualname__}"


@functools.cache
def _signature(fn: Callable) -> inspect.Signature:
    return inspect.signature(fn)


@functools.cache
def _plain_names(fn: Callable) -> tuple[str, ...] | None:
    """fn's parameter names when each is an ordinary one (no *args, **kwargs or keyword-only), else None."""
    params = _signature(fn).parameters.values()
    if all(p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD for p in params):
        return tuple(p.name for p in params)
    return None


def call_key(fn: Callable, args: tuple, kwargs: dict[str, object]) -> str:
    """The call as bound to fn's parameters with their defaults applied, as text: f(ds, "x") and f(ds, key="x")
    are one call, and so is f(ds) when "x" is the default."""
    names = _plain_names(fn)
    if names is not None and not kwargs and len(args) == len(names):
        # Every parameter given in order: what bind() and apply_defaults() make, without their cost on each run.
        named = tuple(zip(names[1:], args[1:], strict=True))
    else:
        bound = _signature(fn).bind(*args, **kwargs)
        bound.apply_defaults()
        named = tuple(bound.arguments.items())[1:]  # the first parameter is the dataset, keyed by its fingerprint
    text = _text(named)
    if text is None:
        raise TypeError(
            f"cached results need plain arguments (strings, numbers, tuples, frozen dataclasses): {_name(fn)}{named}"
        )
    return f"{_name(fn)}{text}"


def cached(fn: Callable[..., T], ds: Dataset, *args: object, **kwargs: object) -> T:
    """fn(ds, *args, **kwargs), computed once per process for this loaded dataset (keyed by its fingerprint) and
    this call (call_key), and returned read-only (read_only) to every caller.

    Arguments are strings, numbers, tuples and frozen dataclasses of those (all the pages use), keyed by an exact
    text of them: Streamlit's own cache hashes every argument on every call, several times slower a lookup.
    """
    if not ds.fingerprint:  # a dataset made in memory (a test's) has nothing to key on: computed every time
        return read_only(fn(ds, *args, **kwargs))
    key = (RESULT, ds.fingerprint, call_key(fn, (ds, *args), kwargs))
    return SHARED.get(key, lambda: read_only(fn(ds, *args, **kwargs)))


def cached_on(fn: Callable[..., T], ds: Dataset, base: tuple, *args: object) -> T:
    """fn(cached(base[0], ds, *base[1:]), *args): a result computed from another cached result (e.g. a figure
    of a slide), itself computed once per server for these arguments (plain ones, as for cached)."""
    base_fn, *base_args = base
    if not ds.fingerprint:
        return read_only(fn(base_fn(ds, *base_args), *args))
    text = _text(tuple(args))
    if text is None:
        raise TypeError(f"cached results need plain arguments (strings, numbers, tuples, frozen dataclasses): {args}")
    key = (RESULT, ds.fingerprint, f"{_name(fn)}{text} of {call_key(base_fn, (ds, *base_args), {})}")
    return SHARED.get(key, lambda: read_only(fn(cached(base_fn, ds, *base_args), *args)))


def derived(fn: Callable[[Any], T], result: object) -> T:
    """fn(result) for a result `cached` handed out, once while that object lives, read-only: keyed by the object,
    so no key text is made on each run (a key text of a storyline's settings costs on every run)."""
    return SHARED.of_object(result, _name(fn), lambda: read_only(fn(result)))


def sharing(ds: Dataset) -> Dataset:
    """The dataset whose derived tables (Dataset.derived) come from this process's cache: what the app and the
    briefing load. The analytics stay free of caching; whoever loads the data decides."""
    return replace(ds, share=cached)
