"""Net-zero targets by vintage: each country's end target is the 2025 stocktake's, dated, with the 2023 one beside
it; the changes since are named per country, members first, on the Countries page."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from tiny_analytics_data import tiny_dataset

from conftest import FIXTURE_RAW, ROOT
from decarb.pathways import target_years
from decarb.targets import changes_of, target_changes
from decarb.view import View, members_set
from etl import net_zero_tracker as nzt

RAW = ROOT / "data" / "raw"


def stocktake(raw_dir=RAW) -> pd.DataFrame:
    return pd.read_csv(raw_dir / nzt.STOCKTAKE_FILE, keep_default_na=False, na_values=[""]).set_index("iso3")


def snapshot_2023(raw_dir=RAW) -> pd.DataFrame:
    frame = pd.read_excel(raw_dir / nzt.FILE, nzt.SHEET, engine="calamine")
    return frame[frame["actor_type"] == "Country"].assign(iso3=lambda f: f["country"].replace("EUU", "EU27"))


def test_each_country_has_the_stocktake_target_dated_and_the_2023_one_beside_it(fixture_build):
    targets = pd.read_parquet(fixture_build / "targets.parquet")
    sources = json.loads((FIXTURE_RAW / "sources.json").read_text())
    new, old = stocktake(FIXTURE_RAW), snapshot_2023(FIXTURE_RAW).set_index("iso3")
    countries = targets[targets["actor_type"] == "country"].set_index("iso3")
    assert set(new.index) <= set(countries.index)
    for code, row in new.iterrows():
        got = countries.loc[code]
        assert (got["end_target"], got["end_target_year"], got["end_target_status"]) == (
            row["end_target"],
            row["end_target_year"],
            row["status_of_end_target"],
        )
        assert str(got["end_target_snapshot"]) == sources["net_zero_tracker_2025"]["released_on"]
        assert got["end_target_status_updated"] == row["date_of_last_status_update"]
        assert (got["earlier_end_target"], got["earlier_end_target_year"]) == (
            old.loc[code, "end_target"],
            old.loc[code, "end_target_year"],
        )
        assert str(got["earlier_end_target_snapshot"]) == sources["net_zero_tracker"]["released_on"]
        assert got["source_url"] == sources["net_zero_tracker_2025"]["url"]
    companies = targets[targets["actor_type"] == "company"]
    assert (companies["end_target_snapshot"].astype(str) == sources["net_zero_tracker"]["released_on"]).all()
    assert companies["earlier_end_target"].isna().all()


def test_changes_are_named_in_words():
    base = dict(
        {
            "earlier_end_target": "Net zero",
            "earlier_end_target_year": 2050,
            "earlier_end_target_status": "In policy document",
            "end_target": "Climate neutral",
            "end_target_year": 2045,
            "end_target_status": "In law",
        }
    )

    def row(**changed: object) -> pd.Series:
        return pd.Series({**base, **changed})

    assert changes_of(row()) == [
        "year moved 2050 -> 2045",
        "kind changed Net zero -> Climate neutral",
        "status changed In policy document -> In law",
    ]
    assert changes_of(row(end_target="No target", end_target_year=pd.NA)) == ["target withdrawn"]
    assert changes_of(row(earlier_end_target="No target")) == ["target added"]
    assert changes_of(row(end_target="Net zero", end_target_year=2050, end_target_status="In policy document")) == []


def test_tiny_dataset_lists_the_changed_country_members_first():
    ds = tiny_dataset()
    changes = target_changes(ds, {"CCC", "AAA"}, {"AAA": "Aland"})
    assert changes.table["iso3"].tolist() == ["AAA"]
    assert (
        changes.table.loc[0, "What changed"] == "year moved 2050 -> 2045; status changed In policy document -> In law"
    )
    assert (changes.earlier, changes.newest) == ("2023-04-22", "2025-09-17")
    assert changes.summary().startswith("1 of 2 countries changed their end target between the 2023-04-22 snapshot")


def test_real_changes_match_the_raw_files_and_members_come_first(ds):
    new, old = stocktake(), snapshot_2023().set_index("iso3")

    def norm(value: object) -> object:
        return None if pd.isna(value) else value

    expected = {
        code
        for code, row in new.iterrows()
        if code in old.index
        and (norm(row["end_target"]) or "No target") != (norm(old.loc[code, "end_target"]) or "No target")
        or code in old.index
        and (norm(row["end_target"]) or "No target") != "No target"
        and (
            norm(row["end_target_year"]) != norm(old.loc[code, "end_target_year"])
            or norm(row["status_of_end_target"]) != norm(old.loc[code, "end_target_status"])
        )
    }
    members = set(members_set(ds, View()).codes)
    changes = target_changes(ds, members, {})
    assert set(changes.table["iso3"]) == expected
    flags = changes.table["LeadIT member"].tolist()
    assert flags == sorted(flags, key=lambda f: f != "yes")  # members first
    assert sum(f == "yes" for f in flags) == len(expected & members)
    # The pathway notes name the release each target year comes from.
    newest = json.loads((RAW / "sources.json").read_text())["net_zero_tracker_2025"]["released_on"]
    assert target_years(ds)["note"].str.contains(f"2025 stocktake ({newest})", regex=False).all()


@pytest.mark.parametrize("page", ["pages/countries.py"])
def test_countries_page_shows_the_dated_targets_and_what_changed(ds, page):
    from test_app_pages import run

    released = {k: v.get("released_on") for k, v in json.loads((RAW / "sources.json").read_text()).items()}
    newest, earlier = released["net_zero_tracker_2025"], released["net_zero_tracker"]
    at = run(page, countries="SWE,USA")
    headers = [h.value for h in [*at.header, *at.subheader]]
    assert f"Net-zero targets (Net Zero Tracker, end targets as of {newest})" in headers
    assert f"Targets changed since the {earlier} snapshot" in headers
    changes = at.dataframe[-1].value
    members = set(members_set(ds, View()).codes)
    expected = target_changes(ds, members, {}).table
    assert len(changes) == len(expected) and changes["LeadIT member"].iloc[0] == "yes"
    targets = at.dataframe[-2].value
    assert set(targets["Target as of (release)"].astype(str)) == {newest}
    assert any("are LeadIT members, listed first" in c.value for c in at.caption)


def test_accepting_a_new_stocktake_reports_the_changed_end_targets(raw_copy, tmp_path, capsys):
    from conftest import FIXTURE_COUNTRIES
    from decarb.paths import MANIFEST_NAME
    from etl.__main__ import main

    out = tmp_path / "processed"
    args = ["--raw-dir", str(raw_copy), "--out-dir", str(out), "--quiet", "--min-countries", str(FIXTURE_COUNTRIES)]
    assert main(args) == 0
    path = raw_copy / nzt.STOCKTAKE_FILE
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[0, "end_target_year"] = str(int(frame.loc[0, "end_target_year"]) - 5)  # a target brought forward
    frame.to_csv(path, index=False)
    assert main([*args, "--accept", nzt.STOCKTAKE_FILE]) == 0
    report = json.loads((out / MANIFEST_NAME).read_text())["changes"]["net_zero_tracker_2025"]
    assert list(report["changed"]) == [snapshot_2023(raw_copy).set_index("iso3").loc[frame.loc[0, "iso3"], "name"]]
    before, after = next(iter(report["changed"].values()))
    assert frame.loc[0, "end_target_year"] in after and frame.loc[0, "end_target_year"] not in before
    assert "Net Zero Tracker 2025 stocktake: targets" in capsys.readouterr().out
