"""The Countries screen on the real data: what it draws and what it names instead of drawing."""

from __future__ import annotations

import pandas as pd
import pytest

from decarb.render.draw import draw
from decarb.screens.countries import changed_targets_section, countries_chart
from decarb.screens.shared import country_names
from decarb.selection import series
from decarb.view import View, member_view

SOURCE, SECTOR, BASE = "owid", "cement_process", 2006


def test_an_index_leaves_out_and_names_a_country_without_a_base_year_value(ds):
    names = country_names(ds)
    reported = {code: series(ds, SOURCE, [code], SECTOR).dropna() for code in sorted(names)}
    lacking = next(c for c, s in reported.items() if not s.empty and BASE not in s.index and s.index.max() > BASE)
    having = next(c for c, s in reported.items() if BASE in s.index and s.loc[BASE] > 0)
    chart = countries_chart(ds, View(source=SOURCE, base_year=BASE), (lacking, having), SECTOR, "index")
    drawn = set(chart.data["series"])
    assert names[having] in drawn and names[lacking] not in drawn
    assert f"no value in {BASE} for {names[lacking]}" in draw(chart).fig.layout.title.subtitle.text.replace("<br>", " ")
    base_row = chart.data[
        (chart.data["series"] == names[having]) & (chart.data["year"] == BASE) & (chart.data["kind"] == "observed")
    ]
    assert base_row["value"].tolist() == [100.0]


def test_every_member_selected_stays_readable(ds):
    """Issue 11 item 3: with every member country drawn, one legend entry per country under the chart (never over
    the title or the plot, and never beside it: it took half a phone's width, brief s4 item 5), a distinct colour
    and dash per country, each Net Zero Tracker target year in its entry instead of a
    diamond on the zero line, no "(member)" on every entry, and room for the whole legend."""
    from decarb.render.layout import FOLDED_LEGEND_ROWS
    from decarb.theme import PALETTE
    from decarb.view import members_set

    view = View()
    codes = tuple(members_set(ds, view).codes)
    assert len(codes) > len(PALETTE)
    chart = countries_chart(ds, view, codes, "heavy_industry", "absolute")
    fig = draw(chart).fig
    lines = [t for t in fig.data if t.mode == "lines"]
    drawn = chart.data[chart.data["kind"] == "observed"]["series"].unique()
    assert sorted(t.name.split(" (net zero")[0] for t in lines if t.showlegend) == sorted(drawn)
    assert len({(t.line.color, t.line.dash) for t in lines}) == len(lines) == len(drawn)
    assert not [t for t in fig.data if t.mode == "markers" and "net-zero target" in (t.name or "")]
    targets = chart.data[chart.data["kind"] == "target"]  # still in the data and CSV
    for row in targets.itertuples():
        assert any(t.name.startswith(f"{row.series} (net zero ") and str(row.year) in t.name for t in lines)
    assert not any("(member)" in t.name for t in fig.data)
    legend = fig.layout.legend
    assert legend.orientation == "h" and legend.yref == "container" and legend.yanchor == "top"
    room_under_legend = legend.y * fig.layout.height
    # A phone's one row an entry scrolls inside FOLDED_LEGEND_ROWS rows (it stood taller than the plot), which stay
    # inside the figure; each country is named at its line's end instead.
    assert legend.maxheight == FOLDED_LEGEND_ROWS * 22 <= room_under_legend
    assert legend.y * fig.layout.height < fig.layout.margin.b  # under the plot
    assert sorted(a.text for a in fig.layout.annotations if a.xref == "paper" and a.x == 1) == sorted(drawn)
    assert "in brackets: net-zero target year" in fig.layout.title.subtitle.text.replace("<br>", " ")


def test_the_axis_ends_at_the_data_and_names_later_targets(ds):
    """Brief s4 item 5: India's 2070 target ran the axis to 2070; it ends at the target year (2050) or the data's
    last year, and a later target is named in the subtitle, kept in the data (CSV)."""
    view = View()
    chart = countries_chart(ds, view, ("IND", "DEU"), "heavy_industry", "absolute")
    later = chart.data[(chart.data["kind"] == "target") & (chart.data["year"] > view.target_year)]
    assert len(later) and (later["series"] == "India").all()  # India's target is after 2050 (Net Zero Tracker)
    assert draw(chart).fig.layout.xaxis.range[1] == view.target_year
    subtitle = draw(chart).fig.layout.title.subtitle.text.replace("<br>", " ")
    assert f"net-zero targets after {view.target_year}, not drawn: India {int(later['year'].iloc[0])}" in subtitle


@pytest.mark.parametrize("members", ["confirmed", "with_unverified", "joined"])
def test_the_changed_targets_depend_only_on_who_the_members_are(ds, members):
    """The page keys the section on member_view(view): any other base year, target year or source must give the
    same section."""
    other = View(source="climate_trace", base_year=2001, target_year=2045, members=members, milestones=False)
    section, keyed = changed_targets_section(ds, other), changed_targets_section(ds, member_view(other))
    assert (section.heading, section.summary) == (keyed.heading, keyed.summary)
    pd.testing.assert_frame_equal(section.table, keyed.table)
