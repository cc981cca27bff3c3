"""Charts: palette contrast, line styles, slide-ready frames, and the figure plots exactly its data."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from chart_checks import assert_distinct_series, assert_no_raw_tags

from decarb import provenance, theme
from decarb.contract import EDGAR, NET_ZERO_TRACKER
from decarb.provenance import Manifest
from decarb.render import charts
from decarb.render import layout as frame_layout

# The fixture sources.json (the real file's format): builders take data that carries each row's licence.
FIXTURE_SOURCES = Path(__file__).resolve().parent / "fixtures" / "raw" / "sources.json"
MANIFEST = Manifest(sources=provenance.parse_sources(json.loads(FIXTURE_SOURCES.read_text(encoding="utf-8"))))


def licensed(data: pd.DataFrame) -> pd.DataFrame:
    return provenance.with_licence(data, MANIFEST)


@pytest.mark.parametrize(
    "colour",
    list(theme.PALETTE)
    + list(theme.PARTS)
    + [theme.MEMBER, theme.NON_MEMBER, theme.WORLD, theme.FALL, theme.RISE, theme.JOIN_STAR]
    + list(theme.STATUS_COLOURS.values()),
)
@pytest.mark.parametrize("background", ["light", "dark"])
def test_colours_keep_3_to_1_contrast_in_both_themes(colour, background):
    assert theme.contrast_ratio(colour, theme.BACKGROUNDS[background]) >= 3.0


def test_page_figures_carry_the_themes_font_palette_and_legend_in_their_own_layout():
    # In the layout, not as a template: Streamlit's chart theme replaces a figure's template in the browser.
    chart = charts.line_chart(_lines(), title="T", subtitle="S", y_title="Y")
    layout = chart.fig.layout
    assert layout.font.family == theme.FONT
    assert list(layout.colorway) == list(theme.PALETTE)
    assert layout.legend.orientation == "h" and layout.title.x == 0 and layout.title.xanchor == "left"
    assert layout.title.text == "<b>T</b>" and layout.title.subtitle.text == "S"  # the theme's placement kept


def test_contrast_ratio_extremes():
    assert theme.contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert theme.contrast_ratio("#777777", "#777777") == pytest.approx(1.0)


def _lines() -> pd.DataFrame:
    rows = []
    for series, member in (("Sweden", True), ("China", False)):
        for kind, years in (("observed", [2015, 2016]), ("pathway", [2015, 2050]), ("projection", [2016, 2050])):
            rows += [
                {
                    "series": series,
                    "kind": kind,
                    "year": y,
                    "value": float(y - 2000),
                    "unit": "Mt CO2e",
                    "source_label": "EDGAR 2024 (JRC/IEA)",
                    "member": member,
                }
                for y in years
            ]
    rows.append(
        {
            "series": "Sweden",
            "kind": "target",
            "year": 2045,
            "value": 0.0,
            "unit": "Mt CO2e",
            "source_label": "Net Zero Tracker",
            "member": True,
        }
    )
    return licensed(pd.DataFrame(rows))


def test_line_chart_styles_and_labels():
    chart = charts.line_chart(_lines(), title="T", subtitle="S", y_title="Emissions (Mt CO2e)")
    dash = {t.name: t.line.dash for t in chart.fig.data if t.mode == "lines"}
    assert dash["Sweden (member)"] == "solid"
    assert dash["Sweden (member) - pathway to net zero"] == "dash"
    assert dash["Sweden (member) - current trend"] == "dot"
    assert dash["China"] == "solid"
    widths = {t.name: t.line.width for t in chart.fig.data if t.mode == "lines"}
    assert widths["Sweden (member)"] > widths["China"]
    target = next(t for t in chart.fig.data if t.mode == "markers")
    assert (list(target.x), list(target.y)) == ([2045], [0.0])
    # Hover: value, unit, year and source (one unit and source per trace here, so written into the template).
    for trace in chart.fig.data:
        assert "%{x}" in trace.hovertemplate and "%{y" in trace.hovertemplate
        source = "Net Zero Tracker" if trace.mode == "markers" else "EDGAR 2024 (JRC/IEA)"
        assert f"Mt CO2e<br>Source: {source}<" in trace.hovertemplate, trace.hovertemplate


def test_every_figure_is_slide_ready():
    chart = charts.line_chart(
        _lines(), title="Heavy industry", subtitle="Sweden and China", y_title="Emissions (Mt CO2e)"
    )
    layout = chart.fig.layout
    assert "Heavy industry" in layout.title.text
    assert layout.title.subtitle.text == "Sweden and China"
    assert layout.yaxis.title.text == "Emissions (Mt CO2e)"
    source = [a for a in layout.annotations if a.text.startswith("Source:")]
    edgar, nzt = (provenance.licence_text(MANIFEST.sources[s].licence) for s in (EDGAR, NET_ZERO_TRACKER))
    whole = f"Source: EDGAR 2024 (JRC/IEA) (licence: {edgar}); Net Zero Tracker (licence: {nzt})."
    assert [a.text.replace("<br>", " ") for a in source] == [whole]
    assert "CC BY-NC-ND 4.0" in edgar  # the fuel-combustion CO2 exception, named under the chart
    # Issue 12 and issue 11 item 7: a long source line is broken so it stays within the chart on a phone; the
    # plot keeps its height (the figure grows by the lines above and below it).
    lines = source[0].text.split("<br>")
    assert len(whole) > frame_layout.SOURCE_CHARS and len(lines) == 4
    assert all(len(line) <= frame_layout.SOURCE_CHARS for line in lines)
    grown = (len(lines) - 1) * frame_layout.SOURCE_LINE_PX
    assert layout.margin.b == 95 + grown
    assert layout.height - layout.margin.t - layout.margin.b == frame_layout.HEIGHT - 120 - 95
    assert source[0].font.size == frame_layout.SOURCE_FONT_PX >= 12


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("Source: A (licence: CC BY 4.0).", 95, ["Source: A (licence: CC BY 4.0)."]),
        ("aaa bbb ccc", 7, ["aaa bbb", "ccc"]),
        ("a-very-long-word b", 5, ["a-very-long-word", "b"]),  # a word is never cut
        ("one<br>two three", 5, ["one", "two", "three"]),
    ],
)
def test_source_wrapped(text, width, lines):
    assert frame_layout.wrapped(text, width).split("<br>") == lines


def test_line_chart_plots_exactly_its_data():
    data = _lines()
    chart = charts.line_chart(data, title="T", subtitle="S", y_title="Y")
    points = charts.plotted_points(chart.fig)
    assert sorted(zip(points["x"], points["y"], strict=True)) == sorted(zip(data["year"], data["value"], strict=True))
    assert chart.data.equals(data)


def test_ranking_colours_members_blue():
    data = licensed(
        pd.DataFrame(
            {
                "rank": [1, 2, 3],
                "area_name": ["China", "India", "Russia"],
                "iso3": ["CHN", "IND", "RUS"],
                "value": [9.0, 3.0, 1.0],
                "unit": "Mt CO2e",
                "source_label": "EDGAR",
                "member": [False, True, False],
            }
        )
    )
    chart = charts.ranking_bar(data, title="R", subtitle="S", x_title="Emissions (Mt CO2e)")
    bar = chart.fig.data[0]
    assert list(bar.marker.color) == [theme.NON_MEMBER, theme.MEMBER, theme.NON_MEMBER]
    assert list(bar.y) == ["1. China", "<b>2. India</b>", "3. Russia"]  # members bold, not "(member)" (phones)
    assert list(bar.x) == [9.0, 3.0, 1.0]


def test_world_map_outlines_members_and_plots_its_data():
    data = licensed(
        pd.DataFrame(
            {
                "iso3": ["SWE", "CHN"],
                "area_name": ["Sweden", "China"],
                "value": [-20.0, 10.0],
                "unit": "% change",
                "source_label": "EDGAR",
                "member": [True, False],
            }
        )
    )
    chart = charts.world_map(data, title="M", subtitle="S", colour_title="% change")
    trace = chart.fig.data[0]
    assert list(trace.locations) == ["SWE", "CHN"] and list(trace.z) == [-20.0, 10.0]
    assert list(trace.marker.line.color) == [theme.MEMBER, theme.OUTLINE]
    assert trace.zmid == 0
    # Issue 11 item 11: blue outlines the members, so a fall is not blue; the subtitle says what each colour is.
    scale = [colour for _, colour in trace.colorscale]
    assert theme.MEMBER not in scale and (scale[0], scale[-1]) == (theme.FALL, theme.RISE)
    assert "purple: fall, vermillion: rise" in chart.fig.layout.title.subtitle.text.replace("<br>", " ")


def test_stacked_area_and_rate_chart_plot_their_data():
    area = licensed(
        pd.DataFrame(
            {
                "series": ["A", "A", "B", "B"],
                "year": [2020, 2021, 2020, 2021],
                "value": [1.0, 2.0, 3.0, 4.0],
                "unit": "Mt CO2e",
                "source_label": "EDGAR",
            }
        )
    )
    chart = charts.stacked_area(area, title="S", subtitle="s", y_title="Y")
    assert all(t.stackgroup == "one" for t in chart.fig.data)
    assert len(charts.plotted_points(chart.fig)) == len(area)
    rates = licensed(
        pd.DataFrame(
            {
                "label": ["X", "X"],
                "measure": ["required", "observed"],
                "value": [-3.7, 1.2],
                "unit": "% per year",
                "source_label": "EDGAR",
                "member": [True, True],
            }
        )
    )
    chart = charts.rate_chart(rates, title="R", subtitle="s")
    assert sorted(charts.plotted_points(chart.fig)["x"]) == [-3.7, 1.2]


def test_a_trace_mixing_sources_keeps_them_per_point_in_its_hover():
    data = _lines()
    china_2016 = (data["series"] == "China") & (data["kind"] == "observed") & (data["year"] == 2016)
    data.loc[china_2016, "source_label"] = "Climate TRACE"
    chart = charts.line_chart(data, title="T", subtitle="S", y_title="Emissions (Mt CO2e)")
    china = next(t for t in chart.fig.data if t.name == "China")
    assert "customdata[1]" in china.hovertemplate
    sources = dict(zip(china.x, (c[1] for c in china.customdata), strict=True))
    assert sources == {2015: "EDGAR 2024 (JRC/IEA)", 2016: "Climate TRACE"}


@pytest.mark.parametrize("parts", [2, 7, 11, len(theme.PARTS) + 3])
def test_no_two_stacked_parts_alike(parts):
    """India's breakdown by industry has 7 parts; the inventories' heavy industry 11: each its own look."""
    area = licensed(
        pd.DataFrame(
            {
                "series": [f"part {i}" for i in range(parts) for _ in (0, 1)],
                "year": [2020, 2021] * parts,
                "value": 1.0,
                "unit": "Mt CO2e",
                "source_label": "EDGAR",
            }
        )
    )
    assert_distinct_series(charts.stacked_area(area, title="S", subtitle="s", y_title="Y").fig, f"{parts} parts")


@pytest.mark.parametrize(
    ("traces", "alike"),
    [
        ([{"name": "a", "line": {"color": "#111111"}}, {"name": "b", "line": {"color": "#111111"}}], True),
        (
            [{"name": "a", "line": {"color": "#111111"}}, {"name": "b", "line": {"color": "#111111", "dash": "dash"}}],
            False,
        ),
        (
            [
                {"name": "a", "line": {"color": "#111111"}},
                {"name": "a path", "legendgroup": "a", "line": {"color": "#111111"}},
            ],
            True,
        ),
        (
            [
                {"name": "a", "stackgroup": "one", "fillcolor": "#111111"},
                {"name": "b", "stackgroup": "one", "fillcolor": "#111111"},
            ],
            True,
        ),
        (
            [
                {"name": "a", "stackgroup": "one", "fillcolor": "#111111"},
                {"name": "b", "stackgroup": "one", "fillcolor": "#111111", "fillpattern": {"shape": "/"}},
            ],
            False,
        ),
        (
            [
                {"name": "a", "mode": "markers", "marker": {"color": "#111111", "symbol": "star"}},
                {"name": "b", "mode": "markers", "marker": {"color": "#111111", "symbol": "star-open"}},
            ],
            False,
        ),
    ],
)
def test_the_distinct_series_check_tells_alike_from_apart(traces, alike):
    figure = {"data": [{"type": "scatter", "mode": "lines", **t} for t in traces], "layout": {}}
    if alike and len({t.get("legendgroup") or t["name"] for t in traces}) > 1:
        with pytest.raises(AssertionError, match="are both drawn as"):
            assert_distinct_series(figure)
    else:
        assert_distinct_series(figure)


@pytest.mark.parametrize(
    ("text", "plotly", "raw"),
    [
        ("<b>1. Sweden</b> 3.2", False, True),
        ("1. Sweden (member) 3.2", False, False),
        ("<b>1. Sweden</b>", True, False),
        ("&lt;b&gt;1. Sweden&lt;/b&gt;", True, True),
        ("a <script>x</script>", True, True),
        ("emissions < 3 and > 1", False, False),
    ],
)
def test_the_raw_tag_check(text, plotly, raw):
    if raw:
        with pytest.raises(AssertionError, match="raw tag"):
            assert_no_raw_tags([text], plotly=plotly)
    else:
        assert_no_raw_tags([text], plotly=plotly)


def test_ranking_summary_names_members_in_words_not_tags():
    data = licensed(
        pd.DataFrame(
            {
                "rank": [1, 2],
                "area_name": ["Aland", "Bland"],
                "value": [2.0, 1.0],
                "unit": "Mt CO2e",
                "source_label": "EDGAR",
                "member": [True, False],
            }
        )
    )
    chart = charts.ranking_bar(data, title="R", subtitle="s", x_title="X")
    assert_no_raw_tags([chart.summary])
    assert "1. Aland (member) 2.00" in chart.summary


@pytest.mark.parametrize(
    ("targets", "span"),
    [
        ([0.0] * 17, 265.0),  # twelve small countries on the zero line, and more: spread over the height
        ([10.0, 12.0, 200.0, 201.0], 265.0),
        ([300.0, -20.0, 150.0], 265.0),  # wanted past either end of the plot
        ([5.0] * 30, 265.0),  # more than fit at the gap: closer, never outside
    ],
)
def test_names_at_line_ends_stay_apart_inside_the_plot_and_in_order(targets, span):
    gap = frame_layout.END_LABEL_GAP_PX
    heights = frame_layout.spread_apart(targets, span, gap)
    assert len(heights) == len(targets)
    assert all(0 <= h <= span for h in heights)
    ordered = [h for _, h in sorted(zip(targets, heights, strict=True))]
    assert ordered == sorted(ordered)  # no two names swap places
    step = min(gap, span / (len(targets) - 1))
    assert all(b - a >= step - 1e-6 for a, b in zip(ordered, ordered[1:], strict=False))


def test_many_lines_are_named_at_their_ends_and_their_legend_folds():
    """More series than colours: each named at its last observed value, in the right margin, with a leader in its
    colour; the legend under the chart keeps FOLDED_LEGEND_ROWS and scrolls (a phone's 17 rows stood taller than
    the plot); the y axis's range holds every value."""
    names = [f"Country {i:02d}" for i in range(len(theme.PALETTE) * 2 + 3)]
    rows = [
        {"series": n, "kind": "observed", "year": y, "value": float(i * (y - 2000)), "unit": "Mt CO2e"}
        for i, n in enumerate(names)
        for y in (2010, 2020)
    ]
    data = licensed(pd.DataFrame(rows).assign(source_label="EDGAR 2024 (JRC/IEA)"))
    fig = charts.line_chart(data, title="T", subtitle="S", y_title="Y").fig
    ends = [a for a in fig.layout.annotations if a.xref == "paper" and a.x == 1]
    assert [a.text for a in ends] == names
    assert all(a.font.size >= frame_layout.SOURCE_FONT_PX for a in ends)
    span = fig.layout.height - fig.layout.margin.t - fig.layout.margin.b
    heights = sorted(a.y * span for a in ends)
    assert all(b - a >= frame_layout.END_LABEL_GAP_PX - 1e-6 for a, b in zip(heights, heights[1:], strict=False))
    colours = {t.legendgroup: t.line.color for t in fig.data}
    assert [s.line.color for s in fig.layout.shapes] == [colours[n] for n in names]
    low, high = fig.layout.yaxis.range
    assert low < 0 and high > (len(names) - 1) * 20
    assert fig.layout.margin.r >= frame_layout.text_width(names[0], frame_layout.END_LABEL_PX)
    assert fig.layout.legend.maxheight == frame_layout.FOLDED_LEGEND_ROWS * frame_layout.LEGEND_ROW_PX
    room = fig.layout.legend.y * fig.layout.height
    assert fig.layout.legend.maxheight <= room < span + frame_layout.LEGEND_ROW_PX * 2


def test_a_few_lines_keep_their_legend_and_no_names_at_their_ends():
    chart = charts.line_chart(_lines(), title="T", subtitle="S", y_title="Y")
    assert not [a for a in chart.fig.layout.annotations if a.xref == "paper" and a.x == 1]
    assert chart.fig.layout.legend.maxheight is None and chart.fig.layout.yaxis.range is None
