"""tests/pdfglyphs.py reads the glyphs every PDF check stands on: here it is held to
pdfplumber's reading of the same PDFs, glyph by glyph, so the checks see what pdfplumber sees."""
from __future__ import annotations

import pdfplumber
import pikepdf
import pytest

import pdfglyphs
from conftest import REPO

TOLERANCE = 0.05  # pt
PLACES = ("x0", "x1", "top", "bottom", "size", "doctop")


@pytest.fixture(scope="module")
def pdfs(build_once):
    """A test edition (italics, bold, ligatures, notes, glossary, timeline) for a print shop on
    A4: bleed, so the MediaBox does not start at 0; and its booklet: pages drawn as forms,
    scaled onto sheets turned sideways."""
    result, out = build_once(REPO / "tests" / "editions" / "gettysburg", "--print-shop", "--paper", "a4", "--booklet")
    assert result.returncode == 0, result.stderr
    booklet = next(out.glob("*-booklet.pdf"))
    return [next(p for p in out.glob("*.pdf") if p != booklet), booklet]


def test_glyphs_are_pdfplumbers(pdfs):
    for path in pdfs:
        fast = pdfglyphs.Pdf(path)
        with pdfplumber.open(path) as slow:
            assert len(fast.pages) == len(slow.pages)
            for number, (page, plumbed) in enumerate(zip(fast.pages, slow.pages), 1):
                where = f"{path.name}, page {number}"
                assert page.bbox == pytest.approx(plumbed.bbox), where
                assert len(page.chars) == len(plumbed.chars) > 0, where
                for mine, theirs in zip(page.chars, plumbed.chars):
                    said = (mine["text"], mine["fontname"], mine["upright"])
                    assert said == (theirs["text"], theirs["fontname"], theirs["upright"]), where
                    assert all(abs(mine[k] - theirs[k]) <= TOLERANCE for k in PLACES), (where, mine, theirs)


def test_ligatures_and_fonts_are_read(pdfs):
    """What the comparison above covers: a ligature is one glyph, as pdfminer has it."""
    chars = [c for page in pdfglyphs.Pdf(pdfs[0]).pages for c in page.chars]
    assert {"fi", "ff", "Th"} <= {c["text"] for c in chars}
    assert {c["fontname"].split("+")[1] for c in chars} >= {"Glossator-Serif", "Glossator-Serif-Italic", "Glossator-Sans"}


def test_text_words_crops_and_searches_are_pdfplumbers(pdfs):
    path = pdfs[0]
    fast = pdfglyphs.Pdf(path)
    with pdfplumber.open(path) as slow:
        for page, plumbed in zip(fast.pages, slow.pages):
            assert page.extract_text() == plumbed.extract_text()
            assert page.extract_text(layout=True) == plumbed.extract_text(layout=True)
            assert [(w["text"], w["x0"], w["top"]) for w in page.extract_words()] == \
                [(w["text"], w["x0"], w["top"]) for w in plumbed.extract_words()]
            left = (page.bbox[0], page.bbox[1], page.width / 2, page.bbox[3])
            assert page.crop(left).extract_text() == plumbed.crop(left).extract_text()
            found = [[(m["text"], m["x0"], m["top"], m["x1"], m["bottom"], m["groups"])
                      for m in p.search(r"(\w+) \d+")] for p in (page, plumbed)]
            assert found[0] == found[1] and (found[0] or page.index != 0)
            assert page.annots == plumbed.annots  # what pdfglyphs leaves to pdfplumber


def test_a_font_it_does_not_follow_is_refused_not_misread(tmp_path):
    pdf = pikepdf.new()
    font = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica)
    page = pdf.add_blank_page(page_size=(200, 200))
    page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    page.Contents = pdf.make_stream(b"BT /F1 12 Tf 20 100 Td (Hello) Tj ET")
    pdf.save(tmp_path / "type1.pdf")
    with pytest.raises(pdfglyphs.Unreadable, match="Type1"):
        pdfglyphs.Pdf(tmp_path / "type1.pdf").pages[0].chars
