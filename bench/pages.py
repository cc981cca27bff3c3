"""Warm rerun time of every dashboard page (AppTest) against a trivial one-chart page, in the same run.

Run: .venv/bin/python -m bench.pages   Target: each page at most 3x the trivial page.

The trivial page (bench/trivial_app.py) is a title and one small plotly line chart through the same
st.plotly_chart path. Each page is run through the entrypoint (global controls, navigation, footer), warmed (the
shared caches filled), then rerun alternately with the trivial page, so both see the same load on a shared
machine. Figures are the best of REPEATS reruns (the run least disturbed by other work); a page's ratio compares
its best rerun with the best trivial rerun alternated with it.
"""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
PAGES = os.environ.get("BENCH_PAGES", "overview countries sectors progress members present data").split()
REPEATS = 15
TARGET = 3.0


def rerun_time(at: AppTest) -> float:
    start = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - start
    assert not at.exception, [e.value for e in at.exception]
    return elapsed


def main() -> dict[str, float]:
    trivial = AppTest.from_file(str(ROOT / "bench" / "trivial_app.py"), default_timeout=120)
    trivial.run()
    figures: dict[str, float] = {}
    rows = []
    all_trivial: list[float] = []
    for page in PAGES:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
        at.switch_page(f"pages/{page}.py")
        at.run()  # fills the shared caches
        at.run()
        base, times = [], []
        for _ in range(REPEATS):
            base.append(rerun_time(trivial))
            times.append(rerun_time(at))
        all_trivial += base
        rows.append((page, min(times), statistics.median(times), min(base)))
    print(f"trivial one-chart page: {min(all_trivial) * 1000:.1f} ms (best of {len(all_trivial)} warm reruns; "
          f"median {statistics.median(all_trivial) * 1000:.1f} ms)")
    figures["trivial_ms"] = round(min(all_trivial) * 1000, 2)
    worst = 0.0
    for page, best, median, base in rows:
        ratio = best / base
        worst = max(worst, ratio)
        figures[f"{page}_ms"] = round(best * 1000, 2)
        figures[f"{page}_ratio"] = round(ratio, 2)
        print(f"{page:<10} {best * 1000:6.1f} ms (median {median * 1000:6.1f}; trivial alongside {base * 1000:4.1f})"
              f"  ratio {ratio:4.1f}x  {'ok' if ratio <= TARGET else f'OVER {TARGET:g}x'}")
    figures["worst_ratio"] = round(worst, 2)
    print(f"worst ratio {worst:.1f}x (target <= {TARGET:g}x)")
    return figures


if __name__ == "__main__":
    main()
