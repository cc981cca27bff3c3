"""The Data page states what the build holds: every coverage sentence is checked against the loaded tables."""

from __future__ import annotations

import re

import pytest
from test_app_pages import run

from decarb.contract import HEAVY_INDUSTRY_CONTENTS, INDUSTRIES, SOURCE_LABELS, sectors_for
from decarb.screens import data as data_screen


@pytest.fixture(scope="module")
def page_text(ds) -> str:
    at = run("pages/data.py")
    assert not at.exception
    return "\n".join(m.value for m in at.markdown)


def test_years_covered_names_every_source_in_the_build_with_its_years(ds, page_text):
    em = ds.emissions
    line = next(line for line in page_text.splitlines() if "**Years covered:**" in line)
    for source, rows in em.groupby("source", observed=True):
        assert f"{SOURCE_LABELS[source]} {int(rows['year'].min())}-{int(rows['year'].max())}" in line
    assert len(re.findall(r"\d{4}-\d{4}", line)) == em["source"].nunique()


def test_the_industry_split_sentence_names_exactly_the_sources_that_split(ds, page_text):
    em = ds.emissions
    splitting = {
        source
        for source, rows in em.groupby("source", observed=True)
        if any(set(sectors_for(i, source)) & set(rows["sector"]) for i in INDUSTRIES)
    }
    assert splitting, "the build holds at least one source split by industry"
    line = next(line for line in page_text.splitlines() if "**Heavy industry split into industries**" in line)
    named, _, rest = line.split("): ", 1)[1].partition(" Not split by industry: ")
    areas = {label.strip(): int(n) for label, n in re.findall(r"([^;]+), (\d+) areas", named)}
    assert areas == {SOURCE_LABELS[s]: em.loc[em["source"] == s, "iso3"].nunique() for s in splitting}
    others = {SOURCE_LABELS[s] for s in em["source"].unique() if s not in splitting}
    assert set(rest.rstrip(".").split(", ")) == others
    assert "No open country-level split" not in page_text


def test_heavy_industry_is_stated_for_every_source_that_has_rows(ds, page_text):
    for source in ds.emissions["source"].unique():
        assert HEAVY_INDUSTRY_CONTENTS[source] in page_text


def test_each_sources_sector_list_is_what_it_stores(ds):
    notes = data_screen.coverage_notes(ds.emissions)
    for source, rows in ds.emissions.groupby("source", observed=True):
        line = next(n for n in notes if n.startswith(f"**{SOURCE_LABELS[source]} sectors:**"))
        assert line.count(", ") + 1 == rows["sector"].nunique() + sum(
            label.count(", ") for label in (data_screen.SECTOR_BY_CODE[s].label for s in rows["sector"].unique())
        )


def test_the_method_docs_years_of_the_industry_sources_are_the_builds(ds):
    from conftest import ROOT
    from decarb.contract import CLIMATE_TRACE_SUBSECTORS, UNFCCC

    em = ds.emissions
    last = {s: int(em.loc[em["source"] == s, "year"].max()) for s in (UNFCCC, CLIMATE_TRACE_SUBSECTORS)}
    said = (
        f"the inventories end in {last[UNFCCC]} and Climate TRACE sub-sectors in {last[CLIMATE_TRACE_SUBSECTORS]}, "
        f"so the latest shared year is {min(last.values())}"
    )
    assert said in " ".join((ROOT / "docs" / "method.md").read_text(encoding="utf-8").split())
