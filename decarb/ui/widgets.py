"""Page building blocks: a chart with its text equivalent, table and CSV; headline numbers; the footer."""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd
import plotly.graph_objects as go
import pyarrow as pa
import streamlit as st

from decarb import exports, provenance
from decarb.chartspec import ChartSpec, ChartText
from decarb.data import Dataset
from decarb.describe import alt_text
from decarb.memo import SHARED
from decarb.provenance import Manifest
from decarb.render.draw import draw
from decarb.render.layout import EXPORT_HEIGHT_PX, EXPORT_PX, PHONE_MAX_PX, foot_spare_px, head_px
from decarb.screens.data import dataset_zip, source_files
from decarb.theme import FOCUS, STATUS_COLOURS
from decarb.ui.loading import cached
from decarb.ui.streamlit_internals import ColumnConfig, PreSerialisedFigure, arrow_table

IMAGE_FORMAT_KEY = "img"
# plotly fetches map shapes from this folder (served by Streamlit itself: no CDN, works offline).
TOPOJSON_URL = "app/static/topojson/"


def plotly_config(name: str, image_format: str = "png") -> dict:
    """Modebar: no logo, image download named after the chart, PNG at slide resolution or SVG."""
    options: dict[str, str | int] = {"format": image_format, "filename": name}
    if image_format == "png":
        options.update({"width": EXPORT_PX, "height": EXPORT_HEIGHT_PX, "scale": 2})
    return {
        "displaylogo": False,
        "toImageButtonOptions": options,
        "modeBarButtonsToRemove": ["lasso2d", "select2d"],
        "topojsonURL": TOPOJSON_URL,
    }


def serialised(fig: go.Figure) -> go.Figure:
    """The figure for st.plotly_chart, serialised once per figure object (the cached figures never change)."""
    return SHARED.of_object(fig, "serialised figure", lambda: PreSerialisedFigure(fig.to_dict()))


def arrow(frame: pd.DataFrame) -> pa.Table:
    """The frame as the Arrow table st.dataframe would make of it on every run (the same bytes are sent), made
    once per frame object, not on every run."""
    return SHARED.of_object(frame, "arrow table", lambda: arrow_table(frame))


# The page's gap between elements, closed under a heading: it lies over the figure's own (hidden) title band.
ELEMENT_GAP = "1rem"
HEAD_CLEARANCE_PX = 10  # between the heading's last line and what follows it (a legend or the plot), measured


@dataclass(frozen=True, eq=False)
class Drawn:
    """A chart as every session's page shows it, made once per description (decarb.render.draw builds the
    figure; the rest is made of it here): the serialised figure, the HTML heading, the spare foot by viewport
    width, the figure's label for assistive technology, its text equivalent and the rows of its table and CSV."""

    figure: go.Figure
    heading: str
    foot_spare: tuple[tuple[int, int], ...]
    alt: str
    summary: str
    data: pd.DataFrame
    name: str


def drawn(spec: ChartSpec) -> Drawn:
    """`spec` drawn, once per description object (the cached descriptions are shared and never change)."""

    def make() -> Drawn:
        chart = draw(spec)
        figure = chart.fig.to_dict()
        # plotly's default template, which to_dict() writes into every figure, is replaced in the browser by
        # Streamlit's chart theme (theme="streamlit" below): sent on every run, it would change nothing drawn.
        figure["layout"].pop("template", None)
        return Drawn(
            PreSerialisedFigure(figure),
            heading_html(chart.text),
            tuple(sorted(foot_spare_px(chart.fig).items())),
            alt_text(chart.text.title if chart.text else chart.name, chart.data),
            chart.summary,
            chart.data,
            chart.name,
        )

    return SHARED.of_object(spec, "drawn chart", make)


def heading_html(text: ChartText | None) -> str:
    """The chart's title and subtitle as HTML that wraps with its box, laid over the figure's own title band
    (decarb.render.layout.head_px), which the page hides (APP_CSS); "" for a chart without them."""
    if text is None or not text.title:
        return ""
    subtitle = html.escape(text.subtitle)
    overlap = max(head_px(text) - HEAD_CLEARANCE_PX, 0)
    return (
        f'<div class="chart-head" style="--overlap: {overlap}px">'
        f'<div class="chart-title">{html.escape(text.title)}</div>'
        + (f'<div class="chart-subtitle">{subtitle}</div>' if subtitle else "")
        + "</div>"
    )


def foot_cut_css(shown: Drawn, key: str) -> str:
    """A style block that lets what follows a chart take the empty foot a wide screen leaves under a legend sized
    for a phone's rows (decarb.render.layout.foot_spare_px). A negative margin, not a smaller box: plotly fits the
    figure to its box, squeezing the plot."""
    rules = "".join(
        f"@media (min-width: {viewport}px) {{ .st-key-fig_{key} {{ margin-bottom: -{px}px; }} }}"
        for viewport, px in shown.foot_spare
    )
    return f"<style>{rules}</style>" if rules else ""


def chart(spec: ChartSpec, key: str) -> None:
    """The figure under its title and subtitle (HTML, heading_html), its text equivalent, and (folded) the table
    of exactly the plotted data with its CSV."""
    shown = drawn(spec)
    image_format = st.session_state.get(IMAGE_FORMAT_KEY, "png")
    # No container around the two: the stylesheet finds the figure as the element after its heading (a keyed
    # container per chart cost a block a run; page reruns grow with their element count).
    if shown.heading:
        st.markdown(shown.heading + foot_cut_css(shown, key), unsafe_allow_html=True)
    st.plotly_chart(
        shown.figure,
        key=f"fig_{key}",
        config=plotly_config(shown.name, image_format),
        theme="streamlit",
        alt=shown.alt,
    )
    st.caption(shown.summary)
    # The table is made only while the expander is open (opening it reruns the page): a table in a closed
    # expander still made the browser fetch and compile the 0.5 MB data grid code before the first chart.
    folded = st.expander("Data table and CSV of this chart", key=f"data_{key}", on_change="rerun")
    if folded.open:
        with folded:
            st.dataframe(
                arrow(shown.data),
                hide_index=True,
                key=f"table_{key}",
                column_config=pinned_first(shown.data),
            )
            data = shown.data
            csv_button("Download CSV (the data plotted)", lambda: exports.chart_csv(data), shown.name, key)


def csv_button(label: str, make: Callable[[], bytes], name: str, key: str) -> None:
    """A CSV download, made only when clicked (no rerun on the click)."""
    st.download_button(label, data=make, file_name=f"{name}.csv", mime="text/csv", on_click="ignore", key=f"csv_{key}")


def announce(text: str | None) -> None:
    """A note that changes what the page shows (a source answering in place of another), as a caption that screen
    readers announce when it appears or changes (role="status": a polite live region). Notices of ignored link
    values are Streamlit warnings, which it marks role="alert" itself."""
    if text:
        st.caption(f'<span role="status">{html.escape(text, quote=False)}</span>', unsafe_allow_html=True)


HEADLINES_PER_ROW = 3  # wide enough for "2,647 Mt CO2e" and its label on a 1280-pixel projector
# A row of this many tiles or more is drawn compact (COMPACT_TILES_CSS): numbers and labels wrap in their narrow
# columns at a smaller size, so a page's tiles take one row and its first chart fits a laptop's first screen (in two
# rows of three the tiles pushed the Overview's chart to 945 px at 1280x800).
COMPACT_TILES = 6


def headline(numbers: Sequence[tuple[str, str, str | None]], per_row: int = HEADLINES_PER_ROW) -> None:
    """Headline numbers, (label, value text, help), in rows of `per_row` (COMPACT_TILES or more: the compact
    tiles of APP_CSS)."""
    if per_row >= COMPACT_TILES:
        st.html(COMPACT_TILES_CSS)  # a style alone takes no room on the page
    for start in range(0, len(numbers), per_row):
        row = numbers[start : start + per_row]
        for col, (label, value, help_text) in zip(st.columns(per_row), row, strict=False):
            col.metric(label, value, help=help_text)


def pinned_first(
    frame: pd.DataFrame, config: Mapping[str, ColumnConfig | None] | None = None
) -> dict[str, ColumnConfig | None]:
    """Column settings with the first column (the row's name) pinned: on a phone a table shows 3-4 columns and
    the numbers scroll sideways, the name staying in view beside them. A hidden first column
    (None) stays hidden. Without settings to add to, made once per frame object, not on every run."""
    if not config:
        return SHARED.of_object(frame, "pinned first", lambda: _pinned_first(frame, None))
    return _pinned_first(frame, config)


def _pinned_first(
    frame: pd.DataFrame, config: Mapping[str, ColumnConfig | None] | None
) -> dict[str, ColumnConfig | None]:
    out: dict[str, ColumnConfig | None] = dict(config or {})
    if len(frame.columns):
        first = str(frame.columns[0])
        if first not in out or out[first] is not None:
            out[first] = {**(out.get(first) or st.column_config.Column()), "pinned": True}
    return out


def table(frame: pd.DataFrame, key: str, name: str, **kwargs: Any) -> None:
    """A plain table with a formula-safe CSV of exactly what is shown; its first column pinned."""
    kwargs["column_config"] = pinned_first(frame, kwargs.get("column_config"))
    st.dataframe(arrow(frame), hide_index=True, key=f"table_{key}", **kwargs)
    csv_button("Download CSV", lambda: exports.to_csv_bytes(frame), name, key)


# The app's one stylesheet (sent with the footer on every page; a style-only st.html takes no room on the page).
# - Chart texts that Streamlit's chart theme draws in a light grey (ticks, subtitles, axis titles, the source line
#   and milestone labels: 3.6:1 on white) take the page's text colour at TEXT_MIX percent, so
#   they stay muted beside the title but read at >= 4.5:1 in the light and in the dark theme alike (one figure
#   serves both themes: only the page knows which is shown). tests/journeys/test_screens.py measures it.
# - A chart's title and subtitle are HTML above it (heading_html), wrapping with the page at any width; the
#   figure's own (kept for the image download) is hidden, and the heading sits over its band, above the plot.
#   Not on a phone: a tap draws the modebar at the figure's top right, over the heading's last line; there the
#   figure starts under the heading and the modebar takes the hidden band.
# - A multiselect shows every chosen chip, wrapped onto more lines, not one line scrolled sideways (the country
#   picker shows 14 chips by default).
# - On a phone the milestone labels (the annotations with a leader line, decarb.milestones) are hidden: one row of
#   them does not fit a 250 px plot; the dotted lines stay, and the chart's text names every milestone.
# - On a phone (Streamlit stacks columns below 640 px) the headline tiles go two to a row with a smaller number,
#   so the first screen shows the chart's start, not six tiles one under another.
# - Less of the first screen above the page's title on a laptop or projector (Streamlit leaves 6rem under its
#   3.75rem header); with the compact tiles (COMPACT_TILES_CSS) the Overview's first chart fits 1280x800.
# - Captions: Streamlit fades them to 60% opacity, 3.9:1 on white; at TEXT_MIX percent they read at >= 4.5:1
#   in both themes (WCAG 1.4.3; tests/browser/test_accessibility.py runs axe-core on every page).
# - A chosen pill (the Progress status filter): Streamlit writes its word in its accent red on a red tint, 4.47:1
#   in the light theme and 3.6:1 in the dark; the word takes the page's text colour and a check mark, so being
#   chosen is told by the mark as well as the border's colour (WCAG 1.4.1, 1.4.3). The mark is not read out:
#   the button's own pressed state says it.
# - Keyboard focus: Streamlit draws none on the navigation links and the page's main area, and a 1 px black ring
#   on the chart's modebar (lost on the dark background). Every focused element gets one ring, outside it, in
#   theme.FOCUS (WCAG 2.4.7; tests/browser/test_keyboard.py checks it on every stop of a Tab walk). A select's or
#   multiselect's text field is clipped by its box: the ring goes round the whole box instead.
TEXT_MIX = 80
MUTED_CHART_TEXT = ", ".join(
    f".js-plotly-plot .main-svg {part}"
    for part in (
        ".xtick text",
        ".ytick text",
        ".gtitle-subtitle",
        ".g-xtitle text",
        ".g-ytitle text",
        ".annotation-text",
        ".cbtitle text",
        ".cbaxis text",
    )
)
COMPACT_ROW = f'.stHorizontalBlock:has(> .stColumn:nth-child({COMPACT_TILES}) [data-testid="stMetric"])'
# Sent before the tiles (headline), not with the footer: without it the labels of six narrow tiles are cut off
# ("Member coun..."), and the footer comes after the page's charts.
COMPACT_TILES_CSS = f"""<style>@media (min-width: {PHONE_MAX_PX + 1}px) {{
  {COMPACT_ROW} [data-testid="stMetricValue"] {{ font-size: clamp(1.5rem, 1.8vw, 2.25rem) !important;
    line-height: 1.15; }}
  {COMPACT_ROW} [data-testid="stMetricValue"] *, {COMPACT_ROW} [data-testid="stMetricLabel"] * {{
    white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }}
  {COMPACT_ROW} [data-testid="stMetricLabel"] p {{ font-size: 0.8rem !important; line-height: 1.3; }}
}}</style>"""
APP_CSS = f"""<style>
[data-testid="stMultiSelectTagsContainer"] {{ flex-wrap: wrap !important; overflow: visible !important; }}
div:has(> [data-testid="stMultiSelectTagsContainer"]) {{ max-height: none !important; height: auto !important; }}
.react-aria-ComboBox:has([data-testid="stMultiSelectTagsContainer"]) {{ height: auto !important; }}
.stElementContainer:has(.chart-head) + .stElementContainer .js-plotly-plot .g-gtitle {{ display: none !important; }}
.chart-head {{ position: relative; z-index: 3; pointer-events: none;
  margin-bottom: calc(-1 * var(--overlap) - {ELEMENT_GAP}); }}
.chart-head .chart-title {{ font-weight: 700; font-size: 1.05rem; line-height: 1.35; }}
.chart-head .chart-subtitle {{ font-size: 0.875rem; line-height: 1.4; margin-top: 0.15rem;
  color: color-mix(in srgb, currentColor {TEXT_MIX}%, transparent); }}
{MUTED_CHART_TEXT} {{ fill: color-mix(in srgb, currentColor {TEXT_MIX}%, transparent) !important; }}
:focus-visible {{ outline: 2px solid {FOCUS} !important; outline-offset: 2px !important; }}
.react-aria-ComboBox input:focus-visible {{ outline: none !important; }}
.react-aria-ComboBox:has(input:focus-visible) {{ outline: 2px solid {FOCUS}; outline-offset: 2px;
  border-radius: 0.5rem; }}
[data-testid="stCaptionContainer"] {{ opacity: {TEXT_MIX / 100} !important; }}
button[data-variant="pills"][data-selected="true"] {{ color: inherit !important; }}
button[data-variant="pills"][data-selected="true"] p::before {{ content: "\\2713\\00a0" / ""; }}
@media (min-width: {PHONE_MAX_PX + 1}px) {{
  [data-testid="stMainBlockContainer"] {{ padding-top: 3rem; }}
}}
@media (max-width: {PHONE_MAX_PX}px) {{
  .chart-head {{ margin-bottom: 0; }}
  .js-plotly-plot .annotation:has(.annotation-arrow-g) {{ display: none !important; }}
  .stHorizontalBlock:has([data-testid="stMetric"]) {{ flex-direction: row !important; flex-wrap: wrap !important;
    gap: 0.5rem 1rem !important; }}
  .stHorizontalBlock:has([data-testid="stMetric"]) > .stColumn {{ flex: 1 1 calc(50% - 1rem) !important;
    min-width: calc(50% - 1rem) !important; width: calc(50% - 1rem) !important; }}
  [data-testid="stMetricValue"] {{ font-size: 1.45rem !important; }}
  [data-testid="stMetricLabel"] p {{ font-size: 0.8rem !important; white-space: normal !important; }}
  [data-testid="stMetricLabel"] * {{ overflow: visible !important; text-overflow: clip !important; }}
}}
</style>"""


def footer(manifest: Manifest | None) -> None:
    """Sources and licences of the data on every page under a rule, and the app's stylesheet, in one element
    (each element costs on every run of every page; a style block takes no room)."""
    text = provenance.footer_text(manifest) if manifest else "No processed data loaded."
    # The stylesheet needs HTML allowed; the sources' text stays text, as a plain caption showed it.
    st.caption(f"{APP_CSS}\n\n---\n\n{html.escape(text, quote=False)}", unsafe_allow_html=True)


def sources(ds: Dataset) -> None:
    """Each source with its citation, licence, version and file checksums."""
    # One markdown block, the heading, a paragraph per source and the table's title: each element costs on every run.
    st.markdown(
        f"## Sources\n\n{provenance.sources_markdown(ds.manifest)}\n\n"
        "**Files and checksums** (sha256 of the raw files as accepted):"
    )
    table(cached(source_files, ds), key="source_files", name="source-files")


def dataset_download(ds: Dataset) -> None:
    """The whole processed dataset as a zip of CSVs with a Frictionless datapackage.json (built on click)."""

    def build() -> bytes:
        return cached(dataset_zip, ds)

    st.markdown(
        "One CSV per table (text cells made safe for spreadsheets) and a `datapackage.json` "
        "(Frictionless Data) describing every field, its unit, and each table's sources and licences."
    )
    st.download_button(
        "Download all data (zip of CSVs + datapackage.json)",
        data=build,
        file_name="leadit-industry-transition-data.zip",
        mime="application/zip",
        on_click="ignore",
        key="dataset_zip",
    )


def _status_config(
    frame: pd.DataFrame, column: str, helps: tuple[tuple[str, str], ...] = (), hidden: tuple[str, ...] = ()
) -> dict[str, ColumnConfig | None]:
    tips = dict(helps)
    config: dict[str, ColumnConfig | None] = {
        # A read-only multiselect column shows each cell's text as a coloured tag (a plain string is one tag).
        column: st.column_config.MultiselectColumn(
            options=list(STATUS_COLOURS), color=[f"{c}40" for c in STATUS_COLOURS.values()], help=tips.get(column)
        ),
    }
    for col in frame.columns:
        if col in hidden:
            config[col] = None  # kept in the CSV, not on screen
        elif col != column and pd.api.types.is_float_dtype(frame[col]):
            config[col] = st.column_config.NumberColumn(format="%.2f", help=tips.get(col))
        elif col != column and col in tips:
            config[col] = st.column_config.Column(help=tips[col])
    return pinned_first(frame, config)


def status_table(
    frame: pd.DataFrame,
    key: str,
    name: str,
    column: str = "Status",
    helps: Mapping[str, str] | None = None,
    hidden: tuple[str, ...] = (),
    max_rows: int = 0,
) -> None:
    """A sortable table whose status cells are tinted by status (the text stays: colour is not the only cue).

    The tint is a column setting, not a pandas Styler: a Styler makes Streamlit format every cell in Python on
    each run, a cost that grows with the rows (docs/deploy.md). Decimals are
    shown with two places, as before. Headers in `helps` get that tooltip; `hidden` columns stay in the CSV
    only; up to `max_rows` rows the table is as high as its rows (no scrolling inside it); an empty cell reads as
    a dash, never "None" (the page says why in words).
    """
    tips = tuple((helps or {}).items())
    config = SHARED.of_object(
        frame, ("status config", column, tips, hidden), lambda: _status_config(frame, column, tips, hidden)
    )
    height: Literal["content", "auto"] = "content" if len(frame) <= max_rows else "auto"
    st.dataframe(
        arrow(frame), hide_index=True, key=f"table_{key}", column_config=config, height=height, placeholder="–"
    )
    csv_button("Download CSV (the rows shown)", lambda: exports.to_csv_bytes(frame), name, key)
