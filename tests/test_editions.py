"""The test editions under tests/editions/, made as a new user would from the README with
Pandoc habits (author lists, written-out dates, '--', straight quotes, keywords): each
checks clean with --strict and builds on Letter and on A4 without a print fault."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import cli, run_cli
from glossator.pipeline import check
from pdfcheck import body_stream, print_faults, read_pdf

EDITIONS = Path(__file__).parent / "editions"
NAMES = sorted(p.name for p in EDITIONS.iterdir() if (p / "source" / "article.md").is_file())
BUILDS = [(name, paper) for name in NAMES for paper in ("letter", "a4")]


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """Each edition built once on each paper: {(name, paper): pdf path}."""
    out = {}
    for name, paper in BUILDS:
        folder = tmp_path_factory.mktemp(f"{name}-{paper}")
        result = cli("build", EDITIONS / name, "--paper", paper, "--out", folder)
        assert result.returncode == 0, result.stdout + result.stderr
        out[name, paper] = next(folder.glob("*.pdf"))
    return out


def composed_stream(root: Path) -> str:
    """The article's paragraphs as composed (quotes curled, dashes set), white space removed:
    what the PDF's text column must say."""
    edition = check(root).edition
    text = "".join(p.text for b in edition.blocks if b.kind == "paragraph" for p in b.pieces if p.kind == "text")
    return re.sub(r"\s+", "", text)


def pdf_text(pdf: Path) -> str:
    with read_pdf(pdf) as doc:
        return " ".join(" ".join((page.extract_text() or "").split()) for page in doc.pages)


def test_there_are_three_test_editions():
    assert NAMES == ["fourfreedoms", "gettysburg", "second-inaugural"]


@pytest.mark.parametrize("name", NAMES)
def test_each_checks_clean_with_strict(name):
    result = run_cli("check", EDITIONS / name, "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 errors, 0 warnings" in result.stdout + result.stderr


def test_their_straight_quotes_and_dashes_are_typographic_in_the_composed_text():
    stream = composed_stream(EDITIONS / "second-inaugural")
    assert "“Woeuntotheworld" in stream and "God’sassistance" in stream
    assert "withoutwar—seeking" in stream and '"' not in stream and "'" not in stream
    assert "dedicate–wecannotconsecrate–" in composed_stream(EDITIONS / "gettysburg")


@pytest.mark.parametrize("name, paper", BUILDS)
def test_each_builds_without_a_print_fault_and_prints_the_article_whole(built, name, paper):
    pdf = built[name, paper]
    assert print_faults(pdf) == []
    assert body_stream(pdf, paper) == composed_stream(EDITIONS / name)


def test_the_front_matter_reaches_the_pdf(built):
    from pypdf import PdfReader
    info = PdfReader(built["gettysburg", "a4"]).metadata
    assert info["/Author"] == "Abraham Lincoln, Glossator contributors (annotations)"
    assert info["/Keywords"] == "Gettysburg, Civil War, Abraham Lincoln, speech"
    assert info["/Subject"].startswith("Lincoln's remarks at the dedication")
    text = pdf_text(built["gettysburg", "a4"])
    assert "The Bliss copy · 19 November 1863" in text  # en-GB
    assert "Annotated by Glossator contributors" in text
    assert "offered under CC0" in text
    assert "Events from 1776 to 1864." in text  # one event is known only by its year
    assert "1–3 July 1863" in text


def test_dates_print_in_american_english(built):
    text = pdf_text(built["second-inaugural", "letter"])
    assert "March 4, 1865" in text and "January 31, 1865" in text
    assert "Events from 1619 to 1865." in text
    assert "See Union in the glossary." in text  # a note's see: naming a glossary entry
    assert "insurgents (insurgent)" in text
