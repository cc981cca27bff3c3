"""Names the browser tests share; the real server and chromium fixtures are in tests/conftest.py (the journeys use
them too)."""

from __future__ import annotations

from bench.server import ROOT, start_server, stop_server
from conftest import SCREENSHOTS

__all__ = ["ROOT", "SCREENSHOTS", "start_server", "stop_server"]
