"""--booklet: the imposed PDF read back (sheet size, page count, order by page labels and
by the text on each half of each sheet)."""
from __future__ import annotations

import io
from collections import Counter

import pytest
from pypdf import PdfReader, PdfWriter

from glossator.booklet import booklet_order, impose
from glossator.model import PAPERS
from pdfcheck import read_pdf


@pytest.mark.parametrize("count", [1, 4, 9, 13, 16])
def test_booklet_order_uses_every_page_once_and_pads_to_a_multiple_of_four(count):
    sides = booklet_order(count)
    pages = [p for side in sides for p in side]
    assert len(pages) % 4 == 0 and len(pages) - count < 4
    assert sorted(p for p in pages if p) == list(range(1, count + 1))
    assert pages.count(None) == len(pages) - count


def test_booklet_order_folds_to_reading_order():
    # 8 pages on two sheets: front 8|1, back 2|7; front 6|3, back 4|5.
    assert booklet_order(8) == [(8, 1), (2, 7), (6, 3), (4, 5)]
    assert booklet_order(6) == [(None, 1), (2, None), (6, 3), (4, 5)]


def blank_pdf(count: int, paper: str) -> bytes:
    writer = PdfWriter()
    for _ in range(count):
        writer.add_blank_page(PAPERS[paper].width, PAPERS[paper].height)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_an_imposed_pdf_has_landscape_sheets_of_its_paper_and_labels_in_booklet_order(paper):
    reader = PdfReader(io.BytesIO(impose(blank_pdf(5, paper), paper)))
    assert len(reader.pages) == 4  # 5 pages, padded to 8: 2 sheets, 4 sides
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == (PAPERS[paper].height, PAPERS[paper].width)
    # A blank page has no number to show: the side beside it is labelled by its one page.
    assert reader.page_labels == ["1", "2", "3", "4-5"]


def test_the_bundled_booklet_holds_every_page_half_size_in_booklet_order(classroom):
    paper, pdfs = classroom
    source = PdfReader(pdfs["reader"])
    booklet = PdfReader(pdfs["booklet"])
    count = len(source.pages)
    assert len(booklet.pages) == -(-count // 4) * 2
    sheet = PAPERS[paper]
    assert all((float(p.mediabox.width), float(p.mediabox.height)) == (sheet.height, sheet.width)
               for p in booklet.pages)
    sides = booklet_order(count)
    assert booklet.page_labels == ["-".join(str(n) for n in side if n) for side in sides]
    # Each half of each sheet shows the page the label names: its characters, every one.
    with read_pdf(pdfs["reader"]) as original, read_pdf(pdfs["booklet"]) as imposed:
        letters = [characters(p) for p in original.pages]
        for side, page in zip(sides, imposed.pages):
            for slot, number in enumerate(side):
                half = page.crop((slot * page.width / 2, 0, (slot + 1) * page.width / 2, page.height))
                assert characters(half) == (letters[number - 1] if number else Counter()), (side, slot)


def characters(page) -> Counter:
    return Counter(c["text"] for c in page.chars if c["text"].strip())


def test_the_booklets_pages_are_scaled_to_half_the_sheet(classroom):
    """Half-letter (5.5 × 8.5 in) on Letter, A5 on A4: every glyph of page 1 is set at
    64.7 % or 70.7 % of its size (the article's 10.5 pt at 6.8 pt or 7.4 pt)."""
    paper, pdfs = classroom
    scale = {"letter": 396 / 612, "a4": 420.94 / 595.28}[paper]
    with read_pdf(pdfs["reader"]) as original, read_pdf(pdfs["booklet"]) as imposed:
        page = imposed.pages[0]  # blank | page 1
        scaled = sorted(c["size"] for c in page.chars if c["x0"] > page.width / 2)
        sizes = sorted(c["size"] * scale for c in original.pages[0].chars)
    assert len(scaled) == len(sizes) and max(abs(a - b) for a, b in zip(scaled, sizes)) < 0.05
