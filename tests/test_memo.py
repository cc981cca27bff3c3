"""The shared memo: one computation per key while other threads wait, LRU bound, entries tied to live objects."""

from __future__ import annotations

import ast
import gc
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pytest

from decarb.data import manifest_fingerprint
from decarb.memo import Memo, cached, call_key

ROOT = Path(__file__).resolve().parent.parent


def test_one_computation_per_key_while_other_threads_wait():
    memo, calls, started, release = Memo(), [], threading.Event(), threading.Event()

    def compute() -> int:
        calls.append(1)
        started.set()
        release.wait(5)
        return 42

    with ThreadPoolExecutor(8) as pool:
        first = pool.submit(memo.get, "k", compute)
        assert started.wait(5)
        waiting = [pool.submit(memo.get, "k", compute) for _ in range(7)]
        release.set()
        results = [first.result(5), *(w.result(5) for w in waiting)]
    assert results == [42] * 8
    assert len(calls) == 1


def test_other_keys_are_computed_while_one_is_computing():
    memo, release = Memo(), threading.Event()
    with ThreadPoolExecutor(2) as pool:
        slow = pool.submit(memo.get, "slow", lambda: release.wait(5) and "slow")
        assert memo.get("fast", lambda: "fast") == "fast"  # not blocked by the slow key
        release.set()
        assert slow.result(5) == "slow"


def test_a_failed_computation_is_not_stored_and_runs_again():
    memo, calls = Memo(), []

    def fail() -> None:
        calls.append(1)
        raise ValueError("no data")

    for _ in range(2):
        with pytest.raises(ValueError, match="no data"):
            memo.get("k", fail)
    assert len(calls) == 2 and "k" not in memo


def test_least_recently_used_entries_are_dropped_beyond_the_bound():
    memo = Memo(max_entries=2)
    memo.get("a", lambda: 1)
    memo.get("b", lambda: 2)
    memo.get("a", lambda: 0)  # a is now the most recent
    memo.get("c", lambda: 3)
    assert "a" in memo and "c" in memo and "b" not in memo


def test_results_of_an_object_are_kept_while_it_lives_and_dropped_after():
    memo = Memo()
    frame = pd.DataFrame({"value": [1.0, 2.0]})
    total = float(frame["value"].sum())
    first = memo.of_object(frame, "sum", lambda: total)
    assert first == 3.0
    assert memo.of_object(frame, "sum", lambda: -1.0) == 3.0  # stored
    other = pd.DataFrame({"value": [5.0]})
    assert memo.of_object(other, "sum", lambda: float(other["value"].sum())) == 5.0
    key = ("object", id(frame), "sum")
    del frame
    gc.collect()
    memo.get("anything", lambda: None)  # the next lookup drops the dead object's entry
    assert key not in memo


def test_drop_forgets_the_unwanted_keys():
    memo = Memo()
    for key in (("result", "old", "f"), ("result", "new", "f"), "other"):
        memo.get(key, lambda: 1)
    memo.drop(lambda k: isinstance(k, tuple) and k[1] == "old")
    assert ("result", "old", "f") not in memo and ("result", "new", "f") in memo and "other" in memo


def test_the_dataset_carries_the_fingerprint_of_its_manifest(ds):
    assert len(ds.fingerprint) == 64 and ds.fingerprint == manifest_fingerprint()


def _total(ds, sector: str = "heavy_industry", scale: float = 1.0) -> pd.DataFrame:
    return pd.DataFrame({"sector": [sector], "value": [scale * len(ds.areas)]})


def test_one_entry_per_call_however_it_is_spelled(ds):
    first = cached(_total, ds)
    assert cached(_total, ds, "heavy_industry") is first
    assert cached(_total, ds, sector="heavy_industry", scale=1.0) is first
    assert cached(_total, ds, "heavy_industry", 1.0) is first  # every parameter in order: no binding needed
    assert cached(_total, ds, "cement") is not first
    assert call_key(_total, (ds, "heavy_industry", 1), {}) != call_key(_total, (ds, "heavy_industry", 1.0), {})


def test_what_the_cache_hands_out_cannot_be_changed(ds):
    frame = cached(_total, ds, "iron_steel")
    with pytest.raises(ValueError, match="read-only"):
        frame.loc[0, "value"] = 0.0
    names = ds.derived(_names)
    with pytest.raises(TypeError):
        names["SWE"] = "changed"  # type: ignore[index]
    derived = frame.assign(value=frame["value"] * 2)  # deriving a new frame still works (copy-on-write)
    assert float(derived["value"].iloc[0]) == 2 * float(frame["value"].iloc[0])


def _names(ds) -> dict[str, str]:
    return dict(zip(ds.areas["iso3"], ds.areas["name"], strict=True))


def test_only_the_boundary_imports_the_cache():
    """The analytics and screens take data and return results; the UI and the briefing's command line cache."""
    allowed = {"decarb/memo.py", "decarb/briefing/__main__.py"}
    importers = set()
    for path in sorted((ROOT / "decarb").rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [node.module] if isinstance(node, ast.ImportFrom) else []
            names += [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if "decarb.memo" in names:
                importers.add(relative)
    outside = {p for p in importers - allowed if not p.startswith("decarb/ui/")}
    assert not outside, f"modules outside the boundary import decarb.memo: {sorted(outside)}"


def test_a_cached_chart_description_cannot_be_changed_and_draws_a_new_figure_each_time(ds):
    """A screen's chart is a description shared by every session: its words, options and rows are read-only, and
    each drawing of it is a figure of its own (the page draws it once per description, decarb.ui.widgets.drawn)."""
    from decarb.render.draw import draw
    from decarb.screens.sectors import group_comparison
    from decarb.view import View

    spec = cached(group_comparison, ds, View(), "heavy_industry", "index")
    with pytest.raises(TypeError):
        spec.options["title"] = "changed"  # type: ignore[index]
    assert not spec.data["value"].to_numpy().flags.writeable
    first, second = draw(spec), draw(spec)
    assert first.fig is not second.fig and first.fig.to_dict() == second.fig.to_dict()
    first.fig.layout.title.text = "changed"
    assert draw(spec).fig.layout.title.text == f"<b>{spec.options['title']}</b>"
