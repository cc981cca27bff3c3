"""Shared fixtures: the tiny raw extract, builds of it, and the real processed data."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis.configuration import set_hypothesis_home_dir

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts"  # everything a test run writes (git-ignored): screenshots, slides, Hypothesis data

# Property tests: no per-example deadline (2 shared cores are noisy); on CI, derandomised so a run is repeatable.
# Hypothesis keeps its example database and caches in artifacts/, not in a .hypothesis/ folder in the tree.
set_hypothesis_home_dir(ARTIFACTS / "hypothesis")
settings.register_profile("dev", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
FIXTURE_RAW = ROOT / "tests" / "fixtures" / "raw"
FIXTURE_COUNTRIES = 3  # the extract keeps Sweden, India and Germany (tests/fixtures/make_raw.py)


def tree_digest(directory: Path) -> dict[str, str]:
    """Every file below a folder with its sha256: equal digests mean byte-identical trees."""
    return {str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(directory.rglob("*")) if p.is_file()}


@pytest.fixture
def raw_copy(tmp_path: Path) -> Path:
    """A writable copy of the tiny raw extract, to break in a test."""
    target = tmp_path / "raw"
    shutil.copytree(FIXTURE_RAW, target)
    return target


@pytest.fixture(scope="session")
def fixture_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny extract, built once per session (read-only for tests: copy it before changing it)."""
    from etl.build import build

    out = tmp_path_factory.mktemp("fixture-build") / "processed"
    build(FIXTURE_RAW, out, force=True, progress=False, min_countries=FIXTURE_COUNTRIES)
    return out


@pytest.fixture(scope="session")
def ds():
    """The real processed data, loaded once per test run (`make test` builds it before running the suite)."""
    from decarb.data import DataUnavailable, load_dataset

    try:
        return load_dataset()
    except DataUnavailable as err:
        if os.environ.get("CI"):
            pytest.fail(f"processed data absent on CI ({err})")
        pytest.skip(f"processed data absent ({err}); `make test` builds it first")
