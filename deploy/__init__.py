"""Serving the dashboard: HAProxy in front of Streamlit replicas (`make serve`)."""
