"""The real server on a free port, and Debian's chromium driven by Playwright, shared by the browser journeys."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator

import pytest

from bench.server import CHROMIUM, CHROMIUM_ARGS, ROOT, start_server, stop_server

SCREENSHOTS = ROOT / "artifacts" / "screenshots"


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
