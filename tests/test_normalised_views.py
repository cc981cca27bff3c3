"""Normalised views on the real data (issue 11 item 4): they start where they compare, name their unit once, and
say "per unit of GDP" with its unit."""

from __future__ import annotations

import pytest

from decarb.normalise import normalise, window_start
from decarb.render.draw import draw
from decarb.screens.countries import countries_chart, member_country_options
from decarb.screens.sectors import group_comparison, sector_ranking
from decarb.selection import series
from decarb.view import View, base_year_options, source_years

NORMALISED = ("per_capita", "per_gdp", "index", "share_of_world")


def observed(chart):
    return chart.data[chart.data["kind"] == "observed"]


@pytest.mark.parametrize("how", NORMALISED)
def test_normalised_country_lines_start_at_the_base_year(ds, how):
    view = View()
    codes = member_country_options(ds, view)
    chart = countries_chart(ds, view, codes, "heavy_industry", how)
    assert int(observed(chart)["year"].min()) == view.base_year == window_start(how, view.base_year)
    assert f"from the base year {view.base_year}" in draw(chart).fig.layout.title.subtitle.text.replace("<br>", " ")
    # An earlier base year gives the longer history, from that year
    longer = countries_chart(ds, View(base_year=1990), codes, "heavy_industry", how)
    assert int(observed(longer)["year"].min()) == 1990


def test_absolute_lines_keep_the_whole_record(ds):
    view = View()
    codes = member_country_options(ds, view)
    chart = countries_chart(ds, view, codes, "heavy_industry", "absolute")
    first = min(int(series(ds, "edgar", [c], "heavy_industry").dropna().index.min()) for c in codes)
    assert int(observed(chart)["year"].min()) == first < view.base_year
    assert "from the base year" not in draw(chart).fig.layout.title.subtitle.text.replace("<br>", " ")


def test_one_early_ratio_no_longer_sets_the_scale(ds):
    """The defect: Luxembourg's 1970 per-capita value set the axis of every member. From the base year on, the
    largest member value is within the range of the others; before it, it was several times the next one."""
    view = View()
    codes = member_country_options(ds, view)
    chart = countries_chart(ds, view, codes, "heavy_industry", "per_capita")
    tops = observed(chart).groupby("series")["value"].max().sort_values(ascending=False)
    whole = {
        c: normalise(series(ds, "edgar", [c], "heavy_industry"), "per_capita", ds=ds, areas=[c]).max() for c in codes
    }
    whole_tops = sorted(whole.values(), reverse=True)
    assert whole_tops[0] > 4 * whole_tops[1]  # the whole record: one country dwarfs the rest
    assert tops.iloc[0] < 1.5 * tops.iloc[1]  # from the base year they compare


@pytest.mark.parametrize(
    ("how", "axis", "in_title", "unit"),
    [
        ("index", "Index (2015 = 100)", "index (2015 = 100)", "index (2015 = 100)"),
        ("per_capita", "Per capita (t CO2e per person)", "per capita", "t CO2e per person"),
        (
            "per_gdp",
            "Per unit of GDP (g CO2e per int-$ at 2011 prices)",
            "per unit of GDP",
            "g CO2e per int-$ at 2011 prices",
        ),
    ],
)
def test_axis_title_and_summary_name_the_unit_once(ds, how, axis, in_title, unit):
    view = View()
    chart = countries_chart(ds, view, member_country_options(ds, view), "heavy_industry", how)
    # read as shown: a title longer than the plot is high is broken into lines (decarb.render.layout.frame)
    assert draw(chart).fig.layout.yaxis.title.text.replace("<br>", " ") == axis
    assert in_title in draw(chart).fig.layout.title.text and "Per gdp" not in draw(chart).fig.layout.title.text
    assert draw(chart).summary.startswith(f"{axis}. ")
    assert draw(chart).summary.lower().count("index") == (1 if how == "index" else 0)
    assert set(observed(chart)["unit"]) == {unit}  # hover and CSV


def test_per_gdp_values_are_readable_in_one_decimal(ds):
    """Grams per dollar: in kilograms the members' heavy industry read 0.0 or 0.1 in the text summary."""
    view = View()
    chart = countries_chart(ds, view, member_country_options(ds, view), "heavy_industry", "per_gdp")
    values = observed(chart)["value"]
    assert (values.round(1) > 0).all()
    sweden = series(ds, "edgar", ["SWE"], "heavy_industry")
    gdp = ds.indicators.set_index(["iso3", "year"]).loc[("SWE", 2020), "gdp"]
    got = chart.data[(chart.data["series"] == "Sweden") & (chart.data["year"] == 2020)]["value"].iloc[0]
    assert got == pytest.approx(sweden[2020] * 1e12 / gdp)


def test_group_comparison_starts_at_the_base_year_at_100(ds):
    view = View(base_year=2005)
    chart = group_comparison(ds, view, "heavy_industry", "index")
    obs = observed(chart)
    assert int(obs["year"].min()) == 2005
    assert obs.loc[obs["year"] == 2005, "value"].tolist() == pytest.approx([100.0] * 3)
    assert draw(chart).fig.layout.yaxis.title.text == "Index (2005 = 100)"
    assert (
        draw(chart)
        .fig.layout.title.subtitle.text.replace("<br>", " ")
        .startswith("Index (2005 = 100); from the base year 2005")
    )


def test_ranking_per_unit_of_gdp_uses_the_latest_year_with_gdp(ds):
    view = View()
    chart = sector_ranking(ds, view, "heavy_industry", "per_gdp")
    last_emissions = int(ds.emissions.loc[ds.emissions["source"] == "edgar", "year"].max())
    last_gdp = int(ds.indicators.dropna(subset=["gdp"])["year"].max())
    assert last_gdp < last_emissions  # the case this handles: GDP ends before the emissions
    assert int(chart.data["year"].iloc[0]) == last_gdp and len(chart.data) >= 20
    assert f"GDP has no value for {last_emissions} yet" in draw(chart).fig.layout.title.subtitle.text.replace(
        "<br>", " "
    )
    assert (
        draw(chart).fig.layout.xaxis.title.text.replace("<br>", " ")
        == "Per unit of GDP (g CO2e per int-$ at 2011 prices)"
    )


@pytest.mark.parametrize("source", ["edgar", "owid"])
def test_base_year_choice_offers_2005_and_2010_where_the_source_has_them(ds, source):
    first, last = source_years(ds)[source]
    assert first <= 2005
    assert {2005, 2010} <= set(base_year_options(first, last))


def test_countries_and_sectors_pages_show_the_window_and_the_unit_once(ds):
    from test_app_pages import figures, run

    at = run("pages/countries.py", metric="index", base="2010")
    fig = figures(at)[0]
    assert fig["layout"]["yaxis"]["title"]["text"] == "Index (2010 = 100)"
    sweden = next(t for t in fig["data"] if t["name"].startswith("Sweden"))
    assert min(sweden["x"]) == 2010 and sweden["y"][0] == pytest.approx(100.0)
    at = run("pages/sectors.py", rank_by="per_gdp")
    ranking, _, groups = figures(at)
    assert (
        ranking["layout"]["xaxis"]["title"]["text"].replace("<br>", " ")
        == "Per unit of GDP (g CO2e per int-$ at 2011 prices)"
    )
    assert groups["layout"]["yaxis"]["title"]["text"] == "Index (2015 = 100)"
    assert min(groups["data"][0]["x"]) == 2015
