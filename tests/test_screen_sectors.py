"""The Sectors screen on the real data: every label an analyst reads names its measure and unit once, in words."""

from __future__ import annotations

import re

import pytest

from decarb.render.draw import draw
from decarb.screens import sectors as screen
from decarb.screens import shared
from decarb.view import View

WORD = re.compile(r"[a-z]{4,}")


def _said_twice(text: str) -> set[str]:
    """Words of a label said again inside its parentheses ("Share of world (% of world total)"), or a second
    parenthesis ("Index (base year = 100) (index (base year = 100))")."""
    head, _, rest = text.partition("(")
    repeated = set(WORD.findall(head.lower())) & set(WORD.findall(rest.lower()))
    return repeated | ({"a second parenthesis"} if re.search(r"\)[^()]*\(", rest) else set())


@pytest.mark.parametrize("source", ["edgar", "climate_trace", "owid"])
def test_no_unit_or_measure_spelled_twice_and_no_raw_code(ds, source):
    view = View(source=source)
    sector = shared.default_sector(source)
    texts = []
    for how in ("absolute", "per_capita", "per_gdp", "share_of_world"):
        chart = screen.sector_ranking(ds, view, sector, how)
        assert chart is not None
        texts += [draw(chart).fig.layout.xaxis.title.text, draw(chart).summary.split(",")[0]]
    for how in ("index", "absolute", "share_of_world"):
        chart = screen.group_comparison(ds, view, sector, how)
        texts += [draw(chart).fig.layout.yaxis.title.text, draw(chart).summary.split(".")[0]]
    texts += [shared.HOW_LABELS[how] for how in shared.HOW_LABELS]
    problems = {text: _said_twice(text) for text in texts if _said_twice(text)}
    assert problems == {}
    assert [t for t in texts if "_" in t] == []  # never a raw code such as share_of_world
    assert "Share of the world total (%)" in texts
