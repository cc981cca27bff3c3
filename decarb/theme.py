"""The one chart theme: colours and the font family for the pages (as plotly templates "decarb" and "slide":
decarb.render.templates, which holds the sizes), the offline HTML and the PowerPoint deck. No other module spells
a colour.

Colours are Okabe-Ito hues (distinguishable with the common colour-vision deficiencies), darkened where
needed so each keeps at least 3:1 contrast against both the light and the dark background.
"""

from __future__ import annotations

from decarb.metrics import NOT_ASSESSED, OFF_TRACK, ON_TRACK, WELL_OFF_TRACK, WRONG_DIRECTION

# --- Palette ---------------------------------------------------------------------------------------------------
MEMBER = "#0072B2"  # blue: LeadIT members wherever a colour stands for a group
WORLD = "#D55E00"  # vermillion
NON_MEMBER = "#888888"  # grey
PATHWAY = "#009E73"  # green: the straight line to net zero on a slide
PROJECTION = "#AA7A00"  # ochre: the current trend on a slide
PALETTE: tuple[str, ...] = (MEMBER, WORLD, PATHWAY, "#CC79A7", PROJECTION, "#7F7F7F")
# A member's join star: filled (confirmed) or open (unverified), in a gold that keeps 3:1 on both backgrounds
# (black read as an outline on the dark background, which the caption defines as "unverified").
JOIN_STAR = "#B58900"
SYMBOLS: tuple[str, ...] = ("circle", "square", "diamond", "triangle-up", "x", "star")
# Colour scale for change since the base year: purple is a fall, vermillion a rise, light grey no change. Not
# blue: on the same pages blue means "LeadIT member" (the change map outlines members in blue).
FALL = "#8E5BB5"  # >= 3:1 on both backgrounds, apart from vermillion for the common colour-vision deficiencies
RISE = WORLD
DIVERGING: tuple[tuple[float, str], ...] = ((0.0, FALL), (0.5, "#E8E8E8"), (1.0, RISE))
DIVERGING_WORDS = "purple: fall, vermillion: rise"
BACKGROUNDS = {"light": "#FFFFFF", "dark": "#0E1117"}  # Streamlit's default backgrounds
FOCUS = MEMBER  # the keyboard focus ring on the pages: 5.2:1 on the light background, 3.6:1 on the dark
STATUS_COLOURS = {  # progress status -> colour; the status text is always shown too
    ON_TRACK: PATHWAY,
    OFF_TRACK: PROJECTION,
    WELL_OFF_TRACK: "#A25EBF",  # purple and red: ochre beside vermillion reads as one colour
    WRONG_DIRECTION: "#D0312D",
    NOT_ASSESSED: NON_MEMBER,
}
# One colour per technology (decarb.theme's palette): the coal route warm, the near-zero-capable routes green and
# pink, the rest greys; "other/unspecified" is hatched so it never reads as open hearth.
TECHNOLOGY_COLOURS: dict[str, str] = {
    "bf": WORLD,
    "bof": PROJECTION,
    "eaf": PATHWAY,
    "dri": PALETTE[3],
    "ohf": PALETTE[5],
    "other": NON_MEMBER,
}
# Maps: land without data, country borders, non-member outlines.
LAND = "#DDDDDD"
BORDER = "#444444"
OUTLINE = "#BBBBBB"
# Text and rules of the slides, the offline HTML and the PowerPoint deck (light background only).
PAPER = "#FFFFFF"
INK = "#222222"
MUTED = "#555555"
FAINT = "#777777"
ACCENT = MEMBER  # a slide's headline number (Present, the offline HTML and the deck); a rise takes RISE instead
GRID = "#E5E5E5"
ZERO_LINE = NON_MEMBER

FONT = "sans-serif"  # the browser's own sans-serif: no web font is fetched


def colour_for(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


# The parts of a stacked chart (a sector breakdown has up to 11): the palette, then six more hues, each at least
# 3:1 on both backgrounds; beyond them a part repeats a colour only with a hatch pattern, never a plain fill.
PARTS: tuple[str, ...] = (*PALETTE, FALL, "#B5525C", "#6B8E23", "#1F8A8A", "#9C6B4E", "#C2418F")
PART_PATTERNS: tuple[str, ...] = ("", "/", "x", ".", "\\", "+", "-", "|")


def part_style(index: int) -> tuple[str, str]:
    """(fill colour, hatch pattern or "") of the index-th part of a stacked chart: no two parts alike."""
    return PARTS[index % len(PARTS)], PART_PATTERNS[(index // len(PARTS)) % len(PART_PATTERNS)]


def contrast_ratio(colour: str, background: str) -> float:
    """WCAG 2 contrast ratio between two #RRGGBB colours."""

    def luminance(hex_colour: str) -> float:
        value = hex_colour.lstrip("#")
        channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    high, low = sorted((luminance(colour), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)
