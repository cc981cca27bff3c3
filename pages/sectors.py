"""Sectors: countries ranked, a world map of change since the base year, members vs non-members vs world."""

import streamlit as st

from decarb import ui, views
from decarb.normalise import HOWS

ui.run_through_entrypoint()

ds = ui.dataset_or_stop()
view = ui.current_view()
sectors = views.sector_options(view.source)

st.title("Sectors")
left, middle, right = st.columns(3)
sector = ui.choose(ui.Choice("sector", "Sector", tuple(sectors), views.default_sector(view.source),
                             {s: views.sector_label(s) for s in sectors}), where=left)
metric = ui.choose(ui.Choice("rank_by", "Rank countries by", tuple(h for h in HOWS if h != "index"), "absolute",
                             views.METRIC_LABELS), where=middle)
compare = ui.choose(ui.Choice("compare", "Compare groups as", ("index", "absolute", "share_of_world"), "index",
                              views.METRIC_LABELS), where=right)

ranking = ui.cached(views.sector_ranking, ds, view, sector, metric)
if ranking is None:
    st.info(f"{view.source_label} has no country data for this sector.")
else:
    ui.chart(ranking, key="ranking")
change_map = ui.cached(views.sector_change_map, ds, view, sector)
if change_map is None:
    st.info(f"No {view.base_year} values for this sector in {view.source_label}: pick another base year.")
else:
    ui.chart(change_map, key="map")
ui.chart(ui.cached(views.group_comparison, ds, view, sector, compare), key="groups")
