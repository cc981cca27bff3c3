"""Milestone labels in chromium: drawn, clear of each other, the title, subtitle and legend, and hoverable.

The figure is the real members-vs-world series with the real milestones, written as an offline HTML file, so
this checks decarb.render.marks on its own, before any page draws it.
"""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from decarb.chartspec import Axes, ChartText
from decarb.contract import MILESTONE_KINDS
from decarb.members import member_share_of_world
from decarb.render.layout import frame
from decarb.render.marks import add_milestones

pytestmark = pytest.mark.browser

BOXES = r"""() => {
  const box = e => { const b = e.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; };
  const all = s => [...document.querySelectorAll(s)].map(box);
  return {
    labels: [...document.querySelectorAll('.annotation')]
      .filter(e => LABELS.includes(e.textContent.trim().replace(/\d{4}$/, '')))  // a word over its year
      .map(e => box(e.querySelector('.annotation-text') || e)),  // the text: the group spans its leader line too
    legend: all('.legend'), title: all('.gtitle'), subtitle: all('.gtitle-subtitle'), plot: all('.nsewdrag'),
  };
}"""


def _overlap(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize(("width", "height", "first_year"), [(1280, 720, 1990), (1024, 768, 2012), (900, 600, 1990)])
def test_labels_clear_of_title_legend_and_each_other(browser, ds, tmp_path, width, height, first_year):
    share = member_share_of_world(ds)
    share = share[share["year"] >= first_year]
    fig = go.Figure(
        [
            go.Scatter(x=share["year"], y=share["members"], name="LeadIT members"),
            go.Scatter(x=share["year"], y=share["world"], name="World"),
        ]
    )
    text = ChartText("Heavy industry: LeadIT members and the world", "Today's members in every year", "Source: EDGAR")
    frame(fig, text, Axes("Year", share.attrs["unit"]))
    marks = add_milestones(fig, ds.milestones)
    path = tmp_path / "marks.html"
    fig.write_html(path, include_plotlyjs=True)
    page = browser.new_page()
    try:
        page.set_viewport_size({"width": width, "height": height})
        page.goto(path.as_uri())
        page.wait_for_selector(".js-plotly-plot .main-svg")
        script = BOXES.replace("LABELS", str(sorted(set(MILESTONE_KINDS.values()))))
        # On a busy machine plotly may still be drawing the annotations when the svg appears: wait for all.
        page.wait_for_function(f"({script})().labels.length >= {len(marks.shown)}", timeout=30_000)
        boxes = page.evaluate(script)
        labels, plot = boxes["labels"], boxes["plot"][0]
        assert len(labels) == len(marks.shown) > 0
        for i, label in enumerate(labels):
            for other in boxes["legend"] + boxes["title"] + boxes["subtitle"] + labels[i + 1 :]:
                assert not _overlap(label, other), (label, other)
            assert label[3] <= plot[1] + 1  # above the plot: no data covered
        legend_bottom = max(b[3] for b in boxes["legend"])
        assert min(label[1] for label in labels) >= legend_bottom - 1  # below the legend
        page.hover(".annotation >> text=" + marks.shown["label"].iloc[0])
        page.wait_for_function("document.querySelector('.hoverlayer').textContent.length > 0", timeout=30_000)
        hover = page.locator(".hoverlayer").text_content()
        assert marks.shown["event"].iloc[0] in hover and "Source:" in hover
    finally:
        page.close()
