"""EDGAR 2024 GHG booklet: sector x substance x country x year (Mt CO2e, GWP-100 AR5) into the long contract."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow

from decarb.contract import EDGAR, UNIT_MT_CO2E
from etl.areas import canonical_code, known_codes
from etl.errors import InputError, Place, cell_label, validated
from etl.readers import open_workbook, read_sheet

FILE = "edgar_2024_ghg/EDGAR_2024_GHG_booklet_2024.xlsx"
SECTOR_SHEET = "GHG_by_sector_and_country"
TOTALS_SHEET = "GHG_totals_by_country"
FIRST_YEAR = 1970
GWP = "GWP-100 AR5"
CODE = "EDGAR Country Code"

SECTORS = {
    "Power Industry": "power",
    "Industrial Combustion": "industrial_combustion",
    "Buildings": "buildings",
    "Transport": "transport",
    "Fuel Exploitation": "fuel_exploitation",
    "Processes": "industrial_processes",
    "Agriculture": "agriculture",
    "Waste": "waste",
}
SUBSTANCES = {
    "CO2": "co2",
    "GWP_100_AR5_CH4": "ch4",
    "GWP_100_AR5_N2O": "n2o",
    "GWP_100_AR5_F-gases": "f_gases",
}
# The booklet gives each sector by substance, so the F-gases of "Processes" can be told apart and are their own
# sector, as Climate TRACE keeps them: most of them are refrigerants and other product uses (IPCC 2.F), not heavy
# industry, and the booklet does not say which part is industrial (aluminium PFCs, HFC-23 from HCFC-22). The
# solvents and other product use in Processes' CO2 and N2O cannot be split out: the sheet has no finer sector.
SPLIT_BY_SUBSTANCE: dict[tuple[str, str], str] = {("Processes", "GWP_100_AR5_F-gases"): "fluorinated_gases"}
# The totals check: sectors summed over substances must reproduce EDGAR's own totals sheet.
TOTALS_TOLERANCE = 1e-6


def _year_columns(frame: pd.DataFrame, path: Path, sheet: str) -> list[str]:
    """EDGAR's year headers (1970, 1971, ...) as strings; they must run without a gap from 1970."""
    years = sorted(int(c) for c in frame.columns if str(c).isdigit())
    if not years or years[0] != FIRST_YEAR or years != list(range(FIRST_YEAR, years[-1] + 1)):
        raise InputError(
            path,
            f"sheet '{sheet}' header",
            f"year columns must run {FIRST_YEAR}, {FIRST_YEAR + 1}, "
            f"... without a gap; found {years[:3]}...{years[-2:]}",
        )
    return [str(y) for y in years]


def _drop_blank_rows(frame: pd.DataFrame) -> pd.DataFrame:
    # NOTE: EDGAR separates the country rows from the EU27/GLOBAL TOTAL block with fully blank rows.
    return frame.dropna(how="all")


def _key_schema(key_columns: dict[str, list[str]]) -> pa.DataFrameSchema:
    columns = {name: pa.Column(str, pa.Check.isin(allowed), nullable=False) for name, allowed in key_columns.items()}
    return pa.DataFrameSchema(columns, unique=list(key_columns), strict=False)


# The year block is validated as one column of cells: pandera costs about 1 ms per column, so this is five times
# faster than 54 year columns. Cell i is row i // len(years), column i % len(years), which names it in an error.
CELLS_SCHEMA = pa.DataFrameSchema(
    {
        "value": pa.Column(float, [pa.Check.ge(0), pa.Check(np.isfinite, name="finite")], nullable=True, coerce=True),
    }
)


def _cell_place(frame: pd.DataFrame, years: list[str]) -> Place:
    def place(cell: object, column: str) -> str:
        try:
            # a frame's index label is any object; a non-integer one is caught below
            row, year = divmod(int(cell), len(years))  # type: ignore[call-overload]
        except (TypeError, ValueError):
            return cell_label(cell, column)
        return cell_label(frame.index[row], years[year])

    return place


def _validated_sheet(frame: pd.DataFrame, path: Path, sheet: str, key_columns: dict[str, list[str]]) -> pd.DataFrame:
    """Keys and values of one wide sheet, validated; the year columns come back as float64."""
    frame = _drop_blank_rows(frame)
    frame.columns = [str(c) for c in frame.columns]
    years = _year_columns(frame, path, sheet)
    where = f"{path} [{sheet}]"
    keys = validated(_key_schema(key_columns), frame, where)[list(key_columns)]
    cells = pd.DataFrame({"value": frame[years].to_numpy().ravel()})
    values = validated(CELLS_SCHEMA, cells, where, _cell_place(frame, years))["value"].to_numpy()
    return keys.join(pd.DataFrame(values.reshape(len(frame), len(years)), index=frame.index, columns=years))


def read(raw_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The sector sheet and the totals sheet, validated, with string year headers."""
    path = raw_dir / FILE
    book = open_workbook(path)
    codes = sorted(known_codes() | {"GLOBAL TOTAL"})
    sectors = _validated_sheet(
        read_sheet(book, path, SECTOR_SHEET),
        path,
        SECTOR_SHEET,
        {"Substance": list(SUBSTANCES), "Sector": list(SECTORS), CODE: codes},
    )
    totals = _validated_sheet(read_sheet(book, path, TOTALS_SHEET), path, TOTALS_SHEET, {CODE: codes})
    return sectors, totals


def _gather(labels: pd.Series, rows: np.ndarray) -> pd.Series:
    """labels[rows] as a string column, taken by Arrow without Python objects (3x faster than via a list)."""
    return pd.Series(pyarrow.array(labels.astype("str")).take(pyarrow.array(rows)), dtype="str")


def _constant(text: str, length: int) -> pd.Series:
    return pd.Series(pyarrow.repeat(pyarrow.scalar(text, pyarrow.large_string()), length), dtype="str")


def sector_code(sector: str, substance: str) -> str:
    """The contract sector of one sheet row (its EDGAR sector, or the sector its substance is split into)."""
    return SPLIT_BY_SUBSTANCE.get((sector, substance), SECTORS[sector])


def to_emissions(sectors: pd.DataFrame) -> pd.DataFrame:
    """Wide sheet -> contract rows. An empty cell means 'not reported': no row, never a zero."""
    years = [c for c in sectors.columns if c.isdigit()]
    values = sectors[years].to_numpy(dtype="float64")
    row, col = np.nonzero(~np.isnan(values))  # row-major: each sheet row's years stay together
    return pd.DataFrame(
        {
            "source": _constant(EDGAR, len(row)),
            "iso3": _gather(sectors[CODE].map(canonical_code), row),
            "year": np.asarray(years, dtype="int16")[col],
            "sector": _gather(
                pd.Series(
                    [sector_code(a, b) for a, b in zip(sectors["Sector"], sectors["Substance"], strict=True)],
                    index=sectors.index,
                    dtype="str",
                ),
                row,
            ),
            "gas": _gather(sectors["Substance"].map(SUBSTANCES), row),
            "value": values[row, col],
            "unit": _constant(UNIT_MT_CO2E, len(row)),
            "gwp": _constant(GWP, len(row)),
        }
    )


def check_totals(emissions: pd.DataFrame, totals: pd.DataFrame, path: Path) -> int:
    """Sectors x substances must add up to EDGAR's totals sheet for every area and year; returns pairs checked.

    An area-year the totals sheet gives and our rows lack counts as zero in ours; one it leaves empty is skipped.
    """
    years = [c for c in totals.columns if c.isdigit()]
    theirs = totals[years].to_numpy(dtype="float64")  # area x year, in the sheet's order
    areas = pd.Index(totals[CODE].map(canonical_code))
    codes, uniques = pd.factorize(emissions["iso3"])  # then index a few hundred labels, not every row (6x faster)
    area = areas.get_indexer(uniques)[codes]  # -1: an area the totals sheet does not cover
    year = emissions["year"].to_numpy(dtype="int64") - int(years[0])
    known = (area >= 0) & (year >= 0) & (year < len(years))
    ours = np.bincount(
        area[known] * len(years) + year[known], weights=emissions["value"].to_numpy()[known], minlength=theirs.size
    ).reshape(theirs.shape)
    checked = ~np.isnan(theirs)
    relative = np.abs(ours - theirs) / np.clip(np.abs(theirs), 1e-12, None)
    bad = checked & (relative > TOTALS_TOLERANCE)
    if bad.any():
        rows, cols = np.nonzero(bad)
        i, j = rows[0], cols[0]
        raise InputError(
            path,
            f"area {areas[i]}, year {years[j]}",
            f"sectors sum to {ours[i, j]:.6g} but {TOTALS_SHEET} says {theirs[i, j]:.6g} "
            f"(relative difference {relative[i, j]:.2g}; {int(bad.sum())} area-years disagree)",
        )
    return int(checked.sum())
