"""Kept only for bench/load.py and bench/briefing.py, which this branch does not edit: the names they import,
from their new places (the selection model decarb.view, the Progress screen). Delete once bench/ imports those."""

from decarb.screens.progress import AREA_FILTERS
from decarb.view import MEMBER_DEFINITIONS, TARGET_YEARS, View

__all__ = ["AREA_FILTERS", "MEMBER_DEFINITIONS", "TARGET_YEARS", "View"]
