"""The change history: one JSON line per accepted build, kept with the inputs in data/raw/changes.jsonl.

A build's output is replaced by every rebuild, so what an accepted file changed is kept next to the raw files it
describes and committed with them. Each build copies the whole history into its manifest (`change_history`), so
the app shows the last acceptance however often the data are rebuilt since.

Format 1, one object per line, oldest first (docs/data.md):
  format        1
  accepted_at   UTC time of the build that accepted the files, ISO 8601 to the second
  code_version  `git describe` of the code that built it
  files         [{"file": path under data/raw, "source": source id, "sha256_before": ..., "sha256_after": ...}]
  lines         the change report's lines, as printed by the build
  changes       the change report's record per source (etl/changes.py), as in the manifest's `changes`
  note          optional text: how the entry came about when the accepting build did not write it itself
Lines are only ever appended; two branches that each accepted a file merge by keeping both lines in time order.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from etl.errors import InputError
from etl.readers import read_raw

CHANGES_FILE = "changes.jsonl"
FORMAT = 1
REQUIRED = {"format": int, "accepted_at": str, "code_version": str, "files": list, "lines": list, "changes": dict}
FILE_KEYS = ("file", "source", "sha256_before", "sha256_after")


def read(raw_dir: Path) -> list[dict]:
    """Every entry of data/raw/changes.jsonl, oldest first; none when the file does not exist yet.

    A line that is not a format-1 entry stops the build with one line naming the file and the line number."""
    path = raw_dir / CHANGES_FILE
    if not path.exists():
        return []
    entries = []
    try:
        text = read_raw(path).decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(path, "", f"not valid UTF-8 ({err.reason})") from None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as err:
            raise InputError(path, f"line {number}", f"not JSON ({err.msg})") from None
        problem = _problem(entry)
        if problem:
            raise InputError(path, f"line {number}", problem)
        entries.append(entry)
    return entries


def _problem(entry: object) -> str:
    if not isinstance(entry, dict):
        return "not a JSON object"
    for key, kind in REQUIRED.items():
        if not isinstance(entry.get(key), kind):
            return f"`{key}` missing or not a {kind.__name__}"
    if entry["format"] != FORMAT:
        return f"format {entry['format']} is not {FORMAT}, the format this code reads"
    for item in entry["files"]:
        if not isinstance(item, dict) or any(not isinstance(item.get(key), str) for key in FILE_KEYS):
            return f"every `files` item needs the text fields {', '.join(FILE_KEYS)}"
    if not all(isinstance(line, str) for line in entry["lines"]):
        return "`lines` must be texts"
    if not isinstance(entry.get("note", ""), str):
        return "`note` must be a text"
    return ""


def entry(
    accepted_at: str, code_version: str, files: list[dict[str, str]], lines: list[str], changes: dict[str, dict]
) -> dict:
    return {
        "format": FORMAT,
        "accepted_at": accepted_at,
        "code_version": code_version,
        "files": files,
        "lines": lines,
        "changes": changes,
    }


def as_line(item: dict) -> str:
    return json.dumps(item, ensure_ascii=False, sort_keys=False) + "\n"


def digest(entries: list[dict]) -> str:
    """sha256 of the entries as written one a line: part of the build's input fingerprint, so a history edited or
    merged in rebuilds the manifest that shows it, and the build that appended an entry is then up to date."""
    return hashlib.sha256("".join(as_line(item) for item in entries).encode("utf-8")).hexdigest()


def appended(raw_dir: Path, item: dict) -> bytes:
    """The file's content with `item` appended (the build writes it, in one step, only when it succeeds)."""
    path = raw_dir / CHANGES_FILE
    before = read_raw(path) if path.exists() else b""
    # A hand-edited file without a final newline would glue the new entry onto its last line.
    gap = b"\n" if before[-1:] not in (b"", b"\n") else b""
    return before + gap + as_line(item).encode("utf-8")
