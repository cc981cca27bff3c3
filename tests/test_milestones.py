"""Milestone marks, join-date markers and the reconciliation of reported counts with the named members."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go
import pytest
from tiny_analytics_data import tiny_dataset

from decarb.chartspec import Axes, ChartText
from decarb.contract import MILESTONE_KINDS
from decarb.members import reconciliation
from decarb.milestones import join_markers, milestone_frame
from decarb.render.layout import ABOVE_LEGEND_WIDTH_PX, LEGEND_ROW_PX, frame, head_px, legend_rows
from decarb.render.marks import LINE, PAGE_LABELS, LabelStyle, add_join_markers, add_milestones, label_rows, spread

DS = tiny_dataset()


TEXT = ChartText("Title", "Subtitle", "Source: test")


def _framed(fig: go.Figure) -> go.Figure:
    return frame(fig, TEXT, Axes("Year", "Mt"))


def _year_figure(first: int, last: int) -> go.Figure:
    return _framed(go.Figure(go.Scatter(x=list(range(first, last + 1)), y=[1.0] * (last - first + 1), name="members")))


def test_milestone_frame_has_decimal_years_labels_and_sources():
    table = milestone_frame(DS.milestones)
    # 23 September 2019 is 265 days after 1 January of a 365-day year.
    assert table["year"].tolist() == [pytest.approx(2019 + 265 / 365), pytest.approx(2021 + 112 / 365)]
    assert table["label"].tolist() == [MILESTONE_KINDS["launch"], MILESTONE_KINDS["members"]]
    assert "Steel Co joins" in table["hover"].iloc[1] and "Source: https://example.org" in table["hover"].iloc[1]


@pytest.mark.parametrize(
    ("anchors", "widths", "centres"),
    [
        ([100, 300, 500], [50, 50, 50], [100, 300, 500]),  # room for each at its anchor: unmoved
        ([300, 300, 300], [50, 50, 50], [300, 360, 420]),  # one date: the next ones pushed right, 10 apart
        ([0, 10], [40, 40], [20, 70]),  # pushed inside the left edge, then clear of the first label
        ([600, 600], [40, 40], [530, 580]),  # pushed inside the right edge (span 600)
    ],
)
def test_spread_moves_labels_as_little_as_their_neighbours_allow(anchors, widths, centres):
    assert spread(anchors, widths, 600, 10) == centres


def test_spread_says_when_one_row_cannot_hold_the_labels():
    assert spread([0, 1, 2], [200, 200, 200], 600, 10) is None


def test_label_rows_one_row_when_it_fits_else_as_few_as_fit():
    assert label_rows([10, 20, 30], [50, 50, 50], 600, 10)[0] == [0, 0, 0]
    rows, centres = label_rows([100, 110, 120, 130], [250, 250, 250, 250], 600, 10)
    assert rows == [0, 1, 0, 1]  # two labels a row
    for row in (0, 1):
        mine = [c for c, r in zip(centres, rows, strict=True) if r == row]
        assert mine[1] - mine[0] >= 250 + 10 and min(mine) >= 125 and max(mine) <= 600 - 125


def test_marks_on_a_year_axis_sit_in_their_own_band_above_the_plot():
    fig = _year_figure(2015, 2023)
    # Under the subtitle, placed from the top of the figure (decarb.render.charts.frame), above the plot's band
    legend_before = fig.layout.legend.y
    assert fig.layout.legend.yref == "container" and fig.layout.legend.yanchor == "top"
    top_before, height_before = fig.layout.margin.t, fig.layout.height
    marks = add_milestones(fig, DS.milestones)
    assert len(fig.layout.shapes) == len(DS.milestones) == len(marks.shown)
    labels = [a for a in fig.layout.annotations if a.hovertext]
    # each label the kind's word over its year: two summits read apart
    shown = zip(marks.shown["label"], marks.shown["date"], strict=True)
    assert [a.text for a in labels] == [f"{kind}<br>{date.year}" for kind, date in shown]
    assert [a.x for a in labels] == marks.shown["year"].tolist()  # the leader line ends at the date
    assert all(a.yref == "paper" and a.y == 1 and a.ay < 0 and a.showarrow for a in labels)  # above the plot
    band = marks.band_px
    assert band == round(PAGE_LABELS.leader_px + PAGE_LABELS.row_px + 4)  # one row
    assert fig.layout.margin.t == top_before + band
    assert fig.layout.height == height_before + band  # the plot keeps its height
    # the legend and the title stay where they were, in pixels from the top (the labels' band is below them)
    assert (1 - fig.layout.legend.y) * fig.layout.height == pytest.approx((1 - legend_before) * height_before)
    assert marks.outside.empty and marks.note == ""


def test_a_legend_above_the_plot_keeps_room_for_a_laptops_rows_not_a_phones():
    """A legend of three long entries takes three rows on a phone and one at a laptop's width: the top margin holds
    the title band and the laptop's row (on a phone plotly moves the plot below the legend's further rows, as the
    legend is placed in the figure's own height); marks grow the figure by their whole band."""
    names = ["LeadIT members", "LeadIT members - pathway to net zero", "LeadIT members - current trend"]
    fig = _framed(go.Figure([go.Scatter(x=list(range(2015, 2024)), y=[1.0] * 9, name=n) for n in names]))
    assert legend_rows(names) == 3 and legend_rows(names, ABOVE_LEGEND_WIDTH_PX) == 1
    assert fig.layout.margin.t == round(head_px(TEXT) + 12 + LEGEND_ROW_PX + 18)
    assert fig.layout.legend.yref == "container" and fig.layout.legend.yanchor == "top"
    top_before, height_before = fig.layout.margin.t, fig.layout.height
    marks = add_milestones(fig, DS.milestones)
    assert marks.band_px == round(PAGE_LABELS.leader_px + PAGE_LABELS.row_px + 4)
    assert fig.layout.margin.t - top_before == fig.layout.height - height_before == marks.band_px


def test_labels_never_overlap_at_the_narrowest_plot_and_stay_inside_it():
    """Issue 11 / brief s4 item 1: the real milestones (seven within six years) in one row with leader lines on a
    1970-2050 axis, as the Overview draws them; at PAGE_LABELS.plot_px no two labels meet, none leaves the plot,
    and on a wider plot (centres in axis units) the gaps only grow."""
    fig = _year_figure(1970, 2050)
    marks = add_milestones(fig, pd.concat([DS.milestones] * 4, ignore_index=True))
    shown = marks.shown
    assert shown["row"].nunique() == 1 and len(shown) == 8
    px = PAGE_LABELS.plot_px / (2050 - 1970)
    centre = (shown["label_x"] - 1970) * px
    half = shown["label"].str.len() * PAGE_LABELS.char_px / 2
    order = centre.sort_values().index
    left, right = (centre - half)[order].to_numpy(), (centre + half)[order].to_numpy()
    assert (left[1:] >= right[:-1] + PAGE_LABELS.gap_px - 0.01).all()
    assert left.min() >= -0.01 and right.max() <= PAGE_LABELS.plot_px + 0.01


def test_a_narrow_style_takes_more_rows():
    fig = _year_figure(1970, 2050)
    marks = add_milestones(fig, pd.concat([DS.milestones] * 4, ignore_index=True), style=LabelStyle(13, 8, 12, 250))
    assert marks.shown["row"].nunique() > 1
    assert marks.band_px == round(12 + marks.shown["row"].nunique() * (13 + 8) + 4)


def test_marks_outside_the_years_drawn_are_reported_not_drawn():
    fig = _year_figure(2015, 2020)
    marks = add_milestones(fig, DS.milestones)
    assert marks.shown["event"].tolist() == ["Launch summit"]
    assert marks.outside["event"].tolist() == ["Online summit"]
    assert marks.note == "Not marked (outside the years shown): Apr 2021 Online summit."
    assert len(fig.layout.shapes) == 1


def test_marks_on_a_date_axis_use_dates():
    dates = pd.to_datetime(["2019-01-01", "2022-12-31"])
    fig = go.Figure(go.Scatter(x=dates, y=[1, 2]))
    marks = add_milestones(fig, DS.milestones)
    assert [s.x0 for s in fig.layout.shapes] == ["2019-09-23", "2021-04-23"]
    assert len(marks.shown) == 2


def test_join_markers_place_dated_members_and_list_the_rest():
    points = pd.DataFrame(
        {"iso3": ["AAA"] * 3 + ["CCC"] * 3, "year": [2018, 2019, 2020] * 2, "value": [5.0, 4.0, 3.0, 9.0, 8.0, 7.0]}
    )
    marked, unplaced = join_markers(DS.members, points)
    assert marked[["iso3", "year", "value"]].values.tolist() == [["AAA", 2019, 4.0]]
    assert "Aland joined LeadIT" in marked["hover"].iloc[0] and "23 Sep 2019 (launch)" in marked["hover"].iloc[0]
    assert unplaced.values.tolist() == [["CCC", "Cland", "join date unknown"]]
    fig = go.Figure()
    add_join_markers(fig, join_markers(DS.members, points.assign(year=points["year"] + 5))[0])  # year not drawn
    assert len(fig.data) == 0


def test_reconciliation_on_the_tiny_list():
    table = reconciliation(DS.members, DS.reported_counts)
    got = table[["date", "part", "reported", "named", "gap", "undated", "unverified", "not_named"]].values.tolist()
    assert got == [
        [dt.date(2019, 9, 23), "countries", 3, 1, 2, 1, 1, 0],
        [dt.date(2019, 9, 23), "companies", 2, 0, 2, 0, 0, 2],
        [dt.date(2019, 9, 23), "total", 5, 1, 4, 1, 1, 2],
        [dt.date(2022, 1, 1), "total", 9, 2, 7, 1, 1, 5],
    ]
    assert table["explanation"].iloc[0] == (
        "Reported 3 countries; the list names 1 confirmed by then; gap 2. Of the gap, at most 2 may be rows the "
        "list holds but cannot count: 1 confirmed without a join date (Cland); 1 unverified (Bland)."
    )
    assert (
        table["explanation"]
        .iloc[3]
        .endswith("At least 5 members are not named in the list: it is known to be incomplete.")
    )


def test_reconciliation_on_the_real_list_never_pads_it(ds):
    table = reconciliation(ds.members, ds.reported_counts)
    given = ds.reported_counts.melt(id_vars="date", value_vars=["countries", "companies", "total"]).dropna()
    assert len(table) == len(given)  # one row per count reported, none invented
    dates = pd.to_datetime(ds.members["joined_on"])
    for row in table.itertuples():
        kind = {"countries": ["country"], "companies": ["company"], "total": ["country", "company"]}[row.part]
        rows = ds.members[ds.members["member_type"].isin(kind)]
        confirmed = rows[rows["status"] == "confirmed"]
        by_then = dates[confirmed.index] <= pd.Timestamp(row.date)
        assert row.named == int(by_then.sum())
        assert row.gap == row.reported - row.named
        assert row.undated == int(dates[confirmed.index].isna().sum())
        undated = set(confirmed.loc[dates[confirmed.index].isna(), "member"])
        assert set(filter(None, row.undated_members.split(", "))) == undated  # rows of the list, no others
        unverified = set(filter(None, row.unverified_members.split(", ")))
        assert unverified <= set(rows.loc[rows["status"] == "unverified", "member"])
        assert len(unverified) == row.unverified
        assert all(name in row.explanation for name in undated | unverified)


def test_join_markers_drawn_as_one_trace_per_status():
    points = pd.DataFrame({"iso3": ["AAA", "AAA"], "year": [2019, 2020], "value": [4.0, 3.0]})
    fig = go.Figure(go.Scatter(x=points["year"], y=points["value"], name="Aland"))
    marked, unplaced = join_markers(DS.members, points)
    add_join_markers(fig, marked)
    assert [(t.name, list(t.x), list(t.y)) for t in fig.data[1:]] == [("Joined LeadIT (confirmed)", [2019], [4.0])]
    assert fig.data[1].marker.symbol == "star" and unplaced.empty


def _marked_one_call_per_milestone(fig: go.Figure, milestones: pd.DataFrame) -> go.Figure:
    """The figure as add_milestones drew it before issue 13: one add_shape and one add_annotation per milestone,
    then the margin and height: the reference the one-assignment version must equal."""
    marks = add_milestones(go.Figure(fig), milestones)  # rows and x of each mark, from the code under test
    style = PAGE_LABELS
    for row in marks.shown.itertuples():
        fig.add_shape(type="line", xref="x", yref="paper", x0=row.x, x1=row.x, y0=0, y1=1, line=LINE, layer="below")
        fig.add_annotation(
            x=row.x,
            xref="x",
            y=1,
            yref="paper",
            ax=row.label_x,
            axref="x",
            ay=-(style.leader_px + row.row * style.row_px),
            ayref="pixel",
            yanchor="bottom",
            yshift=0,
            showarrow=True,
            arrowhead=0,
            arrowwidth=1,
            arrowcolor=LINE["color"],
            standoff=0,
            text=style.text(row.label, row.date),
            hovertext=row.hover,
            font={"size": style.font_px},
            captureevents=True,
        )
    layout = fig.layout
    top, height = layout.margin.t or 100, layout.height or 450
    fig.update_layout(margin={"t": top + marks.band_px}, height=height + marks.band_px)
    return fig


@pytest.mark.parametrize("dated", [False, True], ids=["year axis", "date axis"])
def test_one_layout_assignment_draws_the_same_shapes_and_annotations(ds, dated):
    """Issue 13: the marks are set in one assignment; shapes, annotations, margin and height are the
    values the per-milestone calls gave, on the real milestones table."""
    years = list(range(2015, 2024))
    x = [f"{y}-06-30" for y in years] if dated else years
    base = _framed(go.Figure(go.Scatter(x=x, y=[1.0] * len(x), name="members")))
    base.add_annotation(text="kept", x=0, y=0, xref="paper", yref="paper")  # what the figure had stays first
    expected = _marked_one_call_per_milestone(go.Figure(base), ds.milestones).to_plotly_json()["layout"]
    fig = go.Figure(base)
    add_milestones(fig, ds.milestones)
    got = fig.to_plotly_json()["layout"]
    assert len(got["shapes"]) == len(expected["shapes"]) > 1
    before = [a["text"] for a in base.to_plotly_json()["layout"]["annotations"]]
    assert [a["text"] for a in got["annotations"][: len(before)]] == before and "kept" in before
    for key in ("shapes", "annotations", "margin", "height"):
        assert got[key] == expected[key], key
