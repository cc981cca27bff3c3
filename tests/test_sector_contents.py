"""What heavy industry holds in each source, and the F-gases of EDGAR's Processes as a sector of their own.

Expected values come from the raw EDGAR sheet and the built data; the words from decarb.contract, checked against
the docs, the sector control's help, the Overview tile and the chart CSVs.
"""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest

from conftest import FIXTURE_RAW, ROOT
from decarb import exports
from decarb.contract import (
    EDGAR,
    EMISSION_SOURCES,
    F_GASES,
    HEAVY_INDUSTRY,
    HEAVY_INDUSTRY_CONTENTS,
    INDUSTRY_SOURCES,
    SOURCE_LABELS,
    TOTAL,
    sector_definition,
    sectors_for,
)
from decarb.screens import overview as overview_screen
from decarb.screens.shared import sector_help
from decarb.selection import area_set, series
from decarb.view import View, members_set
from etl import edgar

METHOD = (ROOT / "docs" / "method.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("source", [*EMISSION_SOURCES, *INDUSTRY_SOURCES])
def test_every_sources_heavy_industry_is_stated_in_the_method_doc_and_the_help(source):
    text = HEAVY_INDUSTRY_CONTENTS[source]
    assert text in METHOD
    assert sector_definition(HEAVY_INDUSTRY, source) == text
    assert sector_help(source) == f"Heavy industry in {SOURCE_LABELS[source]}: {text}"


@pytest.mark.parametrize(
    ("sector", "substance", "expected"),
    [
        ("Processes", "GWP_100_AR5_F-gases", F_GASES),
        ("Processes", "CO2", "industrial_processes"),
        ("Processes", "GWP_100_AR5_N2O", "industrial_processes"),
        ("Industrial Combustion", "GWP_100_AR5_CH4", "industrial_combustion"),
        ("Power Industry", "CO2", "power"),
    ],
)
def test_edgar_rows_get_their_sector_by_sector_and_substance(sector, substance, expected):
    assert edgar.sector_code(sector, substance) == expected


def test_edgar_heavy_industry_has_no_f_gases_and_the_total_keeps_them():
    assert F_GASES not in sectors_for(HEAVY_INDUSTRY, EDGAR)
    assert F_GASES in sectors_for(TOTAL, EDGAR)


def test_the_extract_puts_every_processes_f_gas_cell_into_fluorinated_gases(fixture_build):
    sheet = pd.read_excel(FIXTURE_RAW / edgar.FILE, edgar.SECTOR_SHEET, engine="calamine").dropna(how="all")
    fgas = sheet[(sheet["Sector"] == "Processes") & (sheet["Substance"] == "GWP_100_AR5_F-gases")]
    assert len(fgas), "the extract has Processes F-gases rows"
    assert set(sheet.loc[sheet["Substance"] == "GWP_100_AR5_F-gases", "Sector"]) == {"Processes"}
    built = pd.read_parquet(fixture_build / "emissions.parquet")
    built = built[built["source"] == EDGAR]
    assert not ((built["gas"] == "f_gases") & (built["sector"] != F_GASES)).any()
    years = [c for c in sheet.columns if isinstance(c, int)]
    expected = fgas[years].sum().sum()
    assert built.loc[built["sector"] == F_GASES, "value"].sum() == pytest.approx(expected, rel=1e-12)


def test_members_2023_before_and_after_as_the_method_doc_says(ds):
    """The figures in docs/method.md, recomputed: heavy industry with Processes' F-gases (before) and without."""
    view = View()
    codes = members_set(ds, view).codes
    year = 2023
    em = ds.emissions
    rows = em[(em["source"] == EDGAR) & em["iso3"].isin(codes) & (em["year"] == year)]
    fgases = rows.loc[rows["sector"] == F_GASES, "value"].sum()
    after = series(ds, EDGAR, area_set(ds, "members"), HEAVY_INDUSTRY).loc[year]
    before = after + fgases
    shown = re.search(r"moved (\S+) Mt CO2e of (\S+) Mt out of heavy industry, which is now (\S+) Mt", METHOD)
    assert shown, "the method doc states the members' figures"
    assert [float(v.replace(",", "")) for v in shown.groups()] == [round(fgases), round(before), round(after)]
    assert overview_screen.overview(ds, view).members_value == pytest.approx(after, rel=1e-12)


def test_chart_csvs_carry_the_sector_definition(ds):
    from decarb.screens import countries as countries_screen

    view = View()
    chart = countries_screen.countries_chart(ds, view, ("IND",), HEAVY_INDUSTRY, "absolute")
    frame = pd.read_csv(io.BytesIO(exports.chart_csv(chart.data)))
    assert set(frame["sector_definition"]) == {HEAVY_INDUSTRY_CONTENTS[EDGAR]}
    tiles = dict(
        (label, help_text)
        for label, _, help_text in overview_screen.overview_headlines(overview_screen.overview(ds, view), view)
    )
    assert any(HEAVY_INDUSTRY_CONTENTS[EDGAR] in (text or "") for text in tiles.values())
