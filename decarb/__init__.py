"""Pure domain logic for the Industry Transition Dashboard: the data contract, loading, metrics, charts, exports.

Only decarb.ui imports Streamlit; everything else is plain Python, testable without a server.
"""
