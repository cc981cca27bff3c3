"""Controls whose values live in the URL, so a pasted link reproduces the exact view.

Each control reads its value from the URL the first time it appears in a session, from session state after
that, and writes it back to the URL on every run (left out when it is the default). Invalid or unknown URL
values are ignored with a visible notice, never an exception.

A page's own controls (`choose`) also survive leaving the page: Streamlit forgets a widget's state once a run
does not draw it, so each page keeps a copy of its values. Coming back by the navigation (no value in the URL)
restores that copy; a URL that differs from what the page last wrote (browser Back or Forward, a pasted link)
wins over both. A kept value that no longer fits (another source) is changed with a notice, as from a link.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from types import ModuleType
from typing import TypeVar, cast

import streamlit as st

from decarb.params import Choice, Value, unknown_keys, unknown_notice
from decarb.ui.streamlit_internals import DeltaGenerator, leave_legacy_pages_mode, widget_ids_sent

_NOTICES = "_url_notices"
_CLAIMED = "_url_claimed"
_PAGE = "_page"  # url path of the page this run shows
_PREVIOUS = "_page_previous"  # ... and of the previous run's page
_KEPT = "_kept"  # {page: {key: value}}: a page's own control values, kept while the session lasts
_WRITTEN = "_written"  # {page: {key: encoded value or None}}: what the page last put in the URL
_FROM_BROWSER = "_from_browser"  # {key: value decided}: controls whose value the browser brought to a new session
_OVERRULED = "_overruled"  # True when a control drawn on this run shows another value than the one decided
EMBED_KEYS = ("embed", "embed_options")
# Every ASCII punctuation character: CommonMark lets each be escaped with a backslash, which turns off links,
# images, headings, emphasis, HTML, LaTeX ($) and Streamlit's :color[...] and :material/icon: codes.
_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
# GitHub-flavoured markdown also links bare addresses (http://..., www.x.org, a@b.org, mailto:) after parsing,
# where escapes no longer count: an invisible word joiner after ':' and '@' and inside 'www.' breaks each pattern.
_BARE_LINK = re.compile(r"(?i)([:@]|www(?=\\\.))")
WORD_JOINER = "\u2060"
T = TypeVar("T")
_APP = "_app"


def app_state() -> dict[str, object]:
    """This session's bookkeeping (the keys above, the view, the dataset of this run), in one session-state
    entry: Streamlit copies the whole session state for each widget drawn, so every entry costs on every widget
    of every run."""
    state = st.session_state.get(_APP)
    if state is None:
        state = st.session_state[_APP] = {}
    return cast(dict[str, object], state)


def per_session(key: str, make: Callable[[], T]) -> T:
    """make() once per browser session, kept with its session state (for objects a run uses but must not share
    with other sessions' runs: st.navigation marks the page it returns on the Page object itself)."""
    state = app_state()
    if key not in state:
        state[key] = make()
    return cast(T, state[key])


def begin_run() -> None:
    """Called first by the entrypoint on every run."""
    state = app_state()
    state[_NOTICES] = []
    state[_CLAIMED] = []
    state[_FROM_BROWSER] = {} if _PAGE in state else dict.fromkeys(_browser_values())
    state[_OVERRULED] = False


def _browser_values() -> set[str]:
    """Keys of the controls whose values the browser sent with the first run of this session.

    A fresh page sends none. A page whose replica was lost reconnects to a new session (on another replica) and
    sends its widgets' values with the user's next change: those values, not the link (which the lost session
    wrote last), are what the user sees and has just changed (widget_ids_sent).
    """
    return {wid.rsplit("-", 1)[-1] for wid in widget_ids_sent()}


def enter_page(url_path: str) -> None:
    """Called by the entrypoint once navigation has picked the page of this run."""
    state = app_state()
    state[_PREVIOUS] = state.get(_PAGE)
    state[_PAGE] = url_path


def previous_page() -> str | None:
    """The url path of the page the previous run showed (None on the session's first run)."""
    value = app_state().get(_PREVIOUS)
    return str(value) if value else None


def entering_page(state: dict[str, object] | None = None) -> bool:
    """True on the first run of a page after another page (or the session's first run)."""
    state = app_state() if state is None else state
    return state.get(_PREVIOUS) != state.get(_PAGE)


def _page_store(name: str, state: dict[str, object]) -> dict[str, object]:
    return cast(dict, state.setdefault(name, {})).setdefault(state.get(_PAGE, ""), {})


def run_through_entrypoint() -> None:
    """First thing on every page: make sure the page runs inside dashboard.py (global controls, page config).

    The first deep link after a server start would run the page script alone (leave_legacy_pages_mode);
    rerunning makes Streamlit run the entrypoint, which navigates to the same page with the same query string.
    """
    if leave_legacy_pages_mode():
        st.rerun()


def claim(*keys: str) -> None:
    """URL parameters this run uses without a Choice (free text): finish_run must not drop them as unknown."""
    cast(list, app_state().setdefault(_CLAIMED, [])).extend(keys)


def markdown_text(text: str) -> str:
    """Markdown that shows `text` as it is: for text from a link (notices quote link values) where Streamlit reads
    markdown."""
    return _BARE_LINK.sub(rf"\1{WORD_JOINER}", _MARKDOWN_PUNCTUATION.sub(r"\\\1", text))


def notice(text: str) -> None:
    notes = cast(list, app_state().setdefault(_NOTICES, []))
    if text not in notes:
        notes.append(text)


# get_all() first: `key in st.query_params` raises and catches a KeyError inside Streamlit for every absent key.
def _url_value(key: str) -> str | list[str] | None:
    values = st.query_params.get_all(key)
    if not values and key not in st.query_params:
        return None
    return values[0] if len(values) == 1 else values


def _url_encoded(key: str) -> str | None:
    values = st.query_params.get_all(key)
    return None if not values else values[0] if len(values) == 1 else "\x00".join(values)


def decide(choice: Choice, page_scoped: bool = False) -> Value:
    """The value of `choice` on this run, before its widget is drawn: from session state once the control has
    been seen, from the URL the first time. Writes it to session state, which the widget then shows; render()
    writes it to the URL. A page-scoped control (see the module's text) also reads the page's kept copy."""
    key = choice.key
    state = app_state()
    cast(list, state.setdefault(_CLAIMED, [])).append(key)
    from_browser = cast(dict, state.get(_FROM_BROWSER, {}))
    if key in from_browser:
        # The widget takes the browser's value when drawn (render() puts it in the URL); the link's is provisional.
        value, _problem = choice.parse(_url_value(key))
        from_browser[key] = value
        return value
    if page_scoped:
        kept, written = _page_store(_KEPT, state), _page_store(_WRITTEN, state)
        entering = entering_page(state)
        url = _url_encoded(key)
        url_moved = key in written and url != written[key]  # Back/Forward or an edited link
        if entering and url is None and key in kept:
            value, problem = choice.coerce(kept[key])
        elif key in st.session_state and not entering and not url_moved:
            value, problem = choice.coerce(st.session_state[key])
        else:
            value, problem = choice.parse(_url_value(key))
    elif key in st.session_state:
        value, problem = choice.coerce(st.session_state[key])
    else:
        value, problem = choice.parse(_url_value(key))
    if problem:
        notice(problem)
    state_value = list(value) if choice.multi else value
    # Written even when equal on entering a page: otherwise a widget whose key another page also uses (Countries'
    # and Sectors' "sector") came back with another value than the one decided here (browser Back from Sectors
    # to Countries showed sector=total, seen in the browser, tests/journeys/test_back.py). A value set wins.
    if (page_scoped and entering_page(state)) or key not in st.session_state or st.session_state[key] != state_value:
        st.session_state[key] = state_value
    return value


def render(
    choice: Choice,
    widget: str = "selectbox",
    where: DeltaGenerator | None = None,
    page_scoped: bool = False,
    **kwargs: object,
) -> Value:
    """Draw the control of a decided `choice` and return its value (a code, or a tuple of codes when multi)."""
    container: DeltaGenerator | ModuleType = where if where is not None else st  # st: the main area
    draw: Callable = {
        "selectbox": container.selectbox,
        "multiselect": container.multiselect,
        "radio": container.radio,
        "segmented": container.segmented_control,
        "pills": container.pills,
    }[widget]
    if widget == "radio":
        kwargs.setdefault("horizontal", True)
    if widget == "segmented":
        kwargs.setdefault("required", True)
    if widget == "pills" and choice.multi:  # every option a readable toggle (a multiselect cut "not assessed")
        kwargs.setdefault("selection_mode", "multi")
    result = draw(
        choice.label, list(choice.options), key=choice.key, format_func=choice.fmt, help=choice.help, **kwargs
    )
    current = tuple(result or ()) if choice.multi else result
    state = app_state()
    from_browser = cast(dict, state.get(_FROM_BROWSER, {}))
    if choice.key in from_browser and current != from_browser[choice.key]:
        state[_OVERRULED] = True  # the run used the link's value: finish_run runs it again
    _write_url(choice, current)
    if page_scoped:
        _page_store(_KEPT, state)[choice.key] = current
        _page_store(_WRITTEN, state)[choice.key] = _url_encoded(choice.key)
    return current


def choose(choice: Choice, widget: str = "selectbox", where: DeltaGenerator | None = None, **kwargs: object) -> Value:
    """Decide `choice` and draw its control where it stands; returns its value."""
    decide(choice, page_scoped=True)
    return render(choice, widget, where, page_scoped=True, **kwargs)


def _write_url(choice: Choice, value: Value) -> None:
    encoded = choice.encode(value)
    values = st.query_params.get_all(choice.key)  # [] when absent (the default's case), without a KeyError
    if encoded is None:
        if values:
            del st.query_params[choice.key]
    elif values != [encoded]:
        st.query_params[choice.key] = encoded


def finish_run(box: DeltaGenerator) -> None:
    """Drop URL parameters no control claimed (with a notice), then show this run's notices in `box`."""
    state = app_state()
    claimed = cast(list, state.get(_CLAIMED, []))
    stray = unknown_keys(list(st.query_params.keys()), claimed, EMBED_KEYS)
    text = unknown_notice(stray)
    if text:
        notice(text)
        for key in stray:
            del st.query_params[key]
    for note in cast(list, state.get(_NOTICES, [])):
        box.warning(markdown_text(note))
    if state.get(_OVERRULED):
        st.rerun()
