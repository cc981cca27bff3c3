"""The briefing deck as PowerPoint (python-pptx): a title slide, then one slide per storyline slide with a native,
editable chart (its data sits in the embedded workbook: right-click, Edit Data), the headline, the source footnote
and speaker notes with the link that reproduces the view and the data versions.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from dataclasses import dataclass
from typing import cast

import pandas as pd
from pptx import Presentation
from pptx.chart.chart import Chart
from pptx.chart.data import CategoryChartData, XyChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import (
    XL_AXIS_CROSSES,
    XL_CHART_TYPE,
    XL_LABEL_POSITION,
    XL_LEGEND_POSITION,
    XL_MARKER_STYLE,
    XL_TICK_LABEL_POSITION,
)
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.presentation import Presentation as PptxPresentation
from pptx.shapes.autoshape import Shape
from pptx.shapes.graphfrm import GraphicFrame
from pptx.slide import Slide as PptxSlide
from pptx.util import Emu, Inches, Pt

from decarb import theme
from decarb.briefing import Deck
from decarb.briefing.model import BARS, DATES, LINES, STACKED, Kind, Series, Slide
from decarb.exports import neutralise
from decarb.render.text import DECK_BOLD_EM, text_width

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)  # 16:9
MARGIN = Inches(0.5)
LAYOUT_TITLE, LAYOUT_TITLE_ONLY = 0, 5  # of the default template
DASH = {"solid": MSO_LINE_DASH_STYLE.SOLID, "dash": MSO_LINE_DASH_STYLE.DASH, "dot": MSO_LINE_DASH_STYLE.ROUND_DOT}
MARKERS = {"circle": XL_MARKER_STYLE.CIRCLE, "square": XL_MARKER_STYLE.SQUARE}
CHART_TYPES = {
    LINES: XL_CHART_TYPE.XY_SCATTER_LINES_NO_MARKERS,
    DATES: XL_CHART_TYPE.XY_SCATTER_LINES,
    BARS: XL_CHART_TYPE.BAR_CLUSTERED,
    STACKED: XL_CHART_TYPE.COLUMN_STACKED,
}


# Type sizes (points). Nothing on a slide is smaller than LEAST_PT (the source lines were 7 pt on a rendered
# slide); chart text, ticks and legend projector-sized. PowerPoint does not shrink text python-pptx writes, so an
# edited title or headline gets its size from its length.
TITLE_SIZES = (24, 22, 20)  # the largest that holds the title on one line; else lines of the smallest
HEADLINE_SIZES = ((14, 30), (24, 26), (10_000, 22))  # the headline number, by length
HEADLINE_LABEL_PT = 14  # what the number is, beside it
SUBTITLE_SIZES = ((250, 14), (10_000, 12))  # by length: two lines of 14 pt, else 12 pt
SOURCE_SIZES = ((10_000, 12),)
PAGE_PT, NOTE_PT = 12, 12  # the slide number; the key of milestones
CHART_PT, TICK_PT, LEGEND_PT = 18, 16, 14
LEAST_PT = 12
# A storyline slide is a column of full-width rows: title, headline, subtitle, the chart, the key of milestones
# (where marked), the source footnote; the chart takes every inch the text leaves (with the headline in a column
# beside the chart, the plot held about a fifth of the slide).
SIDE = Inches(0.4)  # left and right margin of the text
CHART_SIDE = Inches(0.15)  # of the chart's frame: its value-axis labels stand in for a margin
TOP, GAP = Inches(0.1), Inches(0.03)
PAGE_W = Inches(0.9)  # the slide number's box, right of the footnote ("10 / 10" on one line at PAGE_PT)
LINE = 1.2  # a line's height, of its size
# A text box's inner margins: python-pptx's side ones; top and bottom 0.02 in, not its 0.05 (a slide stacks five
# boxes: the defaults took 0.3 in from the chart).
INSET_H, INSET_V = Inches(0.1), Inches(0.02)


# Advance widths (thousandths of an em) of DejaVu Sans and DejaVu Sans Bold, the fonts LibreOffice draws the deck's
# Calibri with, for the printable ASCII characters from space to "~". An average width a character made titles two
# lines that render on one (0.7 em bold against 0.59 measured on a title), each costing the chart a line's height.
ASCII_WIDTHS = (
    "318 401 460 838 636 950 780 275 390 390 500 838 318 361 318 337 636 636 636 636 636 636 636 636 636 636 337 "
    "337 838 838 838 531 1000 684 686 698 770 632 575 775 752 295 295 656 557 863 748 787 603 787 695 635 611 732 "
    "684 989 685 611 685 390 337 390 838 500 500 613 635 550 635 615 352 635 634 278 278 579 278 974 634 612 635 "
    "635 411 521 392 634 592 818 592 592 525 636 337 636 838"
)
ASCII_BOLD_WIDTHS = (
    "348 456 521 838 696 1002 872 306 457 457 523 838 380 415 380 365 696 696 696 696 696 696 696 696 696 696 400 "
    "400 838 838 838 580 1000 774 762 734 830 683 683 821 837 372 372 775 637 995 837 850 733 850 770 720 682 812 "
    "774 1103 771 724 725 457 365 457 838 500 500 675 716 593 716 678 435 716 712 343 343 665 343 1042 712 687 716 "
    "716 493 595 478 712 652 924 645 652 582 712 365 712 838"
)
WIDTHS = {
    bold: {chr(32 + i): int(w) / 1000 for i, w in enumerate(table.split())}
    for bold, table in ((False, ASCII_WIDTHS), (True, ASCII_BOLD_WIDTHS))
}
SAME_WIDTH = {"\u00a0": " ", "\u2011": "-", "\u2013": "N", "\u2014": "M"}  # no-break space and hyphen, dashes
OTHER_EM = 0.8  # any other character (an accented letter, a subscript): about a wide letter's width
# LibreOffice kerns, drawing lines 0.2-0.4% narrower than these widths; no margin either way (1.03 gave four-line
# subtitles five; 0.996 gave a two-line title and a five-line subtitle one line too few, over the next box).
WIDTH_MARGIN = 1.0


def measure(text: str, size: float, bold: bool = False) -> float:
    """The width (points) of a text set at `size` points in DejaVu Sans (`bold`: DejaVu Sans Bold)."""
    widths = WIDTHS[bold]
    return sum(widths.get(SAME_WIDTH.get(c, c), OTHER_EM) for c in text) * size * WIDTH_MARGIN


def lines_of(text: str, width: int, size: float, bold: bool = False) -> int:
    """How many lines a text takes in a box `width` EMU wide at `size` points, wrapped as LibreOffice wraps: at
    spaces and after a hyphen inside a word ("late-" / "2023")."""
    room = max((width - 2 * INSET_H) / 12700, size)
    space = measure(" ", size, bold)
    count, used = 1, 0.0
    for word in text.split():
        for n, part in enumerate(re.split(r"(?<=\w-)(?=\w)", word)):
            gap = space if used and n == 0 else 0.0
            need = measure(part, size, bold)
            if used and used + gap + need > room:
                count, used, gap = count + 1, 0.0, 0.0
            used += gap + need
            while used > room:  # a word longer than a line is broken
                count, used = count + 1, used - room
    return count


def text_height(lines: int, size: float) -> int:
    """A text box's height for so many lines at `size` points, with its inner margins."""
    return int(Pt(LINE * size * lines)) + 2 * INSET_V


@dataclass(frozen=True)
class Box:
    left: int
    top: int
    width: int
    height: int

    @property
    def bottom(self) -> int:
        return self.top + self.height


@dataclass(frozen=True)
class SlideLayout:
    """Where each text and the chart of a storyline slide go (EMU), and the type sizes (points)."""

    title: Box
    title_pt: int
    number: Box
    number_pt: int
    label: Box
    subtitle: Box
    subtitle_pt: int
    chart: Box
    key: Box | None
    source: Box
    page: Box


ROW_IN = 0.23  # a row of milestone number labels (LABEL_PT on white), in inches


@dataclass(frozen=True)
class Plot:
    """The size (inches) of a time chart's plot, as its manual layout sets it (`time_chart_layout`)."""

    width_in: float
    height_in: float

    @property
    def row(self) -> float:
        """A row of number labels, of the value axis range."""
        return ROW_IN / self.height_in


DEFAULT_PLOT = Plot(11.0, 3.4)  # about a storyline slide's (tests of pure helpers)


# DejaVu Sans Bold's advance widths (em) where they differ from BOLD_EM's average (a digit, 0.7).
BOLD_WIDTHS = {"%": 1.0, "+": 0.84, " ": 0.35, "\u00a0": 0.35, ".": 0.38, ",": 0.38, "\u2011": 0.42, "/": 0.37}


def bold_width(text: str, size: float) -> float:
    """The width (points) of a bold text at `size` points, character by character (capitals 0.85 em: "Mt CO2e"
    broke across lines at the average's estimate)."""
    return sum(BOLD_WIDTHS.get(c, 0.85 if c.isupper() else BOLD_EM) for c in text) * size


def title_size(title: str, width: int) -> tuple[int, int]:
    """(size, lines) of a title: the largest size that holds it on one line, else the smallest, wrapped."""
    for size in TITLE_SIZES:
        if lines_of(title, width, size, bold=True) == 1:
            return size, 1
    return TITLE_SIZES[-1], lines_of(title, width, TITLE_SIZES[-1], bold=True)


def slide_layout(title: str, headline: str, label: str, subtitle: str, source: str, key: str = "") -> SlideLayout:
    """The rows of a storyline slide from the lengths of its texts; the chart gets the height they leave. (With
    the headline, subtitle and key in a column beside the chart, the plot held less of the slide: the column's
    narrow lines took more height than the rows do across the slide.)"""
    width = WIDTH - 2 * SIDE
    title_pt, title_lines = title_size(title, width)
    title_box = Box(SIDE, TOP, width, text_height(title_lines, title_pt))
    number_pt = headline_size(headline)
    number_text_w = int(Pt(bold_width(unbroken(headline), number_pt)))
    number_w = min(number_text_w + 2 * INSET_H + Inches(0.05), int(HEADLINE_BOX_PT * 12700) + 2 * INSET_H)
    one_line = number_text_w + 2 * INSET_H <= number_w
    number_h = text_height(1 if one_line else lines_of(unbroken(headline), number_w, number_pt, bold=True), number_pt)
    label_w = width - number_w
    label_h = text_height(lines_of(label, label_w, HEADLINE_LABEL_PT), HEADLINE_LABEL_PT)
    row = max(number_h, label_h)
    subtitle_pt = fitted(subtitle, SUBTITLE_SIZES)
    # The subtitle under the headline's label, beside the number, where that leaves the chart more height than
    # a full-width row under both (a short label beside a tall number leaves room under the label).
    beside_h = text_height(lines_of(subtitle, label_w, subtitle_pt), subtitle_pt)
    under_h = text_height(lines_of(subtitle, width, subtitle_pt), subtitle_pt)
    if max(number_h, label_h + beside_h) < row + under_h:
        number = Box(SIDE, title_box.bottom, number_w, number_h)
        label_box = Box(SIDE + number_w, title_box.bottom, label_w, label_h)
        subtitle_box = Box(SIDE + number_w, label_box.bottom, label_w, beside_h)
    else:
        number = Box(SIDE, title_box.bottom, number_w, row)
        label_box = Box(SIDE + number_w, title_box.bottom, label_w, row)
        subtitle_box = Box(SIDE, number.bottom, width, under_h)
    source_pt = fitted(source, SOURCE_SIZES)
    source_w = width - PAGE_W
    source_h = text_height(lines_of(source, source_w, source_pt), source_pt)
    source_box = Box(SIDE, HEIGHT - Inches(0.04) - source_h, source_w, source_h)
    page_h = text_height(1, PAGE_PT)
    page = Box(WIDTH - SIDE - PAGE_W, HEIGHT - Inches(0.04) - page_h, PAGE_W, page_h)
    key_box = None
    if key:
        key_h = text_height(lines_of(key, width, NOTE_PT), NOTE_PT)
        key_box = Box(SIDE, source_box.top - key_h, width, key_h)
    chart_top = max(subtitle_box.bottom, number.bottom) + GAP
    chart_bottom = (key_box or source_box).top - GAP
    chart = Box(CHART_SIDE, chart_top, WIDTH - 2 * CHART_SIDE, chart_bottom - chart_top)
    return SlideLayout(
        title_box, title_pt, number, number_pt, label_box, subtitle_box, subtitle_pt, chart, key_box, source_box, page
    )


def fitted(text: str, sizes: tuple[tuple[int, int], ...]) -> int:
    return next(size for limit, size in sizes if len(text) <= limit)


def unbroken(text: str) -> str:
    """Text with no line break inside a figure and its unit or inside an ISO date: a no-break space after a
    number ("+220\u00a0Mt\u00a0CO2e", "16\u00a0member countries") and between a mass unit and its gas,
    non-breaking hyphens in dates ("2023\u201112\u201101"). LibreOffice broke "+220 Mt / CO2e" and an ISO
    date across lines."""
    text = re.sub(r"\b(\d{4})-(\d{2})-(\d{2})\b", "\\1\u2011\\2\u2011\\3", text)
    text = re.sub(r"(?<![\w\u2011])-(?=\d)", "\u2011", text)  # a minus stays with its number ("Japan, -42")
    text = re.sub(r"(?<=\d) (?=[A-Za-z%])", "\u00a0", text)
    return re.sub(r"\b([kMG]?t) (CO2\w*)", "\\1\u00a0\\2", text)


# The headline number takes at most half the slide's width (its text bold, decarb.render.text).
HEADLINE_BOX_PT, BOLD_EM = 6.0 * 72, DECK_BOLD_EM


def headline_size(text: str) -> int:
    """The headline's size by its length (HEADLINE_SIZES), and small enough that its longest unbreakable run
    ("+220\u00a0Mt\u00a0CO2e") fits its box on one line; never below the smallest size."""
    longest = max((len(run) for run in unbroken(text).split(" ")), default=1)
    by_width = int(HEADLINE_BOX_PT / text_width(longest, 1, DECK_BOLD_EM))
    return max(min(fitted(text, HEADLINE_SIZES), by_width), HEADLINE_SIZES[-1][1])


# A bar chart's names at most 14 pt: their column beside the plot is as wide as the longest name, and at 16 pt it
# took the plot under half the slide.
BAR_LABEL_PT = 14
LABEL_LINE = 1.25  # a category label's height, of its size, below which LibreOffice leaves out every other name


# Of a bar chart's frame (inches): the value axis' labels (over the plot) and title (under it); a legend row on top.
BAR_FOOT_IN, BAR_TICKS_IN, BAR_LEGEND_IN = 0.6, 0.26, 0.35
BAR_NAME_PAD_IN = 0.2  # beside a bar chart's longest name: its tick marks and gaps (0.25 drew 0.1 in each side)
BAR_RIGHT_IN = 0.2  # right of a bar chart's plot: half its last tick label (the frame's own margin is beyond)
# Of a column chart's frame (inches): its category labels in two lines, or one where every name fits its column.
STACKED_FOOT_IN, STACKED_LINE_FOOT_IN = 0.65, 0.4


def bar_plot_pt(frame_height: int, legend: bool = False) -> float:
    """The height (points) of a bar chart's plot in a frame `frame_height` EMU high, a legend over it or not."""
    return frame_height / 12700 - (BAR_FOOT_IN + (BAR_LEGEND_IN if legend else 0)) * 72


def bar_label_size(categories: int, plot_pt: float) -> int:
    """Category labels of a bar chart as large as fit one a bar (LibreOffice left out every other 16 pt name of
    16 countries): BAR_LABEL_PT, smaller where that would not fit the plot's height (`plot_pt`, bar_plot_pt)."""
    return max(LEAST_PT, min(BAR_LABEL_PT, int(plot_pt / max(categories, 1) / LABEL_LINE)))


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#").upper())


INK, MUTED, ACCENT = _rgb(theme.INK), _rgb(theme.MUTED), _rgb(theme.ACCENT)


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
    frame.margin_left = frame.margin_right = INSET_H
    frame.margin_top = frame.margin_bottom = INSET_V
    para = frame.paragraphs[0]
    para.text = text
    para.font.size, para.font.bold, para.font.color.rgb = Pt(size), bold, colour
    return box


def drawn_order(slide: Slide) -> tuple[Series, ...]:
    """The slide's series in the order the native chart holds them. LibreOffice (7.x and 24.x) does not draw the
    first series of a scatter chart when it has fewer points than a later one (the steel slide's 8 observed years
    vanished under a 36-year pathway): scatter charts hold their longest series first, the others in order."""
    if slide.kind not in (LINES, DATES) or not slide.series:
        return slide.series
    longest = max(slide.series, key=lambda s: len(xy_points(s, slide.kind)))  # as held: with a step's corners
    return (longest, *(s for s in slide.series if s is not longest))


def xy_points(series: Series, kind: Kind) -> list[tuple[float, float]]:
    """The points of a series on a scatter chart: years as numbers, dates as Excel serial days; no blanks. A step
    series (members named by a date) holds its previous value up to each change: a corner point at the date of
    the change with the value before it, so the chart draws steps, not ramps between join dates."""
    points = [(_serial(x), y) for x, y in zip(series.x, series.y, strict=True) if y is not None]
    if kind != DATES or series.style != "step":
        return points
    stepped: list[tuple[float, float]] = []
    for x, y in points:
        if stepped and y != stepped[-1][1]:
            stepped.append((x, stepped[-1][1]))
        stepped.append((x, y))
    return stepped


def corners(series: Series, kind: Kind) -> list[int]:
    """Indices of the corner points `xy_points` added to a step series (drawn without a marker)."""
    points = xy_points(series, kind)
    return [
        i for i in range(1, len(points) - 1) if points[i][0] == points[i + 1][0] and points[i][1] != points[i + 1][1]
    ]


def chart_data(
    slide: Slide, marks: tuple[Mark, ...] = (), plot: Plot = DEFAULT_PLOT
) -> CategoryChartData | XyChartData:
    """The native chart's data: exactly the slide's series (None values are left blank), then one two-point
    series per milestone mark (a vertical line over the value axis' range, see `value_range`).

    Names and categories land in the chart's embedded workbook, so they are neutralised like CSV cells: a name
    starting with "=" must not become a formula when someone edits the chart's data in PowerPoint or Excel.
    """
    if slide.kind in (LINES, DATES):
        data = XyChartData()
        for s in drawn_order(slide):
            series = data.add_series(neutralise(s.name), number_format="#,##0.0" if slide.kind == LINES else "0")
            for x, y in xy_points(s, slide.kind):
                series.add_data_point(x, y)
        if marks:
            found = tags(marks, slide, plot)
            low, high, _ = marked_range(slide, found, plot)
            for number, mark in enumerate(marks, start=1):
                series = data.add_series(f"{MARK_PREFIX}{number}", number_format="0")
                for y in (low, high):
                    series.add_data_point(mark.x, y)
            series = data.add_series(TAGS_NAME, number_format="0")
            for tag in found:
                series.add_data_point(tag.x, label_height(low, high, tag.row, plot))
        return data
    categories = CategoryChartData(number_format="#,##0.0" if slide.kind == BARS else "0")
    first = slide.series[0].x if slide.series else ()
    categories.categories = [neutralise(str(x)) for x in first]
    for s in slide.series:
        categories.add_series(neutralise(s.name), list(s.y))
    return categories


def frame_plot(slide: Slide, frame: GraphicFrame) -> Plot:
    """The plot of the slide's time chart as drawn in `frame`: its legend's rows under it, or none where the legend
    stands inside the plot (legend_inside)."""
    chart = frame.chart
    under = chart.has_legend and chart.legend.position == XL_LEGEND_POSITION.BOTTOM
    box = Box(frame.left, frame.top, frame.width, frame.height)
    return plot_of(box, legend_rows(slide, frame.width) if under else 0)


def marked_range(slide: Slide, found: tuple[Tag, ...], plot: Plot) -> tuple[float, float, float]:
    """The value axis' range of a marked chart, with room above every value for the rows its labels take."""
    return value_range(slide, marked=True, rows=1 + max((t.row for t in found), default=0), plot=plot)


def _style_series(chart: object, slide: Slide, marks: tuple[Mark, ...] = (), plot: Plot = DEFAULT_PLOT) -> None:
    native = list(chart.plots[0].series)  # type: ignore[attr-defined]
    drawn = drawn_order(slide)
    for series, spec in zip(native, drawn, strict=False):
        _style_one(series, spec, slide.kind)
    for series in native[len(drawn) : len(drawn) + len(marks)]:  # the marks: dotted lines, no markers
        series.smooth = False
        series.marker.style = XL_MARKER_STYLE.NONE
        series.format.line.color.rgb, series.format.line.width = MARK_COLOUR, Pt(1.25)
        series.format.line.dash_style = MSO_LINE_DASH_STYLE.ROUND_DOT
    if marks:  # their numbers: no line, no marker, a label on white at each point
        numbers = native[len(drawn) + len(marks)]
        numbers.format.line.fill.background()
        numbers.marker.style = XL_MARKER_STYLE.NONE
        for point, tag in zip(numbers.points, tags(marks, slide, plot), strict=False):
            label = point.data_label
            label.has_text_frame = True
            label.text_frame.text = tag.text
            label.position = XL_LABEL_POSITION.CENTER
            label.font.size, label.font.bold, label.font.color.rgb = Pt(LABEL_PT), True, INK
            _white_box(label._dLbl)
    if marks and chart.has_legend:  # type: ignore[attr-defined]
        _hide_from_legend(chart, range(len(drawn), len(native)))


def _white_box(dlbl: object) -> None:
    """A white fill behind a data label (c:spPr after its text, where the schema puts it)."""
    fill = dlbl.makeelement(qn("c:spPr"), {})  # type: ignore[attr-defined]
    solid = fill.makeelement(qn("a:solidFill"), {})
    solid.append(solid.makeelement(qn("a:srgbClr"), {"val": theme.PAPER.lstrip("#").upper()}))
    fill.append(solid)
    anchor = dlbl.find(qn("c:numFmt"))  # type: ignore[attr-defined]
    if anchor is None:
        anchor = dlbl.find(qn("c:tx"))  # type: ignore[attr-defined]
    anchor.addnext(fill)


def _hide_from_legend(chart: object, indices: range) -> None:
    legend = chart.legend._element  # type: ignore[attr-defined]
    anchor = legend.find(qn("c:legendPos"))
    at = list(legend).index(anchor) + 1 if anchor is not None else 0
    for offset, index in enumerate(indices):
        entry = legend.makeelement(qn("c:legendEntry"), {})
        entry.append(entry.makeelement(qn("c:idx"), {"val": str(index)}))
        entry.append(entry.makeelement(qn("c:delete"), {"val": "1"}))
        legend.insert(at + offset, entry)


def _style_one(series: object, spec: Series, kind: Kind) -> None:
    fmt = series.format  # type: ignore[attr-defined]
    if kind in (LINES, DATES):
        series.smooth = False  # type: ignore[attr-defined]
        if kind == DATES and spec.style == "markers":
            fmt.line.fill.background()  # markers only: a reported count is a point in time
            series.marker.style, series.marker.size = XL_MARKER_STYLE.DIAMOND, 11  # type: ignore[attr-defined]
        else:
            fmt.line.color.rgb, fmt.line.width = _rgb(spec.colour), Pt(3)
            fmt.line.dash_style = DASH.get(spec.dash if kind == DATES else spec.style, MSO_LINE_DASH_STYLE.SOLID)
            if kind == DATES:  # a step: its own marker, so two steps with one value stay apart
                series.marker.style = MARKERS.get(spec.symbol, XL_MARKER_STYLE.CIRCLE)  # type: ignore[attr-defined]
                series.marker.size = 8  # type: ignore[attr-defined]
                for index in corners(spec, kind):  # a corner of the step is no data point: no marker
                    series.points[index].marker.style = XL_MARKER_STYLE.NONE  # type: ignore[attr-defined]
        if kind == DATES:
            series.marker.format.fill.solid()  # type: ignore[attr-defined]
            series.marker.format.fill.fore_color.rgb = _rgb(spec.colour)  # type: ignore[attr-defined]
            series.marker.format.line.color.rgb = _rgb(spec.colour)  # type: ignore[attr-defined]
        return
    fmt.fill.solid()
    fmt.fill.fore_color.rgb = _rgb(spec.colour)
    for i, colour in enumerate(spec.colours):
        point = series.points[i]  # type: ignore[attr-defined]
        point.format.fill.solid()
        point.format.fill.fore_color.rgb = _rgb(colour)


def _axes(chart: object, slide: Slide, marks: tuple[Mark, ...] = (), plot: Plot = DEFAULT_PLOT) -> None:
    category, value = chart.category_axis, chart.value_axis  # type: ignore[attr-defined]
    for axis, title in ((category, slide.x_title), (value, slide.y_title)):
        axis.tick_labels.font.size = Pt(TICK_PT)
        # Time charts name no x axis: its labels are years.
        if title and not (axis is category and slide.kind in (BARS, LINES, DATES)):
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
        # Every category named: a size that fits (bar_label_size), and no label left out (tickLblSkip 1).
        skip = category._element.makeelement(qn("c:tickLblSkip"), {"val": "1"})
        category._element.insert_element_before(skip, "c:tickMarkSkip", "c:noMultiLvlLbl", "c:extLst")
        value.has_title = True
        value.axis_title.text_frame.text = slide.x_title
        value.axis_title.text_frame.paragraphs[0].font.size = Pt(TICK_PT)
    if slide.kind == DATES:  # one label a year ("2021"), not one rotated ISO date per point
        _yearly_date_axis(category, slide)
    if slide.kind == LINES:
        span = x_range(slide)
        if span:
            category.minimum_scale, category.maximum_scale = span
        category.tick_labels.number_format, category.tick_labels.number_format_is_linked = "0", False
    if slide.kind in (LINES, DATES):
        category.has_major_gridlines = False
    if marks:  # the marks run the value axis' full height: fix its range
        value.minimum_scale, value.maximum_scale, value.major_unit = marked_range(slide, tags(marks, slide, plot), plot)


def year_start(year: int) -> float:
    """Where the date axis of the deck puts the tick labelled `year`, in serial days: 1 January plus 0.75 day.
    The axis steps 365.25 days from its first tick, and 1 January of later years is within 0.75 day of that
    step (through 2099), so every tick falls on 1-2 January and its "yyyy" label names the year it starts."""
    return _serial(dt.date(year, 1, 1)) + 0.75


def _yearly_date_axis(axis: object, slide: Slide) -> None:
    span = x_range(slide)
    if span:
        axis.minimum_scale, axis.maximum_scale = span  # type: ignore[attr-defined]
    axis.major_unit = 365.25  # type: ignore[attr-defined]
    axis.tick_labels.number_format, axis.tick_labels.number_format_is_linked = "yyyy", False  # type: ignore[attr-defined]


# LeadIT's milestones on a native chart are part of the chart: one two-point series per milestone, a vertical
# dotted line from the foot to the top of the value axis at its date. LibreOffice drew the plot area ~3% narrower
# than a manual layout said (layoutTarget "inner" or not), so lines drawn as shapes over the chart sat about half a
# year right of their dates; series are placed by the chart's own axis and cannot drift.
MARK_COLOUR = _rgb(theme.MUTED)
MARK_PREFIX = "Milestone "  # the marks' series names (hidden from the legend)
TAGS_NAME = f"{MARK_PREFIX}numbers"  # the series holding the number labels (hidden from the legend)


@dataclass(frozen=True)
class Mark:
    """One milestone on a native chart: its axis position, date, short word (the kind) and event."""

    x: float
    date: dt.date
    word: str
    event: str

    @property
    def short(self) -> str:
        """The event in a few words: its name before the first comma, without parentheses ("LeadIT Summit
        2021, COP26, Glasgow (date of the report)" -> "LeadIT Summit 2021")."""
        return re.sub(r"\s*\([^)]*\)", "", self.event).split(",")[0].strip() or self.event

    def key(self, number: int, named: bool = True) -> str:
        """ "3 Summit, LeadIT Summit 2021 (Nov 2021)" (or, not `named`, "3 Summit (Nov 2021)"), with no line
        break inside the number or the month."""
        event = f", {self.short}" if named else ""
        return f"{number}\u00a0{self.word}{event} ({self.date:%b}\u00a0{self.date.year})"


def _serial(value: object) -> float:
    """A date as the deck's date axes hold it (Excel serial days), or a year as a number."""
    if isinstance(value, dt.date):
        return float((value - dt.date(1899, 12, 30)).days)
    return float(value)  # type: ignore[arg-type]


def slide_marks(slide: Slide, milestones: pd.DataFrame) -> tuple[Mark, ...]:
    """The milestones marked on the slide's figure (its annotations, decarb.briefing.figures.marked_spec), with
    their events from the milestone table (decarb.milestones.milestone_frame), in date order."""
    marks = []
    for note in slide.spec.get("layout", {}).get("annotations", ()):
        x = note["x"]
        if slide.kind == DATES:
            day = dt.date.fromisoformat(str(x)[:10])
            rows = milestones[milestones["date"].dt.date == day]
        else:
            rows = milestones[(milestones["year"] - float(x)).abs() < 1e-9]
        for row in rows.itertuples():
            day = row.date.date()
            where = _serial(day) if slide.kind == DATES else float(row.year)
            marks.append(Mark(where, day, str(row.label), str(row.event)))
    return tuple(sorted(set(marks), key=lambda m: (m.x, m.event)))


# Number labels: the marks are numbered in date order and named in a key under the chart (`milestone_key`); on the
# chart labels on white near the top of the plot give each line its number, in up to MAX_ROWS rows (a staircase:
# the pathway's 80-year axis puts its nine milestones, 2019-2024, in under an inch), so each line keeps its own
# number; only lines too close for that share one ("5\u20136": marks 5 to 6). No label covers another.
LABEL_PT = 12
CHAR_IN, PAD_IN, LABEL_GAP_IN = 0.105, 0.06, 0.03  # a LABEL_PT bold digit, its white box's padding, the gap between
MAX_ROWS = 4  # rows of number labels at most
# Of the value axis range: the top margin, and the room kept between the labels' foot and the highest value on a
# chart with markers (half an 11 pt diamond: the membership chart's counts).
LABEL_TOP, LABEL_CLEAR = 0.02, 0.06


@dataclass(frozen=True)
class Tag:
    """A number label on a marked chart: where it sits on the x axis, its text ("3", or "5\u20137") and its row
    (0: the top one)."""

    x: float
    text: str
    row: int = 0


def label_height(low: float, high: float, row: int = 0, plot: Plot = DEFAULT_PLOT) -> float:
    """The centre of a row of number labels, from the top of the value axis."""
    return high - (LABEL_TOP + (row + 0.5) * plot.row) * (high - low)


def tags(marks: tuple[Mark, ...], slide: Slide, plot: Plot = DEFAULT_PLOT) -> tuple[Tag, ...]:
    """The number labels of the marks (in date order, numbered from 1), each at its line, centred on it and kept
    inside the plot, in the first row (from the top) where it clears the label before it; where MAX_ROWS rows do
    not hold them all, the two closest neighbours share one label, until they do."""
    span = x_range(slide)
    if not marks or span is None:
        return ()
    first, last = span
    scale = plot.width_in / (last - first)  # inches per axis unit
    runs = [[n] for n in range(1, len(marks) + 1)]

    def text(run: list[int]) -> str:
        return str(run[0]) if len(run) == 1 else f"{run[0]}\u2013{run[-1]}"

    def extent(run: list[int]) -> tuple[float, float, float]:
        centre = (marks[run[0] - 1].x + marks[run[-1] - 1].x) / 2
        half = (len(text(run)) * CHAR_IN + PAD_IN) / 2 / scale
        centre = min(max(centre, first + half), last - half)
        return centre - half, centre, centre + half

    def rows_of(runs: list[list[int]]) -> list[int] | None:
        rights: list[float] = []  # per row, the right end of its last label
        rows = []
        for run in runs:
            low, _, high = extent(run)
            row = next((r for r, right in enumerate(rights) if right + LABEL_GAP_IN / scale <= low), None)
            if row is None:
                if len(rights) == MAX_ROWS:
                    return None
                rights.append(high)
                row = len(rights) - 1
            rights[row] = high
            rows.append(row)
        return rows

    while (rows := rows_of(runs)) is None:
        closest = min(range(len(runs) - 1), key=lambda i: extent(runs[i + 1])[1] - extent(runs[i])[1])
        runs[closest : closest + 2] = [runs[closest] + runs[closest + 1]]
    return tuple(Tag(extent(run)[1], text(run), row) for run, row in zip(runs, rows, strict=True))


def x_range(slide: Slide) -> tuple[float, float] | None:
    """The x axis' range as the deck sets it: first to last year, or whole years of dates (serial days)."""
    kind = slide.kind
    xs = [x for s in slide.series for x, _ in xy_points(s, kind)] if kind in (LINES, DATES) else []
    if not xs:
        return None
    if kind == LINES:
        return min(xs), max(xs)
    first, last = (dt.date(1899, 12, 30) + dt.timedelta(days=d) for d in (min(xs), max(xs)))
    return year_start(first.year), year_start(last.year + 1)


KEY_WIDTHS = (0.45, 0.6, 0.75)  # of the plot's width: the key of milestones inside the plot, narrowest first
KEY_INSET = 0.015  # of the plot: between the key (or legend) and the axes
KEY_CLEAR = 0.03  # of the plot: kept between the key (or legend) and any line, marker or label

# A corner of the plot (left, top, width, height), as fractions of the plot from its top left.
Corner = tuple[float, float, float, float]
KEY_CORNERS = ("bottom left", "bottom right", "top left", "top right")
LEGEND_CORNERS = ("top right", "top left", "bottom right", "bottom left")


def free_corner(
    slide: Slide,
    marks: tuple[Mark, ...],
    plot: Plot,
    size: tuple[float, float],
    order: tuple[str, ...],
    taken: tuple[Corner, ...] = (),
    over_marks: bool = False,
) -> Corner | None:
    """The first corner (of `order`) of a time chart's plot where a box `size` (fractions of the plot) covers no
    line, marker, number label or box already `taken`, and no milestone line unless `over_marks` (the box then
    hides the foot of a dotted line whose number stays above it); None where no corner is free."""
    span = x_range(slide)
    if span is None or slide.kind not in (LINES, DATES):
        return None
    first, last = span
    found = tags(marks, slide, plot)
    low, high, _ = marked_range(slide, found, plot) if marks else value_range(slide)

    def fx(x: float) -> float:
        return (x - first) / (last - first)

    def fy(y: float) -> float:
        return (high - y) / (high - low)

    points: list[tuple[float, float]] = []
    for series in slide.series:
        xy = xy_points(series, slide.kind)
        for (x0, y0), (x1, y1) in zip(xy, xy[1:], strict=False):
            points += [(fx(x0 + (x1 - x0) * t / 40), fy(y0 + (y1 - y0) * t / 40)) for t in range(41)]
        points += [(fx(x), fy(y)) for x, y in xy]
    scale = plot.width_in / (last - first)
    boxes = [
        (
            fx(t.x) - (len(t.text) * CHAR_IN + PAD_IN) / 2 / scale / (last - first),
            fx(t.x) + (len(t.text) * CHAR_IN + PAD_IN) / 2 / scale / (last - first),
            fy(label_height(low, high, t.row, plot)) - plot.row / 2,
            fy(label_height(low, high, t.row, plot)) + plot.row / 2,
        )
        for t in found
    ]
    boxes += [(left, left + w, top, top + h) for left, top, w, h in taken]
    width, height = size
    if width > 1 - 2 * KEY_INSET or height > 1 - 2 * KEY_INSET:
        return None
    places = {
        "bottom left": (KEY_INSET, 1 - KEY_INSET - height),
        "bottom right": (1 - KEY_INSET - width, 1 - KEY_INSET - height),
        "top left": (KEY_INSET, KEY_INSET),
        "top right": (1 - KEY_INSET - width, KEY_INSET),
    }
    for left, top in (places[name] for name in order):
        x0, x1, y0, y1 = left - KEY_CLEAR, left + width + KEY_CLEAR, top - KEY_CLEAR, top + height + KEY_CLEAR
        if any(x0 <= px <= x1 and y0 <= py <= y1 for px, py in points):
            continue
        if any(a < x1 and b > x0 and c < y1 and d > y0 for a, b, c, d in boxes):
            continue
        if not over_marks and any(x0 <= fx(m.x) <= x1 for m in marks):
            continue
        return left, top, width, height
    return None


def legend_size(slide: Slide) -> tuple[float, float]:
    """(width, height) in inches of a time chart's legend with one entry a row."""
    longest = max((measure(s.name, LEGEND_PT) for s in slide.series), default=0.0) / 72
    return longest + LEGEND_MARK_IN + LEGEND_PAD_IN, len(slide.series) * LEGEND_ENTRY_IN + LEGEND_PAD_IN


def legend_inside(slide: Slide, marks: tuple[Mark, ...], box: Box, taken: tuple[Corner, ...] = ()) -> Corner | None:
    """Where a time chart's legend (one entry a row) fits in a corner of its plot in `box`, clear of every line,
    marker, label and box `taken` (None without a legend, or where no corner is free: the legend then goes under
    the plot in rows). Under the plot its rows took 0.3 inch each from the plot's height."""
    if len(slide.series) < 2 or slide.kind not in (LINES, DATES):
        return None
    plot = plot_of(box, 0)
    width, height = legend_size(slide)
    size = (width / plot.width_in, height / plot.height_in)
    for over in (False, True):
        if (place := free_corner(slide, marks, plot, size, LEGEND_CORNERS, taken, over)) is not None:
            return place
    return None


def key_inside(
    slide: Slide,
    marks: tuple[Mark, ...],
    box: Box,
    key: str,
    legend: Corner | None = None,
    legend_in_plot: bool = False,
) -> tuple[Corner, Box] | None:
    """Where the key of milestones fits inside the plot of a time chart in `box` without covering a line (data or
    milestone), a marker, a number label or the legend (`legend`, inside the plot, or None: under it unless
    `legend_in_plot`, to be placed after the key): a corner of the plot, the narrowest key first, as fractions of
    the plot and as a box on the slide; None where no corner is free (the key then goes under the chart)."""
    if x_range(slide) is None or slide.kind not in (LINES, DATES):
        return None
    plot = plot_of(box, 0 if legend or legend_in_plot else legend_rows(slide, box.width))
    taken = (legend,) if legend else ()
    for over, share in ((over, share) for over in (False, True) for share in KEY_WIDTHS):
        width = int(plot.width_in * share * 914400)
        height = text_height(lines_of(key, width, NOTE_PT), NOTE_PT) / 914400 / plot.height_in
        place = free_corner(slide, marks, plot, (share, height), KEY_CORNERS, taken, over)
        if place is not None:
            left, top, _, _ = place
            return place, Box(
                box.left + int((PLOT_LEFT_IN + left * plot.width_in) * 914400),
                box.top + int((PLOT_TOP_IN + top * plot.height_in) * 914400),
                width,
                int(height * plot.height_in * 914400),
            )
    return None


def milestone_key(marks: tuple[Mark, ...], note: str, named: bool = True) -> str:
    """The key of a marked chart naming each numbered line: number, kind, event in short (where `named`), month;
    then what was not marked (the figure's note)."""
    listed = "; ".join(m.key(n, named) for n, m in enumerate(marks, start=1))
    outside = note[note.index("Not marked") :] if "Not marked" in note else ""
    more = "" if named else " Events named in the speaker notes."
    return " ".join(t for t in (f"LeadIT milestones (numbered dotted lines): {listed}.{more}", outside) if t)


def value_range(
    slide: Slide, marked: bool = False, rows: int = 1, plot: Plot = DEFAULT_PLOT
) -> tuple[float, float, float]:
    """(low, high, major unit) of the value axis, set on charts with milestones so their lines run its full
    height: from zero (or below it) to a tick above the largest value plus 8% and, `marked`, high enough that the
    row of number labels sits above every value; about four 1-2-5 ticks (LibreOffice left out every other 16 pt
    label of six on the chart's height)."""
    values = [y for s in slide.series for y in s.y if y is not None]
    top, bottom = max(values, default=1.0), min(0.0, min(values, default=0.0))
    needed = top * 1.08
    if marked:
        clear = LABEL_CLEAR if slide.kind == DATES else 0.0  # room for a marker (lines have none)
        below = LABEL_TOP + rows * plot.row + clear  # of the range, from the top: the highest value's place
        needed = max(needed, (top - below * bottom) / (1 - below))
    raw = max((needed - bottom) / 4, 1e-9)
    power = 10 ** math.floor(math.log10(raw))
    step = min((m * power for m in (1, 2, 5, 10)), key=lambda s: abs(s - raw))
    return math.floor(bottom / step) * step, math.ceil(needed / step) * step, step


def add_chart(
    pptx_slide: PptxSlide, slide: Slide, box: Box, marks: tuple[Mark, ...] = (), legend: Corner | None = None
) -> Chart:
    """A native chart of the slide's series in `box` (PowerPoint keeps the numbers in the chart's workbook), with
    the milestone marks as series of the chart itself; a time chart's legend in the corner of its plot `legend`
    says (legend_inside), else in rows under it."""
    rows = 0 if legend else legend_rows(slide, box.width)
    plot = plot_of(box, rows)
    # python-pptx 1.0.2's annotations of add_chart are off: it returns the GraphicFrame holding the chart (as its
    # docstring says: hence the cast), and takes any chart data, XyChartData too (annotated: ChartData only).
    shape = pptx_slide.shapes.add_chart(
        CHART_TYPES[slide.kind],
        Emu(box.left),
        Emu(box.top),
        Emu(box.width),
        Emu(box.height),
        chart_data(slide, marks, plot),  # type: ignore[arg-type]
    )
    # The chart's alt text, as PowerPoint's Alt Text pane shows it and screen readers read it (Slide.alt).
    cast(GraphicFrame, shape)._element.nvGraphicFramePr.cNvPr.set("descr", slide.alt)
    chart = cast(GraphicFrame, shape).chart
    chart.font.size = Pt(CHART_PT)
    # No chart title: the slide's title and the axis title say it (a one-series chart took its series' name as
    # title, which repeated the axis title and cost the cement chart the room of every other country's name).
    chart.has_title = False
    chart.has_legend = len(slide.series) > 1
    if chart.has_legend:
        # A time chart's in a free corner of its plot (legend_inside), else under it in as few rows as its names
        # take; beside more than three columns (the plants' five technologies: on top, one a row, they stood taller
        # than the plot); a bar chart's in a corner no bar reaches, else on top (_bar_layout).
        chart.legend.position = (
            XL_LEGEND_POSITION.BOTTOM
            if slide.kind in (LINES, DATES) and legend is None
            else XL_LEGEND_POSITION.RIGHT
            if len(slide.series) > 3 or legend is not None
            else XL_LEGEND_POSITION.TOP
        )
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(LEGEND_PT)
    if slide.kind == STACKED:
        chart.plots[0].overlap, chart.plots[0].gap_width = 100, 60
    if slide.kind == BARS:
        chart.plots[0].gap_width = 40
        if len(slide.series) > 1:
            chart.plots[0].overlap = 0
    _style_series(chart, slide, marks, plot)
    _axes(chart, slide, marks, plot)
    if slide.kind == BARS:
        _bar_layout(chart, slide, box)
    if slide.kind == STACKED:
        beside = 0.0
        column = (box.width / 914400 - PLOT_LEFT_IN - 0.2) / max(len(slide.series[0].x), 1)
        one_line = all(measure(str(x), TICK_PT) / 72 <= 0.85 * column for x in slide.series[0].x)
        foot = (STACKED_LINE_FOOT_IN if one_line else STACKED_FOOT_IN) + (0.35 if slide.x_title else 0)
        top = 0.1 + (BAR_LEGEND_IN if chart.has_legend and len(slide.series) <= 3 else 0)
        if chart.has_legend and len(slide.series) > 3:
            longest = max(measure(s.name, LEGEND_PT) for s in slide.series) / 72
            beside = min(longest + 0.6, 3.2)
            inside = min(longest + 0.6, 0.45 * box.width / 914400)
            if legend_over_columns(slide, box, inside, top, foot):
                _legend_at(chart, box, inside, top, legend_lines(slide, inside))
                beside = 0.0
        category_chart_layout(chart, box, (PLOT_LEFT_IN, top, beside + 0.2, foot), False)
    if slide.kind in (LINES, DATES):
        time_chart_layout(chart, box, rows)
        if legend is not None:
            _legend_in_plot(chart, box, plot, legend)
            if not marks:  # the range legend_inside placed it by (a marked chart's is fixed already)
                value = chart.value_axis
                value.minimum_scale, value.maximum_scale, value.major_unit = value_range(slide)
    return chart


# A time chart's plot fills its frame (inches): the value axis' labels and title on its left, the year labels and
# the legend's rows (where no corner of the plot holds it) under it. Left to itself, LibreOffice gave the plot a
# third of the frame and the legend, one entry a row, more height than the plot.
PLOT_LEFT_IN, PLOT_RIGHT_IN, PLOT_TOP_IN, PLOT_FOOT_IN = 1.1, 0.3, 0.08, 0.4
LEGEND_ROW_IN, LEGEND_MARK_IN = 0.3, 0.75  # a row of the legend; an entry's line sample and spacing


def legend_rows(slide: Slide, width: int) -> int:
    """The rows a time chart's legend takes at the frame's width (none without a legend)."""
    if len(slide.series) < 2 or slide.kind not in (LINES, DATES):
        return 0
    room, rows, used = width / 914400 - 0.4, 1, 0.0
    for series in slide.series:
        entry = measure(series.name, LEGEND_PT) / 72 + LEGEND_MARK_IN
        if used and used + entry > room:
            rows, used = rows + 1, 0.0
        used += entry
    return rows


def plot_of(box: Box, rows: int) -> Plot:
    """The plot's size (inches) in a time chart's frame `box` with `rows` rows of legend."""
    width, height = box.width / 914400, box.height / 914400
    return Plot(width - PLOT_LEFT_IN - PLOT_RIGHT_IN, height - PLOT_TOP_IN - PLOT_FOOT_IN - rows * LEGEND_ROW_IN - 0.05)


def _manual_layout(parent: object, box: tuple[float, float, float, float], inner: bool) -> object:
    layout = parent.makeelement(qn("c:layout"), {})  # type: ignore[attr-defined]
    manual = layout.makeelement(qn("c:manualLayout"), {})
    if inner:
        manual.append(manual.makeelement(qn("c:layoutTarget"), {"val": "inner"}))
    for mode in ("c:xMode", "c:yMode"):
        manual.append(manual.makeelement(qn(mode), {"val": "edge"}))
    for name, value in zip(("c:x", "c:y", "c:w", "c:h"), box, strict=True):
        manual.append(manual.makeelement(qn(name), {"val": f"{value:.4f}"}))
    layout.append(manual)
    return layout


def _place_plot(plot_area: object, box: tuple[float, float, float, float]) -> None:
    """The plotting rectangle (inside the axes' labels) at `box`, fractions of the chart frame, replacing any
    layout it had."""
    for old in plot_area.findall(qn("c:layout")):  # type: ignore[attr-defined]
        plot_area.remove(old)  # type: ignore[attr-defined]
    plot_area.insert(0, _manual_layout(plot_area, box, inner=True))  # type: ignore[attr-defined]


def _place_legend(legend: object, box: tuple[float, float, float, float]) -> None:
    """The chart's legend element at `box` (fractions of the chart frame: x, y, width, height), replacing any
    layout it had; the layout goes before its overlay flag, where the schema wants it."""
    for old in legend.findall(qn("c:layout")):  # type: ignore[attr-defined]
        legend.remove(old)  # type: ignore[attr-defined]
    layout = _manual_layout(legend, box, inner=False)
    overlay = legend.find(qn("c:overlay"))  # type: ignore[attr-defined]
    if overlay is not None:
        overlay.addprevious(layout)
    else:
        legend.append(layout)  # type: ignore[attr-defined]


LEGEND_ENTRY_IN = 0.27  # a line of a legend's entry (LEGEND_PT), one entry a row
LEGEND_PAD_IN = 0.12  # a legend's box around its entries, top and bottom (or left and right) together


def legend_lines(slide: Slide, width: float) -> int:
    """The lines a legend of one entry a row takes `width` inches wide (a long name wraps)."""
    room = max(width - 0.6, 0.5)
    return sum(math.ceil(measure(s.name, LEGEND_PT) / 72 / room) for s in slide.series)


def legend_over_columns(slide: Slide, box: Box, legend: float, top: float, foot: float) -> bool:
    """Whether a column chart's legend (`legend` inches wide, one entry a row) fits in the top right corner of its
    plot, over the columns it would cover: each of those stands lower than the legend's foot (its total against
    the tallest column's, which the value axis reaches at least). Beside the plot it took a fifth of the width."""
    width, height = box.width / 914400 - PLOT_LEFT_IN - 0.2, box.height / 914400 - top - foot
    totals = [sum(v or 0.0 for v in values) for values in zip(*(s.y for s in slide.series), strict=True)]
    if not totals or max(totals) <= 0:
        return False
    covered = [t for i, t in enumerate(totals) if (i + 0.5) / len(totals) * width > width - legend - 0.1]
    room = 1 - (legend_lines(slide, legend) * LEGEND_ENTRY_IN + 0.15) / height  # of the plot's height, under it
    return all(t / max(totals) < room for t in covered)


def _legend_at(chart: Chart, box: Box, legend: float, top: float, lines: int) -> None:
    """The legend in the plot's top right corner, `legend` inches wide, one entry a row (`lines` in all)."""
    width, height = box.width / 914400, box.height / 914400
    node = chart._chartSpace.chart.find(qn("c:legend"))
    if node is None:
        return
    place = (
        1 - (legend + 0.25) / width,
        (top + 0.05) / height,
        legend / width,
        (lines * LEGEND_ENTRY_IN + 0.1) / height,
    )
    _place_legend(node, place)


def bar_range(slide: Slide, reach: float = 0.0) -> tuple[float, float, float]:
    """(low, high, major unit) of a bar chart's value axis: zero, every bar and `reach` inside, about eight 1-2-5
    ticks."""
    values = [v for s in slide.series for v in s.y if v is not None]
    low, high = min(0.0, reach, *values), max(0.0, reach, *values)
    raw = max((high - low) / 8, 1e-9)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    return math.floor(low / step) * step, math.ceil(high / step) * step, step


BAR_CORNERS = ("bottom right", "top right", "bottom left", "top left")
BAR_REACH = 0.5  # the value axis may reach this share of its span further to leave a corner free for the legend


def bar_legend_corner(slide: Slide, plot: Plot) -> tuple[Corner, tuple[float, float, float]] | None:
    """A corner of a bar chart's plot (`plot` inches) where its legend, one entry a row, covers no bar (each row
    taken whole, zero to its longest bar), and the value axis' range that leaves it free (reaching up to BAR_REACH
    of its span further); None where none is (the legend then goes on top)."""
    names = max(measure(s.name, LEGEND_PT) for s in slide.series) / 72
    width = (names + LEGEND_MARK_IN + LEGEND_PAD_IN) / plot.width_in
    height = (len(slide.series) * LEGEND_ENTRY_IN + LEGEND_PAD_IN) / plot.height_in
    count = len(slide.series[0].x)
    first = bar_range(slide)
    places = {
        "bottom right": (1 - KEY_INSET - width, 1 - KEY_INSET - height),
        "top right": (1 - KEY_INSET - width, KEY_INSET),
        "bottom left": (KEY_INSET, 1 - KEY_INSET - height),
        "top left": (KEY_INSET, KEY_INSET),
    }
    for name in BAR_CORNERS:
        left, top = places[name]
        rows = [i for i in range(count) if (i + 1) / count > top - KEY_CLEAR and i / count < top + height + KEY_CLEAR]
        bars = [v for s in slide.series for i in rows if (v := s.y[i]) is not None]
        reach, limit = 0.0, BAR_REACH * (first[1] - first[0])
        while True:
            low, high, step = bar_range(slide, reach)
            x0 = low + (left - KEY_CLEAR) * (high - low)
            x1 = low + (left + width + KEY_CLEAR) * (high - low)
            if not any(min(0.0, v) < x1 and max(0.0, v) > x0 for v in bars):
                return (left, top, width, height), (low, high, step)
            reach = (high + step) if name.endswith("right") else (low - step)
            if abs(reach - (first[1] if name.endswith("right") else first[0])) > limit:
                break
    return None


def _bar_layout(chart: Chart, slide: Slide, box: Box) -> None:
    """A bar chart's category names as large as fit, its plot beside them, its legend in a corner of the plot that
    no bar reaches (on top of the plot where none is free: that row took 0.35 in from the plot's height)."""
    count = len(slide.series[0].x) if slide.series else 0
    foot = BAR_FOOT_IN - BAR_TICKS_IN
    found = None
    for legend_on_top in (False, True) if chart.has_legend else (False,):
        size = bar_label_size(count, bar_plot_pt(box.height, legend_on_top))
        names = max((measure(str(x), size) for x in slide.series[0].x), default=0.0) if slide.series else 0.0
        left = names / 72 + BAR_NAME_PAD_IN
        top = BAR_TICKS_IN + (BAR_LEGEND_IN if legend_on_top else 0)
        plot = Plot(box.width / 914400 - left - BAR_RIGHT_IN, box.height / 914400 - top - foot)
        if not chart.has_legend or legend_on_top or (found := bar_legend_corner(slide, plot)) is not None:
            break
    chart.category_axis.tick_labels.font.size = Pt(size)
    value = chart.value_axis
    value.minimum_scale, value.maximum_scale, value.major_unit = found[1] if found else bar_range(slide)
    category_chart_layout(chart, box, (left, top, BAR_RIGHT_IN, foot), chart.has_legend and found is None)
    if found is not None:
        chart.legend.position = XL_LEGEND_POSITION.RIGHT
        _legend_in_plot(chart, box, plot, found[0], (left, top))


def category_chart_layout(
    chart: Chart, box: Box, margins: tuple[float, float, float, float], legend_on_top: bool
) -> None:
    """The plot of a bar or column chart `margins` (left, top, right, bottom; inches) inside its frame, and a
    legend on top in the row over it: left to itself, LibreOffice kept a fifth of the frame around the plot and
    left out every other country name."""
    width, height = box.width / 914400, box.height / 914400
    left, top, right, bottom = margins
    plot_area = chart._chartSpace.chart.plotArea
    _place_plot(plot_area, (left / width, top / height, 1 - (left + right) / width, 1 - (top + bottom) / height))
    legend = chart._chartSpace.chart.find(qn("c:legend"))
    if legend is not None and legend_on_top:
        _place_legend(legend, (0.2, 0.0, 0.78, BAR_LEGEND_IN / height))


def time_chart_layout(chart: Chart, box: Box, rows: int) -> None:
    """The plot and legend of a time chart where `plot_of` says, the legend `rows` high under the year labels."""
    width, height = box.width / 914400, box.height / 914400
    plot = plot_of(box, rows)
    x, y = PLOT_LEFT_IN / width, PLOT_TOP_IN / height
    plot_area = chart._chartSpace.chart.plotArea
    _place_plot(plot_area, (x, y, plot.width_in / width, plot.height_in / height))
    legend = chart._chartSpace.chart.find(qn("c:legend"))
    if legend is not None and rows:
        legend_h = rows * LEGEND_ROW_IN / height
        _place_legend(legend, (0.02, 1 - legend_h - 0.01, 0.96, legend_h))


def _legend_in_plot(
    chart: Chart, box: Box, plot: Plot, corner: Corner, origin: tuple[float, float] = (PLOT_LEFT_IN, PLOT_TOP_IN)
) -> None:
    """A chart's legend, one entry a row, in a corner of its plot (fractions of the plot, whose top left corner is
    `origin` inches into the frame), on white so the gridlines do not run through its names."""
    node = chart._chartSpace.chart.find(qn("c:legend"))
    if node is None:
        return
    left, top, width, height = corner
    frame_w, frame_h = box.width / 914400, box.height / 914400
    place = (
        (origin[0] + left * plot.width_in) / frame_w,
        (origin[1] + top * plot.height_in) / frame_h,
        width * plot.width_in / frame_w,
        height * plot.height_in / frame_h,
    )
    _place_legend(node, place)
    fill = node.makeelement(qn("c:spPr"), {})
    solid = fill.makeelement(qn("a:solidFill"), {})
    solid.append(solid.makeelement(qn("a:srgbClr"), {"val": theme.PAPER.lstrip("#").upper()}))
    fill.append(solid)
    text = node.find(qn("c:txPr"))
    if text is not None:
        text.addprevious(fill)
    else:
        node.append(fill)


def _cover(prs: PptxPresentation, deck: Deck) -> None:
    s = prs.slides.add_slide(prs.slide_layouts[LAYOUT_TITLE])
    # The default template's placeholders are laid out for a 4:3 slide: centred on the 16:9 slide instead.
    title, box = s.shapes.title, s.placeholders[1]
    title.left, title.top, title.width, title.height = MARGIN, Inches(1.6), WIDTH - 2 * MARGIN, Inches(1.6)
    box.left, box.top, box.width, box.height = MARGIN * 3, Inches(3.4), WIDTH - 6 * MARGIN, Inches(3.2)
    title.text = deck.title
    body = box.text_frame
    body.text = deck.selection
    for line in (deck.vintage, deck.link_line) if deck.link_line else (deck.vintage,):
        para = body.add_paragraph()
        para.text = line
    for para in body.paragraphs:
        para.font.size = Pt(16)
        para.font.color.rgb = MUTED
    s.notes_slide.notes_text_frame.text = deck.cover_notes()


def _storyline_slide(prs: PptxPresentation, deck: Deck, index: int, pages: int) -> None:
    slide = deck.slides[index]
    s = prs.slides.add_slide(prs.slide_layouts[LAYOUT_TITLE_ONLY])
    subtitle = deck.deck_subtitle(index)
    marks = slide_marks(slide, deck.milestones) if slide.milestones and slide.has_data else ()
    full = (milestone_key(marks, slide.milestones) if marks else slide.milestones) if slide.has_data else ""
    footnote = deck.footnote(index)
    layout = slide_layout(slide.title, slide.headline, slide.headline_label, subtitle, footnote)
    # The legend in a corner of the plot where one is free (else in rows under it), then the key of milestones in
    # another, naming each event where it fits, else by kind and month only (the events in the notes); under the
    # chart, by kind and month, where no corner is free (named, its five lines took a sixth of the plot's height).
    legend = legend_inside(slide, marks, layout.chart) if slide.has_data else None
    key, inside = full, None
    if full:
        for key in (full, milestone_key(marks, slide.milestones, named=False)) if marks else (full,):
            if (found := key_inside(slide, marks, layout.chart, key, legend)) is not None:
                inside = found[1]
                break
        # Where the legend's corner leaves the named key none, the key first and the legend in another corner.
        first = key_inside(slide, marks, layout.chart, full, None, True) if legend and key != full else None
        other = legend_inside(slide, marks, layout.chart, (first[0],)) if first else None
        if first and other:
            legend, key, inside = other, full, first[1]
        if inside is None:
            layout = slide_layout(slide.title, slide.headline, slide.headline_label, subtitle, footnote, key)
            legend = legend_inside(slide, marks, layout.chart)
    title = s.shapes.title
    box = layout.title
    title.left, title.top, title.width, title.height = box.left, box.top, box.width, box.height
    title.text = slide.title
    frame = title.text_frame
    frame.margin_left = frame.margin_right = INSET_H
    frame.margin_top = frame.margin_bottom = INSET_V
    para = frame.paragraphs[0]
    para.font.size, para.font.bold, para.font.color.rgb, para.alignment = (
        Pt(layout.title_pt),
        True,
        INK,
        PP_ALIGN.LEFT,
    )
    frame.vertical_anchor = MSO_ANCHOR.TOP
    number, label = layout.number, layout.label
    _text(
        s,
        number.left,
        number.top,
        number.width,
        number.height,
        unbroken(slide.headline),
        layout.number_pt,
        _rgb(slide.headline_colour),
        bold=True,
        anchor=MSO_ANCHOR.MIDDLE,
    )
    _text(
        s,
        label.left,
        label.top,
        label.width,
        label.height,
        unbroken(slide.headline_label),
        HEADLINE_LABEL_PT,
        INK,
        anchor=MSO_ANCHOR.MIDDLE,
    )
    sub = layout.subtitle
    _text(s, sub.left, sub.top, sub.width, sub.height, subtitle, layout.subtitle_pt, MUTED)
    chart = layout.chart
    if slide.has_data:
        add_chart(s, slide, chart, marks=marks, legend=legend)
        # Milestones: numbered lines on the chart, named with their events in a key inside the plot where a corner
        # is free of lines and labels (the dotted milestone lines run under it), else under the chart.
        k = inside or layout.key
        if k is not None:
            key_box = _text(s, k.left, k.top, k.width, k.height, key, NOTE_PT, INK)
            if inside is not None:
                key_box.fill.solid()
                key_box.fill.fore_color.rgb = _rgb(theme.PAPER)
    else:  # PowerPoint cannot hold a chart without points: say so where the chart would be
        _text(
            s,
            chart.left + SIDE,
            chart.top + chart.height // 3,
            chart.width - 2 * SIDE,
            Inches(1.0),
            f"No data for this selection: {slide.headline_label}.",
            20,
            MUTED,
        )
    foot = layout.source
    _text(s, foot.left, foot.top, foot.width, foot.height, footnote, fitted(footnote, SOURCE_SIZES), MUTED)
    page = layout.page
    number_box = _text(s, page.left, page.top, page.width, page.height, f"{index + 2} / {pages}", PAGE_PT, MUTED)
    number_box.text_frame.paragraphs[0].alignment = PP_ALIGN.RIGHT
    s.notes_slide.notes_text_frame.text = deck.notes(index) + (f"\n\n{full}" if full and key != full else "")


SOURCES_TITLE = "Sources"
SOURCES_PT = 14


def sources_pages(entries: tuple[str, ...]) -> list[list[str]]:
    """The deck's sources (full citation and licence), as many to a slide as its height holds at SOURCES_PT."""
    width = WIDTH - 2 * SIDE
    room = HEIGHT - TOP - text_height(1, TITLE_SIZES[0]) - Inches(0.5)
    pages: list[list[str]] = [[]]
    used = 0
    for entry in entries:
        height = text_height(lines_of(entry, width, SOURCES_PT), SOURCES_PT) + int(Pt(SOURCES_PT * 0.5))
        if pages[-1] and used + height > room:
            pages.append([])
            used = 0
        pages[-1].append(entry)
        used += height
    return pages if entries else []


def _sources_slide(prs: PptxPresentation, entries: list[str], title: str, number: int, pages: int) -> None:
    s = prs.slides.add_slide(prs.slide_layouts[LAYOUT_TITLE_ONLY])
    width = WIDTH - 2 * SIDE
    head = s.shapes.title
    head.left, head.top, head.width, head.height = SIDE, TOP, width, text_height(1, TITLE_SIZES[0])
    head.text = title
    frame = head.text_frame
    frame.margin_left = frame.margin_right = INSET_H
    frame.margin_top = frame.margin_bottom = INSET_V
    frame.vertical_anchor = MSO_ANCHOR.TOP
    para = frame.paragraphs[0]
    para.font.size, para.font.bold, para.font.color.rgb, para.alignment = (
        Pt(TITLE_SIZES[0]),
        True,
        INK,
        PP_ALIGN.LEFT,
    )
    top = head.top + head.height + Inches(0.1)
    body = _text(s, SIDE, top, width, HEIGHT - top - Inches(0.4), entries[0], SOURCES_PT, INK)
    for entry in entries[1:]:
        para = body.text_frame.add_paragraph()
        para.text = entry
        para.font.size, para.font.color.rgb = Pt(SOURCES_PT), INK
        para.space_before = Pt(SOURCES_PT * 0.5)
    page_h = text_height(1, PAGE_PT)
    box = _text(
        s, WIDTH - SIDE - PAGE_W, HEIGHT - Inches(0.04) - page_h, PAGE_W, page_h, f"{number} / {pages}", PAGE_PT, MUTED
    )
    box.text_frame.paragraphs[0].alignment = PP_ALIGN.RIGHT
    s.notes_slide.notes_text_frame.text = "\n\n".join(entries)


def deck_pptx(deck: Deck) -> bytes:
    """The deck as .pptx bytes (16:9)."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    prs.core_properties.title = deck.title
    prs.core_properties.subject = deck.selection
    prs.core_properties.comments = deck.link
    _cover(prs, deck)
    sources = sources_pages(deck.sources)
    pages = 1 + len(deck.slides) + len(sources)
    for index in range(len(deck.slides)):
        _storyline_slide(prs, deck, index, pages)
    for number, entries in enumerate(sources, start=len(deck.slides) + 2):
        title = SOURCES_TITLE if number == len(deck.slides) + 2 else f"{SOURCES_TITLE} (continued)"
        _sources_slide(prs, entries, title, number, pages)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
