"""Exports: formula-safe CSVs of exactly the plotted data, and the whole dataset as a Frictionless package."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import pandas as pd
import pytest

from decarb import exports
from decarb.contract import TABLES, column_names


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+SUM(A1)", "'+SUM(A1)"),
        ("-2+3", "'-2+3"),
        ("@cmd", "'@cmd"),
        ("\t=x", "'\t=x"),
        ("Sweden", "Sweden"),
        ("a=b", "a=b"),
        ("", ""),
        (-5.0, -5.0),
        (None, None),
    ],
)
def test_neutralise(cell, expected):
    assert exports.neutralise(cell) == expected


def test_csv_neutralises_text_but_keeps_negative_numbers():
    frame = pd.DataFrame(
        {
            "area": ['=HYPERLINK("x")', "Sweden"],
            "value": [-1.5, 2.0],
            "unit": ["Mt CO2e", "Mt CO2e"],
            "source_label": ["@evil", "EDGAR"],
            "licence": "CC BY 4.0",
        }
    )
    back = pd.read_csv(io.BytesIO(exports.chart_csv(frame)))
    assert back["area"].tolist() == ['\'=HYPERLINK("x")', "Sweden"]
    assert back["source_label"].tolist() == ["'@evil", "EDGAR"]
    assert back["value"].tolist() == [-1.5, 2.0]


def test_csv_neutralises_pandas_string_and_categorical_columns():
    frame = pd.DataFrame(
        {
            "a": pd.array(["-x", "y"], dtype="str"),
            "b": pd.Categorical(["+1", "z"]),
            "value": [1, 2],
            "unit": "t",
            "source_label": "s",
            "licence": "l",
        }
    )
    back = pd.read_csv(io.BytesIO(exports.chart_csv(frame)))
    assert back["a"].tolist() == ["'-x", "y"]
    assert back["b"].tolist() == ["'+1", "z"]


@pytest.mark.parametrize("missing", ["unit", "source_label", "value", "licence"])
def test_chart_csv_refuses_data_without_unit_source_or_licence(missing):
    frame = pd.DataFrame(
        {"value": [1.0], "unit": ["Mt CO2e"], "source_label": ["EDGAR"], "licence": ["CC BY 4.0"]}
    ).drop(columns=[missing])
    with pytest.raises(ValueError, match=missing):
        exports.chart_csv(frame)


@pytest.mark.parametrize(
    ("arrow", "kind"),
    [
        ("large_string", "string"),
        ("int16", "integer"),
        ("double", "number"),
        ("bool", "boolean"),
        ("date32[day]", "date"),
        ("dictionary<values=string, indices=int32>", "string"),
        (None, "string"),
    ],
)
def test_frictionless_types(arrow, kind):
    assert exports.frictionless_type(arrow) == kind


def test_dataset_zip_of_the_real_data(ds):
    blob = exports.dataset_zip({name: getattr(ds, name) for name in TABLES}, ds.manifest)
    archive = zipfile.ZipFile(io.BytesIO(blob))
    assert sorted(archive.namelist()) == sorted([f"{t}.csv" for t in TABLES] + ["datapackage.json"])
    package = json.loads(archive.read("datapackage.json"))
    assert package["profile"] == "tabular-data-package"
    assert {s["id"] for s in package["sources"]} == set(ds.manifest.sources)
    assert package["licenses"] and all("name" in lic for lic in package["licenses"])
    for resource in package["resources"]:
        table = resource["name"]
        csv = archive.read(resource["path"])
        assert resource["hash"] == "sha256:" + hashlib.sha256(csv).hexdigest()
        assert resource["bytes"] == len(csv)
        assert [f["name"] for f in resource["schema"]["fields"]] == column_names(table)
        units = {f["name"]: f.get("unit") for f in resource["schema"]["fields"]}
        assert units == {c.name: c.unit for c in TABLES[table][1]}
        frame = pd.read_csv(io.BytesIO(csv), low_memory=False)
        assert len(frame) == len(getattr(ds, table)) == resource["rows"]
    emissions = next(r for r in package["resources"] if r["name"] == "emissions")
    # Every source with rows in the table, and the release entry its iron and steel rows come from.
    assert {s["id"] for s in emissions["sources"]} == {*ds.emissions["source"].unique(), "climate_trace_v5"}
    production = next(r for r in package["resources"] if r["name"] == "production")
    assert [s.get("required_attribution") for s in production["sources"]] == ["Source: World Steel Association"]
    plants = next(r for r in package["resources"] if r["name"] == "steel_plants")
    assert [s["id"] for s in plants["sources"]] == ["gem_steel"] and plants["licenses"][0]["name"] == "CC-BY-4.0"
    targets = next(r for r in package["resources"] if r["name"] == "targets")
    assert {s["id"] for s in targets["sources"]} == {"net_zero_tracker", "net_zero_tracker_2025"}
    assert "CC-BY-NC-4.0" in json.dumps(targets["licenses"])  # the stocktake's stricter licence travels with it
    assert {f["name"]: f["type"] for f in emissions["schema"]["fields"]}["value"] == "number"
    # Same data, same bytes: the zip can be cached and compared.
    assert blob == exports.dataset_zip({name: getattr(ds, name) for name in TABLES}, ds.manifest)


def test_real_emissions_csv_values_round_trip(ds):
    sample = ds.emissions.sample(500, random_state=1).reset_index(drop=True)
    back = pd.read_csv(io.BytesIO(exports.to_csv_bytes(sample)))
    assert back["value"].to_numpy() == pytest.approx(sample["value"].to_numpy())
    assert back["iso3"].tolist() == sample["iso3"].tolist()


def test_chart_csvs_name_their_sector_and_normalisation(ds):
    """A chart's CSV read on its own says which sector, what it holds in the source, and which normalisation."""
    from decarb.contract import sector_definition
    from decarb.screens.countries import countries_chart
    from decarb.screens.overview import overview
    from decarb.screens.sectors import group_comparison
    from decarb.screens.shared import HOW_LABELS, sector_label
    from decarb.view import View

    view = View()
    cases = [
        (countries_chart(ds, view, ("SWE", "IND"), "heavy_industry", "per_capita"), "heavy_industry", "per_capita"),
        (group_comparison(ds, view, "heavy_industry", "index"), "heavy_industry", "index"),
        (overview(ds, view).chart, "heavy_industry", "absolute"),
    ]
    for chart, sector, how in cases:
        table = pd.read_csv(io.BytesIO(exports.chart_csv(chart.data)))
        assert list(table.columns[1:4]) == ["sector", "sector_definition", "normalisation"]
        assert set(table["sector"]) == {sector_label(sector)} and set(table["normalisation"]) == {HOW_LABELS[how]}
        assert set(table["sector_definition"]) == {sector_definition(sector, view.source)}
        assert table["value"].notna().any()
