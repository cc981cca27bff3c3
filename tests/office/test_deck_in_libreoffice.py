"""The briefing deck as its recipients open it: rendered by LibreOffice headless to one PDF page per slide, then to
PNGs in artifacts/slides/<source>/ to look at. Built through the command line, as an analyst makes a pack.

On CI a missing office suite is a failure (`make test` installs Debian's libreoffice-impress and poppler-utils).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pptx import Presentation

from conftest import ARTIFACTS, ROOT

pytestmark = pytest.mark.office

SOURCES = ("edgar", "climate_trace", "owid")
TOOLS = ("soffice", "pdfinfo", "pdftotext", "pdftoppm")
EDGAR_EXCEPTION = "CC BY-NC-ND 4.0"  # IEA-EDGAR CO2 from fuel combustion (data/raw/sources.json)


def words(text: str) -> str:
    """Text as a PDF reader extracts it: hyphenation and line breaks folded away."""
    return re.sub(r"\s+", " ", text.replace("-\n", "")).strip()


@pytest.fixture(scope="module", autouse=True)
def office_suite() -> None:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        reason = f"{', '.join(missing)} not found: `make office` installs libreoffice-impress and poppler-utils"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.fixture(scope="module", params=SOURCES)
def rendered(request, ds, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path, Path, list[Path]]:
    """(source, deck, pdf, slide PNGs) for the default storyline of one source."""
    source = request.param
    work = tmp_path_factory.mktemp(f"deck-{source}")
    deck = work / f"{source}.pptx"
    subprocess.run(
        [sys.executable, "-m", "decarb.briefing", f"source={source}", "--pptx", str(deck)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=120,
    )
    # A profile of its own: two soffice processes sharing one make the second do nothing (STACK.md).
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{work / 'profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            str(deck),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = work / f"{source}.pdf"
    out = ARTIFACTS / "slides" / source
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    subprocess.run(["pdftoppm", "-r", "80", "-png", str(pdf), str(out / "slide")], check=True, timeout=120)
    return source, deck, pdf, sorted(out.glob("slide-*.png"))


def page_texts(pdf: Path, pages: int) -> list[str]:
    return [
        subprocess.run(
            ["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        for n in range(1, pages + 1)
    ]


def test_one_pdf_page_and_one_image_per_slide(rendered):
    _, deck, pdf, images = rendered
    slides = len(Presentation(str(deck)).slides)
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert int(re.search(r"Pages:\s+(\d+)", info).group(1)) == slides
    assert len(images) == slides


def test_every_slide_title_is_on_its_page(rendered):
    _, deck, pdf, _ = rendered
    prs = Presentation(str(deck))
    texts = [words(t) for t in page_texts(pdf, len(prs.slides))]
    for number, (slide, text) in enumerate(zip(prs.slides, texts, strict=True), start=1):
        title = words(slide.shapes[0].text_frame.text) if slide.shapes[0].has_text_frame else ""
        assert title and title in text, f"slide {number}: title {title!r} not on its page"


def test_edgar_pages_name_the_fuel_combustion_licence_exception(rendered):
    source, deck, pdf, _ = rendered
    prs = Presentation(str(deck))
    texts = [words(t) for t in page_texts(pdf, len(prs.slides))]
    edgar_pages = [n for n, text in enumerate(texts, start=1) if "EDGAR Community GHG Database" in text]
    if source == "edgar":
        assert len(edgar_pages) >= 3, "the EDGAR deck cites EDGAR on its emissions slides"
    for number in edgar_pages:
        assert EDGAR_EXCEPTION in texts[number - 1], f"page {number} cites EDGAR without {EDGAR_EXCEPTION}"
