"""Pathways and target years: exact values on hand-picked cases and the residual property."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tiny_analytics_data import tiny_dataset

from decarb.pathways import (
    NO_STATUS,
    NO_TARGET,
    linear_pathway,
    members_target_years,
    target_year_for,
)

DS = tiny_dataset()


@pytest.mark.parametrize(
    ("base_year", "base_value", "target_year", "residual", "expected"),
    [
        (2020, 100.0, 2030, 0.0, [100, 90, 80, 70, 60, 50, 40, 30, 20, 10, 0]),
        (2020, 100.0, 2024, 0.2, [100, 80, 60, 40, 20]),
        (2023, 80.0, 2025, 0.5, [80, 60, 40]),
    ],
)
def test_linear_pathway(base_year, base_value, target_year, residual, expected):
    path = linear_pathway(base_year, base_value, target_year, residual)
    assert list(path.index) == list(range(base_year, target_year + 1))
    assert path.tolist() == pytest.approx(expected, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: linear_pathway(2050, 100.0, 2050), "after base_year"),
        (lambda: linear_pathway(2020, 0.0, 2050), "positive"),
        (lambda: linear_pathway(2020, math.nan, 2050), "positive"),
        (lambda: linear_pathway(2020, 100.0, 2050, 1.0), "residual_share"),
    ],
)
def test_pathway_refuses_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()


@pytest.mark.parametrize(
    ("iso3", "year", "note_part"),
    [
        ("AAA", 2045, "Net zero by 2045 (In law)"),
        ("CCC", 2050, "default 2050"),  # an emissions reduction target is not a net-zero year
        ("BBB", 2050, "default 2050"),
    ],
)
def test_target_year_for(iso3, year, note_part):
    got_year, note = target_year_for(DS, iso3)
    assert got_year == year
    assert note_part in note


@settings(deadline=None, max_examples=300)
@given(
    base_year=st.integers(1990, 2049),
    span=st.integers(1, 60),
    base_value=st.floats(min_value=1e-6, max_value=1e7),
    residual=st.floats(min_value=0, max_value=0.99),
)
def test_pathways_start_at_the_base_and_reach_the_residual_exactly_in_the_target_year(
    base_year, span, base_value, residual
):
    target = base_year + span
    linear = linear_pathway(base_year, base_value, target, residual)
    assert linear.loc[base_year] == base_value
    assert linear.loc[target] == base_value * residual
    assert (linear.diff().dropna() <= 0).all()


def test_members_target_years_name_the_year_its_status_or_no_target():
    targets = pd.DataFrame(
        {
            "actor_type": ["country", "country", "country"],
            "iso3": ["AAA", "BBB", "BBB"],
            "end_target": ["Net zero", "Net zero", "Net zero"],
            "end_target_year": [2050.0, 2045.0, 2060.0],
            "end_target_status": ["In law", None, "Proposed"],
        }
    )
    own = pd.DataFrame({"year": [2050, 2045]}, index=["AAA", "BBB"])
    got = members_target_years(targets, own, ["BBB", "CCC", "AAA"])
    assert got.values.tolist() == [
        ["BBB", "2045", NO_STATUS],
        ["CCC", "No target", NO_TARGET],
        ["AAA", "2050", "In law"],
    ]
