"""Progress: the scoreboard (area x sector) with status, and the required vs observed annual rate."""

import streamlit as st

from decarb import ui
from decarb.metrics import STATUS_RULE, STATUSES
from decarb.scoreboard import scoreboard_sectors
from decarb.screens import progress as screen
from decarb.screens import shared

ui.run_through_entrypoint()

ds = ui.dataset_or_stop()
view = ui.current_view()
sectors = tuple(scoreboard_sectors(view.source))

st.title("Progress to net zero")
st.markdown(screen.intro(view))
with st.expander("How the status is decided"):
    st.markdown(STATUS_RULE)
left, middle, right = st.columns([2, 1.3, 2])
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
areas = ui.choose(
    ui.Choice("areas", "Areas", tuple(screen.AREA_FILTERS), "groups_members", screen.AREA_FILTERS), where=middle
)
statuses = ui.choose(ui.Choice("status", "Status", STATUSES, STATUSES, multi=True), widget="multiselect", where=right)

# The filtered table and its rate chart are cached per selection (shared by sessions, never modified).
table, rates = ui.cached_on(screen.progress_view, ds, (screen.scoreboard_for, view), view, chosen, areas, statuses)
st.caption(f"{len(table)} rows. Click a column header to sort; hover a header for what it holds.")
ui.status_table(
    table,
    key="scoreboard",
    name="scoreboard",
    helps=screen.column_help(view.base_year, view.target_year),
    hidden=screen.hidden_columns(table),
    max_rows=screen.ROWS_IN_FULL,
)
st.caption(screen.table_source(table))
if rates is not None:
    ui.chart(rates, key="rates")
