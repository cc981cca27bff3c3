"""Our World in Data CO2 dataset: cement process CO2 (emissions) and population and GDP (indicators)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from decarb.contract import CEMENT, OWID, UNIT_MT_CO2, WORLD
from etl.areas import known_codes
from etl.errors import InputError, validated
from etl.readers import read_csv, read_parquet, read_parquet_columns

FILE = "owid_co2/owid-co2-data.parquet"
CODEBOOK = "owid_co2/owid-co2-codebook.csv"
COLUMNS = ["country", "year", "iso_code", "population", "gdp", "cement_co2"]
# The units the contract promises; the codebook must still say so, or the build stops.
EXPECTED_UNITS = {"cement_co2": "million tonnes", "population": "persons", "gdp": "international-$ in 2011 prices"}


def _finite_non_negative() -> pa.Column:
    return pa.Column(
        float, [pa.Check.ge(0), pa.Check(lambda s: ~np.isinf(s), name="finite")], nullable=True, coerce=True
    )


SCHEMA = pa.DataFrameSchema(
    {
        "country": pa.Column(str),
        "year": pa.Column(int, pa.Check.in_range(1750, 2100), coerce=True),
        "iso_code": pa.Column(str, pa.Check.isin(sorted(known_codes())), nullable=True),
        "population": _finite_non_negative(),
        "gdp": _finite_non_negative(),
        "cement_co2": _finite_non_negative(),
    },
    unique=["country", "year"],
    strict=False,
)
CODEBOOK_SCHEMA = pa.DataFrameSchema(
    {"column": pa.Column(str, unique=True), "unit": pa.Column(str, nullable=True)}, strict=False
)


def read(raw_dir: Path) -> pd.DataFrame:
    path = raw_dir / FILE
    frame = validated(SCHEMA, read_parquet(path, COLUMNS), path)
    codebook_path = raw_dir / CODEBOOK
    codebook = validated(CODEBOOK_SCHEMA, read_csv(codebook_path), codebook_path).set_index("column")["unit"]
    documented = set(codebook.index)
    undocumented = [c for c in read_parquet_columns(path) if c not in documented]
    if undocumented:  # a cut or stale codebook: the data has columns it does not describe
        raise InputError(
            codebook_path,
            f"column '{undocumented[0]}'",
            f"of {path.name} is not described ({len(undocumented)} columns undescribed)",
        )
    for column, unit in EXPECTED_UNITS.items():
        if codebook.get(column) != unit:
            raise InputError(
                codebook_path, f"column '{column}'", f"unit is {codebook.get(column)!r}, expected {unit!r}"
            )
    return frame


INDICATORS = ("population", "gdp")


def indicator_sources(raw_dir: Path) -> dict[str, str]:
    """Where OWID took each indicator from, as its codebook says ("Bolt and van Zanden - Maddison Project
    Database 2023 [url]"): a per-capita or per-GDP figure names that series next to the emissions source."""
    codebook = read_csv(raw_dir / CODEBOOK).set_index("column")
    return {
        column: str(codebook.at[column, "source"])
        for column in INDICATORS
        if "source" in codebook.columns and column in codebook.index and pd.notna(codebook.at[column, "source"])
    }


def _with_codes(frame: pd.DataFrame) -> pd.DataFrame:
    # NOTE: aggregates (continents, income groups) have no iso_code and are dropped; "World" is kept as WLD.
    codes = frame["iso_code"].where(frame["country"] != "World", WORLD)
    return frame.assign(iso3=codes).dropna(subset=["iso3"])


def to_emissions(frame: pd.DataFrame) -> pd.DataFrame:
    """Cement process CO2 per country (and the world); a missing value is not reported, not zero."""
    rows = _with_codes(frame).dropna(subset=["cement_co2"])
    return pd.DataFrame(
        {
            "source": OWID,
            "iso3": rows["iso3"],
            "year": rows["year"].astype("int16"),
            "sector": CEMENT,
            "gas": "co2",
            "value": rows["cement_co2"].astype("float64"),
            "unit": UNIT_MT_CO2,
            "gwp": "n/a (CO2 only)",
        }
    )


def to_indicators(frame: pd.DataFrame) -> pd.DataFrame:
    rows = _with_codes(frame).dropna(subset=["population", "gdp"], how="all")
    return pd.DataFrame(
        {
            "iso3": rows["iso3"],
            "year": rows["year"].astype("int16"),
            "population": rows["population"].astype("float64"),
            "gdp": rows["gdp"].astype("float64"),
        }
    ).reset_index(drop=True)
