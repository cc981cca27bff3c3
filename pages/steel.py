"""Steel: a country's, a group's or a member company's plants, pipeline, relining calendar and emissions per tonne."""

import streamlit as st

from decarb import ui
from decarb.screens import steel as screen

ui.run_through_entrypoint()

ds = ui.dataset_or_stop()
view = screen.steel_view(ui.current_view())  # one set of results per member definition

st.title("Steel, plant by plant")
code = str(ui.choose(ui.cached(screen.selection_choice, ds)))
st.caption(ui.cached(screen.selection_note, ds, view, code))
ui.headline(ui.cached(screen.headlines, ds, view, code))

ui.chart(ui.cached(screen.capacity_chart, ds, view, code), key="capacity")

ui.chart(ui.cached(screen.relining_chart, ds, view, code), key="relining")
# The tables open on demand (opening one reruns the page): drawn on every run they doubled the page's run time.
furnaces = st.expander("Every operating blast furnace and its relining date", key="furnaces", on_change="rerun")
if furnaces.open:
    with furnaces:
        if code in screen.GROUPS:  # a group: its countries side by side, then every furnace
            st.caption("Per country: blast-furnace capacity whose relining falls due before 2030 and before 2035.")
            by_country = ui.cached(screen.relining_by_country, ds, view, code)
            ui.table(by_country, key="relining_countries", name=f"steel-relining-by-country-{code}")
        ui.table(ui.cached(screen.calendar_table, ds, view, code), key="furnaces", name=f"steel-furnaces-{code}")

intensity = ui.cached(screen.intensity_chart, ds, view, code)
if intensity.chart is None:
    st.info(intensity.note)
else:
    ui.chart(intensity.chart, key="intensity")

ui.chart(ui.cached(screen.map_chart, ds, view, code), key="map")
plants = st.expander("Every plant, with its page on the GEM wiki", key="plants", on_change="rerun")
if plants.open:
    with plants:
        ui.table(
            ui.cached(screen.plant_table, ds, view, code),
            key="plants",
            name=f"steel-plants-{code}",
            column_config=screen.PLANT_TABLE_CONFIG,
        )
