"""Provenance of the raw files: recorded sources, checksum verification, and explicit acceptance of new files."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from pathlib import Path

from decarb.data import sha256_of
from decarb.provenance import ManifestError, parse_sources
from etl.errors import InputError

SOURCES_FILE = "sources.json"
DEFAULT_MAX_MB = 200  # for a file whose entry sets no max_mb


def load_sources(raw_dir: Path) -> dict:
    """sources.json as written (the build copies it into the manifest), validated by the app's own parser so
    that every build the app can read; a bad entry stops the build naming the source and the key."""
    path = raw_dir / SOURCES_FILE
    try:
        sources = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(path, "", "file not found (it describes every raw source)") from None
    except ValueError as err:
        raise InputError(path, f"line {getattr(err, 'lineno', '?')}", f"not valid JSON ({err})") from None
    try:
        parse_sources(sources)
    except ManifestError as err:
        raise InputError(path, err.where, err.problem) from None
    return sources


def sources_digest(sources: dict) -> str:
    """sha256 of the recorded provenance (canonical JSON): a corrected licence or citation needs a rebuild too,
    since the manifest carries it."""
    return hashlib.sha256(json.dumps(sources, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def verify_checksums(raw_dir: Path, sources: dict, accept: set[str]) -> dict[str, str]:
    """sha256 of every recorded file; a changed file stops the build unless it is named in `accept`.

    Accepting puts the new checksum and today's date into `sources` (in memory); the build writes sources.json
    (record_accepted) only once the new output is in place, so a build that fails records no acceptance.
    """
    unknown = accept - {name for source in sources.values() for name in source["files"]}
    if unknown:
        raise InputError(raw_dir / SOURCES_FILE, "", f"--accept names a file it does not record: {sorted(unknown)[0]}")
    actual: dict[str, str] = {}
    for source in sources.values():
        for name, recorded in source["files"].items():
            path = raw_dir / name
            if not path.exists():
                raise InputError(path, "", "file not found (recorded in sources.json)")
            size_mb, cap_mb = path.stat().st_size / 1e6, recorded.get("max_mb", DEFAULT_MAX_MB)
            if size_mb > cap_mb:  # refused before hashing or parsing a runaway file
                raise InputError(
                    path,
                    "",
                    f"file is {size_mb:,.1f} MB, over the {cap_mb:g} MB limit recorded for it in sources.json (max_mb)",
                )
            actual[name] = sha256_of(path)
            if actual[name] == recorded["sha256"]:
                continue
            if name not in accept:
                raise InputError(
                    path,
                    "",
                    f"sha256 {actual[name][:16]}... differs from the recorded "
                    f"{recorded['sha256'][:16]}...; if this new file is intended, rebuild with "
                    f"`python -m etl --accept {name}`",
                )
            recorded.update(sha256=actual[name], accepted_on=dt.date.today().isoformat())
    return actual


def record_accepted(raw_dir: Path, sources: dict) -> None:
    """sources.json with the checksums and dates verify_checksums put in for the accepted files."""
    write_json_atomically(raw_dir / SOURCES_FILE, sources)


def write_json_atomically(path: Path, payload: dict) -> None:
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump(payload, out, indent=2, ensure_ascii=False)
        out.write("\n")
    os.chmod(temp, 0o644)  # mkstemp creates 0600; the manifest is meant to be read by anyone
    os.replace(temp, path)
