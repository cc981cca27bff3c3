"""CPU time of what each page computes for a selection nobody has asked for yet (a cold view), per page.

Run: .venv/bin/python -m bench.cold_views

Under the 100-session load most page runs are cold: each session soon holds its own base year, source and
countries, and the shared memo only helps the sessions that share a view (py-spy: 57% of a loaded replica's GIL
time is spent computing memo misses). This times the screen functions each page calls, uncached, over the same
views every run, in CPU time (`time.process_time`, less disturbed by other work than wall time). Compare two
states of the code by running it on both in one shell command, alternately.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from decarb.contract import CLIMATE_TRACE_SUBSECTORS, HEAVY_INDUSTRY, IRON_STEEL
from decarb.data import Dataset, load_dataset
from decarb.memo import sharing
from decarb.normalise import HOWS
from decarb.screens import countries, industries, members, overview, sectors
from decarb.view import View

BASE_YEARS = range(1995, 2016, 2)
SOURCES = ("edgar", "climate_trace")


def _pages(ds: Dataset) -> dict[str, Callable[[View], object]]:
    def countries_page(view: View) -> object:
        codes = countries.member_country_options(ds, view)
        return [countries.countries_chart(ds, view, codes, HEAVY_INDUSTRY, how) for how in HOWS[:2]]

    return {
        "overview": lambda view: overview.overview(ds, view),
        "countries": countries_page,
        "sectors": lambda view: (
            sectors.sector_ranking(ds, view, HEAVY_INDUSTRY, HOWS[0]),
            sectors.sector_change_map(ds, view, HEAVY_INDUSTRY),
            sectors.group_comparison(ds, view, HEAVY_INDUSTRY, HOWS[0]),
        ),
        "members": lambda view: members.member_timeline(ds, view.milestones),
        "industries": lambda view: industries.member_pathway(ds, view, CLIMATE_TRACE_SUBSECTORS, IRON_STEEL),
    }


def main() -> dict[str, float]:
    # The screen functions are called directly (the pages call them through decarb.memo.cached), so each call
    # computes its view, while what depends on the dataset alone (area sets, panels, names) is derived through
    # the cache (decarb.memo.sharing) once, as on a server that has been up.
    ds = sharing(load_dataset())
    views = [View(source=s, base_year=y) for s in SOURCES for y in BASE_YEARS]
    out: dict[str, float] = {}
    for name, compute in _pages(ds).items():
        compute(views[0])  # imports and first-use work out of the timing
        times = []
        for view in views:
            start = time.process_time()
            compute(view)
            times.append(time.process_time() - start)
        out[name] = 1000 * statistics.median(times)
        print(f"{name:11s} {out[name]:7.1f} ms CPU per cold view (median of {len(views)})")
    return out


if __name__ == "__main__":
    main()
