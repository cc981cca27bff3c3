"""Progress: the scoreboard (area x sector) with status, and the required vs observed annual rate."""

import streamlit as st

from decarb import ui
from decarb.metrics import STATUS_RULE, STATUSES
from decarb.scoreboard import scoreboard_sectors
from decarb.screens import progress as screen
from decarb.screens import shared
from decarb.view import industry_fallback, industry_source_choice, needs_industry_source, with_industries

ui.run_through_entrypoint()

ds = ui.dataset_or_stop()
view = ui.current_view()
sectors = with_industries(scoreboard_sectors(view.source))  # the industries too, from an industry source

st.title("Progress to net zero")
st.markdown(screen.intro(view))
with st.expander("How the status is decided"):
    st.markdown(STATUS_RULE)
left, middle = st.columns([2, 1.3])
chosen = ui.choose(
    ui.Choice(
        "sectors",
        "Sectors",
        sectors,
        (shared.default_sector(view.source),),
        shared.SECTOR_LABELS,  # every sector: a notice about one this source lacks names it too
        multi=True,
    ),
    widget="multiselect",
    where=left,
)
industry_source = None
if needs_industry_source(view, chosen):
    industry_source = str(ui.choose(industry_source_choice(), where=left))
    ui.announce(industry_fallback(view, chosen, industry_source))
areas = ui.choose(
    ui.Choice("areas", "Areas", tuple(screen.AREA_FILTERS), "groups_members", screen.AREA_FILTERS), where=middle
)
statuses = ui.choose(ui.Choice("status", "Status", STATUSES, STATUSES, multi=True), widget="pills")

# What the page shows, once per selection.
shown = ui.cached_on(
    screen.progress_view, ds, (screen.scoreboard_for, view, industry_source), view, chosen, areas, statuses
)
st.caption(shown.caption)
ui.status_table(
    shown.table,
    key="scoreboard",
    name="scoreboard",
    helps=screen.column_help(view.base_year, view.target_year),
    hidden=shown.hidden,
    max_rows=screen.ROWS_IN_FULL,
)
st.caption(shown.source_line)
detail = st.expander(
    "More columns: trend years, trend ÷ needed, gap to the 2030 pathway, member",
    key="scoreboard_more",
    on_change="rerun",
)
if detail.open:  # made only while open (opening it reruns the page)
    with detail:
        ui.table(screen.detail_table(shown.table), key="scoreboard_detail", name="scoreboard-detail")
if shown.rates is not None:
    ui.chart(shown.rates, key="rates")
