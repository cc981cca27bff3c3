"""What several screens share: sector and country choices, number formatting, and the tidy frames of lines."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from functools import cache

import numpy as np
import pandas as pd

from decarb import exports, provenance
from decarb.chartspec import ChartSpec
from decarb.contract import (
    HEAVY_INDUSTRY,
    HEAVY_INDUSTRY_CONTENTS,
    SECTOR_BY_CODE,
    SECTORS,
    SOURCE_LABELS,
    TOTAL,
    sector_definition,
    sectors_for,
)
from decarb.data import Dataset
from decarb.metrics import latest, trend_path
from decarb.milestones import chart_milestones
from decarb.normalise import window_start
from decarb.pathways import linear_pathway
from decarb.view import View

HOW_LABELS: dict[str, str] = {
    "absolute": "Absolute",
    "per_capita": "Per capita",
    "per_gdp": "Per unit of GDP",
    "index": "Index (base year = 100)",
    "share_of_world": "Share of world",
}


def how_words(how: str, base_year: int) -> str:
    """The normalisation inside a title: "per capita", "per unit of GDP", "index (2015 = 100)"."""
    if how == "index":
        return f"index ({base_year} = 100)"
    label = HOW_LABELS[how]
    return label[:1].lower() + label[1:]


def value_title(how: str, unit: str, base_year: int) -> str:
    """An axis title naming what is plotted and its unit once: "Per capita (t CO2e per person)", "Index (2015 =
    100)" (an index has no other unit: the base year is its unit)."""
    if how == "index":
        return f"Index ({base_year} = 100)"
    if how == "share_of_world":  # the unit names the world already: "of world" once
        return "Share of the world total (%)"
    return f"{'Emissions' if how == 'absolute' else HOW_LABELS[how]} ({unit})"


def window_note(how: str, base_year: int) -> str:
    """The subtitle's words for where a normalised time chart starts (decarb.normalise.window_start)."""
    start = window_start(how, base_year)
    if start is None:
        return ""
    return f"from the base year {start} (pick an earlier base year in the sidebar for a longer history)"


# Every sector's label, for the controls: a notice about a sector the chosen source lacks names it in words too.
SECTOR_LABELS: dict[str, str] = {s.code: s.label for s in SECTORS}


def sector_help(source: str) -> str | None:
    """The sector control's help: what heavy industry holds in `source`, since sources draw the line apart."""
    contents = HEAVY_INDUSTRY_CONTENTS.get(source)
    return f"Heavy industry in {SOURCE_LABELS.get(source, source)}: {contents}" if contents else None


def chart_rows(ds: Dataset, data: pd.DataFrame, source: str, sector: str, how: str) -> pd.DataFrame:
    """A chart's rows as its table and CSV give them: with their licence, the divisor of a per-capita or per-GDP
    value, and the selection they were drawn for (sector, its definition for the source, normalisation)."""
    return exports.with_selection(
        provenance.with_divisor(provenance.with_licence(data, ds.manifest), ds.manifest, how),
        sector=sector_label(sector),
        normalisation=HOW_LABELS[how],
        definition=sector_definition(sector, source),
    )


def sector_label(code: str) -> str:
    return SECTOR_BY_CODE[code].label if code in SECTOR_BY_CODE else code


def sector_options(source: str) -> list[str]:
    """Aggregates and stored sectors the source can answer, in vocabulary order."""
    return list(_sector_options(source))


@cache  # the vocabulary is constant; every page with a sector control asks on every run
def _sector_options(source: str) -> tuple[str, ...]:
    return tuple(s.code for s in SECTORS if sectors_for(s.code, source))


def default_sector(source: str) -> str:
    options = sector_options(source)
    return HEAVY_INDUSTRY if HEAVY_INDUSTRY in options else (TOTAL if TOTAL in options else options[0])


def country_names(ds: Dataset) -> Mapping[str, str]:
    """iso3 -> display name (read-only: Dataset.derived)."""
    return ds.derived(_country_names)


def _country_names(ds: Dataset) -> dict[str, str]:
    a = ds.areas
    return dict(zip(a["iso3"], a["name"], strict=True))


def number_text(value: float | None, digits: int = 1, suffix: str = "", signed: bool = False) -> str:
    """A figure for a headline: thousands separated, `digits` decimals, "+" on rises when signed; "n/a" for none."""
    if value is None or pd.isna(value):
        return "n/a"
    return f"{value:{'+' if signed else ''},.{digits}f}{suffix}"


# The columns of some lines' tidy rows, as arrays: a chart with many lines joins them into one frame (`tidy_frame`),
# because pandas turning each line's text columns into strings took more than the lines' arithmetic.
Rows = dict[str, np.ndarray]


def observed_rows(
    values: pd.Series,
    series_name: str,
    unit: str,
    source_label: str,
    member: bool | None = None,
    kind: str = "observed",
) -> Rows:
    """The tidy rows of one line (series, kind, year, value, unit, source_label[, member]), values present only."""
    numbers = values.to_numpy(dtype=float)
    present = ~np.isnan(numbers)
    n = int(present.sum())

    def text(value: str) -> np.ndarray:
        return np.full(n, value, dtype=object)

    columns = {
        "series": text(series_name),
        "kind": text(kind),
        "year": values.index.to_numpy()[present].astype(int),
        "value": numbers[present],
        "unit": text(unit),
        "source_label": text(source_label),
    }
    if member is not None:
        columns["member"] = np.full(n, member, dtype=bool)
    return columns


def tidy_frame(parts: list[Rows]) -> pd.DataFrame:
    """One frame of the lines' rows, in order (every part has the same columns)."""
    return pd.DataFrame({column: np.concatenate([part[column] for part in parts]) for column in parts[0]})


def observed_frame(
    values: pd.Series,
    series_name: str,
    unit: str,
    source_label: str,
    member: bool | None = None,
    kind: str = "observed",
) -> pd.DataFrame:
    """The tidy rows of one line (series, kind, year, value, unit, source_label[, member]), values present only.

    Built from whole columns, not by pandas broadcasting the scalar columns and adding `member` afterwards: a
    Countries chart makes some 30 of them for every new selection."""
    return pd.DataFrame(observed_rows(values, series_name, unit, source_label, member, kind))


def pathway_rows(
    values: pd.Series,
    base_year: int,
    target_year: int,
    series_name: str,
    unit: str,
    source_label: str,
    member: bool | None = None,
) -> Rows:
    """Straight line from the base-year value to zero in the target year (no rows when not computable)."""
    clean = values.dropna()
    if base_year not in clean.index or clean.loc[base_year] <= 0 or target_year <= base_year:
        return observed_rows(clean.iloc[:0], series_name, unit, source_label, member, "pathway")
    path = linear_pathway(base_year, float(clean.loc[base_year]), target_year)
    return observed_rows(path, series_name, unit, source_label, member, "pathway")


def pathway_frame(
    values: pd.Series,
    base_year: int,
    target_year: int,
    series_name: str,
    unit: str,
    source_label: str,
    member: bool | None = None,
) -> pd.DataFrame:
    """Straight line from the base-year value to zero in the target year (empty when not computable)."""
    return pd.DataFrame(pathway_rows(values, base_year, target_year, series_name, unit, source_label, member))


def projection_frame(
    values: pd.Series, target_year: int, series_name: str, unit: str, source_label: str, member: bool | None = None
) -> pd.DataFrame:
    """The current trend (decarb.metrics.trend_path) from the latest year to the target year."""
    year, _ = latest(values)
    if year is None or target_year <= year:
        return observed_frame(values.iloc[:0], series_name, unit, source_label, member, "projection")
    years = np.arange(year, target_year + 1)
    proj = pd.Series(trend_path(values, years), index=years, dtype=float)
    return observed_frame(proj, series_name, unit, source_label, member, "projection")


def with_milestones(chart: ChartSpec, ds: Dataset, view: View) -> ChartSpec:
    """The chart with LeadIT's milestones to mark (decarb.milestones), unless the view hides them; its text
    equivalent names those drawn and those outside the years drawn (decarb.render.draw)."""
    if not view.milestones or ds.milestones.empty or chart.data.empty:  # an empty chart has no years to mark
        return chart
    return replace(chart, milestones=chart_milestones(ds))
