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
    return {title: title || '', svg: box(gd.querySelector('.main-svg')), title_box: box(gd.querySelector('.g-gtitle')),
            legend: box(gd.querySelector('.legend')), plot: box(gd.querySelector('.nsewdrag')),
            texts: Array.from(gd.querySelectorAll('.infolayer .annotation-text')).map(
                el => ({text: el.textContent, box: box(el)})).filter(t => t.box)};
})"""

# Streamlit's headline numbers and labels whose text is wider than their box (drawn cut off, "14 count...").
CUT_OFF_TEXT = """() => Array.from(document.querySelectorAll(
      '[data-testid="stMetricValue"], [data-testid="stMetricValue"] *, [data-testid="stMetricLabel"] *'))
    .filter(el => el.scrollWidth > el.clientWidth + 1).map(el => el.textContent)"""

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
        for text in chart.get("texts", []):  # issue 12: a source line ran past the chart's right edge
            if svg and not _box(text["box"]).inside(svg):
                problems.append(f"{name}: text past the chart's edge: {text['text'][:60]!r}")
    return problems


def raw_missing_words(page) -> list[str]:
    """'None'/'nan' shown as text anywhere in the main area or sidebar."""
    text = page.locator('[data-testid="stAppViewContainer"]').inner_text()
    return sorted({m.group(0) for m in RAW_MISSING.finditer(text)})
