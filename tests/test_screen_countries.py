"""The Countries screen on the real data: what it draws and what it names instead of drawing."""

from __future__ import annotations

from decarb.screens.countries import countries_chart
from decarb.screens.shared import country_names
from decarb.selection import series
from decarb.view import View

SOURCE, SECTOR, BASE = "owid", "cement_process", 2006


def test_an_index_leaves_out_and_names_a_country_without_a_base_year_value(ds):
    names = country_names(ds)
    reported = {code: series(ds, SOURCE, [code], SECTOR).dropna() for code in sorted(names)}
    lacking = next(c for c, s in reported.items() if not s.empty and BASE not in s.index and s.index.max() > BASE)
    having = next(c for c, s in reported.items() if BASE in s.index and s.loc[BASE] > 0)
    chart = countries_chart(ds, View(source=SOURCE, base_year=BASE), (lacking, having), SECTOR, "index")
    drawn = set(chart.data["series"])
    assert names[having] in drawn and names[lacking] not in drawn
    assert f"no value in {BASE} for {names[lacking]}" in chart.fig.layout.title.subtitle.text
    base_row = chart.data[
        (chart.data["series"] == names[having]) & (chart.data["year"] == BASE) & (chart.data["kind"] == "observed")
    ]
    assert base_row["value"].tolist() == [100.0]
