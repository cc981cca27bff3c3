"""Climate TRACE sector-level summary: country x sector x year, tonnes CO2e (co2e_100yr) into Mt CO2e rows."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from decarb.contract import CLIMATE_TRACE, SECTORS_ALLOWING_NEGATIVE, TONNES_PER_MT, UNIT_MT_CO2E
from etl.areas import known_codes
from etl.errors import validated
from etl.readers import read_csv

FILE = "climate_trace/climate_trace_sector_level_summary.csv"
GWP = "GWP-100 (Climate TRACE co2e_100yr)"

SECTORS = {
    "agriculture": "agriculture",
    "buildings": "buildings",
    "fluorinated-gases": "fluorinated_gases",
    "forestry-and-land-use": "forestry_and_land_use",
    "fossil-fuel-operations": "fuel_exploitation",
    "manufacturing": "manufacturing",
    "mineral-extraction": "mineral_extraction",
    "power": "power",
    "transportation": "transport",
    "waste": "waste",
}
VALUE = "sector_emissions_quantity"


def _sign_rule(frame: pd.DataFrame) -> pd.Series:
    """Negative values (net removals) are allowed only in sectors that can be sinks."""
    may_be_negative = frame["sector"].map(SECTORS).isin(SECTORS_ALLOWING_NEGATIVE)
    return may_be_negative | (frame[VALUE] >= 0)


SCHEMA = pa.DataFrameSchema(
    {
        "iso3_country": pa.Column(str, pa.Check.isin(sorted(known_codes()))),
        "year": pa.Column(int, pa.Check.in_range(1900, 2100), coerce=True),
        "sector": pa.Column(str, pa.Check.isin(list(SECTORS))),
        "gas": pa.Column(str, pa.Check.eq("co2e_100yr")),
        "emissions_quantity_units": pa.Column(str, pa.Check.eq("tonnes")),
        "temporal_granularity": pa.Column(str, pa.Check.eq("annual")),
        VALUE: pa.Column(float, [pa.Check(np.isfinite, element_wise=False, name="finite")], coerce=True),
    },
    checks=[pa.Check(_sign_rule, name="negative only for land-use sinks")],
    unique=["iso3_country", "year", "sector"],
    strict=False,
)


def read(raw_dir: Path) -> pd.DataFrame:
    path = raw_dir / FILE
    return validated(SCHEMA, read_csv(path, keep_default_na=False, na_values=[""]), path)


def to_emissions(frame: pd.DataFrame, exclude_years: list[int]) -> pd.DataFrame:
    """Complete years only (partial years are named in sources.json); tonnes -> Mt."""
    kept = frame[~frame["year"].isin(exclude_years)]
    return pd.DataFrame(
        {
            "source": CLIMATE_TRACE,
            "iso3": kept["iso3_country"],
            "year": kept["year"].astype("int16"),
            "sector": kept["sector"].map(SECTORS),
            "gas": "ghg",
            "value": kept[VALUE] / TONNES_PER_MT,
            "unit": UNIT_MT_CO2E,
            "gwp": GWP,
        }
    )
