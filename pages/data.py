"""Data and method: what is loaded, where it comes from, how it is processed, and the whole dataset."""

import streamlit as st

from decarb import ui
from decarb.screens import data as screen

ui.run_through_entrypoint()

ds = ui.dataset_or_stop()

st.title("Data and method")
st.markdown(screen.build_line(ds.manifest))

st.header("Tables loaded")
ui.table(ui.cached(screen.table_summary, ds), key="tables", name="processed-tables")

ui.sources(ds)

st.header("Data vintage")
st.caption("How fresh each source is: its release, the newest complete year it gives, and when it was accepted here.")
ui.table(ui.cached(screen.data_vintage, ds), key="vintage", name="data-vintage")

st.header("Download the whole dataset")
ui.dataset_download(ds)

# A heading in its text's element (one element, not two: each costs on every run).
st.markdown(f"## Data quality notes\n\n{ui.cached(screen.quality_notes, ds)}")

st.markdown(f"## What the last accepted input changed\n\n{screen.last_change(ds.manifest)}")
earlier = screen.earlier_changes(ds.manifest)
if earlier:  # folded, and made only while open: a closed expander's links are in the page but out of Tab's reach
    folded = st.expander("Earlier accepted inputs", key="earlier_changes", on_change="rerun")
    if folded.open:
        with folded:
            st.markdown(earlier)
checks = st.expander("Checks and notes of this build", key="build_notes", on_change="rerun")
if checks.open:
    with checks:
        st.markdown("\n".join(f"- {line}" for line in screen.build_notes(ds.manifest)))

st.header("Accessibility")
statement = st.expander(screen.ACCESSIBILITY_LABEL, key="accessibility", on_change="rerun")
if statement.open:  # made only while open, as the method below
    with statement:
        st.markdown(screen.accessibility_text())

st.header("Method")
# The longest text of the app (docs/method.md), made only while open: Streamlit dedents every markdown text on
# every run, so its cost grows with the text.
method = st.expander(screen.METHOD_LABEL, key="method", on_change="rerun")
if method.open:
    with method:
        st.markdown(screen.method_text())
