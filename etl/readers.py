"""Read raw files with the fastest readers, turning every low-level failure into a one-line InputError."""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

import pandas as pd
import pyarrow
import pyarrow.csv
import pyarrow.parquet as pq

from etl.errors import InputError


def read_csv(path: Path, **kwargs) -> pd.DataFrame:
    """A strict UTF-8 CSV read: an empty, non-UTF-8 or ragged file is refused with its line number."""
    data = _read_bytes(path)
    if not data.strip():
        raise InputError(path, "", "file is empty")
    # A byte-order mark (Excel's "CSV UTF-8") is fine, not data; it is cut before decoding so that the error's
    # offset points at the bad byte itself.
    unmarked = data[len(codecs.BOM_UTF8) :] if data.startswith(codecs.BOM_UTF8) else data
    try:
        text = unmarked.decode("utf-8")
    except UnicodeDecodeError as err:
        line = unmarked[: err.start].count(b"\n") + 1
        raise InputError(path, f"line {line}", f"not valid UTF-8 (byte 0x{unmarked[err.start]:02x})") from None
    if not text.endswith("\n"):
        line = text.count("\n") + 1
        raise InputError(
            path,
            f"line {line}",
            "the last line has no line ending: is the file cut short? (if it is complete, end it with a newline)",
        )
    if kwargs.get("engine") == "pyarrow":
        # pyarrow's parser refuses a row of another width itself (pandas' C parser fills it silently), so the
        # file is parsed once; only when it fails does the pre-check below run, to name the line.
        body = data[len(codecs.BOM_UTF8) :] if data.startswith(codecs.BOM_UTF8) else data
        try:
            frame = pd.read_csv(io.BytesIO(body), on_bad_lines="error", **kwargs)
        except Exception:  # any failure takes the path below, which names it exactly as before
            frame = None
        if frame is not None:
            return _with_rows(path, frame)
    if not _rows_look_regular(data):  # fast C++ pre-check; the csv module then names the line
        _check_row_widths(path, text)
    try:
        return _with_rows(path, pd.read_csv(io.StringIO(text), on_bad_lines="error", **kwargs))
    except pd.errors.ParserError as err:
        raise InputError(path, "", f"malformed CSV ({str(err).strip()})") from None
    except ValueError as err:  # e.g. a dtype that does not fit
        raise InputError(path, "", f"unreadable CSV ({err})") from None


def open_workbook(path: Path) -> pd.ExcelFile:
    """A workbook through python-calamine (about 8x faster than openpyxl on EDGAR), opened once per file."""
    _read_bytes(path, check_only=True)  # existence first, for a clear message
    try:
        return pd.ExcelFile(path, engine="calamine")
    except Exception as err:  # calamine raises its own types for a damaged zip or workbook
        raise InputError(path, "", f"not a readable xlsx workbook ({type(err).__name__}: {err})") from None


def read_sheet(book: pd.ExcelFile, path: Path, sheet: str, columns: list[str] | None = None) -> pd.DataFrame:
    """One sheet; with `columns`, only those are converted (a missing one is absent, for validation to report)."""
    if sheet not in book.sheet_names:
        raise InputError(path, f"sheet '{sheet}'", f"missing (the workbook has {', '.join(book.sheet_names)})")
    try:
        # Only truly empty cells are missing: a typed "n/a" or "-" must fail validation, not vanish.
        frame = pd.read_excel(
            book,
            sheet,
            keep_default_na=False,
            na_values=[""],
            usecols=None if columns is None else (lambda name: name in columns),
        )
    except Exception as err:
        raise InputError(path, f"sheet '{sheet}'", f"unreadable ({type(err).__name__}: {err})") from None
    return _with_rows(path, frame, f"sheet '{sheet}'")


def read_parquet_columns(path: Path) -> list[str]:
    _read_bytes(path, check_only=True)
    try:
        return pq.read_schema(path).names
    except Exception as err:
        raise InputError(path, "", f"not a readable Parquet file ({type(err).__name__}: {err})") from None


def read_parquet(path: Path, columns: list[str]) -> pd.DataFrame:
    schema_names = read_parquet_columns(path)
    missing = [c for c in columns if c not in schema_names]
    if missing:
        raise InputError(path, f"column '{missing[0]}'", "missing (renamed or deleted?)")
    try:
        frame = pd.read_parquet(path, columns=columns)
    except Exception as err:
        raise InputError(path, "", f"unreadable Parquet ({type(err).__name__}: {err})") from None
    return _with_rows(path, frame)


def _with_rows(path: Path, frame: pd.DataFrame, where: str = "") -> pd.DataFrame:
    """An input with a header and no data is refused: every source we read has rows."""
    if frame.empty:
        raise InputError(path, where, "no data rows (only a header?)")
    return frame


_NO_COLUMN = "\x00 no such column"


def _rows_look_regular(data: bytes) -> bool:
    """pyarrow's CSV parser refuses a row whose field count differs from the header's, in C++ (about 10x faster
    than the csv module on Climate TRACE). A refusal only means: look closely (it is stricter on rare forms)."""
    try:
        # Field counts are checked while parsing; converting the values is not needed for it (no column is
        # kept: one absent column is asked for), which took a third of this check on the Climate TRACE files.
        pyarrow.csv.read_csv(
            io.BytesIO(data),
            parse_options=pyarrow.csv.ParseOptions(newlines_in_values=True),
            convert_options=pyarrow.csv.ConvertOptions(include_columns=[_NO_COLUMN], include_missing_columns=True),
        )
    except (pyarrow.ArrowInvalid, pyarrow.ArrowTypeError, pyarrow.ArrowNotImplementedError):
        return False
    return True


def _check_row_widths(path: Path, text: str) -> None:
    """Every row has as many fields as the header: a truncated or hand-edited row is refused by line.

    pandas fills a short row with missing values silently; the csv module lets us see it.
    """
    rows = csv.reader(io.StringIO(text, newline=""))
    try:
        width = len(next(rows, []))
        for row in rows:
            if row and len(row) != width:
                raise InputError(
                    path,
                    f"line {rows.line_num}",
                    f"{len(row)} fields where the header has {width} (a truncated or ragged row)",
                )
    except csv.Error as err:
        raise InputError(path, f"line {rows.line_num}", f"malformed CSV ({err})") from None


def _read_bytes(path: Path, check_only: bool = False) -> bytes:
    if not path.exists():
        raise InputError(path, "", "file not found")
    if path.stat().st_size == 0:
        raise InputError(path, "", "file is empty")
    return b"" if check_only else path.read_bytes()
