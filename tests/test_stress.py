"""Stress editions: long notes crowded onto one line, a note on a page's last line, notes
crowding the last page, and notes too long for any page.

The same checks as the bundled edition's print tests must hold: nothing overprinted,
nothing near the edge, every word in order, every note on its call's page, in the
outside margin or at the page's foot (or, headed "from p. N", on the next page: one
note in ten at most); a note no page can hold is set after the article,
whole, with a pointer beside its call.
"""
from __future__ import annotations

import re
import statistics

import pytest

from conftest import cli, make_edition
from glossator.model import PAPERS
from pdfcheck import (article_fills, article_stream, body_stream, calls_on, glyphs, lines_of, margin_text, note_places,
                      placed_notes, print_faults, read_pdf, text_column)

WORDS = ("the council met again to weigh the same question of bases and "
         "agreements while the streets filled with people asking for work and water").split()


def paragraph(n: int, length: int = 140) -> str:
    # Every tenth word is numbered, so every quote below is unique.
    return " ".join(f"{w}{n}x{i}" if i % 10 == 0 else w for i, w in enumerate(WORDS * 10))[:length * 7]


def article(paragraphs: int = 9) -> str:
    body = "\n\n".join(paragraph(n) + "." for n in range(1, paragraphs + 1))
    return f"---\ntitle: A Stress Edition\nauthor: Test Author\ndate: 2024-02-03\nlang: en\n---\n\n{body}\n"


LONG = ("A long note, written to take room in the margin. " * 14).strip()


def note(ident: str, quote: str) -> str:
    return f"- id: {ident}\n  quote: \"{quote}\"\n  title: Note {ident}\n  body: >-\n    {LONG}\n"


def last_word_on_first_page(pdf_path) -> str:
    with read_pdf(pdf_path) as pdf:
        page = pdf.pages[0]
        left, right = text_column(0, "letter", True)
        words = [w for w in page.extract_words() if left <= w["x0"] <= right]
        words.sort(key=lambda w: (round(w["bottom"]), w["x0"]))
        numbered = [w["text"].rstrip(".,") for w in words if "x" in w["text"] and w["text"][0].isalpha()]
        return numbered[-1]


@pytest.fixture(scope="module")
def stress(tmp_path_factory):
    root = tmp_path_factory.mktemp("stress")
    text = article()
    make_edition(root / "plain", article=text)
    first = cli("build", root / "plain", "--out", root / "plain-out")
    assert first.returncode == 0, first.stderr
    last = last_word_on_first_page(next((root / "plain-out").glob("*.pdf")))
    # Six long notes called from the first words of paragraph 3, one line: they cannot
    # share a page. Four more spread over paragraph 5, and one on the last line of page 1.
    opening = paragraph(3).split()
    crowded = [note(f"c{k}", " ".join(opening[:k])) for k in range(1, 7)]
    spread = [note(f"s{i}", f"5x{i * 30}") for i in range(1, 5)]
    notes = "".join(crowded + spread + [note("last", last)])
    folder = make_edition(root / "edition", article=text, notes=notes)
    result = cli("build", folder, "--out", root / "out")
    assert result.returncode == 0, result.stderr
    return next((root / "out").glob("*.pdf")), text, 11


def test_stress_edition_prints_without_collisions_or_lost_words(stress):
    pdf_path, text, _ = stress
    assert print_faults(pdf_path) == []
    assert body_stream(pdf_path) == article_stream(text)


def notes_by_page(pdf_path, paper="letter") -> list[tuple[set, dict]]:
    """(calls, placed notes) for each page."""
    out = []
    with read_pdf(pdf_path) as pdf:
        for index, page in enumerate(pdf.pages):
            out.append((calls_on(page, index, paper, True), placed_notes(page, index, paper, True)))
    return out


def article_lines_on(pdf_path, index: int, paper="letter") -> int:
    """How many lines of the article's text (in its type) a page holds."""
    left, right = text_column(index, paper, True)
    with read_pdf(pdf_path) as pdf:
        column = [c for c in glyphs(pdf.pages[index]) if left - 1 <= c.x0 and c.x1 <= right + 1
                  and abs(c.size - PAPERS[paper].body_size) < 0.2]
    return len(lines_of(column))


def test_stress_notes_are_on_their_calls_page_beside_it_or_at_its_foot_or_headed_on_the_next(stress):
    pdf_path, _, count = stress
    places = note_places(pdf_path)
    assert places.problems() == []
    assert len(places.calls) == count
    assert places.on_call_page() >= 0.9 * count
    # the crowded line cannot hold six long notes in one margin
    assert sum(where == "foot" for _, where, _ in places.notes.values()) >= 1
    assert "A long note" in margin_text(pdf_path)


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_notes_crowding_the_last_page_go_to_its_foot(tmp_path, paper):
    text = article(paragraphs=2)
    closing = paragraph(2).split()
    notes = "".join(note(f"e{k}", " ".join(closing[-k:]) + ".") + "  paragraph: 2\n" for k in range(1, 7))
    folder = make_edition(tmp_path / "edition", article=text, notes=notes)
    result = cli("build", folder, "--out", tmp_path / "out", "--paper", paper)
    assert result.returncode == 0, result.stderr
    pdf_path = next((tmp_path / "out").glob("*.pdf"))
    assert print_faults(pdf_path) == []
    pages = notes_by_page(pdf_path, paper)
    for calls, notes in pages:
        assert calls == set(notes)
    assert any(where == "foot" for _, notes in pages for where, _ in notes.values())
    assert body_stream(pdf_path, paper) == article_stream(text)
    # Pages are full: on A4 the article and its six notes share one page. On Letter its
    # sixth note misses the foot by a few points and may not leave its call's page (one
    # note in six, where one in ten may): the first page breaks as late as it may, before
    # the last two lines (a widow may not start a page), and stays over 80% full.
    fills = article_fills(pdf_path, paper)
    assert min(fills[:-1], default=1.0) >= 0.8
    assert len(fills) == (2 if paper == "letter" else 1)
    if paper == "letter":
        assert article_lines_on(pdf_path, 1, paper) == 2


def enormous(words: int) -> str:
    sentence = "An enormous note that no page can hold, word {} of it."
    return " ".join(sentence.format(i) for i in range(words // 11 + 1))


def giant_edition(tmp_path, words: int):
    text = article(paragraphs=3)
    giant = "- id: giant\n  quote: \"" + " ".join(paragraph(2).split()[:3]) + "\"\n  body: >-\n    " + \
        enormous(words) + "\n"
    folder = make_edition(tmp_path / "edition", article=text, notes=giant + note("small", " ".join(paragraph(3).split()[:4])))
    result = cli("build", folder, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    pdf_path = next((tmp_path / "out").glob("*.pdf"))
    assert print_faults(pdf_path) == []  # no glyph off the page
    assert body_stream(pdf_path) == article_stream(text)
    g = PAPERS["letter"]
    with read_pdf(pdf_path) as pdf:
        texts = [(p.extract_text() or "").replace("\u202f", " ") for p in pdf.pages]
        areas = [p.crop((0, g.top - 1, p.width, p.height - g.bottom + 1)).extract_text() or "" for p in pdf.pages]
    whole = re.sub(r"\s+", " ", " ".join(areas).replace("\u2010\n", "").replace("-\n", "-"))
    assert re.sub(r"\s+", " ", enormous(words)) in whole  # every word, in order
    return result, pdf_path, texts


def test_a_900_word_note_is_set_whole_at_the_foot_of_its_calls_page(tmp_path):
    result, pdf_path, texts = giant_edition(tmp_path, 900)
    assert "L101" not in result.stderr
    pages = notes_by_page(pdf_path)
    page = next(i for i, (calls, _) in enumerate(pages) if "1" in calls)
    assert pages[page][1]["1"][0] == "foot"
    assert "word 81 of it." in re.sub(r"\s+", " ", texts[page])  # its last sentence, on the same page


@pytest.mark.parametrize("words", [1500, 6000])
def test_a_note_too_long_for_any_page_is_set_whole_after_the_article_with_a_pointer(tmp_path, words):
    result, pdf_path, texts = giant_edition(tmp_path, words)
    assert "L101" in result.stderr and "too long for a page" in result.stderr  # the editor is told
    start = next(i for i, t in enumerate(texts) if "Long notes" in t)
    call_page = next(i for i, t in enumerate(texts) if "see the long notes, p." in t)
    assert f"see the long notes, p. {start + 1}." in re.sub(r"\s+", " ", texts[call_page])
    assert call_page < start


def one_long_paragraph() -> str:
    body = " ".join(paragraph(n) for n in range(1, 8)) + "."
    return f"---\ntitle: One Long Paragraph\nauthor: Test Author\ndate: 2024-02-03\nlang: en\n---\n\n{body}\n"


@pytest.mark.parametrize("shape", ["sparse", "one long paragraph"])
def test_sparse_notes_and_one_long_paragraph_fill_their_pages(tmp_path, shape):
    if shape == "sparse":
        text = article(paragraphs=9)
        notes = note("a", "2x40") + note("b", "7x80")
    else:
        text = one_long_paragraph()
        notes = "".join(note(f"n{i}-{j}", f"{i}x{j}") for i in range(1, 8) for j in (20, 70))
    folder = make_edition(tmp_path / "edition", article=text, notes=notes)
    result = cli("build", folder, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    pdf_path = next((tmp_path / "out").glob("*.pdf"))
    assert print_faults(pdf_path) == []
    assert body_stream(pdf_path) == article_stream(text)
    places = note_places(pdf_path)
    assert places.problems() == [] and places.on_call_page() >= 0.9 * len(places.calls)
    fills = article_fills(pdf_path)
    assert min(fills[:-1]) >= 0.8 and statistics.median(fills[:-1]) >= 0.9, fills


def test_a_carried_note_keeps_its_destination_and_its_call_keeps_its_own(stress):
    """The stress edition's sixth note does not fit its crowded page: it is carried to the
    next page, headed "from p. N"; edition.pdf#note-6 opens that page, #call-6 the call's."""
    from test_destinations import destinations

    pdf_path, _, _ = stress
    places = note_places(pdf_path)
    carried = {n: (page, head) for n, (page, _, head) in places.notes.items() if head is not None}
    assert carried, "the crowded line carries a note"
    names = destinations(pdf_path)
    for number, (page, head) in carried.items():
        assert head == places.calls[number] + 1 and page == places.calls[number] + 1
        assert names[f"note-{number}"][0] == page and names[f"call-{number}"][0] == page - 1
