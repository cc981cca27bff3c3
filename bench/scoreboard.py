"""Scoreboard speed: the full scoreboard (all areas x sectors x sources, every metric) on the real data.

Target: under 200 ms on the 2-core machine. The machine is noisy, so the same run also times a plain
pandas groupby-sum over the same emissions frame (source, iso3, sector, year) and prints the ratio: the ratio is
what to compare across machines and runs. Best of several repeats, in a warm process (imports and data loaded).
Run: .venv/bin/python -m bench.scoreboard   (--profile: also the top frames of cProfile over three scoreboards)
"""

from __future__ import annotations

import cProfile
import os
import pstats
import sys

from bench.common import best_of
from decarb.contract import EMISSION_SOURCES
from decarb.data import load_dataset
from decarb.memo import sharing
from decarb.scoreboard import scoreboard

TARGET_MS = 200.0
REPEATS = 15


def main() -> dict[str, float]:
    ds = sharing(load_dataset())
    emissions = ds.emissions
    board = scoreboard(ds)  # warm-up, and the size to report
    baseline = best_of(REPEATS, lambda: emissions.groupby(["source", "iso3", "sector", "year"])["value"].sum())
    full = best_of(REPEATS, lambda: scoreboard(ds))  # with the industry sources
    sectors_only = best_of(REPEATS, lambda: scoreboard(ds, sources=EMISSION_SOURCES))
    load = os.getloadavg()[0]
    print(f"scoreboard: {len(board)} rows (source x area x sector), {len(emissions)} emission rows in")
    print(
        f"full scoreboard      {full * 1000:7.1f} ms   (target < {TARGET_MS:.0f} ms: "
        f"{'met' if full * 1000 < TARGET_MS else 'NOT met'})"
    )
    print(f"without the industry sources {sectors_only * 1000:7.1f} ms")
    print(f"plain groupby-sum    {baseline * 1000:7.1f} ms")
    print(
        f"ratio scoreboard / groupby-sum: {full / baseline:.2f}   (1-min load average {load:.2f} on "
        f"{os.cpu_count()} cores)"
    )
    return {
        "rows": len(board),
        "scoreboard_ms": full * 1000,
        "without_industry_sources_ms": sectors_only * 1000,
        "groupby_ms": baseline * 1000,
        "ratio": full / baseline,
    }


def profile(top: int = 20) -> None:
    """cProfile of three full scoreboards in a warm process, by cumulative time (what to cut first)."""
    ds = sharing(load_dataset())
    scoreboard(ds)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(3):
        scoreboard(ds)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(top)


if __name__ == "__main__":
    main()
    if "--profile" in sys.argv[1:]:
        profile()
