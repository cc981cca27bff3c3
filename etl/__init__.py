"""ETL: raw files in data/raw -> validated Parquet tables and a manifest in data/processed.

One module per source, each with the same shape: read (validated with pandera) and to_<table> (pure).
build.py wires them, checks.py checks the outputs, provenance.py guards the raw files.
"""
