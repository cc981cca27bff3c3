"""Per-capita and per-GDP charts name the series they divide by; a country chart's CSV holds its join stars,
and the stars read filled (confirmed) or open (unverified) on both backgrounds."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from conftest import ROOT
from decarb import exports, theme
from decarb.contract import HEAVY_INDUSTRY, LEADIT, OWID, SOURCE_LABELS
from decarb.provenance import licence_of
from decarb.render.draw import draw
from decarb.screens.countries import countries_chart
from decarb.screens.sectors import sector_ranking
from decarb.view import View

CODEBOOK = pd.read_csv(ROOT / "data" / "raw" / "owid_co2" / "owid-co2-codebook.csv").set_index("column")["source"]
CASES = [("per_capita", "population", "Population"), ("per_gdp", "gdp", "GDP")]


def _csv(chart) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(exports.chart_csv(chart.data)))


def _source_line(chart) -> str:
    return draw(chart).fig.layout.annotations[-1].text.replace("<br>", " ")


@pytest.mark.parametrize(("how", "column", "word"), CASES)
@pytest.mark.parametrize("which", ["countries", "ranking"])
def test_normalised_charts_name_the_divisor_series_and_its_licence(ds, how, column, word, which):
    view = View()
    chart = (
        countries_chart(ds, view, ("SWE", "IND"), HEAVY_INDUSTRY, how)
        if which == "countries"
        else sector_ranking(ds, view, HEAVY_INDUSTRY, how)
    )
    series = CODEBOOK[column]
    table = _csv(chart)
    assert set(table["divisor_source"]) == {f"{word}: {SOURCE_LABELS[OWID]} ({series})"}
    assert set(table["divisor_licence"]) == {licence_of(ds.manifest, OWID)}
    without_link = series.split(" [")[0]
    assert f"{word}: {SOURCE_LABELS[OWID]} ({without_link}) (licence: {licence_of(ds.manifest, OWID)})" in " ".join(
        _source_line(chart).split()
    )


@pytest.mark.parametrize("how", ["absolute", "index"])
def test_other_normalisations_name_no_divisor(ds, how):
    table = _csv(countries_chart(ds, View(), ("SWE",), HEAVY_INDUSTRY, how))
    assert "divisor_source" not in table.columns


def test_join_stars_are_in_the_csv_as_drawn(ds):
    chart = countries_chart(ds, View(), ("SWE", "IND", "DEU"), HEAVY_INDUSTRY, "absolute")
    stars = [t for t in draw(chart).fig.data if str(t.name).startswith("Joined LeadIT")]
    drawn = sorted((int(x), round(float(y), 9)) for t in stars for x, y in zip(t.x, t.y, strict=True))
    table = _csv(chart)
    rows = table[table["kind"] == "joined LeadIT"]
    assert drawn and sorted(zip(rows["year"].astype(int), rows["value"].round(9), strict=True)) == drawn
    assert set(rows["source_label"]) == {SOURCE_LABELS[LEADIT]}
    assert set(rows["licence"]) == {licence_of(ds.manifest, LEADIT)}
    assert rows["note"].str.contains(r"^(?:confirmed|unverified); joined on \d{4}-\d{2}-\d{2}$").all()


@pytest.mark.parametrize("background", ["light", "dark"])
def test_join_stars_filled_when_confirmed_open_when_unverified_on_both_backgrounds(ds, background):
    chart = countries_chart(
        ds, View(members="with_unverified"), ("SWE", "IND", "AUS", "UKR"), HEAVY_INDUSTRY, "absolute"
    )
    stars = {t.name: t.marker for t in draw(chart).fig.data if str(t.name).startswith("Joined LeadIT")}
    assert stars["Joined LeadIT (confirmed)"].symbol == "star"
    for marker in stars.values():
        assert theme.contrast_ratio(marker.color, theme.BACKGROUNDS[background]) >= 3.0
        assert marker.line.color == marker.color  # no outline of another colour that could read as "open"
    if "Joined LeadIT (unverified)" in stars:
        assert stars["Joined LeadIT (unverified)"].symbol == "star-open"
