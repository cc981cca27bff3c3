"""Checks every chart test runs on what it draws: no two series alike, and no markup shown as text.

A series is a legend entry (its legendgroup, else its name); its look is how each of its traces is drawn: a
line's colour and dash, a fill's colour and hatch, a marker's colour and symbol. Two series that share a look
cannot be told apart by a reader (India's stacked sectors: iron and steel and other manufacturing were one blue).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

import plotly.graph_objects as go

# Tags plotly renders inside titles and labels; anything else shows as text. Outside plotly (a caption, a
# summary, a note) no tag is rendered at all.
PLOTLY_TAGS = re.compile(r"</?(b|i|br|sup|sub|span|a|em)\b[^>]*>", re.IGNORECASE)
ANY_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*\b[^>]*>")


def _looks(trace: dict) -> set[tuple[str, str, str]]:
    looks = set()
    line, marker = trace.get("line") or {}, trace.get("marker") or {}
    mode = trace.get("mode") or ("lines" if trace.get("type", "scatter") == "scatter" else "")
    if trace.get("stackgroup") or trace.get("fill") not in (None, "none"):
        pattern = (trace.get("fillpattern") or {}).get("shape") or ""
        looks.add(("fill", str(trace.get("fillcolor") or line.get("color")), pattern))
    elif "lines" in mode and line.get("color"):
        looks.add(("line", str(line["color"]), str(line.get("dash") or "solid")))
    if "markers" in mode and isinstance(marker.get("color"), str):
        looks.add(("marker", marker["color"], str(marker.get("symbol") or "circle")))
    return looks


def series_looks(fig: go.Figure | dict) -> dict[str, set[tuple[str, str, str]]]:
    data = fig.to_plotly_json()["data"] if isinstance(fig, go.Figure) else fig["data"]
    out: dict[str, set[tuple[str, str, str]]] = {}
    for trace in data:
        if trace.get("type", "scatter") not in ("scatter", "scattergl"):
            continue
        key = trace.get("legendgroup") or trace.get("name")
        if not key:
            continue
        out.setdefault(str(key), set()).update(_looks(trace))
    return out


def assert_distinct_series(fig: go.Figure | dict, where: str = "") -> None:
    """No look is shared by two series of one figure."""
    owner: dict[tuple[str, str, str], str] = {}
    for series, looks in series_looks(fig).items():
        for look in looks:
            other = owner.setdefault(look, series)
            assert other == series, f"{where}: {other!r} and {series!r} are both drawn as {look}"


def shown_text(fig: go.Figure | dict) -> list[str]:
    """Every text plotly renders from markup: title, subtitle, axis titles, annotations, tick labels given."""
    layout = fig.to_plotly_json()["layout"] if isinstance(fig, go.Figure) else fig["layout"]
    texts = [(layout.get("title") or {}).get("text"), ((layout.get("title") or {}).get("subtitle") or {}).get("text")]
    texts += [a.get("text") for a in layout.get("annotations") or ()]
    for key, axis in layout.items():
        if key.startswith(("xaxis", "yaxis")) and isinstance(axis, dict):
            texts.append((axis.get("title") or {}).get("text"))
            texts += [str(t) for t in axis.get("ticktext") or ()]
    return [t for t in texts if t]


def assert_no_raw_tags(texts: Iterable[str], where: str = "", plotly: bool = False) -> None:
    """Text a reader sees holds no markup tag: plotly renders its own few (and escaped ones show as text);
    markdown and plain text render none, so any tag there is shown raw."""
    for text in texts:
        unescaped = html.unescape(text) if plotly else text
        leftover = PLOTLY_TAGS.sub("", text) if plotly else text
        tag = ANY_TAG.search(leftover) or (ANY_TAG.search(unescaped) if plotly and unescaped != text else None)
        assert not tag, f"{where}: raw tag {tag.group(0)!r} in {text!r}"
