"""Page building blocks: a chart with its text equivalent, table and CSV; headline numbers; the footer."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Sequence
from typing import TypeVar

import pandas as pd
import plotly.graph_objects as go
import pyarrow as pa
import streamlit as st
from streamlit import dataframe_util

from decarb import exports, provenance
from decarb.charts import Chart
from decarb.data import Dataset
from decarb.provenance import Manifest

T = TypeVar("T")
IMAGE_FORMAT_KEY = "img"
# plotly fetches map shapes from this folder (served by Streamlit itself: no CDN, works offline).
TOPOJSON_URL = "app/static/topojson/"


def plotly_config(name: str, image_format: str = "png") -> dict:
    """Modebar: no logo, image download named after the chart, PNG at slide resolution or SVG."""
    options = {"format": image_format, "filename": name}
    if image_format == "png":
        options.update({"width": 1280, "height": 720, "scale": 2})
    return {
        "displaylogo": False,
        "toImageButtonOptions": options,
        "modeBarButtonsToRemove": ["lasso2d", "select2d"],
        "topojsonURL": TOPOJSON_URL,
    }


class _Serialised(go.Figure):
    """A finished figure as st.plotly_chart takes it: st.plotly_chart only calls to_dict() on a Figure (then
    writes the JSON), and to_dict() deep-copies and re-encodes every array on each call (measured: 9 ms for the
    Countries chart of the member countries, on every run). This stand-in hands over the dict made once.
    (A plain dict is no way round: st.plotly_chart re-validates dicts through a new Figure, slower still.)
    """

    def __init__(self, spec: dict) -> None:  # no Figure.__init__: nothing but to_dict() is ever called
        self._spec = spec

    def to_dict(self) -> dict:
        return self._spec


_MADE: dict[tuple[str, int], tuple[weakref.ref, object]] = {}
_MADE_LOCK = threading.RLock()  # re-entrant: a weakref callback can run while it is held


def _once_per_object(kind: str, obj: object, make: Callable[[object], T]) -> T:
    """make(obj), computed once per object while it lives: for the cached (shared, never modified) figures and
    frames, whose serialised forms are the same on every run."""
    key = (kind, id(obj))
    with _MADE_LOCK:
        entry = _MADE.get(key)
        if entry is not None and entry[0]() is obj:
            return entry[1]  # type: ignore[return-value]
    made = make(obj)
    with _MADE_LOCK:
        _MADE[key] = (weakref.ref(obj, lambda _: _forget(key)), made)
    return made


def _forget(key: tuple[str, int]) -> None:
    # A made value can itself be a key (a chart's licensed data, then its Arrow table): when the interpreter
    # exits and this module's globals are cleared first, dropping _MADE lets such values die, and their
    # callbacks run with _MADE already None.
    made, lock = _MADE, _MADE_LOCK
    if made is None or lock is None:
        return
    with lock:
        made.pop(key, None)


def serialised(fig: go.Figure) -> go.Figure:
    """The figure for st.plotly_chart, serialised once per figure object (the cached figures never change)."""
    return _once_per_object("figure", fig, lambda f: _Serialised(f.to_dict()))  # type: ignore[attr-defined]


def _licensed(item: Chart) -> tuple[go.Figure, pd.DataFrame]:
    """The chart's figure with a source line naming every licence, and its data with a licence column: made
    once per chart object, for the manifest of the dataset it was built from."""
    from decarb.ui.loading import dataset_or_stop

    manifest, data = dataset_or_stop().manifest, item.data
    fig = _once_per_object("licensed figure", item.fig, lambda f: _Serialised(
        provenance.licensed_spec(f.to_dict(), data, manifest)))  # type: ignore[attr-defined]
    return fig, _once_per_object("licensed data", item.data, lambda d: provenance.with_licence(d, manifest))  # type: ignore[arg-type]


def arrow(frame: pd.DataFrame) -> pa.Table:
    """The frame as the Arrow table st.dataframe would make of it on every run (the same bytes are sent), made
    once per frame object (measured: 0.4-0.6 ms a table and run)."""
    return _once_per_object("arrow", frame, dataframe_util.convert_pandas_df_to_arrow_table)  # type: ignore[arg-type]


def chart(item: Chart, key: str) -> None:
    """The figure, its text equivalent, and (folded) the table of exactly the plotted data with its CSV."""
    image_format = st.session_state.get(IMAGE_FORMAT_KEY, "png")
    # The figure is shared between sessions (cached) and never modified: serialised once, licences named.
    fig, licensed_data = _licensed(item)
    st.plotly_chart(fig, key=f"fig_{key}", config=plotly_config(item.name, image_format), theme="streamlit")
    st.caption(item.summary)
    # The table is made only while the expander is open (opening it reruns the page): a table in a closed
    # expander still made the browser fetch and compile the 0.5 MB data grid code before the first chart.
    folded = st.expander("Data table and CSV of this chart", key=f"data_{key}", on_change="rerun")
    if folded.open:
        with folded:
            st.dataframe(arrow(licensed_data), hide_index=True, key=f"table_{key}")
            data = licensed_data
            st.download_button("Download CSV (the data plotted)", data=lambda: exports.chart_csv(data),
                               file_name=f"{item.name}.csv", mime="text/csv", on_click="ignore", key=f"csv_{key}")


HEADLINES_PER_ROW = 3  # wide enough for "2,647 Mt CO2e" and its label on a 1280-pixel projector


def headline(numbers: Sequence[tuple[str, str, str | None]]) -> None:
    """Headline numbers, (label, value text, help), in rows of HEADLINES_PER_ROW."""
    for start in range(0, len(numbers), HEADLINES_PER_ROW):
        row = numbers[start:start + HEADLINES_PER_ROW]
        for col, (label, value, help_text) in zip(st.columns(HEADLINES_PER_ROW), row, strict=False):
            col.metric(label, value, help=help_text)


def table(frame: pd.DataFrame, key: str, name: str, **kwargs: object) -> None:
    """A plain table with a formula-safe CSV of exactly what is shown."""
    st.dataframe(arrow(frame), hide_index=True, key=f"table_{key}", **kwargs)
    st.download_button("Download CSV", data=lambda: exports.to_csv_bytes(frame), file_name=f"{name}.csv",
                       mime="text/csv", on_click="ignore", key=f"csv_{key}")


def footer(manifest: Manifest | None) -> None:
    """Sources and licences of the data on every page."""
    st.divider()
    st.caption(provenance.footer_text(manifest) if manifest else "No processed data loaded.")


def sources(ds: Dataset) -> None:
    """Each source with its citation, licence, version and file checksums."""
    from decarb.ui.loading import cached
    from decarb.views import source_files

    # One markdown block, not a heading and a paragraph per source: each element costs on every run.
    st.markdown(provenance.sources_markdown(ds.manifest))
    st.markdown("**Files and checksums** (sha256 of the raw files as accepted):")
    table(cached(source_files, ds), key="source_files", name="source-files")


_ZIPS: dict[str, bytes] = {}


def dataset_download(ds: object) -> None:
    """The whole processed dataset as a zip of CSVs with a Frictionless datapackage.json (built on click)."""
    from decarb.ui.loading import fingerprint_of
    from decarb.views import dataset_zip

    fingerprint = fingerprint_of(ds)  # type: ignore[arg-type]

    def build() -> bytes:
        if fingerprint not in _ZIPS:
            _ZIPS.clear()
            _ZIPS[fingerprint] = dataset_zip(ds)  # type: ignore[arg-type]
        return _ZIPS[fingerprint]

    st.markdown("One CSV per table (text cells made safe for spreadsheets) and a `datapackage.json` "
                "(Frictionless Data) describing every field, its unit, and each table's sources and licences.")
    st.download_button("Download all data (zip of CSVs + datapackage.json)", data=build,
                       file_name="leadit-industry-transition-data.zip", mime="application/zip",
                       on_click="ignore", key="dataset_zip")


def _status_config(frame: pd.DataFrame, column: str) -> dict[str, object]:
    from decarb.charts import STATUS_COLOURS

    config: dict[str, object] = {
        # A read-only multiselect column shows each cell's text as a coloured tag (a plain string is one tag).
        column: st.column_config.MultiselectColumn(options=list(STATUS_COLOURS),
                                                   color=[f"{c}40" for c in STATUS_COLOURS.values()]),
    }
    for col in frame.columns:
        if col != column and pd.api.types.is_float_dtype(frame[col]):
            config[col] = st.column_config.NumberColumn(format="%.2f")
    return config


def status_table(frame: pd.DataFrame, key: str, name: str, column: str = "Status") -> None:
    """A sortable table whose status cells are tinted by status (the text stays: colour is not the only cue).

    The tint is a column setting, not a pandas Styler: a Styler makes Streamlit format every cell in Python on
    each run (measured: 50 ms for the default 17-row scoreboard, far more for "Everything"). Decimals are
    shown with two places, as before.
    """
    from decarb.ui.loading import dataset_or_stop

    config = _once_per_object(f"status config {column}", frame, lambda f: _status_config(f, column))
    if "Source" in frame.columns:  # the scoreboard: its rows' licence beside their source, on screen and in the CSV
        manifest = dataset_or_stop().manifest
        frame = _once_per_object("licensed table", frame,
                                 lambda f: provenance.with_licence(f, manifest, "Source", "Licence"))  # type: ignore[arg-type]
    st.dataframe(arrow(frame), hide_index=True, key=f"table_{key}", column_config=config)
    st.download_button("Download CSV (the rows shown)", data=lambda: exports.to_csv_bytes(frame),
                       file_name=f"{name}.csv", mime="text/csv", on_click="ignore", key=f"csv_{key}")
