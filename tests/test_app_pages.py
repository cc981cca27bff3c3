"""Every page through the real entrypoint (AppTest) on the real processed data: values, interactions, links."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from chart_checks import assert_distinct_series, assert_no_raw_tags, shown_text
from streamlit.testing.v1 import AppTest

from decarb import metrics, ui
from decarb import view as view_model
from decarb.contract import HEAVY_INDUSTRY, INDUSTRIES
from decarb.render.draw import draw
from decarb.screens import sectors as sectors_screen
from decarb.screens import shared
from decarb.selection import area_set, member_countries, series
from decarb.ui.state import markdown_text
from decarb.view import View

ROOT = Path(__file__).resolve().parent.parent
ENTRYPOINT = str(ROOT / "dashboard.py")
PAGES = [
    "pages/overview.py",
    "pages/countries.py",
    "pages/sectors.py",
    "pages/industries.py",
    "pages/steel.py",
    "pages/progress.py",
    "pages/members.py",
    "pages/data.py",
]


def run(page: str | None = None, **params: str) -> AppTest:
    at = AppTest.from_file(ENTRYPOINT, default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    if page:
        at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert_no_raw_tags(rendered_text(at), page or "overview")
    return at


def rendered_text(at: AppTest) -> list[str]:
    """Every text the page shows as markdown or plain text (markup allowed only where a block asks for HTML)."""
    blocks = [*at.markdown, *at.caption, *at.info, *at.warning, *at.error, *at.success]
    return [b.value for b in blocks if not getattr(b.proto, "allow_html", False) and isinstance(b.value, str)]


def decode(value: object) -> list:
    """A trace array as a list: plotly's JSON sends numeric arrays as base64 typed arrays."""
    if isinstance(value, dict) and "bdata" in value:
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"])).tolist()
    return list(value)


def figures(at: AppTest) -> list[dict]:
    """The page's figures as plotly JSON; each one checked as every drawn chart is (tests/chart_checks.py)."""
    figs = [json.loads(el.proto.spec) for el in at.get("plotly_chart")]
    for fig in figs:
        title = (fig["layout"].get("title") or {}).get("text", "")
        assert_distinct_series(fig, title)
        assert_no_raw_tags(shown_text(fig), title, plotly=True)
        for trace in fig["data"]:
            for axis in ("x", "y", "z"):
                if axis in trace:
                    trace[axis] = decode(trace[axis])
    return figs


def trace_names(fig: dict) -> list[str]:
    """Each trace's name as it reads (a long legend entry is broken into lines at its spaces)."""
    return [str(t.get("name") or "").replace("<br>", " ") for t in fig["data"]]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_with_charts_and_no_warning(ds, page):
    at = run(page)
    assert not at.warning or page.endswith("members.py")  # members page warns that the list is incomplete
    if not page.endswith("data.py"):
        assert figures(at), f"{page} shows no chart"
        assert all(f["layout"]["title"]["text"] and f["layout"]["title"]["subtitle"]["text"] for f in figures(at))
    assert at.sidebar.selectbox(key="source").value == "edgar"


@pytest.mark.parametrize("definition", ["confirmed", "with_unverified", "joined"])
def test_member_tiles_count_countries_and_companies_by_one_rule(ds, definition):
    """Both tiles follow the member definition, and the rule is written right under them."""
    m = ds.members
    kept = m["status"] == "confirmed" if definition != "with_unverified" else pd.Series(True, index=m.index)
    if definition == "joined":
        latest = int(ds.emissions.loc[ds.emissions["source"] == "edgar", "year"].max())
        kept &= (pd.to_datetime(m["joined_on"]).dt.year <= latest).fillna(False)
    at = run(**({} if definition == "confirmed" else {"members": definition}))
    shown = {metric.label: metric.value for metric in at.metric}
    assert shown["Member countries"] == str(int((kept & (m["member_type"] == "country")).sum()))
    assert shown["Member companies"] == str(int((kept & (m["member_type"] == "company")).sum()))
    captions = [c.value for c in at.caption]
    assert any("Countries and companies counted alike: " in c for c in captions)


def test_overview_headlines_equal_the_analytics(ds):
    at = run()
    shown = {m.label: m.value for m in at.metric}
    codes = member_countries(ds.members)
    members = series(ds, "edgar", area_set(ds, "members"), HEAVY_INDUSTRY)
    world = series(ds, "edgar", area_set(ds, "world"), HEAVY_INDUSTRY)
    p = metrics.progress(members, target_year=2050, since_year=2015)
    year = p["latest_year"]
    assert shown[f"Members' heavy industry {year}"] == f"{p['latest_value']:,.0f} Mt CO2e"
    assert shown[f"Share of the world {year}"] == f"{100 * members[year] / world[year]:,.1f}%"
    assert shown[f"Change 2015-{year}"] == f"{p['change_since_pct']:+,.1f}%"  # every headline names its year
    statuses = [
        metrics.progress(series(ds, "edgar", [c], HEAVY_INDUSTRY), 2050, since_year=2015)["status"] for c in codes
    ]
    assessed = [s for s in statuses if s != metrics.NOT_ASSESSED]
    assert shown["Member countries on track"] == f"{statuses.count(metrics.ON_TRACK)} of {len(assessed)}"
    assert shown["Member countries"] == f"{len(codes)}"
    companies = ds.members[(ds.members["member_type"] == "company") & (ds.members["status"] == "confirmed")]
    assert shown["Member companies"] == f"{len(companies)}"
    fig = figures(at)[0]
    observed = next(t for t in fig["data"] if t["name"] == "LeadIT members")
    assert observed["y"][-1] == pytest.approx(p["latest_value"])
    pathway = next(t for t in fig["data"] if t["name"].endswith("pathway to net zero"))
    assert (pathway["x"][0], pathway["x"][-1], pathway["y"][-1]) == (2015, 2050, 0.0)
    assert pathway["line"]["dash"] == "dash"


def test_global_controls_change_the_overview(ds):
    at = run()
    at.sidebar.selectbox(key="base").select("2005").run()
    shown = {m.label: m.value for m in at.metric}
    members = series(ds, "edgar", area_set(ds, "members"), HEAVY_INDUSTRY)
    assert shown[f"Change 2005-{int(members.dropna().index.max())}"] == f"{metrics.change_since(members, 2005):+,.1f}%"
    at.sidebar.selectbox(key="source").select("climate_trace").run()
    assert not at.exception
    assert "Climate TRACE" in json.dumps(figures(at)[0]["layout"]["annotations"])


def test_countries_page_interactions(ds):
    at = run("pages/countries.py")
    names = shared.country_names(ds)  # the default, in the order of the names the picker shows (issue 11 item 11)
    assert at.multiselect(key="countries").value == sorted(member_countries(ds.members), key=names.__getitem__)
    at.multiselect(key="countries").set_value(["SWE"]).run()
    fig, breakdown = figures(at)
    assert trace_names(fig)[:2] == ["Sweden", "Sweden - pathway to net zero"]
    swe = series(ds, "edgar", ["SWE"], HEAVY_INDUSTRY)
    assert fig["data"][0]["y"][-1] == pytest.approx(swe.iloc[-1])
    assert {t["name"] for t in breakdown["data"]} == {"Industrial combustion", "Industrial processes"}
    at.selectbox(key="metric").select("per_capita").run()
    assert "t CO2e per person" in figures(at)[0]["layout"]["yaxis"]["title"]["text"]


def test_deep_link_restores_the_view(ds):
    at = run("pages/countries.py", countries="SWE,IND", metric="index", sector="total", base="2010")
    assert at.multiselect(key="countries").value == ["SWE", "IND"]
    assert at.selectbox(key="metric").value == "index"
    assert at.selectbox(key="sector").value == "total"
    assert at.sidebar.selectbox(key="base").value == "2010"
    fig = figures(at)[0]
    sweden = next(t for t in fig["data"] if t["name"] == "Sweden")  # both are members: no "(member)" on each
    assert sweden["y"][sweden["x"].index(2010)] == pytest.approx(100.0)
    assert not at.warning


def test_bad_link_values_give_a_notice_not_an_error(ds):
    at = run("pages/countries.py", countries="SWE,XXX", metric="bogus", source="nope", junk="1")
    notes = " ".join(w.value for w in at.warning)
    assert all(markdown_text(f"'{word}'") in notes for word in ("XXX", "bogus", "nope", "junk"))
    assert at.multiselect(key="countries").value == ["SWE"]
    assert at.selectbox(key="metric").value == "absolute"
    assert at.sidebar.selectbox(key="source").value == "edgar"


def test_controls_are_written_to_the_url(ds):
    at = run("pages/sectors.py")
    at.selectbox(key="sector").select("industrial_processes").run()
    assert at.query_params["sector"] == "industrial_processes"
    at.selectbox(key="sector").select(shared.default_sector("edgar")).run()
    assert "sector" not in at.query_params  # defaults are left out of the URL


def test_sectors_page_ranking_and_groups(ds):
    at = run("pages/sectors.py")
    ranking, change_map, groups = figures(at)
    bar = ranking["data"][0]
    assert bar["y"][0].startswith("1. ") and bar["x"] == sorted(bar["x"], reverse=True)
    assert any(label.startswith("<b>") for label in bar["y"])  # members in bold (issue 11 item 7)
    assert change_map["data"][0]["type"] == "choropleth"
    assert [t["name"] for t in groups["data"]] == ["LeadIT members", "Non-members", "World"]


def test_progress_filters(ds):
    at = run("pages/progress.py", status="on track")
    table = at.dataframe[0].value
    assert set(table["Status"]) == {"on track"}
    at = run("pages/progress.py", areas="members")
    assert set(at.dataframe[0].value["Member"]) == {True}


def test_progress_follows_the_member_definition(ds):
    chosen = view_model.members_set(ds, View(members="with_unverified"))
    confirmed = view_model.members_set(ds, View())
    assert set(chosen.codes) > set(confirmed.codes)
    for members, params in ((chosen, {"members": "with_unverified"}), (confirmed, {})):
        table = run("pages/progress.py", areas="groups_members", **params).dataframe[0].value
        countries = set(table.loc[table["Member"] & (table["Code"] != "members"), "Code"])
        assert countries <= set(members.codes) and len(countries) >= len(members.codes) - 2  # a few lack data
        group = table.loc[table["Code"] == "members"].iloc[0]
        expected = metrics.progress(series(ds, "edgar", members, HEAVY_INDUSTRY))
        assert group["Latest value"] == pytest.approx(expected["latest_value"], rel=1e-9)


def test_members_page_marks_unverified(ds):
    at = run("pages/members.py")
    countries = next(d.value for d in at.dataframe if "Code" in d.value.columns)
    unverified = ds.members[(ds.members["status"] == "unverified") & (ds.members["member_type"] == "country")]
    assert sum(name.endswith("(UNVERIFIED)") for name in countries["Member"]) == len(unverified)


def test_data_page_lists_tables_and_sources(ds):
    at = run("pages/data.py")
    tables = at.dataframe[0].value
    assert dict(zip(tables["table"], tables["rows"], strict=True)) == {
        name: entry.rows for name, entry in ds.manifest.tables.items()
    }
    text = " ".join(m.value for m in at.markdown)
    for source in ds.manifest.sources.values():
        assert source.citation in text
    assert {"steel_plants", "steel_capacity", "steel_units", "production", "company_steel_owners"} <= set(
        tables["table"]
    )
    assert "**Required attribution:** Source: World Steel Association" in text  # worldsteel's terms


def run_on_processed(directory: Path, page: str, monkeypatch) -> AppTest:
    """A page served from another processed folder: it must say why it cannot load and how to rebuild."""
    monkeypatch.setenv("DECARB_PROCESSED_DIR", str(directory))
    at = AppTest.from_file(ENTRYPOINT, default_timeout=60)
    at.switch_page(page).run()
    assert not at.exception
    assert [c.value for c in at.code] == ["make data"]
    return at


def test_missing_data_shows_the_rebuild_command(tmp_path, monkeypatch):
    at = run_on_processed(tmp_path, "pages/overview.py", monkeypatch)
    assert "make data" in at.error[0].value
    shown = [e.value for e in (*at.error, *at.markdown, *at.caption, *at.code)]
    assert not [text for text in shown if str(tmp_path) in text or str(ROOT) in text]  # no server path shown


def test_group_comparison_says_which_group_has_no_base_year_value(ds):
    """EDGAR power: the non-members' sum drops incomplete years, 2015 among them; index on it cannot be drawn.

    The page used to raise here (found by the load test); now the group is left out and the subtitle says so.
    """
    from decarb.selection import area_set, series

    non_members = series(ds, "edgar", area_set(ds, "non_members"), "power")
    assert 2015 not in non_members.index  # the data fact this case depends on
    chart = sectors_screen.group_comparison(ds, View(), "power", "index")
    assert set(chart.data["series"]) == {"LeadIT members", "World"}
    assert "not shown, no complete value in 2015: Non-members" in draw(chart).fig.layout.title.subtitle.text.replace(
        "<br>", " "
    )
    at = run("pages/sectors.py", sector="power")
    assert not at.exception


def test_damaged_processed_file_is_reported_not_shown(tmp_path, monkeypatch):
    """A table edited after the build no longer matches the manifest: the app refuses it and says how to fix it."""
    import shutil

    damaged = tmp_path / "processed"
    shutil.copytree(ROOT / "data" / "processed", damaged)
    with (damaged / "emissions.parquet").open("r+b") as handle:
        handle.seek(1000)
        handle.write(b"\x00" * 16)
    at = run_on_processed(damaged, "pages/countries.py", monkeypatch)
    assert "emissions.parquet does not match its checksum in the manifest" in at.error[0].value
    assert not at.get("plotly_chart")


@pytest.mark.parametrize(("page", "industries"), [("pages/countries.py", True), ("pages/sectors.py", False)])
def test_countries_and_sectors_offer_the_one_sector_choice(ds, page, industries):
    """Issue 10 (D6): one builder for the sector control; each page's selectbox offers exactly what it says, in its
    order, with the labels an analyst reads (never a raw code), for a source with and one without industries."""
    for source in ("edgar", "climate_trace"):
        at = run(page, source=source)
        box = at.selectbox(key="sector")
        choice = ui.sector_choice(source, industries=industries)
        assert box.options == [choice.fmt(o) for o in choice.options]
        assert box.value == shared.default_sector(source)
        assert all("_" not in label for label in box.options)
        expected = shared.sector_options(source)
        if industries:
            expected += [code for code in INDUSTRIES if code not in expected]
        assert list(choice.options) == expected
