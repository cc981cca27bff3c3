"""Overview: LeadIT at a glance, and members' heavy-industry emissions against the pathway to net zero."""

import streamlit as st

from decarb import ui
from decarb.screens import overview as screen
from decarb.screens.steel import steel_view
from decarb.ui.widgets import COMPACT_TILES
from decarb.view import MEMBER_DEFINITIONS

ui.run_through_entrypoint()

ds = ui.dataset_or_stop()
view = ui.current_view()
sector = screen.page_sector(view.source)
summary = ui.cached(screen.overview, ds, view, sector)

st.title("LeadIT at a glance")
if summary.sector_note:
    st.info(summary.sector_note)
numbers = screen.overview_headlines(summary, view)
# The six tiles in one compact row (two to a row on a phone), how they count right under them: the whole first
# chart is on a laptop's first screen (1280x800, sidebar open).
ui.headline(numbers, per_row=max(len(numbers), COMPACT_TILES))
st.caption(f"Emissions source: {view.source_label}. Members: {MEMBER_DEFINITIONS[view.members]}. {summary.count_rule}")
ui.chart(summary.chart, key="overview")
if summary.fresher_note:
    st.caption(f"{summary.fresher_note}.")
st.caption(summary.member_note)

steel_lines = ui.cached(screen.member_steel_markdown, ds, steel_view(view))  # one per member definition
if steel_lines:  # the heading in the same element: each element costs on every run
    st.markdown(f"## Members' steel plants, one line each\n\n{steel_lines}")
    st.page_link("pages/steel.py", label="Steel, plant by plant: capacity, pipeline, relining, a tonne's emissions")
