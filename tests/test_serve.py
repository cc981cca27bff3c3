"""`make serve` for real: HAProxy (deploy/haproxy.cfg as it is) in front of Streamlit replicas on loopback.

The proxy configuration cannot rot: 3 replicas take a few sessions through the proxy while one of them is killed,
the sticky cookie keeps a browser on its replica, and every way of stopping `python -m deploy.serve` leaves no
process behind. Bounded: a few sessions, a few seconds each; loopback only.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from bench import load
from deploy import serve
from deploy.replica import EXIT_CONFIG

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


# --- Hardening: what HAProxy sends and refuses, checked through deploy.serve -------------------------------------
def upgrade_status(url: str, host: str, origin: str | None) -> int:
    """The status HAProxy (or the replica behind it) answers to a websocket upgrade of /_stcore/stream."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        conn.putrequest("GET", "/_stcore/stream", skip_host=True)
        headers = {
            "Host": host,
            "Upgrade": "websocket",
            "Connection": "Upgrade",
            "Sec-WebSocket-Key": base64.b64encode(os.urandom(16)).decode(),
            "Sec-WebSocket-Version": "13",
            "Sec-WebSocket-Protocol": "streamlit",
            **({"Origin": origin} if origin else {}),
        }
        for name, value in headers.items():
            conn.putheader(name, value)
        conn.endheaders()
        return conn.getresponse().status
    finally:
        conn.close()


def inline_script_hashes() -> list[str]:
    """CSP hashes of the inline scripts in Streamlit's index.html (what the page runs besides its own files)."""
    import streamlit

    html = (Path(streamlit.__file__).parent / "static" / "index.html").read_text()
    bodies = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, re.S)
    return [f"'sha256-{base64.b64encode(hashlib.sha256(b.encode()).digest()).decode()}'" for b in bodies]


CSP_VIOLATIONS = """document.addEventListener('securitypolicyviolation',
    e => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI))"""


@pytest.mark.browser
@pytest.mark.timeout(240)
def test_headers_host_names_and_metrics_through_the_proxy(browser) -> None:
    with serve.running_cluster(1) as cluster:
        port = urlsplit(cluster.url).port
        with urllib.request.urlopen(cluster.url + "/", timeout=10) as response:
            headers = response.headers
        policy = dict(p.strip().split(" ", 1) for p in headers["Content-Security-Policy"].split(";"))
        assert policy["frame-ancestors"] == "'self'" and headers["X-Frame-Options"] == "SAMEORIGIN"
        assert all(h in policy["script-src"].split() for h in inline_script_hashes()), policy["script-src"]
        assert "'unsafe-eval'" not in policy["script-src"] and "'unsafe-inline'" not in policy["script-src"]

        # Streamlit's metrics: on the replica, not through the proxy.
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(cluster.url + "/_stcore/metrics", timeout=10)
        assert refused.value.code == 404
        with urllib.request.urlopen(cluster.replicas[0].url + "/_stcore/metrics", timeout=10) as response:
            assert response.status == 200

        # DNS rebinding: a page of another site whose name resolves here carries its own Host and Origin.
        request = urllib.request.Request(cluster.url + "/", headers={"Host": f"evil.example:{port}"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
        assert refused.value.code == 403
        own = f"127.0.0.1:{port}"
        assert upgrade_status(cluster.url, f"evil.example:{port}", f"http://evil.example:{port}") == 403
        assert upgrade_status(cluster.url, own, "http://evil.example") == 403
        assert upgrade_status(cluster.url, own, f"http://{own}") == 101
        assert upgrade_status(cluster.url, f"localhost:{port}", f"http://localhost:{port}") == 101
        assert upgrade_status(cluster.url, own, None) == 101  # no Origin: not a browser (the load client)

        # The page under that policy in chromium: drawn, and not one violation in the console.
        page = browser.new_page()
        messages: list[str] = []
        page.on("console", lambda m: messages.append(m.text))
        page.add_init_script(CSP_VIOLATIONS)
        page.goto(cluster.url + "/countries")
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=90_000)
        page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=60_000)
        assert page.locator('[data-testid="stException"]').count() == 0
        page.close()
    violations = [m for m in messages if "Content Security Policy" in m or "CSP violation" in m]
    assert not violations, violations


def project_copy(tmp_path: Path, config: str) -> Path:
    """deploy/ and a dashboard beside a .streamlit/config.toml holding `config` (the supervisor's ROOT)."""
    shutil.copytree(ROOT / "deploy", tmp_path / "deploy", ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "dashboard.py").write_text("import streamlit as st\nst.write('x')\n")
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "config.toml").write_text(config)
    return tmp_path


@pytest.mark.timeout(60)
def test_a_broken_streamlit_config_stops_make_serve_with_one_line(tmp_path: Path) -> None:
    root = project_copy(tmp_path, '[server]\naddress = "127.0.0.1"\nfileWatcherType = "none\n')
    env = {**os.environ, "PYTHONPATH": str(root)}
    port = serve.free_port()
    made = subprocess.run(
        [sys.executable, "-m", "deploy.serve", "--replicas", "1", "--port", str(port), "--address", "0.0.0.0"],
        cwd=root, env=env, capture_output=True, text=True, timeout=50,
    )  # fmt: skip
    assert made.returncode == 1, made
    lines = made.stderr.strip().splitlines()
    assert len(lines) == 2, made.stderr  # the warning for 0.0.0.0 (docs/security.md), then why it stopped
    assert lines[0].startswith("Warning: ADDRESS=0.0.0.0 ") and "docs/security.md" in lines[0]
    assert lines[1].startswith("make serve: .streamlit/config.toml: ") and "line 3" in lines[1], lines[1]
    assert "Serving" not in made.stdout
    replica = subprocess.run(
        [sys.executable, "-m", "deploy.replica"], cwd=root, env=env, capture_output=True, text=True, timeout=50
    )
    assert replica.returncode == EXIT_CONFIG and len(replica.stderr.strip().splitlines()) == 1, replica.stderr
    assert "not starting on Streamlit's defaults" in replica.stderr


# --- Faults with a browser on the page ----------------------------------------------------------------------------
METRIC_BOX = '[data-testid="stSelectbox"]'


def wait_on(page, condition, timeout: float) -> bool:
    """wait_until that lets Playwright deliver the page's events (websockets, URL changes) while it waits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        page.wait_for_timeout(300)
    return False


def pick_metric(page, label: str, in_url: Callable[[str], bool], timeout: float = 60) -> bool:
    """Choose a metric on the Countries page; True once the address bar shows it (the server ran the change).
    Tried again while the page is still reconnecting (its controls do not open then)."""
    from playwright.sync_api import Error as PlaywrightError

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            page.locator(METRIC_BOX).filter(has_text="Metric").click(timeout=5_000)
            page.get_by_role("option", name=label, exact=True).click(timeout=5_000)
        except PlaywrightError:
            page.keyboard.press("Escape")
            page.wait_for_timeout(1_000)
            continue
        return wait_on(page, lambda: in_url(page.url), max(5.0, deadline - time.monotonic()))
    return False


def serving(cluster: serve.Cluster, browser) -> serve.Replica:
    """The replica HAProxy's cookie sends the browser to."""
    host = urlsplit(cluster.url).hostname
    name = next(c["value"] for c in browser.cookies() if c["name"] == load.PROXY_COOKIE and c["domain"] == host)
    return next(r for r in cluster.replicas if r.name == name)


@pytest.mark.browser
@pytest.mark.timeout(420)
def test_failover_with_a_browser_on_the_page(browser) -> None:
    """A replica killed, a replica hung, HAProxy killed and hung: each time the page comes back by itself and the
    next control change takes effect; the supervisor starts again what failed and leaves the rest running."""
    failures: list[BaseException] = []

    def watch(cluster: serve.Cluster) -> None:
        try:
            cluster.watch()
        except BaseException as err:  # noqa: BLE001 - reported by the test
            failures.append(err)

    with serve.running_cluster(2) as cluster:
        threading.Thread(target=watch, args=(cluster,), daemon=True).start()
        page = browser.new_page()
        sockets: list[object] = []
        page.on("websocket", lambda socket: sockets.append(socket))
        page.goto(cluster.url + "/countries?metric=index")
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=90_000)
        assert pick_metric(page, "Per capita", lambda url: "metric=per_capita" in url)

        # A replica killed: the page reconnects to the other one, and the first change is not lost.
        killed = serving(cluster, browser)
        os.kill(killed.proc.pid, signal.SIGKILL)
        assert wait_on(page, lambda: len(sockets) == 2, 30), "the page did not reconnect"
        assert pick_metric(page, "Absolute", lambda url: "metric=" not in url), "first change after failover lost"
        assert serving(cluster, browser) is not killed

        # A replica hung (SIGSTOP): HAProxy takes it out and cuts its sessions, the page moves, the watchdog
        # kills it and starts it again.
        assert wait_on(page, lambda: cluster.server_states().get(killed.name) == "UP", 120), cluster.server_states()
        hung = serving(cluster, browser)
        os.kill(hung.proc.pid, signal.SIGSTOP)
        assert wait_on(page, lambda: len(sockets) == 3, 40), "the page stayed on the hung replica"
        assert pick_metric(page, "Per unit of GDP", lambda url: "metric=per_gdp" in url)
        assert wait_on(page, lambda: hung.restarts == 1, serve.WATCHDOG_S + 30), "the hung replica was not restarted"

        # HAProxy killed, then hung: started again each time, the replicas untouched, the page back.
        replicas = cluster.pids()
        os.kill(cluster.haproxy.pid, signal.SIGKILL)
        assert wait_on(page, lambda: cluster.proxy_care.restarts == 1 and cluster.proxy_answers(), 30)
        os.kill(cluster.haproxy.pid, signal.SIGSTOP)
        assert wait_on(page, lambda: cluster.proxy_care.restarts == 2 and cluster.proxy_answers(), 40)
        assert cluster.pids() == replicas
        # The page's own reconnection backs off while no proxy answers: it comes back within a minute or two.
        assert pick_metric(page, "Per capita", lambda url: "metric=per_capita" in url, 120), len(sockets)
        page.close()
    assert not failures, failures


@pytest.mark.timeout(120)
def test_a_replica_that_cannot_start_backs_off_then_stops(monkeypatch, capsys) -> None:
    monkeypatch.setattr(serve, "RESTART_SEC", 0.3)
    monkeypatch.setattr(serve, "START_LIMIT_BURST", 4)
    with serve.running_cluster(1) as cluster:
        replica = cluster.replicas[0]
        with socket.socket() as squatter:  # its port taken: every start fails
            os.kill(replica.proc.pid, signal.SIGKILL)
            replica.proc.wait()
            squatter.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            squatter.bind(("127.0.0.1", replica.port))
            squatter.listen()
            with pytest.raises(serve.ServeError, match="every replica is over its start limit"):
                cluster.watch(every=0.2)
    said = capsys.readouterr().err
    pauses = [float(p) for p in re.findall(r"starting it again in ([0-9.]+) s", said)]
    assert pauses == [0.3, 0.6, 1.2], said  # doubled each time, then the start limit (4 starts)
    assert f"replica r1 (port {replica.port}) exited with 1; 4 starts within 60 s, left stopped" in said, said
    assert replica.restarts == 3


def test_a_health_answer_cut_short_reads_as_unhealthy_not_as_an_error() -> None:
    """A replica killed while it answers its health check sends fewer bytes than it announced: the supervisor's
    probe must read that as "not healthy" (a raised IncompleteRead ended the watch thread, and nothing restarted the
    killed replica)."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)

        def answer_cut_short() -> None:
            conn, _ = listener.accept()
            with conn:
                conn.recv(4096)
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nok")

        thread = threading.Thread(target=answer_cut_short, daemon=True)
        thread.start()
        assert serve.healthy(f"http://127.0.0.1:{listener.getsockname()[1]}", timeout=5) is False
        thread.join(5)
