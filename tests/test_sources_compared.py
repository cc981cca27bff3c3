"""Industries, sources compared: which series overlap in which years, and each row labelled as its own source."""

from __future__ import annotations

import pytest

from decarb.contract import CEMENT, CLIMATE_TRACE_SUBSECTORS, EDGAR, HEAVY_INDUSTRY, OWID, SOURCE_LABELS, UNFCCC
from decarb.screens.industries import comparison_table, year_span
from decarb.selection import series


@pytest.mark.parametrize(
    ("years", "said"),
    [
        ([], "no year"),
        ([2015], "2015"),
        ([2015, 2016, 2017], "2015-2017"),
        ([1990, 1991, 1995, 2000, 2001], "1990-1991, 1995, 2000-2001"),
    ],
)
def test_year_span(years, said):
    assert year_span(years) == said


def _years(ds, source, iso3, sector):
    return sorted(int(y) for y in series(ds, source, [iso3], sector).dropna().index)


@pytest.mark.parametrize(
    ("iso3", "industry", "context", "context_sector"),
    [
        ("IND", "iron_steel", EDGAR, HEAVY_INDUSTRY),
        ("IND", "cement", OWID, CEMENT),
        ("CHN", "aluminium", EDGAR, HEAVY_INDUSTRY),
    ],
)
def test_one_source_for_the_industry_says_so_and_where_the_context_overlaps(
    ds, iso3, industry, context, context_sector
):
    table, info = comparison_table(ds, iso3, industry)
    own = _years(ds, CLIMATE_TRACE_SUBSECTORS, iso3, industry)
    assert own and table.empty
    shared = sorted(set(own) & set(_years(ds, context, iso3, context_sector)))
    assert shared
    note = info["note"]
    assert "share no year" not in note
    assert (
        f"Only {SOURCE_LABELS[CLIMATE_TRACE_SUBSECTORS]} reports this industry for this country ({year_span(own)})"
        in note
    )
    assert f"{SOURCE_LABELS[context]} overlaps it in {year_span(shared)}" in note
    assert "1.A.2" not in note  # no inventory is compared, so none of its scope notes


@pytest.mark.parametrize(("iso3", "industry"), [("SWE", "cement"), ("DEU", "aluminium"), ("JPN", "iron_steel")])
def test_each_row_carries_its_own_sources_label(ds, iso3, industry):
    table, info = comparison_table(ds, iso3, industry)
    assert list(table["Source"]) == [SOURCE_LABELS[CLIMATE_TRACE_SUBSECTORS], SOURCE_LABELS[UNFCCC]]
    trace, inventory = table["Scope"]
    assert "inventories" not in trace and "UNFCCC" not in trace and "Climate TRACE" in trace
    assert "UNFCCC" in inventory
    assert info["year"] == max(
        set(_years(ds, CLIMATE_TRACE_SUBSECTORS, iso3, industry)) & set(_years(ds, UNFCCC, iso3, industry))
    )
