"""`make serve`: N Streamlit replicas behind HAProxy on one port, started and stopped as one unit.

Each replica is `python -m streamlit run dashboard.py` on its own free loopback port (production settings come from
.streamlit/config.toml); HAProxy (deploy/haproxy.cfg, read as it is) listens on ADDRESS:PORT with sticky cookies
and health checks. A replica that dies is started again on its port (HAProxy takes it out within about 2 s and
back once it answers). Ctrl-C, SIGTERM or SIGHUP stop HAProxy first (no new connections), then every replica;
each child also gets SIGTERM from the kernel if this process is killed outright (PR_SET_PDEATHSIG), so nothing
is left running.

Run: .venv/bin/python -m deploy.serve [--replicas N] [--port 8501] [--address 127.0.0.1]
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
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
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENTRYPOINT = ROOT / "dashboard.py"
HAPROXY_CONFIG = ROOT / "deploy" / "haproxy.cfg"
MAX_REPLICAS = 16  # server lines in deploy/haproxy.cfg
HEALTH_PATH = "/_stcore/health"
STOP_GRACE_S = 10.0  # SIGTERM, then SIGKILL after this
RESTART_PAUSE_S = 1.0  # between a replica's death and its restart: a replica that cannot start does not spin
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


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + HEALTH_PATH, timeout=2) as response:
            return response.read().strip() == b"ok"
    except OSError:
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


@dataclass
class Replica:
    number: int
    port: int
    log: Path
    proc: subprocess.Popen | None = None
    restarts: int = 0

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
        self.proc = _spawn([sys.executable, "-m", "streamlit", "run", str(ENTRYPOINT)], env, self.log)


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

    def pids(self) -> dict[str, int]:
        return {r.name: r.proc.pid for r in self.replicas if r.proc is not None and r.proc.poll() is None}

    def server_stats(self) -> dict[str, dict[str, str]]:
        """HAProxy's `show stat` row of each replica (status, stot: sessions so far, ...), from its stats socket."""
        with socket.socket(socket.AF_UNIX) as sock:
            sock.settimeout(2)
            sock.connect(str(self.stats_socket))
            sock.sendall(b"show stat\n")
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
        rows = data.decode().splitlines()
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
        """Until stopped: start again a replica that died; stop when HAProxy died (nothing serves then)."""
        while not self.stopping.wait(every):
            if self.haproxy.poll() is not None:
                raise ServeError(f"HAProxy exited with {self.haproxy.returncode}; its log: {self.folder}/haproxy.log")
            for replica in self.replicas:
                if replica.proc is not None and replica.proc.poll() is not None and not self.stopping.is_set():
                    code = replica.proc.returncode
                    say(
                        f"replica {replica.name} (port {replica.port}) exited with {code}; starting it again",
                        error=True,
                    )
                    time.sleep(RESTART_PAUSE_S)
                    replica.restarts += 1
                    replica.start(self.env_extra)


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
) -> Iterator[Cluster]:
    """Start `replicas` replicas and HAProxy (port None: a free one); everything is stopped on exit."""
    if not 1 <= replicas <= MAX_REPLICAS:
        raise ServeError(f"REPLICAS={replicas}: deploy/haproxy.cfg has server lines for 1-{MAX_REPLICAS}")
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
        **{f"REPLICA_{r.number}_PORT": str(r.port) for r in members},
    }
    started: list[subprocess.Popen] = []
    proxy: subprocess.Popen | None = None
    cluster: Cluster | None = None
    try:
        for replica in members:
            replica.start(env_extra)
            started.append(replica.proc)
        _wait_healthy(
            {r.name: r.url for r in members},
            {r.name: r.proc for r in members},
            {r.name: r.log for r in members},
            timeout,
        )
        # -db: stay in the foreground (this process supervises it); -f: the config file as it is in the repo.
        proxy = _spawn([haproxy, "-db", "-f", str(HAPROXY_CONFIG)], proxy_env, folder / "haproxy.log")
        url = f"http://{'127.0.0.1' if address in ('0.0.0.0', '') else address}:{port}"
        _wait_healthy({"haproxy": url}, {"haproxy": proxy}, {"haproxy": folder / "haproxy.log"}, 15)
        cluster = Cluster(url, members, proxy, stats, folder, env_extra)
        yield cluster
    finally:
        if cluster is not None:
            cluster.stopping.set()
        # The proxy first: no new connections reach a replica that is stopping.
        _stop([proxy] if proxy is not None else [])
        _stop([r.proc for r in members if r.proc is not None])
        if temporary:
            shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.serve", description=__doc__.split("\n")[0])
    parser.add_argument("--replicas", type=int, default=int(os.environ.get("REPLICAS") or os.cpu_count() or 1))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT") or 8501))
    parser.add_argument("--address", default=os.environ.get("ADDRESS") or "127.0.0.1")
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
        with running_cluster(args.replicas, args.port, args.address, folder=args.logs) as cluster:
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
