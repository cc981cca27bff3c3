"""`make serve`: N Streamlit replicas behind HAProxy on one port, started and stopped as one unit.

Each replica is `python -m deploy.replica` (`streamlit run dashboard.py`, production settings from
.streamlit/config.toml, which must parse) on its own free loopback port; HAProxy (deploy/haproxy.cfg, read as it
is) listens on ADDRESS:PORT with sticky cookies and health checks, and takes a replica out when it stops answering
(dead or hung), cutting its sessions so their browsers reconnect to another one.

Supervision, with systemd's semantics (Restart=always, RestartSec, StartLimitBurst/StartLimitIntervalSec, a
watchdog): a replica that exits is started again after a pause that doubles from 1 s up to 30 s (reset once it has
stayed up 30 s); 5 starts within 60 s and it is left stopped with one line (the others go on serving). A running
replica whose /_stcore/health has not answered for 15 s is hung: killed and started again. HAProxy that exits, or
whose stats socket has not answered for 6 s, is started again; the replicas keep running and keep their sessions'
caches. Ctrl-C, SIGTERM or SIGHUP stop HAProxy first (no new connections), then every replica; each child also
gets SIGTERM from the kernel if this process is killed outright (PR_SET_PDEATHSIG), so nothing is left running.

Run: .venv/bin/python -m deploy.serve [--replicas N] [--port 8501] [--address 127.0.0.1] [--hostnames "a b"]
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from deploy.replica import EXIT_CONFIG, config_problem

ROOT = Path(__file__).resolve().parent.parent
HAPROXY_CONFIG = ROOT / "deploy" / "haproxy.cfg"
MAX_REPLICAS = 16  # server lines in deploy/haproxy.cfg
HEALTH_PATH = "/_stcore/health"
STOP_GRACE_S = 10.0  # SIGTERM, then SIGKILL after this
RESTART_SEC = 1.0  # pause before a process is started again, doubled after each start up to RESTART_SEC_MAX
RESTART_SEC_MAX = 30.0
STABLE_S = 30.0  # a replica up and healthy this long starts its next restart at RESTART_SEC again
START_LIMIT_BURST = 5  # starts within START_LIMIT_INTERVAL_S, after which a replica is left stopped
START_LIMIT_INTERVAL_S = 60.0
START_TIMEOUT_S = 90.0  # a replica started must answer its health check within this (cold imports, data loaded)
# A running replica silent for this long is hung (SIGSTOP, a deadlock): longer than HAProxy takes to mark it down
# (2 checks of up to 5 s), so its sessions have moved before it is killed. A busy replica answers within seconds.
WATCHDOG_S = 15.0
PROXY_WATCHDOG_S = 6.0  # HAProxy's stats socket silent this long: hung
PROBE_TIMEOUT_S = 2.0
LOOPBACK_NAMES = ("localhost", "127.0.0.1")
INSTALL_HINT = "HAProxy not found: install it (Debian/Ubuntu: `sudo apt-get install haproxy`), then run again"
PR_SET_PDEATHSIG = 1


class ServeError(RuntimeError):
    pass


def say(text: str, error: bool = False) -> None:
    """A line for the person who ran `make serve` (this is a command-line program)."""
    print(text, file=sys.stderr if error else sys.stdout, flush=True)  # noqa: T201


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def healthy(url: str, timeout: float = PROBE_TIMEOUT_S) -> bool:
    try:
        with urllib.request.urlopen(url + HEALTH_PATH, timeout=timeout) as response:
            return response.read().strip() == b"ok"
    except (OSError, http.client.HTTPException):  # a replica killed mid-answer cuts its response short
        return False


def _die_with_parent() -> None:
    """In the child before exec: own process group, and SIGTERM when the serving process dies."""
    os.setsid()
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _spawn(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("ab") as handle:
        return subprocess.Popen(
            command,
            cwd=str(ROOT),
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            preexec_fn=_die_with_parent,
        )  # noqa: PLW1509


def _stop(procs: list[subprocess.Popen]) -> None:
    """SIGTERM to each process group, then SIGKILL to what is still there after STOP_GRACE_S."""
    for proc in procs:
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE_S
    for proc in procs:
        try:
            proc.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _kill_group(proc: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


@dataclass
class Supervised:
    """Restart bookkeeping of one process, as systemd keeps it for a unit: RestartSec doubling, a start limit."""

    starts: deque[float] = field(default_factory=deque)  # monotonic times of the starts in the interval
    pause: float = field(default_factory=lambda: RESTART_SEC)
    due: float | None = None  # when the process that exited is started again
    started_at: float = 0.0
    answered_at: float = 0.0  # last good probe (health check, stats socket)
    restarts: int = 0
    given_up: bool = False

    def started(self, now: float) -> None:
        self.starts.append(now)
        self.started_at = now
        self.due = None

    def over_start_limit(self, now: float) -> bool:
        while self.starts and now - self.starts[0] > START_LIMIT_INTERVAL_S:
            self.starts.popleft()
        return len(self.starts) >= START_LIMIT_BURST

    def schedule(self, now: float) -> float:
        """Plan the next start after an exit; returns the pause."""
        pause = self.pause
        self.due = now + pause
        self.pause = min(self.pause * 2, RESTART_SEC_MAX)
        return pause

    def probed(self, ok: bool, now: float) -> None:
        if ok:
            self.answered_at = now
            if now - self.started_at >= STABLE_S:
                self.pause = RESTART_SEC

    def silent_for(self, now: float, limit: float, first_limit: float) -> float | None:
        """Seconds without an answer when over the limit (first_limit until the first answer), else None."""
        if self.answered_at > self.started_at:
            silent = now - self.answered_at
            return silent if silent > limit else None
        silent = now - self.started_at
        return silent if silent > first_limit else None


@dataclass
class Replica:
    number: int
    port: int
    log: Path
    proc: subprocess.Popen | None = None
    care: Supervised = field(default_factory=Supervised)

    @property
    def restarts(self) -> int:
        return self.care.restarts

    @property
    def name(self) -> str:
        return f"r{self.number}"  # the cookie value and server name in deploy/haproxy.cfg

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, env_extra: dict[str, str]) -> None:
        env = {
            **os.environ,
            "STREAMLIT_SERVER_ADDRESS": "127.0.0.1",
            "STREAMLIT_SERVER_PORT": str(self.port),
            "STREAMLIT_SERVER_HEADLESS": "true",
            "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
            **env_extra,
        }
        self.proc = _spawn([sys.executable, "-m", "deploy.replica"], env, self.log)
        self.care.started(time.monotonic())

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None


@dataclass
class Cluster:
    """The running replicas and HAProxy; `url` is where participants connect."""

    url: str
    replicas: list[Replica]
    haproxy: subprocess.Popen
    stats_socket: Path
    folder: Path
    env_extra: dict[str, str] = field(default_factory=dict)
    stopping: threading.Event = field(default_factory=threading.Event)
    proxy_command: list[str] = field(default_factory=list)
    proxy_env: dict[str, str] = field(default_factory=dict)
    proxy_care: Supervised = field(default_factory=Supervised)

    @property
    def proxy_log(self) -> Path:
        return self.folder / "haproxy.log"

    def pids(self) -> dict[str, int]:
        return {r.name: r.proc.pid for r in self.replicas if r.proc is not None and r.proc.poll() is None}

    def ask_proxy(self, command: str, timeout: float = PROBE_TIMEOUT_S) -> str:
        """HAProxy's answer to one command on its stats socket."""
        with socket.socket(socket.AF_UNIX) as sock:
            sock.settimeout(timeout)
            sock.connect(str(self.stats_socket))
            sock.sendall(command.encode() + b"\n")
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
        return data.decode()

    def proxy_answers(self) -> bool:
        try:
            return "Pid:" in self.ask_proxy("show info")
        except OSError:
            return False

    def server_stats(self) -> dict[str, dict[str, str]]:
        """HAProxy's `show stat` row of each replica (status, stot: sessions so far, ...), from its stats socket."""
        rows = self.ask_proxy("show stat").splitlines()
        header = rows[0].lstrip("# ").split(",")
        stats = {}
        for row in rows[1:]:
            values = dict(zip(header, row.split(","), strict=False))
            if values.get("pxname") == "replicas" and values.get("svname", "").startswith("r"):
                stats[values["svname"]] = values
        return stats

    def server_states(self) -> dict[str, str]:
        """HAProxy's view of each replica: "UP", "DOWN", or a transition such as "UP 1/2" cut to its first word."""
        return {name: row["status"].split(" ")[0] for name, row in self.server_stats().items()}

    def watch(self, every: float = 0.5) -> None:
        """Until stopped: probe HAProxy and every replica, and start again (with backoff) what exited or hung.

        Raises ServeError when nothing can serve any more: HAProxy over its start limit, or every replica."""
        with ThreadPoolExecutor(len(self.replicas) + 1, thread_name_prefix="probe") as pool:
            while not self.stopping.wait(every):
                # Probes in parallel: a hung process costs one probe timeout, not one per process.
                proxy_probe = pool.submit(self.proxy_answers) if self.haproxy.poll() is None else None
                probes = {r.name: pool.submit(healthy, r.url) for r in self.replicas if r.running()}
                now = time.monotonic()
                self._tend_proxy(proxy_probe, now)
                for replica in self.replicas:
                    self._tend(replica, probes.get(replica.name), now)
                if all(r.care.given_up for r in self.replicas):
                    raise ServeError("every replica is over its start limit: nothing left to serve")

    def _tend_proxy(self, probe: Future[bool] | None, now: float) -> None:
        care = self.proxy_care
        if probe is not None:
            care.probed(probe.result(), now)
            silent = care.silent_for(now, PROXY_WATCHDOG_S, PROXY_WATCHDOG_S)
            if silent is None:
                return
            say(f"HAProxy has not answered on its stats socket for {silent:.0f} s: hung; starting it again", error=True)
            _kill_group(self.haproxy)
        if care.due is None:
            if care.over_start_limit(now):
                raise ServeError(
                    f"HAProxy keeps exiting ({START_LIMIT_BURST} starts within "
                    f"{START_LIMIT_INTERVAL_S:.0f} s); its log: {self.proxy_log}"
                )
            pause = care.schedule(now)
            say(
                f"HAProxy exited with {self.haproxy.returncode}; starting it again in {pause:g} s "
                "(the replicas keep running)",
                error=True,
            )
        if care.due is not None and now >= care.due and not self.stopping.is_set():
            self.haproxy = _spawn(self.proxy_command, self.proxy_env, self.proxy_log)
            care.started(now)
            care.restarts += 1

    def _tend(self, replica: Replica, probe: Future[bool] | None, now: float) -> None:
        care = replica.care
        if care.given_up or self.stopping.is_set():
            return
        if probe is not None:
            care.probed(probe.result(), now)
            silent = care.silent_for(now, WATCHDOG_S, START_TIMEOUT_S)
            if silent is None or not replica.running():
                return
            say(
                f"replica {replica.name} (port {replica.port}) has not answered its health check for {silent:.0f} s: "
                "hung; stopping it",
                error=True,
            )
            assert replica.proc is not None
            _kill_group(replica.proc)
        if replica.proc is None or replica.running():
            return
        if care.due is None:
            code = replica.proc.returncode
            why = "its configuration is broken" if code == EXIT_CONFIG else f"exited with {code}"
            if care.over_start_limit(now):
                care.given_up = True
                say(
                    f"replica {replica.name} (port {replica.port}) {why}; {START_LIMIT_BURST} starts within "
                    f"{START_LIMIT_INTERVAL_S:.0f} s, left stopped; its log: {replica.log}",
                    error=True,
                )
                return
            pause = care.schedule(now)
            say(f"replica {replica.name} (port {replica.port}) {why}; starting it again in {pause:g} s", error=True)
        if care.due is not None and now >= care.due:
            replica.start(self.env_extra)
            care.restarts += 1


def haproxy_command() -> str:
    found = shutil.which("haproxy") or next((p for p in ("/usr/sbin/haproxy",) if Path(p).exists()), None)
    if found is None:
        raise ServeError(INSTALL_HINT)
    return found


def _wait_healthy(
    urls: dict[str, str], procs: dict[str, subprocess.Popen], logs: dict[str, Path], timeout: float
) -> None:
    waiting = dict(urls)
    deadline = time.monotonic() + timeout
    while waiting and time.monotonic() < deadline:
        for name, url in list(waiting.items()):
            if procs[name].poll() is not None:
                raise ServeError(
                    f"{name} exited with {procs[name].returncode} while starting; "
                    f"its log ({logs[name]}):\n{logs[name].read_text(errors='replace')[-2000:]}"
                )
            if healthy(url):
                del waiting[name]
        time.sleep(0.1)
    if waiting:
        raise ServeError(f"not healthy after {timeout:g} s: {', '.join(sorted(waiting))}")


@contextlib.contextmanager
def running_cluster(
    replicas: int,
    port: int | None = None,
    address: str = "127.0.0.1",
    env_extra: dict[str, str] | None = None,
    timeout: float = 90.0,
    folder: Path | None = None,
    hostnames: Sequence[str] = (),
) -> Iterator[Cluster]:
    """Start `replicas` replicas and HAProxy (port None: a free one); everything is stopped on exit. `hostnames`:
    the names participants use besides localhost and 127.0.0.1 (HAProxy refuses any other Host or Origin)."""
    if not 1 <= replicas <= MAX_REPLICAS:
        raise ServeError(f"REPLICAS={replicas}: deploy/haproxy.cfg has server lines for 1-{MAX_REPLICAS}")
    problem = config_problem()
    if problem:
        raise ServeError(problem)
    haproxy = haproxy_command()
    temporary = folder is None  # then removed on exit; a given folder keeps the logs
    folder = folder or Path(tempfile.mkdtemp(prefix="decarb-serve-"))
    folder.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    env_extra = dict(env_extra or {})
    members = [Replica(n, free_port(), folder / f"r{n}.log") for n in range(1, replicas + 1)]
    for replica in members:  # a kept folder's logs are this cluster's only (appended to across restarts)
        replica.log.unlink(missing_ok=True)
    stats = folder / "haproxy.sock"
    proxy_env = {
        **os.environ,
        "ADDRESS": address,
        "PORT": str(port),
        "HAPROXY_STATS_SOCKET": str(stats),
        "HOSTNAMES": " ".join(dict.fromkeys(h.lower() for h in (*LOOPBACK_NAMES, *hostnames) if h)),
        **{f"REPLICA_{r.number}_PORT": str(r.port) for r in members},
    }
    proxy: subprocess.Popen | None = None
    cluster: Cluster | None = None
    try:
        for replica in members:
            replica.start(env_extra)
        _wait_healthy(
            {r.name: r.url for r in members},
            {r.name: r.proc for r in members if r.proc is not None},
            {r.name: r.log for r in members},
            timeout,
        )
        # -db: stay in the foreground (this process supervises it); -f: the config file as it is in the repo.
        proxy_command = [haproxy, "-db", "-f", str(HAPROXY_CONFIG)]
        proxy = _spawn(proxy_command, proxy_env, folder / "haproxy.log")
        url = f"http://{'127.0.0.1' if address in ('0.0.0.0', '') else address}:{port}"
        _wait_healthy({"haproxy": url}, {"haproxy": proxy}, {"haproxy": folder / "haproxy.log"}, 15)
        cluster = Cluster(
            url, members, proxy, stats, folder, env_extra, proxy_command=proxy_command, proxy_env=proxy_env
        )
        cluster.proxy_care.started(time.monotonic())
        yield cluster
    finally:
        if cluster is not None:
            cluster.stopping.set()
            proxy = cluster.haproxy  # the one running now (the supervisor may have started it again)
        # The proxy first: no new connections reach a replica that is stopping.
        _stop([proxy] if proxy is not None else [])
        _stop([r.proc for r in members if r.proc is not None])
        if temporary:
            shutil.rmtree(folder, ignore_errors=True)


def exposed_warning(address: str) -> str:
    """The one line `make serve` prints when it listens beyond this machine (docs/security.md, section 1)."""
    return (
        f"Warning: ADDRESS={address} serves the dashboard to other machines with no login; put the "
        "authenticating proxy of docs/security.md in front, and list the names participants use in HOSTNAMES "
        "(any other Host is refused)."
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.serve", description=__doc__.split("\n")[0])
    parser.add_argument("--replicas", type=int, default=int(os.environ.get("REPLICAS") or os.cpu_count() or 1))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT") or 8501))
    parser.add_argument("--address", default=os.environ.get("ADDRESS") or "127.0.0.1")
    parser.add_argument(
        "--hostnames",
        default=os.environ.get("HOSTNAMES") or "",
        help="host names participants use besides localhost and 127.0.0.1, space-separated (others are refused)",
    )
    parser.add_argument(
        "--logs",
        type=Path,
        default=ROOT / "artifacts" / "serve",
        help="folder for the replicas' and HAProxy's logs (kept)",
    )
    args = parser.parse_args(argv)

    stop = threading.Event()

    def on_signal(signum: int, _frame: object) -> None:
        if stop.is_set():  # a second Ctrl-C while stopping: the stop is already under way
            return
        stop.set()
        raise KeyboardInterrupt  # leaves the `with` below, which stops every process

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, on_signal)
    try:
        if args.address not in LOOPBACK_NAMES:
            say(exposed_warning(args.address), error=True)
        hostnames = [*args.hostnames.split(), *([] if args.address in ("0.0.0.0", "", "::") else [args.address])]
        with running_cluster(args.replicas, args.port, args.address, folder=args.logs, hostnames=hostnames) as cluster:
            names = ", ".join(f"{r.name} :{r.port}" for r in cluster.replicas)
            say(
                f"Serving on {cluster.url} : HAProxy in front of {len(cluster.replicas)} replicas ({names}); "
                f"logs in {cluster.folder}. Ctrl-C stops all."
            )
            cluster.watch()
    except KeyboardInterrupt:
        say("Stopped: HAProxy and every replica.")
        return 0
    except ServeError as err:
        say(f"make serve: {err}", error=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
