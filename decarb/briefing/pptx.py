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
from decarb.render.text import DECK_BOLD_EM, chars_fitting, text_width

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


# Font sizes by text length (characters), so an edited title or headline still fits its box (PowerPoint does not
# shrink text that python-pptx writes).
TITLE_SIZES = ((70, 30), (95, 24), (10_000, 20))
HEADLINE_SIZES = ((8, 48), (14, 40), (24, 30), (10_000, 22))
# The subtitle in two lines of 14 pt (about 125 characters a line), or three of 12 pt, or four of 11 pt (the steel
# slide with why its source) above the chart's legend.
SUBTITLE_SIZES = ((250, 14), (10_000, 12))
# The source footnote: three lines of 11 pt (about 136 characters a line beside the slide number), or four of 10
# pt (EDGAR's citation with its licence exception, 466 characters); it was 9 pt (12 px in a 1280 px wide image).
SOURCE_SIZES = ((10_000, 12),)
PAGE_PT = 12  # the slide number
# Projector-sized type (points) on the storyline slides: chart text, ticks, legend and axis titles, the subtitle.
CHART_PT, TICK_PT, SUBTITLE_PT, NOTE_PT = 18, 16, 14, 12
LEAST_PT = 12  # no text on a slide is smaller (the source lines were 7 pt on a rendered slide)
BAR_PLOT_PT = 220  # the height of a bar chart's plot on a storyline slide, in points (legend, ticks, axis title out)
PLOT_SHARE = 0.85  # of a chart frame's width that LibreOffice gives its plot (value axis labels and title left)
# The chart of a storyline slide (left, top, width, height), its height with a key of milestones under it, and the
# top of the source footnote.
CHART_FRAME = (Inches(4.1), Inches(1.75), WIDTH - Inches(4.1) - MARGIN, Inches(4.8))
MARKED_HEIGHT, FOOT_TOP = Inches(3.85), Inches(6.5)


SUBTITLE_TOP, SUBTITLE_GAP = Inches(1.12), Inches(0.08)


def subtitle_lines(text: str) -> int:
    """How many lines the subtitle takes across the slide at its size (characters of an average width)."""
    size = fitted(text, SUBTITLE_SIZES)
    per_line = chars_fitting((WIDTH - 2 * MARGIN) / 12700 - 14, size)  # less the box's inner margins (pt)
    return max(1, math.ceil(len(text) / max(per_line, 1)))


def chart_top(subtitle: str) -> int:
    """The top of a slide's chart: under the subtitle (1.2 line heights a line), never above CHART_FRAME's."""
    size = fitted(subtitle, SUBTITLE_SIZES)
    bottom = SUBTITLE_TOP + Pt(1.2 * size * subtitle_lines(subtitle)) + SUBTITLE_GAP
    return max(CHART_FRAME[1], int(bottom))


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


# The headline's box is 3.4 inches wide (230 pt inside its margins), its text bold (decarb.render.text).
HEADLINE_BOX_PT, BOLD_EM = 230, DECK_BOLD_EM


def headline_size(text: str) -> int:
    """The headline's size by its length (HEADLINE_SIZES), and small enough that its longest unbreakable run
    ("+220\u00a0Mt\u00a0CO2e") fits the box's width on one line; never below the smallest size."""
    longest = max((len(run) for run in unbroken(text).split(" ")), default=1)
    by_width = int(HEADLINE_BOX_PT / text_width(longest, 1, DECK_BOLD_EM))
    return max(min(fitted(text, HEADLINE_SIZES), by_width), HEADLINE_SIZES[-1][1])


LABEL_LINE = 1.25  # a category label's height, of its size, below which LibreOffice leaves out every other name


def bar_label_size(categories: int, plot_pt: float = BAR_PLOT_PT) -> int:
    """Category labels of a bar chart as large as fit one a bar (LibreOffice left out every other 16 pt name of
    16 countries): 16 pt, smaller where 16 would not fit the plot's height (`plot_pt`: a full frame's, less
    what a long subtitle takes)."""
    return max(LEAST_PT, min(TICK_PT, int(plot_pt / max(categories, 1) / LABEL_LINE)))


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


def chart_data(slide: Slide, marks: tuple[Mark, ...] = ()) -> CategoryChartData | XyChartData:
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
            low, high, _ = value_range(slide, marked=True)
            for number, mark in enumerate(marks, start=1):
                series = data.add_series(f"{MARK_PREFIX}{number}", number_format="0")
                for y in (low, high):
                    series.add_data_point(mark.x, y)
            series = data.add_series(TAGS_NAME, number_format="0")
            for tag in tags(marks, slide):
                series.add_data_point(tag.x, label_height(low, high))
        return data
    categories = CategoryChartData(number_format="#,##0.0" if slide.kind == BARS else "0")
    first = slide.series[0].x if slide.series else ()
    categories.categories = [neutralise(str(x)) for x in first]
    for s in slide.series:
        categories.add_series(neutralise(s.name), list(s.y))
    return categories


def _style_series(chart: object, slide: Slide, marks: tuple[Mark, ...] = ()) -> None:
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
        for point, tag in zip(numbers.points, tags(marks, slide), strict=False):
            label = point.data_label
            label.has_text_frame = True
            label.text_frame.text = tag.text
            label.position = XL_LABEL_POSITION.CENTER
            label.font.size, label.font.bold, label.font.color.rgb = Pt(TICK_PT), True, INK
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


def _axes(chart: object, slide: Slide, marks: tuple[Mark, ...] = ()) -> None:
    category, value = chart.category_axis, chart.value_axis  # type: ignore[attr-defined]
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
        # Every category named: a size that fits (bar_label_size), and no label left out (tickLblSkip 1).
        count = len(slide.series[0].x) if slide.series else 0
        category.tick_labels.font.size = Pt(bar_label_size(count))
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
        value.minimum_scale, value.maximum_scale, value.major_unit = value_range(slide, marked=True)


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

    def key(self, number: int) -> str:
        """ "3 Summit, LeadIT Summit 2021 (Nov 2021)", with no line break inside the number or the month."""
        return f"{number}\u00a0{self.word}, {self.short} ({self.date:%b}\u00a0{self.date.year})"


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
# chart one row of labels on white near the top of the plot gives each line its number, and lines too close for
# their own labels share one ("5\u20136": marks 5 to 6), so no label ever covers another. The pathway's 80-year
# axis puts all the milestones (2019-2024) in half an inch: one "1\u20139"; the membership axis has room for more.
CHAR_IN, PAD_IN, LABEL_GAP_IN = 0.14, 0.08, 0.06  # a 16 pt bold character, its white box's padding, the gap between
# Of the value axis range: the top margin, the row of 16 pt labels (1.6-inch plot), and the room kept between its
# foot and the highest value on a chart with markers (half an 11 pt diamond: the membership chart's counts).
LABEL_TOP, LABEL_ROW, LABEL_CLEAR = 0.02, 0.17, 0.06


@dataclass(frozen=True)
class Tag:
    """A number label on a marked chart: where it sits on the x axis, and its text ("3", or "5\u20137")."""

    x: float
    text: str


def label_height(low: float, high: float) -> float:
    """The centre of the row of number labels, near the top of the value axis."""
    return high - (LABEL_TOP + LABEL_ROW / 2) * (high - low)


def plot_width_in(chart_width_in: float = 0.0) -> float:
    """The width (inches) LibreOffice gives the plot of a storyline chart: ~85% of its frame (value axis labels
    and title on the left)."""
    return (chart_width_in or CHART_FRAME[2] / 914400) * PLOT_SHARE


def tags(marks: tuple[Mark, ...], slide: Slide) -> tuple[Tag, ...]:
    """The number labels of the marks (in date order, numbered from 1): one per mark, and one per run of marks
    whose labels would touch, centred on the run and kept inside the plot."""
    span = x_range(slide)
    if not marks or span is None:
        return ()
    first, last = span
    scale = plot_width_in() / (last - first)  # inches per axis unit
    runs = [[n] for n in range(1, len(marks) + 1)]

    def text(run: list[int]) -> str:
        return str(run[0]) if len(run) == 1 else f"{run[0]}\u2013{run[-1]}"

    def extent(run: list[int]) -> tuple[float, float, float]:
        centre = (marks[run[0] - 1].x + marks[run[-1] - 1].x) / 2
        half = (len(text(run)) * CHAR_IN + PAD_IN) / 2 / scale
        centre = min(max(centre, first + half), last - half)
        return centre - half, centre, centre + half

    while True:
        touching = next(
            (i for i in range(len(runs) - 1) if extent(runs[i])[2] + LABEL_GAP_IN / scale > extent(runs[i + 1])[0]),
            None,
        )
        if touching is None:
            return tuple(Tag(extent(run)[1], text(run)) for run in runs)
        runs[touching : touching + 2] = [runs[touching] + runs[touching + 1]]


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


def milestone_key(marks: tuple[Mark, ...], note: str) -> str:
    """The line under a marked chart naming each numbered line: number, kind, event in short, month; then what
    was not marked (the figure's note)."""
    named = "; ".join(m.key(n) for n, m in enumerate(marks, start=1))
    outside = note[note.index("Not marked") :] if "Not marked" in note else ""
    return " ".join(t for t in (f"LeadIT milestones (numbered dotted lines): {named}.", outside) if t)


def value_range(slide: Slide, marked: bool = False) -> tuple[float, float, float]:
    """(low, high, major unit) of the value axis, set on charts with milestones so their lines run its full
    height: from zero (or below it) to a tick above the largest value plus 8% and, `marked`, high enough that the
    row of number labels sits above every value; about four 1-2-5 ticks (LibreOffice left out every other 16 pt
    label of six on the chart's height)."""
    values = [y for s in slide.series for y in s.y if y is not None]
    top, bottom = max(values, default=1.0), min(0.0, min(values, default=0.0))
    needed = top * 1.08
    if marked:
        clear = LABEL_CLEAR if slide.kind == DATES else 0.0  # room for a marker (lines have none)
        below = LABEL_TOP + LABEL_ROW + clear  # of the range, from the top: the highest value's place
        needed = max(needed, (top - below * bottom) / (1 - below))
    raw = max((needed - bottom) / 4, 1e-9)
    power = 10 ** math.floor(math.log10(raw))
    step = min((m * power for m in (1, 2, 5, 10)), key=lambda s: abs(s - raw))
    return math.floor(bottom / step) * step, math.ceil(needed / step) * step, step


def add_chart(
    pptx_slide: PptxSlide, slide: Slide, left: int, top: int, width: int, height: int, marks: tuple[Mark, ...] = ()
) -> Chart:
    """A native chart of the slide's series (PowerPoint keeps the numbers in the chart's workbook), with the
    milestone marks as series of the chart itself."""
    # python-pptx 1.0.2's annotations of add_chart are off: it returns the GraphicFrame holding the chart (as its
    # docstring says: hence the cast), and takes any chart data, XyChartData too (annotated: ChartData only).
    shape = pptx_slide.shapes.add_chart(
        CHART_TYPES[slide.kind],
        Emu(left),
        Emu(top),
        Emu(width),
        Emu(height),
        chart_data(slide, marks),  # type: ignore[arg-type]
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
        # Under a time chart, one row (the membership chart's four series: two), so the legend never takes more
        # height than the plot (on top, at the frame's width less the axis titles, it took three rows).
        # Beside the columns where there are more than three (the plants' five technologies): on top, one a row,
        # they stood taller than the plot.
        chart.legend.position = (
            XL_LEGEND_POSITION.BOTTOM
            if slide.kind in (LINES, DATES)
            else XL_LEGEND_POSITION.RIGHT
            if slide.kind == STACKED and len(slide.series) > 3
            else XL_LEGEND_POSITION.TOP
        )
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(TICK_PT)
    if slide.kind == STACKED:
        chart.plots[0].overlap, chart.plots[0].gap_width = 100, 60
    if slide.kind == BARS:
        chart.plots[0].gap_width = 40
        if len(slide.series) > 1:
            chart.plots[0].overlap = 0
    _style_series(chart, slide, marks)
    _axes(chart, slide, marks)
    if slide.kind == BARS:  # a frame shorter than CHART_FRAME's (under a long subtitle) has less room a name
        plot_pt = BAR_PLOT_PT - (CHART_FRAME[3] - height) / 12700
        count = len(slide.series[0].x) if slide.series else 0
        chart.category_axis.tick_labels.font.size = Pt(bar_label_size(count, plot_pt))
    if slide.kind in (LINES, DATES):
        _time_chart_layout(chart, rows=1 if len(slide.series) <= 3 else 2)
    return chart


# A time chart's plot fills its frame (fractions of the frame: left, top, width, height of the axes' box), the
# value axis' labels and title on its left, the year labels and the legend in one row under it. Left to itself,
# LibreOffice gave the plot a third of the frame and the legend, one entry a row, more height than the plot.
PLOT_LAYOUT = (0.13, 0.03, 0.85, 0.68)
LEGEND_LAYOUT = (0.02, 0.9, 0.96, 0.1)
LEGEND_ROW = 0.09  # of the frame's height: one more row of legend (more than three series: two rows)


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


def _time_chart_layout(chart: Chart, rows: int = 1) -> None:
    """The plot and legend of a time chart where PLOT_LAYOUT and LEGEND_LAYOUT say, the legend `rows` high."""
    more = (rows - 1) * LEGEND_ROW
    x, y, w, h = PLOT_LAYOUT
    lx, ly, lw, lh = LEGEND_LAYOUT
    plot_area = chart._chartSpace.chart.plotArea
    for old in plot_area.findall(qn("c:layout")):
        plot_area.remove(old)
    plot_area.insert(0, _manual_layout(plot_area, (x, y, w, h - more), inner=True))
    legend = chart._chartSpace.chart.find(qn("c:legend"))
    if legend is not None:
        for old in legend.findall(qn("c:layout")):
            legend.remove(old)
        overlay = legend.find(qn("c:overlay"))
        layout = _manual_layout(legend, (lx, ly - more, lw, lh + more), inner=False)
        if overlay is not None:
            overlay.addprevious(layout)
        else:
            legend.append(layout)


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
    subtitle = deck.deck_subtitle(index)
    _text(s, MARGIN, SUBTITLE_TOP, WIDTH - 2 * MARGIN, Inches(0.6), subtitle, fitted(subtitle, SUBTITLE_SIZES), MUTED)
    _text(
        s,
        MARGIN,
        Inches(2.0),
        Inches(3.4),
        Inches(1.3),
        unbroken(slide.headline),
        headline_size(slide.headline),
        _rgb(slide.headline_colour),
        bold=True,
        anchor=MSO_ANCHOR.BOTTOM,
    )
    _text(s, MARGIN, Inches(3.35), Inches(3.4), Inches(2.6), unbroken(slide.headline_label), 18, INK)
    if slide.has_data:
        # Milestones: numbered lines on the chart, named with their events in a key under a shorter chart.
        # A subtitle of three or four lines pushes the chart down (its legend or top tick ran into the subtitle).
        top = chart_top(subtitle)
        chart_height = (MARKED_HEIGHT if slide.milestones else CHART_FRAME[3]) - (top - CHART_FRAME[1])
        marks = slide_marks(slide, deck.milestones) if slide.milestones else ()
        add_chart(s, slide, CHART_FRAME[0], top, CHART_FRAME[2], chart_height, marks=marks)
        if slide.milestones:
            _text(  # the slide's whole width: at 12 pt in the chart's width the key ran into the source line
                s,
                MARGIN,
                top + chart_height + Inches(0.05),
                WIDTH - 2 * MARGIN,
                FOOT_TOP - top - chart_height - Inches(0.05),
                milestone_key(marks, slide.milestones) if marks else slide.milestones,
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
    source_pt = fitted(slide.source_line, SOURCE_SIZES)
    _text(s, MARGIN, FOOT_TOP, WIDTH - 2 * MARGIN - Inches(0.9), HEIGHT - FOOT_TOP, slide.source_line, source_pt, MUTED)
    _text(
        s,
        WIDTH - MARGIN - Inches(0.8),
        Inches(6.9),
        Inches(0.8),
        Inches(0.4),
        f"{index + 2} / {len(deck.slides) + 1}",
        PAGE_PT,
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
