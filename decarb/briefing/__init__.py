"""Briefing packs for dialogue meetings: the storyline as an editable PowerPoint deck and as one offline HTML file.

`build_deck` gathers what both outputs show (title slide text, the slides of decarb.briefing.slides, the link that
reproduces the view, the data versions); `decarb.briefing.pptx.deck_pptx` and `decarb.briefing.html.deck_html`
turn it into bytes. Pure: no Streamlit, no network. Command line: `python -m decarb.briefing --help`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import pandas as pd

from decarb.briefing.model import Slide
from decarb.briefing.slides import STEEL_SOURCE, build_slides, selection_text
from decarb.contract import CEMENT, IRON_STEEL, SECTORS, SOURCE_LABELS
from decarb.data import Dataset
from decarb.freshness import fresher_note, freshest_source, source_years_words
from decarb.industries import member_series
from decarb.milestones import milestone_frame
from decarb.provenance import NOT_RECORDED, citation_entries, cited_sources, short_source_line
from decarb.screens.overview import page_sector
from decarb.storyline import DEFAULT_BASE_URL, StorylineConfig, data_versions, data_vintage, present_link
from decarb.view import View, members_set

DECK_TITLE = "Industry transition: where LeadIT members stand"
# The dashboard's address for the links in decks, when the machine that makes them is not where recipients open
# them (the page's own address is then 127.0.0.1 or localhost); `python -m decarb.briefing --base-url` beats it.
PUBLIC_URL_ENV = "DECARB_PUBLIC_URL"
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1", "0.0.0.0")
LOCAL_LINK_NOTE = "works on the computer that made this deck, while its dashboard runs"


def is_local(link: str) -> bool:
    """Whether a link points at the machine it was made on (loopback), so a recipient cannot open it."""
    host = urlsplit(link).hostname or ""
    return host in LOCAL_HOSTS or host.startswith("127.")


def source_switch(ds: Dataset, view: View, slide_key: str) -> str:
    """What a slide must say when it shows another source than the deck's, and why that source: the cement slide
    uses a source that reports cement's process CO2 (decarb.contract.SECTORS), which the deck's own source may
    not; the steel slide the source of iron and steel that covers the most member countries (counted in the data).
    Empty otherwise."""
    own = SOURCE_LABELS[view.source]
    if slide_key == "cement":
        shown = freshest_source(ds, CEMENT)  # the source the cement slide draws (slides._cement)
        if view.source == shown:
            return ""
        if view.source in next(s.sources for s in SECTORS if s.code == CEMENT):
            return f"Cement from {SOURCE_LABELS[shown]}, the newest ({source_years_words(ds, CEMENT)})."
        return f"Cement from {SOURCE_LABELS[shown]}: {own} has no series of cement's process CO2 alone."
    if slide_key == "steel" and view.source != STEEL_SOURCE:
        members = members_set(ds, view)
        reporting = dict.fromkeys(
            source for s in SECTORS if IRON_STEEL in (s.code, s.parent) for source in s.sources
        )  # the whole industry, or its parts (fuel, process)
        covered = {
            source: len(members.codes) - len(member_series(ds, source, IRON_STEEL, members)[1]) for source in reporting
        }
        others = "".join(f"; {SOURCE_LABELS[s]}: {n}" for s, n in covered.items() if s != STEEL_SOURCE)
        most = covered[STEEL_SOURCE] == max(covered.values())
        why = (
            f"Why {SOURCE_LABELS[STEEL_SOURCE].split(' (')[0]}: it covers "
            f"{'the most members' if most else 'members'} ({covered[STEEL_SOURCE]} of {len(members.codes)}{others})"
        )
        return why + (f"; {own} has no iron and steel series." if view.source not in reporting else ".")
    return ""


EMISSION_SLIDES = ("pathway", "scoreboard", "movers")  # the deck's own source, the Overview page's sector


def slide_freshness(ds: Dataset, view: View, slide_key: str) -> str:
    """In words, the newest year another source offers for what a slide shows ("EDGAR ends in 2023; Climate TRACE
    has 2025 for heavy industry"): the pages' rule (decarb.freshness.fresher_note) for the slide's source and
    sector, naming only the newest source (a line of the slide's height for the chart); empty where no source is
    newer or the slide shows no emissions."""
    if slide_key in EMISSION_SLIDES:
        source, sector = view.source, page_sector(view.source)
    elif slide_key == "steel":
        source, sector = STEEL_SOURCE, IRON_STEEL
    elif slide_key == "cement":
        source, sector = freshest_source(ds, CEMENT), CEMENT
    else:
        return ""
    return fresher_note(ds, source, sector, newest_only=True)


@dataclass(frozen=True, eq=False)
class Deck:
    title: str
    selection: str  # the global selection in words
    vintage: str  # the data's years and build date
    link: str  # reproduces the view and storyline in presentation mode
    versions: tuple[str, ...]  # source versions and raw-file checksums, and the build
    slides: tuple[Slide, ...]
    slide_links: tuple[str, ...]  # the link to each slide
    view: View
    config: StorylineConfig
    milestones: pd.DataFrame  # LeadIT's milestones with their chart words (decarb.milestones.milestone_frame)
    switches: tuple[str, ...] = ()  # per slide: why it shows another source than the deck's (source_switch)
    fresher: tuple[str, ...] = ()  # per slide: a newer year another source offers (slide_freshness)
    # per slide: its sources' short names and licences (provenance.short_source_line), the full citations in the
    # notes and on the Sources slide; and the deck's sources (full citation and licence), each once.
    footnotes: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()

    def notes(self, index: int) -> str:
        """Speaker notes of storyline slide `index` (0-based): context, the link, and the data versions."""
        slide = self.slides[index]
        lines = [f"{slide.headline} {slide.headline_label}."]
        if slide.headline_edited:
            lines.append(f"Headline edited for this meeting; computed from the data: {slide.computed_headline}.")
        lines += [
            f"Selection: {slide.subtitle}.",
            "",
            slide.source_line,
            "",
            f"Chart (as a screen reader reads it): {slide.alt}",
            "",
            f"Link to this slide: {self.slide_links[index]}",
            "",
            "Data versions:",
            *self.versions,
        ]
        return "\n".join(lines)

    @property
    def link_is_local(self) -> bool:
        return is_local(self.link)

    @property
    def link_line(self) -> str:
        """The cover's line with the link; none when only the machine that made the deck could open it (no public
        address configured): a link that cannot work is worse than none (the notes say how to get one)."""
        return "" if self.link_is_local else f"Reproduce this view: {self.link}"

    def cover_notes(self) -> str:
        lines = [f"Link to this view: {self.link}"]
        if self.link_is_local:
            lines.append(
                f"This link {LOCAL_LINK_NOTE}. For links others can open, make the deck with the dashboard's "
                f"public address: set {PUBLIC_URL_ENV}, or `python -m decarb.briefing --base-url`."
            )
        return "\n".join([*lines, "", "Data versions:", *self.versions])

    def subtitle(self, index: int) -> str:
        """The slide's subtitle, then what it must say about its source, as one text (slide_subtitle)."""
        return slide_subtitle(self.slides[index], self.switches[index] if index < len(self.switches) else "")

    def freshness(self, index: int) -> str:
        """The sentence naming a newer year of another source (slide_freshness), where the slide shows data."""
        note = self.fresher[index] if index < len(self.fresher) and self.slides[index].has_data else ""
        return f"{note}." if note else ""

    def deck_subtitle(self, index: int) -> str:
        """The subtitle the deck's slides give: what the figure needs to be read right (the slide's subtitle as
        Present shows it, less the source's name, which the footnote gives, and the names of the rows left out,
        which the notes give), then how fresh its data is."""
        note, subtitle = self.freshness(index), deck_selection(self.subtitle(index), self.slides[index].source_line)
        return f"{subtitle.rstrip('.')}. {note}" if note else subtitle

    def footnote(self, index: int) -> str:
        """The slide's source line: short names and licences (its full citations in the notes and on the Sources
        slide); the full line where a short one was not made or a source is missing from the manifest."""
        slide = self.slides[index]
        short = self.footnotes[index] if index < len(self.footnotes) else ""
        return slide.source_line if not short or NOT_RECORDED in slide.source_line else short


def slide_subtitle(slide: Slide, switch: str) -> str:
    """A slide's subtitle, then `switch` (source_switch: why it shows another source than the deck's) when it
    shows data: the one text the deck, the offline HTML and the Present page give."""
    note = switch if slide.has_data else ""
    return f"{slide.subtitle.rstrip('.')}. {note}" if note else slide.subtitle


LEFT_OUT = re.compile(r"; not shown: [^;]*?(?=(?:; |\. |\.?$))")


def deck_selection(subtitle: str, source_line: str) -> str:
    """A slide's subtitle without what its footnote and notes give: a leading source name the footnote names
    (the footnote's short names are the sources' labels) and the list of rows not shown (named in the notes)."""
    first, _, rest = subtitle.partition("; ")
    if rest and first in SOURCE_LABELS.values() and first != subtitle:
        subtitle = rest
    return LEFT_OUT.sub("; the others named in the notes", subtitle)


def build_deck(
    ds: Dataset,
    view: View,
    config: StorylineConfig | None = None,
    base_url: str = DEFAULT_BASE_URL,
    public_url: str | None = None,
) -> Deck:
    """Everything a briefing pack shows for this view and storyline. Links start with `public_url`, else the
    address in $DECARB_PUBLIC_URL, else `base_url` (the page's own address)."""
    config = config or StorylineConfig()
    base_url = (public_url or os.environ.get(PUBLIC_URL_ENV, "").strip() or base_url).rstrip("/")
    slides = tuple(build_slides(ds, view, config))
    # Slide numbers in links count the storyline slides (presentation mode has no title slide).
    links = tuple(present_link(ds, view, config, base_url, slide=i + 1) for i in range(len(slides)))
    return Deck(
        title=DECK_TITLE,
        selection=selection_text(ds, view),
        vintage=data_vintage(ds.manifest),
        link=present_link(ds, view, config, base_url),
        versions=tuple(data_versions(ds.manifest)),
        slides=slides,
        slide_links=links,
        view=view,
        config=config,
        milestones=milestone_frame(ds.milestones),
        switches=tuple(source_switch(ds, view, s.key) for s in slides),
        fresher=tuple(slide_freshness(ds, view, s.key) for s in slides),
        footnotes=tuple(
            short_source_line(ds.manifest, ids) if (ids := cited_sources(ds.manifest, s.source_line)) else ""
            for s in slides
        ),
        sources=tuple(
            dict.fromkeys(
                entry
                for s in slides
                for entry in citation_entries(ds.manifest, cited_sources(ds.manifest, s.source_line))
            )
        ),
    )


def file_stem(deck: Deck) -> str:
    v = deck.view
    return f"leadit-briefing-{v.source}-{v.base_year}-{v.target_year}-{v.members}"
