"""One kind of error for bad input: it always names the file, the place in it, and the problem."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pandera.pandas as pa


class InputError(Exception):
    """A raw input the ETL refuses. str() is the one line the user sees."""

    def __init__(self, path: Path | str, where: str, problem: str) -> None:
        self.path, self.where, self.problem = str(path), where, problem
        super().__init__(f"{self.path}: {where}: {problem}" if where else f"{self.path}: {problem}")


def row_label(index: object, header_rows: int = 1) -> str:
    """A frame index as the line a person sees in the file (1-based, after the header)."""
    try:
        # a frame's index label is any object; a non-integer one is caught below
        return f"row {int(index) + 1 + header_rows}"  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return "row ?"


def cell_label(index: object, column: str) -> str:
    """Where a column check failed, as a person finds it in the file."""
    return f"{row_label(index)}, column '{column}'"


# How a schema's failure (frame index, column) maps to a place in the file, for frames reshaped from it.
Place = Callable[[object, str], str]


STRUCTURE_CHECKS = {
    "column_in_dataframe": "missing (renamed or deleted?)",
    "column_in_schema": "not expected here (renamed or added?)",
    "column_ordered": "out of the expected order",
}


def _first_failure(cases: pd.DataFrame) -> pd.Series:
    """Structure first (missing columns), then single-column checks, then row-wise checks; earliest row first."""
    rank = cases["check"].map(lambda c: 0 if c in STRUCTURE_CHECKS else 1)
    rank = rank.where(rank == 0, 1 + (cases["schema_context"] != "Column").astype(int))
    row = pd.to_numeric(cases["index"], errors="coerce").fillna(float("inf"))
    order = pd.DataFrame({"rank": rank, "row": row})
    return cases.loc[order.sort_values(["rank", "row"], kind="stable").index[0]]


def from_schema_errors(
    path: Path | str, err: pa.errors.SchemaErrors | pa.errors.SchemaError, place: Place = cell_label
) -> InputError:
    """Turn pandera's failure table into one line: the first failure, and how many more problems there are."""
    cases = err.failure_cases
    if cases is None or not len(cases):
        return InputError(path, "", str(err).splitlines()[0])
    first = _first_failure(cases)
    check, value, index = str(first["check"]), first["failure_case"], first["index"]
    if check in STRUCTURE_CHECKS:
        return InputError(path, f"column '{value}'", STRUCTURE_CHECKS[check])
    problems = cases.drop_duplicates(["check", "index"]) if first["schema_context"] != "Column" else cases
    more = len(problems) - 1
    suffix = f" (and {more} more problem{'s' if more != 1 else ''})" if more else ""
    if first["schema_context"] != "Column":  # a row-wise rule spanning several columns
        return InputError(path, row_label(index), f"fails rule '{check}'{suffix}")
    return InputError(path, place(index, first["column"]), f"{_describe(check)}, got {value!r}{suffix}")


def _describe(check: str) -> str:
    """pandera's check names, in words."""
    words = {
        "not_nullable": "value is missing",
        "field_uniqueness": "value is duplicated",
        "multiple_fields_uniqueness": "duplicate key",
        "coerce_dtype": "value is not of the expected type",
    }
    for prefix, text in words.items():
        if check.startswith(prefix):
            return text + f" ({check})" if prefix == "coerce_dtype" else text
    return f"fails check {check}"


def validated(
    schema: pa.DataFrameSchema, frame: pd.DataFrame, path: Path | str, place: Place = cell_label
) -> pd.DataFrame:
    """Validate lazily (every failure collected) and raise one InputError for the first of them."""
    try:
        return schema.validate(frame, lazy=True)
    except (pa.errors.SchemaErrors, pa.errors.SchemaError) as err:
        raise from_schema_errors(path, err, place) from None
