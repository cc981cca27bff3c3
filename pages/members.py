"""Members: where the member countries are, how membership grew, the counts reconciled, and the milestones."""

import streamlit as st

from decarb import ui
from decarb.screens import members as screen

ui.run_through_entrypoint()

ds = ui.dataset_or_stop()
view = ui.current_view()

st.title("LeadIT members")
st.warning(
    "The member list is known to be incomplete: the counts LeadIT reported exceed the members named. "
    "Rows marked UNVERIFIED are reported as members but not confirmed by a source."
)
ui.chart(ui.cached(screen.member_map, ds), key="member_map")
ui.chart(ui.cached(screen.member_timeline, ds, view.milestones), key="timeline")
st.header("Reported counts against the members named")
st.caption(screen.RECONCILIATION_NOTE)
ui.table(ui.cached(screen.reconciliation_table, ds), key="reconciliation", name="member-reconciliation")
st.header("Member countries")
ui.table(ui.cached(screen.country_members, ds), key="countries", name="member-countries")
st.header("Company members")
ui.table(ui.cached(screen.company_members, ds), key="companies", name="member-companies")
# Reference, folded: made only while open (opening it reruns the page), as the charts' data tables are.
dates = st.expander("LeadIT milestones: the dates the time charts mark", key="milestone_dates", on_change="rerun")
if dates.open:
    with dates:
        st.caption("The dotted lines of the time charts; hide them with LeadIT milestones in the sidebar.")
        ui.table(ui.cached(screen.milestone_table, ds), key="milestones", name="leadit-milestones")
