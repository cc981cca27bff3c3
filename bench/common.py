"""Shared timing helpers for the benchmarks."""

from __future__ import annotations

import time
from collections.abc import Callable


def best_of(repeats: int, action: Callable[[], object]) -> float:
    """Fastest of `repeats` runs, in seconds: the run least disturbed by other work on a noisy machine."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times)
