"""One kind of error for bad input: it always names the file, the place in it, and the problem."""

from __future__ import annotations

from pathlib import Path

import pandera.pandas as pa


class InputError(Exception):
    """A raw input the ETL refuses. str() is the one line the user sees."""

    def __init__(self, path: Path | str, where: str, problem: str) -> None:
        self.path, self.where, self.problem = str(path), where, problem
        super().__init__(f"{self.path}: {where}: {problem}" if where else f"{self.path}: {problem}")


def row_label(index: object, header_rows: int = 1) -> str:
    """A frame index as the line a person sees in the file (1-based, after the header)."""
    try:
        return f"row {int(index) + 1 + header_rows}"
    except (TypeError, ValueError):
        return "row ?"


def from_schema_errors(path: Path | str, err: pa.errors.SchemaErrors | pa.errors.SchemaError) -> InputError:
    """Turn pandera's failure table into one line: the first failure, and how many more there are."""
    cases = err.failure_cases if isinstance(err, pa.errors.SchemaErrors) else err.failure_cases
    if cases is None or not len(cases):
        return InputError(path, "", str(err).splitlines()[0])
    first = cases.iloc[0]
    column = first.get("column")
    check = str(first.get("check"))
    value = first.get("failure_case")
    index = first.get("index")
    if check == "column_in_dataframe":
        return InputError(path, f"column '{value}'", "missing (renamed or deleted?)")
    where = ", ".join(
        part for part in (row_label(index) if index is not None and index == index else "",
                          f"column '{column}'" if column is not None and column == column else "") if part
    )
    more = len(cases) - 1
    suffix = f" (and {more} more problem{'s' if more != 1 else ''})" if more else ""
    return InputError(path, where or "table", f"{_describe(check)}, got {value!r}{suffix}")


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


def validated(schema: pa.DataFrameSchema, frame, path: Path | str, header_rows: int = 1):
    """Validate lazily (every failure collected) and raise one InputError for the first of them."""
    try:
        return schema.validate(frame, lazy=True)
    except (pa.errors.SchemaErrors, pa.errors.SchemaError) as err:
        raise from_schema_errors(path, err) from None
