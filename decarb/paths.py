"""Where the data lives. Anchored on this file, never on the working directory; overridable by env vars."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
RAW_DIR = Path(os.environ.get("DECARB_RAW_DIR", PROJECT_ROOT / "data" / "raw"))
DEFAULT_PROCESSED_DIR = PROJECT_ROOT / "data" / "processed"
MANIFEST_NAME = "manifest.json"
REBUILD_COMMAND = "make data  (or: .venv/bin/python -m etl)"


def processed_dir() -> Path:
    """Where the processed tables are: DECARB_PROCESSED_DIR, read at call time (a test or a server can point
    elsewhere after import), else data/processed."""
    env = os.environ.get("DECARB_PROCESSED_DIR")
    return Path(env) if env else DEFAULT_PROCESSED_DIR
