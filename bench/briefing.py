"""Briefing speed: a six-slide deck (PowerPoint and offline HTML) for the default view, on the real data.

Target: under 3 s on the 2-core machine. Two figures:
- warm: in a running process (the app's case: data loaded, modules imported), the whole build from the dataset:
  the storyline's slides and figures, the .pptx bytes and the .html text (best of REPEATS, and the first run);
- cold: the command line a secretariat runs, `python -m decarb.briefing ... --pptx --html`, wall time including
  the interpreter start, imports and loading the data (best of COLD_REPEATS).
Each is printed with its ratio to the target; the machine is shared and noisy, so the best run is the figure.
Run: .venv/bin/python -m bench.briefing
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import best_of
from decarb.briefing import build_deck
from decarb.briefing.html import deck_html
from decarb.briefing.pptx import deck_pptx
from decarb.data import load_dataset
from decarb.memo import sharing
from decarb.paths import PROJECT_ROOT
from decarb.view import View

TARGET_S = 3.0
REPEATS = 5
COLD_REPEATS = 3


def main() -> dict[str, float]:
    ds = sharing(load_dataset())
    view = View()
    sizes: dict[str, int] = {}

    def build() -> None:
        deck = build_deck(ds, view)
        sizes.update(slides=len(deck.slides), pptx=len(deck_pptx(deck)), html=len(deck_html(deck)))

    started = time.perf_counter()
    build()
    first = time.perf_counter() - started
    warm = best_of(REPEATS, build)
    deck = build_deck(ds, view)
    slides = best_of(REPEATS, lambda: build_deck(ds, view))
    pptx = best_of(REPEATS, lambda: deck_pptx(deck))
    html = best_of(REPEATS, lambda: deck_html(deck))

    with tempfile.TemporaryDirectory() as tmp:
        command = [
            sys.executable,
            "-m",
            "decarb.briefing",
            "",
            "--pptx",
            f"{tmp}/deck.pptx",
            "--html",
            f"{tmp}/deck.html",
        ]

        def cold_run() -> None:
            subprocess.run(command, cwd=PROJECT_ROOT, check=True, capture_output=True)

        cold = best_of(COLD_REPEATS, cold_run)
        assert Path(f"{tmp}/deck.pptx").stat().st_size > 0

    print(
        f"six-slide briefing ({sizes['slides']} storyline slides + title; pptx {sizes['pptx'] / 1e3:.0f} kB, "
        f"html {sizes['html'] / 1e6:.1f} MB), default view, real data"
    )
    print(
        f"  warm build (slides + pptx + html)  {warm:6.2f} s  ratio to the {TARGET_S:.0f} s target "
        f"{warm / TARGET_S:.2f}  (first run in the process {first:.2f} s)"
    )
    print(f"    of which slides and figures      {slides:6.3f} s, pptx {pptx:.3f} s, html {html:.3f} s")
    print(f"  cold command line (start, imports, data load, build, write)  {cold:6.2f} s  ratio {cold / TARGET_S:.2f}")
    return {
        "warm_s": warm,
        "warm_ratio_to_3s": warm / TARGET_S,
        "first_run_s": first,
        "slides_s": slides,
        "pptx_s": pptx,
        "html_s": html,
        "cold_cli_s": cold,
        "cold_ratio_to_3s": cold / TARGET_S,
    }


if __name__ == "__main__":
    main()
