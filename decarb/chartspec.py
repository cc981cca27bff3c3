"""What a chart says, without a pixel: its texts, axes, where its legend belongs and how prominent it is. The
domain side (decarb.charts, the screens) fills these in; the rendering layer (decarb.render) decides every size."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Any

import pandas as pd


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


class ChartKind(enum.Enum):
    """What a chart draws: decarb.render.draw has one builder for each."""

    LINES = "lines"
    AREAS = "stacked areas"
    RANKING = "ranking bars"
    WORLD_MAP = "world map"
    CATEGORY_MAP = "category map"
    RATES = "rate dots"
    TIMELINE = "timeline"
    CAPACITY = "capacity bars"
    DUE = "due bars"
    RATIOS = "ratio lines"
    PLANT_MAP = "plant map"


@dataclass(frozen=True, eq=False)
class ChartSpec:
    """A chart to draw, without a pixel: its kind, exactly the data it plots (the table view and the CSV), the
    builder's words and choices (`options`: title, subtitle, axis titles, colours by series, years shown), the
    milestones and join stars to mark (data: decarb.milestones' frames), and sentences its text equivalent adds.
    The screens make these; the rendering layer draws them (decarb.render.draw)."""

    kind: ChartKind
    data: pd.DataFrame
    options: Mapping[str, Any]
    milestones: pd.DataFrame | None = None
    join_stars: pd.DataFrame | None = None
    notes: tuple[str, ...] = ()

    def noted(self, *notes: str) -> ChartSpec:
        """The same chart with sentences added to its text equivalent (empty ones left out)."""
        return replace(self, notes=(*self.notes, *(n for n in notes if n)))


def chart_spec(kind: ChartKind, data: pd.DataFrame, **options: Any) -> ChartSpec:
    """A ChartSpec of `kind` whose builder gets `data` and these keywords (read-only: a spec is shared)."""
    return ChartSpec(kind, data, MappingProxyType(options))
