"""Browser time to first chart: every dashboard page vs a bare Streamlit page with one plotly chart.

Run: .venv/bin/python -m bench.browser [--repeats 5] [--pages overview steel ...]   Target: every page at most
1.2x the bare page.

Starts the real server (dashboard.py) and, in the same run, a bare Streamlit app (bench/trivial_app.py: one
plotly line chart) on another port, both with the project's .streamlit/config.toml (loopback, no telemetry).
Each server is warmed with one load of every page (data loaded and cached, scripts compiled). Then the bare page
is measured before each dashboard page, in turn, so both see the same load; each measurement opens a fresh
browser context (no HTTP cache, no service worker, new session) and loads the page; the time is from navigation
start to the moment the first `.js-plotly-plot .main-svg` is in the document (recorded in the page by a
MutationObserver, so no polling delay); the Data page draws no chart: its first table's canvas counts. Figures:
median and best of the repeats for each page, and each page's ratio of medians to the bare page's, each with
the machine's 1-minute load average over its measurements (the times are wall-clock: on a busy machine they say
more about the other processes than about the page). With --cpu each visit is also traced (Chromium's timeline)
and the page's main-thread CPU time from navigation start to the first chart is reported beside it, with its
ratio to the bare page's: a figure that moves far less with the machine's load than the wall-clock one (the
traced visits are the timed ones, so with --cpu both figures include the tracing's own cost, alike for every
page). Each page's line also says how many of its charts were already drawn when the first appeared: plotly's code
arrives once for all, and the page's charts are then drawn in one go, so a page pays for every chart it shows
before its first is seen. Debian's chromium, never a downloaded browser.
Server memory after 10 sessions and per extra session is measured by bench/load.py.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
from pathlib import Path

from bench.server import CHROMIUM, CHROMIUM_ARGS, start_server, stop_server

ROOT = Path(__file__).resolve().parent.parent
BARE_APP = ROOT / "bench" / "trivial_app.py"
TARGET = 1.2
# Every page by its url path ("" is the Overview, served at /): bench/pages.py's list.
PAGES = {
    "overview": "",
    "countries": "countries",
    "sectors": "sectors",
    "industries": "industries",
    "steel": "steel",
    "progress": "progress",
    "members": "members",
    "present": "present",
    "data": "data",
}
TIMEOUT_MS = 60_000
# Runs before any page script: note when the first plotly chart's SVG appears, and the first table's canvas
# (performance.now() counts from the navigation start), and how many charts were drawn at that moment.
FIRST_CHART_PROBE = """
(() => {
  const seen = () => {
    if (window.__firstChart === undefined && document.querySelector('.js-plotly-plot .main-svg')) {
      window.__firstChart = performance.now();
      // How many of the page's charts were drawn by then: plotly draws every chart that has arrived in one go.
      window.__chartsDrawn = Array.from(document.querySelectorAll('.js-plotly-plot'))
        .filter((plot) => plot.querySelector('.main-svg')).length;
    }
    if (window.__firstTable === undefined && document.querySelector('[data-testid="stDataFrame"] canvas')) {
      window.__firstTable = performance.now();
    }
  };
  new MutationObserver(seen).observe(document, {childList: true, subtree: true});
})();
"""
# Pages that draw no chart: their first table stands for it.
TABLE_FIRST = {"data"}
# Charts drawn when the first one appeared, by url (of the last visit): a page with several charts pays for
# drawing them all before the first is seen.
DRAWN: dict[str, int] = {}
# Chromium's timeline: every task of every thread (with its thread time) and the navigation start.
TRACE_CATEGORIES = ["disabled-by-default-devtools.timeline", "blink.user_timing"]


def main_thread_cpu_s(trace: bytes, until_s: float) -> float:
    """Seconds of thread (CPU) time of the page's main thread from its navigation start to `until_s` after it:
    the tasks of the renderer that loaded the page, each counted whole if it started in that span."""
    events = json.loads(trace)
    events = events["traceEvents"] if isinstance(events, dict) else events
    starts = [
        e
        for e in events
        if e.get("name") == "navigationStart"
        and str((e.get("args") or {}).get("data", {}).get("documentLoaderURL", "")).startswith("http")
    ]
    if not starts:
        raise RuntimeError("the trace has no navigation start of the page")
    start = starts[-1]
    main = [
        e["tid"]
        for e in events
        if e.get("name") == "thread_name"
        and e.get("pid") == start["pid"]
        and (e.get("args") or {}).get("name") == "CrRendererMain"
    ]
    end = start["ts"] + until_s * 1e6
    return (
        sum(
            e.get("tdur", e.get("dur", 0))
            for e in events
            if e.get("name") == "RunTask"
            and e.get("ph") == "X"
            and e.get("pid") == start["pid"]
            and e.get("tid") in main
            and start["ts"] <= e["ts"] <= end
        )
        / 1e6
    )


def first_chart(browser: object, url: str, mark: str = "__firstChart", cpu: bool = False) -> tuple[float, float | None]:
    """(seconds from navigation start to the first plotly chart drawn (`mark` "__firstTable": the first table),
    main-thread CPU seconds until then, or None without `cpu`), in a fresh context."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
    try:
        context.add_init_script(FIRST_CHART_PROBE)
        page = context.new_page()
        if cpu:
            browser.start_tracing(page=page, categories=TRACE_CATEGORIES)  # type: ignore[attr-defined]
        page.goto(url)
        page.wait_for_function(f"window.{mark} !== undefined", timeout=TIMEOUT_MS)
        trace = browser.stop_tracing() if cpu else None  # type: ignore[attr-defined]
        errors = page.locator('[data-testid="stException"]').count()
        if errors:
            raise RuntimeError(f"{url}: the page shows {errors} exception(s)")
        seconds = float(page.evaluate(f"window.{mark}")) / 1000
        DRAWN[url] = int(page.evaluate("window.__chartsDrawn || 0"))
        return seconds, main_thread_cpu_s(trace, seconds) if trace is not None else None
    finally:
        context.close()


def time_to_first_chart(browser: object, url: str, mark: str = "__firstChart") -> float:
    """Seconds from navigation start to the first plotly chart drawn (`mark` "__firstTable": the first table),
    in a fresh context."""
    return first_chart(browser, url, mark)[0]


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(prog="python -m bench.browser", description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=int(os.environ.get("BENCH_BROWSER_REPEATS", 5)))
    parser.add_argument("--pages", nargs="+", choices=sorted(PAGES), default=list(PAGES))
    parser.add_argument("--cpu", action="store_true", help="trace each visit: main-thread CPU to the first chart")
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        raise RuntimeError(f"{CHROMIUM} not found: install Debian's chromium (`make browser`)")
    from playwright.sync_api import sync_playwright

    logs = Path(tempfile.mkdtemp(prefix="bench-browser-"))
    urls: dict[str, str] = {}
    app, app_url = start_server(ROOT / "dashboard.py", logs / "dashboard.log")
    try:
        bare, bare_url = start_server(BARE_APP, logs / "bare.log")
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
                try:
                    targets = {name: f"{app_url}/{PAGES[name]}" for name in args.pages}
                    marks = {name: "__firstTable" if name in TABLE_FIRST else "__firstChart" for name in targets}
                    # Warm: data loaded, every page's results cached, scripts compiled.
                    time_to_first_chart(browser, f"{bare_url}/")
                    for name, url in targets.items():
                        time_to_first_chart(browser, url, marks[name])
                    urls.update(targets, bare=f"{bare_url}/")
                    times: dict[str, list[float]] = {name: [] for name in ["bare", *targets]}
                    cpus: dict[str, list[float]] = {name: [] for name in times}
                    loads: dict[str, list[float]] = {name: [] for name in times}

                    def measure(name: str, url: str, mark: str = "__firstChart") -> None:
                        seconds, cpu = first_chart(browser, url, mark, args.cpu)
                        times[name].append(seconds)
                        loads[name].append(os.getloadavg()[0])
                        if cpu is not None:
                            cpus[name].append(cpu)

                    for _ in range(args.repeats):
                        for name, url in targets.items():
                            measure("bare", f"{bare_url}/")
                            measure(name, url, marks[name])
                finally:
                    browser.close()
        finally:
            stop_server(bare)
    finally:
        stop_server(app)
    figures: dict[str, float] = {}
    for name, values in times.items():
        figures[f"{name}_median_s"] = round(statistics.median(values), 3)
        figures[f"{name}_best_s"] = round(min(values), 3)
        figures[f"{name}_load"] = round(statistics.mean(loads[name]), 2)
        drawn = DRAWN.get(urls[name], 0)
        figures[f"{name}_charts_drawn_at_first"] = drawn
        cpu_text = ""
        if cpus[name]:
            figures[f"{name}_cpu_s"] = round(statistics.median(cpus[name]), 3)
            cpu_text = f", main-thread CPU median {figures[f'{name}_cpu_s']:.2f} s"
        print(
            f"{name:<10} time to first chart: median {statistics.median(values):.2f} s, best {min(values):.2f} s "
            f"({', '.join(f'{v:.2f}' for v in values)}){cpu_text}; {drawn} chart(s) drawn by then; "
            f"load average {figures[f'{name}_load']:.1f}"
        )
    worst = 0.0
    for name in args.pages:
        ratio = figures[f"{name}_median_s"] / figures["bare_median_s"]
        figures[f"{name}_ratio"] = round(ratio, 2)
        figures[f"{name}_ratio_best"] = round(figures[f"{name}_best_s"] / figures["bare_best_s"], 2)
        worst = max(worst, ratio)
        cpu_text = ""
        if f"{name}_cpu_s" in figures:
            figures[f"{name}_cpu_ratio"] = round(figures[f"{name}_cpu_s"] / figures["bare_cpu_s"], 2)
            cpu_text = f"; main-thread CPU {figures[f'{name}_cpu_ratio']:.2f}"
        print(
            f"ratio {name:<10} / bare page: {ratio:.2f} (medians; best-to-best {figures[f'{name}_ratio_best']:.2f}"
            f"{cpu_text}; load average {figures[f'{name}_load']:.1f})  "
            f"{'ok' if ratio <= TARGET else f'OVER {TARGET:g}'}"
        )
    figures["worst_ratio"] = round(worst, 2)
    print(f"worst ratio {worst:.2f} (target <= {TARGET:g})")
    return figures


if __name__ == "__main__":
    main()
