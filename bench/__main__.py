"""`make bench`: run every benchmark in bench/ and write one results table (markdown and JSON).

Each benchmark module has a main() that prints its figures and returns them as a dict; the figures worth
comparing across machines are the ratios, measured within one run.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import io
import json
import os
import platform
import sys
import traceback
from pathlib import Path

BENCHMARKS = ("etl", "scoreboard", "cold_views", "pages", "browser", "briefing", "load", "serve", "soak")
RESULTS = Path(__file__).resolve().parent / "results"


class Tee(io.StringIO):
    def write(self, text: str) -> int:
        sys.__stdout__.write(text)
        return super().write(text)


def machine() -> dict[str, object]:
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average_1min": os.getloadavg()[0],
    }


def run(name: str) -> dict[str, object]:
    try:
        module = importlib.import_module(f"bench.{name}")
    except ModuleNotFoundError:
        return {"status": "absent"}
    output = Tee()
    try:
        with contextlib.redirect_stdout(output):
            figures = module.main() or {}
        return {"status": "ok", "figures": figures, "output": output.getvalue()}
    except Exception:  # one failing benchmark must not hide the others' figures
        return {"status": "failed", "output": output.getvalue() + traceback.format_exc()}


def markdown(results: dict[str, dict], about: dict[str, object]) -> str:
    lines = [
        "# Benchmark results",
        "",
        "Machine: " + ", ".join(f"{k} {v}" for k, v in about.items()),
        "",
        "| benchmark | figure | value |",
        "|---|---|---|",
    ]
    for name, result in results.items():
        if result["status"] != "ok":
            lines.append(f"| {name} | status | {result['status']} |")
        for key, value in result.get("figures", {}).items():
            shown = f"{value:.3g}" if isinstance(value, float) else str(value)
            lines.append(f"| {name} | {key} | {shown} |")
    return "\n".join(lines) + "\n"


def main() -> int:
    about = machine()
    results = {}
    for name in BENCHMARKS:
        print(f"\n== {name} ==", flush=True)
        results[name] = run(name)
        if results[name]["status"] == "failed":
            print(results[name]["output"], file=sys.stderr)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "results.json").write_text(json.dumps({"machine": about, "results": results}, indent=2, default=str))
    (RESULTS / "results.md").write_text(markdown(results, about))
    print(f"\nWrote {RESULTS / 'results.md'} and results.json")
    return 1 if any(r["status"] == "failed" for r in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
