"""Member aggregates on the tiny dataset: shares, counts against reported counts, trends around joining."""

from __future__ import annotations

import pandas as pd
import pytest
from tiny_analytics_data import tiny_dataset

from decarb.members import member_counts, member_share_of_world

DS = tiny_dataset()


def shares(frame: pd.DataFrame) -> dict[int, float]:
    return dict(zip(frame["year"].astype(int), frame["share_pct"], strict=True))


@pytest.mark.parametrize(
    ("kwargs", "expected", "n_members"),
    [
        # today's members (AAA, CCC) back-cast; 2020 is absent because CCC has a gap there
        ({}, {2018: 120 / 135, 2019: 116 / 132, 2021: 108 / 121, 2022: 104 / 123, 2023: 100 / 120}, 2),
        # members as of 2019 (AAA only), in every year
        (
            {"as_of_year": 2019, "backcast": False},
            {2018: 100 / 135, 2019: 96 / 132, 2020: 92 / 109, 2021: 88 / 121, 2022: 84 / 123, 2023: 80 / 120},
            1,
        ),
    ],
)
def test_member_share_of_world(kwargs, expected, n_members):
    frame = member_share_of_world(DS, "edgar", "heavy_industry", **kwargs)
    assert shares(frame) == pytest.approx({y: 100 * v for y, v in expected.items()}, rel=1e-12)
    assert set(frame["n_members"]) == {n_members}
    assert "note" in frame.attrs


def test_member_share_with_membership_changing_over_time():
    frame = member_share_of_world(DS, "edgar", "heavy_industry", backcast=False)
    assert shares(frame) == pytest.approx(
        {
            2018: 0.0,
            2019: 100 * 96 / 132,
            2020: 100 * 92 / 109,
            2021: 100 * 88 / 121,
            2022: 100 * 84 / 123,
            2023: 100 * 80 / 120,
        }
    )
    assert dict(zip(frame["year"], frame["n_members"], strict=True))[2018] == 0
    assert "unknown join date are left out" in frame.attrs["note"]


def test_member_counts_against_reported_counts():
    counts = member_counts(DS.members, DS.reported_counts).set_index("date")
    expected = pd.DataFrame(
        {
            "countries_listed": [1, 1, 1],
            "companies_listed": [0, 1, 1],
            "total_listed": [1, 2, 2],
            "countries_unknown_date": [2, 2, 2],
            "companies_unknown_date": [0, 0, 0],
            "countries_reported": [3, None, None],
            "total_reported": [5, None, 9],
            "gap_countries": [2, None, None],
            "gap_total": [4, None, 7],
        },
        index=pd.to_datetime(["2019-09-23", "2021-04-23", "2022-01-01"]),
    )
    for column in expected:
        got = counts[column].astype("Float64").tolist()
        want = pd.Series(expected[column], dtype="Float64").tolist()
        assert [None if pd.isna(v) else v for v in got] == [None if pd.isna(v) else v for v in want], column
    assert list(counts.index) == list(expected.index)


def _with_company_targets(rows: list[tuple]) -> object:
    """The tiny dataset with these tracker companies: (actor_id, name, iso3, end_target, year)."""
    import dataclasses

    extra = (
        pd.DataFrame(
            [(i, n, "company", c, t, y, "Declaration / pledge") for i, n, c, t, y in rows],
            columns=["actor_id", "name", "actor_type", "iso3", "end_target", "end_target_year", "end_target_status"],
        )
        .astype({"end_target_year": "Int16"})
        .assign(industry=None, end_target_snapshot=pd.Timestamp("2023-04-22").date())
    )
    return dataclasses.replace(DS, targets=pd.concat([DS.targets, extra], ignore_index=True))


@pytest.mark.parametrize(
    ("tracker", "expected"),
    [
        ([("K1", "Steel Co.", "AAA", "Net zero", 2040)], ("Net zero 2040", "Steel Co. (K1)")),  # punctuation aside
        ([("K1", "Steel Co Holding AB", "AAA", "Net zero", 2045)], ("Net zero 2045", "Steel Co Holding AB (K1)")),
        ([("K1", "Steel Co", "CCC", "Net zero", 2040)], ("not covered by the tracker", "")),  # a namesake elsewhere
        (
            [("K2", "Steel Co", "AAA", "Carbon neutral(ity)", 2035), ("K1", "Steel Co", "CCC", "Net zero", 2040)],
            ("Carbon neutral(ity) 2035", "Steel Co (K2)"),
        ),  # namesakes: the one at home
        ([("K1", "Steel Corp", "AAA", "Net zero", 2040)], ("not covered by the tracker", "")),  # not a whole word
        ([], ("not covered by the tracker", "")),
    ],
)
def test_company_members_take_the_tracker_entry_of_the_same_company(tracker, expected):
    from decarb.screens.members import company_members

    row = company_members(_with_company_targets(tracker)).iloc[0]
    assert (row["Member"], row["Home country"]) == ("Steel Co", "Aland")
    assert (row["Net-zero target"], row["Tracker entry"]) == expected
