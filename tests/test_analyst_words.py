"""Analyst pages in plain words (issue 11 item 9): the targets table's headers, the method's heading order and
wording on "Data and method", and the membership captions."""

from __future__ import annotations

import re

import pytest

from decarb.screens.countries import TARGET_COLUMNS, target_table
from decarb.screens.data import method_text, under_header
from decarb.selection import _membership_note
from decarb.view import View, members_set

HEADING = re.compile(r"^(#+) (.*)$")


def test_the_targets_table_has_human_headers_with_units(ds):
    codes = ("SWE", "IND", "KOR")
    table = target_table(ds, codes)
    assert not [c for c in table.columns if "_" in c]
    assert {"Target year", "Target status", "Interim cut (%)", "Interim cut from (year)"} <= set(table.columns)
    raw = ds.targets[(ds.targets["actor_type"] == "country") & ds.targets["iso3"].isin(codes)].reset_index(drop=True)
    for field, header in TARGET_COLUMNS.items():
        assert table[header].equals(raw[field].rename(header)), field


def test_the_method_on_the_page_has_no_heading_larger_than_the_one_above_and_no_module_names():
    headings = [HEADING.match(line) for line in method_text().splitlines()]
    levels = [len(m.group(1)) for m in headings if m]
    assert levels and min(levels) == 3  # under the page's "Method" header (an H2)
    assert all(b - a <= 1 for a, b in zip([2, *levels], levels, strict=False))  # never skips a level going down
    assert not [m.group(2) for m in headings if m and "decarb" in m.group(2)]


def test_under_header_leaves_code_blocks_alone():
    text = "# Title\n\nIntro\n\n## Part\n\n```\n# a comment\n```\n### Detail\n"
    assert under_header(text) == "Intro\n\n### Part\n\n```\n# a comment\n```\n#### Detail\n"


@pytest.mark.parametrize("members", ["confirmed", "with_unverified", "joined"])
def test_membership_captions_are_plain_and_never_count_zero(ds, members):
    note = members_set(ds, View(members=members)).note
    assert "back-cast" not in note and not re.search(r"\b0 (with|unverified)", note)
    if members == "with_unverified":
        assert "unverified member countries left out" not in note


def test_a_count_of_zero_is_not_mentioned(ds):
    dated = ds.members[ds.members["joined_on"].notna()]
    assert len(dated) < len(ds.members)  # the real list has members without a join date
    for backcast, year in ((True, None), (False, 2022)):
        note = _membership_note(dated, year, backcast, include_unverified=False)
        assert "join date" not in note
        assert "counted in every year, also in the years before they joined" in note or not backcast


def test_the_pages_show_the_headers_and_the_method_in_order(ds):
    from test_app_pages import run

    at = run("pages/countries.py", countries="SWE,ETH")
    targets = at.dataframe[-2].value  # the last table is the targets changed since the earlier release
    assert list(targets.columns) == list(TARGET_COLUMNS.values())
    at = run("pages/data.py")
    assert [h.value for h in at.header][-1] == "Method"
    assert not [m for m in at.markdown if "Which numbers make a series" in m.value]  # folded until opened
    at.session_state["method"] = True  # what opening the expander sets
    at.run()
    method = next(m.value for m in at.markdown if "Which numbers make a series" in m.value)
    assert not re.search(r"^#{1,2} ", method, flags=re.M)
