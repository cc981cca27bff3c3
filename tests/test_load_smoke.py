"""Smoke test of the load client (bench/load.py) on the real server: 3 websocket sessions, a few reruns each.

It keeps the protocol client honest (it must still speak Streamlit's websocket protocol after an upgrade) and
catches a page that raises when controls change. Set SKIP_LOAD_SMOKE=1 to skip it (the reason is shown).
"""

from __future__ import annotations

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor

import pytest

from bench import load

STEPS = 3  # reruns per session after its first load


@pytest.mark.timeout(120)
@pytest.mark.skipif(bool(os.environ.get("SKIP_LOAD_SMOKE")), reason="SKIP_LOAD_SMOKE is set")
def test_sessions_change_controls_and_every_rerun_finishes() -> None:
    from decarb.data import DataUnavailable, load_dataset

    try:
        load_dataset(verify=False)
    except DataUnavailable as err:
        pytest.skip(f"processed data absent ({err}); `make test` builds it first")
    config = load.LoadConfig(sessions=3, max_steps=STEPS, think=(0.05, 0.2), ramp=0.0, deep_link_share=0.5, seed=3)
    with load.running_server() as server:
        # Its own thread and event loop: Playwright's sync API (browser tests) keeps a loop in the main thread.
        with ThreadPoolExecutor(1) as pool:
            run = load.run_load(server.url, lambda: {"server": server.pid}, config)
            result = pool.submit(asyncio.run, run).result()
        exceptions = load.log_exceptions(server.log)

    assert result["errors"] == 0, (result["error_list"], dict(exceptions))
    assert not exceptions, dict(exceptions)
    assert result["reruns_sent"] == 3 * (1 + STEPS)
    assert result["reruns_finished"] == result["reruns_sent"], "a rerun got no script_finished"
    assert result["sessions_held"] == 3
    assert result["rss_idle_mb"] > 0 and result["rss_peak_mb"] >= result["rss_1_session_mb"] > 0
