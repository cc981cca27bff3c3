"""Countries: one or several countries over time, with pathways to net zero and their own targets."""

import streamlit as st

from decarb import ui, views
from decarb.normalise import HOWS

ui.run_through_entrypoint()

ds = ui.dataset_or_stop()
view = ui.current_view()
countries = ui.cached(views.country_options, ds, view.source)
names = ui.cached(views.country_names, ds)
members = ui.cached(views.member_country_options, ds, view)
sectors = views.sector_options(view.source)

st.title("Countries")
left, middle, right = st.columns([3, 1.3, 1.3])
codes = ui.choose(ui.Choice("countries", "Countries", tuple(countries), members, names, multi=True,
                            help="Default: the LeadIT member countries."), widget="multiselect", where=left)
sector = ui.choose(ui.Choice("sector", "Sector", tuple(sectors), views.default_sector(view.source),
                             {s: views.sector_label(s) for s in sectors}), where=middle)
metric = ui.choose(ui.Choice("metric", "Metric", HOWS, "absolute", views.METRIC_LABELS), where=right)

if not codes:
    st.info("Pick at least one country.")
else:
    ui.chart(ui.cached(views.countries_chart, ds, view, codes, sector, metric), key="countries")
    if len(codes) == 1:
        ui.chart(ui.cached(views.sector_breakdown, ds, view, codes[0], sector), key="breakdown")
    else:
        st.caption("Pick a single country to see its sector breakdown.")
    st.subheader("Net-zero targets (Net Zero Tracker)")
    ui.table(ui.cached(views.target_table, ds, codes), key="targets", name="net-zero-targets")
