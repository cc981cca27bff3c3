"""Presentation mode (pages/present.py): the storyline as full-screen slides, its editor and downloads.

The page script only calls render(); the code lives here so it is compiled once per process, not on each run
(what pages/*.py hold is recompiled whenever AppTest reruns a page).

One chart, one headline number and one source line per slide; the sidebar is hidden; left/right arrow keys or
the buttons move between slides. The slide number and the storyline (slides, order, titles, headlines) are in the
URL, so a presenter can jump to a slide or share the exact deck. The slide fills the window; behind the "Presenter
tools" toggle: edit the storyline, download it as an editable PowerPoint deck or as one offline HTML file, leave.
"""

from collections.abc import Callable
from dataclasses import replace
from functools import partial
from html import escape

import plotly.graph_objects as go
import streamlit as st

from decarb import storyline as sl
from decarb import theme
from decarb.briefing import Deck, build_deck, file_stem, slide_subtitle, source_switch
from decarb.briefing.figures import figure as slide_spec_figure
from decarb.briefing.html import deck_html
from decarb.briefing.model import Slide
from decarb.briefing.pptx import deck_pptx
from decarb.briefing.slides import build_slide
from decarb.data import Dataset
from decarb.render.layout import wrapped
from decarb.screens.shared import country_names
from decarb.ui import state
from decarb.ui.controls import current_view
from decarb.ui.loading import cached, dataset_or_stop, derived
from decarb.ui.widgets import serialised
from decarb.view import members_set

# The slide fills the window and nothing else is in it: the slide (.st-key-present_slide) is a column as tall as
# the window, its body (headline and chart) takes what the title, source line and buttons leave, and the chart
# stretches to that height (st.plotly_chart height="stretch"). The slide chart follows the app's theme: its paper
# is transparent and its text takes the page's text colour, on the light and the dark theme alike. Muted text is
# the theme's text colour made translucent (a fixed grey vanished on the dark theme).
SLIDE_CSS = """<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"]
  { display: none !important; }
.block-container, [data-testid="stMainBlockContainer"]
  { padding: 1rem 2.5rem .5rem !important; max-width: 100% !important; }
.stVerticalBlock.st-key-present_slide { flex: none; height: calc(100vh - 1.5rem); gap: .5rem; flex-wrap: nowrap; }
.st-key-present_slide > * { flex-shrink: 0; }
.st-key-present_slide [data-testid="stMarkdownContainer"] { margin-bottom: 0 !important; }
.st-key-present_slide > div:has(> .st-key-slide_body) { flex: 1 1 0; min-height: 0; }
.stVerticalBlock.st-key-slide_body, .st-key-slide_body > div:has(> [data-testid="stHorizontalBlock"]),
.st-key-slide_body [data-testid="stHorizontalBlock"], .st-key-slide_body [data-testid="stColumn"] > .stVerticalBlock
  { height: 100%; }
.st-key-slide_body [data-testid="stColumn"] > .stVerticalBlock { flex-wrap: nowrap; }
.st-key-slide_body div:has(> .st-key-slide_chart) { flex: 1 1 0; min-height: 0; }
.stVerticalBlock.st-key-slide_chart, .st-key-slide_chart > .stElementContainer,
.st-key-slide_chart .stPlotlyChart, .st-key-slide_chart .stPlotlyChart > div { height: 100%; }
.st-key-slide_chart .main-svg text:not(.hoverlayer *) { fill: currentColor !important; }
.st-key-slide_chart .gridlayer path { stroke: currentColor !important; stroke-opacity: .15 !important; }
.st-key-present_slide h1.slide-title { font-size: clamp(1.5rem, 2.4vw, 3rem); font-weight: 700; line-height: 1.15;
  margin: 0; padding: 0; }
.slide-subtitle { font-size: clamp(.9rem, 1.05vw, 1.3rem); opacity: .75; margin: .2em 0 0; }
.slide-headline { font-size: clamp(2.6rem, 5vw, 6.5rem); font-weight: 700; color: __ACCENT__; line-height: 1.05;
  margin-top: 12vh; }
.slide-label { font-size: clamp(1.05rem, 1.5vw, 1.9rem); line-height: 1.3; margin-top: .5em; }
.slide-source { font-size: clamp(.75rem, .8vw, 1rem); opacity: .75; margin: 0; line-height: 1.35; }
.slide-number { font-size: 1.2rem; text-align: center; }
.slide-milestones { display: none; }
@media (max-width: 640px) {
  .block-container, [data-testid="stMainBlockContainer"] { padding: .75rem 1rem .5rem !important; }
  .stVerticalBlock.st-key-present_slide { height: auto; }
  .st-key-present_slide > div:has(> .st-key-slide_body) { flex: none; }
  .st-key-slide_body div:has(> .st-key-slide_chart) { flex: none; height: 62vh; }
  .st-key-present_slide h1.slide-title { font-size: 1.35rem; }
  .slide-headline { font-size: 2.2rem; margin-top: 0; }
  .slide-label { font-size: 1rem; margin-top: .2em; }
  /* The headline and the chart stacked close; the chart right under them. */
  .st-key-slide_body [data-testid="stHorizontalBlock"] { gap: .25rem; }
  /* Milestone labels are spaced for a room's plot: on a phone they are named in words under the chart, and the
     band reserved for them at the top of the figure (--band, set per slide) is cut off: the figure is that much
     taller and its top that much above its box, which clips it. */
  .st-key-slide_chart .annotation { display: none; }
  .st-key-slide_chart .stElementContainer { overflow: hidden; }
  .st-key-slide_chart .stPlotlyChart { margin-top: calc(-1 * var(--band, 0px));
    height: calc(100% + var(--band, 0px)) !important; }
  .slide-milestones { display: block; font-size: .85rem; margin: 0; }
  /* A room's 18 px axis titles and legend ran past a phone's edge ("Direct reduction (DRI): near-zero capabl"):
     the phone's chart text size, the entries and lines where plotly placed them for the larger size. */
  .st-key-slide_chart .g-xtitle text, .st-key-slide_chart .g-ytitle text,
  .st-key-slide_chart .legendtext { font-size: 12px !important; }
}
</style>""".replace("__ACCENT__", theme.ACCENT)
# While the presenter tools are closed, nothing after the slide is drawn: the editor, the leave link and the page
# footer stay out of the audience's view.
AUDIENCE_CSS = "<style>div:has(> .st-key-present_slide) ~ * { display: none !important; }</style>"
# With the tools open the slide keeps nearly the whole window (at 62vh its plot was 164 px tall at 1280x800):
# it leaves the height of the downloads row, so the tools' top shows on the first screen.
TOOLS_CSS = """<style>.stVerticalBlock.st-key-present_slide { height: calc(100vh - 5.5rem); }
@media (max-width: 640px) { .stVerticalBlock.st-key-present_slide { height: auto; } }</style>"""
# What a phone cuts off the top of a slide's figure: its top margin (the milestone band, labels hidden there) but
# room for the top tick label.
TICK_ROOM_PX = 14
KEPT = "_present_kept"  # the storyline and slide number last shown: {parameter: value} (kept across pages)
TOOLS = "present_tools"  # the presenter's toggle (not "story_...": reset_storyline() keeps it)
TRANSPARENT = "rgba(0,0,0,0)"
CAME_FROM = "_present_came_from"  # the url path of the page the presenter came from
SLIDES_WIDGET, COUNTRY_WIDGET = "story_slides", "story_country"  # reset_storyline() clears them ("story_")
# The pages Present leads back to: url path -> (page script, its name in the navigation).
PAGES = {
    "home": ("pages/overview.py", "Overview"),
    "overview": ("pages/overview.py", "Overview"),
    "countries": ("pages/countries.py", "Countries"),
    "sectors": ("pages/sectors.py", "Sectors"),
    "industries": ("pages/industries.py", "Industries"),
    "steel": ("pages/steel.py", "Steel"),
    "progress": ("pages/progress.py", "Progress"),
    "members": ("pages/members.py", "Members"),
    "data": ("pages/data.py", "Data and method"),
}
# A slide's x axis title in lines of this many characters: centred under a phone's plot (narrowed by the rate
# slide's country labels to 120 px, at SLIDE_CSS's phone size) the rate slide's one ran off the right edge.
AXIS_TITLE_CHARS = 28
PLOTLY_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}


def url_params() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params}


def write_config(config: sl.StorylineConfig, slide: int = 1) -> None:
    """Put the storyline (and the slide shown) in the URL, replacing what was there."""
    for key in sl.storyline_param_keys(list(st.query_params)):
        del st.query_params[key]
    for key, value in sl.encode_config(config).items():
        st.query_params[key] = value
    if slide > 1:
        st.query_params[sl.PARAM_SLIDE] = str(slide)


def go_to(number: int) -> None:
    if number > 1:
        st.query_params[sl.PARAM_SLIDE] = str(number)
    elif sl.PARAM_SLIDE in st.query_params:
        del st.query_params[sl.PARAM_SLIDE]


def apply_edits(keys: tuple[str, ...], config: sl.StorylineConfig) -> None:
    """Form callback: the titles and headlines from the editor's widgets, into the URL (back to slide 1)."""
    titles = tuple((k, str(st.session_state[f"story_title_{k}"])) for k in keys)
    headlines = tuple((k, str(st.session_state[f"story_headline_{k}"])) for k in keys)
    edited = replace(config, titles=titles, headlines=headlines)
    write_config(sl.decode_config(sl.encode_config(edited))[0])
    st.session_state[TOOLS] = False  # back to the slide, the whole window for it


def choose_slides(config: sl.StorylineConfig) -> None:
    """Multiselect callback: the slides in the order picked, into the URL at once (back to slide 1); none picked
    is the default storyline (a deck has at least one slide)."""
    chosen = tuple(k for k in st.session_state[SLIDES_WIDGET] if k in sl.SLIDE_KEYS)
    write_config(replace(config, slides=chosen or sl.SLIDE_KEYS))


def choose_country(config: sl.StorylineConfig) -> None:
    write_config(replace(config, country=str(st.session_state[COUNTRY_WIDGET] or "")), 1)


def reset_storyline() -> None:
    write_config(sl.StorylineConfig())
    for key in [k for k in st.session_state if str(k).startswith("story_")]:
        del st.session_state[key]
    st.session_state[TOOLS] = False


def slide_figure(slide: Slide) -> go.Figure:
    """The plotly figure of the slide for the page: its height is the chart's box on the page (height="stretch"),
    its paper transparent so the slide shows the app's own background, light or dark (SLIDE_CSS gives its text
    the page's text colour)."""
    figure = slide_spec_figure(slide.spec)
    figure.update_layout(paper_bgcolor=TRANSPARENT, plot_bgcolor=TRANSPARENT)
    x_title = figure.layout.xaxis.title.text
    if x_title and len(x_title) > AXIS_TITLE_CHARS:
        figure.layout.xaxis.title.text = wrapped(x_title, AXIS_TITLE_CHARS)
    return figure


def slide_alt(slide: Slide) -> str:
    """The chart's label for assistive technology (Slide.alt), made once per slide of a storyline and selection
    (describing the pathway slide's data took tens of ms: not on every run)."""
    return slide.alt


def band_css(slide: Slide) -> str:
    """The slide's --band for the phone layout (SLIDE_CSS): its figure's top margin less room for the top tick."""
    layout = slide.spec.get("layout", {})
    top = layout.get("margin", {}).get("t", layout.get("template", {}).get("layout", {}).get("margin", {}).get("t", 0))
    return f"<style>.st-key-slide_chart {{ --band: {max(int(top) - TICK_ROOM_PX, 0)}px; }}</style>"


def render() -> None:
    """The page: the slide shown with its buttons and, behind the presenter's toggle, the storyline editor, the
    downloads and the way out."""
    ds = dataset_or_stop()
    view = current_view()
    tools = bool(st.session_state.get(TOOLS, False))

    if state.entering_page():  # the page to lead back to (the Overview when the session starts here)
        came = state.previous_page()
        st.session_state[CAME_FROM] = came if came in PAGES else st.session_state.get(CAME_FROM, "home")
    params = url_params()
    storyline_keys = sl.storyline_param_keys(list(params))
    kept = st.session_state.get(KEPT)
    if kept and not storyline_keys and state.entering_page():
        # Back from another page by the navigation or the leave link (no storyline in the link): the storyline
        # and slide the presenter left, back in the URL too. A link that names a storyline wins.
        for key, value in kept.items():
            st.query_params[key] = value
        params = url_params()
        storyline_keys = sl.storyline_param_keys(list(params))
    state.claim(*storyline_keys)  # free-text titles are no Choice: keep them in the URL
    config, problems = sl.decode_config(params)
    for note in problems:
        state.notice(note)
    base_url = sl.base_url_of(str(st.context.url or ""), sl.PRESENT_PATH)
    # Only the slide shown is built (one per storyline slide and selection, shared by sessions); the whole deck
    # only when the presenter tools are open.
    count = len(config.slides)
    number, problem = sl.decode_slide_number(params.get(sl.PARAM_SLIDE), count)
    if problem:
        state.notice(problem)
    if problems or problem:  # keep only what was used, so the link in the address bar is the deck shown
        write_config(config, number)
    key = config.slides[number - 1]
    slide = cached(build_slide, ds, view, config, key)
    band = derived(band_css, slide)
    st.html(SLIDE_CSS + (TOOLS_CSS if tools else AUDIENCE_CSS) + band)  # one element: each costs a run
    st.session_state[KEPT] = {**sl.encode_config(config), **({sl.PARAM_SLIDE: str(number)} if number > 1 else {})}

    with st.container(key="present_slide"):
        st.markdown(
            f'<h1 class="slide-title">{escape(slide.title)}</h1>'
            f'<p class="slide-subtitle">{escape(slide_subtitle(slide, cached(source_switch, ds, view, key)))}</p>',
            unsafe_allow_html=True,
        )
        with st.container(key="slide_body"):
            left, right = st.columns([1, 3], gap="large")
            left.markdown(
                f'<div class="slide-headline" data-testid="slide-headline" '
                f'style="color: {escape(slide.headline_colour)}">{escape(slide.headline)}</div>'
                f'<div class="slide-label">{escape(slide.headline_label)}</div>',
                unsafe_allow_html=True,
            )
            # One figure per slide of a storyline and selection, serialised once.
            figure = derived(slide_figure, slide)
            if not slide.has_data:
                right.info(f"No data for this selection: {slide.headline_label}.")
            right.container(key="slide_chart").plotly_chart(
                serialised(figure),
                theme=None,
                key=f"slide_{slide.key}",
                config=PLOTLY_CONFIG,
                alt=derived(slide_alt, slide),
                height="stretch",
            )
        marks = f'<p class="slide-milestones">{escape(slide.milestones)}</p>' if slide.milestones else ""
        st.markdown(f'{marks}<p class="slide-source">{escape(slide.source_line)}</p>', unsafe_allow_html=True)
        navigation(number, count)

    if tools:  # built only while open: the editor's widgets were half of every slide's run
        editor(ds, cached(build_deck, ds, view, config, base_url), config)
        st.page_link("pages/overview.py", label="Leave presentation mode (back to the dashboard and its controls)")


def navigation(number: int, count: int) -> None:
    """Previous, the slide number, Next (arrow keys too), and the presenter's toggle for the tools."""
    # One horizontal container, not five columns: each column is a block, and every block costs on every run.
    row = st.container(horizontal=True, vertical_alignment="center", gap="medium", key="slide_nav")
    row.button("Previous", on_click=go_to, args=(number - 1,), disabled=number == 1, shortcut="Left", key="slide_prev")
    row.markdown(f'<div class="slide-number">{number} / {count}</div>', unsafe_allow_html=True, width="content")
    row.button("Next", on_click=go_to, args=(number + 1,), disabled=number == count, shortcut="Right", key="slide_next")
    script, name = PAGES[str(st.session_state.get(CAME_FROM, "home"))]
    row.page_link(script, label=f"Back to {name}", icon=":material/arrow_back:", width="content")
    row.toggle(
        "Presenter tools",
        key=TOOLS,
        help="Edit the storyline, download the deck (PowerPoint, offline HTML), leave presentation mode",
        width="content",
    )


DOWNLOADS: tuple[tuple[str, str, str, Callable[[Deck], bytes | str]], ...] = (  # label, extension, type, maker
    (
        "Download PowerPoint (.pptx, editable charts)",
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        deck_pptx,
    ),
    ("Download offline HTML (one file, no internet needed)", "html", "text/html", deck_html),
)


def editor(ds: Dataset, deck: Deck, config: sl.StorylineConfig) -> None:
    """The downloads of the deck and the form that edits the storyline."""
    stem = file_stem(deck)
    # One row that wraps, each button as wide as its label (in a quarter-width column the labels were cut:
    # "Download PowerPoint (.pptx, editable char…" at 1280x800).
    row = st.container(horizontal=True, key="deck_downloads")
    for label, extension, mime, build in DOWNLOADS:
        row.download_button(
            label,
            data=partial(build, deck),
            file_name=f"{stem}.{extension}",
            mime=mime,
            on_click="ignore",
            key=f"download_{extension}",
            width="content",
        )
    st.caption(f"Link to this deck: {deck.link}")
    # The slides and the presenter's country follow the URL (Back, Forward, an edited link), as every control.
    if list(st.session_state.get(SLIDES_WIDGET, ())) != list(config.slides):
        st.session_state[SLIDES_WIDGET] = list(config.slides)
    if st.session_state.get(COUNTRY_WIDGET, "") != config.country:
        st.session_state[COUNTRY_WIDGET] = config.country
    pick, own = st.columns([3, 1], vertical_alignment="bottom")
    pick.multiselect(
        "Slides, in the order shown (remove one with its x; add one at the end from the list)",
        sl.SLIDE_KEYS,
        format_func=sl.SLIDE_LABELS.__getitem__,
        key=SLIDES_WIDGET,
        on_change=choose_slides,
        args=(config,),
    )
    names = cached(country_names, ds)
    members = sorted(cached(members_set, ds, deck.view).codes, key=lambda c: names.get(c, c))
    codes = ["", *members, *([config.country] if config.country and config.country not in members else [])]
    own.selectbox(
        "Your country (always on the scoreboard and cement slides)",
        codes,
        format_func=lambda c: names.get(c, c) if c else "None",
        key=COUNTRY_WIDGET,
        on_change=choose_country,
        args=(config,),
    )
    keys = tuple(config.slides)
    computed = {s.key: s.computed_headline for s in deck.slides}
    with st.form("storyline"):
        st.caption("Empty a title or headline to go back to the one computed from the data.")
        for key in keys:
            title, headline = st.columns([4, 1.6], vertical_alignment="bottom")
            title.text_input("Title", config.title(key), max_chars=sl.MAX_TITLE, key=f"story_title_{key}")
            headline.text_input(
                "Headline",
                config.headline(key) or "",
                max_chars=sl.MAX_HEADLINE,
                placeholder=computed.get(key, "computed from the data"),
                key=f"story_headline_{key}",
            )
        st.form_submit_button("Apply to the deck", on_click=apply_edits, args=(keys, config), type="primary")
    st.button("Back to the default storyline", on_click=reset_storyline, key="story_reset")
