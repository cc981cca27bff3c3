"""Members: where the member countries are, how membership grew, and the company members."""

import streamlit as st

from decarb import ui
from decarb.screens import members as screen

ui.run_through_entrypoint()

ds = ui.dataset_or_stop()

st.title("LeadIT members")
st.warning("The member list is known to be incomplete: the counts LeadIT reported exceed the members named. "
           "Rows marked UNVERIFIED are reported as members but not confirmed by a source.")
ui.chart(ui.cached(screen.member_map, ds), key="member_map")
ui.chart(ui.cached(screen.member_timeline, ds), key="timeline")
st.subheader("Member countries")
ui.table(ui.cached(screen.country_members, ds), key="countries", name="member-countries")
st.subheader("Company members")
ui.table(ui.cached(screen.company_members, ds), key="companies", name="member-companies")
