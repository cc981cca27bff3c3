"""The briefing deck as PowerPoint (python-pptx): a title slide, then one slide per storyline slide with a native,
editable chart (its data sits in the embedded workbook: right-click, Edit Data), the headline, the source footnote
and speaker notes with the link that reproduces the view and the data versions.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any, cast

from pptx import Presentation
from pptx.chart.axis import DateAxis
from pptx.chart.chart import Chart
from pptx.chart.data import CategoryChartData, XyChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_AXIS_CROSSES, XL_CHART_TYPE, XL_LEGEND_POSITION, XL_MARKER_STYLE, XL_TICK_LABEL_POSITION
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.shapes import MSO_CONNECTOR
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.presentation import Presentation as PptxPresentation
from pptx.shapes.autoshape import Shape
from pptx.shapes.graphfrm import GraphicFrame
from pptx.slide import Slide as PptxSlide
from pptx.util import Emu, Inches, Pt

from decarb import theme
from decarb.briefing import Deck
from decarb.exports import neutralise
from decarb.screens.present import BARS, DATES, LINES, STACKED, Series, Slide

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)  # 16:9
MARGIN = Inches(0.5)
LAYOUT_TITLE, LAYOUT_TITLE_ONLY = 0, 5  # of the default template
DASH = {"solid": MSO_LINE_DASH_STYLE.SOLID, "dash": MSO_LINE_DASH_STYLE.DASH, "dot": MSO_LINE_DASH_STYLE.ROUND_DOT}
CHART_TYPES = {
    LINES: XL_CHART_TYPE.XY_SCATTER_LINES_NO_MARKERS,
    DATES: XL_CHART_TYPE.LINE_MARKERS,
    BARS: XL_CHART_TYPE.BAR_CLUSTERED,
    STACKED: XL_CHART_TYPE.COLUMN_STACKED,
}


# Font sizes by text length (characters), so an edited title or headline still fits its box (PowerPoint does not
# shrink text that python-pptx writes).
TITLE_SIZES = ((70, 30), (95, 24), (10_000, 20))
HEADLINE_SIZES = ((8, 48), (14, 40), (24, 30), (10_000, 22))
# Projector-sized type (points) on the storyline slides: chart text, ticks, legend and axis titles, the subtitle.
CHART_PT, TICK_PT, SUBTITLE_PT, NOTE_PT = 18, 16, 14, 11


def fitted(text: str, sizes: tuple[tuple[int, int], ...]) -> int:
    return next(size for limit, size in sizes if len(text) <= limit)


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#").upper())


INK, MUTED, ACCENT = _rgb(theme.INK), _rgb(theme.MUTED), _rgb(theme.MEMBER)


def _text(
    slide: PptxSlide,
    left: int,
    top: int,
    width: int,
    height: int,
    text: str,
    size: int,
    colour: RGBColor = INK,
    bold: bool = False,
    anchor: MSO_ANCHOR = MSO_ANCHOR.TOP,
) -> Shape:
    box = slide.shapes.add_textbox(Emu(left), Emu(top), Emu(width), Emu(height))
    frame = box.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = anchor
    para = frame.paragraphs[0]
    para.text = text
    para.font.size, para.font.bold, para.font.color.rgb = Pt(size), bold, colour
    return box


def drawn_order(slide: Slide) -> tuple[Series, ...]:
    """The slide's series in the order the native chart holds them. LibreOffice (7.x and 24.x) does not draw the
    first series of a scatter chart when it has fewer points than a later one (the steel slide's 8 observed years
    vanished under a 36-year pathway): scatter charts hold their longest series first, the others in order."""
    if slide.kind != LINES or not slide.series:
        return slide.series
    longest = max(slide.series, key=lambda s: sum(y is not None for y in s.y))
    return (longest, *(s for s in slide.series if s is not longest))


def chart_data(slide: Slide) -> CategoryChartData | XyChartData:
    """The native chart's data: exactly the slide's series (None values are left blank).

    Names and categories land in the chart's embedded workbook, so they are neutralised like CSV cells: a name
    starting with "=" must not become a formula when someone edits the chart's data in PowerPoint or Excel.
    """
    if slide.kind == LINES:
        data = XyChartData()
        for s in drawn_order(slide):
            series = data.add_series(neutralise(s.name), number_format="#,##0.0")
            for x, y in zip(s.x, s.y, strict=True):
                if y is not None:
                    series.add_data_point(x, y)
        return data
    categories = CategoryChartData(number_format="#,##0.0" if slide.kind == BARS else "0")
    first = slide.series[0].x if slide.series else ()
    if slide.kind == DATES:
        categories.categories = [d if isinstance(d, dt.date) else dt.date.fromisoformat(str(d)) for d in first]
    else:
        categories.categories = [neutralise(str(x)) for x in first]
    for s in slide.series:
        categories.add_series(neutralise(s.name), list(s.y))
    return categories


def _style_series(chart: Chart, slide: Slide) -> None:
    for series, spec in zip(chart.plots[0].series, drawn_order(slide), strict=True):
        _style_one(series, spec, slide.kind)


# Any: python-pptx's series classes differ by chart kind (XySeries, LineSeries, BarSeries: markers and smoothing
# only on the first two) and its chart.plots is untyped; `kind` decides which attributes are used.
def _style_one(series: Any, spec: Series, kind: str) -> None:
    fmt = series.format
    if kind in (LINES, DATES):
        series.smooth = False
        if kind == DATES and spec.style == "markers":
            fmt.line.fill.background()  # markers only: a reported count is a point in time
            series.marker.style, series.marker.size = XL_MARKER_STYLE.DIAMOND, 11
        else:
            fmt.line.color.rgb, fmt.line.width = _rgb(spec.colour), Pt(3)
            fmt.line.dash_style = DASH.get(spec.style, MSO_LINE_DASH_STYLE.SOLID)
            if kind == DATES:
                series.marker.style, series.marker.size = XL_MARKER_STYLE.CIRCLE, 7
        if kind == DATES:
            series.marker.format.fill.solid()
            series.marker.format.fill.fore_color.rgb = _rgb(spec.colour)
            series.marker.format.line.color.rgb = _rgb(spec.colour)
        return
    fmt.fill.solid()
    fmt.fill.fore_color.rgb = _rgb(spec.colour)
    for i, colour in enumerate(spec.colours):
        point = series.points[i]
        point.format.fill.solid()
        point.format.fill.fore_color.rgb = _rgb(colour)


def _axes(chart: Chart, slide: Slide) -> None:
    category, value = chart.category_axis, chart.value_axis
    for axis, title in ((category, slide.x_title), (value, slide.y_title)):
        axis.tick_labels.font.size = Pt(TICK_PT)
        if title and not (slide.kind == BARS and axis is category):
            axis.has_title = True
            axis.axis_title.text_frame.text = title
            axis.axis_title.text_frame.paragraphs[0].font.size = Pt(TICK_PT)
    value.has_major_gridlines = True
    value.major_gridlines.format.line.color.rgb = _rgb(theme.GRID)
    if slide.kind == BARS:  # first category on top, value axis at the bottom
        category.reverse_order = True
        category.crosses = XL_AXIS_CROSSES.MAXIMUM
        # Labels at the low end of the value axis, not at the crossing: with negative bars, "next to the axis"
        # puts country names across the bars, in LibreOffice and PowerPoint alike.
        category.tick_label_position = XL_TICK_LABEL_POSITION.LOW
        value.has_title = True
        value.axis_title.text_frame.text = slide.x_title
        value.axis_title.text_frame.paragraphs[0].font.size = Pt(TICK_PT)
    if slide.kind == DATES:  # one label a year ("2021"), not one rotated ISO date per point
        _yearly_date_axis(category)
    if slide.kind == LINES:
        xs = [x for s in slide.series for x, y in zip(s.x, s.y, strict=True) if y is not None]
        if xs:
            category.minimum_scale, category.maximum_scale = min(xs), max(xs)
        category.tick_labels.number_format, category.tick_labels.number_format_is_linked = "0", False
        category.has_major_gridlines = False


def _yearly_date_axis(axis: DateAxis) -> None:
    ax = axis._element
    for tag in ("c:baseTimeUnit", "c:majorUnit", "c:majorTimeUnit"):
        for old in ax.findall(qn(tag)):
            ax.remove(old)
    anchor = ax.find(qn("c:lblOffset"))
    index = list(ax).index(anchor) + 1 if anchor is not None else len(ax)
    for offset, (tag, value) in enumerate(
        (("c:baseTimeUnit", "days"), ("c:majorUnit", "1"), ("c:majorTimeUnit", "years"))
    ):
        child = ax.makeelement(qn(tag), {"val": value})
        ax.insert(index + offset, child)
    axis.tick_labels.number_format, axis.tick_labels.number_format_is_linked = "yyyy", False


# The plot area (inside the axes) of a chart with milestone marks, as fractions of the chart frame: fixed, so
# the marks drawn over it sit at their dates (legend above, tick labels and axis titles left and below).
MARKED_PLOT = (0.12, 0.36, 0.86, 0.47)  # x, y, width, height
MARK_COLOUR = _rgb(theme.MUTED)
CLUSTER_GAP = Inches(0.3)  # marks closer than this share one label


def _fix_plot_area(chart: Chart) -> None:
    plot_area = chart._chartSpace.chart.plotArea
    for old in plot_area.findall(qn("c:layout")):
        plot_area.remove(old)
    layout = plot_area.makeelement(qn("c:layout"), {})
    manual = layout.makeelement(qn("c:manualLayout"), {})
    x, y, w, h = MARKED_PLOT
    for tag, value in (("layoutTarget", "inner"), ("xMode", "edge"), ("yMode", "edge"), ("x", x), ("y", y)):
        manual.append(manual.makeelement(qn(f"c:{tag}"), {"val": str(value)}))
    for tag, value in (("w", w), ("h", h)):
        manual.append(manual.makeelement(qn(f"c:{tag}"), {"val": str(value)}))
    layout.append(manual)
    plot_area.insert(0, layout)


def _serial(value: dt.date | float) -> float:
    """A date or a decimal year as the axis holds it (Excel serial days for a date axis)."""
    if isinstance(value, dt.date):
        return float((value - dt.date(1899, 12, 30)).days)
    return float(value)


def _marks(slide: Slide) -> list[tuple[float, str]]:
    """The milestones marked on the slide's figure: (axis position, short label), in date order."""
    marks = []
    for note in slide.spec["layout"].get("annotations", ()):
        x = note["x"]
        where = _serial(dt.date.fromisoformat(x[:10])) if slide.kind == DATES else float(x)
        marks.append((where, str(note["text"])))
    return sorted(marks)


def mark_milestones(pptx_slide: PptxSlide, chart: Chart, slide: Slide, frame: tuple[int, int, int, int]) -> int:
    """LeadIT's milestones on the native chart: a thin dotted line at each date over the plot area and, for each
    cluster of close dates, one short label written upwards at the foot of the plot. Positioned from the axis
    range set here and the fixed plot area. Returns the number of lines drawn."""
    marks = _marks(slide)
    if not marks:
        return 0
    axis = chart.category_axis
    if slide.kind == DATES:
        # Whole years, so the yearly ticks fall on 1 January and label the year they start.
        first = _serial(dt.date(min(slide.series[0].x).year, 1, 1))
        last = _serial(dt.date(max(slide.series[0].x).year + 1, 1, 1))
        axis.minimum_scale, axis.maximum_scale = first, last
    else:
        first, last = axis.minimum_scale, axis.maximum_scale
    if first is None or last is None or last <= first:
        return 0
    _fix_plot_area(chart)
    left, top, width, height = frame
    px, py, pw, ph = MARKED_PLOT
    plot_left, plot_top = left + int(width * px), top + int(height * py)
    plot_width, plot_height = int(width * pw), int(height * ph)
    clusters: list[list[tuple[int, str]]] = []
    for where, label in marks:
        if not first <= where <= last:
            continue
        x = plot_left + int((where - first) / (last - first) * plot_width)
        line = pptx_slide.shapes.add_connector(
            MSO_CONNECTOR.STRAIGHT, Emu(x), Emu(plot_top), Emu(x), Emu(plot_top + plot_height)
        )
        line.line.color.rgb, line.line.width = MARK_COLOUR, Pt(1.25)
        line.line.dash_style = MSO_LINE_DASH_STYLE.ROUND_DOT
        if clusters and x - clusters[-1][-1][0] < CLUSTER_GAP:
            clusters[-1].append((x, label))
        else:
            clusters.append([(x, label)])
    for cluster in clusters:
        labels = list(dict.fromkeys(label for _, label in cluster))
        text = ", ".join(labels)
        if Inches(0.11 * len(text) + 0.2) > plot_height:  # too many to name at the foot of the plot
            text = "Milestones"
        length, thick = Inches(0.11 * len(text) + 0.2), Inches(0.3)
        centre_x = cluster[-1][0] + Inches(0.17)
        centre_y = plot_top + plot_height - length // 2
        box = _text(
            pptx_slide,
            Emu(centre_x - length // 2),
            Emu(centre_y - thick // 2),
            Emu(length),
            Emu(thick),
            text,
            NOTE_PT + 1,
            MARK_COLOUR,
        )
        box.rotation = 270.0
    return sum(len(c) for c in clusters)


def add_chart(pptx_slide: PptxSlide, slide: Slide, left: int, top: int, width: int, height: int) -> Chart:
    """A native chart of the slide's series (PowerPoint keeps the numbers in the chart's workbook)."""
    # python-pptx 1.0.2's annotations of add_chart are off: it returns the GraphicFrame holding the chart (as its
    # docstring says: hence the cast), and takes any chart data, XyChartData too (annotated: ChartData only).
    data = chart_data(slide)
    shape = pptx_slide.shapes.add_chart(
        CHART_TYPES[slide.kind],
        Emu(left),
        Emu(top),
        Emu(width),
        Emu(height),
        data,  # type: ignore[arg-type]
    )
    frame = cast(GraphicFrame, shape)
    chart = frame.chart
    chart.font.size = Pt(CHART_PT)
    chart.has_legend = len(slide.series) > 1
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.TOP
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(TICK_PT)
    if slide.kind == STACKED:
        chart.plots[0].overlap, chart.plots[0].gap_width = 100, 60
    if slide.kind == BARS:
        chart.plots[0].gap_width = 40
        if len(slide.series) > 1:
            chart.plots[0].overlap = 0
    _style_series(chart, slide)
    _axes(chart, slide)
    return chart


def _cover(prs: PptxPresentation, deck: Deck) -> None:
    s = prs.slides.add_slide(prs.slide_layouts[LAYOUT_TITLE])
    s.shapes.title.text = deck.title
    body = s.placeholders[1].text_frame
    body.text = deck.selection
    for line in (deck.vintage, f"Reproduce this view: {deck.link}"):
        para = body.add_paragraph()
        para.text = line
    for para in body.paragraphs:
        para.font.size = Pt(16)
        para.font.color.rgb = MUTED
    s.notes_slide.notes_text_frame.text = deck.cover_notes()


def _storyline_slide(prs: PptxPresentation, deck: Deck, index: int) -> None:
    slide = deck.slides[index]
    s = prs.slides.add_slide(prs.slide_layouts[LAYOUT_TITLE_ONLY])
    title = s.shapes.title
    title.left, title.top, title.width, title.height = MARGIN, Inches(0.25), WIDTH - 2 * MARGIN, Inches(0.9)
    title.text = slide.title
    para = title.text_frame.paragraphs[0]
    para.font.size, para.font.bold, para.font.color.rgb, para.alignment = (
        Pt(fitted(slide.title, TITLE_SIZES)),
        True,
        INK,
        PP_ALIGN.LEFT,
    )
    title.text_frame.vertical_anchor = MSO_ANCHOR.BOTTOM
    _text(s, MARGIN, Inches(1.15), WIDTH - 2 * MARGIN, Inches(0.5), slide.subtitle, SUBTITLE_PT, MUTED)
    _text(
        s,
        MARGIN,
        Inches(2.0),
        Inches(3.4),
        Inches(1.3),
        slide.headline,
        fitted(slide.headline, HEADLINE_SIZES),
        ACCENT,
        bold=True,
        anchor=MSO_ANCHOR.BOTTOM,
    )
    _text(s, MARGIN, Inches(3.35), Inches(3.4), Inches(2.6), slide.headline_label, 18, INK)
    if slide.has_data:
        # Milestones: marked on the chart, and named with their events in a line under a shorter chart.
        chart_height = Inches(3.8) if slide.milestones else Inches(4.8)
        frame = (Inches(4.1), Inches(1.75), WIDTH - Inches(4.1) - MARGIN, chart_height)
        chart = add_chart(s, slide, *frame)
        if slide.milestones:
            mark_milestones(s, chart, slide, frame)
        if slide.milestones:
            _text(
                s,
                Inches(4.1),
                Inches(1.75) + chart_height + Inches(0.05),
                WIDTH - Inches(4.1) - MARGIN,
                Inches(0.65),
                slide.milestones,
                NOTE_PT,
                INK,
            )
    else:  # PowerPoint cannot hold a chart without points: say so where the chart would be
        _text(
            s,
            Inches(4.1),
            Inches(3.5),
            WIDTH - Inches(4.1) - MARGIN,
            Inches(1.0),
            f"No data for this selection: {slide.headline_label}.",
            20,
            MUTED,
        )
    _text(s, MARGIN, Inches(6.65), WIDTH - 2 * MARGIN - Inches(0.9), Inches(0.75), slide.source, 9, MUTED)
    _text(
        s,
        WIDTH - MARGIN - Inches(0.8),
        Inches(6.9),
        Inches(0.8),
        Inches(0.4),
        f"{index + 2} / {len(deck.slides) + 1}",
        11,
        MUTED,
    )
    s.notes_slide.notes_text_frame.text = deck.notes(index)


def deck_pptx(deck: Deck) -> bytes:
    """The deck as .pptx bytes (16:9)."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    prs.core_properties.title = deck.title
    prs.core_properties.subject = deck.selection
    prs.core_properties.comments = deck.link
    _cover(prs, deck)
    for index in range(len(deck.slides)):
        _storyline_slide(prs, deck, index)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
