"""The Steel page through the real entrypoint (AppTest) on the real processed data: its headline figures against
the raw files (GEM's plant file in ttpa, worldsteel's table, Climate TRACE v5.7.0 in tonnes) and the analytics, the
link to it from Industries and the Overview, and the steel slide."""

from __future__ import annotations

import pandas as pd
import pytest
from test_app_pages import decode, run

from conftest import ROOT
from decarb import steel
from decarb.screens import steel as screen
from decarb.screens.shared import number_text
from decarb.storyline import StorylineConfig
from decarb.view import View

RAW = ROOT / "data" / "raw"
PLANTS = RAW / "gem_steel" / "gist_plants_2025-03.csv"
OPERATING_COLUMNS = (
    "operating-nominal-crude-steel-capacity-(ttpa)",
    "operating-pre-retirement-nominal-crude-steel-capacity-(ttpa)",
)
PIPELINE_COLUMNS = (
    "construction-nominal-crude-steel-capacity-(ttpa)",
    "announced-nominal-crude-steel-capacity-(ttpa)",
)


def raw_plants() -> pd.DataFrame:
    return pd.read_csv(PLANTS, dtype=str)


def raw_capacity_mt(rows: pd.DataFrame, columns: tuple[str, ...]) -> float:
    """GEM's crude-steel capacity of these plant rows, ttpa summed and given in Mt a year."""
    return float(sum(pd.to_numeric(rows[c], errors="coerce").fillna(0).sum() for c in columns if c in rows) / 1000)


def company_ids(company: str) -> set[str]:
    mapping = pd.read_csv(RAW / "leadit" / "leadit_company_gem_ids.csv", dtype=str)
    return set(mapping.loc[mapping["company"] == company, "gem_entity_id"])


def owned_by(plants: pd.DataFrame, ids: set[str]) -> pd.DataFrame:
    text = plants["owner-gem-id"].fillna("") + ";" + plants["parent-gem-id"].fillna("")
    return plants[[bool(ids & set(steel.gem_ids(t))) for t in text]]


def raw_worldsteel(name: str) -> dict[int, float]:
    """worldsteel's crude steel of one country (thousand tonnes in the file) in Mt, by year."""
    table = pd.read_csv(RAW / "worldsteel" / "crude_steel_production_2020-2024.csv", skiprows=2, thousands=",")
    row = table[table["Country"] == name].iloc[0]
    # The footer's "Retrieved:" date leaves the 2020 column as text, with its thousands separators.
    return {int(y): float(str(row[y]).replace(",", "")) / 1000 for y in table.columns[1:] if str(y).isdigit()}


def raw_trace(iso3: str) -> dict[int, float]:
    """Climate TRACE v5.7.0 iron and steel of one country, all gases, in Mt CO2e, by year."""
    table = pd.read_csv(RAW / "climate_trace_v5" / "iron-and-steel_country_emissions_v5_7_0.csv")
    rows = table[(table["iso3_country"] == iso3) & (table["gas"] == "co2e_100yr")]
    return {int(t[:4]): q / 1e6 for t, q in zip(rows["start_time"], rows["emissions_quantity"], strict=True)}


def shown(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.mark.parametrize(
    "selection", ["members", "DEU", "IND", "company:ssab", "company:thyssenkrupp", "companies", "world"]
)
def test_capacity_headlines_are_the_raw_files_sums(ds, selection):
    at = run("pages/steel.py", of=selection)
    plants = raw_plants()
    scope = screen.scope_of(ds, View(), selection)
    if scope.is_company:
        names = [scope.label] if selection != "companies" else sorted(set(ds.company_steel_owners["company"]))
        rows = owned_by(plants, set().union(*(company_ids(name) for name in names)))
        assert set(rows["plant-id"]) == set(scope.plant_ids)  # each plant once, however many member owners
    else:
        built = ds.steel_plants[scope.mask(ds.steel_plants)]
        rows = plants[plants["plant-id"].isin(set(built["plant_id"]))]
    values = shown(at)
    assert (
        values["Steel-making capacity operating"] == f"{number_text(raw_capacity_mt(rows, OPERATING_COLUMNS), 1)} Mt/yr"
    )
    assert values["In the pipeline"] == f"{number_text(raw_capacity_mt(rows, PIPELINE_COLUMNS), 1)} Mt/yr"
    assert len(at.get("plotly_chart")) == (3 if scope.is_company else 4)  # a company has no intensity chart


def test_germany_production_and_intensity_are_the_raw_files(ds):
    at = run("pages/steel.py", of="DEU")
    values = shown(at)
    produced, emitted = raw_worldsteel("Germany"), raw_trace("DEU")
    year = max(set(produced) & set(emitted))
    assert values[f"Crude steel production {max(produced)}"] == f"{number_text(produced[max(produced)], 1)} Mt"
    value = values[f"t CO2e per t steel {year}"]
    assert value.startswith(number_text(emitted[year] / produced[year], 2) + " (world ")
    world = steel.aggregate_intensity(steel.intensity_by_country(ds.emissions, ds.production), steel.world_scope())
    assert value.endswith(f"world {number_text(float(world.set_index('year').loc[year, 'intensity']), 2)})")


def test_relining_headline_and_calendar_are_the_analytics(ds):
    at = run("pages/steel.py", of="IND")
    calendar = steel.relining_calendar(ds.steel_units, steel.country_scope("IND", "India"), screen.as_of_year(ds))
    due = steel.relining_due(calendar).iloc[0]
    assert shown(at)["Relining due before 2030"] == f"{number_text(due['due_before_2030_mt'], 1)} Mt/yr"
    # every operating blast furnace of India in the units file is in the calendar, once
    units = pd.read_csv(RAW / "gem_steel" / "gist_units_2025-03.csv", dtype=str)
    india = set(ds.steel_plants.loc[ds.steel_plants["iso3"] == "IND", "plant_id"])
    furnaces = units[
        units["tab-type"].str.startswith("Blast")
        & units["status"].isin(["operating", "operating_pre-retirement"])
        & units["gem-plant-id"].isin(india)
    ]
    assert sorted(calendar["unit_id"]) == sorted(furnaces["gem-unit-id"])


def test_a_link_value_that_is_not_an_option_is_a_notice():
    at = run("pages/steel.py", of="nowhere")
    assert any("nowhere" in w.value for w in at.warning)
    assert at.selectbox(key="of").value == screen.DEFAULT_SELECTION


def test_a_shared_plant_is_counted_once_and_its_owners_named(ds):
    scope = screen.scope_of(ds, View(), "companies")
    table = screen.plant_table(ds, View(), "companies")
    assert table["GEM plant id"].is_unique
    shared = table[table["LeadIT member owners"].str.contains("; ")]
    assert len(shared) >= 2  # HYBRIT (SSAB, LKAB, Vattenfall) and HKM (Salzgitter, thyssenkrupp)
    assert set(table["GEM plant id"]) == set(scope.plant_ids)


def test_industries_links_to_the_steel_page_for_iron_and_steel():
    at = run("pages/industries.py", show="country", area="IND")
    links = [el.proto for el in at.get("page_link")]
    assert any("steel" in link.page and "for India" in link.label for link in links)
    at = run("pages/industries.py", industry="cement")
    assert not [el for el in at.get("page_link") if "steel" in el.proto.page]


def test_overview_lines_up_each_members_steel(ds):
    at = run()
    text = " ".join(m.value for m in at.markdown)
    for name, _, line in screen.member_lines(ds, View()):
        assert f"**{name}**: {line}." in text


@pytest.mark.parametrize("members", ["confirmed", "with_unverified", "joined"])
def test_the_steel_figures_depend_only_on_the_part_of_the_view_they_are_keyed_on(ds, members):
    """The pages key the steel results on screen.steel_view(view): any other base year, target year, source or
    milestone setting must give the same figures."""
    other = View(source="climate_trace", base_year=2001, target_year=2045, members=members, milestones=False)
    keyed = screen.steel_view(other)
    assert keyed.members == members
    for code in ("members", "IND"):
        assert screen.headlines(ds, other, code) == screen.headlines(ds, keyed, code)
        pd.testing.assert_frame_equal(screen.plant_frame(ds, other, code), screen.plant_frame(ds, keyed, code))
    assert screen.member_lines(ds, other) == screen.member_lines(ds, keyed)
    # A country's or a company's plants do not depend on the member definition at all.
    for code in ("IND", "company:ssab"):
        assert screen.scope_of(ds, other, code) == screen.scope_of(ds, View(), code)


def test_steel_slide_plots_the_members_capacity_and_relining(ds):
    from decarb.briefing.slides import build_slide

    slide = build_slide(ds, View(), StorylineConfig(), "plants")
    facts = screen.facts(ds, View(), screen.MEMBERS)
    total = {c: 0.0 for c in slide.series[0].x}
    for series in slide.series:
        for category, value in zip(series.x, series.y, strict=True):
            total[category] += value or 0.0
    assert total["Steel: operating"] == pytest.approx(facts.steel_operating_mt)
    assert total["Steel: pipeline"] == pytest.approx(facts.steel_pipeline_mt)
    assert list(total)[:2] == ["Steel: operating", "Steel: pipeline"]
    assert total[f"Relining due {screen.as_of_year(ds)}-29"] == pytest.approx(facts.due_2030_mt)
    assert slide.headline == f"{number_text(facts.due_2030_mt, 0)} Mt/yr"
    assert "Global Energy Monitor" in slide.source_line


def test_chart_subtitles_name_the_vintage_of_their_data(ds):
    """Every chart's subtitle names the data's year: GEM's release month and year (the raw files' names) on the
    capacity, relining and plant charts; the years of the intensity both raw files report, and Climate TRACE's
    release, on the intensity chart; all read from the build, none typed into the page."""
    import re
    from datetime import date
    from html import unescape

    at = run("pages/steel.py", of="DEU")
    head = '<div class="chart-head"'
    heads = [unescape(re.sub(r"<[^>]+>", " | ", m.value)) for m in at.markdown if m.value.startswith(head)]
    assert len(heads) == 4, heads
    stamp = re.search(r"_(\d{4})-(\d{2})\.csv$", PLANTS.name)
    release = f"{date(int(stamp.group(1)), int(stamp.group(2)), 1):%B %Y} release"
    capacity, relining, intensity, plants = heads
    for head in (capacity, relining, plants):
        assert release in head, head
    assert f"counted from {screen.as_of_year(ds)}" in relining
    produced, emitted = raw_worldsteel("Germany"), raw_trace("DEU")
    both = sorted(set(produced) & set(emitted))
    assert f"{both[0]}-{both[-1]}" in intensity, intensity
    version = re.search(r"v(\d+)_(\d+)_(\d+)", "iron-and-steel_country_emissions_v5_7_0.csv").groups()
    assert f"Climate TRACE v{'.'.join(version)}" in intensity and "worldsteel" in intensity


def test_the_plant_map_hovers_name_status_capacity_and_source_of_each_plant(ds):
    """Each map point's hover: the plant's name and capacity (its own), its status, unit and source (its trace's),
    read from the figure the page sends, against GEM's plant file."""
    from test_app_pages import figures

    at = run("pages/steel.py", of="SWE")
    geo = next(f for f in figures(at) if any(t.get("type") == "scattergeo" for t in f["data"]))
    plants = raw_plants()
    swedish = plants[plants["country/area"] == "Sweden"]
    drawn = [t for t in geo["data"] if t.get("type") == "scattergeo" and t.get("text")]
    assert drawn
    for trace in drawn:
        template = trace["hovertemplate"]
        assert template.startswith("<b>%{text}</b><br>") and "%{customdata:,.1f} Mt a year" in template
        assert "Source: Global Energy Monitor" in template
        assert any(word in template for word in ("Operating", "Under construction", "Announced"))
        for name, capacity in zip(trace["text"], decode(trace["customdata"]), strict=True):
            rows = swedish[swedish["plant-name-(english)"] == name]
            assert len(rows) == 1, name
            raw = raw_capacity_mt(rows, OPERATING_COLUMNS + PIPELINE_COLUMNS)
            assert capacity == pytest.approx(raw) or raw == 0  # an iron-only plant shows its iron capacity
