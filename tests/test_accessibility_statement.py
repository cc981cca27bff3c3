"""The accessibility statement: its parts are there, every test file and module it cites exists, and the Data page
shows it under its own header."""

from __future__ import annotations

import re

from conftest import ROOT

STATEMENT = (ROOT / "docs" / "accessibility.md").read_text(encoding="utf-8")


def test_the_statement_names_the_standard_the_testing_the_exceptions_and_how_to_report():
    for part in (
        "## Standard targeted",
        "## How it is tested",
        "## What is known not to conform",
        "## Reporting a barrier",
    ):
        assert part in STATEMENT
    assert "WCAG 2.2" in STATEMENT and "EN 301 549" in STATEMENT


def test_every_file_the_statement_cites_exists():
    cited = set(re.findall(r"`((?:tests|decarb)/[\w/]+\.py)`", STATEMENT))
    assert cited and all((ROOT / path).exists() for path in cited), cited


def test_the_data_page_shows_the_statement(ds):
    from test_app_pages import run

    at = run("pages/data.py")
    assert "Accessibility" in [h.value for h in at.header]
    at.session_state["accessibility"] = True  # what opening its expander sets
    at.run()
    assert any("Reporting a barrier" in m.value and "WCAG 2.2" in m.value for m in at.markdown)
