"""The build under faults: years that cannot be, refused files that must leave no trace, files changed while
read, a build killed at any point of its switch, two builds at once, special files and a full disk."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pandas as pd
import pytest

from breakers import MEMBERS, TRACE, edit_csv, set_cell
from conftest import FIXTURE_COUNTRIES, FIXTURE_RAW, ROOT, tree_digest
from decarb.data import DataUnavailable, load_dataset
from etl import build as build_module
from etl import output
from etl.__main__ import main

pytestmark = pytest.mark.corpus  # real builds and subprocesses: in `make test`, not in `make test-fast`
NEXT_YEAR = dt.date.today().year + 1


def run_etl(raw: Path, out: Path, *extra: str) -> int:
    return main(
        ["--raw-dir", str(raw), "--out-dir", str(out), "--quiet", "--min-countries", str(FIXTURE_COUNTRIES), *extra]
    )


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), lines
    return lines[0]


def leftovers(out: Path) -> list[str]:
    """Build folders beside out other than the one it points to."""
    current = output.current_build(out)
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith((".build-", ".old-")) and p.name != current)


@pytest.fixture
def built(fixture_build: Path, tmp_path: Path) -> Path:
    """A copy of the fixture build in the layout the build makes: `processed` a symlink to its build folder."""
    target = tmp_path / "processed"
    folder = tmp_path / ".build-processed-1"
    shutil.copytree(fixture_build, folder)
    target.symlink_to(folder.name)
    return target


def trace_years(raw: Path) -> tuple[int, list[int]]:
    """The latest Climate TRACE year the build keeps, and the years sources.json excludes."""
    excluded = [int(y) for y in json.loads((raw / "sources.json").read_text())["climate_trace"]["exclude_years"]]
    years = set(pd.read_csv(raw / TRACE)["year"]) - set(excluded)
    return max(years), excluded


def scale_year(year: int, factor: float):
    def change(frame: pd.DataFrame) -> pd.DataFrame:
        rows = frame["year"] == str(year)
        frame.loc[rows, "sector_emissions_quantity"] = (
            frame.loc[rows, "sector_emissions_quantity"].astype(float) * factor
        ).astype(str)
        return frame

    return edit_csv(TRACE, change)


# --- Years -------------------------------------------------------------------------------------------------------
def test_a_year_after_the_current_year_is_refused_naming_file_and_year(raw_copy, built, capsys):
    before = tree_digest(built), sha(raw_copy / "sources.json")
    edit_csv(TRACE, set_cell(3, "year", str(NEXT_YEAR + 4)))(raw_copy)
    assert run_etl(raw_copy, built, "--accept", TRACE) == 1
    line = one_error_line(capsys)
    assert "climate_trace_sector_level_summary.csv" in line and f"year {NEXT_YEAR + 4}" in line
    assert "after the current year" in line
    assert (tree_digest(built), sha(raw_copy / "sources.json")) == before


def test_a_partial_latest_year_is_refused_until_the_analyst_excludes_it(raw_copy, built, capsys):
    latest, excluded = trace_years(raw_copy)
    scale_year(latest, 0.25)(raw_copy)  # a quarter of a year, as a download made in April
    before = sha(raw_copy / "sources.json")
    assert run_etl(raw_copy, built, "--accept", TRACE) == 1
    line = one_error_line(capsys)
    assert "climate_trace_sector_level_summary.csv" in line and f"year {latest}: a partial year?" in line
    assert "exclude_years" in line
    assert sha(raw_copy / "sources.json") == before

    sources = json.loads((raw_copy / "sources.json").read_text())
    sources["climate_trace"]["exclude_years"][str(latest)] = "a quarter of the year in this download"
    (raw_copy / "sources.json").write_text(json.dumps(sources, indent=2))
    assert run_etl(raw_copy, built, "--accept", TRACE) == 0
    ds = load_dataset(built)
    trace = ds.emissions[ds.emissions["source"] == "climate_trace"]
    assert int(trace["year"].max()) == latest - 1 and latest not in set(excluded)
    assert any(f"year {latest} excluded: a quarter of the year" in note for note in ds.manifest.quality_notes)


def test_a_lower_but_complete_latest_year_is_built(raw_copy, built):
    """A real fall (a recession: most areas down by a third) is not a partial year."""
    latest, _ = trace_years(raw_copy)
    scale_year(latest, 0.67)(raw_copy)
    assert run_etl(raw_copy, built, "--accept", TRACE) == 0


# --- Nothing recorded unless the build succeeds ----------------------------------------------------------------
def test_a_refused_accept_records_nothing_and_the_good_file_builds_again(raw_copy, built, capsys):
    good = (raw_copy / MEMBERS).read_bytes()
    before = sha(raw_copy / "sources.json")
    edit_csv(MEMBERS, set_cell(0, "member", ""))(raw_copy)
    assert run_etl(raw_copy, built, "--accept", MEMBERS) == 1
    assert "leadit_members.csv" in one_error_line(capsys)
    assert sha(raw_copy / "sources.json") == before
    (raw_copy / MEMBERS).write_bytes(good)
    assert run_etl(raw_copy, built, "--force") == 0, capsys.readouterr().err


# --- The bytes checksummed are the bytes parsed ------------------------------------------------------------------
def test_a_file_changed_during_the_build_is_built_from_the_bytes_that_were_checksummed(raw_copy, built, monkeypatch):
    original = pd.read_csv(raw_copy / MEMBERS, dtype=str, keep_default_na=False)

    def edit_members_on_disk(raw_dir: Path, sources: dict, parts: build_module.Parts) -> None:
        """Runs after the checksums and before the leadit step reads its files: another process's edit."""
        edit_csv(MEMBERS, set_cell(0, "member", "Edited while the build ran"))(raw_dir)

    monkeypatch.setattr(build_module, "STEPS", {"edit_on_disk": edit_members_on_disk, **build_module.STEPS})
    assert run_etl(raw_copy, built, "--force") == 0
    members = load_dataset(built).members
    assert members["member"].tolist() == original["member"].tolist()


def test_every_raw_file_is_opened_once_by_a_build(tmp_path):
    """A real build in its own process, every open() under the raw folder recorded by an audit hook."""
    script = textwrap.dedent(
        f"""
        import json, os, sys
        from collections import Counter
        from pathlib import Path
        raw = {str(FIXTURE_RAW)!r}
        opened = Counter()
        def hook(event, args):
            path = os.fspath(args[0]) if event == "open" and isinstance(args[0], (str, os.PathLike)) else ""
            if isinstance(path, str) and path.startswith(raw):
                opened[path[len(raw) + 1:]] += 1
        from etl.build import build
        sys.addaudithook(hook)
        build(Path(raw), Path({str(tmp_path / "out")!r}), force=True, progress=False, min_countries=3)
        print(json.dumps(opened))
        """
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    opened = json.loads(result.stdout.strip().splitlines()[-1])
    recorded = {
        name for source in json.loads((FIXTURE_RAW / "sources.json").read_text()).values() for name in source["files"]
    }
    assert {name: count for name, count in opened.items() if name != "sources.json"} == dict.fromkeys(recorded, 1)


# --- The switch into the processed folder is atomic --------------------------------------------------------------
KILL_AT_OPERATION = textwrap.dedent(
    """
    import os, shutil, signal, sys
    from pathlib import Path
    from etl import output
    out, source, kill_at = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    build_dir = output.new_build_dir(out)
    for item in source.iterdir():
        shutil.copy2(item, build_dir / item.name)
    seen = 0
    def hook(event, args):
        global seen
        if event in ("os.rename", "os.symlink", "os.remove", "os.rmdir", "shutil.rmtree", "etl.output.exchange"):
            seen += 1
            if seen == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)  # before this operation
    sys.addaudithook(hook)
    output.publish(build_dir, out)
    print("published")
    """
)


@pytest.mark.parametrize("layout", ["symlink", "plain folder from an older build"])
def test_a_build_killed_at_any_step_of_its_switch_leaves_a_whole_build(layout, fixture_build, tmp_path):
    """SIGKILL before each filesystem operation of the switch: the processed folder always loads, as the old build
    or the new one; the app's message never names a folder; the next build clears what the killed one left."""
    out = tmp_path / "data" / "processed"
    out.parent.mkdir()
    if layout == "symlink":
        shutil.copytree(fixture_build, out.parent / ".build-processed-1")
        out.symlink_to(".build-processed-1")
    else:
        shutil.copytree(fixture_build, out)
    old = out.resolve()
    outcomes = []
    for kill_at in range(1, 20):
        result = subprocess.run(
            [sys.executable, "-c", KILL_AT_OPERATION, str(out), str(fixture_build), str(kill_at)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode in (0, -signal.SIGKILL), result.stderr
        load_dataset(out)  # raises DataUnavailable if the switch left no whole build
        outcomes.append("old" if out.resolve() == old else "new")
        if result.returncode == 0:
            break
        with output.build_lock(out):
            output.clean_leftovers(out)
        assert leftovers(out) == []
    assert result.returncode == 0 and outcomes[-1] == "new" and len(outcomes) >= 2
    assert out.is_symlink()


def test_a_missing_build_is_reported_without_a_server_path(tmp_path):
    out = tmp_path / "data" / "processed"
    out.parent.mkdir()
    out.symlink_to(".build-processed-gone")
    with pytest.raises(DataUnavailable) as err:
        load_dataset(out)
    assert str(tmp_path) not in str(err.value) and "make data" in str(err.value)


def test_two_readers_keep_reading_whole_builds_across_rebuilds(raw_copy, built):
    """Two readers load in a loop while the data is rebuilt three times: every load is one whole build."""
    stop, failures, loads = threading.Event(), [], [0, 0]

    def reader(i: int) -> None:
        while not stop.is_set():
            try:
                ds = load_dataset(built)
                assert ds.manifest.tables["emissions"].rows == len(ds.emissions)
                loads[i] += 1
            except Exception as err:  # noqa: BLE001  (any failure is the finding)
                failures.append(repr(err))

    threads = [threading.Thread(target=reader, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    try:
        for _ in range(3):
            assert run_etl(raw_copy, built, "--force") == 0
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert failures == [] and min(loads) > 0
    assert len([p for p in built.parent.glob(".build-processed-*")]) == 2  # the current and the one before


# --- One build at a time; special files; a full disk -------------------------------------------------------------
def test_a_second_build_while_one_runs_says_so_in_one_line(raw_copy, built, capsys):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from etl.output import build_lock\n"
            "with build_lock(Path(sys.argv[1])):\n    print('locked', flush=True); time.sleep(60)",
            str(built),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        before = tree_digest(built)
        assert run_etl(raw_copy, built, "--force") == 1
        line = one_error_line(capsys)
        assert "another build of this folder is running" in line and f"pid {holder.pid}" in line
        assert tree_digest(built) == before and leftovers(built) == []
    finally:
        holder.kill()
        holder.wait()
    assert run_etl(raw_copy, built, "--force") == 0  # the lock went with the process


def test_a_full_disk_is_one_line_and_leaves_nothing_behind(raw_copy, built):
    """A file-size limit (RLIMIT_FSIZE) makes the table writes fail as on a full disk, in a real process."""
    edit_csv(MEMBERS, set_cell(0, "note", "accepted, then the disk is full"))(raw_copy)
    before = tree_digest(built), sha(raw_copy / "sources.json")
    script = (
        "import resource, signal, sys\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))\n"
        "from etl.__main__ import main\n"
        "sys.exit(main(sys.argv[1:]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, "--raw-dir", str(raw_copy), "--out-dir", str(built), "--quiet"]
        + ["--min-countries", str(FIXTURE_COUNTRIES), "--accept", MEMBERS],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 1 and len(lines) == 1 and lines[0].startswith("error: "), lines
    assert "cannot write the new build" in lines[0]
    assert (tree_digest(built), sha(raw_copy / "sources.json")) == before
    assert leftovers(built) == []
    assert not [p for p in raw_copy.iterdir() if p.name.startswith(".sources.json.")]


@pytest.mark.timeout(60)
@pytest.mark.parametrize("kind", ["fifo", "link to /dev/zero", "folder"])
def test_special_files_in_place_of_a_raw_file_are_one_line(kind, raw_copy, built, capsys):
    path = raw_copy / MEMBERS
    path.unlink()
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    else:
        path.symlink_to("/dev/zero")
    assert run_etl(raw_copy, built, "--accept", MEMBERS) == 1  # returns: a hang would time the test out
    line = one_error_line(capsys)
    assert "leadit_members.csv" in line and ("not a regular file" in line or "is a folder" in line)
