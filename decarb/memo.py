"""Results kept per loaded object (the emissions frame, its encoded form), and dropped with that object.

The loaded tables never change after loading, so anything derived from them only once is safe to reuse by
every session. Keys are small (a selection); values are computed once (rarely twice under a race, harmless).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")
_STORE: dict[int, tuple[weakref.ref, dict]] = {}


def per_object(owner: object, key: Hashable, compute: Callable[[], T]) -> T:
    """compute() the first time (owner, key) is asked for; the stored result afterwards."""
    slot = _STORE.get(id(owner))
    if slot is None or slot[0]() is not owner:
        slot = (weakref.ref(owner), {})
        _STORE[id(owner)] = slot
        weakref.finalize(owner, _STORE.pop, id(owner), None)
    values = slot[1]
    if key not in values:
        values[key] = compute()
    return values[key]
