"""The LeadIT inputs as analysts use them: accepting an edited file on a copy of the raw tree, and the milestones.

Expected values are read from the raw files themselves, never typed in.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from conftest import FIXTURE_COUNTRIES, ROOT, tree_digest
from decarb.contract import MILESTONE_KINDS
from decarb.paths import MANIFEST_NAME
from etl.__main__ import main

MEMBERS = "leadit/leadit_members.csv"
MILESTONES = "leadit/leadit_events.csv"
TRACE = "climate_trace/climate_trace_sector_level_summary.csv"
REAL_RAW = ROOT / "data" / "raw"


def _raw_rows(raw: Path, name: str) -> list[dict[str, str]]:
    with (raw / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _run(raw: Path, out: Path, *accept: str) -> int:
    args = ["--raw-dir", str(raw), "--out-dir", str(out), "--quiet", "--min-countries", str(FIXTURE_COUNTRIES)]
    return main(args + [item for name in accept for item in ("--accept", name)])


@pytest.fixture
def built_copy(raw_copy: Path, tmp_path: Path) -> Path:
    out = tmp_path / "processed"
    assert _run(raw_copy, out) == 0
    return out


def _analyst_edits_members(raw: Path) -> dict[str, str]:
    """A new company without a join date, a sector new to the list and a long note; one row confirmed."""
    frame = pd.read_csv(raw / MEMBERS, dtype=str, keep_default_na=False)
    unverified = frame.index[frame["status"] == "unverified"][0]
    frame.loc[unverified, "status"] = "confirmed"
    new = {
        "member": "Example Build AB",
        "member_type": "company",
        "iso3": "",
        "home_iso3": "SWE",
        "sector": "construction",
        "joined_on": "",
        "join_event": "",
        "status": "confirmed",
        "source_url": "https://example.org/joins",
        "note": "join date not found; " * 20,
    }
    pd.concat([frame, pd.DataFrame([new])], ignore_index=True).to_csv(raw / MEMBERS, index=False)
    return {"confirmed": frame.loc[unverified, "member"], "added": new["member"], "note": new["note"].strip()}


def test_accept_flow_on_a_copy_of_the_raw_tree(raw_copy, built_copy, capsys):
    before = tree_digest(built_copy)
    edit = _analyst_edits_members(raw_copy)
    capsys.readouterr()

    assert _run(raw_copy, built_copy) == 1  # refused until accepted
    refusal = capsys.readouterr().err.strip().splitlines()
    assert len(refusal) == 1 and "leadit_members.csv" in refusal[0]
    assert f"python -m etl --accept {MEMBERS}" in refusal[0]
    assert tree_digest(built_copy) == before

    assert _run(raw_copy, built_copy, MEMBERS) == 0
    printed = capsys.readouterr().out
    recorded = json.loads((raw_copy / "sources.json").read_text())["leadit"]["files"][MEMBERS]
    assert recorded["sha256"] == hashlib.sha256((raw_copy / MEMBERS).read_bytes()).hexdigest()
    assert recorded["accepted_on"] == dt.date.today().isoformat()
    assert f"LeadIT member list: added: {edit['added']}." in printed
    assert f"{edit['confirmed']}: status unverified -> confirmed" in printed

    manifest = json.loads((built_copy / MANIFEST_NAME).read_text())
    report = manifest["changes"]["leadit"]
    assert report["members"]["added"] == [edit["added"]]
    assert report["members"]["changed"][edit["confirmed"]]["status"] == ["unverified", "confirmed"]
    assert report["milestones"] == {"added": [], "removed": [], "edited": []}  # that file was not touched
    assert f"LeadIT member list: added: {edit['added']}." in manifest["quality_notes"]
    members = pd.read_parquet(built_copy / "members.parquet").set_index("member")
    row = members.loc[edit["added"]]
    assert pd.isna(row["joined_on"]) and row["sector"] == "construction" and row["note"] == edit["note"]

    assert _run(raw_copy, built_copy) == 0  # accepted once: the next build needs nothing more
    assert "Up to date" in capsys.readouterr().out


def test_change_history_is_kept_with_the_inputs_and_survives_rebuilds(raw_copy, built_copy, capsys):
    from decarb.provenance import parse_manifest
    from decarb.screens import data as data_screen
    from etl import history

    before_sha = json.loads((raw_copy / "sources.json").read_text())["leadit"]["files"][MEMBERS]["sha256"]
    edit = _analyst_edits_members(raw_copy)
    assert _run(raw_copy, built_copy, MEMBERS) == 0
    printed = capsys.readouterr().out
    entries = history.read(raw_copy)
    assert len(entries) == 1
    entry = entries[0]
    assert entry["format"] == history.FORMAT
    assert entry["files"] == [
        {
            "file": MEMBERS,
            "source": "leadit",
            "sha256_before": before_sha,
            "sha256_after": hashlib.sha256((raw_copy / MEMBERS).read_bytes()).hexdigest(),
        }
    ]
    assert f"LeadIT member list: added: {edit['added']}." in entry["lines"]
    assert all(line in printed for line in entry["lines"])
    assert entry["changes"]["leadit"]["members"]["added"] == [edit["added"]]

    assert _run(raw_copy, built_copy) == 0  # the appended history is part of the inputs that were built
    assert "Up to date" in capsys.readouterr().out
    forced = ["--raw-dir", str(raw_copy), "--out-dir", str(built_copy), "--quiet", "--force"]
    assert main([*forced, "--min-countries", str(FIXTURE_COUNTRIES)]) == 0
    manifest = parse_manifest(json.loads((built_copy / MANIFEST_NAME).read_text()))
    assert manifest.changes == {}  # the rebuild accepted nothing itself ...
    assert data_screen.change_report(manifest) == entry["lines"]  # ... and still shows the last acceptance
    shown = data_screen.last_change(manifest)
    assert MEMBERS in shown and entry["accepted_at"][:10] in shown
    assert data_screen.earlier_changes(manifest) == ""

    # A second acceptance is appended after the first, which moves to "earlier".
    frame = pd.read_csv(raw_copy / MEMBERS, dtype=str, keep_default_na=False)
    frame.loc[0, "note"] = "second edit"
    frame.to_csv(raw_copy / MEMBERS, index=False)
    assert _run(raw_copy, built_copy, MEMBERS) == 0
    entries = history.read(raw_copy)
    assert len(entries) == 2 and entries[0] == entry
    manifest = parse_manifest(json.loads((built_copy / MANIFEST_NAME).read_text()))
    assert [e.accepted_at for e in manifest.change_history] == [e["accepted_at"] for e in entries]
    assert all(line in data_screen.earlier_changes(manifest) for line in entry["lines"])


def test_a_failed_build_records_no_acceptance(raw_copy, built_copy, capsys):
    sources_before = (raw_copy / "sources.json").read_bytes()
    (raw_copy / MEMBERS).write_text("member\nnot a valid list\n", encoding="utf-8")
    assert _run(raw_copy, built_copy, MEMBERS) == 1
    assert (raw_copy / "sources.json").read_bytes() == sources_before
    assert not (raw_copy / "changes.jsonl").exists()


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("not json", "line 1: not JSON"),
        ("[1, 2]", "line 1: not a JSON object"),
        ('{"format": 1}', "line 1: `accepted_at` missing"),
        (
            '{"format": 2, "accepted_at": "x", "code_version": "x", "files": [], "lines": [], "changes": {}}',
            "line 1: format 2 is not 1",
        ),
    ],
)
def test_a_broken_history_line_stops_the_build_with_one_line(raw_copy, built_copy, capsys, line, problem):
    before = tree_digest(built_copy)
    (raw_copy / "changes.jsonl").write_text(line + "\n", encoding="utf-8")
    assert _run(raw_copy, built_copy) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "changes.jsonl" in err[0] and problem in err[0], err
    assert tree_digest(built_copy) == before


def test_accepting_an_emissions_source_reports_its_largest_changes(raw_copy, built_copy, capsys):
    frame = pd.read_csv(raw_copy / TRACE, dtype=str, keep_default_na=False)
    area = frame["iso3_country"].iloc[0]
    value = pd.to_numeric(frame["sector_emissions_quantity"])
    frame["sector_emissions_quantity"] = value.where(frame["iso3_country"] != area, value * 1.5).astype(str)
    frame.to_csv(raw_copy / TRACE, index=False)
    assert _run(raw_copy, built_copy, TRACE) == 0
    report = json.loads((built_copy / MANIFEST_NAME).read_text())["changes"]["climate_trace"]
    assert {row["iso3"] for row in report["largest"]} == {area}
    # A sink (negative value) half again as large is a change of -50 % relative to its size.
    assert all(abs(row["relative_change"]) == pytest.approx(0.5) for row in report["largest"])
    assert report["areas_appeared"] == report["areas_vanished"] == report["years_vanished"] == []
    assert "Climate TRACE: largest relative changes per area and sector: " in capsys.readouterr().out


def test_milestone_table_holds_every_raw_row_in_date_order(fixture_build):
    raw = _raw_rows(ROOT / "tests" / "fixtures" / "raw", MILESTONES)
    table = pd.read_parquet(fixture_build / "milestones.parquet")
    expected = sorted(raw, key=lambda row: (row["date"], row["event"]))
    assert table["date"].map(dt.date.isoformat).tolist() == [row["date"] for row in expected]
    assert table.drop(columns="date").to_dict(orient="records") == [
        {key: row[key] for key in ("kind", "event", "what_happened", "source_url")} for row in expected
    ]
    assert set(table["kind"]) <= set(MILESTONE_KINDS)


def test_real_processed_data_hold_the_member_and_milestone_files(ds):
    members, milestones = _raw_rows(REAL_RAW, MEMBERS), _raw_rows(REAL_RAW, MILESTONES)
    assert len(ds.members) == len(members)
    assert sorted(ds.members["member"]) == sorted(row["member"] for row in members)
    undated = {row["member"] for row in members if not row["joined_on"]}
    assert set(ds.members.loc[ds.members["joined_on"].isna(), "member"]) == undated
    assert set(ds.members["sector"].dropna()) == {row["sector"] for row in members if row["sector"]}
    assert len(ds.milestones) == len(milestones) and ds.milestones["source_url"].notna().all()


def test_real_raw_files_match_their_recorded_checksums():
    files = json.loads((REAL_RAW / "sources.json").read_text())["leadit"]["files"]
    for name in (MEMBERS, MILESTONES):
        assert hashlib.sha256((REAL_RAW / name).read_bytes()).hexdigest() == files[name]["sha256"]


def test_fixture_leadit_files_are_the_real_ones():
    """The unit tests run on the analysts' real files (they are small), so a new column cannot slip past them."""
    fixture = ROOT / "tests" / "fixtures" / "raw"
    for name in (MEMBERS, MILESTONES):
        assert (fixture / name).read_bytes() == (REAL_RAW / name).read_bytes(), name


def test_data_package_describes_the_milestones(ds):
    from decarb.contract import TABLES, column_names
    from decarb.exports import dataset_zip

    archive = zipfile.ZipFile(io.BytesIO(dataset_zip({name: getattr(ds, name) for name in TABLES}, ds.manifest)))
    package = json.loads(archive.read("datapackage.json"))
    resource = next(r for r in package["resources"] if r["name"] == "milestones")
    assert [f["name"] for f in resource["schema"]["fields"]] == column_names("milestones")
    rows = list(csv.DictReader(io.StringIO(archive.read("milestones.csv").decode("utf-8"))))
    assert [row["source_url"] for row in rows] == ds.milestones["source_url"].tolist()


def test_the_committed_change_history_reads_and_names_recorded_files_in_time_order():
    from etl import history

    entries = history.read(REAL_RAW)
    recorded = {
        name for source in json.loads((REAL_RAW / "sources.json").read_text()).values() for name in source["files"]
    }
    assert [e["accepted_at"] for e in entries] == sorted(e["accepted_at"] for e in entries)
    assert all(item["file"] in recorded for e in entries for item in e["files"])
