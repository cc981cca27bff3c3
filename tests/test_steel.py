"""decarb.steel on tiny frames built here: every expected value is a hand-checkable case of a stated rule.

Plants: P1 and P2 in AAA, P3 in BBB, P4 in CCC, P5 in DDD. Member companies: CompA (E1), CompB (E2 and E3).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from decarb import steel
from decarb.steel import NO_BASIS, RELINING, START

NAN = float("nan")


def plants() -> pd.DataFrame:
    rows = [
        # plant_id, iso3, owner_gem_ids, parent_gem_ids
        ("P1", "AAA", "E1 [60.0%]; E7 [40.0%]", "E1 [60.0%]; E8 [40.0%]"),
        ("P2", "AAA", "E5", "E5"),
        ("P3", "BBB", "E6", "E1; E2"),
        ("P4", "CCC", "E3 [100.0%]", "E9"),
        ("P5", "DDD", "E10", "E10 [100.0%]"),  # E10 is not E1
    ]
    return pd.DataFrame(rows, columns=["plant_id", "iso3", "owner_gem_ids", "parent_gem_ids"])


def owners() -> pd.DataFrame:
    return pd.DataFrame(
        [("CompA", "E1"), ("CompB", "E2"), ("CompB", "E3")], columns=["company", "gem_entity_id"]
    ).assign(note="")


def capacity() -> pd.DataFrame:
    rows = [
        ("P1", "AAA", "operating", "steel", "bof", 4.0),
        ("P1", "AAA", "operating_pre_retirement", "steel", "bof", 2.0),
        ("P1", "AAA", "operating", "iron", "bf", 5.0),
        ("P1", "AAA", "announced", "steel", "eaf", 3.0),
        ("P1", "AAA", "announced", "iron", "dri", 2.0),
        ("P2", "AAA", "operating", "steel", "eaf", 1.0),
        ("P2", "AAA", "construction", "steel", "bof", 2.0),
        ("P2", "AAA", "operating", "steel", "other", 1.0),
        ("P3", "BBB", "operating", "steel", "eaf", 2.0),
        ("P3", "BBB", "mothballed", "steel", "bof", 5.0),
        ("P3", "BBB", "retired", "iron", "bf", 3.0),
        ("P4", "CCC", "announced", "steel", "other", 4.0),
    ]
    return pd.DataFrame(rows, columns=["plant_id", "iso3", "status", "stage", "technology", "capacity_mt"])


def units() -> pd.DataFrame:
    na = pd.NA
    rows = [
        ("U1", "BF 1", "P1", "AAA", "bf", "operating", 2.0, True, 2010, 1960),
        ("U2", "BF 2", "P1", "AAA", "bf", "operating_pre_retirement", 3.0, True, na, 1960),
        ("U3", "BF 3", "P2", "AAA", "bf", "operating", NAN, False, na, na),
        ("U4", "BF 4", "P3", "BBB", "bf", "operating", 1.5, True, 2000, 1970),
        ("U5", "BF 5", "P3", "BBB", "bf", "mothballed", 4.0, True, 2020, 1970),
        ("U6", "BOF 1", "P1", "AAA", "bof", "operating", 6.0, True, na, 1960),
        ("U7", "BF 7", "P4", "CCC", "bf", "operating", NAN, False, 2015, na),
    ]
    frame = pd.DataFrame(
        rows,
        columns=[
            "unit_id",
            "unit_name",
            "plant_id",
            "iso3",
            "technology",
            "status",
            "capacity_mt",
            "capacity_known",
            "relining_year",
            "plant_start_year",
        ],
    )
    return frame.astype({"relining_year": "Int64", "plant_start_year": "Int64"})


def emissions() -> pd.DataFrame:
    rows = [
        ("climate_trace_subsectors", "AAA", 2022, "iron_steel", "ghg", 20.0),
        ("climate_trace_subsectors", "AAA", 2023, "iron_steel", "ghg", 18.0),
        ("climate_trace_subsectors", "AAA", 2023, "iron_steel", "co2", 15.0),  # inside the ghg row: not used
        ("climate_trace_subsectors", "BBB", 2022, "iron_steel", "ghg", 10.0),
        ("climate_trace_subsectors", "BBB", 2023, "iron_steel", "ghg", 9.0),  # no production in 2023
        ("climate_trace_subsectors", "CCC", 2023, "iron_steel", "ghg", 5.0),  # production 0
        ("climate_trace_subsectors", "WLD", 2023, "iron_steel", "ghg", 100.0),  # an aggregate: never added
        ("climate_trace_subsectors", "AAA", 2023, "cement", "ghg", 50.0),
        ("unfccc", "AAA", 2023, "iron_steel", "ghg", 70.0),
    ]
    return pd.DataFrame(rows, columns=["source", "iso3", "year", "sector", "gas", "value"]).assign(unit="Mt CO2e")


def production() -> pd.DataFrame:
    rows = [("AAA", 2022, 10.0), ("AAA", 2023, 12.0), ("BBB", 2022, 5.0), ("CCC", 2023, 0.0), ("DDD", 2023, 4.0)]
    rows += [("WLD", 2023, 50.0)]
    frame = pd.DataFrame(rows, columns=["iso3", "year", "value"])
    return frame.assign(source="worldsteel", product="crude_steel", unit="Mt")


MEMBERS = steel.group_scope("members", "Members", ["AAA", "BBB"], "AAA and BBB.")
NON_MEMBERS = steel.group_scope("non_members", "Non-members", ["AAA"], "All but AAA.", outside=True)
WORLD = steel.world_scope()
AAA = steel.country_scope("AAA", "Aland")
CCC = steel.country_scope("CCC", "Ceeland")


def company(name: str | None) -> steel.Scope:
    return steel.company_scope(steel.company_matches(plants(), owners()), name)


# --- scopes -----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "scope, plants_in",
    [
        (AAA, {"P1", "P2"}),
        (MEMBERS, {"P1", "P2", "P3"}),
        (NON_MEMBERS, {"P3", "P4", "P5"}),
        (WORLD, {"P1", "P2", "P3", "P4", "P5"}),
        (company("CompA"), {"P1", "P3"}),
        (company("CompB"), {"P3", "P4"}),
        (company(None), {"P1", "P3", "P4"}),
        (company("Nobody"), set()),
    ],
)
def test_scope_selects_plants(scope, plants_in):
    frame = plants()
    assert set(frame.loc[scope.mask(frame), "plant_id"]) == plants_in


# --- member companies -------------------------------------------------------------------------------------------
def test_company_matches_by_entity_id_in_owner_or_parent_text():
    got = steel.company_matches(plants(), owners())
    expected = pd.DataFrame(
        [
            ("P1", "CompA", "E1", "owner", 60.0),
            ("P3", "CompA", "E1", "parent", NAN),
            ("P3", "CompB", "E2", "parent", NAN),
            ("P4", "CompB", "E3", "owner", 100.0),
        ],
        columns=steel.COMPANY_MATCH_COLUMNS,
    )
    pd.testing.assert_frame_equal(got.reset_index(drop=True), expected)


@pytest.mark.parametrize(
    "text, ids, shares",
    [
        ("E100001000703 [100.0%]", ["E100001000703"], {"E100001000703": 100.0}),
        ("E100001010315; E100000004212; E100001010324", ["E100001010315", "E100000004212", "E100001010324"], {}),
        ("E1 [43.2%]; E2 [0.9%]", ["E1", "E2"], {"E1": 43.2, "E2": 0.9}),
        ("", [], {}),
        (None, [], {}),
        (NAN, [], {}),
    ],
)
def test_gem_ids_and_shares(text, ids, shares):
    assert steel.gem_ids(text) == ids
    assert steel.id_shares(text) == shares


def test_a_plant_with_two_member_owners_is_counted_once_and_both_are_named():
    scope = company(None)
    assert scope.owners["P3"] == "CompA; CompB"
    assert "1 with more than one member owner" in scope.note
    steel_operating = steel.phase_capacity(capacity(), scope, "steel", "operating")
    assert steel_operating == 4.0 + 2.0 + 2.0  # P1's BOF (incl. pre-retirement) + P3's EAF, P3 once
    assert company("CompA").owners == {"P1": "CompA", "P3": "CompA; CompB"}


# --- capacity by technology and status --------------------------------------------------------------------------
def test_capacity_by_technology_keeps_pre_retirement_apart_and_never_adds_stages():
    got = steel.capacity_by_technology(capacity(), AAA)
    expected = pd.DataFrame(
        [
            ("iron", "bf", "operating", 5.0, 1),
            ("iron", "dri", "announced", 2.0, 1),
            ("steel", "bof", "construction", 2.0, 1),
            ("steel", "bof", "operating", 4.0, 1),
            ("steel", "bof", "operating_pre_retirement", 2.0, 1),
            ("steel", "eaf", "announced", 3.0, 1),
            ("steel", "eaf", "operating", 1.0, 1),
            ("steel", "other", "operating", 1.0, 1),
        ],
        columns=steel.CAPACITY_COLUMNS,
    )
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)


@pytest.mark.parametrize(
    "scope, stage, phase, mt",
    [
        (AAA, "steel", "operating", 8.0),  # 4 + 2 pre-retirement + 1 EAF + 1 other
        (AAA, "steel", "pipeline", 5.0),  # 3 announced EAF + 2 BOF under construction
        (AAA, "iron", "operating", 5.0),
        (MEMBERS, "steel", "operating", 10.0),  # P3's mothballed BOF is not operating
        (MEMBERS, "iron", "operating", 5.0),  # P3's retired BF neither
        (CCC, "steel", "operating", 0.0),
        (CCC, "steel", "pipeline", 4.0),
        (company("Nobody"), "steel", "operating", 0.0),
    ],
)
def test_phase_capacity(scope, stage, phase, mt):
    assert steel.phase_capacity(capacity(), scope, stage, phase) == pytest.approx(mt)


def test_capacity_of_an_empty_scope_is_an_empty_frame():
    got = steel.capacity_by_technology(capacity(), company("Nobody"))
    assert got.empty and list(got.columns) == steel.CAPACITY_COLUMNS


# --- near-zero share --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "scope, stage, phase, near, other, unspecified, share",
    [
        (AAA, "steel", "operating", 1.0, 6.0, 1.0, 100 / 7),  # unspecified on neither side
        (AAA, "steel", "pipeline", 3.0, 2.0, 0.0, 60.0),
        (AAA, "iron", "operating", 0.0, 5.0, 0.0, 0.0),
        (AAA, "iron", "pipeline", 2.0, 0.0, 0.0, 100.0),
        (WORLD, "steel", "operating", 3.0, 6.0, 1.0, 100 / 3),
        (CCC, "steel", "pipeline", 0.0, 0.0, 4.0, NAN),  # only an unspecified route: no share, not 0
        (CCC, "steel", "operating", 0.0, 0.0, 0.0, NAN),
    ],
)
def test_near_zero_share(scope, stage, phase, near, other, unspecified, share):
    rows = steel.near_zero_share(capacity(), scope).set_index(["stage", "phase"])
    row = rows.loc[(stage, phase)]
    assert (row["near_zero_mt"], row["other_routes_mt"], row["unspecified_mt"]) == pytest.approx(
        (near, other, unspecified)
    )
    assert row["share_pct"] == pytest.approx(share, nan_ok=True)


@pytest.mark.parametrize("scope, stage, cleaner", [(AAA, "steel", True), (AAA, "iron", True), (CCC, "steel", None)])
def test_pipeline_cleaner(scope, stage, cleaner):
    assert steel.pipeline_cleaner(steel.near_zero_share(capacity(), scope), stage) is cleaner


# --- relining calendar ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "basis, year, as_of, due, overdue",
    [
        (RELINING, 2010, 2025, 2027, False),
        (RELINING, 2008, 2025, 2025, False),  # due exactly in the as-of year
        (RELINING, 2000, 2025, 2025, True),  # 2017 passed without a relining the tracker knows: due now
        (RELINING, 2024, 2025, 2041, False),
        (START, 2015, 2025, 2032, False),
        (START, 1960, 2025, 2028, False),  # relinings assumed in 1977, 1994, 2011; next 2028
        (START, 1974, 2025, 2025, False),  # 1974 + 3 x 17 = 2025 exactly
        (START, 2008, 2025, 2025, False),
        (NO_BASIS, NAN, 2025, NAN, False),
    ],
)
def test_next_due(basis, year, as_of, due, overdue):
    got_due, got_overdue = steel.next_due(basis, year, as_of)
    assert got_due == pytest.approx(due, nan_ok=True)
    assert got_overdue is overdue


def test_relining_calendar_of_the_world():
    got = steel.relining_calendar(units(), WORLD, 2025)
    view = got[["unit_id", "basis", "basis_year", "due_year", "overdue"]]
    expected = pd.DataFrame(
        [
            ("U4", RELINING, 2000, 2025, True),
            ("U1", RELINING, 2010, 2027, False),
            ("U2", START, 1960, 2028, False),
            ("U7", RELINING, 2015, 2032, False),
            ("U3", NO_BASIS, pd.NA, pd.NA, False),  # neither known: no year, last
        ],
        columns=view.columns,
    ).astype({"basis_year": "Int64", "due_year": "Int64"})
    pd.testing.assert_frame_equal(view, expected, check_dtype=False)
    # the mothballed blast furnace (U5) and the BOF (U6) are not in the calendar
    assert "U5" not in set(got["unit_id"]) and "U6" not in set(got["unit_id"])
    assert got.loc[got["unit_id"] == "U2", "status"].item() == "operating_pre_retirement"


def test_relining_due_in_total():
    row = steel.relining_due(steel.relining_calendar(units(), WORLD, 2025)).iloc[0]
    assert row["furnaces"] == 5
    assert row["capacity_mt"] == pytest.approx(6.5)  # U3 and U7 have no size
    assert (row["due_before_2030_mt"], row["due_before_2030_furnaces"], row["due_before_2030_unknown_size"]) == (
        pytest.approx(6.5),
        3,
        0,
    )
    assert (row["due_before_2035_mt"], row["due_before_2035_furnaces"], row["due_before_2035_unknown_size"]) == (
        pytest.approx(6.5),
        4,
        1,  # U7, due 2032, size unknown: counted, not added
    )
    assert row["overdue_furnaces"] == 1
    assert row["no_basis_furnaces"] == 1
    assert row["no_basis_named"] == "BF 3 (P2)"


@pytest.mark.parametrize(
    "iso3, due_2030_mt, due_2030_furnaces, due_2035_furnaces, no_basis",
    [("AAA", 5.0, 2, 2, 1), ("BBB", 1.5, 1, 1, 0), ("CCC", 0.0, 0, 1, 0)],
)
def test_relining_due_by_country(iso3, due_2030_mt, due_2030_furnaces, due_2035_furnaces, no_basis):
    got = steel.relining_due(steel.relining_calendar(units(), WORLD, 2025), by_country=True)
    assert got["iso3"].tolist() == ["AAA", "BBB", "CCC"]  # largest capacity due before 2030 first
    row = got.set_index("iso3").loc[iso3]
    assert row["due_before_2030_mt"] == pytest.approx(due_2030_mt)
    assert (row["due_before_2030_furnaces"], row["due_before_2035_furnaces"]) == (due_2030_furnaces, due_2035_furnaces)
    assert row["no_basis_furnaces"] == no_basis


def test_relining_calendar_of_a_company_and_of_nothing():
    got = steel.relining_calendar(units(), company("CompB"), 2025)
    assert got["unit_id"].tolist() == ["U4", "U7"]  # P3 (shared) and P4
    empty = steel.relining_calendar(units(), company("Nobody"), 2025)
    assert empty.empty and list(empty.columns) == steel.CALENDAR_COLUMNS
    row = steel.relining_due(empty).iloc[0]
    assert (row["furnaces"], row["due_before_2030_mt"], row["no_basis_named"]) == (0, 0.0, "")


# --- intensity ----------------------------------------------------------------------------------------------------
def test_intensity_by_country_only_where_both_report_and_production_is_positive():
    got = steel.intensity_by_country(emissions(), production())
    expected = pd.DataFrame(
        [("AAA", 2022, 20.0, 10.0, 2.0), ("AAA", 2023, 18.0, 12.0, 1.5), ("BBB", 2022, 10.0, 5.0, 2.0)],
        columns=steel.INTENSITY_COLUMNS,
    )
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)


@pytest.mark.parametrize(
    "scope, year, intensity, countries, covered",
    [
        (WORLD, 2022, 2.0, 2, "AAA; BBB"),  # (20 + 10) / (10 + 5): tonne-weighted, not a mean of ratios
        (WORLD, 2023, 1.5, 1, "AAA"),
        (MEMBERS, 2022, 2.0, 2, "AAA; BBB"),
        (NON_MEMBERS, 2022, 2.0, 1, "BBB"),
        (AAA, 2023, 1.5, 1, "AAA"),
    ],
)
def test_aggregate_intensity(scope, year, intensity, countries, covered):
    pairs = steel.intensity_by_country(emissions(), production())
    got = steel.aggregate_intensity(pairs, scope).set_index("year").loc[year]
    assert got["intensity"] == pytest.approx(intensity)
    assert (got["countries"], got["covered"]) == (countries, covered)


def test_aggregate_intensity_names_the_countries_it_lacks_and_has_none_for_a_company():
    pairs = steel.intensity_by_country(emissions(), production())
    members = steel.aggregate_intensity(pairs, MEMBERS, candidates=["AAA", "BBB"])
    assert members.attrs["missing"] == {2023: ["BBB"]}
    assert steel.aggregate_intensity(pairs, NON_MEMBERS)["year"].tolist() == [2022]
    firm = steel.aggregate_intensity(pairs, company("CompA"))
    assert firm.empty and "not by company" in firm.attrs["reason"]


def test_aggregate_intensity_weighted_example_differs_from_a_mean_of_ratios():
    pairs = pd.DataFrame(
        [("AAA", 2023, 30.0, 10.0), ("BBB", 2023, 1.0, 1.0)], columns=["iso3", "year", "emissions_mt", "production_mt"]
    )
    pairs["intensity"] = pairs["emissions_mt"] / pairs["production_mt"]
    got = steel.aggregate_intensity(pairs, WORLD)["intensity"].item()
    assert got == pytest.approx(31 / 11) and got != pytest.approx(np.mean([3.0, 1.0]))


@pytest.mark.parametrize(
    "scope, years, mt, countries",
    [
        (WORLD, [2022, 2023], [15.0, 16.0], [2, 3]),  # worldsteel's own WLD row is not added; CCC's 0 counts as 0
        (MEMBERS, [2022, 2023], [15.0, 12.0], [2, 1]),
        (CCC, [2023], [0.0], [1]),
    ],
)
def test_production_series(scope, years, mt, countries):
    got = steel.production_series(production(), scope)
    assert got["year"].tolist() == years
    assert got["production_mt"].tolist() == pytest.approx(mt)
    assert got["countries"].tolist() == countries


def test_production_of_a_company_is_empty():
    assert steel.production_series(production(), company("CompA")).empty


# --- headline figures ---------------------------------------------------------------------------------------------
def test_facts_of_the_members():
    pairs = steel.intensity_by_country(emissions(), production())
    got = steel.facts(capacity(), units(), production(), pairs, MEMBERS, 2025)
    assert (got.production_mt, got.production_year) == (12.0, 2023)
    assert (got.steel_operating_mt, got.steel_pipeline_mt) == (10.0, 5.0)
    assert (got.iron_operating_mt, got.iron_pipeline_mt) == (5.0, 2.0)
    assert got.near_zero_now_pct == pytest.approx(100 * 3 / 9)  # EAF 1 + 2 over known routes 9
    assert got.near_zero_pipeline_pct == pytest.approx(60.0)
    assert (got.iron_near_zero_now_pct, got.iron_near_zero_pipeline_pct) == (0.0, 100.0)  # P1's BF; P1's DRI
    assert (got.due_2030_mt, got.due_2030_furnaces, got.furnaces) == (pytest.approx(6.5), 3, 4)
    assert (got.intensity, got.intensity_year, got.world_intensity) == (pytest.approx(1.5), 2023, pytest.approx(1.5))


def test_facts_of_a_company_say_none_where_the_data_cannot_answer():
    pairs = steel.intensity_by_country(emissions(), production())
    got = steel.facts(capacity(), units(), production(), pairs, company("CompB"), 2025)
    assert got.production_mt is None and got.intensity is None and got.world_intensity is None
    assert got.steel_operating_mt == 2.0  # P3's EAF
    assert got.steel_pipeline_mt == 4.0  # P4's announced, route unspecified
    assert np.isnan(got.near_zero_pipeline_pct)
