"""Briefing packs: the PowerPoint deck read back with python-pptx (slides, native charts whose series equal the
storyline's data, footnotes, speaker notes with the link and the data versions), the offline HTML (plotly.js
inside, nothing fetched, one figure per slide with the same values) and the command line."""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import re
from pathlib import Path

import numpy as np
import pytest
from pptx import Presentation
from pptx.util import Emu

from decarb import storyline as sl
from decarb import view as view_model
from decarb.briefing import __main__ as cli
from decarb.briefing import build_deck, file_stem
from decarb.briefing.html import deck_html
from decarb.briefing.pptx import CHART_TYPES, MARKED_PLOT, deck_pptx, drawn_order
from decarb.screens import present as sp
from decarb.view import View

C_NS = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart"}


CONFIGS = {
    "default": (View(), sl.StorylineConfig()),
    "edited": (
        View(source="climate_trace", base_year=2016, target_year=2045, members="with_unverified"),
        sl.StorylineConfig(
            ("targets", "movers", "pathway"), (("movers", "Who moved & how much"),), (("pathway", "Up, not down"),)
        ),
    ),
}


@pytest.fixture(scope="module", params=list(CONFIGS))
def deck(request, ds):
    view, config = CONFIGS[request.param]
    return build_deck(ds, view, config, base_url="http://10.1.2.3:8501")


@pytest.fixture(scope="module")
def prs(deck):
    return Presentation(io.BytesIO(deck_pptx(deck)))


def texts(pptx_slide) -> list[str]:
    return [shape.text_frame.text for shape in pptx_slide.shapes if shape.has_text_frame]


def test_deck_has_a_title_slide_and_one_slide_per_storyline_slide(deck, prs):
    assert len(prs.slides) == 1 + len(deck.slides)
    cover = prs.slides[0]
    assert cover.shapes.title.text == deck.title
    body = "\n".join(texts(cover))
    assert deck.selection in body and deck.vintage in body and deck.link in body
    assert deck.view.source_label in deck.selection and str(deck.view.base_year) in deck.selection
    notes = cover.notes_slide.notes_text_frame.text
    assert deck.link in notes and all(v in notes for v in deck.versions)
    for pptx_slide, slide in zip(list(prs.slides)[1:], deck.slides, strict=True):
        assert pptx_slide.shapes.title.text == slide.title


def _xy_x(series) -> list[float]:
    return [float(v) for v in series._element.xpath("./c:xVal//c:pt/c:v/text()")]


def test_every_slide_has_a_native_chart_with_the_storylines_values(deck, prs):
    for pptx_slide, slide in zip(list(prs.slides)[1:], deck.slides, strict=True):
        frames = [shape for shape in pptx_slide.shapes if shape.has_chart]
        pictures = [shape for shape in pptx_slide.shapes if shape.shape_type == 13]  # MSO_SHAPE_TYPE.PICTURE
        assert len(frames) == 1 and not pictures, slide.key
        chart = frames[0].chart
        assert chart.chart_type == CHART_TYPES[slide.kind]
        assert chart.part.chart_workbook.xlsx_part is not None  # the numbers are editable in PowerPoint
        got = list(chart.plots[0].series)
        assert [s.name for s in got] == [s.name for s in drawn_order(slide)]
        assert sorted(s.name for s in got) == sorted(s.name for s in slide.series)
        for native, spec in zip(got, drawn_order(slide), strict=True):
            if slide.kind == sp.LINES:  # scatter with lines: x and y of every point with a value
                points = [(x, y) for x, y in zip(spec.x, spec.y, strict=True) if y is not None]
                assert _xy_x(native) == [float(x) for x, _ in points]
                np.testing.assert_allclose(list(native.values), [y for _, y in points], rtol=1e-12)
            else:
                values = np.array([np.nan if v is None else v for v in native.values], dtype=float)
                np.testing.assert_allclose(values, sp.plotted_values(spec), rtol=1e-12)
        if slide.kind != sp.LINES:
            categories = list(chart.plots[0].categories)
            expected = [str(x) for x in slide.series[0].x] if slide.kind != sp.DATES else list(slide.series[0].x)
            if slide.kind == sp.DATES:  # stored as Excel serial dates
                categories = [round(float(c)) for c in categories]
                expected = [(d - dt.date(1899, 12, 30)).days for d in expected]
            assert categories == expected


def test_bar_chart_labels_sit_beside_the_plot_not_across_negative_bars(deck, prs):
    bar_slides = [(p, s) for p, s in zip(list(prs.slides)[1:], deck.slides, strict=True) if s.kind == sp.BARS]
    assert bar_slides
    for pptx_slide, slide in bar_slides:
        chart = next(shape for shape in pptx_slide.shapes if shape.has_chart).chart
        positions = chart._chartSpace.xpath(".//c:catAx/c:tickLblPos/@val")
        assert positions == ["low"], slide.key


def test_charts_series_equal_the_data_table_plotted(deck, prs):
    """The chart's numbers are the slide's table (what the app shows and exports for this view)."""
    column = {"pathway": "value", "movers": "change", "cement": "value"}
    for pptx_slide, slide in zip(list(prs.slides)[1:], deck.slides, strict=True):
        chart = next(shape for shape in pptx_slide.shapes if shape.has_chart).chart
        native = list(chart.plots[0].series)
        if slide.key in ("movers", "cement"):
            np.testing.assert_allclose(list(native[0].values), slide.table[column[slide.key]], rtol=1e-12)
        elif slide.key == "pathway":
            for s in native:
                rows = slide.table[slide.table["series"] == s.name]
                np.testing.assert_allclose(list(s.values), rows["value"], rtol=1e-12)
                assert _xy_x(s) == rows["year"].astype(float).tolist()
        elif slide.key == "targets":
            for s in native:
                np.testing.assert_array_equal(list(s.values), slide.table.loc[slide.table["status"] == s.name, "value"])


def test_headline_footnote_and_notes(deck, prs):
    for index, (pptx_slide, slide) in enumerate(zip(list(prs.slides)[1:], deck.slides, strict=True)):
        content = texts(pptx_slide)
        assert slide.headline in content and slide.headline_label in content
        assert slide.subtitle in content
        footnotes = [t for t in content if t.startswith("Source: ")]
        assert footnotes == [slide.source]
        footnote = next(s for s in pptx_slide.shapes if s.has_text_frame and s.text_frame.text == slide.source)
        assert footnote.top > Emu(prs.slide_height * 0.8)  # at the foot of the slide
        notes = pptx_slide.notes_slide.notes_text_frame.text
        assert deck.slide_links[index] in notes
        assert all(v in notes for v in deck.versions)
        link = sl.split_link(deck.slide_links[index])
        assert sl.decode_slide_number(link.get("slide"), len(deck.slides)) == (index + 1, None)


def test_links_in_the_notes_reproduce_the_view_and_storyline(ds, deck, prs):
    notes = prs.slides[1].notes_slide.notes_text_frame.text
    link = re.search(r"Link to this slide: (\S+)", notes).group(1)
    assert link.startswith("http://10.1.2.3:8501/present")
    params = sl.split_link(link)
    assert view_model.decode_view(ds, params) == (deck.view, [])
    assert sl.decode_config(params) == (deck.config, [])


def test_slides_without_data_say_so_instead_of_a_chart(ds):
    deck = build_deck(ds, View(source="owid"))  # OWID has cement only: no heavy-industry series
    prs = Presentation(io.BytesIO(deck_pptx(deck)))
    for pptx_slide, slide in zip(list(prs.slides)[1:], deck.slides, strict=True):
        charts = [shape for shape in pptx_slide.shapes if shape.has_chart]
        assert len(charts) == (1 if slide.has_data else 0), slide.key
        if not slide.has_data:
            assert f"No data for this selection: {slide.headline_label}." in texts(pptx_slide)
    assert {s.key for s in deck.slides if not s.has_data} == {"pathway", "scoreboard", "movers"}
    assert len(figures_of(deck_html(deck))) == len(deck.slides)


def test_edited_headline_is_noted_with_the_computed_value(ds):
    view, config = CONFIGS["edited"]
    deck = build_deck(ds, view, config)
    index = [s.key for s in deck.slides].index("pathway")
    slide = deck.slides[index]
    assert slide.headline == "Up, not down" and slide.computed_headline != slide.headline
    assert f"computed from the data: {slide.computed_headline}" in deck.notes(index)
    assert deck.slides[[s.key for s in deck.slides].index("movers")].title == "Who moved & how much"


# --- Offline HTML ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def html_text(deck):
    return deck_html(deck)


def figures_of(text: str) -> list[dict]:
    raw = re.search(r'<script type="application/json" id="figures">(.*?)</script>', text, re.S).group(1)
    return json.loads(raw.replace("<\\/", "</"))


def test_html_is_self_contained(html_text):
    import plotly

    assert "<script src" not in html_text and "<link " not in html_text and "@import" not in html_text
    assert "cdn.plot.ly/plotly" not in html_text.split("<body>", 1)[1]
    assert f"v{plotly.__version__}" in html_text or "plotly.js v" in html_text  # the library itself is inside
    assert len(html_text) > 3_000_000  # plotly.js is about 4.8 MB


def test_html_has_every_slide_with_the_same_values(deck, html_text):
    figures = figures_of(html_text)
    assert len(figures) == len(deck.slides)
    assert html_text.count('<section class="slide') == len(deck.slides) + 1
    for figure, slide in zip(figures, deck.slides, strict=True):
        assert f"<h1>{html.escape(slide.title)}</h1>" in html_text
        assert f'<div class="number">{html.escape(slide.headline)}</div>' in html_text
        for trace, spec in zip(figure["data"], slide.series, strict=True):
            assert trace["name"] == spec.name
            values = trace["x"] if slide.kind == sp.BARS else trace["y"]
            if isinstance(values, dict):  # plotly 6+ may encode arrays as typed binary
                pytest.skip("typed-array encoding: compared in the browser test")
            got = np.array([np.nan if v is None else v for v in values], dtype=float)
            np.testing.assert_allclose(got, sp.plotted_values(spec), rtol=1e-12)


# --- Command line ---------------------------------------------------------------------------------------------
def test_cli_builds_one_pack(ds, tmp_path, capsys):
    code = cli.main(
        [
            "http://h:8501/present?source=climate_trace&slides=cement,pathway,nope&headline_cement=1/5",
            "--pptx",
            str(tmp_path / "a.pptx"),
            "--html",
            str(tmp_path / "a.html"),
            "--base-url",
            "http://h:8501",
        ]
    )
    out = capsys.readouterr()
    assert code == 0
    assert "'nope'" in out.err and "2 slides" in out.out
    prs = Presentation(str(tmp_path / "a.pptx"))
    assert len(prs.slides) == 3
    assert prs.slides[1].shapes.title.text == sl.DEFAULT_TITLES["cement"]
    assert "1/5" in texts(prs.slides[1])
    assert "source=climate_trace" in prs.slides[1].notes_slide.notes_text_frame.text
    assert len(figures_of((tmp_path / "a.html").read_text(encoding="utf-8"))) == 2


def test_cli_batch_writes_one_pack_per_view(ds, tmp_path, capsys):
    views = ["source=edgar", "?source=climate_trace&members=joined", "source=edgar&slides=targets"]
    assert cli.main([*views, "--out-dir", str(tmp_path / "packs")]) == 0
    names = sorted(p.name for p in (tmp_path / "packs").iterdir())
    stem = file_stem(build_deck(ds, View(), sl.StorylineConfig(("targets",))))
    assert len(names) == 6 and f"{stem}-3.pptx" in names and f"{stem}.html" in names
    assert len(Presentation(str(tmp_path / "packs" / f"{stem}-3.pptx")).slides) == 2


def test_cli_refuses_several_views_into_one_file(tmp_path):
    with pytest.raises(SystemExit):
        cli.main(["source=edgar", "source=owid", "--pptx", str(tmp_path / "x.pptx")])
    with pytest.raises(SystemExit):
        cli.main(["source=edgar"])


# --- Presentation mode page (AppTest through the real entrypoint) ----------------------------------------------
ENTRYPOINT = str(Path(__file__).resolve().parent.parent / "dashboard.py")
PRESENT = "pages/present.py"


def present(**params: str):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(ENTRYPOINT, default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(PRESENT)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def shown(at) -> dict[str, str]:
    """Title, headline and slide number as rendered (the page writes them as escaped HTML)."""
    text = "\n".join(m.value for m in at.markdown)
    found = {}
    for name, pattern in (
        ("title", r'class="slide-title">(.*?)</h1>'),
        ("headline", r'slide-headline">(.*?)</div>'),
        ("number", r'class="slide-number">(.*?)</div>'),
        ("source", r'slide-source">(.*?)</p>'),
    ):
        match = re.search(pattern, text, re.S)
        found[name] = html.unescape(match.group(1)) if match else ""
    return found


def test_page_deep_link_shows_that_slide_of_that_storyline(ds):
    view = View(base_year=2010)
    at = present(
        base="2010",
        slides="cement,pathway,bogus",
        slide="2",
        title_pathway="<b>Us</b> & the line",
        headline_cement="1 in 5",
    )
    deck = build_deck(
        ds,
        view,
        sl.StorylineConfig(("cement", "pathway"), (("pathway", "<b>Us</b> & the line"),), (("cement", "1 in 5"),)),
    )
    got = shown(at)
    assert got == {
        "title": "<b>Us</b> & the line",
        "headline": deck.slides[1].headline,
        "number": "2 / 2",
        "source": deck.slides[1].source,
    }
    assert any("'bogus'" in w.value for w in at.warning)
    assert "<b>Us</b>" not in "".join(m.value for m in at.markdown)  # escaped, never rendered as HTML
    figure = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert [t["name"] for t in figure["data"]] == [s.name for s in deck.slides[1].series]


def test_page_buttons_move_between_slides(ds):
    at = present()
    assert shown(at)["number"] == f"1 / {len(sl.SLIDE_KEYS)}"
    at.button(key="slide_next").click().run()
    assert shown(at)["title"] == sl.DEFAULT_TITLES[sl.SLIDE_KEYS[1]]
    assert at.query_params.get("slide") in ("2", ["2"])
    at.button(key="slide_prev").click().run()
    assert shown(at)["title"] == sl.DEFAULT_TITLES[sl.SLIDE_KEYS[0]]


def test_page_editor_is_made_only_when_opened(ds):
    at = present()
    assert not [w for w in at.checkbox if str(w.key).startswith("story_")]
    assert at.toggle(key="present_tools").label == "Presenter tools" and not at.toggle(key="present_tools").value
    opened = open_editor(at)
    assert len([w for w in opened.checkbox if str(w.key).startswith("story_show_")]) == len(sl.SLIDE_KEYS)
    assert {b.key for b in opened.get("download_button")} >= {"download_pptx", "download_html"}


def open_editor(at):
    at.toggle(key="present_tools").set_value(True).run()  # the presenter opens the tools
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_page_editor_chooses_orders_retitles_and_edits_headlines(ds):
    at = open_editor(present())
    for key in sl.SLIDE_KEYS:
        at.checkbox(key=f"story_show_{key}").set_value(key in ("targets", "movers"))
    at.number_input(key="story_pos_targets").set_value(1)
    at.number_input(key="story_pos_movers").set_value(2)
    at.text_input(key="story_title_targets").set_value("Targets of our members")
    at.text_input(key="story_headline_targets").set_value("Most by 2050")
    at.button(key="FormSubmitter:storyline-Apply to the deck").click().run()
    assert not at.exception
    got = shown(at)
    assert (got["title"], got["headline"], got["number"]) == ("Targets of our members", "Most by 2050", "1 / 2")
    assert not at.toggle(key="present_tools").value  # back to the slide (issue 11 item 5)
    at.button(key="slide_next").click().run()
    assert shown(at)["title"] == sl.DEFAULT_TITLES["movers"]
    params = {k: at.query_params[k] for k in at.query_params}
    flat = {k: v[0] if isinstance(v, list) else v for k, v in params.items()}
    assert sl.decode_config(flat)[0] == sl.StorylineConfig(
        ("targets", "movers"), (("targets", "Targets of our members"),), (("targets", "Most by 2050"),)
    )


@pytest.mark.parametrize(
    ("title", "headline", "title_pt", "headline_pt"),
    [
        ("Short", "+7%", 30, 48),
        ("t" * 90, "12 of 14 here", 24, 40),
        ("t" * sl.MAX_TITLE, "h" * sl.MAX_HEADLINE, 20, 22),
    ],
)
def test_long_edited_titles_and_headlines_get_smaller_type(ds, title, headline, title_pt, headline_pt):
    config = sl.StorylineConfig(("cement",), (("cement", title),), (("cement", headline),))
    prs = Presentation(io.BytesIO(deck_pptx(build_deck(ds, View(), config))))
    shapes = {shape.text_frame.text: shape for shape in prs.slides[1].shapes if shape.has_text_frame}
    assert shapes[title].text_frame.paragraphs[0].font.size.pt == title_pt
    assert shapes[headline].text_frame.paragraphs[0].font.size.pt == headline_pt


@pytest.mark.parametrize("kind", [sp.LINES, sp.BARS])
def test_chart_workbook_names_are_formula_safe(kind):
    """Series names and categories go into the chart's embedded workbook: a leading '=' must stay text."""
    import pandas as pd

    from decarb.briefing.pptx import chart_data

    x = (2020, 2021) if kind == sp.LINES else ('=HYPERLINK("x")', "Sweden")
    slide = sp.Slide(
        key="k",
        title="t",
        subtitle="s",
        headline="1",
        headline_label="l",
        source="src",
        kind=kind,
        x_title="x",
        y_title="y",
        unit="Mt",
        series=(sp.Series("=1+2", x, (1.0, 2.0)),),
        table=pd.DataFrame(),
        spec={},
        name="n",
        summary="s",
    )
    data = chart_data(slide)
    assert [s.name for s in data] == ["'=1+2"]
    if kind == sp.BARS:
        assert [c.label for c in data.categories] == ['\'=HYPERLINK("x")', "Sweden"]


def test_steel_slide_holds_the_observed_series_first_with_its_values(ds):
    """Issue 12: LibreOffice drew no observed line on the steel slide (a scatter chart's first series, shorter than
    the pathway after it, is not drawn there). The chart XML holds the observed years first, with every value."""
    deck = build_deck(ds, View(), sl.StorylineConfig(("steel",)))
    slide = deck.slides[0]
    observed = next(s for s in slide.series if s.name == "Observed")
    assert sum(y is not None for y in observed.y) >= 5
    chart = next(shape for shape in Presentation(io.BytesIO(deck_pptx(deck))).slides[1].shapes if shape.has_chart).chart
    series = chart._chartSpace.xpath(".//c:scatterChart/c:ser")
    counts = [int(s.xpath("./c:yVal//c:ptCount/@val")[0]) for s in series]
    assert counts[0] == max(counts)  # the longest series first: LibreOffice draws all of them
    native = next(s for s in chart.plots[0].series if s.name == "Observed")
    points = [(x, y) for x, y in zip(observed.x, observed.y, strict=True) if y is not None]
    assert _xy_x(native) == [float(x) for x, _ in points]
    np.testing.assert_allclose(list(native.values), [y for _, y in points], rtol=1e-12)


def test_slide_text_and_ticks_are_projector_sized(ds):
    """Issue 14: the deck's charts were 12-13 pt, too small in a room. (The Present page's milestone labels are
    back at the pages' 13 px until their band and the legend are placed in pixels: 18 px overlapped the legend.)"""
    deck = build_deck(ds, View())
    prs = Presentation(io.BytesIO(deck_pptx(deck)))
    for pptx_slide, slide in zip(list(prs.slides)[1:], deck.slides, strict=True):
        chart = next(shape for shape in pptx_slide.shapes if shape.has_chart).chart
        assert chart.font.size.pt >= 18, slide.key
        for axis in (chart.category_axis, chart.value_axis):
            assert axis.tick_labels.font.size.pt >= 16, slide.key
        if chart.has_legend:
            assert chart.legend.font.size.pt >= 16, slide.key
    marked = [s for s in deck.slides if s.key in sp.MARKED_SLIDES]
    assert marked
    for slide in marked:
        notes = slide.spec["layout"]["annotations"]
        assert notes and all(note["font"]["size"] == sp.SLIDE_LABEL_PX for note in notes), slide.key
        rows = sorted({note["yshift"] for note in notes})
        assert all(b - a >= sp.SLIDE_LABEL_PX for a, b in zip(rows, rows[1:], strict=False)), slide.key  # no overlap


def test_membership_date_axis_labels_years_not_every_date(ds):
    deck = build_deck(ds, View(), sl.StorylineConfig(("membership",)))
    chart = next(shape for shape in Presentation(io.BytesIO(deck_pptx(deck))).slides[1].shapes if shape.has_chart)
    axis = chart.chart._chartSpace.xpath(".//c:dateAx")[0]
    assert axis.xpath("./c:majorTimeUnit/@val") == ["years"] and axis.xpath("./c:majorUnit/@val") == ["1"]
    assert axis.xpath("./c:numFmt/@formatCode") == ["yyyy"]


def test_milestones_are_marked_on_the_native_charts_at_their_dates(ds):
    """Issue 14: a dotted line per milestone over the plot area, placed from the axis range and the fixed plot area;
    labels sit inside the chart frame (never over the title or the legend above the plot)."""
    deck = build_deck(ds, View(), sl.StorylineConfig(("pathway", "membership")))
    prs = Presentation(io.BytesIO(deck_pptx(deck)))
    for pptx_slide, slide in zip(list(prs.slides)[1:], deck.slides, strict=True):
        frame = next(shape for shape in pptx_slide.shapes if shape.has_chart)
        layout = frame.chart._chartSpace.xpath(".//c:plotArea/c:layout/c:manualLayout")
        assert layout, slide.key
        px, py, pw, ph = MARKED_PLOT
        lines = [shape for shape in pptx_slide.shapes if type(shape).__name__ == "Connector"]
        dates = [note["x"] for note in slide.spec["layout"]["annotations"]]
        assert len(lines) == len(dates) > 0, slide.key
        plot_left, plot_width = frame.left + frame.width * px, frame.width * pw
        axis = frame.chart.category_axis
        first, last = axis.minimum_scale, axis.maximum_scale
        for line, x in zip(sorted(lines, key=lambda s: s.begin_x), sorted(dates), strict=True):
            where = (dt.date.fromisoformat(x[:10]) - dt.date(1899, 12, 30)).days if slide.kind == sp.DATES else float(x)
            expected = plot_left + (where - first) / (last - first) * plot_width
            assert abs(line.begin_x - expected) <= 2 and line.begin_x == line.end_x, slide.key
            assert line.begin_y == pytest.approx(frame.top + frame.height * py, abs=2), slide.key
