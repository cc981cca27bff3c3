"""Metrics: hand-computed tables with exact values, and property-based invariants (hypothesis)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from decarb import metrics as m

NAN = math.nan


def s(points: dict[int, float]) -> pd.Series:
    return pd.Series(points, dtype=float)


FALLING = s({2018: 100, 2019: 96, 2020: 92, 2021: 88, 2022: 84, 2023: 80})  # -4 a year
RISING = s({2018: 50, 2019: 51, 2020: 52, 2021: 53, 2022: 54, 2023: 55})  # +1 a year
FLAT = s({y: 10 for y in range(2018, 2024)})
GAPPY = s({2018: 100, 2020: 90, 2023: 75})  # least squares: slope -5, fitted 2018 value 100 (worked by hand)
TWO_POINTS = s({2018: 100, 2023: 80})  # fewer than 3 points in a 5-year window: no trend
SINGLE = s({2023: 80})
ZEROS = s({y: 0 for y in range(2018, 2024)})
WITH_NAN = s({2018: 100, 2019: NAN, 2020: 92, 2021: 88, 2022: 84, 2023: 80})  # NaN counts as absent
EMPTY = s({})


def same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize(
    ("series", "rate", "cagr"),
    [
        (FALLING, -4.0, 100 * (0.8 ** (1 / 5) - 1)),
        (RISING, 2.0, 100 * (1.1 ** (1 / 5) - 1)),
        (FLAT, 0.0, 0.0),
        (GAPPY, -5.0, 100 * (0.75 ** (1 / 5) - 1)),
        (TWO_POINTS, NAN, 100 * (0.8 ** (1 / 5) - 1)),  # CAGR needs only its two ends
        (SINGLE, NAN, NAN),
        (ZEROS, NAN, NAN),  # relative to a zero start: undefined
        (WITH_NAN, -4.0, 100 * (0.8 ** (1 / 5) - 1)),
        (EMPTY, NAN, NAN),
    ],
)
def test_observed_rate_and_cagr(series, rate, cagr):
    assert same(m.observed_rate(series), rate)
    assert same(m.cagr(series), cagr)


@pytest.mark.parametrize(
    ("series", "n_years", "rate"),
    [
        (FALLING, 2, 100 * -4 / 88),  # window 2021-2023, fitted start 88
        (FALLING, 1, 100 * -4 / 84),
        (FALLING, 10, 100 * -4 / 120),  # window start 2013 is before the data; the fitted line there is 120
        (s({2022: 84, 2023: 80}), 5, NAN),
    ],
)
def test_observed_rate_window(series, n_years, rate):
    assert same(m.observed_rate(series, n_years), rate)


@pytest.mark.parametrize(
    ("series", "base_year", "expected"),
    [
        (FALLING, 2018, -20.0),
        (FALLING, 2020, 100 * (80 / 92 - 1)),
        (RISING, 2018, 10.0),
        (FALLING, 2015, NAN),  # no value in the base year
        (FALLING, 2023, NAN),  # base year is the latest year
        (ZEROS, 2018, NAN),  # base value zero
        (EMPTY, 2018, NAN),
    ],
)
def test_change_since(series, base_year, expected):
    assert same(m.change_since(series, base_year), expected)


@pytest.mark.parametrize(
    ("base_value", "base_year", "target_year", "residual", "expected"),
    [
        (80, 2023, 2050, 0.0, -100 / 27),
        (100, 2020, 2050, 0.1, -3.0),
        (100, 2040, 2050, 0.0, -10.0),
        (100, 2050, 2050, 0.0, NAN),  # no time left
        (100, 2051, 2050, 0.0, NAN),
        (0, 2020, 2050, 0.0, NAN),  # nothing to reduce
        (NAN, 2020, 2050, 0.0, NAN),
    ],
)
def test_required_rate(base_value, base_year, target_year, residual, expected):
    assert same(m.required_rate(base_value, base_year, target_year, residual), expected)


@pytest.mark.parametrize("residual", [-0.1, 1.0, 1.5])
def test_required_rate_refuses_a_residual_outside_0_1(residual):
    with pytest.raises(ValueError, match="residual_share"):
        m.required_rate(100, 2020, 2050, residual)


@pytest.mark.parametrize(
    ("observed", "required", "ratio", "status"),
    [
        (-4.0, -4.0, 1.0, m.ON_TRACK),  # exactly the required pace
        (-8.0, -4.0, 2.0, m.ON_TRACK),
        (-3.0, -4.0, 0.75, m.OFF_TRACK),
        (-2.0, -4.0, 0.5, m.OFF_TRACK),  # the boundary belongs to the better category
        (-1.0, -4.0, 0.25, m.WELL_OFF_TRACK),
        (0.0, -4.0, 0.0, m.WELL_OFF_TRACK),  # flat
        (0.5, -4.0, -0.125, m.WRONG_DIRECTION),
        (NAN, -4.0, NAN, m.NOT_ASSESSED),
        (-4.0, NAN, NAN, m.NOT_ASSESSED),
        (-4.0, 0.0, NAN, m.NOT_ASSESSED),  # no required cut (cannot come from required_rate, which gives NaN)
    ],
)
def test_rate_ratio_and_status(observed, required, ratio, status):
    assert same(m.rate_ratio(observed, required), ratio)
    assert m.status(observed, required) == status


@pytest.mark.parametrize(
    ("series", "year", "expected"),
    [
        (FALLING, 2030, 52.0),
        (FALLING, 2050, 0.0),
        (FALLING, 2043, 0.0),
        (FALLING, 2042, 4.0),
        (RISING, 2030, 62.0),
        (FLAT, 2050, 10.0),
        (GAPPY, 2030, 40.0),
        (FALLING, 2020, NAN),  # before the latest year: not a projection
        (SINGLE, 2030, NAN),
        (TWO_POINTS, 2030, NAN),
    ],
)
def test_project(series, year, expected):
    assert same(m.project(series, year), expected)


@pytest.mark.parametrize("series", [FALLING, RISING, FLAT, GAPPY, SINGLE, TWO_POINTS])
def test_trend_path_is_project_of_each_year(series):
    # A chart's trend line comes from one fit (trend_path); each point must be what project() gives that year.
    years = np.arange(2015, 2051)
    path = m.trend_path(series, years)
    assert all(same(got, m.project(series, int(y))) for got, y in zip(path, years, strict=True))


@pytest.mark.parametrize(
    ("series", "expected"),
    [
        (FALLING, 2043),
        (GAPPY, 2038),
        (s({2021: 10, 2022: 7, 2023: 4}), 2025),  # 4/3 years after 2023 -> 2025
        (s({2019: 9, 2020: 7, 2021: 5, 2022: 3, 2023: 1}), 2024),  # exactly 0.5 years after 2023
        (RISING, None),
        (FLAT, None),
        (SINGLE, None),
        (EMPTY, None),
        (ZEROS, 2023),  # already at zero
    ],
)
def test_net_zero_year(series, expected):
    assert m.net_zero_year(series) == expected


@pytest.mark.parametrize(
    ("series", "target", "residual", "expected"),
    [
        # projection 2030 = 52; linear pathway 2023->2050 from 80: 80 * (1 - 7/27) = 1600/27
        (FALLING, 2050, 0.0, 52 - 1600 / 27),
        (FALLING, 2030, 0.0, 52.0),
        (FALLING, 2050, 0.5, 52 - 80 * (1 - 0.5 * 7 / 27)),
        (RISING, 2050, 0.0, 62 - 55 * 20 / 27),
        (s({2029: 10, 2030: 9, 2031: 8}), 2050, 0.0, NAN),  # latest year after 2030
    ],
)
def test_gap_2030(series, target, residual, expected):
    assert same(m.gap_2030(series, target, residual), expected)


def test_progress_bundles_every_metric():
    p = m.progress(FALLING)
    expected = {
        "latest_year": 2023,
        "latest_value": 80.0,
        "change_since_pct": NAN,
        "window_start": 2018,
        "n_points": 6,
        "observed_rate_pct": -4.0,
        "required_rate_pct": -100 / 27,
        "rate_ratio": 1.08,
        "status": m.ON_TRACK,
        "projection_2030": 52.0,
        "projection_2050": 0.0,
        "net_zero_year": 2043,
        "pathway_2030": 1600 / 27,
        "gap_2030": 52 - 1600 / 27,
        "reasons": [],
    }
    for key, value in expected.items():
        assert same(p[key], value) if isinstance(value, float) else p[key] == value, key
    assert same(m.progress(FALLING, since_year=2018)["change_since_pct"], -20.0)


@pytest.mark.parametrize(
    ("series", "reason_part"),
    [
        (SINGLE, "no trend"),
        (ZEROS, "not positive"),
        (EMPTY, "no data"),
    ],
)
def test_progress_says_why_a_metric_is_missing(series, reason_part):
    assert any(reason_part in r for r in m.progress(series)["reasons"])


def test_vectorised_core_equals_the_scalar_functions_row_by_row():
    rows = [FALLING, RISING, FLAT, GAPPY, TWO_POINTS, SINGLE, ZEROS]
    table = pd.DataFrame(rows).reset_index(drop=True)
    fit = m.fit_trends(table.to_numpy(), table.columns.to_numpy())
    rates = m.observed_rate_from(fit)
    for i, row in enumerate(rows):
        assert same(rates[i], m.observed_rate(row))


# --- Properties ----------------------------------------------------------------------------------------------
positive = st.floats(min_value=1e-3, max_value=1e6, allow_nan=False)
rates = st.floats(min_value=-50, max_value=50, allow_nan=False)
required = st.floats(min_value=-50, max_value=-1e-3, allow_nan=False)
RANK = {m.ON_TRACK: 0, m.OFF_TRACK: 1, m.WELL_OFF_TRACK: 2, m.WRONG_DIRECTION: 3}


@st.composite
def series_strategy(draw, min_size: int = 2) -> pd.Series:
    start = draw(st.integers(1970, 2020))
    vals = draw(st.lists(positive, min_size=min_size, max_size=12))
    return pd.Series(vals, index=range(start, start + len(vals)), dtype=float)


@settings(deadline=None, max_examples=200)  # the shared machine is noisy: no deadline
@given(a=rates, b=rates, req=required)
def test_status_never_improves_when_the_observed_rate_gets_worse(a, b, req):
    better, worse = min(a, b), max(a, b)  # a higher (less negative) rate is worse
    assert RANK[m.status(worse, req)] >= RANK[m.status(better, req)]


FLAT_BY_SYMMETRY = pd.Series([1.25, 1.25, 7.0, 1.25, 1.25], index=range(2018, 2023))  # least-squares slope 0


def scaling_keeps_the_metrics(series: pd.Series, k: float) -> None:
    base_year = int(series.index.min())
    for metric in (
        lambda x: m.observed_rate(x),
        lambda x: m.cagr(x),
        lambda x: m.change_since(x, base_year),
        lambda x: m.progress(x)["rate_ratio"],
    ):
        a, b = metric(series), metric(series * k)
        assert (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, rel=1e-9, abs=1e-9)
    rate = m.observed_rate(series)
    on_a_threshold = min(abs(rate - edge) for edge in (-3.0, -1.5, -m.FLAT_RATE_PCT, m.FLAT_RATE_PCT)) < 1e-6
    assert m.status(rate, -3.0) == m.status(m.observed_rate(series * k), -3.0) or on_a_threshold


@settings(deadline=None, max_examples=200)  # the shared machine is noisy: no deadline
@given(series=series_strategy(), k=st.floats(min_value=1e-3, max_value=1e3))
@example(series=FLAT_BY_SYMMETRY, k=1.5)  # once "well off track" at scale 1 and "wrong direction" at 1.5
def test_percentages_are_invariant_to_scaling(series, k):
    scaling_keeps_the_metrics(series, k)


# CI replays fixed examples (derandomize=True) so that a run is repeatable; this one test explores new random
# examples on every run, so that cases like FLAT_BY_SYMMETRY can still be found (about 4 s here).
@settings(deadline=None, max_examples=500, derandomize=False)
@given(series=series_strategy(), k=st.floats(min_value=1e-3, max_value=1e3))
def test_percentages_are_invariant_to_scaling_on_fresh_random_examples(series, k):
    scaling_keeps_the_metrics(series, k)


@pytest.mark.parametrize("k", [1e-3, 0.7, 1.0, 1.5, 3.0, 1e3])
def test_a_flat_series_is_well_off_track_at_any_scale(k):
    rate = m.observed_rate(FLAT_BY_SYMMETRY * k)
    assert abs(rate) < 1e-9
    assert m.status(rate, -3.0) == m.WELL_OFF_TRACK


@pytest.mark.parametrize(
    ("rate", "expected"),
    [
        (m.FLAT_RATE_PCT, m.WELL_OFF_TRACK),
        (-m.FLAT_RATE_PCT, m.WELL_OFF_TRACK),
        (0.0, m.WELL_OFF_TRACK),
        (2 * m.FLAT_RATE_PCT, m.WRONG_DIRECTION),
        (-3.0, m.ON_TRACK),
    ],
)
def test_flat_tolerance_edges(rate, expected):
    assert m.status(rate, -3.0) == expected


@settings(deadline=None, max_examples=200)  # the shared machine is noisy: no deadline
@given(start=st.integers(1970, 2020), first=positive, steps=st.lists(positive, min_size=1, max_size=10))
def test_a_rising_series_never_gets_a_net_zero_year(start, first, steps):
    vals = np.cumsum([first, *steps])
    series = pd.Series(vals, index=range(start, start + len(vals)))
    assert m.net_zero_year(series) is None
    rate = m.observed_rate(series)
    flat = abs(rate) <= m.FLAT_RATE_PCT  # a rise this small counts as flat
    assert m.status(rate, -3.0) in ((m.WELL_OFF_TRACK,) if flat else (m.WRONG_DIRECTION, m.NOT_ASSESSED))


# A trend that crosses zero in 2202, where the projection was 1.4e-15 instead of 0 before projections() rounded.
CROSSES_ZERO_BY_ROUNDING = pd.Series(
    [
        0.7000000000000001,
        0.2,
        10.0,
        10.0,
        0.30000000000000004,
        0.125,
        0.7000000000000001,
        0.125,
        1.0,
        0.1,
        0.30000000000000004,
    ],
    index=range(1982, 1993),
)


@settings(deadline=None, max_examples=200)  # the shared machine is noisy: no deadline
@given(series=series_strategy(min_size=3))
@example(series=CROSSES_ZERO_BY_ROUNDING)
def test_net_zero_year_is_after_the_latest_year_and_the_projection_is_zero_there(series):
    year = m.net_zero_year(series)
    if year is not None:
        assert year > series.index.max()
        assert m.project(series, year) == 0.0
        assert m.project(series, year - 1) > 0 or year - 1 == series.index.max()


def test_a_flat_falling_trend_has_no_net_zero_year():
    """Flat by the status rule (|observed rate| <= FLAT_RATE_PCT) is not falling: no crossing thousands of years
    away (hypothesis found one at about 3e17, where the projection no longer resolves to 0)."""
    years = list(range(2015, 2021))
    flat = pd.Series([100.0 - 1e-9 * i for i in range(len(years))], index=years)
    assert m.net_zero_year(flat) is None
    falling = pd.Series([100.0 - 2.0 * i for i in range(len(years))], index=years)
    assert m.net_zero_year(falling) == 2020 + 90 // 2  # 90 at 2020, falling 2 a year


def _panel(rows: dict[str, list[float]], years: list[int]) -> pd.DataFrame:
    return pd.DataFrame(rows, index=years).T


@pytest.mark.parametrize(
    ("rows", "years", "base_year", "year", "kept"),
    [
        ({"A": [1.0, 2.0], "B": [np.nan, 3.0]}, [2015, 2016], 2015, 2016, ["A"]),  # B has no base value
        ({"A": [1.0, np.nan]}, [2015, 2016], 2015, 2016, []),  # no latest value
        ({"A": [1.0]}, [2015], 2015, None, []),  # no later year
        ({"A": [1.0, 2.0]}, [2016, 2017], 2015, None, []),  # no base-year column
    ],
)
def test_panel_change_keeps_rows_with_both_years(rows, years, base_year, year, kept):
    got_year, values = m.panel_change(_panel(rows, years), base_year)
    assert got_year == year and values.index.tolist() == kept


def test_percent_change_leaves_out_a_base_that_is_not_positive():
    values = pd.DataFrame({"base": [2.0, 0.0, -1.0], "latest": [3.0, 1.0, 1.0]}, index=["A", "B", "C"])
    assert m.percent_change(values).to_dict() == {"A": 50.0}


def test_largest_moves_each_way_falls_first_and_no_change_is_neither():
    values = pd.DataFrame(
        {"base": [10.0, 10.0, 10.0, 10.0, 10.0], "latest": [4.0, 9.0, 10.0, 12.0, 20.0]}, index=list("ABCDE")
    )
    assert m.largest_moves(values, 1).to_dict() == {"A": -6.0, "E": 10.0}
    assert m.largest_moves(values, 5).index.tolist() == ["A", "B", "D", "E"]
