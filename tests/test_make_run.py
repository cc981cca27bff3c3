"""`make run` for real: a .streamlit/config.toml that does not parse stops it with one line.

Streamlit itself prints a traceback for such a file and then serves on its own defaults (full error details, the
file watcher, uploads, every interface): `make run` must refuse instead, as `make serve` does (tests/test_serve.py).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from deploy.replica import EXIT_CONFIG
from deploy.serve import free_port, healthy

ROOT = Path(__file__).resolve().parent.parent
MAKE = shutil.which("make")


@pytest.mark.skipif(MAKE is None, reason="make not found")
@pytest.mark.timeout(90)
def test_a_broken_streamlit_config_stops_make_run_with_one_line(tmp_path: Path) -> None:
    # The project's Makefile and deploy/ beside a one-line dashboard and a config.toml with an unclosed string;
    # `-o data` skips the ETL (the recipe under test is run's own), .venv is the venv running this test.
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    shutil.copytree(ROOT / "deploy", tmp_path / "deploy", ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "dashboard.py").write_text("import streamlit as st\nst.write('x')\n")
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "config.toml").write_text('[server]\naddress = "127.0.0.1"\nfileWatcherType = "none\n')
    (tmp_path / ".venv").symlink_to(sys.prefix, target_is_directory=True)
    port = free_port()
    # As a person types it, also when this test runs under `make test` (no parent make's level or flags).
    env = {k: v for k, v in os.environ.items() if k not in ("MAKELEVEL", "MAKEFLAGS", "MFLAGS")}
    proc = subprocess.Popen(
        [str(MAKE), "--no-print-directory", "-o", "data", "run", f"PORT={port}"],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, start_new_session=True,
    )  # fmt: skip
    started = False
    deadline = time.monotonic() + 60
    while proc.poll() is None and time.monotonic() < deadline:
        if healthy(f"http://127.0.0.1:{port}"):
            started = True
            break
        time.sleep(0.2)
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    _, stderr = proc.communicate(timeout=30)
    assert not started, f"make run served on Streamlit's defaults:\n{stderr}"
    assert proc.returncode not in (None, 0, -signal.SIGKILL), stderr
    # Ours is the one line; make adds its own "make: *** [Makefile:N: run] Error 78" after it.
    ours = [line for line in stderr.strip().splitlines() if not re.match(r"make(\[\d+\])?: \*\*\* ", line)]
    assert len(ours) == 1, stderr
    assert ours[0].startswith(".streamlit/config.toml: ") and "line 3" in ours[0], ours[0]
    assert "not starting on Streamlit's defaults" in ours[0]
    assert f"Error {EXIT_CONFIG}" in stderr, stderr
