"""Sectors: countries ranked, a world map of change since the base year, members vs non-members vs world."""

import streamlit as st

from decarb import ui
from decarb.normalise import HOWS
from decarb.screens import sectors as screen
from decarb.screens import shared

ui.run_through_entrypoint()

ds = ui.dataset_or_stop()
view = ui.current_view()

st.title("Sectors")
left, middle, right = st.columns(3)
sector = ui.choose(ui.sector_choice(view.source), where=left)
how = ui.choose(
    ui.Choice("rank_by", "Rank countries by", tuple(h for h in HOWS if h != "index"), "absolute", shared.HOW_LABELS),
    where=middle,
)
compare = ui.choose(
    ui.Choice("compare", "Compare groups as", ("index", "absolute", "share_of_world"), "index", shared.HOW_LABELS),
    where=right,
)

ranking = ui.cached(screen.sector_ranking, ds, view, sector, how)
if ranking is None:
    st.info(f"{view.source_label} has no country data for this sector.")
else:
    ui.chart(ranking, key="ranking")
change_map = ui.cached(screen.sector_change_map, ds, view, sector)
if change_map is None:
    st.info(f"No {view.base_year} values for this sector in {view.source_label}: pick another base year.")
else:
    ui.chart(change_map, key="map")
ui.chart(ui.cached(screen.group_comparison, ds, view, sector, compare), key="groups")
