"""Global Carbon Budget 2025: cement process CO2 and fossil CO2 by fuel, traced to the raw cells; its place in
the sector tree; the sanity checks that stop the build."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from conftest import FIXTURE_RAW
from decarb.contract import CEMENT, GCB, HEAVY_INDUSTRY, TOTAL, sectors_for
from decarb.data import load_dataset
from decarb.selection import series
from etl import global_carbon_budget as gcb
from etl.errors import InputError

RAW_FILE = FIXTURE_RAW / gcb.FILE


def raw() -> pd.DataFrame:
    return pd.read_csv(RAW_FILE)


def test_cement_arrives_unchanged_per_country_and_year(fixture_build):
    frame, emissions = raw(), pd.read_parquet(fixture_build / "emissions.parquet")
    mine = emissions[(emissions["source"] == GCB) & (emissions["sector"] == CEMENT)]
    for country, code in (("India", "IND"), ("Sweden", "SWE"), ("Global", "WLD")):
        expected = frame[frame["Country"] == country].dropna(subset=["Cement"]).set_index("Year")["Cement"]
        got = mine[mine["iso3"] == code].set_index("year")["value"]
        pd.testing.assert_series_equal(
            got.sort_index(), expected.sort_index(), check_names=False, check_index_type=False
        )
    assert int(mine["year"].max()) == int(frame["Year"].max())  # to the file's newest year (2024)


def test_total_is_the_files_total_and_heavy_industry_is_not_answered(fixture_build):
    ds = load_dataset(fixture_build)
    frame = raw()
    row = frame[(frame["Country"] == "Germany")].dropna(subset=list(gcb.PARTS)).iloc[-1]
    total = series(ds, GCB, ["DEU"], TOTAL)
    assert total.loc[int(row["Year"])] == pytest.approx(row["Total"], abs=gcb.SUM_TOLERANCE_MT)
    assert sectors_for(HEAVY_INDUSTRY, GCB) == []  # no industrial-combustion split: never heavy industry
    assert CEMENT in sectors_for(TOTAL, GCB)


def test_aggregates_mapped_and_uncoded_entities_dropped_with_a_note(fixture_build):
    emissions = pd.read_parquet(fixture_build / "emissions.parquet")
    codes = set(emissions.loc[emissions["source"] == GCB, "iso3"])
    assert {"WLD", "SEA"} <= codes and not {"XIS", "XIA", "KSV"} & codes
    notes = json.loads((fixture_build / "manifest.json").read_text())["quality_notes"]
    assert any("Kuwaiti Oil Fires" in n and "dropped" in n for n in notes)
    assert any("Global Carbon Budget: cement process CO2 against OWID" in n for n in notes)


def test_owid_comparison_names_the_largest_difference():
    mine = pd.DataFrame({"iso3": ["IND", "SWE"], "year": [2020, 2020], "sector": CEMENT, "value": [10.0, 1.0]})
    owid = mine.assign(value=[7.0, 1.0])
    note = gcb.compare_cement(mine, owid, "OWID")
    assert "IND 2020: 10.00 against 7.00 Mt (+3.00)" in note and "1 agree" in note


def _broken(tmp_path: Path, edit) -> Path:
    target = tmp_path / "raw"
    target.mkdir()
    path = target / gcb.FILE
    path.parent.mkdir(parents=True)
    edit(pd.read_csv(RAW_FILE, dtype=str, keep_default_na=False)).to_csv(path, index=False)
    return target


@pytest.mark.parametrize(
    "scale, fragments",
    [(0.0, ["area 'Global'", "no cement"]), (1000.0, ["year 2024, column 'Cement'", "outside the plausible"])],
)
def test_world_cement_band_stops_the_build(scale, fragments):
    emissions, _ = gcb.to_emissions(gcb.read(FIXTURE_RAW))
    world = (emissions["iso3"] == "WLD") & (emissions["sector"] == CEMENT)
    emissions = (
        emissions[~world]
        if scale == 0
        else emissions.assign(value=emissions["value"].mask(world, emissions["value"] * scale))
    )
    with pytest.raises(InputError) as err:
        gcb.check_world_cement(emissions, FIXTURE_RAW)
    assert all(f in str(err.value) for f in fragments)


def test_a_total_that_is_not_the_sum_of_its_parts_is_refused(tmp_path):
    raw_dir = _broken(tmp_path, lambda f: f.assign(Total=f["Total"].mask(f.index == 3, "999")))
    with pytest.raises(InputError, match=r"row 5, column 'Total': 999 is not the sum"):
        gcb.read(raw_dir)


def test_a_duplicated_code_and_year_is_refused(tmp_path):
    raw_dir = _broken(
        tmp_path,
        lambda f: f.assign(Country=f["Country"].mask(f.index == 0, "Sweden (again)")).pipe(
            lambda g: g.assign(
                **{gcb.CODE: g[gcb.CODE].mask(g.index == 0, g.loc[g["Country"] == "Sweden", gcb.CODE].iloc[0])}
            )
        ),
    )
    with pytest.raises(InputError, match="duplicate key"):
        gcb.read(raw_dir)


def test_accepting_a_new_release_reports_its_largest_changes(raw_copy, tmp_path, capsys):
    from conftest import FIXTURE_COUNTRIES
    from decarb.paths import MANIFEST_NAME
    from etl.__main__ import main

    out = tmp_path / "processed"
    args = ["--raw-dir", str(raw_copy), "--out-dir", str(out), "--quiet", "--min-countries", str(FIXTURE_COUNTRIES)]
    assert main(args) == 0
    path = raw_copy / gcb.FILE
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    # Sweden's newest row: cement doubled and the total raised by the same amount, so the file still adds up.
    i = max(n for n, line in enumerate(lines) if line.startswith('"Sweden"'))
    cells = lines[i].rstrip("\n").split(",")
    cement = float(cells[8])
    cells[8], cells[4] = repr(2 * cement), repr(float(cells[4]) + cement)
    lines[i] = ",".join(cells) + "\n"
    path.write_text("".join(lines), encoding="utf-8")
    assert main([*args, "--accept", gcb.FILE]) == 0
    report = json.loads((out / MANIFEST_NAME).read_text())["changes"]["gcb"]
    top = report["largest"][0]
    assert (top["iso3"], top["sector"], top["year"], top["relative_change"]) == ("SWE", CEMENT, int(cells[3]), 1.0)
    assert "Global Carbon Budget 2025: largest relative changes" in capsys.readouterr().out


def test_picking_it_says_it_has_no_heavy_industry_and_shows_cement_to_its_newest_year(ds):
    from test_app_pages import run

    from decarb.view import source_note, source_years

    at = run(source=GCB)
    assert source_note(GCB, source_years(ds)) in [c.value for c in at.sidebar.caption]
    assert "reports no heavy-industry total" in at.info[0].value
    newest = int(ds.emissions.loc[(ds.emissions["source"] == GCB) & (ds.emissions["sector"] == CEMENT), "year"].max())
    assert f"Members' cement (process CO2) {newest}" in [m.label for m in at.metric]
