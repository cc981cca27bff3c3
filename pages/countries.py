"""Countries: one or several countries over time, with pathways to net zero and their own targets."""

import streamlit as st

from decarb import ui
from decarb.normalise import HOWS
from decarb.screens import countries as screen
from decarb.screens import shared
from decarb.view import industry_source_choice, member_view, needs_industry_source, sector_view

ui.run_through_entrypoint()

ds = ui.dataset_or_stop()
view = ui.current_view()
names = ui.cached(shared.country_names, ds)

st.title("Countries")
left, middle, right = st.columns([3, 1.3, 1.3])
sector = str(ui.choose(ui.sector_choice(view.source, industries=True), where=middle))  # and the industries
if needs_industry_source(view, (sector,)):
    view, fallback = sector_view(view, sector, str(ui.choose(industry_source_choice(), where=middle)))
    ui.announce(fallback)
countries = ui.cached(screen.country_options, ds, view.source)
members = ui.cached(screen.member_country_options, ds, view)
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
    # Without the bulk "Select N matches" entry, Enter after typing a name adds the best match only: the bulk
    # entry was highlighted first, so "India" + Enter added every fuzzy match.
    select_all=False,
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
    st.header(ui.cached(screen.targets_heading, ds))
    # A dash where the tracker records nothing (e.g. no interim target), never "None"
    ui.table(ui.cached(screen.target_table, ds, codes), key="targets", name="net-zero-targets", placeholder="–")

changes = ui.cached(screen.changed_targets_section, ds, member_view(view))  # depends on the members alone
st.header(changes.heading)
st.caption(changes.summary)
ui.table(changes.table, key="target_changes", name="net-zero-target-changes", placeholder="–")
