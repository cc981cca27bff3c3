"""Page building blocks: a chart with its text equivalent, table and CSV; headline numbers; the footer."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from decarb import exports
from decarb.charts import Chart

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


def chart(item: Chart, key: str) -> None:
    """The figure, its text equivalent, and (folded) the table of exactly the plotted data with its CSV."""
    image_format = st.session_state.get(IMAGE_FORMAT_KEY, "png")
    # The figure is shared between sessions (cached); st.plotly_chart only serialises it (measured: copying
    # it first cost 45 ms a chart).
    st.plotly_chart(item.fig, key=f"fig_{key}", config=plotly_config(item.name, image_format), theme="streamlit")
    st.caption(item.summary)
    with st.expander("Data table and CSV of this chart"):
        st.dataframe(item.data, hide_index=True, key=f"table_{key}")
        data = item.data
        st.download_button("Download CSV (the data plotted)", data=lambda: exports.chart_csv(data),
                           file_name=f"{item.name}.csv", mime="text/csv", on_click="ignore", key=f"csv_{key}")


def headline(columns: Sequence[tuple[str, str, str | None]]) -> None:
    """A row of headline numbers: (label, value text, help)."""
    for col, (label, value, help_text) in zip(st.columns(len(columns)), columns, strict=True):
        col.metric(label, value, help=help_text)


def table(frame: pd.DataFrame, key: str, name: str, **kwargs: object) -> None:
    """A plain table with a formula-safe CSV of exactly what is shown."""
    st.dataframe(frame, hide_index=True, key=f"table_{key}", **kwargs)
    st.download_button("Download CSV", data=lambda: exports.to_csv_bytes(frame), file_name=f"{name}.csv",
                       mime="text/csv", on_click="ignore", key=f"csv_{key}")


def footer(manifest: dict | None) -> None:
    """Sources and licences of the data on every page."""
    st.divider()
    if not manifest:
        st.caption("No processed data loaded.")
        return
    parts = [f"{meta.get('title', sid)} ({meta.get('licence', 'licence unknown').split(',')[0]})"
             for sid, meta in manifest.get("sources", {}).items()]
    st.caption("Data: " + "; ".join(parts) + f". Built {manifest.get('built_at', '?')}. "
               "Full citations, licences and checksums: Data and method.")


def sources(manifest: dict) -> None:
    """Each source with its citation, licence, version and file checksums."""
    from decarb.views import source_summary

    for sid, meta in manifest.get("sources", {}).items():
        st.subheader(str(meta.get("title", sid)))
        st.markdown(f"**Citation:** {meta.get('citation', '')}  \n**Licence:** {meta.get('licence', '')}  \n"
                    f"**Version:** {meta.get('version', '')}  \n**Producer:** {meta.get('producer', '')}  \n"
                    f"**Link:** {meta.get('url', '')}")
    st.markdown("**Files and checksums** (sha256 of the raw files as accepted):")
    table(source_summary(manifest)[["source", "file", "sha256", "accepted on", "version", "licence"]],
          key="source_files", name="source-files")


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


def status_table(frame: pd.DataFrame, key: str, name: str, column: str = "Status") -> None:
    """A sortable table whose status cells are tinted by status (the text stays: colour is not the only cue)."""
    from decarb.charts import STATUS_COLOURS

    def tint(value: object) -> str:
        colour = STATUS_COLOURS.get(str(value))
        return f"background-color: {colour}40; font-weight: 600" if colour else ""

    styled = frame.style.map(tint, subset=[column]).format(precision=2, na_rep="")
    st.dataframe(styled, hide_index=True, key=f"table_{key}")
    st.download_button("Download CSV (the rows shown)", data=lambda: exports.to_csv_bytes(frame),
                       file_name=f"{name}.csv", mime="text/csv", on_click="ignore", key=f"csv_{key}")
