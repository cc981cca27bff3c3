"""Ways to break a raw file, each a function that edits a copy in place (used by the bad-input tests)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openpyxl
import pandas as pd

Breaker = Callable[[Path], None]  # takes the raw folder


def edit_csv(name: str, change: Callable[[pd.DataFrame], pd.DataFrame]) -> Breaker:
    def apply(raw: Path) -> None:
        frame = pd.read_csv(raw / name, dtype=str, keep_default_na=False)
        change(frame).to_csv(raw / name, index=False)

    return apply


def set_cell(row: int, column: str, value: str) -> Callable[[pd.DataFrame], pd.DataFrame]:
    def change(frame: pd.DataFrame) -> pd.DataFrame:
        frame.loc[row, column] = value
        return frame

    return change


def edit_bytes(name: str, change: Callable[[bytes], bytes]) -> Breaker:
    def apply(raw: Path) -> None:
        (raw / name).write_bytes(change((raw / name).read_bytes()))

    return apply


def edit_workbook(name: str, change: Callable[[openpyxl.Workbook], None]) -> Breaker:
    def apply(raw: Path) -> None:
        book = openpyxl.load_workbook(raw / name)
        change(book)
        book.save(raw / name)

    return apply


def set_sheet_cell(sheet: str, row: int, column: int, value: object) -> Callable[[openpyxl.Workbook], None]:
    def change(book: openpyxl.Workbook) -> None:
        book[sheet].cell(row=row, column=column).value = value

    return change


def edit_parquet(name: str, change: Callable[[pd.DataFrame], pd.DataFrame]) -> Breaker:
    def apply(raw: Path) -> None:
        change(pd.read_parquet(raw / name)).to_parquet(raw / name, index=False)

    return apply


def truncate(data: bytes) -> bytes:
    return data[: len(data) * 2 // 3]


def grow_to(megabytes: float) -> Callable[[bytes], bytes]:
    """Append filler past a size limit (the content is irrelevant: the size check comes first)."""

    def change(data: bytes) -> bytes:
        return data + b"\n" * int(megabytes * 1e6)

    return change
