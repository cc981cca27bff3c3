"""Load test: the real server, many concurrent sessions over Streamlit's own websocket protocol.

Starts `python -m streamlit run dashboard.py` on a free loopback port (its own process group), then opens N
websocket sessions on /_stcore/stream (subprotocol "streamlit"), each behaving like a browser tab: it loads a
page (some with a deep link), then repeatedly sends `rerun_script` BackMsgs (ClientState: query string, page
script hash, widget states) that change a control on the page, press a button, or switch to another page, with a
think time between actions. Option values are taken from the widgets the server sent in the previous run, so
every change is one a user could make. Per rerun it records the latency from send to `script_finished`, and as
errors: exception elements, compile errors, page-not-found, disconnects and timeouts. The server's RSS is
sampled idle, after 1 and 10 sessions, and throughout (peak). Loopback only, bounded in sessions and time.

Run: .venv/bin/python -m bench.load [--sessions 50] [--duration 60] [--think 2 6] [--url http://127.0.0.1:8501]
     .venv/bin/python -m bench.load --url http://127.0.0.1:8501 --warm   (open every page once; exit 1 on errors)
(`make bench` runs it with the defaults; BENCH_LOAD_SESSIONS / BENCH_LOAD_DURATION override them there.)
The client runs in this process and shares the 2 cores with the server: its CPU time is printed too.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import signal
import statistics
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus

from bench.server import ROOT, running_server

STREAM_PATH = "/_stcore/stream"
PROXY_COOKIE = "DASHBOARD_REPLICA"  # deploy/haproxy.cfg: the sticky cookie naming the replica
RERUN_TIMEOUT_S = 30.0  # no script_finished within this: an error (and the session is dropped)
GOAL_P95_S = 1.0  # a room of 100 with p95 under 1 s
MAX_CACHED_MESSAGE_AGE = 2  # Streamlit's global.maxCachedMessageAge default
END_GRACE_S = 5.0  # after the duration, runs in flight get this long to finish before the test stops
# Controls a session changes: single-choice widgets take one formatted option, multiselects a list of them.
SINGLE = ("selectbox", "radio")
MULTI = ("multiselect",)
GLOBAL_KEYS = ("source", "base", "target", "members", "img")  # the entrypoint's URL parameters
# URL paths of the pages (the default page, Overview, is served at the root: its path is "").
PAGES = ("", "countries", "sectors", "steel", "progress", "members", "present", "data")
FINISHED = {
    ForwardMsg.FINISHED_SUCCESSFULLY: "ok",
    ForwardMsg.FINISHED_WITH_COMPILE_ERROR: "compile_error",
    ForwardMsg.FINISHED_EARLY_FOR_RERUN: "early_for_rerun",
    ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY: "fragment_ok",
}


# ---------------------------------------------------------------------------------------------- the server


def log_exceptions(log: Path) -> Counter:
    """Tracebacks in the server log, each as 'the app's deepest frame: the exception line', counted."""
    found: Counter = Counter()
    frame, inside = "", False
    for line in log.read_text(errors="replace").splitlines():
        if line.startswith("Traceback (most recent call last)"):
            frame, inside = "", True
        elif inside and line.strip().startswith("File ") and str(ROOT) in line and "/.venv/" not in line:
            frame = line.strip().replace(str(ROOT) + "/", "")
        elif inside and line and not line.startswith(" "):
            found[f"{frame}: {line[:200]}"] += 1
            inside = False
    return found


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MB (psutil when installed, else /proc/<pid>/status)."""
    try:
        import psutil  # noqa: PLC0415  (optional)

        return psutil.Process(pid).memory_info().rss / 2**20
    except ImportError:
        pass
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for pid {pid}")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_jiffies() -> dict[str, int]:
    """The whole machine's CPU time so far by state (Linux /proc/stat, first line), in clock ticks."""
    names = ("user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal")
    values = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    return dict(zip(names, map(int, values), strict=False))


def machine_shares(before: dict[str, int], after: dict[str, int]) -> dict[str, float]:
    """Share of the machine's CPU time between two readings: busy, idle, and stolen by the hypervisor.

    On a virtual machine the host can run other guests on "our" cores: that time is `steal`. Measured on the
    2-core development machine with nothing else running, a busy loop got 0.86 of a core and vmstat showed 17-45%
    stolen, so a replica short of CPU here may be short of it at the host, not in our code."""
    spent = {k: after[k] - before.get(k, 0) for k in after}
    total = sum(spent.values()) or 1
    idle = spent["idle"] + spent.get("iowait", 0)
    steal = spent.get("steal", 0)
    return {"busy": (total - idle - steal) / total, "idle": idle / total, "steal": steal / total}


# ---------------------------------------------------------------------------------------------- one session


@dataclass
class Widget:
    id: str
    kind: str  # selectbox, radio, multiselect, button
    label: str
    options: tuple[str, ...] = ()
    sidebar: bool = False


@dataclass
class Run:
    """What one script run sent back."""

    sent: float
    page: str
    action: str
    latency: float | None = None
    status: str | None = None
    widgets: dict[str, Widget] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    notices: int = 0
    bytes: int = 0
    done: asyncio.Event = field(default_factory=asyncio.Event)


def page_label(path: str) -> str:
    return path or "overview"


class SessionError(Exception):
    pass


class Session:
    """One browser tab's worth of protocol: connect, rerun with widget changes, switch pages."""

    def __init__(self, url: str, name: str, rng: random.Random, cache_messages: bool = True) -> None:
        self.ws_url = url.replace("http://", "ws://", 1) + STREAM_PATH
        self.base_url = url
        self.name = name
        self.rng = rng
        self.cache_messages = cache_messages
        self.ws: ClientConnection | None = None
        self.reader: asyncio.Task | None = None
        self.pages: dict[str, str] = {}  # url path -> page script hash
        self.allowed: set[str] | None = None  # the pages it may switch to (None: every page the app lists)
        self.page = ""  # url path of the current page
        self.page_hash = ""
        self.query = ""
        self.values: dict[str, WidgetState] = {}  # widget id -> the value this tab has set
        self.widgets: dict[str, Widget] = {}  # widgets of the last run
        self.cached_hashes: dict[str, int] = {}  # message hash -> the run it was last sent or referenced in
        self.finished = 0  # script runs finished in this session
        self.current: Run | None = None
        self.runs: list[Run] = []
        self.closed_reason: str | None = None
        self.closed = asyncio.Event()  # set when the websocket ends (a browser notices at once and reconnects)
        self.cookie = ""  # the proxy's sticky cookie, sent back on every connection as a browser does
        self.replica = ""  # the replica the proxy said it chose (the cookie value), "" without a proxy
        self.replicas_seen: list[str] = []
        self.reconnects: list[tuple[float, float | None]] = []  # (disconnected at, view back at or None)

    async def connect(self) -> None:
        # No Origin header (like any non-browser client); max_size None: a chart can exceed the 1 MiB default.
        headers = {"Cookie": self.cookie} if self.cookie else {}
        self.ws = await connect(
            self.ws_url,
            subprotocols=["streamlit"],
            max_size=None,
            open_timeout=RERUN_TIMEOUT_S,
            ping_interval=None,
            additional_headers=headers,
        )
        set_cookie = self.ws.response.headers.get("set-cookie", "")
        if set_cookie.startswith(PROXY_COOKIE + "="):
            self.cookie = set_cookie.split(";", 1)[0]
        self.replica = self.cookie.split("=", 1)[1] if self.cookie else ""
        self.replicas_seen.append(self.replica)
        self.closed_reason = None
        self.closed.clear()
        self.reader = asyncio.create_task(self._read(), name=f"read-{self.name}")

    async def reconnect(self, give_up_after: float = RERUN_TIMEOUT_S) -> Run | None:
        """After a lost connection, as Streamlit's page does: connect again and reload the URL (the same view).

        Retries every 0.5 s; returns the reload's run, or None when no replica answered in time (a lost session).
        """
        lost_at = time.perf_counter()
        self.reconnects.append((lost_at, None))
        self.cached_hashes.clear()  # a new server session knows none of the old one's messages
        self.values.clear()  # the widgets take their values from the URL again
        while time.perf_counter() - lost_at < give_up_after:
            with contextlib.suppress(OSError, ConnectionClosed, TimeoutError, InvalidStatus, InvalidHandshake):
                await self.connect()
                run = await self.open(self.page, self.query, action="reconnect")
                if run.status is not None:
                    self.reconnects[-1] = (lost_at, time.perf_counter())
                    return run
            await asyncio.sleep(0.5)
        return None

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self.reader is not None:
            with contextlib.suppress(asyncio.CancelledError, ConnectionClosed):
                await self.reader

    # --- receiving

    async def _read(self) -> None:
        assert self.ws is not None
        try:
            async for data in self.ws:
                msg = ForwardMsg()
                msg.ParseFromString(data)
                self._handle(msg, len(data))
        except ConnectionClosed as err:
            self.closed_reason = f"disconnected: {err}"
        finally:
            if self.closed_reason is None:
                self.closed_reason = "disconnected by the server"
            self.closed.set()
            run = self.current
            if run is not None and not run.done.is_set():
                run.errors.append(self.closed_reason)
                run.done.set()

    def _handle(self, msg: ForwardMsg, size: int) -> None:
        run = self.current
        kind = msg.WhichOneof("type")
        if self.cache_messages and msg.metadata.cacheable and msg.hash:
            self.cached_hashes[msg.hash] = self.finished
        elif kind == "ref_hash" and msg.ref_hash in self.cached_hashes:
            self.cached_hashes[msg.ref_hash] = self.finished
        if run is not None:
            run.bytes += size
        if kind == "navigation":
            self.pages = {p.url_pathname: p.page_script_hash for p in msg.navigation.app_pages}
            self.page_hash = msg.navigation.page_script_hash
            self.page = next((p for p, h in self.pages.items() if h == self.page_hash), self.page)
        elif kind == "new_session":
            if msg.new_session.page_script_hash:
                self.page_hash = msg.new_session.page_script_hash
        elif kind == "page_info_changed":
            self.query = msg.page_info_changed.query_string
        elif kind == "page_not_found" and run is not None:
            run.errors.append(f"page not found: {msg.page_not_found.page_name!r}")
        elif kind == "delta" and run is not None:
            self._delta(msg, run)
        elif kind == "script_finished" and run is not None:
            status = FINISHED.get(msg.script_finished, str(msg.script_finished))
            if status == "early_for_rerun":  # the app asked for another run (st.rerun): wait for that one
                return
            run.status = status
            run.latency = time.perf_counter() - run.sent
            self.finished += 1
            if status == "compile_error":
                run.errors.append("script compile error")
            run.done.set()

    def _delta(self, msg: ForwardMsg, run: Run) -> None:
        delta = msg.delta
        if delta.WhichOneof("type") != "new_element":
            return
        element = delta.new_element
        kind = element.WhichOneof("type")
        sidebar = bool(msg.metadata.delta_path) and msg.metadata.delta_path[0] == 1
        if kind == "exception":
            exc = element.exception
            run.errors.append(f"exception on {run.page} after {run.action}: {exc.type} {exc.message}".strip())
        elif kind == "alert" and element.alert.format == element.alert.WARNING:
            run.notices += 1
        elif kind in SINGLE + MULTI:
            proto = getattr(element, kind)
            if not proto.disabled and not proto.form_id:
                run.widgets[proto.id] = Widget(proto.id, kind, proto.label, tuple(proto.options), sidebar)
        elif kind == "button":
            proto = element.button
            if not proto.disabled and not proto.form_id and not proto.is_form_submitter:
                run.widgets[proto.id] = Widget(proto.id, "button", proto.label, (), sidebar)

    # --- sending

    async def rerun(self, action: str, states: list[WidgetState], page_hash: str = "", page_name: str = "") -> Run:
        if self.ws is None or self.closed_reason is not None:
            raise SessionError(self.closed_reason or "not connected")
        run = Run(sent=time.perf_counter(), page=page_label(page_name or self.page), action=action)
        self.current = run
        msg = BackMsg()
        client = msg.rerun_script
        client.query_string = self.query
        client.page_script_hash = page_hash
        client.page_name = page_name
        client.widget_states.widgets.extend(states)
        # Like the browser's message cache: forget messages not used in the last MAX_CACHED_MESSAGE_AGE runs.
        self.cached_hashes = {
            h: seen for h, seen in self.cached_hashes.items() if self.finished - seen <= MAX_CACHED_MESSAGE_AGE
        }
        client.cached_message_hashes.extend(sorted(self.cached_hashes))
        info = client.context_info
        info.timezone = "Europe/Stockholm"
        info.timezone_offset = -60
        info.locale = "en-GB"
        info.url = f"{self.base_url}/{run.page}" + (f"?{self.query}" if self.query else "")
        run.sent = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        try:
            await asyncio.wait_for(run.done.wait(), RERUN_TIMEOUT_S)
        except TimeoutError:
            run.errors.append(f"timeout: no script_finished within {RERUN_TIMEOUT_S:.0f} s ({run.page}, {action})")
        self.current = None
        self.runs.append(run)
        if run.status is not None:
            self.widgets = run.widgets
            self._forget_stale_values()
        return run

    def _forget_stale_values(self) -> None:
        """Keep only values of widgets still shown, and still one of their options (options change)."""
        kept = {}
        for wid, state in self.values.items():
            widget = self.widgets.get(wid)
            if widget is None:
                continue
            chosen = [state.string_value] if widget.kind in SINGLE else list(state.string_array_value.data)
            if all(c in widget.options for c in chosen):
                kept[wid] = state
        self.values = kept

    async def open(self, page: str, query: str = "", action: str = "open") -> Run:
        """First load of a page (a deep link when `query` is given), as a browser does on opening a URL."""
        self.query = query
        self.page = page
        return await self.rerun(f"{action} /{page}" + ("?" + query if query else ""), [], page_name=page)

    async def step(self, switch_probability: float = 0.2, global_probability: float = 0.15) -> Run:
        """One user action: switch page, change a global (sidebar) control, or change/press one on the page."""
        rng = self.rng
        others = [p for p in self.pages if p != self.page and (self.allowed is None or p in self.allowed)]
        local = [w for w in self.widgets.values() if not w.sidebar and (w.kind == "button" or len(w.options) > 1)]
        sidebar = [w for w in self.widgets.values() if w.sidebar and len(w.options) > 1]
        roll = rng.random()
        nothing_to_change = not local and (not sidebar or global_probability <= 0)
        if others and (roll < switch_probability or nothing_to_change):
            target = rng.choice(others)
            # The sidebar's page links keep only the entrypoint's (global) parameters in the URL.
            self.query = "&".join(p for p in self.query.split("&") if p.split("=", 1)[0] in GLOBAL_KEYS)
            self.page = target
            return await self.rerun(f"switch to {page_label(target)}", self._states(), page_hash=self.pages[target])
        pool = sidebar if (roll < switch_probability + global_probability and sidebar) or not local else local
        widget = rng.choice(pool)
        if widget.kind == "button":
            press = WidgetState(id=widget.id, trigger_value=True)
            return await self.rerun(f"press {widget.label!r}", [*self._states(), press], page_hash=self.page_hash)
        state = WidgetState(id=widget.id)
        if widget.kind in SINGLE:
            previous = self.values.get(widget.id)
            choices = [o for o in widget.options if previous is None or o != previous.string_value]
            state.string_value = rng.choice(choices)
            shown = state.string_value
        else:
            picked = rng.sample(widget.options, k=rng.randint(1, min(4, len(widget.options))))
            state.string_array_value.data.extend(picked)
            shown = ", ".join(picked)
        self.values[widget.id] = state
        return await self.rerun(f"set {widget.label!r} = {shown[:60]}", self._states(), page_hash=self.page_hash)

    def _states(self) -> list[WidgetState]:
        return list(self.values.values())


# ---------------------------------------------------------------------------------------------- the load


def deep_links() -> list[tuple[str, str]]:
    """(page, query) links with valid codes from the domain package, opened by some sessions on arrival."""
    from decarb import view  # noqa: PLC0415  (imports pandas/plotly: only when needed)
    from decarb.metrics import STATUSES  # noqa: PLC0415
    from decarb.normalise import HOWS  # noqa: PLC0415
    from decarb.screens.progress import AREA_FILTERS  # noqa: PLC0415

    members = list(view.MEMBER_DEFINITIONS)
    target = view.TARGET_YEARS[0]
    return [
        ("", f"target={target}&members={members[-1]}"),
        ("countries", f"countries=SWE,IND,DEU&metric={HOWS[1]}"),
        ("countries", "countries=SWE"),
        ("sectors", f"rank_by={HOWS[2]}&compare=absolute"),
        ("progress", f"areas={list(AREA_FILTERS)[-1]}&status={STATUSES[0]},{STATUSES[1]}"),
        ("steel", "of=IND"),
        ("present", "slide=2"),
    ]


def pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(q) - 1]


@dataclass
class LoadConfig:
    sessions: int = 50
    duration: float = 60.0  # seconds of stepping after the warm-up (None with max_steps: until done)
    think: tuple[float, float] = (2.0, 6.0)  # seconds between a session's actions, uniform
    ramp: float = 10.0  # seconds over which sessions 11..N arrive
    max_steps: int | None = None  # per session (the smoke test); None: until the duration is over
    deep_link_share: float = 0.3
    switch_share: float = 0.2  # of actions: go to another page
    global_share: float = 0.15  # of actions: change a sidebar (global) control; these miss the caches most
    pages_in_order: bool = False  # session n opens page n (a warm-up of every page) instead of a random one
    pages: tuple[str, ...] = PAGES  # the pages sessions open and switch to (fewer: compare with an older mix)
    seed: int = 6
    # "steady": 10 sessions one after the other, then the rest over `ramp` s. "meeting": every session opens the
    # same shared deep link at a random moment within `arrival_window` s (a presenter shared it), then browses.
    scenario: str = "steady"
    arrival_window: float = 20.0
    kill_after: float | None = None  # seconds after the start: kill one replica (needs `kill`)
    reconnect: bool = True  # a session that loses its connection connects again and reloads its URL
    sample_every: float = 0.5  # seconds between RSS readings


SCENARIOS = ("steady", "meeting")
Pids = Callable[[], dict[str, int]]  # the server processes to measure, by name (replicas restart: asked each time)


@dataclass
class LoadState:
    sessions: list[Session] = field(default_factory=list)
    samples: list[tuple[float, dict[str, float]]] = field(default_factory=list)  # (time, rss MB per process)
    errors: list[str] = field(default_factory=list)
    error_at: list[float] = field(default_factory=list)  # when each error was seen
    stop_at: float = float("inf")

    def error(self, text: str) -> None:
        self.errors.append(text)
        self.error_at.append(time.perf_counter())


def rss_by_process(pids: Pids) -> dict[str, float]:
    readings = {}
    for name, pid in pids().items():
        with contextlib.suppress(OSError, RuntimeError):
            readings[name] = rss_mb(pid)
    return readings


def cpu_by_process(pids: Pids) -> dict[tuple[str, int], float]:
    readings = {}
    for name, pid in pids().items():
        with contextlib.suppress(OSError):
            readings[(name, pid)] = cpu_seconds(pid)
    return readings


async def _sampler(pids: Pids, state: LoadState, every: float = 0.5) -> None:
    while True:
        state.samples.append((time.perf_counter(), rss_by_process(pids)))
        await asyncio.sleep(every)


async def _arrive(
    url: str,
    number: int,
    config: LoadConfig,
    links: list[tuple[str, str]],
    state: LoadState,
    pages: list[str],
    link: tuple[str, str] | None = None,
) -> Session | None:
    rng = random.Random(config.seed * 1000 + number)
    session = Session(url, f"s{number}", rng)
    session.allowed = None if tuple(config.pages) == PAGES else set(config.pages)
    state.sessions.append(session)
    if link is not None:
        page, query = link
    elif config.pages_in_order:
        page, query = pages[(number - 1) % len(pages)], ""
    elif links and rng.random() < config.deep_link_share:
        page, query = rng.choice(links)
    else:
        page, query = rng.choice(pages), ""
    try:
        await session.connect()
        run = await session.open(page, query)
    except (OSError, SessionError, ConnectionClosed, TimeoutError, InvalidHandshake) as err:
        state.error(f"{session.name}: could not open {page}: {err!r}")
        return None
    for text in run.errors:
        state.error(f"{session.name}: {text}")
    return session if run.status is not None else None


async def _use(session: Session, config: LoadConfig, state: LoadState) -> None:
    rng = session.rng
    steps = 0
    while time.perf_counter() < state.stop_at and (config.max_steps is None or steps < config.max_steps):
        with contextlib.suppress(TimeoutError):  # thinking, unless the connection drops meanwhile
            await asyncio.wait_for(session.closed.wait(), rng.uniform(*config.think))
        if time.perf_counter() >= state.stop_at:
            break
        if session.closed.is_set():
            if not config.reconnect:
                state.error(f"{session.name}: {session.closed_reason}")
                return
            back = await session.reconnect()
            if back is None:
                state.error(f"{session.name}: lost: no replica reloaded its page within {RERUN_TIMEOUT_S:.0f} s")
                return
            for text in back.errors:
                state.error(f"{session.name}: {text}")
            continue
        try:
            run = await session.step(config.switch_share, config.global_share)
        except (SessionError, ConnectionClosed, OSError) as err:
            state.error(f"{session.name}: {err}")
            if config.reconnect and session.closed.is_set():
                continue
            return
        steps += 1
        for text in run.errors:
            state.error(f"{session.name}: {text}")
        if run.status is None and not (config.reconnect and session.closed.is_set()):
            return  # timed out: this tab is gone


async def _kill_one(
    config: LoadConfig,
    state: LoadState,
    started: float,
    kill: Callable[[list[Session]], str],
    proxy_states: Callable[[], dict[str, str]] | None,
    marks: dict[str, object],
) -> None:
    """At kill_after: kill a replica that has sessions, then time how long HAProxy still calls it up."""
    await asyncio.sleep(max(0.0, started + config.kill_after - time.perf_counter()))
    marks["killed_at"] = time.perf_counter()
    victim = await asyncio.to_thread(kill, state.sessions)
    marks["killed"] = victim
    marks["sessions_on_killed"] = sum(1 for s in state.sessions if s.replica == victim and not s.closed.is_set())
    while proxy_states is not None and time.perf_counter() - marks["killed_at"] < 30:
        states = await asyncio.to_thread(proxy_states)
        if states.get(victim, "UP") != "UP":
            marks["proxy_out_after_s"] = time.perf_counter() - marks["killed_at"]
            break
        await asyncio.sleep(0.1)


async def run_load(
    url: str,
    pids: Pids | None,
    config: LoadConfig,
    kill: Callable[[list[Session]], str] | None = None,
    proxy_states: Callable[[], dict[str, str]] | None = None,
) -> dict[str, object]:
    """Drive the server (or proxy) at `url`, measuring the processes `pids` names, and summarise what it held.

    With config.kill_after and `kill` (kills one replica, given the sessions; returns its name): the replica-loss
    figures too; `proxy_states` (replica name -> HAProxy status) times how long the proxy takes to notice.
    """
    state = LoadState()
    pages = list(config.pages)
    links = deep_links() if config.deep_link_share > 0 or config.scenario == "meeting" else []
    links = [link for link in links if link[0] in pages]
    sampler = asyncio.create_task(_sampler(pids, state, config.sample_every)) if pids else None
    marks: dict[str, object] = {"rss_idle": rss_by_process(pids) if pids else {}}
    client_cpu0 = time.process_time()

    warm: list[Session | None] = []
    if config.scenario == "steady":
        # Warm-up: 1 session (loads the data into the server's cache), then 9 more, one after the other.
        warm.append(await _arrive(url, 1, config, links, state, pages))
        marks["rss_1"] = rss_by_process(pids) if pids else {}
        for number in range(2, min(10, config.sessions) + 1):
            warm.append(await _arrive(url, number, config, links, state, pages))
        marks["rss_10"] = rss_by_process(pids) if pids and config.sessions >= 10 else {}

    started = time.perf_counter()
    state.stop_at = started + config.duration if config.max_steps is None else float("inf")
    cpu_at_start = cpu_by_process(pids) if pids else {}
    machine_at_start = machine_jiffies()
    users = [asyncio.create_task(_use(s, config, state)) for s in warm if s is not None]

    async def later(number: int, delay: float, link: tuple[str, str] | None) -> None:
        await asyncio.sleep(delay)
        if time.perf_counter() < state.stop_at:
            session = await _arrive(url, number, config, links, state, pages, link)
            if session is not None:
                await _use(session, config, state)

    if config.scenario == "meeting":
        shared = links[1]  # the presenter's link: several countries compared on one metric
        arrivals = random.Random(config.seed)
        users += [
            asyncio.create_task(later(n, arrivals.uniform(0, config.arrival_window), shared))
            for n in range(1, config.sessions + 1)
        ]
    else:
        users += [
            asyncio.create_task(later(n, config.ramp * (n - 10) / max(1, config.sessions - 10), None))
            for n in range(11, config.sessions + 1)
        ]
    killer = None
    if config.kill_after is not None and kill is not None:
        killer = asyncio.create_task(_kill_one(config, state, started, kill, proxy_states, marks))
    if config.max_steps is None:  # bounded in time: runs still waiting shortly after the end are cut off
        _, pending = await asyncio.wait(users, timeout=state.stop_at + END_GRACE_S - time.perf_counter())
        ended = time.perf_counter()
        waiting = [(s, s.current) for s in state.sessions if s.current is not None and not s.current.done.is_set()]
        for task in pending:
            task.cancel()
        await asyncio.gather(*users, return_exceptions=True)
    else:
        await asyncio.gather(*users)
        ended, waiting = time.perf_counter(), []
    if killer is not None:
        await killer
    elapsed = ended - started
    cpu_at_end = cpu_by_process(pids) if pids else {}
    machine = machine_shares(machine_at_start, machine_jiffies())
    # CPU share per process over the stepping, for processes that lived through it (a restarted replica does not).
    cpu_share = {
        name: (cpu_at_end[(name, pid)] - before) / elapsed
        for (name, pid), before in cpu_at_start.items()
        if (name, pid) in cpu_at_end and elapsed > 0
    }
    # Held: connected at the end, and the last run finished (or was still being served, not timed out).
    held = sum(1 for s in state.sessions if s.closed_reason is None and s.runs and s.runs[-1].status is not None)
    rss_end = rss_by_process(pids) if pids else {}
    for session in state.sessions:
        await session.close()
    if sampler is not None:
        sampler.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await sampler

    runs = [r for s in state.sessions for r in s.runs]
    stepped = [r for r in runs if r.sent >= started and r.latency is not None]
    # Runs cut off at the end count with their waiting time so far (a lower bound): no survivor bias.
    latencies = sorted([r.latency for r in stepped] + [ended - r.sent for _, r in waiting if r.sent >= started])
    opens = sorted(r.latency for r in runs if r.action.startswith("open") and r.latency is not None)
    by_page: dict[str, list[float]] = {}
    for r in stepped:
        by_page.setdefault(r.page, []).append(r.latency)
    servers = [name for name in (pids() if pids else {}) if name != "haproxy"]
    readings = [*(m for _, m in state.samples), *(marks.get(k, {}) for k in ("rss_idle", "rss_1", "rss_10")), rss_end]

    def total(reading: dict[str, float]) -> float | None:
        shown = [v for k, v in reading.items() if k != "haproxy"]
        return sum(shown) if shown else None

    peaks = {name: max((r[name] for r in readings if name in r), default=None) for name in servers}
    totals = [t for t in map(total, readings) if t is not None]
    peak = max(totals, default=None)
    rss_1, rss_10 = total(marks.get("rss_1", {})), total(marks.get("rss_10", {}))
    result: dict[str, object] = {
        "scenario": config.scenario,
        "sessions": config.sessions,
        "sessions_held": held,
        "replicas": len(servers),
        "runs": len(stepped),
        "runs_per_s": len(stepped) / elapsed if elapsed > 0 else 0.0,
        "p50_s": pct(latencies, 50),
        "p95_s": pct(latencies, 95),
        "max_s": latencies[-1] if latencies else None,
        "open_p50_s": pct(opens, 50),
        "open_p95_s": pct(opens, 95),
        "errors": len(state.errors),
        "notices": sum(r.notices for r in runs),
        "reruns_sent": len(runs),
        "reruns_finished": sum(1 for r in runs if r.status is not None),
        "in_flight_at_end": len(waiting),
        "rss_idle_mb": total(marks["rss_idle"]),
        "rss_1_session_mb": rss_1,
        "rss_10_sessions_mb": rss_10,
        "rss_per_extra_session_mb": (rss_10 - rss_1) / 9 if rss_1 is not None and rss_10 is not None else None,
        "rss_peak_mb": peak,
        "rss_peak_per_replica_mb": peaks,
        "rss_per_session_at_peak_mb": (peak - rss_1) / (config.sessions - 1)
        if peak is not None and rss_1 is not None and config.sessions > 1
        else None,
        "rss_end_mb": total(rss_end),
        "server_cpu_share": sum(v for k, v in cpu_share.items() if k != "haproxy") if cpu_share else None,
        "cpu_share_per_process": cpu_share,
        "machine_cpu": machine,
        "client_cpu_s": time.process_time() - client_cpu0,
        "client_cpu_share": (time.process_time() - client_cpu0) / elapsed if elapsed > 0 else None,
        "sessions_per_replica": dict(Counter(s.replicas_seen[0] for s in state.sessions if s.replicas_seen)),
        "duration_s": elapsed,
        "think_s": f"{config.think[0]:g}-{config.think[1]:g}",
        "mix": f"switch {config.switch_share:g}, global {config.global_share:g}",
        "page_p95_s": {p: pct(sorted(v), 95) for p, v in sorted(by_page.items())},
        "page_runs": {p: len(v) for p, v in sorted(by_page.items())},
        "error_list": state.errors,
        "actions": Counter(r.action.split(" ")[0] for r in runs),
        "rss_samples": [(t - started, total(m)) for t, m in state.samples if total(m) is not None],
    }
    if "killed_at" in marks:
        killed_at = marks["killed_at"]
        victim = marks.get("killed")
        moved = [s for s in state.sessions if any(lost >= killed_at for lost, _ in s.reconnects)]
        back = [end for s in moved for lost, end in s.reconnects if lost >= killed_at and end is not None]
        result.update(
            {
                "killed_replica": victim,
                "sessions_on_killed": marks.get("sessions_on_killed"),
                "proxy_out_after_s": marks.get("proxy_out_after_s"),
                "sessions_reconnected": len(back),
                "sessions_lost": len(moved) - len(back),
                "recovered_after_s": max(back) - killed_at if back else None,
                "errors_after_kill": sum(1 for t in state.error_at if t >= killed_at),
                "reconnected_to": dict(Counter(s.replica for s in moved if s.reconnects[-1][1] is not None)),
            }
        )
    return result


def report(result: dict[str, object]) -> None:
    def fmt(value: object, unit: str = "") -> str:
        return "n/a" if value is None else (f"{value:.2f}{unit}" if isinstance(value, float) else f"{value}{unit}")

    p95 = result["p95_s"]
    met = (
        p95 is not None and p95 < GOAL_P95_S and result["errors"] == 0 and result["sessions_held"] == result["sessions"]
    )
    where = f"{result['replicas']} replicas behind HAProxy" if result.get("proxy") else "one server, no proxy"
    print(
        f"{result['scenario']}: {where}; sessions {result['sessions']} (held to the end: "
        f"{result['sessions_held']}), think time {result['think_s']} s, actions {result['mix']}, "
        f"{fmt(result['duration_s'], ' s')} of stepping; 1-min load average before the run "
        f"{fmt(result.get('load_before'))} on {os.cpu_count()} cores"
    )
    print(
        f"page runs {result['runs']} ({fmt(result['runs_per_s'])}/s); latency send -> script_finished "
        f"p50 {fmt(result['p50_s'], ' s')}, p95 {fmt(result['p95_s'], ' s')}, max {fmt(result['max_s'], ' s')}; "
        f"first load p50 {fmt(result['open_p50_s'], ' s')}, p95 {fmt(result['open_p95_s'], ' s')}"
    )
    print(
        f"errors {result['errors']}; warnings shown (notices) {result['notices']}; reruns sent "
        f"{result['reruns_sent']}, finished {result['reruns_finished']}, cut off at the end "
        f"{result['in_flight_at_end']}; actions {dict(result['actions'])}"
    )
    print(
        "per page p95 (runs): "
        + ", ".join(f"{p} {fmt(v, ' s')} ({result['page_runs'][p]})" for p, v in result["page_p95_s"].items())
    )
    print(
        f"server RSS (all replicas) idle {fmt(result['rss_idle_mb'], ' MB')}, "
        f"1 session {fmt(result['rss_1_session_mb'], ' MB')}, 10 sessions {fmt(result['rss_10_sessions_mb'], ' MB')}"
        f", peak {fmt(result['rss_peak_mb'], ' MB')}, end {fmt(result['rss_end_mb'], ' MB')}; peak per replica "
        + ", ".join(f"{k} {fmt(v, ' MB')}" for k, v in result["rss_peak_per_replica_mb"].items())
    )
    print(
        "CPU (cores busy while stepping): "
        + ", ".join(f"{k} {v:.2f}" for k, v in result["cpu_share_per_process"].items())
        + f"; load client (this process) {fmt(result['client_cpu_share'])} "
        f"({fmt(result['client_cpu_s'], ' s')})"
    )
    shares = cast(dict[str, float], result["machine_cpu"])
    print(
        f"machine CPU while stepping: busy {shares['busy']:.0%}, idle {shares['idle']:.0%}, "
        f"stolen by the hypervisor {shares['steal']:.0%}"
    )
    if result["sessions_per_replica"] and result.get("proxy"):
        print(f"sessions per replica (the proxy's first choice): {result['sessions_per_replica']}")
    if "killed_replica" in result:
        print(
            f"replica killed: {result['killed_replica']} with {result['sessions_on_killed']} sessions; HAProxy had "
            f"it out after {fmt(result['proxy_out_after_s'], ' s')}; sessions reconnected "
            f"{result['sessions_reconnected']} (to {result['reconnected_to']}), lost {result['sessions_lost']}; "
            f"all back after {fmt(result['recovered_after_s'], ' s')}; errors seen after the kill "
            f"{result['errors_after_kill']}"
        )
    if result["runs"]:
        print(f"goal (all sessions held, 0 errors, p95 < {GOAL_P95_S:g} s): {'met' if met else 'NOT met'}")
    for line in result["error_list"][:15]:
        print(f"  error: {line}")
    if result.get("profile"):
        print(result["profile"])


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=int(os.environ.get("BENCH_LOAD_SESSIONS", 50)))
    parser.add_argument(
        "--duration",
        type=float,
        default=float(os.environ.get("BENCH_LOAD_DURATION", 60)),
        help="seconds of stepping after the warm-up (at most 90)",
    )
    parser.add_argument("--think", type=float, nargs=2, default=(2.0, 6.0), metavar=("MIN", "MAX"))
    parser.add_argument("--ramp", type=float, default=10.0)
    parser.add_argument("--switch-share", type=float, default=0.2, help="share of actions that switch page")
    parser.add_argument(
        "--global-share", type=float, default=0.15, help="share of actions that change a sidebar (global) control"
    )
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--scenario", choices=SCENARIOS, default="steady")
    parser.add_argument(
        "--replicas",
        type=int,
        default=0,
        help="N > 0: start `make serve`'s HAProxy and N replicas and load them through the proxy",
    )
    parser.add_argument(
        "--kill-after", type=float, help="seconds into the run: kill one replica (SIGKILL) and report the recovery"
    )
    parser.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="for the servers, e.g. STREAMLIT_RUNNER_POST_SCRIPT_GC=true to reproduce the default",
    )
    parser.add_argument(
        "--profile",
        type=float,
        metavar="SECONDS",
        help="py-spy record --gil on the (first) server for this long during the run",
    )
    parser.add_argument(
        "--pages", help="comma-separated url paths (Overview: empty) sessions use, e.g. a mix without a newer page"
    )
    parser.add_argument("--url", help="an already running server on 127.0.0.1 (memory is then not measured)")
    parser.add_argument(
        "--warm",
        action="store_true",
        help="only open every page once, one session each (a warm-up before taking traffic)",
    )
    args = parser.parse_args(argv if argv is not None else [])
    if not 1 <= args.sessions <= 200 or not 0 < args.duration <= 90:
        parser.error("bounded on purpose: 1-200 sessions, at most 90 s")
    if args.url and not args.url.startswith(("http://127.0.0.1:", "http://localhost:")):
        parser.error("loopback only")
    if args.kill_after is not None and args.replicas < 2:
        parser.error("--kill-after needs --replicas 2 or more (someone must take the sessions)")
    if any("=" not in e for e in args.env):
        parser.error("--env takes NAME=VALUE")
    return args


def warm_up(url: str) -> list[str]:
    """One session per page on one server (its data loaded, the default views cached); the errors seen."""
    config = LoadConfig(sessions=len(PAGES), max_steps=0, deep_link_share=0.0, pages_in_order=True, ramp=0.0)
    return asyncio.run(run_load(url, None, config))["error_list"]


def _with_profile(args: argparse.Namespace, pid: int, load: Callable[[], dict[str, object]]) -> dict[str, object]:
    """Run `load`, with py-spy recording `pid` from 15 s in (the sessions have arrived) when asked."""
    if not args.profile:
        return load()
    from bench import profile  # noqa: PLC0415

    out = ROOT / "artifacts" / f"profile-{os.getpid()}.txt"
    timer_result: dict[str, object] = {}

    def record() -> None:
        time.sleep(15)
        spy = profile.start_recording(pid, args.profile, out)
        timer_result["stderr"] = spy.communicate()[1].decode(errors="replace")

    thread = threading.Thread(target=record, daemon=True)
    thread.start()
    result = load()
    thread.join(timeout=args.profile + 30)
    result["profile"] = profile.describe(out) if out.exists() else f"py-spy wrote nothing: {timer_result}"
    return result


def main(argv: list[str] | None = None) -> dict[str, object]:
    args = parse_args(argv)
    load_before = os.getloadavg()[0]
    config = LoadConfig(
        sessions=args.sessions,
        duration=args.duration,
        think=tuple(args.think),
        ramp=args.ramp,
        switch_share=args.switch_share,
        global_share=args.global_share,
        seed=args.seed,
        scenario=args.scenario,
        kill_after=args.kill_after,
        pages=tuple(args.pages.split(",")) if args.pages else PAGES,
    )
    env = dict(e.split("=", 1) for e in args.env)
    if args.warm:
        config = LoadConfig(sessions=len(PAGES), max_steps=0, deep_link_share=0.0, pages_in_order=True, ramp=0.0)
    if args.url:
        result = asyncio.run(run_load(args.url.rstrip("/"), None, config))
    elif args.replicas:
        from deploy.serve import running_cluster  # noqa: PLC0415

        logs = ROOT / "artifacts" / f"serve-bench-{args.scenario}"  # kept: HAProxy's log says when it cut a replica
        with running_cluster(args.replicas, env_extra=env, folder=logs) as cluster:
            for replica in cluster.replicas:  # readiness, as docs/deploy.md says: each replica warm before traffic
                for line in warm_up(replica.url):
                    print(f"  warm-up error on {replica.name}: {line}")
            watcher = threading.Thread(target=cluster.watch, daemon=True)  # restarts a killed replica
            watcher.start()

            def pids() -> dict[str, int]:
                return {**cluster.pids(), "haproxy": cluster.haproxy.pid}

            def kill(sessions: list[Session]) -> str:
                # The replica holding the most connected sessions: the worst case for a meeting.
                held = Counter(s.replica for s in sessions if not s.closed.is_set())
                busiest = max(cluster.replicas, key=lambda r: held[r.name])
                os.kill(busiest.proc.pid, signal.SIGKILL)
                return busiest.name

            first = cluster.replicas[0].proc.pid
            result = _with_profile(
                args,
                first,
                lambda: asyncio.run(run_load(cluster.url, pids, config, kill=kill, proxy_states=cluster.server_states)),
            )
            result["proxy"] = True
            result["restarts"] = {r.name: r.restarts for r in cluster.replicas}
            exceptions = Counter()
            for replica in cluster.replicas:
                exceptions += log_exceptions(replica.log)
            result["server_exceptions"] = exceptions
            result["proxy_log"] = [
                line
                for line in (logs / "haproxy.log").read_text(errors="replace").splitlines()
                if " is DOWN" in line or " is UP" in line
            ][:10]
    else:
        with running_server(env=env) as server:
            result = _with_profile(
                args, server.pid, lambda: asyncio.run(run_load(server.url, lambda: {"server": server.pid}, config))
            )
            result["server_exceptions"] = log_exceptions(server.log)
            if result["errors"] or result["server_exceptions"]:
                server.keep_log = True
                print(f"server log kept: {server.log}")
    result["load_before"] = load_before
    report(result)
    for line in result.get("proxy_log", []):
        print(f"  HAProxy: {line}")
    for line, count in result.get("server_exceptions", Counter()).most_common(10):
        print(f"  server log, {count}x: {line}")
    keep = (
        "scenario",
        "replicas",
        "sessions",
        "sessions_held",
        "runs",
        "runs_per_s",
        "p50_s",
        "p95_s",
        "max_s",
        "open_p95_s",
        "errors",
        "rss_idle_mb",
        "rss_1_session_mb",
        "rss_10_sessions_mb",
        "rss_per_extra_session_mb",
        "rss_peak_mb",
        "rss_peak_per_replica_mb",
        "rss_per_session_at_peak_mb",
        "server_cpu_share",
        "cpu_share_per_process",
        "machine_cpu",
        "client_cpu_s",
        "client_cpu_share",
        "load_before",
        "killed_replica",
        "sessions_on_killed",
        "proxy_out_after_s",
        "sessions_reconnected",
        "sessions_lost",
        "recovered_after_s",
        "errors_after_kill",
    )
    return {k: result[k] for k in keep if k in result}


if __name__ == "__main__":
    figures = main(sys.argv[1:])
    sys.exit(0 if figures["errors"] == 0 and figures["sessions_held"] == figures["sessions"] else 1)
