"""The change report on tiny before/after pairs built in code: every expected value is checkable by hand."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from etl.changes import change_report, emission_changes, member_changes
from etl.leadit import MEMBER_COLUMNS  # the tiny tables have the members file's columns, in its order


def _members(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=MEMBER_COLUMNS)


BEFORE_MEMBERS = _members(
    [
        ("Aland", "country", "AAA", None, None, dt.date(2019, 9, 23), "launch", "confirmed", "https://a.org", None),
        ("Bland", "country", "BBB", None, None, None, None, "unverified", None, "no source found"),
        ("Steel Co", "company", None, "AAA", "iron and steel", None, None, "confirmed", "https://s.org", None),
    ]
)
AFTER_MEMBERS = _members(
    [
        (
            "Aland",
            "country",
            "AAA",
            None,
            None,
            dt.date(2019, 9, 23),
            "launch",
            "confirmed",
            "https://a.org",
            "co-founder",
        ),
        (
            "Bland",
            "country",
            "BBB",
            None,
            None,
            dt.date(2021, 11, 9),
            "summit",
            "confirmed",
            "https://b.org",
            "no source found",
        ),
        ("Build Co", "company", None, "BBB", "construction", None, None, "confirmed", "https://c.org", None),
    ]
)


def test_member_rows_added_removed_and_changed():
    report = member_changes(BEFORE_MEMBERS, AFTER_MEMBERS)
    assert (report.rows_before, report.rows_after) == (3, 3)
    assert report.added == ["Build Co"]
    assert report.removed == ["Steel Co"]
    assert report.changed == {
        "Bland": {
            "joined_on": ("", "2021-11-09"),
            "join_event": ("", "summit"),
            "status": ("unverified", "confirmed"),
            "source_url": ("", "https://b.org"),
        }
    }
    assert report.notes_edited == ["Aland"]  # a note is free text: counted, not itemised


def test_member_report_lines_say_what_changed():
    lines = member_changes(BEFORE_MEMBERS, AFTER_MEMBERS).lines()
    assert lines[0] == ("LeadIT member list: 3 -> 3 rows; 1 added, 1 removed, 1 changed, notes edited on 1.")
    assert "LeadIT member list: added: Build Co." in lines
    assert "LeadIT member list: removed: Steel Co." in lines
    assert any(
        "Bland: " in line and "status unverified -> confirmed" in line and "joined_on (empty) -> 2021-11-09" in line
        for line in lines
    )


def _emissions(rows: list[tuple], source: str = "edgar") -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["iso3", "sector", "year", "value"])
    return frame.assign(source=source, gas="co2", unit="Mt CO2e", gwp="test")


BEFORE_EMISSIONS = pd.concat(
    [
        _emissions(
            [
                ("AAA", "industrial_processes", 2020, 10.0),
                ("AAA", "industrial_processes", 2021, 20.0),
                ("AAA", "industrial_combustion", 2020, 0.0),
                ("AAA", "power", 2020, 4.0),
                ("BBB", "industrial_processes", 2020, 5.0),
            ]
        ),
        _emissions([("AAA", "manufacturing", 2020, 100.0)], source="climate_trace"),
    ]
)
AFTER_EMISSIONS = pd.concat(
    [
        _emissions(
            [
                ("AAA", "industrial_processes", 2020, 12.0),  # +20 %
                ("AAA", "industrial_processes", 2021, 15.0),  # -25 %: the largest for AAA industrial_processes
                ("AAA", "industrial_combustion", 2020, 3.0),  # from zero: changed, but no relative size
                ("AAA", "power", 2020, 4.0),  # unchanged
                ("AAA", "industrial_processes", 2022, 22.0),  # a new year
                ("CCC", "industrial_processes", 2020, 1.0),  # a new area; BBB vanished
            ]
        ),
        _emissions([("AAA", "manufacturing", 2020, 300.0)], source="climate_trace"),
    ]
)


def test_emission_areas_and_years_that_appeared_or_vanished():
    report = emission_changes(BEFORE_EMISSIONS, AFTER_EMISSIONS, "edgar")
    assert (report.areas_appeared, report.areas_vanished) == (["CCC"], ["BBB"])
    assert (report.years_appeared, report.years_vanished) == ([2022], [])
    assert (report.values_compared, report.values_changed) == (4, 3)


def test_largest_relative_change_per_area_and_sector():
    largest = emission_changes(BEFORE_EMISSIONS, AFTER_EMISSIONS, "edgar").largest
    assert largest[["iso3", "sector", "year"]].values.tolist() == [["AAA", "industrial_processes", 2021]]
    assert largest["relative_change"].tolist() == [pytest.approx(-0.25)]
    assert (largest["before"].iloc[0], largest["after"].iloc[0]) == (20.0, 15.0)


def test_other_sources_rows_are_left_out_of_a_sources_report():
    report = emission_changes(BEFORE_EMISSIONS, AFTER_EMISSIONS, "climate_trace")
    assert report.largest["relative_change"].tolist() == [pytest.approx(2.0)]
    assert report.areas_appeared == report.areas_vanished == []


def test_report_only_for_accepted_sources_and_says_when_nothing_to_compare():
    previous = {"members": BEFORE_MEMBERS, "emissions": BEFORE_EMISSIONS}
    tables = {"members": AFTER_MEMBERS, "emissions": AFTER_EMISSIONS}
    assert change_report(previous, tables, set()) == ([], {})
    lines, records = change_report(previous, tables, {"edgar"})
    assert set(records) == {"edgar"} and records["edgar"]["areas_appeared"] == ["CCC"]
    assert lines[1].startswith(
        "EDGAR 2024 (JRC/IEA): largest relative changes per area and sector: "
        "AAA industrial_processes co2 2021: -25.0% (20 -> 15 Mt CO2e)"
    )
    lines, records = change_report(None, tables, {"leadit"})
    assert lines == ["LeadIT member list: accepted; no previous build to compare with."] and records == {}


def test_milestones_added_removed_and_edited():
    def table(rows: list[tuple]) -> pd.DataFrame:
        return pd.DataFrame(rows, columns=["date", "kind", "event", "what_happened", "source_url"])

    before = table(
        [
            (dt.date(2019, 9, 23), "launch", "Launch", "founded", "https://a.org"),
            (dt.date(2021, 4, 23), "members", "Summit", "A joins", "https://b.org"),
        ]
    )
    after = table(
        [
            (dt.date(2019, 9, 23), "launch", "Launch", "founded by two", "https://a.org"),
            (dt.date(2022, 6, 1), "dialogue", "Dialogue", "talks", "https://c.org"),
        ]
    )
    lines, records = change_report({"milestones": before}, {"milestones": after}, {"leadit"})
    assert records == {
        "leadit": {
            "milestones": {
                "added": ["2022-06-01 Dialogue"],
                "removed": ["2021-04-23 Summit"],
                "edited": ["2019-09-23 Launch"],
            }
        }
    }
    assert lines == [
        "LeadIT milestones: added: 2022-06-01 Dialogue; removed: 2021-04-23 Summit; edited: 2019-09-23 Launch."
    ]
