"""Every use of Streamlit beyond its public API, in one place, checked against one version.

Each item below relies on how Streamlit CHECKED_VERSION works inside; tests/test_streamlit_internals.py fails on
any other installed version, so an upgrade starts by re-checking this module (and the tests named in each item).
"""

from __future__ import annotations

import json

import pandas as pd
import plotly.graph_objects as go
import plotly.io
import pyarrow as pa
from streamlit import dataframe_util
from streamlit.delta_generator import DeltaGenerator
from streamlit.elements.lib.column_types import ColumnConfig
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.state.session_state_proxy import get_session_state

CHECKED_VERSION = "1.67.0"

__all__ = [
    "CHECKED_VERSION",
    "ColumnConfig",
    "DeltaGenerator",
    "PreSerialisedFigure",
    "arrow_table",
    "leave_legacy_pages_mode",
    "widget_ids_sent",
]


def leave_legacy_pages_mode() -> bool:
    """Switch off Streamlit's legacy pages/ folder mode for the process; True if it was on (then rerun).

    Until some session of the server process has called st.navigation, Streamlit honours its legacy pages/
    folder: the first deep link after a start (e.g. /sectors) would run that page script alone. The flag is a
    class attribute of PagesManager (tests/browser: the first deep link after a server start)."""
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        return True
    return False


class PreSerialisedFigure(go.Figure):
    """A finished figure as st.plotly_chart takes it, from the dict made once by Figure.to_dict().

    st.plotly_chart only calls to_dict() on a Figure (then writes the JSON), and to_dict() deep-copies and
    re-encodes every array on each call; this stand-in hands over the dict made once. (A plain dict is no way
    round: st.plotly_chart re-validates dicts through a new Figure, slower still.) Every chart of the app page
    tests goes through it (tests/test_app_pages.py reads the JSON the page sent)."""

    def __init__(self, spec: dict) -> None:  # no Figure.__init__: nothing but to_dict() is ever called
        # Kept as plain JSON values (arrays, numbers and dates encoded here, once): the JSON that st.plotly_chart
        # writes on each run then needs no call back into Python for a numpy or date value.
        self._spec = json.loads(plotly.io.to_json(spec, validate=False))

    def to_dict(self) -> dict:
        return self._spec


def arrow_table(frame: pd.DataFrame) -> pa.Table:
    """The frame as the Arrow table st.dataframe makes of it on every run (the same bytes are sent)."""
    return dataframe_util.convert_pandas_df_to_arrow_table(frame)


def widget_ids_sent() -> list[str]:
    """The ids ("...-<key>") of the widgets whose values the browser sent with this session's first run, which
    Streamlit keeps until the widget is drawn (tests/test_serve.py: the failover test)."""
    states = getattr(getattr(get_session_state(), "_state", None), "_new_widget_state", None)
    return list(getattr(states, "states", {}))
