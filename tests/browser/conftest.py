"""The real server on a free port, and Debian's chromium driven by Playwright, shared by the browser journeys."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.read().strip() == b"ok"
    except OSError:
        return False


def start_server(script: Path, log: Path, env_extra: dict[str, str] | None = None,
                 timeout: float = 90) -> tuple[subprocess.Popen, str]:
    """`streamlit run script` on a free loopback port in its own process group; returns (process, url)."""
    port = free_port()
    env = {**os.environ, "STREAMLIT_SERVER_HEADLESS": "true", "STREAMLIT_SERVER_ADDRESS": "127.0.0.1",
           "STREAMLIT_SERVER_PORT": str(port), "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
           "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none", **(env_extra or {})}
    handle = log.open("wb")
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(script)], cwd=str(ROOT), env=env,
                            stdout=handle, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}:\n{log.read_text(errors='replace')}")
        if _healthy(url):
            return proc, url
        time.sleep(0.2)
    stop_server(proc)
    raise RuntimeError(f"server not healthy after {timeout} s:\n{log.read_text(errors='replace')}")


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from decarb.data import DataUnavailable, load_dataset

    try:
        load_dataset(verify=False)
    except DataUnavailable as err:
        pytest.skip(f"processed data absent ({err}); `make test` builds it first")
    log = tmp_path_factory.mktemp("server") / "streamlit.log"
    try:
        proc, url = start_server(ROOT / "dashboard.py", log)
    except RuntimeError as err:
        pytest.fail(str(err))
    yield url
    died = proc.poll() is not None
    stop_server(proc)
    if died:
        print(log.read_text(errors="replace"))


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """A persistent chromium context; every request it makes is recorded in `.requests`."""
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} not found: install Debian's chromium (`make browser`)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            tempfile.mkdtemp(dir=tmp_path_factory.getbasetemp()), executable_path=str(CHROMIUM), headless=True,
            accept_downloads=True, args=CHROMIUM_ARGS, viewport={"width": 1400, "height": 1800})
        context.requests = []  # type: ignore[attr-defined]
        context.on("request", lambda request: context.requests.append(request.url))  # type: ignore[attr-defined]
        yield context
        context.close()
