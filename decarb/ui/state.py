"""Controls whose values live in the URL, so a pasted link reproduces the exact view.

Each control reads its value from the URL the first time it appears in a session, from session state after
that, and writes it back to the URL on every run (left out when it is the default). Invalid or unknown URL
values are ignored with a visible notice, never an exception.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from decarb.params import Choice, unknown_keys, unknown_notice

_NOTICES = "_url_notices"
_CLAIMED = "_url_claimed"
EMBED_KEYS = ("embed", "embed_options")


def begin_run() -> None:
    """Called first by the entrypoint on every run."""
    st.session_state[_NOTICES] = []
    st.session_state[_CLAIMED] = []


def run_through_entrypoint() -> None:
    """First thing on every page: make sure the page runs inside dashboard.py (global controls, page config).

    Until some session of the server process has called st.navigation, Streamlit still honours its legacy
    pages/ folder: the very first deep link after a start (e.g. /sectors) would run that page script alone.
    Switching the legacy mode off and rerunning makes Streamlit run the entrypoint, which navigates to the same
    page with the same query string. PagesManager is internal: the browser test of a first deep link guards it.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def claim(*keys: str) -> None:
    """URL parameters this run uses without a Choice (free text): finish_run must not drop them as unknown."""
    st.session_state.setdefault(_CLAIMED, []).extend(keys)


def notice(text: str) -> None:
    notes = st.session_state.setdefault(_NOTICES, [])
    if text not in notes:
        notes.append(text)


def _url_value(key: str) -> str | list[str] | None:
    if key not in st.query_params:
        return None
    values = st.query_params.get_all(key)
    return values[0] if len(values) == 1 else values


def decide(choice: Choice) -> object:
    """The value of `choice` on this run, before its widget is drawn: from session state once the control has
    been seen, from the URL the first time. Writes it to session state, which the widget then shows; render()
    writes it to the URL."""
    key = choice.key
    claim(key)
    if key in st.session_state:
        value, problem = choice.coerce(st.session_state[key])
    else:
        value, problem = choice.parse(_url_value(key))
    if problem:
        notice(problem)
    state_value = list(value) if choice.multi else value
    if key not in st.session_state or st.session_state[key] != state_value:
        st.session_state[key] = state_value
    return value


def render(choice: Choice, widget: str = "selectbox", where: object | None = None, **kwargs: object) -> object:
    """Draw the control of a decided `choice` and return its value (a code, or a tuple of codes when multi)."""
    container = where if where is not None else st
    draw: Callable = {
        "selectbox": container.selectbox,
        "multiselect": container.multiselect,
        "radio": container.radio,
        "segmented": container.segmented_control,
    }[widget]
    if widget == "radio":
        kwargs.setdefault("horizontal", True)
    if widget == "segmented":
        kwargs.setdefault("required", True)
    result = draw(
        choice.label, list(choice.options), key=choice.key, format_func=choice.fmt, help=choice.help, **kwargs
    )
    current = tuple(result) if choice.multi else result
    _write_url(choice, current)
    return current


def choose(choice: Choice, widget: str = "selectbox", where: object | None = None, **kwargs: object) -> object:
    """Decide `choice` and draw its control where it stands; returns its value."""
    decide(choice)
    return render(choice, widget, where, **kwargs)


def _write_url(choice: Choice, value: object) -> None:
    encoded = choice.encode(value)  # type: ignore[arg-type]
    if encoded is None:
        if choice.key in st.query_params:
            del st.query_params[choice.key]
    elif st.query_params.get(choice.key) != encoded or len(st.query_params.get_all(choice.key)) > 1:
        st.query_params[choice.key] = encoded


def finish_run(box: object) -> None:
    """Drop URL parameters no control claimed (with a notice), then show this run's notices in `box`."""
    claimed = st.session_state.get(_CLAIMED, [])
    stray = unknown_keys(list(st.query_params.keys()), claimed, EMBED_KEYS)
    text = unknown_notice(stray)
    if text:
        notice(text)
        for key in stray:
            del st.query_params[key]
    for note in st.session_state.get(_NOTICES, []):
        box.warning(note)  # type: ignore[attr-defined]
