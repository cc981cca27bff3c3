"""Briefing packs: the PowerPoint deck read back with python-pptx (slides, native charts whose series equal the
storyline's data, footnotes, speaker notes with the link and the data versions), the offline HTML (plotly.js
inside, nothing fetched, one figure per slide with the same values) and the command line."""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pptx import Presentation
from pptx.enum.chart import XL_LEGEND_POSITION
from pptx.util import Emu

from conftest import ROOT
from decarb import storyline as sl
from decarb import theme
from decarb import view as view_model
from decarb.briefing import __main__ as cli
from decarb.briefing import build_deck, figures, file_stem
from decarb.briefing import slides as sp
from decarb.briefing.html import deck_html
from decarb.briefing.pptx import (
    CHART_TYPES,
    LABEL_CLEAR,
    MARK_PREFIX,
    TAGS_NAME,
    Mark,
    corners,
    deck_pptx,
    drawn_order,
    frame_plot,
    label_height,
    marked_range,
    slide_marks,
    sources_pages,
    tags,
    unbroken,
    xy_points,
    year_start,
)
from decarb.provenance import cited_sources, licence_text
from decarb.ui.state import markdown_text
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
    assert len(prs.slides) == 1 + len(deck.slides) + len(sources_pages(deck.sources))
    cover = prs.slides[0]
    assert cover.shapes.title.text == deck.title
    body = "\n".join(texts(cover))
    assert deck.selection in body and deck.vintage in body and deck.link in body
    assert deck.view.source_label in deck.selection and str(deck.view.base_year) in deck.selection
    notes = cover.notes_slide.notes_text_frame.text
    assert deck.link in notes and all(v in notes for v in deck.versions)
    for pptx_slide, slide in zip(list(prs.slides)[1 : 1 + len(deck.slides)], deck.slides, strict=True):
        assert pptx_slide.shapes.title.text == slide.title


def _xy_x(series) -> list[float]:
    return [float(v) for v in series._element.xpath("./c:xVal//c:pt/c:v/text()")]


def test_every_slide_has_a_native_chart_with_the_storylines_values(deck, prs):
    for pptx_slide, slide in zip(list(prs.slides)[1 : 1 + len(deck.slides)], deck.slides, strict=True):
        frames = [shape for shape in pptx_slide.shapes if shape.has_chart]
        pictures = [shape for shape in pptx_slide.shapes if shape.shape_type == 13]  # MSO_SHAPE_TYPE.PICTURE
        assert len(frames) == 1 and not pictures, slide.key
        chart = frames[0].chart
        if slide.kind in (sp.DATES, sp.LINES):  # python-pptx names a scatter's type after its series' lines:
            # the milestone numbers (no line) make it "XY_SCATTER"
            assert chart._chartSpace.xpath("./c:chart/c:plotArea/c:scatterChart"), slide.key
        else:
            assert chart.chart_type == CHART_TYPES[slide.kind]
        assert chart.part.chart_workbook.xlsx_part is not None  # the numbers are editable in PowerPoint
        got = [s for s in chart.plots[0].series if not s.name.startswith(MARK_PREFIX)]
        assert [s.name for s in got] == [s.name for s in drawn_order(slide)]
        assert sorted(s.name for s in got) == sorted(s.name for s in slide.series)
        for native, spec in zip(got, drawn_order(slide), strict=True):
            if slide.kind == sp.LINES:  # scatter with lines: x and y of every point with a value
                points = [(x, y) for x, y in zip(spec.x, spec.y, strict=True) if y is not None]
                assert _xy_x(native) == [float(x) for x, _ in points]
                np.testing.assert_allclose(list(native.values), [y for _, y in points], rtol=1e-12)
            elif slide.kind == sp.DATES:  # scatter on a date axis: Excel serial days
                points = [((x - dt.date(1899, 12, 30)).days, y) for x, y in zip(spec.x, spec.y, strict=True) if y]
                got_points = list(zip(_xy_x(native), native.values, strict=True))
                # Every data point, in order; a step series adds corners (tested below) and nothing else
                data = [p for i, p in enumerate(got_points) if i not in corners(spec, slide.kind)]
                assert data == [(float(x), y) for x, y in points]
            else:
                values = np.array([np.nan if v is None else v for v in native.values], dtype=float)
                np.testing.assert_allclose(values, sp.plotted_values(spec), rtol=1e-12)
        if slide.kind in (sp.BARS, sp.STACKED):
            assert list(chart.plots[0].categories) == [str(x) for x in slide.series[0].x]


def test_bar_chart_labels_sit_beside_the_plot_not_across_negative_bars(deck, prs):
    bar_slides = [
        (p, s)
        for p, s in zip(list(prs.slides)[1 : 1 + len(deck.slides)], deck.slides, strict=True)
        if s.kind == sp.BARS
    ]
    assert bar_slides
    for pptx_slide, slide in bar_slides:
        chart = next(shape for shape in pptx_slide.shapes if shape.has_chart).chart
        positions = chart._chartSpace.xpath(".//c:catAx/c:tickLblPos/@val")
        assert positions == ["low"], slide.key


def test_charts_series_equal_the_data_table_plotted(deck, prs):
    """The chart's numbers are the slide's table (what the app shows and exports for this view)."""
    column = {"pathway": "value", "movers": "change", "cement": "value"}
    for pptx_slide, slide in zip(list(prs.slides)[1 : 1 + len(deck.slides)], deck.slides, strict=True):
        chart = next(shape for shape in pptx_slide.shapes if shape.has_chart).chart
        native = [s for s in chart.plots[0].series if not s.name.startswith(MARK_PREFIX)]
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
    for index, (pptx_slide, slide) in enumerate(
        zip(list(prs.slides)[1 : 1 + len(deck.slides)], deck.slides, strict=True)
    ):
        content = texts(pptx_slide)
        assert unbroken(slide.headline) in content and unbroken(slide.headline_label) in content
        assert deck.deck_subtitle(index) in content
        footnotes = [t for t in content if t.startswith("Source: ")]
        # A short line (names and licences); the full citations stand in the notes and on the Sources slide.
        assert footnotes == [deck.footnote(index)] and footnotes[0].endswith("full citation in the notes.")
        assert "EDGAR" not in footnotes[0] or "CC BY-NC-ND 4.0" in footnotes[0]
        footnote = next(s for s in pptx_slide.shapes if s.has_text_frame and s.text_frame.text == footnotes[0])
        assert footnote.top > Emu(prs.slide_height * 0.8)  # at the foot of the slide
        notes = pptx_slide.notes_slide.notes_text_frame.text
        assert slide.source_line in notes
        assert deck.slide_links[index] in notes
        assert all(v in notes for v in deck.versions)
        link = sl.split_link(deck.slide_links[index])
        assert sl.decode_slide_number(link.get("slide"), len(deck.slides)) == (index + 1, None)


def test_headline_colour_is_the_slides_in_the_deck_and_the_html(deck, prs, html_text):
    """The movers slide's rise is in the warning colour in PowerPoint and the offline HTML alike (both render the
    same Slide): every headline number has its slide's colour, and the movers slide's is not the accent."""
    for pptx_slide, slide in zip(list(prs.slides)[1 : 1 + len(deck.slides)], deck.slides, strict=True):
        box = next(s for s in pptx_slide.shapes if s.has_text_frame and s.text_frame.text == unbroken(slide.headline))
        assert str(box.text_frame.paragraphs[0].font.color.rgb) == slide.headline_colour.lstrip("#").upper()
        number = f'<div class="number" style="color: {slide.headline_colour}">{html.escape(slide.headline)}</div>'
        assert number in html_text, slide.key
    movers = next(s for s in deck.slides if s.key == "movers")
    assert movers.headline.startswith("+") and movers.headline_colour == theme.RISE != theme.ACCENT


def test_links_in_the_notes_reproduce_the_view_and_storyline(ds, deck, prs):
    notes = prs.slides[1].notes_slide.notes_text_frame.text
    link = re.search(r"Link to this slide: (\S+)", notes).group(1)
    assert link.startswith("http://10.1.2.3:8501/present")
    params = sl.split_link(link)
    assert view_model.decode_view(ds, params) == (deck.view, [])
    assert sl.decode_config(params) == (deck.config, [])


def test_slides_without_data_say_so_instead_of_a_chart(ds):
    """OWID (cement only) gives every slide a chart now (issue 11 item 2); a slide with no point plotted (here the
    pathway slide emptied) says so where the chart would be, in the deck, and the HTML still has its figure."""
    owid = build_deck(ds, View(source="owid"))
    assert all(s.has_data for s in owid.slides)
    owid_prs = Presentation(io.BytesIO(deck_pptx(owid)))
    assert all(any(shape.has_chart for shape in p.shapes) for p in list(owid_prs.slides)[1 : 1 + len(owid.slides)])
    assert not any("No data for this selection" in " ".join(texts(p)) for p in owid_prs.slides)
    empty = [
        replace(s, series=tuple(replace(x, y=(None,) * len(x.y)) for x in s.series)) if s.key == "pathway" else s
        for s in owid.slides
    ]
    deck = replace(owid, slides=tuple(empty))
    prs = Presentation(io.BytesIO(deck_pptx(deck)))
    for pptx_slide, slide in zip(list(prs.slides)[1 : 1 + len(deck.slides)], deck.slides, strict=True):
        charts = [shape for shape in pptx_slide.shapes if shape.has_chart]
        assert len(charts) == (1 if slide.has_data else 0), slide.key
        if not slide.has_data:
            assert f"No data for this selection: {slide.headline_label}." in texts(pptx_slide)
    assert {s.key for s in deck.slides if not s.has_data} == {"pathway"}
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
    assert html_text.count('<section class="slide') == len(deck.slides) + 2  # the cover, the Sources slide
    for figure, slide in zip(figures, deck.slides, strict=True):
        assert f"<h1>{html.escape(slide.title)}</h1>" in html_text
        assert f'style="color: {slide.headline_colour}">{html.escape(slide.headline)}</div>' in html_text
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
    assert len(prs.slides) == 4  # the cover, two slides, the Sources slide
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
    assert len(Presentation(str(tmp_path / "packs" / f"{stem}-3.pptx")).slides) == 3  # cover, targets, Sources


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
        ("headline", r'slide-headline"[^>]*>(.*?)</div>'),
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
        "source": deck.slides[1].source_line,
    }
    assert any(markdown_text("'bogus'") in w.value for w in at.warning)
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
    assert not [w for w in at.multiselect if str(w.key).startswith("story_")]
    assert at.toggle(key="present_tools").label == "Presenter tools" and not at.toggle(key="present_tools").value
    opened = open_editor(at)
    assert opened.multiselect(key="story_slides").value == list(sl.SLIDE_KEYS)
    assert {b.key for b in opened.get("download_button")} >= {"download_pptx", "download_html"}


def open_editor(at):
    at.toggle(key="present_tools").set_value(True).run()  # the presenter opens the tools
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_page_editor_chooses_orders_retitles_and_edits_headlines(ds):
    at = open_editor(present())
    at.multiselect(key="story_slides").set_value(["targets", "movers"]).run()  # the order picked is the order
    assert at.query_params.get("slides") in ("targets,movers", ["targets,movers"])  # in the URL at once
    assert shown(at)["number"] == "1 / 2"
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
        ("Short", "+7%", 24, 30),
        ("t" * 90, "12 of 14 here", 20, 30),
        ("t" * sl.MAX_TITLE, "h" * sl.MAX_HEADLINE, 20, 22),
    ],
)
def test_long_edited_titles_and_headlines_get_smaller_type(ds, title, headline, title_pt, headline_pt):
    config = sl.StorylineConfig(("cement",), (("cement", title),), (("cement", headline),))
    prs = Presentation(io.BytesIO(deck_pptx(build_deck(ds, View(), config))))
    shapes = {shape.text_frame.text: shape for shape in prs.slides[1].shapes if shape.has_text_frame}
    assert shapes[title].text_frame.paragraphs[0].font.size.pt == title_pt
    assert shapes[unbroken(headline)].text_frame.paragraphs[0].font.size.pt == headline_pt


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
        source_line="src",
        kind=kind,
        x_title="x",
        y_title="y",
        unit="Mt",
        series=(sp.Series("=1+2", x, (1.0, 2.0)),),
        table=pd.DataFrame(),
        figure_json="{}",
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


# Label positions are written rounded (to a day on a date axis, 0.4 px on the membership chart; to 0.001 a year).
ROUNDING_PX = 1.0


def test_slide_text_and_ticks_are_projector_sized(ds):
    """Issue 14: the deck's charts were 12-13 pt and the Present page's milestone labels 13 px, too small in a room.
    The rule now: deck chart text 18 pt, ticks 16 pt, legend 14 pt, bar names at least 12 pt; the slide figure's
    milestone labels at the slide's type size (18 px), each row a label's height above the one below, and no two
    labels of a row overlapping on the narrowest plot they are spaced for (their boxes estimated as marked_spec
    does, measured on the page in tests/journeys/test_present.py)."""
    deck = build_deck(ds, View())
    prs = Presentation(io.BytesIO(deck_pptx(deck)))
    for pptx_slide, slide in zip(list(prs.slides)[1 : 1 + len(deck.slides)], deck.slides, strict=True):
        chart = next(shape for shape in pptx_slide.shapes if shape.has_chart).chart
        assert chart.font.size.pt >= 18, slide.key
        for is_category, axis in ((True, chart.category_axis), (False, chart.value_axis)):
            least = 12 if slide.kind == sp.BARS and is_category else 16  # bar names: as many as fit (>= 12)
            assert axis.tick_labels.font.size.pt >= least, slide.key
        if chart.has_legend:
            assert chart.legend.font.size.pt >= 14, slide.key
    marked = [s for s in deck.slides if s.key in sp.MARKED_SLIDES]
    assert len(marked) == 2
    for slide in marked:
        notes = slide.spec["layout"]["annotations"]
        assert len(notes) >= 5 and all(note["font"]["size"] == figures.SLIDE_LABEL_PX >= 16 for note in notes), (
            slide.key
        )
        xs = [x for trace in slide.spec["data"] for x in trace["x"]]
        scale = (lambda v: pd.Timestamp(v).value) if isinstance(xs[0], str) else float
        low, high = min(map(scale, xs)), max(map(scale, xs))
        rows: dict[float, list[tuple[float, float]]] = {}
        for note in notes:  # a label's row is its leader's length; its box centred on its end
            centre = (scale(note["ax"]) - low) / (high - low) * figures.SLIDE_LABELS.plot_px
            half = len(note["text"]) * figures.SLIDE_LABELS.char_px / 2
            assert half - ROUNDING_PX <= centre <= figures.SLIDE_LABELS.plot_px - half + ROUNDING_PX, (
                slide.key,
                note["text"],
            )
            rows.setdefault(note["ay"], []).append((centre - half, centre + half))
        heights = sorted(-ay for ay in rows)
        assert heights[0] >= figures.SLIDE_LABELS.leader_px, slide.key
        assert all(b - a >= figures.SLIDE_LABEL_PX for a, b in zip(heights, heights[1:], strict=False)), slide.key
        for boxes in rows.values():
            boxes.sort()
            assert all(
                right + figures.SLIDE_LABELS.gap_px <= left + ROUNDING_PX
                for (_, right), (left, _) in zip(boxes, boxes[1:], strict=False)
            ), (
                slide.key,
                boxes,
            )
        top = slide.spec["layout"]["margin"]["t"]
        assert top >= heights[-1] + figures.SLIDE_LABEL_PX, slide.key  # the top margin holds the highest row


def test_membership_date_axis_labels_years_not_every_date(ds):
    """One "2021" a year at 1 January, not one rotated ISO date per point (issue 11 item 6)."""
    deck = build_deck(ds, View(), sl.StorylineConfig(("membership",)))
    chart = next(shape for shape in Presentation(io.BytesIO(deck_pptx(deck))).slides[1].shapes if shape.has_chart)
    axis = chart.chart._chartSpace.xpath(".//c:valAx")[0]  # the x axis of the scatter chart
    assert axis.xpath("./c:numFmt/@formatCode") == ["yyyy"] and axis.xpath("./c:majorUnit/@val") == ["365.25"]
    first = min(d for s in deck.slides[0].series for d in s.x)
    assert float(axis.xpath("./c:scaling/c:min/@val")[0]) == year_start(first.year)
    # Each tick, 365.25 days on from the first, falls on 1 or 2 January of its year (2019 to 2099).
    for year in range(2019, 2100):
        tick = dt.date(1899, 12, 30) + dt.timedelta(days=int(year_start(2019) + (year - 2019) * 365.25))
        assert tick.year == year and tick.month == 1 and tick.day <= 2, year


def test_milestones_are_lines_of_the_native_chart_at_their_dates(ds):
    """Issue 14: each marked milestone is a series of the chart itself (shapes laid over it drifted ~0.5 year
    right in LibreOffice): two points at its date, from the foot to the top of the value axis' fixed range, dotted
    grey, not in the legend. The render is measured in tests/office."""
    deck = build_deck(ds, View(), sl.StorylineConfig(("pathway", "membership")))
    prs = Presentation(io.BytesIO(deck_pptx(deck)))
    for pptx_slide, slide in zip(list(prs.slides)[1 : 1 + len(deck.slides)], deck.slides, strict=True):
        chart = next(shape for shape in pptx_slide.shapes if shape.has_chart).chart
        series = list(chart.plots[0].series)
        marks = [s for s in series if s.name.startswith(MARK_PREFIX) and s.name != TAGS_NAME]
        notes = slide.spec["layout"]["annotations"]
        days = sorted(pd.to_datetime(ds.milestones["date"]).dt.date)
        if slide.kind == sp.DATES:  # the member timeline ends at its last dated fact: later milestones fall outside
            last = max(d for s in slide.series for d in s.x)
            days = [d for d in days if d <= last]
        assert len(marks) == len(notes) == (len(days) if slide.kind == sp.DATES else len(ds.milestones)), slide.key
        if slide.kind == sp.DATES:
            expected = [float((d - dt.date(1899, 12, 30)).days) for d in days]
        else:
            expected = [float(y) for y in sorted(float(n["x"]) for n in notes)]
        frame = next(shape for shape in pptx_slide.shapes if shape.has_chart)
        plot = frame_plot(slide, frame)
        low, high, step = marked_range(slide, tags(slide_marks(slide, deck.milestones), slide, plot), plot)
        assert [_xy_x(m) for m in marks] == [[x, x] for x in expected], slide.key
        assert all(list(m.values) == [low, high] for m in marks), slide.key
        value = chart.value_axis
        assert (value.minimum_scale, value.maximum_scale, value.major_unit) == (low, high, step)
        assert max(y for s in slide.series for y in s.y if y is not None) * 1.08 <= high
        assert all(m.format.line.dash_style is not None and m.marker.style == -4142 for m in marks)  # no markers
        hidden = chart._chartSpace.xpath(".//c:legend/c:legendEntry[c:delete/@val='1']/c:idx/@val")
        assert sorted(map(int, hidden)) == list(range(len(series) - len(marks) - 1, len(series))), slide.key


def numbers_of(chart) -> list[tuple[float, float, str]]:
    """(x, y, text) of the number labels of a marked chart."""
    native = next(s for s in chart.plots[0].series if s.name == TAGS_NAME)
    texts = [t for t in native._element.xpath("./c:dLbls/c:dLbl/c:tx//a:t/text()")]
    return [(x, y, t) for x, y, t in zip(_xy_x(native), native.values, texts, strict=True)]


def test_milestone_lines_are_numbered_and_named_in_a_key(ds):
    """Issue 14 / brief item 2 / issue 23 item 11: no generic "Milestones" label; every mark has its own number
    (the pathway's key collapsed to "1\u20139"), its label in rows above every value; a key names each number with
    its kind and month, with the event where it fits (in the plot or under it), else in the speaker notes."""
    deck = build_deck(ds, View(), sl.StorylineConfig(("pathway", "membership")))
    prs = Presentation(io.BytesIO(deck_pptx(deck)))
    events = pd.read_csv(ROOT / "data" / "raw" / "leadit" / "leadit_events.csv").sort_values("date")
    for pptx_slide, slide in zip(list(prs.slides)[1 : 1 + len(deck.slides)], deck.slides, strict=True):
        frame = next(shape for shape in pptx_slide.shapes if shape.has_chart)
        numbers = numbers_of(frame.chart)
        plot = frame_plot(slide, frame)
        found = tags(slide_marks(slide, deck.milestones), slide, plot)
        low, high, _ = marked_range(slide, found, plot)
        assert [y for _, y, _ in numbers] == [label_height(low, high, t.row, plot) for t in found]
        clear = LABEL_CLEAR if slide.kind == sp.DATES else 0  # and room for a marker, where there are markers
        lowest = max(t.row for t in found)
        foot = label_height(low, high, lowest, plot) - (plot.row / 2 + clear) * (high - low)
        assert foot >= max(y for s in slide.series for y in s.y if y is not None), slide.key
        # The member timeline ends at its last dated fact: a later milestone is named as not marked.
        last = max(d for s in slide.series for d in s.x) if slide.kind == sp.DATES else None
        inside = events[[last is None or dt.date.fromisoformat(d) <= last for d in events["date"]]]
        assert [t for _, _, t in numbers] == [str(n) for n in range(1, len(inside) + 1)], slide.key  # one each
        key = next(t for t in texts(pptx_slide) if t.startswith("LeadIT milestones"))
        notes = pptx_slide.notes_slide.notes_text_frame.text
        named = "Events named in the speaker notes." not in key
        for row in events[~events.index.isin(inside.index)].itertuples():
            assert "Not marked (outside the years shown): " in key and row.event in key, (slide.key, row.event)
        for number, row in enumerate(inside.itertuples(), start=1):
            short = re.sub(r"\s*\([^)]*\)", "", row.event).split(",")[0].strip()
            when = dt.date.fromisoformat(row.date)
            month = f"({when:%b}\u00a0{when.year})"
            assert f"{number}\u00a0" in key and month in key, (slide.key, number)
            assert f"{short} {month}" in (key if named else notes), (slide.key, short)
        assert "Milestones" not in key


def _span(text: str) -> list[int]:
    first, _, last = text.partition("\u2013")
    return list(range(int(first), int(last or first) + 1))


def test_number_labels_never_touch():
    """Labels go in the first row (of MAX_ROWS) where they clear the label before them by the gap; only where the
    rows do not hold them all do neighbours share one; every number once, in order, inside the plot."""
    from decarb.briefing.pptx import CHAR_IN, DEFAULT_PLOT, LABEL_GAP_IN, MAX_ROWS, PAD_IN

    slide = sp.Slide(
        key="k",
        title="t",
        subtitle="s",
        headline="1",
        headline_label="l",
        source_line="src",
        kind=sp.LINES,
        x_title="x",
        y_title="y",
        unit="Mt",
        series=(sp.Series("a", (2000, 2040), (1.0, 2.0)),),
        table=pd.DataFrame(),
        figure_json="{}",
        name="n",
        summary="s",
    )
    rng = np.random.default_rng(14)
    shared = 0
    for _ in range(200):
        xs = np.sort(rng.uniform(2000, 2040, rng.integers(1, 30)))
        marks = tuple(Mark(float(x), dt.date(int(x), 1, 1), "w", "e") for x in xs)
        found = tags(marks, slide)
        assert [n for t in found for n in _span(t.text)] == list(range(1, len(marks) + 1))
        assert all(0 <= t.row < MAX_ROWS for t in found)
        shared += len(found) < len(marks)
        inches = DEFAULT_PLOT.width_in / 40
        for row in range(MAX_ROWS):
            boxes = [((t.x - 2000) * inches, (len(t.text) * CHAR_IN + PAD_IN) / 2) for t in found if t.row == row]
            assert all(
                a + wa + LABEL_GAP_IN <= b - wb + 1e-9 for (a, wa), (b, wb) in zip(boxes, boxes[1:], strict=False)
            )
            assert all(c - w >= -1e-9 and c + w <= 40 * inches + 1e-9 for c, w in boxes)  # inside the plot
    assert shared  # 30 marks on 40 years do not all fit: the rule that merges is exercised


def test_membership_steps_hold_each_count_until_it_changes(ds):
    """Issue 11 item 6: the named-members lines were ramps between join dates. Each step series holds its value
    to the date of the next change, where a corner (no marker) and then the new value follow."""
    deck = build_deck(ds, View(), sl.StorylineConfig(("membership",)))
    chart = next(shape for shape in Presentation(io.BytesIO(deck_pptx(deck))).slides[1].shapes if shape.has_chart)
    steps = [s for s in deck.slides[0].series if s.style == "step"]
    assert len(steps) == 2
    for spec in steps:
        native = next(s for s in chart.chart.plots[0].series if s.name == spec.name)
        points = list(zip(_xy_x(native), native.values, strict=True))
        assert all(a[1] == b[1] or a[0] == b[0] for a, b in zip(points, points[1:], strict=False))  # flat or upright
        changes = sum(a != b for a, b in zip(spec.y, spec.y[1:], strict=False))
        assert len(points) == len(spec.x) + changes and changes >= 2
        hidden = native._element.xpath("./c:dPt[c:marker/c:symbol/@val='none']/c:idx/@val")
        assert sorted(map(int, hidden)) == corners(spec, sp.DATES) and len(hidden) == changes


def test_figures_and_dates_do_not_break_across_lines():
    assert unbroken("+220 Mt CO2e") == "+220\u00a0Mt\u00a0CO2e"
    assert unbroken("reported on 2023-12-01 (COP28)") == "reported on 2023\u201112\u201101 (COP28)"
    assert unbroken("13 of 16 member countries, 2015-2023") == "13\u00a0of 16\u00a0member countries, 2015-2023"
    assert unbroken("the largest fall: Japan, -42 Mt CO2e") == "the largest fall: Japan, \u201142\u00a0Mt\u00a0CO2e"


@pytest.mark.parametrize(("headline", "points"), [("+220 Mt CO2e", 30), ("+6.9%", 30), ("13 of 16", 30)])
def test_headline_fits_its_box_on_one_line(headline, points):
    """A headline's unbreakable run fits its box (at most 6 inches) at its size (0.7 em a bold character)."""
    from decarb.briefing.pptx import BOLD_EM, HEADLINE_BOX_PT, headline_size

    size = headline_size(headline)
    assert size == points
    assert max(len(r) for r in unbroken(headline).split(" ")) * BOLD_EM * size <= HEADLINE_BOX_PT


def test_bar_charts_name_every_category(deck, prs):
    """LibreOffice left out every other 16 pt country name of 16 bars: labels are sized to fit, none skipped."""
    from decarb.briefing.pptx import BAR_LABEL_PT, LABEL_LINE, bar_plot_pt

    for pptx_slide, slide in zip(list(prs.slides)[1 : 1 + len(deck.slides)], deck.slides, strict=True):
        if slide.kind != sp.BARS:
            continue
        frame = next(shape for shape in pptx_slide.shapes if shape.has_chart)
        chart = frame.chart
        on_top = chart.has_legend and chart.legend.position == XL_LEGEND_POSITION.TOP  # else in the plot's corner
        plot_pt = bar_plot_pt(frame.height, on_top)  # a frame under a long subtitle is shorter
        assert chart._chartSpace.xpath(".//c:catAx/c:tickLblSkip/@val") == ["1"], slide.key
        assert not chart.has_title and chart._chartSpace.xpath(".//c:autoTitleDeleted/@val") == ["1"], slide.key
        size = chart.category_axis.tick_labels.font.size.pt
        count = len(slide.series[0].x)
        line = LABEL_LINE
        assert size * line * count <= plot_pt and (size == BAR_LABEL_PT or (size + 1) * line * count > plot_pt)
        # Projector-sized names: 16 bars took 11 pt; a slide holds at most MAX_BARS, named at 12 pt or more.
        assert count <= sp.MAX_BARS and size >= 12, (slide.key, count, size)


def test_cover_says_a_local_link_works_only_where_the_deck_was_made(ds, monkeypatch):
    """Issue 11 item 6: the cover linked to 127.0.0.1. A public address comes from --base-url or
    $DECARB_PUBLIC_URL; without one the cover gives no link and its notes say where the link works."""
    from decarb.briefing import LOCAL_LINK_NOTE, PUBLIC_URL_ENV

    monkeypatch.delenv(PUBLIC_URL_ENV, raising=False)
    local = build_deck(ds, View(), base_url="http://127.0.0.1:8765")
    body = "\n".join(texts(Presentation(io.BytesIO(deck_pptx(local))).slides[0]))
    assert local.link.startswith("http://127.0.0.1:8765/present") and local.link not in body
    assert PUBLIC_URL_ENV in local.cover_notes()
    monkeypatch.setenv(PUBLIC_URL_ENV, "https://leadit.example.org/dash/")
    public = build_deck(ds, View(), base_url="http://127.0.0.1:8765")
    body = "\n".join(texts(Presentation(io.BytesIO(deck_pptx(public))).slides[0]))
    assert public.link.startswith("https://leadit.example.org/dash/present") and LOCAL_LINK_NOTE not in body
    assert all(link.startswith("https://leadit.example.org/dash/present") for link in public.slide_links)
    assert LOCAL_LINK_NOTE not in deck_html(public) and LOCAL_LINK_NOTE in local.cover_notes()
    explicit = build_deck(ds, View(), public_url="https://other.example.org")  # --base-url beats the variable
    assert explicit.link.startswith("https://other.example.org/present")


def test_cement_slide_says_which_source_it_uses_and_why(ds):
    """The cement slide shows the source with cement's newest year whatever the deck's source, and names it: a
    deck without cement's process CO2 says so; a deck on the other cement source says which years each has."""
    from decarb.contract import CEMENT, SOURCE_LABELS
    from decarb.freshness import freshest_source, newest_year

    shown = freshest_source(ds, CEMENT)
    for source in ("edgar", "climate_trace", "owid"):
        deck = build_deck(ds, View(source=source), sl.StorylineConfig(("cement",)))
        content = " ".join(texts(Presentation(io.BytesIO(deck_pptx(deck))).slides[1]))
        if newest_year(ds, source, CEMENT) is None:
            said = f"Cement from {SOURCE_LABELS[shown]}: {SOURCE_LABELS[source]} has no series"
        else:
            said = f"Cement from {SOURCE_LABELS[shown]}, the newest ({SOURCE_LABELS[shown]} to "
        assert said in content, (source, content)
        assert said in deck_html(deck), source


def test_steel_slide_says_why_its_source_from_the_coverage_in_the_data(ds):
    """Brief item 6: the cement slide said why its source, the steel slide did not. Its reason is counted: the
    member countries each source of iron and steel covers, the chosen one the most."""
    from decarb.contract import SOURCE_LABELS, UNFCCC
    from decarb.industries import member_series

    members = view_model.members_set(ds, View())
    covered = {
        s: len(members.codes) - len(member_series(ds, s, "iron_steel", members)[1]) for s in (sp.STEEL_SOURCE, UNFCCC)
    }
    assert covered[sp.STEEL_SOURCE] > covered[UNFCCC]
    for source in ("edgar", "owid"):
        deck = build_deck(ds, View(source=source), sl.StorylineConfig(("steel",)))
        said = (
            f"Why Climate TRACE sub-sectors: it covers the most members ({covered[sp.STEEL_SOURCE]} of "
            f"{len(members.codes)}; {SOURCE_LABELS[UNFCCC]}: {covered[UNFCCC]}); {SOURCE_LABELS[source]} has no "
            "iron and steel series."
        )
        content = " ".join(texts(Presentation(io.BytesIO(deck_pptx(deck))).slides[1]))
        assert said in content and html.escape(said) in deck_html(deck), source
        assert deck.subtitle(0).endswith(said) and ".. " not in deck.subtitle(0)


def test_present_page_says_why_a_slide_shows_another_source_as_the_deck_does(ds):
    """Issue 11: the steel and cement slides said why their source in the deck and the HTML, not on Present.
    The page's subtitle is the deck's, word for word; a slide of the deck's own source says nothing more."""
    for source, slide in (("edgar", "steel"), ("edgar", "cement"), ("owid", "steel"), ("edgar", "pathway")):
        deck = build_deck(ds, View(source=source), sl.StorylineConfig((slide,)))
        at = present(source=source, slides=slide)
        text = "\n".join(m.value for m in at.markdown)
        subtitle = html.unescape(re.search(r'class="slide-subtitle">(.*?)</p>', text, re.S).group(1))
        assert subtitle == deck.subtitle(0), (source, slide)
        assert (subtitle != deck.slides[0].subtitle) == (slide in ("steel", "cement")), (source, slide, subtitle)


def test_membership_steps_stay_apart_where_their_counts_are_equal(ds):
    """Brief item 6: the countries' step was hidden under the companies' where both were 11. The longer step is
    dashed with squares and drawn on top in both renderers: last in the plotly figure, first in the deck's chart
    (LibreOffice draws a scatter chart's first series on top); the other solid with circles."""
    deck = build_deck(ds, View(), sl.StorylineConfig(("membership",)))
    slide = deck.slides[0]
    steps = [s for s in slide.series if s.style == "step"]
    assert {(s.dash, s.symbol) for s in steps} == {("solid", "circle"), ("dash", "square")}
    dashed = next(s for s in steps if s.dash == "dash")
    assert len(xy_points(dashed, slide.kind)) == max(len(xy_points(s, slide.kind)) for s in steps)
    traces = [t for t in slide.spec["data"] if t["mode"] == "lines+markers"]
    assert traces[-1]["name"] == dashed.name and traces[-1]["line"]["dash"] == "dash"
    assert traces[-1]["marker"]["symbol"] == "square" and traces[0]["marker"]["symbol"] == "circle"
    chart = next(s for s in Presentation(io.BytesIO(deck_pptx(deck))).slides[1].shapes if s.has_chart).chart
    first = chart.plots[0].series[0]
    assert first.name == dashed.name
    assert first._element.xpath("./c:spPr/a:ln/a:prstDash/@val") == ["dash"]
    assert first._element.xpath("./c:marker/c:symbol/@val") == ["square"]
    solid = next(s for s in chart.plots[0].series if s.name == next(x for x in steps if x is not dashed).name)
    assert solid._element.xpath("./c:spPr/a:ln/a:prstDash/@val") == ["solid"]
    assert solid._element.xpath("./c:marker/c:symbol/@val") == ["circle"]


def test_every_text_on_a_storyline_slide_is_readable_on_a_projector(ds):
    """Brief item 4: the smallest text of a slide (the source footnote) was 9 pt, 12 px in a 1280 px wide image.
    Now nothing is below 12 pt: title 20-30, subtitle 12-14, headline 22-48, its label 18, the milestone key,
    the footnote and the slide number 12."""
    from decarb.briefing.pptx import PAGE_PT, SOURCE_SIZES

    for source in ("edgar", "climate_trace"):
        deck = build_deck(ds, View(source=source))
        prs = Presentation(io.BytesIO(deck_pptx(deck)))
        for index, (pptx_slide, slide) in enumerate(
            zip(list(prs.slides)[1 : 1 + len(deck.slides)], deck.slides, strict=True)
        ):
            sizes = {
                shape.text_frame.text: shape.text_frame.paragraphs[0].font.size.pt
                for shape in pptx_slide.shapes
                if shape.has_text_frame and shape.text_frame.text and shape != pptx_slide.shapes.title
            }
            assert min(sizes.values()) >= 12, (source, slide.key, sizes)
            assert sizes[deck.footnote(index)] == SOURCE_SIZES[-1][1] == 12
            assert PAGE_PT in sizes.values() and pptx_slide.shapes.title.text_frame.paragraphs[0].font.size.pt >= 20


def test_presenters_country_is_on_the_scoreboard_and_cement_slides(ds, tmp_path):
    """A presenter for Sweden needs Sweden: the scoreboard left it out and cement folded it into "the other 4".
    Named in the storyline (country=SWE, --country), the country is shown on both, whatever it ranks."""
    keys = ("scoreboard", "cement")
    plain = {s.key: s for s in sp.build_slides(ds, View(), sl.StorylineConfig(keys))}
    own = {s.key: s for s in sp.build_slides(ds, View(), sl.StorylineConfig(keys, country="SWE"))}
    for key in keys:
        assert "SWE" in set(own[key].table["iso3"]), key
        assert len(own[key].series[0].x) <= sp.MAX_BARS
        if "SWE" not in set(plain[key].table["iso3"]):  # left out by rank: one fewer of the others instead
            assert len(own[key].table) == len(plain[key].table), key
    assert "Sweden shown" in own["cement"].subtitle or "Sweden" not in plain["cement"].subtitle
    config, notices = sl.decode_config({"country": "swe", "slides": "cement"})
    assert (config.country, notices) == ("SWE", []) and sl.encode_config(config)["country"] == "SWE"
    assert sl.decode_config({"country": "Sweden!"})[0].country == "" and sl.decode_config({"country": "x1"})[1]
    code = cli.main(
        ["source=edgar", "--slides", "cement,scoreboard", "--country", "SWE", "--pptx", str(tmp_path / "s.pptx")]
    )
    assert code == 0
    prs = Presentation(str(tmp_path / "s.pptx"))
    assert [s.shapes.title.text for s in list(prs.slides)[1:3]] == [
        sl.DEFAULT_TITLES[k] for k in ("cement", "scoreboard")
    ]
    assert "country=SWE" in prs.slides[1].notes_slide.notes_text_frame.text


def test_cover_says_nothing_of_a_link_that_cannot_work(ds, monkeypatch):
    """With no public address configured the cover linked to 127.0.0.1: it now says nothing of a link (the notes
    say how to make one); with a public address it gives the link."""
    from decarb.briefing import PUBLIC_URL_ENV

    monkeypatch.delenv(PUBLIC_URL_ENV, raising=False)
    local = build_deck(ds, View(), base_url="http://127.0.0.1:8765")
    body = "\n".join(texts(Presentation(io.BytesIO(deck_pptx(local))).slides[0]))
    assert (
        "127.0.0.1" not in body and "Reproduce" not in body and "127.0.0.1" not in deck_html(local).split("<section")[1]
    )
    public = build_deck(ds, View(), public_url="https://leadit.example.org")
    body = "\n".join(texts(Presentation(io.BytesIO(deck_pptx(public))).slides[0]))
    assert public.link in body and public.link in deck_html(public)


def test_page_leads_back_to_the_page_the_presenter_came_from_and_slides_follow_the_url(ds):
    """Present had no way back but the browser's Back: a visible link leads to the page the presenter came from.
    The slides multiselect follows the storyline in the URL (a link or Back), in its order."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(ENTRYPOINT, default_timeout=120)
    at.switch_page("pages/members.py")
    at.run()
    at.switch_page(PRESENT)
    at.query_params["slides"] = "membership,cement"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    links = [(w.proto.page, w.proto.label) for w in at.get("page_link")]
    assert any(page.endswith("members") and label == "Back to Members" for page, label in links), links
    open_editor(at)
    assert at.multiselect(key="story_slides").value == ["membership", "cement"]
    at.selectbox(key="story_country").set_value("SWE").run()
    assert at.query_params.get("country") in ("SWE", ["SWE"])
    fresh = present()  # a session that starts on Present leads back to the Overview
    assert any(w.proto.label == "Back to Overview" for w in fresh.get("page_link"))


def test_deck_layout_fits_the_wide_slide(ds):
    """The cover sat off-centre (the template's 4:3 placeholders on a 16:9 slide); time charts gave their plot a
    third of the frame and the legend, one entry a row, more height than the plot; source lines were 7 pt.
    Every text run of every slide is 12 pt or more (in the pptx XML); the cover's boxes are centred on the slide;
    the pathway and membership charts lay their plot over at least half their frame, the legend inside it or
    under it, lower than the plot."""
    from pptx.oxml.ns import qn

    from decarb.briefing.pptx import HEIGHT, WIDTH

    deck = build_deck(ds, View(), public_url="https://leadit.example.org")
    prs = Presentation(io.BytesIO(deck_pptx(deck)))
    for number, pptx_slide in enumerate(prs.slides, start=1):
        for shape in pptx_slide.shapes:
            if shape.has_text_frame:
                for para in shape.text_frame.paragraphs:
                    for run in para.runs:
                        size = run.font.size or para.font.size
                        assert size is None or size.pt >= 12, (number, run.text, size.pt)
            if getattr(shape, "has_chart", False) and shape.has_chart:
                sizes = [int(v) / 100 for v in shape.chart._chartSpace.xpath(".//a:defRPr/@sz | .//a:rPr/@sz")]
                assert sizes and min(sizes) >= 12, (number, sizes)
    for shape in prs.slides[0].shapes:
        assert abs(shape.left + shape.width / 2 - WIDTH / 2) < Emu(12700), shape.name  # within 1 pt of centre
        assert shape.left >= 0 and shape.left + shape.width <= WIDTH and shape.top + shape.height <= HEIGHT
    for pptx_slide, slide in zip(list(prs.slides)[1 : 1 + len(deck.slides)], deck.slides, strict=True):
        if slide.key not in ("pathway", "membership"):
            continue
        frame = next(shape for shape in pptx_slide.shapes if shape.has_chart)
        chart = frame.chart._chartSpace.chart

        def box(layout) -> tuple[float, ...]:
            manual = layout.find(qn("c:layout")).find(qn("c:manualLayout"))
            return tuple(float(manual.find(qn(f"c:{k}")).get("val")) for k in ("x", "y", "w", "h"))

        plot, legend = box(chart.plotArea), box(chart.find(qn("c:legend")))
        assert plot[2] * plot[3] >= 0.5, (slide.key, plot)
        # The legend in a corner of the plot (on white, clear of the lines: tests/office) or in rows under it.
        inside = plot[0] <= legend[0] and legend[0] + legend[2] <= plot[0] + plot[2] and plot[1] <= legend[1]
        inside = inside and legend[1] + legend[3] <= plot[1] + plot[3]
        assert legend[3] < plot[3] and (inside or legend[1] >= plot[1] + plot[3]), (slide.key, legend, plot)
        # The frame was about a quarter of the slide; title, subtitle, headline, key and source at 12 pt or more
        # take the rest.
        assert frame.width * frame.height >= 0.3 * WIDTH * HEIGHT, slide.key


def test_charts_sit_under_their_subtitle_and_legends_beside_many_columns(ds):
    """At 12 pt a four-line subtitle ran into the chart's legend and top tick (rendered by LibreOffice); the
    plants' five technologies stacked on top stood taller than the plot."""
    from decarb.briefing.pptx import SUBTITLE_SIZES, fitted, lines_of, text_height

    for source in ("edgar", "climate_trace"):
        deck = build_deck(ds, View(source=source))
        prs = Presentation(io.BytesIO(deck_pptx(deck)))
        for index, pptx_slide in enumerate(list(prs.slides)[1 : 1 + len(deck.slides)]):
            subtitle = deck.deck_subtitle(index)
            box = next(
                shape for shape in pptx_slide.shapes if shape.has_text_frame and shape.text_frame.text == subtitle
            )
            size = fitted(subtitle, SUBTITLE_SIZES)
            # The box holds the subtitle's lines as estimated (1.2 line heights a line), the chart under it.
            assert box.height >= text_height(lines_of(subtitle, box.width, size), size)
            frame = next((shape for shape in pptx_slide.shapes if shape.has_chart), None)
            if frame is None:
                continue
            assert frame.top >= box.top + box.height, (source, deck.slides[index].key, len(subtitle))
            chart = frame.chart
            if deck.slides[index].key == "plants":
                assert chart.legend.position == XL_LEGEND_POSITION.RIGHT


def test_slides_say_where_another_source_is_newer_with_the_pages_rule(ds):
    """A slide whose newest year is older than another source's for the same thing says so, in the deck and the
    HTML: the sentence the pages give (decarb.freshness.fresher_note), none where its source is the newest."""
    from decarb.freshness import fresher_note, newest_year
    from decarb.screens.overview import page_sector

    keys = ("pathway", "scoreboard", "movers", "steel", "cement", "membership")
    for source in ("edgar", "climate_trace", "owid"):
        deck = build_deck(ds, View(source=source), sl.StorylineConfig(keys))
        prs = Presentation(io.BytesIO(deck_pptx(deck)))
        page = deck_html(deck)
        sector = page_sector(source)
        for index, slide in enumerate(deck.slides):
            said = " ".join(texts(prs.slides[index + 1]))
            emission = slide.key in ("pathway", "scoreboard", "movers")
            expected = fresher_note(ds, source, sector, newest_only=True) if emission else ""
            if slide.key == "steel":
                expected = fresher_note(ds, sp.STEEL_SOURCE, "iron_steel", newest_only=True)
            if expected and slide.has_data:
                assert f"{expected}." in said and html.escape(f"{expected}.") in page, (source, slide.key)
                # A slide names one newer source, the newest of those the pages name (its line is the chart's).
                own_words, offer = expected.split("; ")
                full = fresher_note(
                    ds, *((sp.STEEL_SOURCE, "iron_steel") if slide.key == "steel" else (source, sector))
                )
                years = [int(y) for y in re.findall(r" has (\d{4})", full)]
                assert full.startswith(f"{own_words}; ") and int(re.search(r" has (\d{4})", offer).group(1)) == max(
                    years
                )
                assert offer.split(" has ")[0] in full, (source, slide.key, full)
                own = newest_year(ds, source, sector)
                assert f"ends in {own}" in said
            else:
                assert " ends in " not in said, (source, slide.key, said)
    edgar = build_deck(ds, View(source="edgar"), sl.StorylineConfig(("pathway",)))
    assert edgar.freshness(0), "EDGAR ends before Climate TRACE: the pathway slide must say so"


def test_sources_slide_cites_every_source_once_in_full(ds, deck, prs):
    """The slides' footnotes give short names; the last slides give each source's full citation and whole licence
    once, from the manifest, at 12 pt or more, in the PowerPoint and the offline HTML alike."""
    cited = list(dict.fromkeys(sid for s in deck.slides for sid in cited_sources(ds.manifest, s.source_line)))
    assert cited and len(deck.sources) == len(set(deck.sources))
    tail = list(prs.slides)[1 + len(deck.slides) :]
    assert tail and all(s.shapes.title.text_frame.text.startswith("Sources") for s in tail)
    text = " ".join(t for s in tail for t in texts(s))
    sizes = [
        p.font.size.pt for s in tail for sh in s.shapes if sh.has_text_frame for p in sh.text_frame.paragraphs if p.text
    ]
    assert min(sizes) >= 12
    page = deck_html(deck)
    for sid in cited:
        source = ds.manifest.sources[sid]
        assert source.citation.rstrip(". ") in text and licence_text(source.licence) in text, sid
        assert html.escape(source.citation.rstrip(". ")) in page, sid


def test_legends_inside_a_plot_cover_no_point_and_no_bar(ds):
    """Issue 23 item 11: legends in a row under the plot (time charts) or on top of it (bar charts) took 0.3-0.35
    in of its height each; they now stand in a corner of the plot where one is free. The corner's box, read from
    the chart's layout against the plot's and the axes' fixed ranges, holds no data point of a time chart and
    crosses no bar (zero to its value) of a bar chart."""
    from pptx.oxml.ns import qn

    from decarb.briefing.pptx import xy_points

    def box(node) -> tuple[float, float, float, float]:
        manual = node.find(qn("c:layout")).find(qn("c:manualLayout"))
        return tuple(float(manual.find(qn(f"c:{k}")).get("val")) for k in ("x", "y", "w", "h"))

    inside = 0
    for source in ("edgar", "climate_trace"):
        deck = build_deck(ds, View(source=source))
        prs = Presentation(io.BytesIO(deck_pptx(deck)))
        for pptx_slide, slide in zip(list(prs.slides)[1 : 1 + len(deck.slides)], deck.slides, strict=True):
            chart = next((s.chart for s in pptx_slide.shapes if s.has_chart), None)
            if chart is None or slide.kind not in (sp.LINES, sp.DATES, sp.BARS) or not chart.has_legend:
                continue
            if chart.legend.position in (XL_LEGEND_POSITION.BOTTOM, XL_LEGEND_POSITION.TOP):
                continue  # in a row of its own
            px, py, pw, ph = box(chart._chartSpace.chart.plotArea)
            lx, ly, lw, lh = box(chart._chartSpace.chart.find(qn("c:legend")))
            left, right, top, bottom = (lx - px) / pw, (lx + lw - px) / pw, (ly - py) / ph, (ly + lh - py) / ph
            assert 0 <= left < right <= 1 and 0 <= top < bottom <= 1, (source, slide.key)
            value = chart.value_axis
            low, high = value.minimum_scale, value.maximum_scale
            assert low is not None and high is not None, (source, slide.key)  # the range the corner was found for
            if slide.kind == sp.BARS:
                count = len(slide.series[0].x)
                for s in slide.series:
                    for i, v in enumerate(s.y):
                        if v is None or (i + 1) / count <= top or i / count >= bottom:
                            continue
                        x0, x1 = (min(0.0, v) - low) / (high - low), (max(0.0, v) - low) / (high - low)
                        assert x1 <= left or x0 >= right, (source, slide.key, s.name, i)
            else:
                category = chart.category_axis
                first, last = category.minimum_scale, category.maximum_scale
                for s in slide.series:
                    for x, y in xy_points(s, slide.kind):
                        fx, fy = (x - first) / (last - first), (high - y) / (high - low)
                        assert not (left <= fx <= right and top <= fy <= bottom), (source, slide.key, s.name, x, y)
            inside += 1
    assert inside >= 6  # pathway, steel, membership and the scoreboard, in both decks
