"""The real server and Debian's chromium, as the benchmarks and the browser tests start them.

One place for the loopback-only, telemetry-off way of starting `streamlit run` on a free port in its own
process group, and for the chromium flags that keep a headless browser off the network.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from deploy.serve import free_port, healthy

ROOT = Path(__file__).resolve().parent.parent
ENTRYPOINT = ROOT / "dashboard.py"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def start_server(
    script: Path, log: Path, env_extra: dict[str, str] | None = None, timeout: float = 90
) -> tuple[subprocess.Popen, str]:
    """`streamlit run script` on a free loopback port in its own process group; returns (process, url)."""
    port = free_port()
    env = {
        **os.environ,
        "STREAMLIT_SERVER_HEADLESS": "true",
        "STREAMLIT_SERVER_ADDRESS": "127.0.0.1",
        "STREAMLIT_SERVER_PORT": str(port),
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
        "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none",
        **(env_extra or {}),
    }
    with log.open("wb") as handle:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(script)],
            cwd=str(ROOT),
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}:\n{log.read_text(errors='replace')}")
        if healthy(url):
            return proc, url
        time.sleep(0.1)
    stop_server(proc)
    raise RuntimeError(f"server not healthy after {timeout} s:\n{log.read_text(errors='replace')}")


def stop_server(proc: subprocess.Popen) -> None:
    """Stop the server's whole process group (SIGTERM, then SIGKILL after 10 s)."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


@dataclass
class Server:
    url: str
    pid: int
    log: Path
    keep_log: bool = False  # the log is deleted when the server stops, unless this is set


@contextlib.contextmanager
def running_server(
    script: Path = ENTRYPOINT, timeout: float = 60.0, env: dict[str, str] | None = None
) -> Iterator[Server]:
    """start_server as a context (`env`: extra variables): the server (and its log, unless keep_log is set) is gone
    on exit."""
    handle, name = tempfile.mkstemp(prefix="decarb-server-", suffix=".log")
    os.close(handle)
    log = Path(name)
    proc, url = start_server(script, log, env, timeout=timeout)
    server = Server(url, proc.pid, log)
    try:
        yield server
    finally:
        stop_server(proc)
        if not server.keep_log:
            log.unlink(missing_ok=True)
