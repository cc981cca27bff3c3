"""`python -m etl`: build data/processed from data/raw (incremental; one clear line on bad input)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from decarb.paths import RAW_DIR, processed_dir
from etl.build import build
from etl.checks import MIN_EDGAR_COUNTRIES
from etl.errors import InputError
from etl.output import BuildError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m etl", description=__doc__)
    parser.add_argument("--raw-dir", type=Path, default=RAW_DIR, help="raw files and sources.json")
    parser.add_argument("--out-dir", type=Path, default=processed_dir(), help="where the tables are written")
    parser.add_argument("--force", action="store_true", help="rebuild even when nothing changed")
    parser.add_argument(
        "--accept",
        action="append",
        default=[],
        metavar="RAW_FILE",
        help="accept a changed raw file (path relative to the raw dir) and record its checksum",
    )
    parser.add_argument(
        "--min-countries",
        type=int,
        default=MIN_EDGAR_COUNTRIES,
        help="sanity check: EDGAR must cover at least this many countries (lower it for extracts)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress output")
    args = parser.parse_args(argv)
    try:
        result = build(
            args.raw_dir,
            args.out_dir,
            force=args.force,
            accept=frozenset(args.accept),
            progress=not args.quiet,
            min_countries=args.min_countries,
        )
    except (InputError, BuildError) as err:
        print(f"error: {err} [nothing in {args.out_dir} was changed]", file=sys.stderr)
        return 1
    except OSError as err:  # not foreseen above: still one line, not a traceback
        print(f"error: {err} [nothing in {args.out_dir} was changed]", file=sys.stderr)
        return 1
    print(result.message)
    return 0


if __name__ == "__main__":
    sys.exit(main())
