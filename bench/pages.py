"""Warm rerun time of every dashboard page (AppTest) against a trivial one-chart page, in the same run.

Run: .venv/bin/python -m bench.pages   Target: each page at most 3x the trivial page.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["overview", "countries", "sectors", "progress", "members", "data"]
REPEATS = 7


def timed_reruns(at: AppTest, repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
        assert not at.exception, [e.value for e in at.exception]
    return statistics.median(times)


def main() -> None:
    trivial = AppTest.from_file(str(ROOT / "bench" / "trivial_app.py"), default_timeout=120)
    trivial.run()
    base = timed_reruns(trivial)
    print(f"trivial one-chart page: {base * 1000:.0f} ms (median of {REPEATS} warm reruns)")
    worst = 0.0
    for page in PAGES:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
        at.switch_page(f"pages/{page}.py")
        at.run()  # warms the shared caches
        median = timed_reruns(at)
        ratio = median / base
        worst = max(worst, ratio)
        print(f"{page:<10} {median * 1000:6.0f} ms  ratio {ratio:4.1f}x  {'ok' if ratio <= 3 else 'OVER 3x'}")
    print(f"worst ratio {worst:.1f}x (target <= 3x)")


if __name__ == "__main__":
    main()
