"""Provenance: the typed manifest parsed from the real build, bad licences refused by the build in one line, and
every surface (footer, Data page, chart and slide source lines, offline HTML, PowerPoint, CSV, data package)
naming every licence of the sources it shows: EDGAR's CC BY 4.0 and, wherever EDGAR data appear, the CC BY-NC-ND 4.0
of its fuel-combustion CO2."""

from __future__ import annotations

import html
import io
import json
import zipfile
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
import pytest
from pptx import Presentation
from test_app_pages import figures, run

from conftest import FIXTURE_COUNTRIES, tree_digest
from decarb import exports, provenance
from decarb.briefing import build_deck
from decarb.briefing.html import deck_html
from decarb.briefing.pptx import deck_pptx
from decarb.contract import CLIMATE_TRACE, EDGAR, EMISSION_SOURCES
from decarb.provenance import Licence, LicenceException, Manifest, ManifestError
from decarb.screens import data as data_screen
from decarb.screens import sectors, shared
from decarb.view import View
from etl.__main__ import main as etl_main

ROOT = Path(__file__).resolve().parent.parent
RAW_SOURCES = json.loads((ROOT / "data" / "raw" / "sources.json").read_text(encoding="utf-8"))
# The one licence exception that must never be dropped, as sources.json states it.
EDGAR_EXCEPTION = RAW_SOURCES[EDGAR]["licence"]["exceptions"][0]["name"]


def missing_licences(text: str, manifest: Manifest, source_ids: Iterable[str]) -> list[str]:
    """Licence names of these sources (exceptions included) that `text` does not name."""
    names = [n for sid in source_ids for n in manifest.sources[sid].licence.names]
    return [n for n in dict.fromkeys(names) if n not in text]


def sources_named(text: str, manifest: Manifest) -> list[str]:
    """The sources whose label or title a text names."""
    return [sid for sid, s in manifest.sources.items() if s.label in text or s.title in text]


# --- The typed manifest ----------------------------------------------------------------------------------------
def test_the_real_manifest_parses_into_the_licences_sources_json_states(ds):
    m = ds.manifest
    assert list(m.sources) == list(RAW_SOURCES)
    edgar = m.sources[EDGAR].licence
    assert edgar == Licence(
        name="CC BY 4.0",
        url="https://creativecommons.org/licenses/by/4.0/",
        exceptions=(
            LicenceException(
                part="CO2 from fuel combustion (IEA-EDGAR CO2)",
                name="CC BY-NC-ND 4.0",
                url="https://creativecommons.org/licenses/by-nc-nd/4.0/",
            ),
        ),
        note=RAW_SOURCES[EDGAR]["licence"]["note"],
    )
    assert edgar.names == ("CC BY 4.0", "CC BY-NC-ND 4.0")
    assert m.sources[CLIMATE_TRACE].licence.names == ("CC BY 4.0", "CC BY-NC-SA 4.0")
    assert m.sources["owid"].licence.exceptions == ()
    assert m.sources["leadit"].licence.url is None
    for sid, raw in RAW_SOURCES.items():
        assert {p: f.sha256 for p, f in m.sources[sid].files.items()} == {
            p: e["sha256"] for p, e in raw["files"].items()
        }
    assert m.sources[CLIMATE_TRACE].exclude_years == RAW_SOURCES[CLIMATE_TRACE]["exclude_years"]
    assert {name: t.rows for name, t in m.tables.items()} == {name: len(getattr(ds, name)) for name in m.tables}
    assert m.coverage[EDGAR].last_year == int(ds.emissions.loc[ds.emissions["source"] == EDGAR, "year"].max())
    assert m.quality_notes and m.built_at and m.code_version


@pytest.mark.parametrize("sid", ["unfccc", "climate_trace_subsectors"])
def test_the_origin_of_files_kept_in_a_repository_survives_the_typed_manifest(ds, sid):
    """The repository, commit and original path of each copied raw file, as sources.json states them, reach the
    typed model and the Data page's file table."""
    raw_files = RAW_SOURCES[sid]["files"]
    origins = {p: e["origin"] for p, e in raw_files.items() if "origin" in e}
    assert origins  # the data fact this test depends on
    parsed = ds.manifest.sources[sid].files
    assert {p: parsed[p].origin.model_dump(exclude_none=True) for p in origins} == origins
    shown = data_screen.source_files(ds).set_index("file")["origin"]
    for path, origin in origins.items():
        assert origin["repository"] in shown[path] and origin["commit"] in shown[path]
        assert origin["path"] in shown[path]
    assert "no repository recorded" in shown[next(iter(RAW_SOURCES[EDGAR]["files"]))]


@pytest.mark.parametrize(
    ("licence", "message"),
    [
        ("CC BY 4.0", "key 'licence': Input should be a valid dictionary or instance of Licence, got 'CC BY 4.0'"),
        (
            {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"},
            "key 'licence.exceptions': Field required",
        ),
        ({"name": " ", "exceptions": []}, "key 'licence.name': String should match pattern"),
        (
            {"name": "CC BY 4.0", "url": "creativecommons.org", "exceptions": []},
            "key 'licence.url': String should match",
        ),
        (
            {"name": "CC BY 4.0", "exceptions": [{"part": "CO2", "url": "https://x.org/"}]},
            "key 'licence.exceptions[0].name': Field required",
        ),
        (
            {"name": "CC BY 4.0", "exceptions": [], "licence_url": "https://x.org/"},
            "key 'licence.licence_url': Extra inputs are not permitted",
        ),
    ],
)
def test_a_bad_licence_is_named_by_source_and_key(licence, message):
    with pytest.raises(ManifestError) as err:
        provenance.parse_sources({**RAW_SOURCES, EDGAR: {**RAW_SOURCES[EDGAR], "licence": licence}})
    assert str(err.value).startswith(f"source 'edgar', {message}")
    assert "\n" not in str(err.value)


@pytest.fixture
def built_copy(fixture_build: Path, tmp_path: Path) -> Path:
    target = tmp_path / "processed"
    import shutil

    shutil.copytree(fixture_build, target)
    return target


def test_a_bad_licence_in_sources_json_stops_the_build_in_one_line_and_changes_nothing(raw_copy, built_copy, capsys):
    before = tree_digest(built_copy)
    path = raw_copy / "sources.json"
    sources = json.loads(path.read_text(encoding="utf-8"))
    del sources[EDGAR]["licence"]["exceptions"][0]["url"]
    path.write_text(json.dumps(sources, indent=2), encoding="utf-8")
    code = etl_main(
        [
            "--raw-dir",
            str(raw_copy),
            "--out-dir",
            str(built_copy),
            "--quiet",
            "--min-countries",
            str(FIXTURE_COUNTRIES),
            "--force",
        ]
    )
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1 and len(err) == 1, err
    assert err[0].startswith(f"error: {path}: source 'edgar', key 'licence.exceptions[0].url': Field required")
    assert tree_digest(built_copy) == before


def test_a_corrected_licence_makes_the_build_stale(raw_copy, tmp_path):
    """The manifest carries the licences: editing one in sources.json must rebuild, not report 'up to date'."""
    from etl.build import build

    out = tmp_path / "out"
    build(raw_copy, out, progress=False, min_countries=FIXTURE_COUNTRIES)
    path = raw_copy / "sources.json"
    sources = json.loads(path.read_text(encoding="utf-8"))
    sources["owid"]["licence"]["note"] = "corrected by an analyst"
    path.write_text(json.dumps(sources, indent=2), encoding="utf-8")
    assert build(raw_copy, out, progress=False, min_countries=FIXTURE_COUNTRIES).built
    manifest = provenance.parse_manifest(json.loads((out / "manifest.json").read_text(encoding="utf-8")))
    assert manifest.sources["owid"].licence.note == "corrected by an analyst"


# --- Renderers on tiny typed values ----------------------------------------------------------------------------
TWO_LICENCES = Licence(
    name="CC BY 4.0",
    url="https://creativecommons.org/licenses/by/4.0/",
    exceptions=(
        LicenceException(
            part="CO2 from fuel combustion",
            name="CC BY-NC-ND 4.0",
            url="https://creativecommons.org/licenses/by-nc-nd/4.0/",
        ),
    ),
)


@pytest.mark.parametrize(
    ("licence", "text", "frictionless"),
    [
        (
            TWO_LICENCES,
            "CC BY 4.0, except CO2 from fuel combustion: CC BY-NC-ND 4.0",
            [
                {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/", "title": "CC BY 4.0"},
                {
                    "name": "CC-BY-NC-ND-4.0",
                    "path": "https://creativecommons.org/licenses/by-nc-nd/4.0/",
                    "title": "CC BY-NC-ND 4.0 for CO2 from fuel combustion",
                },
            ],
        ),
        (
            Licence(name="Facts with sources", exceptions=(), note="see each row's source_url"),
            "Facts with sources",
            [{"name": "other", "title": "Facts with sources (see each row's source_url)"}],
        ),
    ],
)
def test_licence_renderers(licence, text, frictionless):
    assert provenance.licence_text(licence) == text
    assert provenance.frictionless_licences(licence) == frictionless


def test_a_source_the_manifest_lacks_is_said_in_words():
    line = provenance.source_line(Manifest(), [EDGAR])
    assert line == f"Source: EDGAR 2024 (JRC/IEA) ({provenance.NOT_RECORDED})."


# --- Every surface names every licence of the sources it shows ------------------------------------------------
def test_footer_names_every_licence_of_every_source(ds):
    at = run()
    footer = at.caption[-1].value.rpartition("\n\n---\n\n")[2]  # under the rule; the stylesheet above it
    assert footer == provenance.footer_text(ds.manifest)
    assert sources_named(footer, ds.manifest) == list(ds.manifest.sources)
    assert missing_licences(footer, ds.manifest, ds.manifest.sources) == []
    assert f"CO2 from fuel combustion (IEA-EDGAR CO2): {EDGAR_EXCEPTION}" in footer


def test_data_page_names_every_licence_in_sources_files_and_notes(ds):
    at = run("pages/data.py")
    text = " ".join(m.value for m in at.markdown)
    assert missing_licences(text, ds.manifest, ds.manifest.sources) == []
    for source in ds.manifest.sources.values():
        assert f"### {source.title}" in text
        assert all(f"[{e.name}]({e.url})" in text for e in source.licence.exceptions)  # linked to its text
    files = at.dataframe[1].value
    for sid, licence in zip(files["source"], files["licence"], strict=True):
        assert missing_licences(licence, ds.manifest, [sid]) == []
    assert f"CO2 from fuel combustion (IEA-EDGAR CO2) is {EDGAR_EXCEPTION}" in text  # the quality note


@pytest.mark.parametrize(
    "page", ["pages/overview.py", "pages/countries.py", "pages/sectors.py", "pages/progress.py", "pages/members.py"]
)
@pytest.mark.parametrize("source", EMISSION_SOURCES)
def test_every_chart_source_line_names_every_licence_of_its_sources(ds, page, source):
    figs = figures(run(page, source=source))
    lines = [
        a["text"].replace("<br>", " ")  # read as shown: a line is broken to fit the chart (charts.frame)
        for fig in figs
        for a in fig["layout"].get("annotations", [])
        if a["text"].startswith(provenance.SOURCE_LINE_PREFIX)
    ]
    lines = [line for line in lines if line != provenance.SOURCE_LINE_PREFIX]  # an empty chart says so itself
    plotted = any(len(trace.get(axis, [])) for fig in figs for trace in fig["data"] for axis in ("x", "z"))
    assert lines or not plotted, f"{page}: no chart source line"  # OWID has no heavy industry for the Overview
    for line in lines:
        shown = sources_named(line, ds.manifest)
        assert shown and provenance.NOT_RECORDED not in line, line
        assert missing_licences(line, ds.manifest, shown) == [], line
        if ds.manifest.sources[source].label in line:
            assert missing_licences(line, ds.manifest, [source]) == []
    if source == EDGAR and not page.endswith("members.py"):
        assert any(EDGAR_EXCEPTION in line for line in lines)


@pytest.mark.parametrize("source", EMISSION_SOURCES)
def test_a_chart_csv_carries_the_licence_of_every_row(ds, source):
    view = View(source=source)
    chart = sectors.group_comparison(ds, view, shared.default_sector(source), "absolute")
    back = pd.read_csv(io.BytesIO(exports.chart_csv(chart.data)))  # licensed when built
    assert set(back["licence"]) == {provenance.licence_text(ds.manifest.sources[source].licence)}
    assert missing_licences(back["licence"].iloc[0], ds.manifest, [source]) == []


@pytest.fixture(scope="module", params=EMISSION_SOURCES)
def deck(request, ds):
    return build_deck(ds, View(source=request.param))


def test_every_slide_source_line_and_table_name_every_licence(ds, deck):
    for slide in deck.slides:
        assert provenance.NOT_RECORDED not in slide.source_line
        if not slide.has_data:  # e.g. OWID has no heavy industry: the slide says so, its table is empty
            continue
        shown = provenance.source_ids(slide.table["source_label"].unique())
        assert shown and set(shown) <= set(ds.manifest.sources), slide.key
        assert missing_licences(slide.source_line, ds.manifest, shown) == [], slide.source_line
        assert missing_licences(" ".join(slide.table["licence"].unique()), ds.manifest, shown) == []
        assert slide.spec["layout"]["meta"]["source_line"] == slide.source_line  # the figure carries the same line
    pathway = next(s for s in deck.slides if s.key == "pathway")
    assert (EDGAR_EXCEPTION in pathway.source_line) == (deck.view.source == EDGAR)


def test_the_offline_html_names_every_licence_of_every_slide(ds, deck):
    text = html.unescape(deck_html(deck))
    for index, slide in enumerate(deck.slides):
        assert deck.footnote(index) in text  # short names and licences; the full citations on the Sources slide
        if not slide.has_data:
            continue
        shown = provenance.source_ids(slide.table["source_label"].unique())
        assert missing_licences(text, ds.manifest, shown) == []


def test_the_powerpoint_deck_names_every_licence_of_every_slide(ds, deck):
    prs = Presentation(io.BytesIO(deck_pptx(deck)))
    storyline = list(prs.slides)[1 : 1 + len(deck.slides)]  # after the title slide; the Sources slides follow
    slide_texts = [" ".join(shape.text_frame.text for shape in s.shapes if shape.has_text_frame) for s in storyline]
    for index, (text, slide) in enumerate(zip(slide_texts, deck.slides, strict=True)):
        assert deck.footnote(index) in text  # short names and licences; the full citation in the notes
        assert slide.source_line in storyline[index].notes_slide.notes_text_frame.text
        if not slide.has_data:
            continue
        shown = provenance.source_ids(slide.table["source_label"].unique())
        assert missing_licences(text, ds.manifest, shown) == [], (slide.key, text)


def test_the_data_package_names_every_licence_of_each_table(ds):
    archive = zipfile.ZipFile(io.BytesIO(data_screen.dataset_zip(ds)))
    package = json.loads(archive.read("datapackage.json"))
    everything = json.dumps(package["licenses"])
    assert missing_licences(everything, ds.manifest, ds.manifest.sources) == []
    emissions = next(r for r in package["resources"] if r["name"] == "emissions")
    assert {"CC-BY-4.0", "CC-BY-NC-ND-4.0", "CC-BY-NC-SA-4.0"} <= {lic["name"] for lic in emissions["licenses"]}
    assert missing_licences(json.dumps(emissions["licenses"]), ds.manifest, EMISSION_SOURCES) == []
    edgar = next(s for s in emissions["sources"] if s["id"] == EDGAR)
    assert edgar["licence"] == provenance.licence_text(ds.manifest.sources[EDGAR].licence)
    targets = next(r for r in package["resources"] if r["name"] == "targets")
    assert EDGAR_EXCEPTION not in json.dumps(targets["licenses"])  # only where EDGAR data appear


@pytest.mark.parametrize("source", EMISSION_SOURCES)
def test_the_scoreboard_table_and_its_csv_carry_the_licence(ds, source):
    board = run("pages/progress.py", source=source).dataframe[0].value
    assert len(board) and set(board["Licence"]) == {provenance.licence_text(ds.manifest.sources[source].licence)}
    assert missing_licences(board["Licence"].iloc[0], ds.manifest, [source]) == []


def test_a_manifest_from_before_structured_licences_asks_for_a_rebuild(tmp_path, monkeypatch):
    """A build made before sources.json had structured licences: the app says so in one line, no traceback."""
    import shutil

    from test_app_pages import run_on_processed

    old = tmp_path / "processed"
    shutil.copytree(ROOT / "data" / "processed", old)
    manifest = json.loads((old / "manifest.json").read_text(encoding="utf-8"))
    manifest["sources"][EDGAR]["licence"] = "CC BY 4.0, except CO2 from fuel combustion (IEA-EDGAR CO2), ..."
    (old / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    at = run_on_processed(old, "pages/overview.py", monkeypatch)
    message = at.error[0].value
    assert "manifest.json: source 'edgar', key 'licence': Input should be a valid dictionary" in message
    assert "rebuild with" in message and "\n" not in message
