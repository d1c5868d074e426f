"""A stress edition: long notes crowded onto one line, and a note on a page's last line.

The same checks as the bundled edition's print tests must hold: nothing overprinted,
nothing near the edge, every word in order, every note on its call's page — or, where
a page cannot hold it, at the top of the next page's margin, saying where its call is.
"""
from __future__ import annotations

import textwrap

import pdfplumber
import pytest

from conftest import make_edition, run_cli
from pdfcheck import (CALL_SIZE, article_stream, body_stream, margin_text, numbers_at, print_faults,
                      text_column)

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
    with pdfplumber.open(pdf_path) as pdf:
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
    first = run_cli("build", root / "plain", "--out", root / "plain-out")
    assert first.returncode == 0, first.stderr
    last = last_word_on_first_page(next((root / "plain-out").glob("*.pdf")))
    # Six long notes called from the first words of paragraph 3, one line: they cannot
    # share a page. Four more spread over paragraph 5, and one on the last line of page 1.
    opening = paragraph(3).split()
    crowded = [note(f"c{k}", " ".join(opening[:k])) for k in range(1, 7)]
    spread = [note(f"s{i}", f"5x{i * 30}") for i in range(1, 5)]
    notes = "".join(crowded + spread + [note("last", last)])
    folder = make_edition(root / "edition", article=text, notes=notes)
    result = run_cli("build", folder, "--out", root / "out")
    assert result.returncode == 0, result.stderr
    return next((root / "out").glob("*.pdf")), text, 11


def test_stress_edition_prints_without_collisions_or_lost_words(stress):
    pdf_path, text, _ = stress
    assert print_faults(pdf_path) == []
    assert body_stream(pdf_path) == article_stream(text)


def test_stress_notes_are_on_their_calls_page_or_say_where_it_is(stress):
    pdf_path, _, count = stress
    seen = set()
    with pdfplumber.open(pdf_path) as pdf:
        pages = []
        for index, page in enumerate(pdf.pages):
            left, right = text_column(index, "letter", True)
            calls = {n for n, x, _ in numbers_at(page, CALL_SIZE, "Glossator-Serif") if left - 1 <= x <= right + 1}
            notes = {n for n, x, _ in numbers_at(page, 7.9, "Glossator-Sans-Bold") if x < left - 2 or x > right + 2}
            pages.append((calls, notes, page.extract_text() or ""))
            seen |= calls
    assert len(seen) == count
    moved = 0
    for index, (calls, notes, _) in enumerate(pages):
        for call in calls - notes:
            following_notes, following_text = pages[index + 1][1], pages[index + 1][2]
            assert call in following_notes, f"note {call} is neither on page {index + 1} nor the next"
            assert f"Note {call}, continued from p. {index + 1}" in following_text.replace("\u202f", " ")
            moved += 1
    assert moved >= 1  # the crowded line cannot hold six long notes on one page
    assert "A long note" in margin_text(pdf_path)


def test_notes_crowding_the_last_page_ride_beside_the_back_matter(tmp_path):
    text = article(paragraphs=2)
    closing = paragraph(2).split()
    notes = "".join(note(f"e{k}", " ".join(closing[-k:]) + ".") + "  paragraph: 2\n" for k in range(1, 7))
    folder = make_edition(tmp_path / "edition", article=text, notes=notes)
    result = run_cli("build", folder, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    pdf_path = next((tmp_path / "out").glob("*.pdf"))
    assert print_faults(pdf_path) == []
    with pdfplumber.open(pdf_path) as pdf:
        last = (pdf.pages[-1].extract_text() or "").replace("\u202f", " ")
    assert "continued from p." in last
    assert body_stream(pdf_path) == article_stream(text)


def test_a_note_too_tall_for_any_margin_becomes_a_footnote_on_its_calls_page(tmp_path):
    text = article(paragraphs=3)
    giant = "- id: giant\n  quote: \"" + " ".join(paragraph(2).split()[:3]) + "\"\n  body: >-\n    " + \
        ("An enormous note that no margin can hold. " * 95).strip() + "\n"
    folder = make_edition(tmp_path / "edition", article=text, notes=giant + note("small", " ".join(paragraph(3).split()[:4])))
    result = run_cli("build", folder, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert "L101" in result.stderr and "footnote" in result.stderr  # the editor is told
    pdf_path = next((tmp_path / "out").glob("*.pdf"))
    assert print_faults(pdf_path) == []
    assert body_stream(pdf_path) == article_stream(text)
    with pdfplumber.open(pdf_path) as pdf:
        for index, page in enumerate(pdf.pages):
            left, right = text_column(index, "letter", True)
            calls = {n for n, x, _ in numbers_at(page, CALL_SIZE, "Glossator-Serif") if left - 1 <= x <= right + 1}
            if "1" in calls:
                # set in the text column at the foot of its call's page, or of the next
                # when the call's page has no room left for it
                here, after = (foot_text(p, i) for i, p in list(enumerate(pdf.pages))[index:index + 2])
                assert "An enormous note that no margin can hold" in here + " " + after
                if "An enormous note" not in here:  # set a page later: it says whose it is
                    following = pdf.pages[index + 1].extract_text() or ""
                    assert f"Note 1, from p. {index + 1}" in following.replace("\u202f", " ")
                break
        else:
            raise AssertionError("call 1 not found")


def foot_text(page, index) -> str:
    left, right = text_column(index, "letter", True)
    return (page.crop((left - 1, page.height / 2, right + 1, page.height)).extract_text() or "").replace("\n", " ")
