"""Links into the PDF: edition.pdf#para-7 opens ¶ 7, #note-12 note 12, #call-12 its call."""
from __future__ import annotations

import pytest
from pypdf import PdfReader

from conftest import REPO, cli, html_elements, make_edition
from glossator.pipeline import check
from pdfcheck import numbers_at, read_pdf


def destinations(pdf) -> dict[str, tuple[int, float]]:
    """Named destination -> (0-based page, its top in pt from the page's top)."""
    reader = PdfReader(pdf)
    out = {}
    for name, dest in reader.named_destinations.items():
        page = reader.get_destination_page_number(dest)
        out[name] = (page, float(reader.pages[page].mediabox.height) - float(dest.top))
    return out


def test_paragraphs_notes_and_calls_have_named_destinations(bundled):
    edition = check(REPO).edition
    paragraphs = [b.number for b in edition.blocks if b.kind == "paragraph"]
    names = destinations(bundled)
    for number in paragraphs:
        assert f"para-{number}" in names
    for note in edition.notes:
        assert f"note-{note.number}" in names and f"call-{note.number}" in names
    assert len(paragraphs) >= 10 and len(edition.notes) >= 20
    ids = {attrs.get("id") for _, attrs in html_elements(bundled.with_suffix(".html").read_text(encoding="utf-8"))}
    assert {f"para-{n}" for n in paragraphs} <= ids  # the HTML edition: edition.html#para-7


def test_a_paragraphs_destination_is_at_its_number(bundled):
    """para-N leads to the page, and the line, where "¶ N" is printed."""
    names = destinations(bundled)
    appendices = names["glossary"][0]  # the timeline's labels are 7 pt Sans figures too
    with read_pdf(bundled) as pdf:
        printed = {int(n): (index, top) for index, page in enumerate(pdf.pages[:appendices])
                   for n, _, top in numbers_at(page, 7.0, "Sans")}
    assert len(printed) >= 10
    for number, (page, top) in printed.items():
        dest_page, dest_top = names[f"para-{number}"]
        assert dest_page == page, number
        assert dest_top - 14 <= top <= dest_top + 14, (number, top, dest_top)  # within a line


def test_a_note_destination_is_where_the_note_prints(bundled):
    names = destinations(bundled)
    with read_pdf(bundled) as pdf:
        page, top = names["note-12"]
        words = pdf.pages[page].extract_words()
        assert any("Kataib" in w["text"] and abs(w["top"] - top) < 14 for w in words)  # "12Kataib"


@pytest.mark.parametrize("option", ["--no-paragraph-numbers"])
def test_paragraph_destinations_do_not_need_the_numbers(tmp_path, option):
    root = make_edition(tmp_path)
    result = cli("build", root, "--out", root / "out", option)
    assert result.returncode == 0, result.stderr
    names = destinations(next((root / "out").glob("*.pdf")))
    assert {"para-1", "para-2", "para-3"} <= set(names)
    assert not any(name.startswith("pnum-") for name in names)
