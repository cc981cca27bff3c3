"""Briefing packs for dialogue meetings: the storyline as an editable PowerPoint deck and as one offline HTML file.

`build_deck` gathers what both outputs show (title slide text, the slides of decarb.screens.present, the link that
reproduces the view, the data versions); `decarb.briefing.pptx.deck_pptx` and `decarb.briefing.html.deck_html`
turn it into bytes. Pure: no Streamlit, no network. Command line: `python -m decarb.briefing --help`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from decarb.data import Dataset
from decarb.milestones import milestone_frame
from decarb.screens.present import Slide, build_slides, selection_text
from decarb.storyline import DEFAULT_BASE_URL, StorylineConfig, data_versions, data_vintage, present_link
from decarb.view import View

DECK_TITLE = "Industry transition: where LeadIT members stand"


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

    def notes(self, index: int) -> str:
        """Speaker notes of storyline slide `index` (0-based): context, the link, and the data versions."""
        slide = self.slides[index]
        lines = [f"{slide.headline} {slide.headline_label}."]
        if slide.headline_edited:
            lines.append(f"Headline edited for this meeting; computed from the data: {slide.computed_headline}.")
        lines += [
            f"Selection: {slide.subtitle}.",
            "",
            f"Link to this slide: {self.slide_links[index]}",
            "",
            "Data versions:",
            *self.versions,
        ]
        return "\n".join(lines)

    def cover_notes(self) -> str:
        return "\n".join([f"Link to this view: {self.link}", "", "Data versions:", *self.versions])


def build_deck(
    ds: Dataset, view: View, config: StorylineConfig | None = None, base_url: str = DEFAULT_BASE_URL
) -> Deck:
    """Everything a briefing pack shows for this view and storyline."""
    config = config or StorylineConfig()
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
    )


def file_stem(deck: Deck) -> str:
    v = deck.view
    return f"leadit-briefing-{v.source}-{v.base_year}-{v.target_year}-{v.members}"
