"""The yardstick for bench/pages.py and bench/browser.py: a bare Streamlit page with one plotly chart."""

import plotly.graph_objects as go
import streamlit as st

st.plotly_chart(go.Figure(go.Scatter(x=list(range(1970, 2024)), y=[float(i % 7) for i in range(54)])))
