"""The storyline for dialogue meetings: which slides, in which order, with which titles and headlines, and its link.

Pure (no Streamlit). The slides themselves are built in decarb.briefing.slides from the same screen functions as
the pages; this module holds the storyline config, its URL codec and the links that reproduce a deck, and the
source and version lines the slides and packs print.

The storyline config (which slides, in which order, retitled, with edited headlines) lives in the URL next to the
global selection, so a link reproduces the deck:

    ?source=edgar&base=2015&slides=pathway,movers&title_movers=Who%20moved&headline_pathway=-7%25&slide=2

Values that cannot be used are ignored with a notice, never an exception (as for every other link parameter).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit

from decarb import provenance
from decarb.data import Dataset
from decarb.params import quote, quote_all
from decarb.provenance import Manifest
from decarb.view import View, encode_view

# --- The slides ------------------------------------------------------------------------------------------------
SLIDE_KEYS: tuple[str, ...] = ("pathway", "steel", "plants", "scoreboard", "movers", "cement", "membership", "targets")
DEFAULT_TITLES: dict[str, str] = {
    "pathway": "Members' heavy-industry emissions against the pathway to net zero",
    "steel": "Members' iron and steel emissions against the pathway to net zero",
    "plants": "Members' steel plants: what runs, what is planned, what comes up for relining",
    "scoreboard": "Member-country scoreboard: the pace of change against the pace required",
    "movers": "Biggest movers in heavy-industry emissions since the base year",
    "cement": "Cement process CO2 among members",
    "membership": "LeadIT membership growth",
    "targets": "Members' net-zero targets: year and status",
}
SLIDE_LABELS: dict[str, str] = {  # short names for the storyline editor
    "pathway": "Emissions vs pathway",
    "steel": "Iron and steel vs pathway",
    "plants": "Steel plants and relining",
    "scoreboard": "Scoreboard",
    "movers": "Biggest movers",
    "cement": "Cement process CO2",
    "membership": "Membership growth",
    "targets": "Net-zero targets",
}
# --- URL parameters of the storyline ---------------------------------------------------------------------------
PARAM_SLIDES = "slides"
PARAM_SLIDE = "slide"  # the slide shown (1-based)
PARAM_COUNTRY = "country"  # the presenter's own country (ISO3): always on the country slides
TITLE_PREFIX = "title_"
HEADLINE_PREFIX = "headline_"
MAX_TITLE = 120
MAX_HEADLINE = 40
DEFAULT_BASE_URL = "http://localhost:8501"
PRESENT_PATH = "present"


@dataclass(frozen=True)
class StorylineConfig:
    """Which slides, in which order, with which titles and headlines (overrides by slide key)."""

    slides: tuple[str, ...] = SLIDE_KEYS
    titles: tuple[tuple[str, str], ...] = ()  # (slide key, title), hashable so it can key a cache
    headlines: tuple[tuple[str, str], ...] = ()
    # The presenter's own country (ISO3), always shown on the slides that show some countries (scoreboard, cement).
    country: str = ""

    def title(self, key: str) -> str:
        return dict(self.titles).get(key, DEFAULT_TITLES[key])

    def headline(self, key: str) -> str | None:
        return dict(self.headlines).get(key)


def _clean_text(text: str, limit: int) -> tuple[str, bool]:
    """Printable single-line text, whitespace collapsed, cut to `limit` characters (True when cut)."""
    flat = re.sub(r"\s+", " ", "".join(ch for ch in str(text) if ch.isprintable() or ch.isspace())).strip()
    return flat[:limit].rstrip(), len(flat) > limit


def _first(raw: str | Sequence[str] | None) -> str | None:
    if raw is None or isinstance(raw, str):
        return raw
    return raw[-1] if len(raw) else None  # a repeated parameter: the last one wins


def decode_config(params: Mapping[str, str | Sequence[str]]) -> tuple[StorylineConfig, list[str]]:
    """The storyline config in URL parameters, and notices for what was ignored (never raises)."""
    notices: list[str] = []
    slides = SLIDE_KEYS
    raw = _first(params.get(PARAM_SLIDES))
    if raw is not None:
        parts = [p.strip().lower() for p in raw.split(",") if p.strip()]
        kept = tuple(dict.fromkeys(p for p in parts if p in SLIDE_KEYS))
        bad = [p for p in parts if p not in SLIDE_KEYS]
        if bad:
            notices.append(
                f"Ignored unknown slide{'s' if len(bad) > 1 else ''} {quote_all(bad)} in "
                f"the storyline from the link (slides: {', '.join(SLIDE_KEYS)})."
            )
        if len(kept) < len([p for p in parts if p in SLIDE_KEYS]):
            notices.append("Repeated slides in the storyline from the link are shown once.")
        if kept:
            slides = kept
        else:
            notices.append("The storyline from the link has no known slide: showing the default storyline.")
    overrides: dict[str, dict[str, str]] = {TITLE_PREFIX: {}, HEADLINE_PREFIX: {}}
    for name in sorted(params):
        prefix = next((p for p in (TITLE_PREFIX, HEADLINE_PREFIX) if name.startswith(p)), None)
        if prefix is None:
            continue
        key, what = name[len(prefix) :], "title" if prefix == TITLE_PREFIX else "headline"
        if key not in SLIDE_KEYS:
            notices.append(f"Ignored the {what} for unknown slide {quote(key)} from the link.")
            continue
        text, cut = _clean_text(_first(params[name]) or "", MAX_TITLE if prefix == TITLE_PREFIX else MAX_HEADLINE)
        if cut:
            notices.append(
                f"The {what} of slide {quote(key)} from the link was cut to "
                f"{MAX_TITLE if prefix == TITLE_PREFIX else MAX_HEADLINE} characters."
            )
        if text:
            overrides[prefix][key] = text
    titles = tuple((k, v) for k, v in overrides[TITLE_PREFIX].items() if v != DEFAULT_TITLES[k])
    country = (_first(params.get(PARAM_COUNTRY)) or "").strip().upper()
    if country and not re.fullmatch(r"[A-Z]{3}", country):
        notices.append(f"Ignored country {quote(country)} from the link: not a three-letter country code.")
        country = ""
    return StorylineConfig(slides, titles, tuple(overrides[HEADLINE_PREFIX].items()), country), notices


def encode_config(config: StorylineConfig) -> dict[str, str]:
    """URL parameters for the config; defaults are left out (the default storyline gives no parameter)."""
    out: dict[str, str] = {}
    if tuple(config.slides) != SLIDE_KEYS:
        out[PARAM_SLIDES] = ",".join(config.slides)
    for key, text in config.titles:
        if text and text != DEFAULT_TITLES.get(key):
            out[TITLE_PREFIX + key] = text
    for key, text in config.headlines:
        if text:
            out[HEADLINE_PREFIX + key] = text
    if config.country:
        out[PARAM_COUNTRY] = config.country
    return out


def storyline_param_keys(params: Sequence[str]) -> list[str]:
    """The URL parameters (of those present) that belong to the storyline."""
    return [
        k
        for k in params
        if k in (PARAM_SLIDES, PARAM_SLIDE, PARAM_COUNTRY) or k.startswith((TITLE_PREFIX, HEADLINE_PREFIX))
    ]


def decode_slide_number(raw: str | Sequence[str] | None, count: int) -> tuple[int, str | None]:
    """The 1-based slide number from the URL (1 when absent), and a notice when it was not usable."""
    text = _first(raw)
    if text is None:
        return 1, None
    try:
        number = int(str(text).strip())
    except ValueError:
        return 1, f"Ignored slide {quote(text)} from the link: not a number; showing slide 1."
    if not 1 <= number <= max(count, 1):
        return (1 if number < 1 else max(count, 1)), (
            f"Ignored slide {quote(str(text).strip())} from the link: the storyline has {count} slides."
        )
    return number, None


def split_link(text: str) -> dict[str, list[str]]:
    """URL parameters of a full link (http://host/present?...) or of a bare query string (with or without '?')."""
    text = text.strip()
    query = urlsplit(text).query if "://" in text else text.lstrip("?")
    return parse_qs(query, keep_blank_values=True)


def base_url_of(page_url: str, page_path: str = PRESENT_PATH) -> str:
    """The dashboard's address from the address of one of its pages (DEFAULT_BASE_URL when it is unknown)."""
    parts = urlsplit(page_url)
    if not parts.scheme or not parts.netloc:
        return DEFAULT_BASE_URL
    path = parts.path.rstrip("/")
    if path.endswith("/" + page_path):
        path = path[: -len(page_path) - 1]
    return f"{parts.scheme}://{parts.netloc}{path}"


def present_link(
    ds: Dataset, view: View, config: StorylineConfig, base_url: str = DEFAULT_BASE_URL, slide: int | None = None
) -> str:
    """The link that reproduces this view and storyline in presentation mode."""
    params = {**encode_view(ds, view), **encode_config(config)}
    if slide is not None and slide > 1:
        params[PARAM_SLIDE] = str(slide)
    query = urlencode(params)
    return f"{base_url.rstrip('/')}/{PRESENT_PATH}" + (f"?{query}" if query else "")


# --- Provenance: source lines and data versions ----------------------------------------------------------------
def source_line(manifest: Manifest, source_ids: Sequence[str]) -> str:
    """'Source: <citation> (licence: ...); ...' for the sources a slide uses, every licence exception named."""
    return provenance.source_line(manifest, source_ids, cite=True)


def data_versions(manifest: Manifest) -> list[str]:
    """One line per source (version, raw files with the first 12 hex digits of their sha256) and one for the build."""
    return provenance.data_versions(manifest)


def data_vintage(manifest: Manifest) -> str:
    """A short line for the title slide: the latest year of each emission source and the build date."""
    return provenance.data_vintage(manifest)
