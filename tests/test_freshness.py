"""How fresh each figure is: newest years read from the data, the newer year another source offers said in words,
and the Data page's vintage table from the manifest."""

from __future__ import annotations

import json

from conftest import ROOT
from decarb.contract import CEMENT, EDGAR, GCB, HEAVY_INDUSTRY, OWID, SOURCE_LABELS, TOTAL
from decarb.freshness import VINTAGE_COLUMNS, fresher_note, freshest_source, newest_year, vintage_table
from decarb.render.draw import draw
from decarb.screens.overview import overview
from decarb.view import View


def newest(ds, source: str, sectors: list[str]) -> int:
    em = ds.emissions
    return int(em.loc[(em["source"] == source) & em["sector"].isin(sectors), "year"].max())


def test_newest_years_are_the_datas(ds):
    assert newest_year(ds, GCB, CEMENT) == newest(ds, GCB, [CEMENT])
    assert newest_year(ds, EDGAR, HEAVY_INDUSTRY) == newest(
        ds, EDGAR, ["industrial_combustion", "industrial_processes"]
    )
    assert newest_year(ds, GCB, HEAVY_INDUSTRY) is None  # no industrial-combustion split: no heavy industry


def test_an_older_chart_names_the_newer_year_another_source_has(ds):
    edgar, gcb = newest(ds, EDGAR, ["industrial_processes"]), newest(ds, GCB, [CEMENT])
    assert gcb > edgar  # the situation the note exists for (EDGAR 2024 ends in 2023; GCB 2025 has 2024)
    note = fresher_note(ds, EDGAR, HEAVY_INDUSTRY)
    assert note.startswith(f"{SOURCE_LABELS[EDGAR]} ends in {edgar}; ")
    assert f"{SOURCE_LABELS[GCB]} has {gcb} for cement (process CO2)" in note
    owid = fresher_note(ds, OWID, CEMENT)
    owid_year = newest(ds, OWID, [CEMENT])
    assert owid == f"{SOURCE_LABELS[OWID]} ends in {owid_year}; {SOURCE_LABELS[GCB]} has {gcb} for cement (process CO2)"
    assert fresher_note(ds, GCB, CEMENT) == ""  # nothing newer
    assert freshest_source(ds, CEMENT) == GCB
    assert fresher_note(ds, EDGAR, TOTAL).startswith(f"{SOURCE_LABELS[EDGAR]} ends in {newest(ds, EDGAR, ['power'])}")


def test_the_overview_chart_names_its_years_and_the_fresher_source(ds):
    o = overview(ds, View())
    assert draw(o.chart).text is not None
    subtitle = draw(o.chart).text.subtitle
    assert f"data {int(o.chart.data.loc[o.chart.data['kind'] == 'observed', 'year'].min())}-{o.latest_year}" in subtitle
    assert o.fresher_note == fresher_note(ds, EDGAR, HEAVY_INDUSTRY) != ""  # said under the chart


def test_vintage_table_from_sources_json_and_the_build(ds):
    recorded = json.loads((ROOT / "data" / "raw" / "sources.json").read_text())
    table = vintage_table(ds).set_index("Source")
    assert list(table.reset_index().columns) == list(VINTAGE_COLUMNS)
    assert len(table) == len(recorded)
    gcb = recorded[GCB]
    row = table.loc[SOURCE_LABELS[GCB]]
    assert row["Newest complete year"] == str(newest(ds, GCB, [CEMENT]))
    assert row["Date accepted"] == next(iter(gcb["files"].values()))["accepted_on"]
    stocktake = table.loc[SOURCE_LABELS["net_zero_tracker_2025"]]
    assert recorded["net_zero_tracker_2025"]["released_on"] in stocktake["Release"]


def test_data_page_shows_the_vintage_table(ds):
    from test_app_pages import run

    at = run("pages/data.py")
    assert "Data vintage" in [h.value for h in at.header]
    shown = next(d.value for d in at.dataframe if list(d.value.columns) == list(VINTAGE_COLUMNS))
    assert shown.equals(vintage_table(ds))
