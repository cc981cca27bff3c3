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


# --- Steel inputs --------------------------------------------------------------------------------------------------
def _production(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(
        [("worldsteel", iso3, year, "crude_steel", value, "Mt") for iso3, year, value in rows],
        columns=["source", "iso3", "year", "product", "value", "unit"],
    )


def test_production_changes_areas_years_and_largest():
    before = _production([("AAA", 2023, 10.0), ("AAA", 2022, 8.0), ("BBB", 2023, 5.0)])
    after = _production([("AAA", 2023, 11.0), ("AAA", 2022, 6.0), ("AAA", 2024, 12.0), ("CCC", 2023, 1.0)])
    lines, records = change_report({"production": before}, {"production": after}, {"worldsteel"})
    record = records["worldsteel"]
    assert (record["areas_appeared"], record["areas_vanished"]) == (["CCC"], ["BBB"])
    assert (record["years_appeared"], record["years_vanished"]) == ([2024], [])
    assert (record["values_compared"], record["values_changed"]) == (2, 2)
    assert [(r["iso3"], r["year"], r["relative_change"]) for r in record["largest"]] == [("AAA", 2022, -0.25)]
    assert (
        lines[1]
        == "World Steel Association: largest relative changes per area: AAA crude_steel 2022: -25.0% (8 -> 6 Mt)."
    )


def _steel(plants: list[tuple], capacity: list[tuple], units: list[str]) -> dict[str, pd.DataFrame]:
    return {
        "steel_plants": pd.DataFrame(plants, columns=["plant_id", "plant_name", "plant_status"]),
        "steel_capacity": pd.DataFrame(
            [(p, "AAA", status, stage, tech, mt) for p, status, stage, tech, mt in capacity],
            columns=["plant_id", "iso3", "status", "stage", "technology", "capacity_mt"],
        ),
        "steel_units": pd.DataFrame({"unit_id": units}),
    }


def test_steel_changes_plants_units_and_capacity_moves():
    before = _steel(
        [("P1", "One", "operating"), ("P2", "Two", "operating")],
        [
            ("P1", "operating", "steel", "bof", 4.0),
            ("P1", "operating_pre_retirement", "steel", "bof", 2.0),
            ("P1", "operating", "iron", "bf", 5.0),  # iron-making: never in the steel total
            ("P2", "operating", "steel", "eaf", 1.0),
        ],
        ["U1", "U2", "U3"],
    )
    after = _steel(
        [("P1", "One", "operating_pre_retirement"), ("P3", "Three", "announced")],
        [
            ("P1", "operating_pre_retirement", "steel", "bof", 6.0),
            ("P1", "operating", "iron", "bf", 5.0),
            ("P3", "announced", "steel", "eaf", 2.5),
        ],
        ["U1", "U4"],
    )
    lines, records = change_report(before, after, {"gem_steel"})
    record = records["gem_steel"]
    assert (record["plants_added"], record["plants_removed"]) == (["P3 (Three)"], ["P2 (Two)"])
    assert record["status_changed"] == ["P1 (One): operating -> operating_pre_retirement"]
    assert (record["units_added"], record["units_removed"]) == (["U4"], ["U2", "U3"])
    assert (record["operating_steel_before"], record["operating_steel_after"]) == (7.0, 6.0)
    moves = {(m["plant_id"], m["status"], m["stage"]): m["change"] for m in record["moves"]}
    assert moves == {
        ("P1", "operating", "steel"): -4.0,
        ("P1", "operating_pre_retirement", "steel"): 4.0,
        ("P3", "announced", "steel"): 2.5,
        ("P2", "operating", "steel"): -1.0,
    }
    assert list(moves)[:2] == [("P1", "operating", "steel"), ("P1", "operating_pre_retirement", "steel")]
    assert lines[0].startswith(
        "Global Energy Monitor, Global Iron and Steel Tracker: plants 2 -> 2 (1 added, 1 removed"
    )


def test_a_new_release_of_one_sector_is_reported_on_that_sector_only():
    def rows(values: list[tuple]) -> pd.DataFrame:
        return pd.DataFrame(
            [("climate_trace_subsectors", "AAA", y, sector, gas, v, "Mt", "") for sector, gas, y, v in values],
            columns=["source", "iso3", "year", "sector", "gas", "value", "unit", "gwp"],
        )

    before = rows([("iron_steel", "ghg", 2022, 10.0), ("iron_steel", "co2", 2022, 9.0), ("cement", "ghg", 2022, 4.0)])
    after = rows([("iron_steel", "ghg", 2022, 12.0), ("iron_steel", "ghg", 2024, 11.0), ("cement", "ghg", 2022, 8.0)])
    lines, records = change_report({"emissions": before}, {"emissions": after}, {"climate_trace_v5"})
    record = records["climate_trace_v5"]
    assert record["series_vanished"] == ["iron_steel co2"] and "series_appeared" not in record
    assert record["years_appeared"] == [2024]
    assert [(r["sector"], r["relative_change"]) for r in record["largest"]] == [("iron_steel", pytest.approx(0.2))]
    assert lines[-1].endswith("series (sector gas) appeared: none; vanished: iron_steel co2.")


def test_member_company_ids_added_removed_and_edited():
    columns = ["company", "gem_entity_id", "note", "source_url"]
    before = pd.DataFrame(
        [("Steel Co", "E1", "parent", "https://a.org"), ("Iron Co", "E2", None, "https://b.org")], columns=columns
    )
    after = pd.DataFrame(
        [("Steel Co", "E1", "parent of two plants", "https://a.org"), ("Iron Co", "E3", None, "https://b.org")],
        columns=columns,
    )
    lines, records = change_report(
        {"members": BEFORE_MEMBERS, "company_steel_owners": before},
        {"members": AFTER_MEMBERS, "company_steel_owners": after},
        {"leadit"},
    )
    assert records["leadit"]["company_steel_owners"] == {
        "added": ["Iron Co: E3"],
        "removed": ["Iron Co: E2"],
        "edited": ["Steel Co: E1"],
    }
    assert lines[-1] == (
        "LeadIT member companies' GEM ids: added: Iron Co: E3; removed: Iron Co: E2; "
        "note or source edited: Steel Co: E1."
    )
