"""Build briefing packs from the command line, for one saved view or for several at once.

    python -m decarb.briefing "source=edgar&base=2015" --pptx out.pptx --html out.html
    python -m decarb.briefing "http://localhost:8501/present?slides=pathway,targets" --pptx pack.pptx
    python -m decarb.briefing "source=edgar" "source=climate_trace&members=joined" --out-dir packs/
    python -m decarb.briefing "source=edgar" --slides pathway,scoreboard --country SWE --pptx sweden.pptx

A view is a dashboard link or its query string (the global selection and the storyline). Parameters that cannot
be used are reported on stderr and ignored, as in the app. The data is loaded once for all views. Writes to the
terminal with sys.stdout/sys.stderr (a command-line tool; the library code does not print).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from decarb.briefing import PUBLIC_URL_ENV, build_deck, file_stem
from decarb.briefing.html import deck_html
from decarb.briefing.pptx import deck_pptx
from decarb.data import DataUnavailable, load_dataset
from decarb.memo import sharing
from decarb.storyline import DEFAULT_BASE_URL, PARAM_COUNTRY, PARAM_SLIDES, SLIDE_KEYS, decode_config, split_link
from decarb.view import decode_view


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m decarb.briefing",
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "views",
        nargs="+",
        metavar="VIEW",
        help="a dashboard link or its query string (quote it); several for several packs",
    )
    parser.add_argument("--pptx", type=Path, help="PowerPoint file to write (one view only)")
    parser.add_argument("--html", type=Path, help="offline HTML file to write (one view only)")
    parser.add_argument(
        "--out-dir", type=Path, help="folder for one .pptx and one .html per view, named after the selection"
    )
    parser.add_argument(
        "--slides",
        help=f"the slides to show, in this order, separated by commas (beats the view's; of: {', '.join(SLIDE_KEYS)})",
    )
    parser.add_argument(
        "--country",
        help="the presenter's own country (ISO3, e.g. SWE): always on the scoreboard and cement slides",
    )
    parser.add_argument(
        "--base-url",
        default=None,
        help=(
            "the dashboard's address that recipients can open, for the links on the cover and in the notes "
            f"(default: ${PUBLIC_URL_ENV}, else {DEFAULT_BASE_URL}, and the cover says the link works only on "
            "this computer)"
        ),
    )
    args = parser.parse_args(argv)
    if not (args.pptx or args.html or args.out_dir):
        parser.error("say where to write: --pptx and/or --html, or --out-dir")
    if len(args.views) > 1 and (args.pptx or args.html):
        parser.error("several views: use --out-dir (each pack is named after its selection)")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        ds = sharing(load_dataset())
    except DataUnavailable as err:
        sys.stderr.write(f"error: {err}\n")
        return 2
    written: set[Path] = set()
    for number, text in enumerate(args.views, start=1):
        start = time.perf_counter()
        params = split_link(text)
        for name, value in ((PARAM_SLIDES, args.slides), (PARAM_COUNTRY, args.country)):
            if value is not None:
                params[name] = [value]
        view, notices = decode_view(ds, params)
        config, more = decode_config(params)
        for note in notices + more:
            sys.stderr.write(f"view {number}: {note}\n")
        deck = build_deck(ds, view, config, public_url=args.base_url)
        targets = []
        if args.out_dir:
            stem = file_stem(deck)
            if args.out_dir / f"{stem}.pptx" in written:  # same selection, other storyline: keep both
                stem = f"{stem}-{number}"
            targets = [args.out_dir / f"{stem}.pptx", args.out_dir / f"{stem}.html"]
        targets += [p for p in (args.pptx, args.html) if p]
        for path in targets:
            path.parent.mkdir(parents=True, exist_ok=True)
            if path.suffix.lower() == ".pptx":
                path.write_bytes(deck_pptx(deck))
            else:
                path.write_text(deck_html(deck), encoding="utf-8")
            written.add(path)
        sys.stdout.write(
            f"view {number}: {len(deck.slides)} slides, {view.source_label}, base {view.base_year}, "
            f"net zero {view.target_year}, members {view.members} -> "
            f"{', '.join(map(str, targets))} ({time.perf_counter() - start:.2f} s)\n"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
