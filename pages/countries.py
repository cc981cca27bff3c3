"""Countries: one or several countries over time, with pathways to net zero and their own targets."""

import streamlit as st

from decarb import ui
from decarb.normalise import HOWS
from decarb.screens import countries as screen
from decarb.screens import shared

ui.run_through_entrypoint()

ds = ui.dataset_or_stop()
view = ui.current_view()
countries = ui.cached(screen.country_options, ds, view.source)
names = ui.cached(shared.country_names, ds)
members = ui.cached(screen.member_country_options, ds, view)
sectors = shared.sector_options(view.source)

st.title("Countries")
left, middle, right = st.columns([3, 1.3, 1.3])
codes = ui.choose(
    ui.Choice(
        "countries",
        "Countries",
        tuple(countries),
        members,
        names,
        multi=True,
        help="Default: the LeadIT member countries.",
    ),
    widget="multiselect",
    where=left,
)
sector = ui.choose(
    ui.Choice(
        "sector",
        "Sector",
        tuple(sectors),
        shared.default_sector(view.source),
        shared.SECTOR_LABELS,  # every sector: a notice about one this source lacks names it too
    ),
    where=middle,
)
how = ui.choose(ui.Choice("metric", "Metric", HOWS, "absolute", shared.HOW_LABELS), where=right)

if not codes:
    st.info("Pick at least one country.")
else:
    ui.chart(ui.cached(screen.countries_chart, ds, view, codes, sector, how), key="countries")
    if len(codes) == 1:
        ui.chart(ui.cached(screen.sector_breakdown, ds, view, codes[0], sector), key="breakdown")
    else:
        st.caption("Pick a single country to see its sector breakdown.")
    st.subheader("Net-zero targets (Net Zero Tracker)")
    # A dash where the tracker records nothing (e.g. no interim target), never "None"
    ui.table(ui.cached(screen.target_table, ds, codes), key="targets", name="net-zero-targets", placeholder="–")
