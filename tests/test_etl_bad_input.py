"""Every kind of bad input stops the ETL with one line naming file, place and problem, and changes nothing."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from breakers import (
    COUNTS,
    EDGAR,
    MEMBERS,
    NZT,
    OWID,
    TRACE,
    Breaker,
    cell_table,
    changed,
    edit_bytes,
    edit_csv,
    edit_json,
    edit_parquet,
    edit_workbook,
    set_cell,
    sheet_table,
    truncate,
)
from conftest import FIXTURE_COUNTRIES, ROOT, tree_digest
from etl.__main__ import main

PARTIES = "unfccc_annex1/api-mappings/parties.json"
CONVERSION = "unfccc_annex1/api-mappings/conversion.json"

# Each case: how to break the input, the file it touches, and fragments the one-line message must contain.
Case = tuple[Breaker, str, list[str]]


def cell_cases(name: str, cases: dict[str, tuple[int, str, str, list[str]]]) -> dict[str, Case]:
    """{label: (row, column, value, fragments)}: each case sets one cell of the CSV `name`."""
    return {label: (breaker, name, fragments) for label, (breaker, (fragments,)) in cell_table(name, cases).items()}


def sheet_cases(name: str, sheet: str, cases: dict[str, tuple[int, int, object, list[str]]]) -> dict[str, Case]:
    """{label: (row, column, value, fragments)}: each case sets one cell of `sheet` in the workbook `name`."""
    return {
        label: (breaker, name, fragments) for label, (breaker, (fragments,)) in sheet_table(name, sheet, cases).items()
    }


CASES: dict[str, Case] = {
    "members: missing column": (
        edit_csv(MEMBERS, lambda f: f.drop(columns=["status"])),
        MEMBERS,
        ["column 'status'", "missing"],
    ),
    "members: renamed column": (
        edit_csv(MEMBERS, lambda f: f.rename(columns={"joined_on": "join_date"})),
        MEMBERS,
        ["join"],
    ),
    **cell_cases(
        MEMBERS,
        {
            "members: duplicated member": (1, "member", "Sweden", ["row 3", "column 'member'", "duplicated"]),
            "members: unknown ISO3": (4, "iso3", "XYZ", ["row 6", "known ISO3 code"]),
            "members: malformed join date": (
                2,
                "joined_on",
                "2019-13-45",
                ["row 4", "column 'joined_on'", "YYYY-MM-DD", "2019-13-45"],
            ),
            "members: future join date": (
                3,
                "joined_on",
                "2999-01-01",
                ["row 5", "column 'joined_on'", "not in the future"],
            ),
            "members: bad member type": (0, "member_type", "city", ["row 2", "column 'member_type'", "'city'"]),
        },
    ),
    "members: not UTF-8": (
        edit_bytes(MEMBERS, lambda b: b.replace(b"Sweden", "Sw\xe9den".encode("latin-1"))),
        MEMBERS,
        ["line 2", "not valid UTF-8"],
    ),
    "members: empty file": (edit_bytes(MEMBERS, lambda b: b""), MEMBERS, ["file is empty"]),
    **cell_cases(COUNTS, {"counts: do not add up": (0, "total", "23", ["countries + companies = total"])}),
    "trace: truncated": (edit_bytes(TRACE, truncate), TRACE, ["line ", "cut short"]),
    "trace: negative value": (
        edit_csv(
            TRACE,
            lambda f: f.assign(
                sector_emissions_quantity=f["sector_emissions_quantity"].where(f["sector"] != "manufacturing", "-5")
            ),
        ),
        TRACE,
        ["negative only for land-use sinks"],
    ),
    **cell_cases(
        TRACE,
        {
            "trace: non-numeric value": (
                7,
                "sector_emissions_quantity",
                "lots",
                ["row 9", "column 'sector_emissions_quantity'", "lots"],
            ),
            "trace: infinite value": (
                7,
                "sector_emissions_quantity",
                "inf",
                ["column 'sector_emissions_quantity'", "finite"],
            ),
            "trace: unknown code": (0, "iso3_country", "QQQ", ["row 2", "column 'iso3_country'", "QQQ"]),
            "trace: wrong unit": (
                5,
                "emissions_quantity_units",
                "kilotonnes",
                ["row 7", "column 'emissions_quantity_units'", "kilotonnes"],
            ),
        },
    ),
    "edgar: sheet missing": (
        edit_workbook(EDGAR, lambda b: b.remove(b["GHG_by_sector_and_country"])),
        EDGAR,
        ["sheet 'GHG_by_sector_and_country'", "missing"],
    ),
    "edgar: truncated workbook": (edit_bytes(EDGAR, truncate), EDGAR, ["not a readable xlsx workbook"]),
    **sheet_cases(
        EDGAR,
        "GHG_by_sector_and_country",
        {
            "edgar: negative value": (3, 10, -1.5, ["row 3", "column '1975'", "greater_than_or_equal_to(0)"]),
            "edgar: non-numeric value": (4, 8, "n/a", ["row 4", "column '1973'", "n/a"]),
            "edgar: renamed key column": (1, 2, "Sectors", ["column 'Sector'", "missing"]),
        },
    ),
    **sheet_cases(
        EDGAR, "GHG_totals_by_country", {"edgar: totals disagree": (2, 20, 1e6, ["year 1987", "GHG_totals_by_country"])}
    ),
    "owid: renamed column": (
        edit_parquet(OWID, lambda f: f.rename(columns={"cement_co2": "cement"})),
        OWID,
        ["column 'cement_co2'", "missing"],
    ),
    "owid: truncated parquet": (edit_bytes(OWID, truncate), OWID, ["not a readable Parquet file"]),
    "unfccc: party id as text": (  # ids are JSON integers: the data files' party ids are matched against them
        edit_json(PARTIES, changed((1, "parties", 0, "id"), "3")),
        PARTIES,
        ["group 2", "'id' must be a JSON int, got str"],
    ),
    "unfccc: conversion factor as text": (
        edit_json(CONVERSION, changed(("annexOne", 1, "factor"), "0.001")),
        CONVERSION,
        ["annexOne", "'factor' must be a JSON number, got str"],
    ),
    "nzt: sheet missing": (edit_workbook(NZT, lambda b: b.remove(b["NZT DATA"])), NZT, ["sheet 'NZT DATA'", "missing"]),
    **sheet_cases(
        NZT, "NZT DATA", {"nzt: bad status": (2, 18, "Maybe", ["row 2", "column 'end_target_status'", "Maybe"])}
    ),
}


def run_etl(raw: Path, out: Path, *extra: str) -> int:
    return main(
        ["--raw-dir", str(raw), "--out-dir", str(out), "--quiet", "--min-countries", str(FIXTURE_COUNTRIES), *extra]
    )


@pytest.fixture
def built_copy(fixture_build: Path, tmp_path: Path) -> Path:
    target = tmp_path / "processed"
    shutil.copytree(fixture_build, target)
    return target


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_stops_with_one_clear_line_and_keeps_outputs(case, raw_copy, built_copy, capsys):
    breaks, name, fragments = CASES[case]
    before = tree_digest(built_copy)
    breaks(raw_copy)
    code = run_etl(raw_copy, built_copy, "--accept", name)  # accepted, so validation (not the checksum) speaks
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1
    assert len(err) == 1, err
    assert err[0].startswith("error: ") and name.split("/")[-1] in err[0]
    for fragment in fragments:
        assert fragment in err[0], f"{fragment!r} not in {err[0]!r}"
    assert tree_digest(built_copy) == before
    assert not list(built_copy.parent.glob(".build-*")), "staging folder left behind"


def test_changed_raw_file_is_refused_until_accepted(raw_copy, built_copy, capsys):
    edit_csv(MEMBERS, set_cell(0, "note", "edited by an analyst"))(raw_copy)
    assert run_etl(raw_copy, built_copy) == 1
    message = capsys.readouterr().err
    assert "leadit_members.csv" in message and "differs from the recorded" in message and "--accept" in message
    assert run_etl(raw_copy, built_copy, "--accept", MEMBERS) == 0
    recorded = pd.read_json(raw_copy / "sources.json", typ="series")["leadit"]["files"][MEMBERS]
    import hashlib

    assert recorded["sha256"] == hashlib.sha256((raw_copy / MEMBERS).read_bytes()).hexdigest()
    assert pd.read_parquet(built_copy / "members.parquet").loc[0, "note"] == "edited by an analyst"


def test_command_line_exit_code_is_non_zero(raw_copy, tmp_path):
    """The real `python -m etl` process, not just main(): exit status and stderr as a shell sees them."""
    (raw_copy / MEMBERS).write_bytes(b"")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "etl",
            "--raw-dir",
            str(raw_copy),
            "--out-dir",
            str(tmp_path / "out"),
            "--quiet",
            "--accept",
            MEMBERS,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"error: {raw_copy / MEMBERS}: file is empty [nothing in {tmp_path / 'out'} was changed]"
    )
    assert not (tmp_path / "out").exists()
