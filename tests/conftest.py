"""Shared fixtures: the tiny raw extract, builds of it, and the real processed data."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis.configuration import set_hypothesis_home_dir

from bench.server import CHROMIUM, CHROMIUM_ARGS, start_server, stop_server

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts"  # everything a test run writes (git-ignored): screenshots, slides, Hypothesis data
SCREENSHOTS = ARTIFACTS / "screenshots"

# Property tests: no per-example deadline (2 shared cores are noisy); on CI, derandomised so a run is repeatable.
# Hypothesis keeps its example database and caches in artifacts/, not in a .hypothesis/ folder in the tree.
set_hypothesis_home_dir(ARTIFACTS / "hypothesis")
settings.register_profile("dev", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
FIXTURE_RAW = ROOT / "tests" / "fixtures" / "raw"
FIXTURE_COUNTRIES = 3  # the extract keeps Sweden, India and Germany (tests/fixtures/make_raw.py)


# `make test` runs on pytest-xdist workers. Tests that start the real server, chromium or `make serve` (many processes
# each, and faults with timeouts) run one after another within their group, with one server and one browser per
# worker; the journeys are a group of their own (the longest: alone they were the suite's long pole); the
# LibreOffice renderings of the deck share one worker (each source's deck is rendered once, into one artifacts
# folder); every other test goes to whichever worker is free. By path, as the scheduler sees only node ids.
SERIAL_GROUPS = {
    "tests/browser/": "servers",
    "tests/journeys/": "journeys",
    "tests/test_serve.py": "servers",
    "tests/test_load_smoke.py": "servers",
    "tests/office/": "office",
}


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object:
    """For `-n N` (xdist's default --dist load); an explicit other --dist is left to xdist."""
    if config.getvalue("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class SerialGroups(LoadScopeScheduling):
        """Each group of SERIAL_GROUPS is one unit of work (the largest go first); every other test is its own."""

        def _split_scope(self, nodeid: str) -> str:
            return next((group for prefix, group in SERIAL_GROUPS.items() if nodeid.startswith(prefix)), nodeid)

    return SerialGroups(config, log)


def tree_digest(directory: Path) -> dict[str, str]:
    """Every file below a folder with its sha256: equal digests mean byte-identical trees."""
    return {
        str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def raw_copy(tmp_path: Path) -> Path:
    """A writable copy of the tiny raw extract, to break in a test."""
    target = tmp_path / "raw"
    shutil.copytree(FIXTURE_RAW, target)
    return target


@pytest.fixture(scope="session")
def fixture_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny extract, built once per session (read-only for tests: copy it before changing it)."""
    from etl.build import build

    out = tmp_path_factory.mktemp("fixture-build") / "processed"
    build(FIXTURE_RAW, out, force=True, progress=False, min_countries=FIXTURE_COUNTRIES)
    return out


@pytest.fixture(scope="session")
def ds():
    """The real processed data, loaded once per test run (`make test` builds it before running the suite), its
    derived tables shared through the cache as in the app (decarb.memo.sharing)."""
    from decarb.data import DataUnavailable, load_dataset
    from decarb.memo import sharing

    try:
        return sharing(load_dataset())
    except DataUnavailable as err:
        if os.environ.get("CI"):
            pytest.fail(f"processed data absent on CI ({err})")
        pytest.skip(f"processed data absent ({err}); `make test` builds it first")


# --- The real server and Debian's chromium (tests/browser and tests/journeys) ------------------------------------
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
            tempfile.mkdtemp(dir=tmp_path_factory.getbasetemp()),
            executable_path=str(CHROMIUM),
            headless=True,
            accept_downloads=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1400, "height": 1800},
        )
        context.requests = []  # type: ignore[attr-defined]
        context.on("request", lambda request: context.requests.append(request.url))  # type: ignore[attr-defined]
        yield context
        context.close()
