"""What a chart says, without a pixel: its texts, axes, where its legend belongs and how prominent it is. The
domain side (decarb.charts, the screens) fills these in; the rendering layer (decarb.render) decides every size."""

from __future__ import annotations

import enum
from dataclasses import dataclass


@dataclass(frozen=True)
class ChartText:
    """The words around a chart: on the page the title and subtitle are HTML above it; the exported image carries
    all of them."""

    title: str
    subtitle: str = ""
    source: str = ""
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Axes:
    x_title: str | None = None
    y_title: str | None = None
    x_format: str | None = None  # a d3 format, e.g. "d" for years without a thousands separator
    x_range: tuple[int, int] | None = None  # the x axis's first and last value; None: the data's


class LegendPlace(enum.Enum):
    """ABOVE: under the subtitle, above the plot; UNDER: under the source line (many entries); NONE: no legend."""

    ABOVE = "above"
    UNDER = "under"
    NONE = "none"


class Size(enum.Enum):
    """How much room a chart gets: a page's lead chart is drawn taller than the others."""

    NORMAL = "normal"
    FEATURE = "feature"


@dataclass(frozen=True)
class Rows:
    """A chart of one row per category (bars, dots), as tall as its rows need: `lines` a label's lines; `spaced`
    a blank line between two rows (dots, whose rows would otherwise read as one)."""

    count: int
    lines: int = 1
    spaced: bool = False
