"""The docs stay complete: every sector, special area code and source in the contract is documented."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT
from decarb.contract import (
    CLIMATE_TRACE_V5,
    EMISSION_SOURCES,
    GEM_STEEL,
    INDUSTRY_SOURCES,
    SECTORS,
    SPECIAL_AREAS,
    TABLES,
    WORLDSTEEL,
)

DATA_DOC = (ROOT / "docs" / "data.md").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("code", [s.code for s in SECTORS])
def test_every_sector_is_in_the_hierarchy_doc(code):
    assert f"{code} " in DATA_DOC or f"`{code}`" in DATA_DOC


@pytest.mark.parametrize("code", list(SPECIAL_AREAS))
def test_every_special_area_code_is_documented(code):
    assert f"`{code}`" in DATA_DOC


@pytest.mark.parametrize("source", json.loads((ROOT / "data/raw/sources.json").read_text()))
def test_every_source_is_documented(source):
    assert f"`{source}`" in DATA_DOC
    others = ("net_zero_tracker", "net_zero_tracker_2025", "leadit", GEM_STEEL, WORLDSTEEL, CLIMATE_TRACE_V5)
    assert source in EMISSION_SOURCES + INDUSTRY_SOURCES or source in others


@pytest.mark.parametrize(
    "table", [t for t in TABLES if t.startswith("steel_")] + ["production", "company_steel_owners"]
)
def test_every_steel_table_and_its_columns_are_documented(table):
    section = DATA_DOC.split("## Steel tables", 1)[1].split("\n## ", 1)[0]
    row = next(line for line in section.splitlines() if line.startswith(f"| `{table}` |"))
    assert all(f"`{column.name}`" in row for column in TABLES[table][1])


def test_readme_quickstart_is_the_two_commands():
    quickstart = README.split("## Quickstart", 1)[1].split("##", 1)[0]
    commands = [line.strip() for line in quickstart.splitlines() if line.strip().startswith("make ")]
    assert commands == ["make run", "make test"]
