"""Read raw files with the fastest readers, turning every low-level failure into a one-line InputError.

During a build every raw file is read once (`read_raw`), checksummed, and parsed from those same bytes
(`serving`): a file changed on disk meanwhile cannot slip in under the checksum of the file that was accepted.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
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
    data = _read_bytes(path)
    try:
        return pd.ExcelFile(io.BytesIO(data), engine="calamine")
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
    data = _read_bytes(path)
    try:
        return pq.read_schema(io.BytesIO(data)).names
    except Exception as err:
        raise InputError(path, "", f"not a readable Parquet file ({type(err).__name__}: {err})") from None


def read_parquet(path: Path, columns: list[str]) -> pd.DataFrame:
    schema_names = read_parquet_columns(path)
    missing = [c for c in columns if c not in schema_names]
    if missing:
        raise InputError(path, f"column '{missing[0]}'", "missing (renamed or deleted?)")
    data = _read_bytes(path)
    try:
        frame = pd.read_parquet(io.BytesIO(data), columns=columns)
    except Exception as err:
        raise InputError(path, "", f"unreadable Parquet ({type(err).__name__}: {err})") from None
    return _with_rows(path, frame)


def _with_rows(path: Path, frame: pd.DataFrame, where: str = "") -> pd.DataFrame:
    """An input with a header and no data is refused: every source we read has rows."""
    if frame.empty:
        raise InputError(path, where, "no data rows (only a header?)")
    served = _SERVED.get()
    if served is not None and "year" in frame.columns:
        latest = pd.to_numeric(frame["year"], errors="coerce").max()
        if pd.notna(latest):
            served.latest_year[path] = max(int(latest), served.latest_year.get(path, int(latest)))
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


def _read_bytes(path: Path) -> bytes:
    data = raw_bytes(path)
    if not data:
        raise InputError(path, "", "file is empty")
    return data


class Served:
    """The bytes a build has read and checksummed, by absolute path; which files were parsed since `reset`, and
    the latest value of those with a `year` column (the build names the file when a source's years are wrong)."""

    def __init__(self, files: dict[Path, bytes]) -> None:
        self.data = {os.path.abspath(path): data for path, data in files.items()}
        self.parsed: list[Path] = []
        self.latest_year: dict[Path, int] = {}

    def reset(self) -> None:
        self.parsed, self.latest_year = [], {}

    def files_with(self, year: int) -> str | None:
        """The file parsed since `reset` that holds `year` or a later one, if one alone does; else the one file
        parsed, or the folder holding them all."""
        holding = [path for path, latest in self.latest_year.items() if latest >= year]
        if len(holding) == 1:
            return str(holding[0])
        if len(self.parsed) == 1:
            return str(self.parsed[0])
        return os.path.commonpath([str(path) for path in self.parsed]) if self.parsed else None


_SERVED: ContextVar[Served | None] = ContextVar("served raw bytes", default=None)


def read_raw(path: Path, cap_mb: float | None = None) -> bytes:
    """A raw file's bytes, in one read. Only a regular file (or a link to one) is read: a FIFO, a device such as
    /dev/zero or a folder would block, never end or fail later with a traceback."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # non-blocking: opening a FIFO does not wait for a writer
    except FileNotFoundError:
        raise InputError(path, "", "file not found") from None
    except OSError as err:
        raise InputError(path, "", f"cannot be opened ({err.strerror})") from None
    _refuse_unless_regular(fd, path)
    with os.fdopen(fd, "rb") as handle:
        size = os.fstat(fd).st_size
        limit = None if cap_mb is None else int(cap_mb * 1e6)
        if limit is not None and size > limit:  # refused before reading a runaway file
            raise _too_large(path, size, cap_mb)
        try:
            data = handle.read() if limit is None else handle.read(limit + 1)
        except OSError as err:
            raise InputError(path, "", f"cannot be read ({err.strerror})") from None
    if limit is not None and len(data) > limit:  # it grew while being read
        raise _too_large(path, len(data), cap_mb)
    return data


def _refuse_unless_regular(fd: int, path: Path) -> None:
    """A regular file passes; anything else is refused, its descriptor closed."""
    mode = os.fstat(fd).st_mode
    if stat.S_ISREG(mode):
        return
    os.close(fd)
    if stat.S_ISDIR(mode):
        raise InputError(path, "", "is a folder, not a file")
    raise InputError(path, "", "is not a regular file (a FIFO, device or socket?): replace it by the file")


def _too_large(path: Path, size: int, cap_mb: float | None) -> InputError:
    return InputError(
        path, "", f"file is {size / 1e6:,.1f} MB, over the {cap_mb:g} MB limit recorded for it in sources.json (max_mb)"
    )


def raw_bytes(path: Path) -> bytes:
    """The bytes to parse: during a build, those the build checksummed; otherwise read from disk now."""
    served = _SERVED.get()
    if served is None:
        return read_raw(path)
    try:
        data = served.data[os.path.abspath(path)]
    except KeyError:
        raise InputError(
            path, "", "read by the build but not recorded in sources.json (every raw file needs its checksum there)"
        ) from None
    if path not in served.parsed:
        served.parsed.append(path)
    return data


@contextmanager
def serving(files: dict[Path, bytes]) -> Iterator[Served]:
    """Within this block, every reader parses these bytes instead of reading the files again."""
    served = Served(files)
    token = _SERVED.set(served)
    try:
        yield served
    finally:
        _SERVED.reset(token)
