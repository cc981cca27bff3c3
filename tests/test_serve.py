"""`make serve` for real: HAProxy (deploy/haproxy.cfg as it is) in front of Streamlit replicas on loopback.

The proxy configuration cannot rot: 3 replicas take a few sessions through the proxy while one of them is killed,
the sticky cookie keeps a browser on its replica, and every way of stopping `python -m deploy.serve` leaves no
process behind. Bounded: a few sessions, a few seconds each; loopback only.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bench import load
from deploy import serve

pytestmark = pytest.mark.skipif(bool(os.environ.get("SKIP_LOAD_SMOKE")), reason="SKIP_LOAD_SMOKE is set")
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module", autouse=True)
def haproxy_and_data() -> None:
    """Skip without HAProxy or the processed data (`make test` sets up both as root); on CI, fail instead."""
    from decarb.data import DataUnavailable, load_dataset

    try:
        serve.haproxy_command()
    except serve.ServeError as err:
        if os.environ.get("CI"):
            pytest.fail(str(err))
        pytest.skip(str(err))

    try:
        load_dataset(verify=False)
    except DataUnavailable as err:
        pytest.skip(f"processed data absent ({err}); `make test` builds it first")


def get(url: str, cookie: str = "") -> tuple[int, str]:
    """(status, the Set-Cookie header) of a GET through the proxy."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.headers.get("set-cookie", "")


def wait_until(condition, timeout: float, every: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return False


@pytest.mark.timeout(180)
def test_three_replicas_hold_sessions_through_a_killed_replica() -> None:
    steps = 5
    config = load.LoadConfig(
        sessions=6, max_steps=steps, think=(0.1, 0.3), ramp=0.0, deep_link_share=0.5, seed=5, kill_after=0.5
    )
    with serve.running_cluster(3) as cluster:
        assert set(cluster.server_states().values()) == {"UP"}, cluster.server_states()

        # Sticky: a browser carrying r2's cookie reaches r2 every time (HAProxy counts it), without a new cookie.
        before = int(cluster.server_stats()["r2"]["stot"])
        for _ in range(4):
            status, set_cookie = get(cluster.url + "/", cookie=f"{load.PROXY_COOKIE}=r2")
            assert status == 200 and set_cookie == ""
        assert int(cluster.server_stats()["r2"]["stot"]) - before == 4
        status, set_cookie = get(cluster.url + "/")
        assert set_cookie.startswith(f"{load.PROXY_COOKIE}=r"), set_cookie  # a new browser is given a replica

        def kill(sessions: list[load.Session]) -> str:
            held = Counter(s.replica for s in sessions if not s.closed.is_set())
            victim = max(cluster.replicas, key=lambda r: held[r.name])
            os.kill(victim.proc.pid, signal.SIGKILL)
            return victim.name

        watcher = threading.Thread(target=cluster.watch, daemon=True)
        watcher.start()
        # Its own thread and event loop: Playwright's sync API (browser tests) keeps a loop in the main thread.
        with ThreadPoolExecutor(1) as pool:
            result = pool.submit(
                asyncio.run,
                load.run_load(cluster.url, cluster.pids, config, kill=kill, proxy_states=cluster.server_states),
            ).result()
        victim = next(r for r in cluster.replicas if r.name == result["killed_replica"])
        # The supervisor starts the killed replica again and HAProxy takes it back.
        assert wait_until(lambda: cluster.server_states().get(victim.name) == "UP", 60), cluster.server_states()
        assert victim.restarts == 1
        exceptions = sum((load.log_exceptions(r.log) for r in cluster.replicas), Counter())

    assert not exceptions, dict(exceptions)
    assert set(result["sessions_per_replica"]) == {"r1", "r2", "r3"}, result["sessions_per_replica"]  # leastconn
    assert result["sessions_on_killed"] >= 1
    assert result["proxy_out_after_s"] is not None and result["proxy_out_after_s"] < 5
    # Every session on the killed replica came back on another one, with its page reloaded from its URL.
    assert result["sessions_lost"] == 0
    assert result["sessions_reconnected"] >= result["sessions_on_killed"]
    assert victim.name not in result["reconnected_to"]
    assert result["recovered_after_s"] is not None and result["recovered_after_s"] < 10
    # The only errors allowed are runs in flight on the killed replica when it died (the tab saw a disconnect).
    assert result["errors"] == result["errors_after_kill"] <= result["sessions_on_killed"], result["error_list"]
    assert all("disconnected" in e for e in result["error_list"]), result["error_list"]
    assert result["sessions_held"] == config.sessions


def children(pid: int) -> set[int]:
    """Every descendant of a process (Linux /proc)."""
    found: set[int] = set()
    todo = [pid]
    while todo:
        parent = todo.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            with open(task / "children") as handle:  # noqa: PTH123
                kids = {int(k) for k in handle.read().split()}
            todo += list(kids - found)
            found |= kids
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


@pytest.mark.timeout(120)
@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL], ids=["ctrl-c", "sigterm", "kill-9"])
def test_stopping_make_serve_leaves_no_process(how: signal.Signals, tmp_path: Path) -> None:
    port = serve.free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "deploy.serve", "--replicas", "1", "--port", str(port), "--logs", str(tmp_path)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        line = proc.stdout.readline()
        assert line.startswith(f"Serving on http://127.0.0.1:{port}"), line + proc.stdout.read()
        spawned = children(proc.pid)
        assert len(spawned) == 2  # one replica and HAProxy
        assert get(f"http://127.0.0.1:{port}/_stcore/health")[0] == 200

        proc.send_signal(how)
        code = proc.wait(timeout=30)
        if how != signal.SIGKILL:
            assert code == 0
            assert "Stopped" in proc.stdout.read()
        # SIGKILL cannot be handled: the kernel's parent-death signal stops the children instead.
        assert wait_until(lambda: not any(alive(p) for p in spawned), 15), [p for p in spawned if alive(p)]
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
