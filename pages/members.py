"""Members: being built."""

import streamlit as st

from decarb import ui

ds = ui.dataset_or_stop()
st.title("Members")
st.info("This page is being built.")
