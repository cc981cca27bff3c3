"""The Members page, the milestones on the time charts and the Data page's change report, through the real
entrypoint (AppTest) on the real processed data, checked against the raw LeadIT files the analysts edit."""

from __future__ import annotations

import io
import json
import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from test_app_pages import run

from decarb.contract import MILESTONE_KINDS
from decarb.paths import RAW_DIR
from decarb.provenance import Manifest
from decarb.render.draw import draw
from decarb.screens import countries as countries_screen
from decarb.screens import data as data_screen
from decarb.view import View, decode_view, encode_view

LEADIT_RAW = RAW_DIR / "leadit"
# The members the 2026 source-checking round added (issue 14); each must be a row of the raw file.
NEW_MEMBERS = ("Ethiopia", "HeidelbergCement", "Salzgitter", "Skanska", "Tata Motors")


@pytest.fixture(scope="module")
def raw_members() -> pd.DataFrame:
    return pd.read_csv(LEADIT_RAW / "leadit_members.csv", dtype=str)


@pytest.fixture(scope="module")
def members_page() -> AppTest:
    at = run("pages/members.py")
    assert "milestone_dates" in at.session_state and not at.session_state["milestone_dates"]  # folded at first
    at.session_state["milestone_dates"] = True  # opened, as a click does: the table is made while it is open
    return at.run()


def _table(at: AppTest, column: str) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if column in d.value.columns)


def _milestone_labels(fig: dict) -> list[str]:
    words = set(MILESTONE_KINDS.values())
    # a label is its kind's word, on the pages over its year ("Summit<br>2021")
    texts = [str(a.get("text", "")).split("<br>")[0] for a in fig["layout"].get("annotations", [])]
    return [text for text in texts if text in words]


def test_members_page_names_every_member_of_the_raw_file(members_page, raw_members):
    assert set(NEW_MEMBERS) <= set(raw_members["member"])
    shown = pd.concat([_table(members_page, "Code")["Member"], _table(members_page, "Net-zero target")["Member"]])
    names = {name.removesuffix(" (UNVERIFIED)") for name in shown}
    assert names == set(raw_members["member"])
    assert set(NEW_MEMBERS) <= names


def test_reconciliation_reports_each_count_and_never_pads_the_gap(members_page, raw_members):
    table = _table(members_page, "Named by then")
    counts = pd.read_csv(LEADIT_RAW / "leadit_reported_counts.csv")
    latest = counts.sort_values("date").iloc[-1]
    total = table[(table["Reported on"].astype(str) == latest["date"]) & (table["Count of"] == "total")].iloc[0]
    assert total["Reported"] == latest["total"]
    dated = pd.to_datetime(raw_members["joined_on"]) <= pd.Timestamp(latest["date"])
    assert total["Named by then"] == int((dated & (raw_members["status"] == "confirmed")).sum())
    assert total["Gap"] == total["Reported"] - total["Named by then"]
    undated = raw_members[raw_members["joined_on"].isna() & (raw_members["status"] == "confirmed")]["member"]
    assert total["Undated (confirmed)"] == len(undated)
    assert all(name in total["Explanation"] for name in undated)
    assert total["Not named in the list"] == max(total["Gap"] - total["Undated (confirmed)"] - total["Unverified"], 0)
    assert "known to be incomplete" in total["Explanation"]  # the part no row accounts for is said, not filled
    assert (table["Named by then"] + table["Gap"] == table["Reported"]).all()


def test_members_page_lists_the_milestones_with_their_sources(members_page):
    events = pd.read_csv(LEADIT_RAW / "leadit_events.csv").sort_values("date", kind="stable")
    table = _table(members_page, "Marked as")
    assert table["Date"].astype(str).tolist() == events["date"].tolist()
    assert table["Source"].tolist() == events["source_url"].tolist()
    assert table["Marked as"].tolist() == [MILESTONE_KINDS[k] for k in events["kind"]]


def _timeline(at: AppTest) -> dict:
    return next(
        json.loads(c.proto.spec)
        for c in at.get("plotly_chart")
        if "members over time" in json.loads(c.proto.spec)["layout"]["title"]["text"]
    )


def _last_x(spec: dict) -> str:
    """The last date any trace of a date chart draws (ISO text)."""
    return max(str(x)[:10] for trace in spec["data"] for x in trace.get("x", []))


def test_milestones_are_marked_on_the_members_timeline_and_the_control_hides_them(members_page):
    events = pd.read_csv(LEADIT_RAW / "leadit_events.csv")
    spec = _timeline(members_page)
    inside = events[events["date"] <= _last_x(spec)]  # the timeline ends at its last count
    assert 0 < len(inside) <= len(events)
    assert sorted(_milestone_labels(spec)) == sorted(MILESTONE_KINDS[k] for k in inside["kind"])
    hidden = run("pages/members.py", milestones="hide")
    assert _milestone_labels(_timeline(hidden)) == []


@pytest.mark.parametrize("page", ["pages/overview.py", "pages/sectors.py"])
def test_member_aggregate_charts_carry_the_milestones(page):
    charts = [json.loads(c.proto.spec) for c in run(page).get("plotly_chart")]
    marked = [c["layout"]["title"]["text"] for c in charts if _milestone_labels(c)]
    assert any("members" in title for title in marked), marked


def test_milestone_control_round_trips_through_a_link(ds):
    view, notices = decode_view(ds, {"milestones": "hide"})
    assert view.milestones is False and not notices
    assert encode_view(ds, view) == {"milestones": "hide"} and encode_view(ds, View()) == {}
    assert decode_view(ds, {"milestones": "maybe"})[0].milestones is True  # a bad value is ignored with a notice
    assert len(decode_view(ds, {"milestones": "maybe"})[1]) == 1


def test_countries_chart_stars_each_member_country_at_its_join_year(ds, raw_members):
    view = View()
    codes = countries_screen.member_country_options(ds, view)
    chart = countries_screen.countries_chart(ds, view, codes, "heavy_industry", "absolute")
    stars = next(t for t in draw(chart).fig.data if t.name == "Joined LeadIT (confirmed)")
    sweden = raw_members[raw_members["iso3"] == "SWE"].iloc[0]
    names_by_year = dict(zip(stars.text, stars.x, strict=True))
    assert names_by_year[next(t for t in stars.text if "Sweden" in t)] == pd.Timestamp(sweden["joined_on"]).year
    undated = raw_members[
        (raw_members["member_type"] == "country") & raw_members["joined_on"].isna() & raw_members["iso3"].isin(codes)
    ]["member"]
    assert all(f"{name} (join date unknown)" in draw(chart).summary for name in undated)
    hidden = countries_screen.countries_chart(ds, View(milestones=False), codes, "heavy_industry", "absolute")
    assert not any(str(t.name).startswith("Joined LeadIT") for t in draw(hidden).fig.data)


def test_data_page_change_report_from_the_change_history():
    from decarb.provenance import ChangeEntry

    notes = (
        "EDGAR: sectors reproduce the totals.",
        "LeadIT member list: 30 -> 38 rows; 8 added, 0 removed, 1 changed.",
        "LeadIT member list: added: Ethiopia, Skanska.",
    )
    sha = "0" * 64
    accepted = {"file": "leadit/leadit_members.csv", "source": "leadit", "sha256_before": sha, "sha256_after": sha}
    entry = ChangeEntry(accepted_at="2026-12-02T19:26:00+00:00", code_version="x", files=(accepted,), lines=notes[1:])
    manifest = Manifest(changes={"leadit": {"members": {}}}, quality_notes=notes, change_history=(entry,))
    assert data_screen.change_report(manifest) == list(notes[1:])
    assert data_screen.build_notes(manifest) == list(notes[:1])
    assert "Accepted on 2026-12-02 at 19:26:00 UTC: `leadit/leadit_members.csv` (LeadIT" in data_screen.last_change(
        manifest
    )
    # A rebuild that accepted nothing still shows the last acceptance, and all its notes are build notes.
    rebuilt = Manifest(quality_notes=notes[:1], change_history=(entry,))
    assert data_screen.change_report(rebuilt) == list(notes[1:])
    assert data_screen.build_notes(rebuilt) == list(notes[:1])
    assert data_screen.change_report(Manifest(quality_notes=notes[:1])) == []
    assert data_screen.last_change(Manifest()) == data_screen.NO_CHANGES


def test_data_page_shows_the_last_accepted_input(ds):
    at = run("pages/data.py")
    text = " ".join(m.value for m in at.markdown)
    expected = data_screen.change_report(ds.manifest)
    assert all(line in text for line in expected) if expected else data_screen.NO_CHANGES in text


def test_membership_and_pathway_slides_carry_the_milestones_and_the_deck_names_them(ds):
    from pptx import Presentation

    from decarb.briefing import build_deck
    from decarb.briefing.figures import MARKED_SLIDES
    from decarb.briefing.pptx import deck_pptx
    from decarb.briefing.slides import build_slides

    events = pd.read_csv(LEADIT_RAW / "leadit_events.csv")
    slides = {s.key: s for s in build_slides(ds, View())}
    for key in MARKED_SLIDES:
        labels = [
            a["text"]
            for a in slides[key].spec["layout"].get("annotations", [])
            if a["text"] in MILESTONE_KINDS.values()
        ]
        last = max(str(x)[:10] for series in slides[key].series for x in series.x)
        inside = events if key == "pathway" else events[events["date"] <= last]  # the timeline ends at its last count
        assert len(labels) == len(inside), key
        assert all(event in slides[key].milestones for event in inside["event"])
    assert not any(s.milestones for k, s in slides.items() if k not in MARKED_SLIDES)
    hidden = {s.key: s for s in build_slides(ds, View(milestones=False))}
    assert all("annotations" not in hidden[key].spec["layout"] and not hidden[key].milestones for key in MARKED_SLIDES)
    prs = Presentation(io.BytesIO(deck_pptx(build_deck(ds, View()))))
    texts = [" ".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame) for slide in prs.slides]
    membership = next(t for t in texts if slides["membership"].title in t)
    # The deck numbers the lines and names each event in a key, by its name before the first comma (deck's rule)
    for event in events["event"]:
        assert re.sub(r"\s*\([^)]*\)", "", event).split(",")[0].strip() in membership, event


def test_member_timeline_counts_from_zero_with_lines_told_apart(ds):
    """Issue 11 item 11: the axis started at 11 and the companies' line hid the countries' where both were equal."""
    from decarb.screens.members import member_timeline

    fig = draw(member_timeline(ds, milestones=False)).fig
    assert fig.layout.yaxis.rangemode == "tozero"
    steps = [t for t in fig.data if t.mode == "lines+markers"]
    assert [t.name.split(":")[0] for t in steps] == ["Countries", "Companies"]
    styles = {(t.line.dash, t.line.width, t.marker.symbol) for t in steps}
    assert len(styles) == 2  # dash, width and marker differ
    assert steps[0].line.width > steps[1].line.width  # the one drawn first (underneath) shows around the other
    reported = [t for t in fig.data if t.mode == "markers"]
    assert len({t.marker.symbol for t in reported}) == len(reported) == 2


def test_tables_pin_their_first_column(members_page):
    """Issue 11 item 7: on a phone a table shows 3-4 columns; the row's name stays in view while the rest
    scrolls sideways."""
    import json

    tables = list(members_page.dataframe)
    assert len(tables) >= 4
    for table in tables:
        first = str(table.value.columns[0])
        config = json.loads(table.proto.columns)
        assert config[first]["pinned"] is True, (first, config)
