"""Browser time to first chart: the dashboard's Overview vs a bare Streamlit page with one plotly chart.

Run: .venv/bin/python -m bench.browser [--repeats 5]   Target: Overview at most 1.3x the bare page.

Starts the real server (dashboard.py) and, in the same run, a bare Streamlit app (bench/trivial_app.py: one
plotly line chart) on another port, both with the project's .streamlit/config.toml (loopback, no telemetry).
Each server is warmed with one page load (data loaded and cached, scripts compiled). Then, alternating between
the two, each measurement opens a fresh browser context (no HTTP cache, no service worker, new session) and
loads the page; the time is from navigation start to the moment the first `.js-plotly-plot .main-svg` is in the
document (recorded in the page by a MutationObserver, so no polling delay). Figures: median and best of the
repeats for each page, and the ratio of the medians. Debian's chromium, never a downloaded browser.
Server memory after 10 sessions and per extra session is measured by bench/load.py.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
from pathlib import Path

from bench.server import CHROMIUM, CHROMIUM_ARGS, start_server, stop_server

ROOT = Path(__file__).resolve().parent.parent
BARE_APP = ROOT / "bench" / "trivial_app.py"
TARGET = 1.3
TIMEOUT_MS = 60_000
# Runs before any page script: note when the first plotly chart's SVG appears (performance.now() counts from the
# navigation start).
FIRST_CHART_PROBE = """
(() => {
  const seen = () => {
    if (window.__firstChart === undefined && document.querySelector('.js-plotly-plot .main-svg')) {
      window.__firstChart = performance.now();
    }
  };
  new MutationObserver(seen).observe(document, {childList: true, subtree: true});
})();
"""


def time_to_first_chart(browser: object, url: str) -> float:
    """Seconds from navigation start to the first plotly chart drawn, in a fresh context."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
    try:
        context.add_init_script(FIRST_CHART_PROBE)
        page = context.new_page()
        page.goto(url)
        page.wait_for_function("window.__firstChart !== undefined", timeout=TIMEOUT_MS)
        errors = page.locator('[data-testid="stException"]').count()
        if errors:
            raise RuntimeError(f"{url}: the page shows {errors} exception(s)")
        return float(page.evaluate("window.__firstChart")) / 1000
    finally:
        context.close()


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(prog="python -m bench.browser", description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=int(os.environ.get("BENCH_BROWSER_REPEATS", 5)))
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        raise RuntimeError(f"{CHROMIUM} not found: install Debian's chromium (`make browser`)")
    from playwright.sync_api import sync_playwright

    logs = Path(tempfile.mkdtemp(prefix="bench-browser-"))
    app, app_url = start_server(ROOT / "dashboard.py", logs / "dashboard.log")
    try:
        bare, bare_url = start_server(BARE_APP, logs / "bare.log")
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
                try:
                    targets = {"overview": f"{app_url}/", "bare": f"{bare_url}/"}
                    for url in targets.values():  # warm: data loaded and cached, scripts compiled
                        time_to_first_chart(browser, url)
                    times: dict[str, list[float]] = {name: [] for name in targets}
                    for _ in range(args.repeats):
                        for name, url in targets.items():
                            times[name].append(time_to_first_chart(browser, url))
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
        print(
            f"{name:<9} time to first chart: median {statistics.median(values):.2f} s, best {min(values):.2f} s "
            f"({', '.join(f'{v:.2f}' for v in values)})"
        )
    ratio = figures["overview_median_s"] / figures["bare_median_s"]
    figures["ratio"] = round(ratio, 2)
    figures["ratio_best"] = round(figures["overview_best_s"] / figures["bare_best_s"], 2)
    print(
        f"ratio overview / bare page: {ratio:.2f} (medians; best-to-best {figures['ratio_best']:.2f}); "
        f"target <= {TARGET:g}: {'ok' if ratio <= TARGET else 'OVER'}"
    )
    return figures


if __name__ == "__main__":
    main()
