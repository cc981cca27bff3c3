"""The Streamlit layer: the only package (with dashboard.py and pages/) that imports streamlit."""

from decarb.params import Choice
from decarb.ui.controls import current_view, decide_global_controls, draw_global_controls, sector_choice
from decarb.ui.loading import cached, cached_on, dataset_or_stop, try_dataset
from decarb.ui.state import begin_run, choose, enter_page, finish_run, notice, per_session, run_through_entrypoint
from decarb.ui.widgets import announce, chart, dataset_download, footer, headline, sources, status_table, table

__all__ = [
    "Choice",
    "announce",
    "begin_run",
    "cached",
    "cached_on",
    "chart",
    "choose",
    "current_view",
    "dataset_or_stop",
    "dataset_download",
    "decide_global_controls",
    "draw_global_controls",
    "enter_page",
    "finish_run",
    "footer",
    "headline",
    "notice",
    "per_session",
    "run_through_entrypoint",
    "sector_choice",
    "sources",
    "status_table",
    "table",
    "try_dataset",
]
