"""Progress-to-net-zero metrics: small functions on an annual series, each with units and a missing-data rule.

Every metric is computed by one vectorised function on a matrix (rows: series, columns: years), used both by
the scalar functions below (one series) and by the scoreboard (thousands at once), so the two always agree.
A series is a pd.Series indexed by year (int) with emissions as values (absent years are simply absent; NaN
values are treated as absent). No metric ever fills a gap: when its rule cannot be met it returns NaN (or
None for a year) and `progress()` says why.

Definitions (docs/method.md has the worked example):
- latest year L: the last year with a value; base value v_L.
- window: the years L-N .. L (N = n_years, default 5) that have a value; at least MIN_POINTS of them.
- trend: the least-squares line v = a + b*t through the window's points; b in units per year.
- observed rate (%/yr) = 100 * b / fitted(L-N), the slope relative to the trend value at the window start;
  NaN when fitted(L-N) <= 0 (a rate relative to nothing is meaningless).
- CAGR (%/yr) = 100 * ((v_L / v_(L-N)) ** (1/N) - 1); NaN when v_(L-N) is absent or <= 0 or v_L < 0.
- required rate (%/yr) = -100 * (1 - residual_share) / (target_year - L): the linear cut per year, as a share of
  v_L, that reaches residual_share * v_L in the target year. NaN when target_year <= L or v_L <= 0.
- rate ratio = observed rate / required rate (1 = exactly the required pace).
- status: see STATUS_RULE; a rate within FLAT_RATE_PCT of zero is flat (never "wrong direction").
- projection at the current trend: v_L + b * (year - L), never below zero (net zero is the floor).
- net-zero year at the current trend: the first whole year with projection <= 0, i.e. ceil(L + v_L / -b);
  None when b >= 0 ("not at the current trend").
- gap in 2030 = projection(2030) - linear pathway(2030) (same unit as the series; > 0: above the pathway).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

# Change is reported since the default base year (the Paris Agreement year, Climate TRACE's first year).
from decarb.contract import DEFAULT_BASE_YEAR as DEFAULT_SINCE_YEAR
from decarb.contract import DEFAULT_TARGET_YEAR

DEFAULT_N_YEARS = 5
GAP_YEAR = 2030

# --- Status rule (published) -----------------------------------------------------------------------------------
ON_TRACK = "on track"
OFF_TRACK = "off track"
WELL_OFF_TRACK = "well off track"
WRONG_DIRECTION = "wrong direction"
NOT_ASSESSED = "not assessed"
STATUSES: tuple[str, ...] = (ON_TRACK, OFF_TRACK, WELL_OFF_TRACK, WRONG_DIRECTION, NOT_ASSESSED)
ON_TRACK_MIN_RATIO = 1.0  # observed reduction rate at least the required one
OFF_TRACK_MIN_RATIO = 0.5  # at least half of the required reduction rate
# A trend this close to zero is flat. Without a tolerance the sign of a flat series' slope is floating-point noise
# that depends on its scale: [1.25, 1.25, 7.0, 1.25, 1.25] gave a rate of exactly 0 ("well off track") and the same
# series times 1.5 gave +1.2e-15 %/yr ("wrong direction"). 0.01 %/yr is 0.3 % in 30 years, below what any inventory
# resolves, and many orders above rounding noise.
FLAT_RATE_PCT = 0.01
STATUS_RULE = (
    "ratio = observed annual rate / required annual rate (both %/yr, negative = falling). "
    f"A rate within {FLAT_RATE_PCT:g} %/yr of zero counts as flat: {WELL_OFF_TRACK}. "
    f"Emissions rising (observed rate > {FLAT_RATE_PCT:g}): {WRONG_DIRECTION}. Otherwise ratio >= "
    f"{ON_TRACK_MIN_RATIO:g}: {ON_TRACK}; {OFF_TRACK_MIN_RATIO:g} <= ratio < {ON_TRACK_MIN_RATIO:g}: {OFF_TRACK}; "
    f"ratio < {OFF_TRACK_MIN_RATIO:g}: {WELL_OFF_TRACK}. "
    f"Observed or required rate unavailable (too few points, zero base, target year not after the latest year): "
    f"{NOT_ASSESSED}."
)


def min_points(n_years: int) -> int:
    """Points needed in an N-year window (N+1 years): at least half of them, and never fewer than 2."""
    return max(2, math.ceil((n_years + 1) / 2))


# --- Vectorised core -----------------------------------------------------------------------------------------
def fit_trends(values: np.ndarray, years: np.ndarray, n_years: int = DEFAULT_N_YEARS) -> dict[str, np.ndarray]:
    """Latest year/value, window start and the least-squares line for each row of `values` (rows x years).

    Returns arrays: latest_year, latest_value, start_year (L-N), start_value (observed at L-N, NaN if absent),
    slope (units/yr), fitted_start, n_points. Rows with no value, or fewer than min_points(N) in the window,
    get NaN slope (and latest_year NaN when the row is empty).
    """
    if n_years < 1:
        raise ValueError("n_years must be at least 1.")
    values = np.atleast_2d(np.asarray(values, dtype=float))
    years = np.asarray(years, dtype=float)
    if values.shape[1] == 0:  # no year at all: one absent year keeps the shapes valid
        values, years = np.full((values.shape[0], 1), np.nan), np.zeros(1)
    valid = ~np.isnan(values)
    any_valid = valid.any(axis=1)
    last = np.where(any_valid, values.shape[1] - 1 - np.argmax(valid[:, ::-1], axis=1), 0)
    rows = np.arange(values.shape[0])
    latest_year = np.where(any_valid, years[last], np.nan)
    latest_value = np.where(any_valid, values[rows, last], np.nan)
    start_year = latest_year - n_years
    in_window = valid & (years >= start_year[:, None]) & (years <= latest_year[:, None])
    n = in_window.sum(axis=1)
    t = np.where(in_window, years - np.nan_to_num(latest_year)[:, None], 0.0)  # centred on L for accuracy
    v = np.where(in_window, values, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_t, mean_v = t.sum(axis=1) / n, v.sum(axis=1) / n
        dt = np.where(in_window, t - mean_t[:, None], 0.0)
        slope = (dt * np.where(in_window, v - mean_v[:, None], 0.0)).sum(axis=1) / (dt * dt).sum(axis=1)
    slope = np.where(n >= min_points(n_years), slope, np.nan)
    fitted_start = mean_v + slope * (-n_years - mean_t)
    start_col = (years[None, :] == start_year[:, None]) & valid
    start_value = np.where(start_col.any(axis=1), np.where(start_col, values, 0.0).sum(axis=1), np.nan)
    return {
        "latest_year": latest_year,
        "latest_value": latest_value,
        "start_year": start_year,
        "start_value": start_value,
        "slope": slope,
        "fitted_start": fitted_start,
        "n_points": n,
    }


def observed_rate_from(fit: dict[str, np.ndarray]) -> np.ndarray:
    """%/yr: 100 * slope / fitted value at the window start; NaN when that fitted value is <= 0."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(fit["fitted_start"] > 0, 100.0 * fit["slope"] / fit["fitted_start"], np.nan)


def cagr_from(fit: dict[str, np.ndarray], n_years: int) -> np.ndarray:
    """%/yr: compound annual growth from the observed value at L-N to L; NaN unless v_(L-N) > 0 and v_L >= 0."""
    start, end = fit["start_value"], fit["latest_value"]
    ok = (start > 0) & (end >= 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(ok, 100.0 * (np.power(np.where(ok, end / start, 1.0), 1.0 / n_years) - 1.0), np.nan)


def required_rates(
    base_value: np.ndarray, base_year: np.ndarray, target_year: np.ndarray | int, residual_share: float = 0.0
) -> np.ndarray:
    """%/yr of the base value: -100 * (1 - residual) / (target - base); NaN if target <= base or base <= 0."""
    check_residual(residual_share)
    span = np.asarray(target_year, dtype=float) - np.asarray(base_year, dtype=float)
    ok = (span > 0) & (np.asarray(base_value, dtype=float) > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(ok, -100.0 * (1.0 - residual_share) / span, np.nan)


def rate_ratios(observed: np.ndarray, required: np.ndarray) -> np.ndarray:
    """observed / required (unitless); NaN when either is NaN or required >= 0."""
    observed, required = np.asarray(observed, dtype=float), np.asarray(required, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(required < 0, observed / required, np.nan)


def statuses(observed: np.ndarray, required: np.ndarray) -> np.ndarray:
    """STATUS_RULE applied element-wise (array of status strings)."""
    observed, required = np.asarray(observed, dtype=float), np.asarray(required, dtype=float)
    ratio = rate_ratios(observed, required)
    assessed = ~np.isnan(observed) & ~np.isnan(ratio)
    flat = np.abs(observed) <= FLAT_RATE_PCT
    conditions = [~assessed, flat, observed > 0, ratio >= ON_TRACK_MIN_RATIO, ratio >= OFF_TRACK_MIN_RATIO]
    choices = [NOT_ASSESSED, WELL_OFF_TRACK, WRONG_DIRECTION, ON_TRACK, OFF_TRACK]
    return np.select(conditions, choices, default=WELL_OFF_TRACK)


def projections(fit: dict[str, np.ndarray], year: int | np.ndarray) -> np.ndarray:
    """Value in `year` at the current trend: max(0, v_L + b * (year - L)); NaN if year < L or no trend."""
    value = np.maximum(fit["latest_value"] + fit["slope"] * (year - fit["latest_year"]), 0.0)
    # A trend that reaches zero in `year` lands there only up to rounding (5.6e-17 found by Hypothesis): a value
    # within 1e-9 of the latest one is zero, the same rounding net_zero_years() applies to the crossing year.
    value = np.where(value <= 1e-9 * np.abs(fit["latest_value"]), 0.0, value)
    return np.where(year >= fit["latest_year"], value, np.nan)


def net_zero_years(fit: dict[str, np.ndarray]) -> np.ndarray:
    """First whole year with trend projection <= 0 (float array; NaN when not falling or no trend).

    A flat trend (observed rate within FLAT_RATE_PCT of zero) is not falling, as in the status rule: its crossing
    would be thousands of years away, further than a float year resolves."""
    slope, latest, value = fit["slope"], fit["latest_year"], fit["latest_value"]
    flat = np.abs(observed_rate_from(fit)) <= FLAT_RATE_PCT  # NaN rate (no fitted start): not flat
    with np.errstate(invalid="ignore", divide="ignore"):
        crossing = np.ceil(np.round(latest + value / -slope, 9))
    return np.where(value <= 0, latest, np.where((slope < 0) & ~flat, crossing, np.nan))


def linear_pathway_values(
    base_value: np.ndarray, base_year: np.ndarray, year: int, target_year: np.ndarray | int, residual_share: float = 0.0
) -> np.ndarray:
    """Linear pathway value in `year`: v_B * (1 - (1 - r) * (year - B) / (T - B)), held at r * v_B after T."""
    span = np.asarray(target_year, dtype=float) - np.asarray(base_year, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        done = np.clip((year - np.asarray(base_year, dtype=float)) / span, 0.0, 1.0)
        value = np.asarray(base_value, dtype=float) * (1.0 - (1.0 - residual_share) * done)
    return np.where((span > 0) & (year >= base_year), value, np.nan)


def progress_rows(
    values: np.ndarray,
    years: np.ndarray,
    n_years: int = DEFAULT_N_YEARS,
    target_year: np.ndarray | int = DEFAULT_TARGET_YEAR,
    residual_share: float = 0.0,
    since_year: int = DEFAULT_SINCE_YEAR,
) -> dict[str, np.ndarray]:
    """The metrics of `progress()` for each row of `values` (rows x years, NaN where a row has no value), at once.

    The one vectorised place for them (the scoreboard and the pages' per-country tables): row i equals
    progress() of that row's series (tested), without a pandas Series and a fit per row.
    """
    years = np.asarray(years)
    fit = fit_trends(values, years, n_years)
    observed = observed_rate_from(fit)
    required = required_rates(fit["latest_value"], fit["latest_year"], target_year, residual_share)
    pathway = linear_pathway_values(fit["latest_value"], fit["latest_year"], GAP_YEAR, target_year, residual_share)
    column = np.flatnonzero(years == since_year)
    since = values[:, column[0]] if column.size else np.full(len(values), np.nan)
    ok = (since > 0) & (since_year < fit["latest_year"])
    with np.errstate(invalid="ignore", divide="ignore"):
        change = np.where(ok, 100.0 * (fit["latest_value"] / since - 1.0), np.nan)
    return {
        "latest_year": fit["latest_year"],
        "latest_value": fit["latest_value"],
        "change_since_pct": change,
        "n_points": fit["n_points"],
        "observed_rate_pct": observed,
        "cagr_pct": cagr_from(fit, n_years),
        "required_rate_pct": required,
        "rate_ratio": rate_ratios(observed, required),
        "status": statuses(observed, required),
        "projection_2030": projections(fit, 2030),
        "projection_2050": projections(fit, 2050),
        "net_zero_year": net_zero_years(fit),
        "pathway_2030": pathway,
        "gap_2030": projections(fit, GAP_YEAR) - pathway,
    }


def check_residual(residual_share: float) -> None:
    if not 0.0 <= residual_share < 1.0:
        raise ValueError(f"residual_share must be in [0, 1): got {residual_share}.")


# --- One series ----------------------------------------------------------------------------------------------
def _row(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    clean = series.dropna().sort_index()
    if clean.empty:  # one absent year keeps the matrix shape valid; every metric is then NaN
        return np.full((1, 1), np.nan), np.zeros(1)
    return clean.to_numpy(dtype=float)[None, :], clean.index.to_numpy(dtype=float)


def _fit(series: pd.Series, n_years: int) -> dict[str, np.ndarray]:
    values, years = _row(series)
    return fit_trends(values, years, n_years)


def _scalar(array: np.ndarray) -> float:
    return float(np.asarray(array).ravel()[0])


def latest(series: pd.Series) -> tuple[int | None, float]:
    """(latest year with a value, its value); (None, NaN) for an empty series."""
    clean = series.dropna()
    if clean.empty:
        return None, math.nan
    year = int(clean.index.max())
    return year, float(clean.loc[year])


def change_since(series: pd.Series, base_year: int) -> float:
    """% change from `base_year` to the latest year: 100 * (v_L / v_base - 1).

    NaN when the base year has no value, its value is <= 0, or it is not before the latest year.
    """
    clean = series.dropna()
    year, value = latest(clean)
    if year is None or base_year not in clean.index or base_year >= year or clean.loc[base_year] <= 0:
        return math.nan
    return 100.0 * (value / float(clean.loc[base_year]) - 1.0)


def panel_change(table: pd.DataFrame, base_year: int) -> tuple[int | None, pd.DataFrame]:
    """Each row's value in `base_year` and in the table's latest year (columns: years), for the rows that have
    both: (latest year, frame with columns "base" and "latest"). No year (None) and no rows when the table has
    no base-year column or no later year. The Sectors change map and the movers slide share this rule."""
    year = int(table.columns.max()) if len(table.columns) else None
    if year is None or base_year not in table.columns or year <= base_year:
        return None, pd.DataFrame(columns=["base", "latest"], dtype=float)
    both = table[[base_year, year]].dropna()
    return year, pd.DataFrame({"base": both[base_year], "latest": both[year]}, index=both.index)


def percent_change(values: pd.DataFrame) -> pd.Series:
    """100 * (latest / base - 1) of panel_change's rows; rows whose base is not positive left out."""
    positive = values[values["base"] > 0]
    return 100.0 * (positive["latest"] / positive["base"] - 1.0)


def largest_moves(values: pd.DataFrame, each_way: int) -> pd.Series:
    """The `each_way` largest falls (most negative first) and the `each_way` largest rises (largest last) of
    panel_change's rows, as latest - base; no change (0) is neither."""
    change = (values["latest"] - values["base"]).sort_values(kind="stable")
    return pd.concat([change[change < 0].head(each_way), change[change > 0].tail(each_way)])


def observed_rate(series: pd.Series, n_years: int = DEFAULT_N_YEARS) -> float:
    """%/yr over the last N years: least-squares slope relative to the trend value N years before the latest.

    NaN with fewer than min_points(N) values in the window or a non-positive trend value at its start.
    """
    return _scalar(observed_rate_from(_fit(series, n_years)))


def cagr(series: pd.Series, n_years: int = DEFAULT_N_YEARS) -> float:
    """%/yr compound annual growth rate from L-N to L (observed values; NaN if either is absent or unusable)."""
    return _scalar(cagr_from(_fit(series, n_years), n_years))


def required_rate(
    base_value: float, base_year: int, target_year: int = DEFAULT_TARGET_YEAR, residual_share: float = 0.0
) -> float:
    """%/yr of the base value needed to reach residual_share * base_value in target_year on a straight line.

    NaN when target_year <= base_year or base_value <= 0 (or NaN). Raises for residual_share outside [0, 1).
    """
    return _scalar(required_rates(np.array([base_value]), np.array([base_year]), target_year, residual_share))


def rate_ratio(observed: float, required: float) -> float:
    """observed / required (unitless, 1 = the required pace); NaN when either is NaN or required >= 0."""
    return _scalar(rate_ratios(np.array([observed]), np.array([required])))


def status(observed: float, required: float) -> str:
    """The status category for an observed and a required rate (%/yr); the rule is STATUS_RULE."""
    return str(statuses(np.array([observed]), np.array([required]))[0])


def project(series: pd.Series, year: int, n_years: int = DEFAULT_N_YEARS) -> float:
    """Value in `year` at the current trend (series unit): max(0, v_L + b * (year - L)); NaN if year < L."""
    return _scalar(projections(_fit(series, n_years), year))


def trend_path(series: pd.Series, years: np.ndarray, n_years: int = DEFAULT_N_YEARS) -> np.ndarray:
    """project() for each of `years`, from one fit (a chart's trend line: fitting once per year cost 30 fits)."""
    return projections(_fit(series, n_years), np.asarray(years))


def net_zero_year(series: pd.Series, n_years: int = DEFAULT_N_YEARS) -> int | None:
    """First whole year the current trend reaches zero; None when emissions are not falling (or no trend)."""
    year = _scalar(net_zero_years(_fit(series, n_years)))
    return None if math.isnan(year) else int(year)


def gap_2030(
    series: pd.Series,
    target_year: int = DEFAULT_TARGET_YEAR,
    residual_share: float = 0.0,
    n_years: int = DEFAULT_N_YEARS,
    year: int = GAP_YEAR,
) -> float:
    """Projection minus linear pathway (from the latest year) in 2030, series unit; > 0 means above pathway."""
    fit = _fit(series, n_years)
    path = linear_pathway_values(fit["latest_value"], fit["latest_year"], year, target_year, residual_share)
    return _scalar(projections(fit, year) - path)


def _reasons(fit: dict[str, np.ndarray], n_years: int, target_year: int) -> list[str]:
    reasons = []
    if np.isnan(fit["latest_year"][0]):
        return ["no data"]
    if np.isnan(fit["slope"][0]):
        reasons.append(f"fewer than {min_points(n_years)} values in the {n_years}-year window: no trend")
    elif fit["fitted_start"][0] <= 0:
        reasons.append("trend value at the window start is not positive: no relative rate")
    if target_year <= fit["latest_year"][0]:
        reasons.append("target year is not after the latest year: no required rate")
    if fit["latest_value"][0] <= 0:
        reasons.append("latest value is not positive: no required rate")
    return reasons


def progress(
    series: pd.Series,
    target_year: int = DEFAULT_TARGET_YEAR,
    residual_share: float = 0.0,
    n_years: int = DEFAULT_N_YEARS,
    since_year: int = DEFAULT_SINCE_YEAR,
) -> dict:
    """Every headline metric for one series, with units, in one dict (see the module docstring).

    Keys: latest_year, latest_value, unit, since_year, change_since_pct, n_years, window_start, n_points,
    observed_rate_pct, cagr_pct, target_year, residual_share, required_rate_pct, rate_ratio, status,
    projection_2030, projection_2050, net_zero_year, pathway_2030, gap_2030, reasons (list of why NaN).
    """
    fit = _fit(series, n_years)
    observed = _scalar(observed_rate_from(fit))
    required = _scalar(required_rates(fit["latest_value"], fit["latest_year"], target_year, residual_share))
    pathway = _scalar(
        linear_pathway_values(fit["latest_value"], fit["latest_year"], GAP_YEAR, target_year, residual_share)
    )
    year = _scalar(fit["latest_year"])
    nz = _scalar(net_zero_years(fit))
    return {
        "latest_year": None if math.isnan(year) else int(year),
        "latest_value": _scalar(fit["latest_value"]),
        "unit": series.attrs.get("unit", ""),
        "since_year": since_year,
        "change_since_pct": change_since(series, since_year),
        "n_years": n_years,
        "window_start": None if math.isnan(year) else int(year) - n_years,
        "n_points": int(fit["n_points"][0]),
        "observed_rate_pct": observed,
        "cagr_pct": _scalar(cagr_from(fit, n_years)),
        "target_year": target_year,
        "residual_share": residual_share,
        "required_rate_pct": required,
        "rate_ratio": rate_ratio(observed, required),
        "status": status(observed, required),
        "projection_2030": _scalar(projections(fit, 2030)),
        "projection_2050": _scalar(projections(fit, 2050)),
        "net_zero_year": None if math.isnan(nz) else int(nz),
        "pathway_2030": pathway,
        "gap_2030": _scalar(projections(fit, GAP_YEAR)) - pathway,
        "reasons": _reasons(fit, n_years, target_year),
    }
