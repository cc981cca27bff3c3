"""What a person sees, as numbers: bounding boxes of chart parts and texts in the real browser, and visible text.

Pure helpers over a Playwright page; the journeys assert on what they return.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SIZES = {"1920x1080": (1920, 1080), "1280x800": (1280, 800), "390x844": (390, 844)}
THEMES = ("light", "dark")

# One record per plotly chart: [left, top, right, bottom] of its svg, title, legend and plot area (None if absent),
# and each annotation's text (source line, milestone labels) with its box.
CHART_BOXES = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(gd => {
    const box = el => { if (!el) return null; const r = el.getBoundingClientRect();
                        return r.width && r.height ? [r.left, r.top, r.right, r.bottom] : null; };
    const title = gd.layout.title && gd.layout.title.text;
    const holder = gd.closest('.stElementContainer');  // its heading is the element before it (ui.chart)
    const before = holder && holder.previousElementSibling;
    const head = before && before.querySelector('.chart-head');
    const after = holder && holder.nextElementSibling;
    return {title: title || '', svg: box(gd.querySelector('.main-svg')), title_box: box(gd.querySelector('.g-gtitle')),
            head: box(head), head_cut: head ? head.scrollWidth > head.clientWidth + 1 : false,
            next_top: after ? after.getBoundingClientRect().top : null,
            legend: box(gd.querySelector('.legend')), plot: box(gd.querySelector('.nsewdrag')),
            legend_shown: box(gd.querySelector('.legend .bg')),  // a legend that scrolls: its visible part
            legend_texts: Array.from(gd.querySelectorAll('.legend .legendtext')).map(box).filter(b => b),
            axis_titles: Array.from(gd.querySelectorAll('.g-xtitle text, .g-ytitle text')).map(
                el => ({text: el.textContent, box: box(el)})).filter(t => t.box),
            modebar: box(gd.querySelector('.modebar')), phone: window.innerWidth <= 640,
            marks: Array.from(gd.querySelectorAll('.infolayer .annotation'))
                .filter(a => a.querySelector('.annotation-arrow-g'))
                .map(a => box(a.querySelector('.annotation-text'))).filter(b => b),
            texts: Array.from(gd.querySelectorAll('.infolayer .annotation-text')).map(
                el => ({text: el.textContent, box: box(el)})).filter(t => t.box)};
})"""

# Streamlit's headline numbers and labels whose text is wider than their box (drawn cut off, "14 count...").
CUT_OFF_TEXT = """() => Array.from(document.querySelectorAll(
      '[data-testid="stMetricValue"], [data-testid="stMetricValue"] *, [data-testid="stMetricLabel"] *'))
    .filter(el => el.scrollWidth > el.clientWidth + 1).map(el => el.textContent)"""

# Multiselects whose chosen chips run past their box (one line scrolled sideways: the country picker showed 4-9 of
# its 14 default chips, issue 11 item 11): their label and how many chips they hold.
HIDDEN_CHIPS = """() => Array.from(document.querySelectorAll('[data-testid="stMultiSelectTagsContainer"]'))
    .filter(el => el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1)
    .map(el => el.closest('[data-testid="stMultiSelect"]').innerText.split('\\n')[0])"""

# Room under a legend that is under its chart, to what follows: a phone's rows were kept empty on every screen
# (350 px under the Countries chart of the 16 members at 1920x1080); one spare row and the gaps are fine.
EMPTY_FOOT_PX = 110

# Room between a legend above the plot and the plot that no milestone label uses: a phone's legend rows kept
# empty on every screen left 95 px under the Steel page's capacity legend at 1920x1080. Milestone labels add
# their leader lines and the gaps between their rows.
EMPTY_BAND_PX = 40
LABELS_EXTRA_PX = 20

# Words that mean a value went missing on its way to the screen (never a word an analyst should read).
RAW_MISSING = re.compile(r"(?<![\w-])(None|nan|NaN)(?![\w-])")


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float

    def overlaps(self, other: Box, tolerance: float = 1.0) -> bool:
        return (
            min(self.right, other.right) - max(self.left, other.left) > tolerance
            and min(self.bottom, other.bottom) - max(self.top, other.top) > tolerance
        )

    def inside(self, other: Box, tolerance: float = 1.0) -> bool:
        return (
            self.left >= other.left - tolerance
            and self.right <= other.right + tolerance
            and self.top >= other.top - tolerance
            and self.bottom <= other.bottom + tolerance
        )


def _box(values: list[float] | None) -> Box | None:
    return Box(*values) if values else None


def chart_problems(page) -> list[str]:
    """Legends over a title or plot area, and titles and texts (source lines, labels) wider than their chart, on
    every chart of the page."""
    problems = []
    for chart in page.evaluate(CHART_BOXES):
        name = re.sub(r"</?b>", "", chart["title"]).split("<br>")[0][:60] or "untitled chart"
        svg, title, legend, plot = (_box(chart[k]) for k in ("svg", "title_box", "legend", "plot"))
        if legend and title and legend.overlaps(title):
            problems.append(f"{name}: legend over the title")
        if legend and plot and legend.overlaps(plot):
            problems.append(f"{name}: legend over the plot area")
        if title and svg and not title.inside(svg):
            problems.append(f"{name}: title wider than the chart")
        head = _box(chart.get("head"))  # the page's HTML title and subtitle (decarb.ui.widgets.heading_html)
        if head and legend and head.overlaps(legend):
            problems.append(f"{name}: heading over the legend")
        if head and plot and head.overlaps(plot):
            problems.append(f"{name}: heading over the plot area")
        if head and svg and (head.right > svg.right + 1 or chart.get("head_cut")):
            problems.append(f"{name}: heading wider than the chart")
        next_top = chart.get("next_top")
        under = legend and plot and next_top is not None and legend.top > plot.bottom  # a legend under the chart
        if under and next_top - legend.bottom > EMPTY_FOOT_PX:
            problems.append(f"{name}: {next_top - legend.bottom:.0f} px empty under the legend")
        if legend and plot and legend.bottom <= plot.top:  # a legend above the plot
            marks = [_box(m) for m in chart.get("marks", [])]
            labels = max(m.bottom for m in marks) - min(m.top for m in marks) if marks else 0
            if plot.top - legend.bottom - labels > EMPTY_BAND_PX + (LABELS_EXTRA_PX if marks else 0):
                problems.append(f"{name}: {plot.top - legend.bottom - labels:.0f} px empty between legend and plot")
        modebar = _box(chart.get("modebar"))
        if chart.get("phone") and head and modebar and modebar.overlaps(head):  # a tap shows it there
            problems.append(f"{name}: modebar over the heading")
        shown = _box(chart.get("legend_shown"))
        if chart.get("phone") and shown and plot and shown.bottom - shown.top > plot.bottom - plot.top:
            problems.append(
                f"{name}: legend {shown.bottom - shown.top:.0f} px high over a {plot.bottom - plot.top:.0f} px plot"
            )
        for text in chart.get("axis_titles", []):  # Present's x axis title ran off a phone's right edge
            if svg and not _box(text["box"]).inside(svg):
                problems.append(f"{name}: axis title past the chart's edge: {text['text'][:60]!r}")
        for entry in chart.get("legend_texts", []):  # sideways only: a scrolling legend's rows run below
            if svg and entry[2] > svg.right + 1:
                problems.append(f"{name}: legend entry past the chart's right edge")
        for text in chart.get("texts", []):  # issue 12: a source line ran past the chart's right edge
            if svg and not _box(text["box"]).inside(svg):
                problems.append(f"{name}: text past the chart's edge: {text['text'][:60]!r}")
    return problems


def raw_missing_words(page) -> list[str]:
    """'None'/'nan' shown as text anywhere in the main area or sidebar."""
    text = page.locator('[data-testid="stAppViewContainer"]').inner_text()
    return sorted({m.group(0) for m in RAW_MISSING.finditer(text)})


# The computed fill and size of each chart's muted texts (ticks, subtitle, axis titles, source line), and the page's
# background behind them (issue 11 item 10: 12 px grey ticks read at 3.7:1 on a projector).
CHART_TEXT_STYLES = """() => {
    const bg = getComputedStyle(document.querySelector('[data-testid="stApp"]')).backgroundColor;
    const parts = {tick: '.xtick text', ytick: '.ytick text', subtitle: '.gtitle-subtitle', axis: '.g-xtitle text',
                   source: '.annotation-text'};
    return Array.from(document.querySelectorAll('.js-plotly-plot')).map(gd => {
        const out = {title: (gd.layout.title && gd.layout.title.text) || '', background: bg};
        for (const [name, sel] of Object.entries(parts)) {
            const el = gd.querySelector('.main-svg ' + sel);
            if (el) { const c = getComputedStyle(el); out[name] = {fill: c.fill, size: parseFloat(c.fontSize)}; }
        }
        return out;
    });
}"""


def css_colour(text: str, background: tuple[float, float, float] | None = None) -> tuple[float, float, float]:
    """A computed CSS colour ("rgb(r, g, b)", "rgba(...)" or "color(srgb r g b / a)") as 0-255 channels, laid over
    `background` where it is translucent."""
    numbers = [float(n) for n in re.findall(r"[\d.]+", text)]
    if text.startswith("color("):
        channels, alpha = [n * 255 for n in numbers[:3]], numbers[3] if len(numbers) > 3 else 1.0
    else:
        channels, alpha = numbers[:3], numbers[3] if len(numbers) > 3 else 1.0
    if background is None or alpha >= 1:
        return (channels[0], channels[1], channels[2])
    return tuple(alpha * c + (1 - alpha) * b for c, b in zip(channels, background, strict=True))  # type: ignore[return-value]


def hex_colour(channels: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(c):02X}" for c in channels)


def text_contrasts(page) -> list[tuple[str, str, float, float]]:
    """(chart title, part, contrast ratio against the page background, font px) for each chart's muted texts."""
    from decarb.theme import contrast_ratio

    out = []
    for chart in page.evaluate(CHART_TEXT_STYLES):
        background = css_colour(chart["background"])
        name = re.sub(r"</?b>", "", chart["title"]).split("<br>")[0][:40]
        for part in ("tick", "ytick", "subtitle", "axis", "source"):
            if part in chart:
                fill = css_colour(chart[part]["fill"], background)
                ratio = contrast_ratio(hex_colour(fill), hex_colour(background))
                out.append((name, part, round(ratio, 2), chart[part]["size"]))
    return out
