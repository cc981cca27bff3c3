"""The selection model: the global view every page, slide and briefing pack shows, its controls and its URL codec.

One definition for the sidebar (decarb/ui/controls.py), the storyline (presentation mode) and the command line
(decarb/briefing): the same keys, options, defaults and member rule, and a notice rather than an error for a value
in a link that cannot be used.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from decarb.contract import (
    CEMENT,
    DEFAULT_BASE_YEAR,
    DEFAULT_TARGET_YEAR,
    EMISSION_SOURCES,
    HEAVY_INDUSTRY,
    INDUSTRIES,
    INDUSTRY_SOURCES,
    SECTOR_BY_CODE,
    SOURCE_LABELS,
    TOTAL,
    sectors_for,
)
from decarb.data import Dataset
from decarb.params import Choice
from decarb.selection import AreaSet, area_set, listed_members

TARGET_YEARS: tuple[int, ...] = (2040, 2045, 2050, 2055, 2060, 2065, 2070)
MIN_HISTORY = 5  # years between the base year and the latest year, at least
MEMBER_DEFINITIONS: dict[str, str] = {
    "confirmed": "Today's confirmed members, for every year",
    "with_unverified": "Today's members incl. unverified, for every year",
    "joined": "Members that had joined by the latest year",
}
DEFAULT_MEMBER_DEFINITION = "confirmed"
# The same, short enough for the sidebar's select box (the long forms were cut off there).
MEMBER_DEFINITION_OPTIONS: dict[str, str] = {
    "confirmed": "Confirmed, every year",
    "with_unverified": "Incl. unverified, every year",
    "joined": "Joined by the latest year",
}


@dataclass(frozen=True)
class View:
    """The global selection, shared by every page (and in every page's URL)."""

    source: str = EMISSION_SOURCES[0]
    base_year: int = DEFAULT_BASE_YEAR
    target_year: int = DEFAULT_TARGET_YEAR
    members: str = DEFAULT_MEMBER_DEFINITION
    milestones: bool = True  # LeadIT milestones and join dates marked on time charts

    @property
    def source_label(self) -> str:
        return SOURCE_LABELS.get(self.source, self.source)


def source_years(ds: Dataset) -> dict[str, tuple[int, int]]:
    """First and last year each emission source reports."""
    em = ds.emissions
    out = {}
    for source in EMISSION_SOURCES:
        years = em.loc[em["source"] == source, "year"]
        if len(years):
            out[source] = (int(years.min()), int(years.max()))
    return out


def source_note(source: str, years: Mapping[str, tuple[int, int]]) -> str:
    """In words, under the source control: what a source without a heavy-industry total does have (empty for the
    others), so that its figures are never read as heavy industry."""
    if sectors_for(HEAVY_INDUSTRY, source):
        return ""
    has = [
        SECTOR_BY_CODE[code].label[:1].lower() + SECTOR_BY_CODE[code].label[1:]
        for code in (TOTAL, CEMENT)
        if sectors_for(code, source)
    ]
    first, last = years.get(source, (None, None))
    span = f", {first}-{last}" if first is not None else ""
    return (
        f"{SOURCE_LABELS.get(source, source)} has no heavy-industry total (it does not split industry's fuel from "
        f"other sectors'): it has {' and '.join(has)}{span}. The pages show that, and say so."
    )


def base_year_options(first: int, last: int) -> list[int]:
    """Base years that leave at least MIN_HISTORY years of observations after them (from 1990 at most)."""
    start = max(first, 1990)
    return list(range(start, max(start, last - MIN_HISTORY) + 1))


def default_base_year(options: list[int]) -> int:
    return DEFAULT_BASE_YEAR if DEFAULT_BASE_YEAR in options else options[0]


def source_choice(years: Mapping[str, tuple[int, int]]) -> Choice:
    """The global source control (URL key `source`); `years` from source_years()."""
    sources = tuple(years)
    return Choice(
        "source",
        "Emissions source",
        sources,
        sources[0],
        SOURCE_LABELS,
        help="Dataset for every emissions figure. Sources differ in sectors and years.",
    )


def period_choices(years: Mapping[str, tuple[int, int]], source: str) -> tuple[Choice, Choice, Choice]:
    """The other global controls for a chosen source: base year, target year, member definition."""
    base_options = base_year_options(*years[source])
    return (
        Choice(
            "base",
            "Base year",
            tuple(str(y) for y in base_options),
            str(default_base_year(base_options)),
            help="Changes and pathways start from this year.",
        ),
        Choice(
            "target",
            "Net-zero target year",
            tuple(str(y) for y in TARGET_YEARS),
            str(DEFAULT_TARGET_YEAR),
            help="Year the pathways reach net zero.",
        ),
        Choice(
            "members",
            "Member definition",
            tuple(MEMBER_DEFINITIONS),
            DEFAULT_MEMBER_DEFINITION,
            MEMBER_DEFINITION_OPTIONS,
            help="Which countries count as LeadIT members in group figures. "
            + "; ".join(f"**{MEMBER_DEFINITION_OPTIONS[k]}**: {v.lower()}" for k, v in MEMBER_DEFINITIONS.items())
            + ".",
        ),
    )


MILESTONES_SHOWN = {"show": "Shown", "hide": "Hidden"}


def milestone_choice() -> Choice:
    """The global control that shows or hides LeadIT's milestones on time charts (URL key `milestones`)."""
    return Choice(
        "milestones",
        "LeadIT milestones",
        tuple(MILESTONES_SHOWN),
        "show",
        MILESTONES_SHOWN,
        help="Dotted lines with a short label at LeadIT's launch, summits and member announcements on "
        "every time chart of members, and a star at each member country's join year.",
    )


# --- Industries on the pages of the global source (Countries, Progress) ---
def industry_source_choice() -> Choice:
    """The source of an industry the global source does not split out (URL key `industry_source`, the same
    control and values as on the Industries page)."""
    return Choice(
        "industry_source",
        "Industry source",
        INDUSTRY_SOURCES,
        INDUSTRY_SOURCES[0],
        SOURCE_LABELS,
        help="Climate TRACE: independent estimates, most countries. UNFCCC: the Annex I "
        "parties' own inventories, split into fuel and process.",
    )


def with_industries(sectors: Sequence[str]) -> tuple[str, ...]:
    """A source's sector options, then the industries it does not answer (an industry source answers them)."""
    return (*sectors, *(code for code in INDUSTRIES if code not in sectors))


def needs_industry_source(view: View, sectors: Sequence[str]) -> bool:
    """Whether any of `sectors` is an industry the view's source cannot answer."""
    return any(code in INDUSTRIES and not sectors_for(code, view.source) for code in sectors)


def industry_fallback(view: View, sectors: Sequence[str], industry_source: str) -> str | None:
    """In words, which of `sectors` the industry source answers because the view's source does not (None: none)."""
    lacking = [SECTOR_BY_CODE[code].label for code in sectors if needs_industry_source(view, (code,))]
    if not lacking:
        return None
    return (
        f"{view.source_label} does not split heavy industry by industry: {', '.join(lacking)} "
        f"from {SOURCE_LABELS[industry_source]}."
    )


def sector_view(view: View, sector: str, industry_source: str) -> tuple[View, str | None]:
    """The view whose source answers `sector`: the view itself where its source reports it, else (an industry)
    the view with the industry source, and that fallback in words."""
    if not needs_industry_source(view, (sector,)):
        return view, None
    return replace(view, source=industry_source), industry_fallback(view, (sector,), industry_source)


def _latest_year(ds: Dataset, source: str) -> int:
    em = ds.emissions
    return int(em.loc[em["source"] == source, "year"].max())


def member_rule(ds: Dataset, view: View) -> dict[str, Any]:
    """The view's member definition as the arguments of decarb.selection's member functions."""
    if view.members == "with_unverified":
        return {"include_unverified": True}
    if view.members == "joined":
        # The source's own latest year: the Industries page passes an industry source, which is not a global one.
        return {"as_of_year": ds.derived(_latest_year, view.source), "backcast": False}
    return {}


def member_view(view: View) -> View:
    """The part of the view that decides who the members are (member_rule): the member definition, and the
    source only where the definition counts members by the source's latest year ("joined"); the rest at its
    defaults. Results that depend on nothing else, keyed on it, are shared by every base year, target year,
    source and milestone setting."""
    return View(members=view.members, source=view.source if view.members == "joined" else View().source)


def members_set(ds: Dataset, view: View) -> AreaSet:
    """The member countries under the view's member definition."""
    return area_set(ds, "members", **member_rule(ds, view))


def member_tally(ds: Dataset, view: View) -> tuple[int, int, str]:
    """Member countries and companies under the view's member definition, counted by one rule, and the rule in
    words (shown under the tiles that count them)."""
    rule = member_rule(ds, view)
    countries = len(listed_members(ds.members, "country", **rule))
    companies = len(listed_members(ds.members, "company", **rule))
    if view.members == "with_unverified":
        words = "every listed member, confirmed or unverified"
    elif view.members == "joined":
        words = f"confirmed members that had joined by 31 December {rule['as_of_year']} (join date known)"
    else:
        words = "confirmed members (unverified ones left out)"
    return countries, companies, f"Countries and companies counted alike: {words}, as the member definition says."


# --- The view in a link (the app binds these in its entrypoint; the storyline and the command line read them) ---


def decode_view(ds: Dataset, params: Mapping[str, str | Sequence[str]]) -> tuple[View, list[str]]:
    """The View in URL parameters, read with the global controls' choices: same keys, options, defaults, and a
    notice rather than an error for a bad value."""
    years = source_years(ds)
    notices: list[str] = []

    def pick(choice: Choice) -> str:
        value, notice = choice.parse(params.get(choice.key))
        if notice:
            notices.append(notice)
        return str(value)

    source = pick(source_choice(years))
    base, target, members = (pick(choice) for choice in period_choices(years, source))
    marks = pick(milestone_choice()) == "show"
    return View(source=source, base_year=int(base), target_year=int(target), members=members, milestones=marks), notices


def encode_view(ds: Dataset, view: View) -> dict[str, str]:
    """URL parameters of a View, defaults left out (as the app writes them)."""
    years = source_years(ds)
    values = (
        view.source,
        str(view.base_year),
        str(view.target_year),
        view.members,
        "show" if view.milestones else "hide",
    )
    choices = (source_choice(years), *period_choices(years, view.source), milestone_choice())
    encoded_values = {choice.key: choice.encode(value) for choice, value in zip(choices, values, strict=True)}
    return {key: text for key, text in encoded_values.items() if text is not None}
