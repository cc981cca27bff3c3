"""Provenance of the raw files: recorded sources, checksum verification, and explicit acceptance of new files."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from decarb.provenance import ManifestError, parse_sources
from etl.errors import InputError
from etl.readers import read_raw

SOURCES_FILE = "sources.json"
DEFAULT_MAX_MB = 200  # for a file whose entry sets no max_mb
# Stand-ins for a new file's checksum and date until --accept records the real ones (never written out: a file
# always differs from this checksum, so it is either accepted or refused).
NEW_FILE, NEW_FILE_DATE = "0" * 64, "not yet accepted"


def load_sources(raw_dir: Path, accept: frozenset[str] = frozenset()) -> dict:
    """sources.json as written (the build copies it into the manifest), validated by the app's own parser so
    that every build the app can read; a bad entry stops the build naming the source and the key.

    A new raw file is described in sources.json without `sha256` and `accepted_on` and brought in with
    `--accept`, which records them: until then it is a placeholder the build refuses."""
    path = raw_dir / SOURCES_FILE
    if not path.exists():
        raise InputError(path, "", "file not found (it describes every raw source)")
    try:
        sources = json.loads(read_raw(path).decode("utf-8"))
    except ValueError as err:
        raise InputError(path, f"line {getattr(err, 'lineno', '?')}", f"not valid JSON ({err})") from None
    for source_id, source in sources.items() if isinstance(sources, dict) else ():
        files = source.get("files") if isinstance(source, dict) else None
        if not isinstance(files, dict):
            continue  # the parser below names what is wrong
        for name, entry in list(files.items()):
            if isinstance(entry, dict) and "sha256" not in entry:
                if name not in accept:
                    raise InputError(
                        path,
                        f"source '{source_id}', file '{name}'",
                        f"new file not yet accepted (no sha256): bring it in with `python -m etl --accept {name}`",
                    )
                files[name] = {"sha256": NEW_FILE, "accepted_on": NEW_FILE_DATE, **entry}
    try:
        parse_sources(sources)
    except ManifestError as err:
        raise InputError(path, err.where, err.problem) from None
    return sources


def sources_digest(sources: dict) -> str:
    """sha256 of the recorded provenance (canonical JSON): a corrected licence or citation needs a rebuild too,
    since the manifest carries it."""
    return hashlib.sha256(json.dumps(sources, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


@dataclass
class Verified:
    """Every recorded raw file, read once: the bytes the build parses and their sha256."""

    data: dict[Path, bytes]
    checksums: dict[str, str]  # file name as in sources.json -> sha256


def verify_checksums(raw_dir: Path, sources: dict, accept: set[str]) -> Verified:
    """Read and checksum every recorded file; a changed file stops the build unless it is named in `accept`.

    Accepting puts the new checksum and today's date into `sources` (in memory); the build writes sources.json
    (`accepted_sources`) only once everything else has succeeded, so a build that fails records no acceptance.
    """
    unknown = accept - {name for source in sources.values() for name in source["files"]}
    if unknown:
        raise InputError(raw_dir / SOURCES_FILE, "", f"--accept names a file it does not record: {sorted(unknown)[0]}")
    verified = Verified({}, {})
    for source in sources.values():
        for name, recorded in source["files"].items():
            path = raw_dir / name
            data = read_raw(path, recorded.get("max_mb", DEFAULT_MAX_MB))
            actual = hashlib.sha256(data).hexdigest()
            verified.data[path], verified.checksums[name] = data, actual
            if actual == recorded["sha256"]:
                continue
            if name not in accept:
                raise InputError(
                    path,
                    "",
                    f"sha256 {actual[:16]}... differs from the recorded "
                    f"{recorded['sha256'][:16]}...; if this new file is intended, rebuild with "
                    f"`python -m etl --accept {name}`",
                )
            recorded.update(sha256=actual, accepted_on=dt.date.today().isoformat())
    return verified


def accepted_sources(sources: dict) -> bytes:
    """sources.json's content with the checksums and dates verify_checksums put in for the accepted files."""
    return _json_bytes(sources)


def _json_bytes(payload: dict) -> bytes:
    return (json.dumps(payload, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def write_json_atomically(path: Path, payload: dict) -> None:
    write_bytes_atomically(path, _json_bytes(payload))


def write_bytes_atomically(path: Path, data: bytes) -> None:
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temp, 0o644)  # mkstemp creates 0600; the manifest is meant to be read by anyone
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)  # a full disk leaves no temporary file behind
        raise
