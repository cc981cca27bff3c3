"""decarb.ui.streamlit_internals relies on Streamlit's insides as of one version: any other version fails here."""

from __future__ import annotations

import ast
from pathlib import Path

import pandas as pd
import pyarrow as pa
import streamlit

from decarb.ui import streamlit_internals as internals

ROOT = Path(__file__).resolve().parent.parent


def test_the_installed_streamlit_is_the_one_the_internals_were_checked_against():
    assert streamlit.__version__ == internals.CHECKED_VERSION, (
        f"streamlit {streamlit.__version__} is installed; decarb/ui/streamlit_internals.py was checked against "
        f"{internals.CHECKED_VERSION}: re-check each item there (and the tests it names), then update CHECKED_VERSION"
    )


def test_the_internals_still_have_the_shape_used():
    from streamlit.runtime.pages_manager import PagesManager

    assert hasattr(PagesManager, "uses_pages_directory")
    table = internals.arrow_table(pd.DataFrame({"a": [1, 2]}))
    assert isinstance(table, pa.Table) and table.num_rows == 2
    assert internals.PreSerialisedFigure({"data": [], "layout": {}}).to_dict() == {"data": [], "layout": {}}


def test_no_other_module_reaches_into_streamlit():
    """Only `import streamlit as st` elsewhere: a `from streamlit.x import` is an internal (or belongs here)."""
    offenders = []
    for folder in ("decarb", "pages", "dashboard.py"):
        for path in sorted((ROOT / folder).rglob("*.py")) if (ROOT / folder).is_dir() else [ROOT / folder]:
            if path.name == "streamlit_internals.py":
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("streamlit"):
                    offenders.append(f"{path.relative_to(ROOT)}: from {node.module} import ...")
                if isinstance(node, ast.Import):
                    offenders += [
                        f"{path.relative_to(ROOT)}: import {a.name}" for a in node.names if "streamlit." in a.name
                    ]
    assert not offenders, offenders
