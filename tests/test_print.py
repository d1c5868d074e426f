"""Print layout, proven on the PDF: Letter and A4, duplex and simplex.

Nothing overprints, nothing comes near the paper's edge, every word of the article is
there in order, every note is on its call's page in the outside margin (or at its foot,
or, headed "from p. N", on the next page), and the page
numbers the glossary and chronology give are pages that really hold the passage.
"""
from __future__ import annotations

import re
import statistics

import pytest
import yaml

from conftest import REPO, SLUG, bundled_build
from glossator.model import PAPERS
from pdfcheck import (_lines_in_order, article_fills, article_stream, body_stream, glyphs, note_places, numbers_at,
                      print_faults, read_pdf, text_column)

VARIANTS = [("letter", True), ("a4", True), ("letter", False), ("a4", False)]


@pytest.fixture(scope="module", params=VARIANTS, ids=lambda v: f"{v[0]}-{'duplex' if v[1] else 'simplex'}")
def built(request, build_once):
    paper, duplex = request.param
    # Duplex: the build the other tests of the bundled edition read.
    result, out = bundled_build(build_once, paper) if duplex else build_once(REPO, "--paper", paper, "--simplex")
    assert result.returncode == 0, result.stderr
    # No warnings: in particular no L103, a line WeasyPrint set short.
    assert " 0 warnings)" in result.stdout, result.stderr
    return out / f"{SLUG}.pdf", paper, duplex


def test_no_glyph_overprints_another_and_none_is_near_the_edge(built):
    assert print_faults(built[0]) == []


def test_every_word_of_the_article_is_there_in_order(built):
    pdf_path, paper, duplex = built
    expected = article_stream((REPO / "source" / "article.md").read_text(encoding="utf-8"))
    assert body_stream(pdf_path, paper, duplex) == expected


def test_every_note_is_on_its_calls_page_or_headed_on_the_next_in_the_outside_margin_or_at_its_foot(built):
    pdf_path, paper, duplex = built
    count = len(yaml.safe_load((REPO / "annotations" / "notes.yaml").read_text(encoding="utf-8")))
    places = note_places(pdf_path, paper, duplex)
    assert places.problems() == []
    assert set(places.calls) == {str(n) for n in range(1, count + 1)}
    assert places.on_call_page() >= 0.9 * count  # carried to the next page ("from p. N") only where it must
    assert places.in_margin() >= 0.6 * count  # a sidenote edition: most notes stand beside their line


def test_the_article_pages_are_full_and_few(built):
    """Every article page but the last is at least 80% full (the median at least 90%):
    notes the margin cannot hold go to the page's foot instead of pushing text away."""
    pdf_path, paper, duplex = built
    fills = article_fills(pdf_path, paper, duplex)
    assert len(fills) <= 5, fills
    assert min(fills[:-1]) >= 0.8 and statistics.median(fills[:-1]) >= 0.9, fills


def test_every_page_after_the_first_has_its_folio_and_running_head_at_the_outside(built):
    """Folios count on from the article's pages through the appendices (laid out on their
    own), on the outside corner; the appendices' pages are headed with their section."""
    pdf_path, paper, duplex = built
    g = PAPERS[paper]
    with read_pdf(pdf_path) as pdf:
        texts = [p.extract_text() or "" for p in pdf.pages]
        glossary = next(i for i, t in enumerate(texts) if "Glossary" in t[:300])
        for index, page in enumerate(pdf.pages):
            head = [c for c in glyphs(page) if c.bottom < g.top]
            folios = [(n, x) for n, x, top in numbers_at(page, 9, "Glossator-Serif") if top < g.top]
            if index == 0:
                assert not head, "the title page has no running head"
                continue
            assert [n for n, _ in folios] == [str(index + 1)], f"page {index + 1}: folios {folios}"
            recto = index % 2 == 0
            assert (folios[0][1] > page.width / 2) == recto, f"page {index + 1}: folio not on the outside"
            words = re.sub(r"\s+", "", "".join(c.text for c in head if not c.text.isdigit()))
            if index >= glossary:
                assert words.lower() in ("glossary", "chronology"), f"page {index + 1}: head {words!r}"
            else:
                assert words, f"page {index + 1} has no running head"


def page_body_text(page, index, paper, duplex) -> str:
    left, right = text_column(index, paper, duplex)
    g = PAPERS[paper]
    chars = [c for c in glyphs(page) if left - 1 <= c.x0 and c.x1 <= right + 1 and c.size >= 8
             and g.top - 1 <= c.top <= g.height - g.bottom]  # the running head is above the area
    return re.sub(r"\s+", "", "".join(c.text for c in _lines_in_order(chars))).replace("\u2010", "")


def column_texts(page) -> str:
    """A page's text read column by column (the glossary is set in two)."""
    middle = page.width / 2
    left = page.crop((0, 0, middle, page.height)).extract_text() or ""
    right = page.crop((middle, 0, page.width, page.height)).extract_text() or ""
    return left + "\n" + right


def test_glossary_and_chronology_page_numbers_point_at_the_passage(built):
    pdf_path, paper, duplex = built
    glossary = yaml.safe_load((REPO / "annotations" / "glossary.yaml").read_text(encoding="utf-8"))
    chronology = yaml.safe_load((REPO / "annotations" / "chronology.yaml").read_text(encoding="utf-8"))
    with read_pdf(pdf_path) as pdf:
        bodies = [page_body_text(p, i, paper, duplex) for i, p in enumerate(pdf.pages)]
        texts = [p.extract_text() or "" for p in pdf.pages]
        first = next(i for i, t in enumerate(texts) if "Glossary" in t[:300])
        last = next(i for i, t in enumerate(texts) if "Chronology" in t[:300])
        glossary_text = " ".join(column_texts(p) for p in pdf.pages[first:last])
        chronology_text = " ".join(texts[last:])
    squeeze = lambda text: re.sub(r"\s+", "", text.replace("\u2010\n", ""))
    glossary_text, chronology_text = squeeze(glossary_text), squeeze(chronology_text)
    checked = 0
    for term in glossary:
        heading = term["term"] + (f" ({', '.join(term['aliases'])})" if term.get("aliases") else "")
        entry = squeeze(heading + " ".join(term["definition"].split()[:3]))
        m = re.search(re.escape(entry) + r".*?(?<![A-Za-z])(pp?)\.(\d+(?:,\d+)*)", glossary_text)
        assert m, term["term"]
        spellings = [re.sub(r"\s+", "", s) for s in [term["term"], *term.get("aliases", [])]]
        for page in (int(n) for n in m.group(2).split(",")):
            assert any(s in bodies[page - 1] for s in spellings), f"{term['term']} not on page {page}"
            checked += 1
    refs = [(int(p), int(n)) for p, n in re.findall(r"p\.(\d+),¶(\d+)", chronology_text)]
    quoted = [e for e in chronology if e.get("quote")]
    assert len(refs) == len(quoted)
    for (page, _), event in zip(refs, quoted):
        # The passage starts on that page (and may run on to the next).
        first, whole = event["quote"].split()[0], re.sub(r"\s+", "", event["quote"])
        following = bodies[page] if page < len(bodies) else ""
        assert first in bodies[page - 1] and whole in bodies[page - 1] + following, \
            f"{event['date']}: “{event['quote']}” not on page {page}"
        checked += 1
    assert checked > 40
