"""Warm rerun time of every dashboard page (AppTest) against a trivial one-chart page, in the same run.

Run: .venv/bin/python -m bench.pages   Target: each page at most 3x the trivial page.

The trivial page (bench/trivial_app.py) is a title and one small plotly line chart through the same
st.plotly_chart path. Each page is run through the entrypoint (global controls, navigation, footer), warmed (the
shared caches filled), then rerun alternately with the trivial page, so both see the same load on a shared
machine. Figures are the best of REPEATS reruns (the run least disturbed by other work); a page's ratio compares
its best rerun with the best trivial rerun alternated with it. Printed beside it, the median over the pairs of
(page rerun / the trivial rerun just before it): on a busy machine the best runs are rare, and a pair shares the
load of its moment (BENCH_PAGES_REPEATS sets REPEATS).

For reference it also times an empty page run through a copy of the entrypoint ("entrypoint only": page
config, navigation, the global controls in the sidebar, footer): the share of each page's time that no page
content can remove.

Steady state, as the live server runs (for the trivial page and ours alike). AppTest starts each run afresh
where the server keeps process-wide state:
- it resets Streamlit's legacy `pages/` flag (PagesManager.uses_pages_directory = None in AppTest._run), so every
  AppTest run of an app with a pages/ folder first takes the path a live server takes once per process, on its
  first deep link: the page script alone, then ui.run_through_entrypoint()'s rerun through dashboard.py. The
  bench keeps the flag off, as the server does once any session has navigated (tests/browser checks that
  first deep link);
- it makes a new ScriptCache, so the scripts are compiled again on every run; the server's Runtime keeps one
  ScriptCache for all sessions. The bench keeps one too.
"""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner.script_cache import ScriptCache
from streamlit.testing.v1 import AppTest, local_script_runner
from streamlit.testing.v1 import app_test as app_test_module

ROOT = Path(__file__).resolve().parent.parent
PAGES = os.environ.get(
    "BENCH_PAGES", "overview countries sectors industries steel progress members present data"
).split()
REPEATS = int(os.environ.get("BENCH_PAGES_REPEATS", 15))  # more on a busy machine: the best run is a quiet one
TARGET = 3.0


def as_live_server() -> None:
    """Keep Streamlit's legacy pages/ mode off and one script cache in AppTest, as in a live server."""
    shared_cache = ScriptCache()
    # AppTest makes one for its pages manager and its script runner makes another (which compiles the
    # entrypoint and the page on every run): both take the shared one.
    app_test_module.ScriptCache = lambda: shared_cache  # type: ignore[attr-defined]
    local_script_runner.ScriptCache = lambda: shared_cache  # type: ignore[attr-defined]
    original = PagesManager.__init__

    def init(self: PagesManager, *args: object, **kwargs: object) -> None:
        original(self, *args, **kwargs)  # type: ignore[arg-type]
        PagesManager.uses_pages_directory = False  # what st.navigation sets, process-wide, on a live server

    PagesManager.__init__ = init  # type: ignore[method-assign]


def rerun_time(at: AppTest) -> float:
    start = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - start
    assert not at.exception, [e.value for e in at.exception]
    return elapsed


EMPTY_PAGE = "from decarb import ui\n\nui.run_through_entrypoint()\nui.dataset_or_stop()\n"


def entrypoint_only(folder: Path) -> Path:
    """A copy of the entrypoint and pages in `folder`, with one more page that shows nothing."""
    entry = (ROOT / "dashboard.py").read_text()
    anchor = '        st.Page("pages/data.py", title="Data and method", url_path="data"),\n'
    assert anchor in entry, "dashboard.py changed: update bench/pages.py"
    (folder / "dashboard.py").write_text(
        entry.replace(anchor, anchor + '        st.Page("pages/zz_empty.py", title="Empty", url_path="zz_empty"),\n')
    )
    shutil.copytree(ROOT / "pages", folder / "pages")
    (folder / "pages" / "zz_empty.py").write_text(EMPTY_PAGE)
    (folder / "static").symlink_to(ROOT / "static")
    return folder / "dashboard.py"


def main() -> dict[str, float]:
    as_live_server()
    trivial = AppTest.from_file(str(ROOT / "bench" / "trivial_app.py"), default_timeout=120)
    trivial.run()
    figures: dict[str, float] = {}
    rows = []
    all_trivial: list[float] = []
    folder = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    for page in [*PAGES, "(entrypoint only)"]:
        entry = entrypoint_only(folder) if page == "(entrypoint only)" else ROOT / "dashboard.py"
        at = AppTest.from_file(str(entry), default_timeout=120)
        # Run once before switching: until st.navigation has registered the pages, AppTest finds a page by its
        # file name, and "overview" is then the url path of the /overview redirect page, so every timed run
        # would be the redirect plus the Overview (a live server opens the Overview at /).
        at.run()
        at.switch_page("pages/zz_empty.py" if page == "(entrypoint only)" else f"pages/{page}.py")
        at.run()  # fills the shared caches
        at.run()
        base, times = [], []
        for _ in range(REPEATS):
            base.append(rerun_time(trivial))
            times.append(rerun_time(at))
        all_trivial += base
        paired = statistics.median(t / b for t, b in zip(times, base, strict=True))
        rows.append((page, min(times), statistics.median(times), min(base), paired))
    shutil.rmtree(folder, ignore_errors=True)
    print(
        f"trivial one-chart page: {min(all_trivial) * 1000:.1f} ms (best of {len(all_trivial)} warm reruns; "
        f"median {statistics.median(all_trivial) * 1000:.1f} ms)"
    )
    figures["trivial_ms"] = round(min(all_trivial) * 1000, 2)
    worst = 0.0
    for page, best, median, base, paired in rows:
        ratio = best / base
        name = "entrypoint_only" if page.startswith("(") else page
        figures[f"{name}_ms"] = round(best * 1000, 2)
        figures[f"{name}_ratio"] = round(ratio, 2)
        figures[f"{name}_paired_ratio"] = round(paired, 2)
        verdict = "(reference)" if page.startswith("(") else ("ok" if ratio <= TARGET else f"OVER {TARGET:g}x")
        worst = worst if page.startswith("(") else max(worst, ratio)
        print(
            f"{page:<17} {best * 1000:6.1f} ms (median {median * 1000:6.1f}; trivial alongside {base * 1000:4.1f})"
            f"  ratio {ratio:4.1f}x (paired median {paired:4.2f}x)  {verdict}"
        )
    figures["worst_ratio"] = round(worst, 2)
    print(f"worst ratio {worst:.1f}x (target <= {TARGET:g}x)")
    return figures


if __name__ == "__main__":
    main()
