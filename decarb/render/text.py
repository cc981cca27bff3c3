"""Text widths, estimated before anything is drawn: one rule for every layout that must fit text in advance (a
chart's wrapped titles and legend rows, milestone labels in one row, a deck's headline box)."""

from __future__ import annotations

# The browser's sans-serif, as plotly draws chart text: measured 0.45-0.49 em a character on average for the
# titles, subtitles and source lines, rounded up.
SANS_EM = 0.55
# DejaVu Sans Bold, LibreOffice's stand-in for Calibri in the deck: "+220 Mt CO2e" measures 0.67 em a character.
DECK_BOLD_EM = 0.7


def text_width(chars: str | int, font_size: float, em: float = SANS_EM) -> float:
    """The width of a text (or of so many characters) at a font size, in the size's unit (px or pt)."""
    return (chars if isinstance(chars, int) else len(chars)) * font_size * em


def chars_fitting(width: float, font_size: float, em: float = SANS_EM) -> int:
    """How many characters fit a width at a font size."""
    return int(width // (font_size * em))
