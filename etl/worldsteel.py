"""World Steel Association: total production of crude steel by country (thousand tonnes), as exported.

The export has two title lines, a header `Country,2020,...,2024` (padded with empty columns), numbers with
thousands separators, a blank row, and a copyright footer whose "Retrieved:" row holds a date-time. It is read
line by line with the csv module: every line is accounted for, so a changed title, header or footer stops the
build instead of turning into data.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from decarb.contract import UNIT_MT, WORLDSTEEL
from etl.areas import code_of_name
from etl.errors import InputError
from etl.readers import raw_bytes

FILE = "worldsteel/crude_steel_production_2020-2024.csv"
TITLE = "Total production of crude steel"
PRODUCT = "crude_steel"
KT_PER_MT = 1000.0
FIRST_YEAR = 1900
# Rows that are not one area: worldsteel's residual and historic groupings. Their values enter the check of the
# World row (which includes them) and are never stored.
GROUPINGS: dict[str, str] = {
    "Others": "countries worldsteel does not list by name",
    "Belgium-Luxemburg": "historic grouping (Belgium and Luxembourg are listed on their own)",
    "Former Yugoslavia": "historic grouping (its successor states are listed on their own)",
    "Serbia-Montenegro": "historic grouping (Serbia and Montenegro are listed on their own)",
}
# The World row is the sum of the rows, each rounded to 0.1 kt: it may differ by the rounding of every row.
ROUNDING_KT = 0.05
_NUMBER = re.compile(r"^\d{1,3}(?:,\d{3})*(?:\.\d+)?$|^\d+(?:\.\d+)?$")
FOOTER = (
    (re.compile(r"^© \d{4} World Steel Association$"), "the copyright line ('© <year> World Steel Association')"),
    (re.compile(r"^https://www\.worldsteel\.org/?$"), "the link line ('https://www.worldsteel.org/')"),
    (re.compile(r"^Retrieved:$"), "the 'Retrieved:' line"),
)


@dataclass(frozen=True)
class Table:
    years: list[int]
    names: list[str]
    values: np.ndarray  # kt, rows x years; NaN where the cell is empty
    retrieved: str


def _lines(path: Path) -> list[list[str]]:
    data = raw_bytes(path)  # the bytes the build checksummed
    if not data.strip():
        raise InputError(path, "", "file is empty")
    if data.startswith(codecs.BOM_UTF8):  # Excel's "CSV UTF-8" mark, not data (stripped first: byte offsets)
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise InputError(path, f"line {line}", f"not valid UTF-8 (byte 0x{data[err.start]:02x})") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return [row for row in reader]
    except csv.Error as err:
        raise InputError(path, f"line {reader.line_num}", f"malformed CSV ({err})") from None


def _blank(row: list[str]) -> bool:
    return not any(cell.strip() for cell in row)


def read(raw_dir: Path) -> Table:
    path = raw_dir / FILE
    rows = _lines(path)
    if not rows or rows[0][:1] != [TITLE] or not _blank(rows[0][1:]):
        raise InputError(path, "line 1", f"title is not '{TITLE}' (another table, or the title lines changed?)")
    if len(rows) < 3 or not _blank(rows[1]):
        raise InputError(path, "line 2", "expected the blank line between title and header")
    header = rows[2]
    if header[:1] != ["Country"]:
        raise InputError(path, "line 3, column 1", f"header is {header[:1]!r}, expected 'Country'")
    width = len(header)
    year_cells = [cell for cell in header[1:] if cell.strip()]
    if header[1 : 1 + len(year_cells)] != year_cells:
        raise InputError(path, "line 3", "a gap among the year columns of the header")
    years: list[int] = []
    for position, cell in enumerate(year_cells, start=2):
        if not re.fullmatch(r"\d{4}", cell):
            raise InputError(path, f"line 3, column {position}", f"header {cell!r} is not a year")
        year = int(cell)
        if not FIRST_YEAR <= year < dt.date.today().year:  # only completed years are published
            raise InputError(path, f"line 3, column {position}", f"year {year} is not a completed year")
        if years and year != years[-1] + 1:
            raise InputError(path, f"line 3, column {position}", f"year {year} does not follow {years[-1]}")
        years.append(year)
    if not years:
        raise InputError(path, "line 3", "no year columns in the header")
    names, values = [], []
    number = 3
    for number, row in enumerate(rows[3:], start=4):
        if _blank(row):
            break
        if len(row) != width:
            raise InputError(path, f"line {number}", f"{len(row)} fields where the header has {width}")
        name = row[0].strip()
        if not name:
            raise InputError(path, f"line {number}, column 'Country'", "country name missing")
        if name in names:
            raise InputError(path, f"line {number}, column 'Country'", f"{name!r} is listed twice")
        cells = []
        for year, cell in zip(years, row[1 : 1 + len(years)], strict=True):
            cell = cell.strip()
            if cell and not _NUMBER.match(cell):
                raise InputError(
                    path, f"line {number}, column '{year}'", f"not a non-negative number in thousand tonnes: {cell!r}"
                )
            cells.append(float(cell.replace(",", "")) if cell else np.nan)
        extra = [cell for cell in row[1 + len(years) :] if cell.strip()]
        if extra:
            raise InputError(path, f"line {number}", f"a value outside the year columns: {extra[0]!r}")
        if name not in GROUPINGS and code_of_name(name) is None:
            raise InputError(
                path,
                f"line {number}, column 'Country'",
                f"{name!r} is not a country or area name the project knows (spelling? a new name needs an alias "
                "in decarb.contract.AREA_NAME_ALIASES)",
            )
        names.append(name)
        values.append(cells)
    else:
        raise InputError(path, f"line {number}", "the table does not end with a blank line and the footer")
    if not names:
        raise InputError(path, "line 4", "no data rows (only a header?)")
    retrieved = _footer(path, rows, number)
    return Table(years, names, np.array(values, dtype="float64"), retrieved)


def _footer(path: Path, rows: list[list[str]], blank_line: int) -> str:
    """The rows after the table: the copyright, link and 'Retrieved:' lines, in that order, and blanks."""
    content = [(n, row) for n, row in enumerate(rows[blank_line:], start=blank_line + 1) if not _blank(row)]
    for index, (pattern, what) in enumerate(FOOTER):
        if index >= len(content):
            raise InputError(path, f"line {len(rows)}", f"footer ends early: {what} is missing")
        number, row = content[index]
        if not pattern.match(row[0].strip()):
            raise InputError(path, f"line {number}", f"expected {what} of the footer, got {row[0]!r}")
    number, row = content[len(FOOTER) - 1]
    retrieved = row[1].strip() if len(row) > 1 else ""
    if not retrieved or not _blank(row[2:]):
        raise InputError(path, f"line {number}", "the 'Retrieved:' line has no date, or more than one")
    if len(content) > len(FOOTER):
        number, row = content[len(FOOTER)]
        raise InputError(path, f"line {number}", f"unexpected row after the footer: {row[0]!r}")
    return retrieved


def to_production(table: Table) -> tuple[pd.DataFrame, list[str]]:
    """Rows for every listed area (and the World row) with a value; a country with 0 in every year is listed
    without production in these years: no rows (named in the notes)."""
    notes = []
    rows = []
    silent = []
    for name, cells in zip(table.names, table.values, strict=True):
        if name in GROUPINGS:
            continue
        if np.nan_to_num(cells).sum() == 0:
            silent.append(name)
            continue
        code = code_of_name(name)
        for year, value in zip(table.years, cells, strict=True):
            if not np.isnan(value):
                rows.append((code, year, value / KT_PER_MT))
    frame = pd.DataFrame(rows, columns=["iso3", "year", "value"])
    production = pd.DataFrame(
        {
            "source": pd.Series([WORLDSTEEL] * len(frame), dtype="str"),
            "iso3": frame["iso3"].astype("str"),
            "year": frame["year"].astype("int16"),
            "product": pd.Series([PRODUCT] * len(frame), dtype="str"),
            "value": frame["value"].astype("float64"),
            "unit": pd.Series([UNIT_MT] * len(frame), dtype="str"),
        }
    )
    if silent:
        notes.append(
            f"{len(silent)} listed {'country has' if len(silent) == 1 else 'countries have'} 0 in every year "
            f"{table.years[0]}-{table.years[-1]} and no rows (no production reported): {', '.join(silent)}"
        )
    grouped = [name for name in table.names if name in GROUPINGS]
    if grouped:
        notes.append(
            "rows that are not one area are not stored (their production is inside World): "
            + "; ".join(f"{name}: {GROUPINGS[name]}" for name in grouped)
        )
    notes.append(f"retrieved {table.retrieved} (the export's footer)")
    return production, notes


def check_world(table: Table) -> str:
    """The World row against the sum of every other row, per year: a note saying whether they agree within the
    rows' rounding (a subset of the rows, such as a test extract, is said not to add up)."""
    if "World" not in table.names:
        return "no World row: world production is not reported by this file"
    world = table.values[table.names.index("World")]
    others = np.array([cells for name, cells in zip(table.names, table.values, strict=True) if name != "World"])
    summed = np.nansum(others, axis=0)
    tolerance = ROUNDING_KT * len(others)
    gap = world - summed
    if (np.abs(gap) <= tolerance).all():
        return (
            f"the World row equals the sum of the {len(others)} other rows in every year (largest difference "
            f"{np.abs(gap).max():.1f} kt, within their rounding of {tolerance:.1f} kt)"
        )
    worst = int(np.abs(gap).argmax())
    return (
        f"the World row is not the sum of the {len(others)} rows listed: {gap[worst]:,.1f} kt apart in "
        f"{table.years[worst]} (world figures are worldsteel's own, never a sum of the country rows)"
    )
