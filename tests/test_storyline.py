"""The storyline: its URL config (cases, round trips, bad values ignored with notices) and its slides on the real
data (every plotted value equals the analytics for the same view)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from decarb import storyline as sl
from decarb import theme
from decarb import view as view_model
from decarb.briefing import figures
from decarb.briefing import slides as sp
from decarb.contract import CEMENT, EDGAR, GCB, HEAVY_INDUSTRY, IRON_STEEL, OWID, SOURCE_LABELS
from decarb.freshness import freshest_source, newest_year
from decarb.industries import member_series
from decarb.members import member_counts
from decarb.metrics import NOT_ASSESSED, ON_TRACK, change_since, project
from decarb.pathways import target_years
from decarb.render import templates
from decarb.render.charts import plotted_points
from decarb.scoreboard import scoreboard
from decarb.screens import shared
from decarb.selection import panel, series
from decarb.view import View

DEFAULT = sl.StorylineConfig()


# --- Config in the URL (pure, no data) ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("params", "slides", "titles", "headlines", "notices"),
    [
        ({}, sl.SLIDE_KEYS, {}, {}, 0),
        ({"slides": "movers,pathway"}, ("movers", "pathway"), {}, {}, 0),
        ({"slides": "TARGETS, cement"}, ("targets", "cement"), {}, {}, 0),
        ({"slides": "bogus"}, sl.SLIDE_KEYS, {}, {}, 2),
        ({"slides": "pathway,bogus"}, ("pathway",), {}, {}, 1),
        ({"slides": "pathway,pathway,cement"}, ("pathway", "cement"), {}, {}, 1),
        ({"slides": ["cement", "movers"]}, ("movers",), {}, {}, 0),  # repeated parameter: the last one wins
        ({"slides": ""}, sl.SLIDE_KEYS, {}, {}, 1),
        ({"title_pathway": "Where we are"}, sl.SLIDE_KEYS, {"pathway": "Where we are"}, {}, 0),
        ({"title_pathway": "  Where \n we   are "}, sl.SLIDE_KEYS, {"pathway": "Where we are"}, {}, 0),
        ({"title_pathway": sl.DEFAULT_TITLES["pathway"]}, sl.SLIDE_KEYS, {}, {}, 0),  # the default is no override
        ({"title_nope": "x"}, sl.SLIDE_KEYS, {}, {}, 1),
        ({"title_pathway": "x" * (sl.MAX_TITLE + 5)}, sl.SLIDE_KEYS, {"pathway": "x" * sl.MAX_TITLE}, {}, 1),
        ({"headline_movers": "-5%"}, sl.SLIDE_KEYS, {}, {"movers": "-5%"}, 0),
        ({"headline_movers": "   "}, sl.SLIDE_KEYS, {}, {}, 0),
        ({"headline_movers": "9" * 50}, sl.SLIDE_KEYS, {}, {"movers": "9" * sl.MAX_HEADLINE}, 1),
        ({"headline_zzz": "1", "slides": "cement,x,cement"}, ("cement",), {}, {}, 3),
        ({"source": "edgar", "other": "1"}, sl.SLIDE_KEYS, {}, {}, 0),  # not the storyline's: left alone
    ],
)
def test_decode_config(params, slides, titles, headlines, notices):
    config, notes = sl.decode_config(params)
    assert config.slides == slides
    assert dict(config.titles) == titles
    assert dict(config.headlines) == headlines
    assert len(notes) == notices, notes


@pytest.mark.parametrize(
    "config",
    [
        DEFAULT,
        sl.StorylineConfig(("targets", "pathway")),
        sl.StorylineConfig(sl.SLIDE_KEYS, (("movers", "Who moved & why? 100%"),), (("cement", "1/5"),)),
        sl.StorylineConfig(("cement",), (("cement", "Cement = 8% of CO2"),), (("cement", "+3 Mt"),)),
    ],
)
def test_config_round_trips_through_the_url(config):
    from urllib.parse import urlencode

    params = sl.encode_config(config)
    assert sl.decode_config(params) == (config, [])
    assert sl.decode_config(sl.split_link(urlencode(params))) == (config, [])


def test_default_config_adds_no_parameter():
    assert sl.encode_config(DEFAULT) == {}


@pytest.mark.parametrize(
    ("raw", "count", "number", "has_notice"),
    [
        (None, 6, 1, False),
        ("3", 6, 3, False),
        (" 6 ", 6, 6, False),
        (["2", "4"], 6, 4, False),
        ("0", 6, 1, True),
        ("7", 6, 6, True),
        ("-2", 6, 1, True),
        ("two", 6, 1, True),
        ("", 6, 1, True),
    ],
)
def test_decode_slide_number(raw, count, number, has_notice):
    got, notice = sl.decode_slide_number(raw, count)
    assert got == number
    assert (notice is not None) == has_notice


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("source=edgar&base=2010", {"source": ["edgar"], "base": ["2010"]}),
        ("?source=edgar", {"source": ["edgar"]}),
        ("http://host:8501/present?slides=pathway,cement&slide=2", {"slides": ["pathway,cement"], "slide": ["2"]}),
        ("https://x.example/present", {}),
        ("title_pathway=A%20%26%20B", {"title_pathway": ["A & B"]}),
    ],
)
def test_split_link(text, expected):
    assert sl.split_link(text) == expected


def test_storyline_param_keys():
    keys = ["source", "slides", "slide", "title_movers", "headline_cement", "countries"]
    assert sl.storyline_param_keys(keys) == ["slides", "slide", "title_movers", "headline_cement"]


# --- On the real data -----------------------------------------------------------------------------------------
VIEWS = [
    View(),
    View(source="climate_trace", base_year=2017, target_year=2045, members="with_unverified"),
    View(source=EDGAR, base_year=2005, target_year=2060, members="joined"),
    View(source=OWID),  # no heavy-industry total: the emission slides show its cement, named (issue 11 item 2)
]


# What the emission slides (pathway, scoreboard, movers) show: heavy industry, or what a source without it reports
# (OWID: cement's process CO2, in words as the Overview names it).
SHOWN = {OWID: (CEMENT, "cement (process CO2)")}


def shown_sector(view: View) -> tuple[str, str]:
    return SHOWN.get(view.source, (HEAVY_INDUSTRY, "heavy-industry"))


@pytest.fixture(scope="module", params=VIEWS, ids=lambda v: f"{v.source}-{v.base_year}-{v.target_year}-{v.members}")
def story(request, ds):
    return request.param, sp.build_slides(ds, request.param)


@pytest.mark.parametrize(
    ("params", "view", "notices"),
    [
        ({}, View(), 0),
        (
            {"source": ["climate_trace"], "base": ["2018"], "target": ["2045"], "members": ["joined"]},
            View("climate_trace", 2018, 2045, "joined"),
            0,
        ),
        ({"source": ["EDGAR"]}, View(), 0),
        ({"source": ["nope"], "base": ["1200"], "target": ["2051"], "members": ["all"]}, View(), 4),
        ({"source": ["climate_trace"], "base": ["1990"]}, View("climate_trace"), 1),  # not a base year of this source
    ],
)
def test_decode_view(ds, params, view, notices):
    got, notes = view_model.decode_view(ds, params)
    assert got == view
    assert len(notes) == notices, notes


@pytest.mark.parametrize("view", VIEWS)
def test_view_round_trips_through_the_url(ds, view):
    assert view_model.decode_view(ds, view_model.encode_view(ds, view)) == (view, [])


def test_present_link_reproduces_view_and_storyline(ds):
    view, config = VIEWS[1], sl.StorylineConfig(("cement", "pathway"), (("cement", "Cement & members"),))
    link = sl.present_link(ds, view, config, "http://10.0.0.5:8600/", slide=2)
    assert link.startswith("http://10.0.0.5:8600/present?")
    params = sl.split_link(link)
    assert view_model.decode_view(ds, params) == (view, [])
    assert sl.decode_config(params) == (config, [])
    assert sl.decode_slide_number(params["slide"], 2) == (2, None)
    assert sl.present_link(ds, View(), DEFAULT) == f"{sl.DEFAULT_BASE_URL}/present"


def test_every_slide_has_the_frame_of_a_slide(ds, story):
    view, slides = story
    assert [s.key for s in slides] == list(sl.SLIDE_KEYS)
    for slide in slides:
        assert slide.title == sl.DEFAULT_TITLES[slide.key].replace("heavy-industry", shown_sector(view)[1])
        assert slide.headline and slide.headline_label and slide.headline == slide.computed_headline
        assert slide.source_line.startswith("Source: ") and "licence: " in slide.source_line
        assert "leadit" not in slide.source_line  # labels and citations, never source ids
        for sid in {
            "pathway": [view.source],
            "cement": [freshest_source(ds, CEMENT)],
            "targets": ["net_zero_tracker"],
        }.get(slide.key, []):
            source = ds.manifest.sources[sid]
            assert source.citation.rstrip(". ") in slide.source_line
            assert all(name in slide.source_line for name in source.licence.names)
        if slide.key in ("pathway", "scoreboard", "movers"):
            assert view.source_label in slide.subtitle and str(view.base_year) in slide.subtitle
        assert set(slide.table.columns) >= {"unit", "source_label"}
        assert len(figures.slide_chart(slide).fig.data) == len(slide.series)


def test_figures_plot_exactly_the_series(story):
    _, slides = story
    for slide in slides:
        points = plotted_points(figures.slide_chart(slide).fig)
        for trace, spec in zip(figures.slide_chart(slide).fig.data, slide.series, strict=True):
            assert trace.name == spec.name
            mine = points[points["trace"] == spec.name]
            values = mine["x"] if slide.kind == sp.BARS else mine["y"]
            expected = sp.plotted_values(spec)
            got = np.array([np.nan if v is None else float(v) for v in values], dtype=float)
            np.testing.assert_array_equal(got, expected)


def _values(table: pd.DataFrame, name: str) -> np.ndarray:
    return table.loc[table["series"] == name, "value"].to_numpy(dtype=float)


def test_pathway_slide_is_the_member_series_its_pathway_and_its_trend(ds, story):
    view, slides = story
    slide = slides[sl.SLIDE_KEYS.index("pathway")]
    codes = view_model.members_set(ds, view).codes
    members = series(ds, view.source, codes, shown_sector(view)[0]).dropna()
    # Drawn from the first year the source reports every member country it reports at all (as on the Overview:
    # OWID's cement starts in 1750 with a few countries).
    reported = panel(ds, view.source, shown_sector(view)[0]).reindex(list(codes)).dropna(how="all")
    whole = max(row.first_valid_index() for _, row in reported.iterrows())
    drawn = members[members.index >= whole]
    observed = slide.table[slide.table["kind"] == "observed"]
    np.testing.assert_allclose(observed["value"], drawn.to_numpy(), rtol=1e-12)
    assert observed["year"].tolist() == drawn.index.tolist()
    path = slide.table[slide.table["kind"] == "pathway"]
    assert path["year"].iloc[0] == view.base_year and path["year"].iloc[-1] == view.target_year
    assert path["value"].iloc[0] == pytest.approx(members.loc[view.base_year]) and path["value"].iloc[-1] == 0
    trend = slide.table[slide.table["kind"] == "projection"]
    assert trend["year"].iloc[0] == members.index.max() and trend["year"].iloc[-1] == view.target_year
    np.testing.assert_allclose(trend["value"], [project(members, int(y)) for y in trend["year"]], rtol=1e-12)
    assert slide.headline == f"{change_since(members, view.base_year):+,.1f}%"
    for spec in slide.series:
        np.testing.assert_array_equal(sp.plotted_values(spec), _values(slide.table, spec.name))


def test_steel_slide_is_the_members_iron_and_steel_with_its_coverage(ds, story):
    view, slides = story
    slide = slides[sl.SLIDE_KEYS.index("steel")]
    members, missing = member_series(ds, sp.STEEL_SOURCE, IRON_STEEL, view_model.members_set(ds, view))
    members = members.dropna()
    observed = slide.table[slide.table["kind"] == "observed"]
    np.testing.assert_allclose(observed["value"], members.to_numpy(), rtol=1e-12)
    assert observed["year"].tolist() == members.index.tolist()
    base = view.base_year if view.base_year in members.index else int(members.index.min())
    path = slide.table[slide.table["kind"] == "pathway"]
    assert path["year"].iloc[0] == base and path["value"].iloc[0] == pytest.approx(members.loc[base])
    assert slide.headline == f"{change_since(members, base):+,.1f}%"
    assert missing and f"does not cover {len(missing)} member countries" in slide.subtitle
    names = shared.country_names(ds)
    assert all(names[code] in slide.subtitle for code in missing)
    assert SOURCE_LABELS[sp.STEEL_SOURCE] in slide.subtitle
    for spec in slide.series:
        np.testing.assert_array_equal(sp.plotted_values(spec), _values(slide.table, spec.name))


def test_scoreboard_slide_equals_the_scoreboard(ds, story):
    view, slides = story
    slide = slides[sl.SLIDE_KEYS.index("scoreboard")]
    board = scoreboard(ds, sources=[view.source], target_year=view.target_year, since_year=view.base_year)
    rows = board[
        (board["sector"] == shown_sector(view)[0]) & board["iso3"].isin(view_model.members_set(ds, view).codes)
    ]
    # Every member on track, then the largest emitters, at most MAX_BARS; the others named with their status.
    rows = rows[rows["status"] != NOT_ASSESSED]
    rows = rows.sort_values("latest_value", ascending=False, kind="stable").set_index("iso3")
    on_track = rows[rows["status"] == ON_TRACK]
    others = rows[rows["status"] != ON_TRACK]
    shown = set(on_track.index) | set(others.index[: max(sp.MAX_BARS - len(on_track), 0)])
    assert list(slide.table["iso3"]) == [c for c in rows.index if c in shown]
    assert len(slide.table) == min(sp.MAX_BARS, len(rows)) or len(on_track) > sp.MAX_BARS
    hidden = rows.loc[[c for c in rows.index if c not in shown]]
    if len(hidden):
        said = ", ".join(f"{n} ({s})" for n, s in zip(hidden["area_name"], hidden["status"], strict=True))
        assert f"not shown: {said}" in slide.subtitle
    assert slide.headline == f"{len(on_track)} of {len(rows)}"
    rows = rows.loc[slide.table["iso3"]]
    observed, required = slide.series
    np.testing.assert_allclose(sp.plotted_values(observed), rows["observed_rate_pct"].to_numpy(dtype=float))
    np.testing.assert_allclose(sp.plotted_values(required), rows["required_rate_pct"].to_numpy(dtype=float))
    # Each bar named by its country; its status in the observed bar's colour, in words in the subtitle's key and
    # the alt text (never by colour alone).
    assert list(observed.x) == list(rows["area_name"])
    assert list(observed.colours) == [theme.STATUS_COLOURS[s] for s in rows["status"]]
    assert len(set(observed.colours)) == len(set(rows["status"])), "one colour a status"
    assert theme.NON_MEMBER not in observed.colours and required.colour == theme.NON_MEMBER
    for status in set(rows["status"]):
        assert f"{sp.STATUS_COLOUR_WORDS[status]} {status}" in slide.subtitle
    assert "Status: " + ", ".join(f"{n} {s}" for n, s in zip(rows["area_name"], rows["status"], strict=True)) in (
        slide.summary
    )
    assert rows["latest_value"].is_monotonic_decreasing  # largest emitters first


def test_movers_slide_are_the_largest_changes(ds, story):
    view, slides = story
    slide = slides[sl.SLIDE_KEYS.index("movers")]
    table = panel(ds, view.source, shown_sector(view)[0])
    table = table[table.index.isin(ds.areas.loc[ds.areas["kind"] == "country", "iso3"])]
    year = int(table.columns.max())
    change = (table[year] - table[view.base_year]).dropna()
    t = slide.table
    np.testing.assert_allclose(t["change"], change.loc[t["iso3"]].to_numpy())
    np.testing.assert_allclose(sp.plotted_values(slide.series[0]), t["change"])
    falls, rises = change.nsmallest(sp.MOVERS_EACH_WAY), change.nlargest(sp.MOVERS_EACH_WAY)
    assert set(t["iso3"]) == set(falls.index) | set(rises.index)
    members = set(view_model.members_set(ds, view).codes)
    assert t["member"].tolist() == [c in members for c in t["iso3"]]
    top = change.abs().idxmax()
    assert slide.headline == f"{change.loc[top]:+,.0f} {table.attrs['unit']}"


def test_movers_name_falls_and_rises_apart_and_never_colour_a_rise_as_progress(ds, story):
    """Issue 11 item 11: the largest increase was "the largest change", in the accent colour meant for progress.
    The headline names its direction and the largest move the other way; a rise is in the theme's RISE colour
    (bars and headline), a fall in FALL, never the accent."""
    view, slides = story
    slide = slides[sl.SLIDE_KEYS.index("movers")]
    t, names = slide.table, shared.country_names(ds)
    assert list(slide.series[0].colours) == [theme.RISE if c > 0 else theme.FALL for c in t["change"]]
    assert theme.ACCENT not in slide.series[0].colours and theme.RISE != theme.ACCENT
    top = t.loc[t["change"].abs().idxmax()]
    rising = top["change"] > 0
    assert slide.headline_colour == (theme.RISE if rising else theme.FALL)
    other = t.loc[t["change"].idxmin() if rising else t["change"].idxmax()]
    unit = t["unit"].iloc[0]
    assert slide.headline_label == (
        f"{names[top['iso3']]}: the largest {'rise' if rising else 'fall'} in {shown_sector(view)[1]} emissions, "
        f"{view.base_year}-{int(t['year'].iloc[0])}; the largest {'fall' if rising else 'rise'}: "
        f"{names[other['iso3']]}, {other['change']:+,.0f} {unit}"
    )
    assert "largest change" not in slide.headline_label and theme.DIVERGING_WORDS in slide.subtitle
    others = [s for s in slides if s.key != "movers"]
    assert {s.headline_colour for s in others} == {theme.ACCENT}


def test_cement_slide_equals_the_freshest_cement_of_members(ds, story):
    view, slides = story
    slide = slides[sl.SLIDE_KEYS.index("cement")]
    source = freshest_source(ds, CEMENT)  # the source with the newest year (Global Carbon Budget: 2024)
    table = panel(ds, source, CEMENT)
    year = int(table.columns.max())
    assert year == max(int(panel(ds, s, CEMENT).columns.max()) for s in (OWID, GCB))
    assert f"{SOURCE_LABELS[OWID]} to " in slide.subtitle  # the other source's newest year, in words
    members = table[year].reindex(list(view_model.members_set(ds, view).codes)).dropna()
    t = slide.table
    # The largest MAX_BARS members (names legible on a projector); the others summed and named in the subtitle.
    largest = members.sort_values(ascending=False)
    assert list(t["iso3"]) == list(largest.index[: sp.MAX_BARS]) and (t["year"] == year).all()
    np.testing.assert_allclose(t["value"], members.loc[t["iso3"]].to_numpy())
    rest = largest.iloc[sp.MAX_BARS :]
    if len(rest):
        names = shared.country_names(ds)
        assert f"the other {len(rest)} together: {rest.sum():,.1f} {t['unit'].iloc[0]} (" in slide.subtitle
        assert all(names[c] in slide.subtitle for c in rest.index)
    assert t["value"].is_monotonic_decreasing
    np.testing.assert_allclose(sp.plotted_values(slide.series[0]), t["value"])
    assert slide.headline == f"{100 * members.sum() / table.loc['WLD', year]:,.1f}%"
    assert (t["source_label"] == SOURCE_LABELS[source]).all()


def test_membership_slide_is_the_member_counts(ds, story):
    _, slides = story
    slide = slides[sl.SLIDE_KEYS.index("membership")]
    counts = member_counts(ds.members, ds.reported_counts)
    named = {s.name: s for s in slide.series}
    for label, column in (("Countries", "countries"), ("Companies", "companies")):
        np.testing.assert_array_equal(
            sp.plotted_values(named[f"{label}: named in the member list"]),
            counts[f"{column}_listed"].to_numpy(dtype=float),
        )
        reported = counts[f"{column}_reported"].astype(float).to_numpy()
        np.testing.assert_array_equal(sp.plotted_values(named[f"{label}: reported count"]), reported)
        rows = slide.table[(slide.table["series"] == label) & (slide.table["kind"] == "reported")]
        np.testing.assert_array_equal(rows["value"].to_numpy(dtype=float), reported[~np.isnan(reported)])
    latest = ds.reported_counts.sort_values("date").iloc[-1]
    assert slide.headline == f"{int(latest['total']):,}"
    assert f"{int(counts['total_listed'].iloc[-1])} named" in slide.headline_label


def test_targets_slide_counts_every_member_once(ds, story):
    view, slides = story
    slide = slides[sl.SLIDE_KEYS.index("targets")]
    codes = view_model.members_set(ds, view).codes
    t = slide.table
    assert t["value"].sum() == len(codes)
    own = target_years(ds)
    for code in codes:
        name = shared.country_names(ds)[code]
        rows = t[t["countries"].str.split(", ").map(lambda names, n=name: n in names)]
        assert len(rows) == 1
        expected = str(int(own.loc[code, "year"])) if code in own.index else "No target"
        assert rows["category"].iloc[0] == expected
    for spec in slide.series:
        np.testing.assert_array_equal(sp.plotted_values(spec), t.loc[t["status"] == spec.name, "value"])
    by_target = sum(1 for c in codes if c in own.index and own.loc[c, "year"] <= view.target_year)
    assert slide.headline == f"{by_target} of {len(codes)}"


def test_config_chooses_orders_and_retitles(ds):
    config = sl.StorylineConfig(
        ("targets", "pathway"), (("pathway", "Members vs the line"),), (("targets", "Most have one"),)
    )
    slides = sp.build_slides(ds, View(), config)
    assert [s.key for s in slides] == ["targets", "pathway"]
    assert slides[1].title == "Members vs the line" and slides[0].title == sl.DEFAULT_TITLES["targets"]
    assert slides[0].headline == "Most have one" and slides[0].headline_edited
    assert slides[0].computed_headline != "Most have one"
    assert "Most have one" in figures.slide_chart(slides[0]).summary


def test_a_source_without_heavy_industry_shows_what_it_has_named_and_says_why(ds):
    """Issue 11 item 2: with OWID the emission slides said "No data for this selection" although OWID reports
    cement's process CO2, which the Overview shows. They show it, name it in the title, subtitle and headline, and
    say in one sentence why; every slide has data."""
    slides = sp.build_slides(ds, View(source=OWID))
    assert len(slides) == len(sl.SLIDE_KEYS) and all(s.has_data for s in slides)
    why = f"{SOURCE_LABELS[OWID]} reports no heavy-industry total, only cement (process CO2), a part of it"
    for slide in slides:
        if slide.key in ("pathway", "scoreboard", "movers"):
            assert f". {why}" in slide.subtitle and "; cement (process CO2); " in slide.subtitle, slide.key
            # The slide names its data's newest year (a fuller note would take the plot's room on a projector).
            assert f"; data to {newest_year(ds, OWID, CEMENT)}; " in slide.subtitle, slide.key
            assert "cement (process CO2) emissions" in slide.headline_label, slide.key
            assert "heavy-industry" not in slide.title + slide.headline_label, slide.key
            assert set(slide.table["source_label"]) == {SOURCE_LABELS[OWID]} and len(slide.table), slide.key
        else:
            assert why not in slide.subtitle, slide.key
        assert "no data" not in (slide.headline_label + slide.subtitle).lower(), slide.key
    movers = next(s for s in slides if s.key == "movers")
    cement = panel(ds, OWID, CEMENT)
    year = int(cement.columns.max())
    np.testing.assert_allclose(movers.table["change"], (cement[year] - cement[2015]).loc[movers.table["iso3"]])


def test_provenance_lines_come_from_the_manifest(ds):
    versions = sl.data_versions(ds.manifest)
    assert ds.manifest.built_at in versions[0] and ds.manifest.code_version in versions[0]
    for sid, source in ds.manifest.sources.items():
        line = next(v for v in versions if v.startswith(SOURCE_LABELS.get(sid, sid)))
        assert source.version in line
        for file in source.files.values():
            assert file.sha256[:12] in line
    vintage = sl.data_vintage(ds.manifest)
    for sid, cover in ds.manifest.coverage.items():
        assert f"{SOURCE_LABELS.get(sid, sid)} to {cover.last_year}" in vintage


def test_slide_figures_use_the_registered_slide_template(story):
    _, slides = story
    for slide in slides:
        layout = figures.slide_chart(slide).fig.layout
        assert layout.template.layout.font.size == templates.SLIDE_FONT_SIZE
        assert layout.template.layout.font.family == theme.FONT
        assert layout.template.layout.paper_bgcolor == theme.PAPER
        assert list(layout.template.layout.colorway) == list(theme.PALETTE)


def _same_slides_built_alone(ds, view, config) -> list:
    """The storyline's slides, each checked against build_slide (the Present page builds only the slide shown):
    the same slide, value for value."""
    whole_deck = sp.build_slides(ds, view, config)
    for whole in whole_deck:
        alone = sp.build_slide(ds, view, config, whole.key)
        assert (alone.title, alone.headline, alone.headline_label, alone.source_line, alone.summary) == (
            whole.title,
            whole.headline,
            whole.headline_label,
            whole.source_line,
            whole.summary,
        )
        assert alone.spec == whole.spec
        pd.testing.assert_frame_equal(alone.table, whole.table)
    return whole_deck


def test_one_slide_built_alone_is_the_slide_of_the_whole_storyline(story, ds):
    view, slides = story
    assert len(_same_slides_built_alone(ds, view, sl.StorylineConfig())) == len(slides)


def test_one_slide_built_alone_keeps_the_storylines_edits(story, ds):
    view, slides = story
    config = sl.StorylineConfig(titles=(("cement", "Our cement"),), headlines=(("pathway", "1 in 5"),))
    edited = _same_slides_built_alone(ds, view, config)
    assert [s.computed_headline for s in edited] == [s.headline for s in slides]
    assert next(s for s in edited if s.key == "pathway").headline == "1 in 5"
