"""Print details a new user (a teacher) found wrong, checked where a reader sees them:
a note's title and its full stop, a call after the punctuation its quote ends before,
dates never broken inside themselves, the teacher's overview naming untitled notes by
their text, and headings never left at a page's foot nor justified. The built checks use
tests/editions/fourfreedoms, the teacher's own edition (five headings, a note titled with
a question, an untitled note, ranges of dates)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import make_edition
from glossator.compose import call_place
from glossator.model import LARGE_PRINT, PartialDate
from glossator.pipeline import check
from glossator.typography import ends_sentence, full_stop
from pdfcheck import article_lines, read_pdf

FOURFREEDOMS = Path(__file__).parent / "editions" / "fourfreedoms"
NO_BREAK = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " "})  # as a reader copies them


def lines_of_text(pdf: Path) -> list[str]:
    """Every line of text of the PDF, as a reader copies it (no-break spaces as spaces)."""
    with read_pdf(pdf) as doc:
        return [line.translate(NO_BREAK) for page in doc.pages for line in (page.extract_text() or "").splitlines()]


# --- logic (milliseconds) ---------------------------------------------------------------

@pytest.mark.parametrize("title, shown", [
    ("Forty-eight states", "Forty-eight states."),
    ("Who wrote the passage?", "Who wrote the passage?"),
    ("Roosevelt v. Willkie, U.S.", "Roosevelt v. Willkie, U.S."),
    ("Forty-eight states...", "Forty-eight states..."),
    ("Forty-eight states\u2026", "Forty-eight states\u2026"),
    ("Stop!", "Stop!"),
    ("“Why not?”", "“Why not?”"),
    ("The Union (1787–1865)", "The Union (1787–1865)."),
    ("(U.S.)", "(U.S.)"),
    ("e.g", "e.g."),
])
def test_a_title_is_closed_by_a_full_stop_unless_it_ends_a_sentence(title, shown):
    assert full_stop(title) == shown
    assert ends_sentence(shown)


@pytest.mark.parametrize("quote, before_call", [
    ("a more perfect Union", "a more perfect Union,”"),
    ("our safety", "our safety.”"),
    ("Roosevelt", "Roosevelt"),  # an apostrophe runs on into the word: the call stays before it
    ("men", "men"),  # a dash: the call precedes it
    ("the U.S", "the U.S."),
    ("were lost", "were lost..."),
])
def test_a_call_follows_the_punctuation_and_closing_quotes_of_its_quote(quote, before_call):
    text = "He spoke of “a more perfect Union,” of “our safety.” Roosevelt’s men — and the U.S. ones were lost..."
    assert text[:call_place(text, text.index(quote) + len(quote))].endswith(before_call)


ARTICLE = """\
---
title: Calls and titles
author: Ada Tester
lang: en-US
---

He spoke of “a more perfect Union,” and of “our safety.” Roosevelt’s men — and more.
"""

NOTES = """\
- id: union
  quote: a more perfect Union
  title: Who wrote the passage?
  body: The Preamble.
- id: safety
  quote: our safety
  title: Roosevelt v. Willkie, U.S.
  body: A case.
- id: men
  quote: men
  title: Forty-eight states...
  body: Soldiers.
- id: plain
  quote: Roosevelt
  title: Plain title
  body: Him.
"""


def test_calls_move_past_closing_punctuation_and_the_text_stays_as_written(tmp_path):
    edition = check(make_edition(tmp_path / "ed", ARTICLE, notes=NOTES)).edition
    block = next(b for b in edition.blocks if b.kind == "paragraph")
    text, before = "", {}
    for piece in block.pieces:
        if piece.kind == "call":
            before[piece.number] = text
        elif piece.kind == "text":
            text += piece.text
    assert text == "He spoke of “a more perfect Union,” and of “our safety.” Roosevelt’s men — and more."
    ends = {edition.notes[n - 1].id: before[n][-8:] for n in before}
    assert ends == {"union": " Union,”", "safety": "safety.”", "plain": "oosevelt", "men": "lt’s men"}


def test_the_web_edition_closes_each_title_once(tmp_path):
    from glossator.model import LETTER, Options
    from glossator.render import Renderer
    edition = check(make_edition(tmp_path / "ed", ARTICLE, notes=NOTES)).edition
    html = str(Renderer(Path(".")).html(edition, LETTER, Options(), part="all"))
    titles = re.findall(r'<b class="note-title">.*?</a>(.*?)</b>', html)
    assert titles == ["Who wrote the passage?", "Roosevelt v. Willkie, U.S.", "Plain title.", "Forty-eight states..."]


@pytest.mark.parametrize("start, end, lang, label", [
    ("1940-12-29", None, "en-US", "December\u00a029,\u00a01940"),
    ("1914-07-28", "1918-11-11", "en-US", "July\u00a028,\u00a01914\u202f–\u2009November\u00a011,\u00a01918"),
    ("1979-11-04", "1981", "en-GB", "4\u00a0November\u00a01979\u00a0– 1981"),
    ("2012-09-11", "2012-09-12", "en-GB", "11–12\u00a0September\u00a02012"),
    ("2007", "2008", "en", "2007–2008"),
])
def test_a_chronology_date_breaks_only_after_the_dash_of_its_range(start, end, lang, label):
    p = PartialDate.parse
    assert p(start).label(p(end) if end else None, lang) == label


# --- the teacher's edition, built ---------------------------------------------------------

HEADINGS = [line[3:].strip() for line in (FOURFREEDOMS / "source" / "article.md").read_text().splitlines()
            if line.startswith("## ")]


@pytest.fixture(scope="module")
def large_print(build_once):
    """The teacher's edition in large print, on Letter and on A4: {paper: PDF}."""
    out = {}
    for paper in ("letter", "a4"):
        result, folder = build_once(FOURFREEDOMS, "--variant", "large-print", "--paper", paper)
        assert result.returncode == 0, result.stderr
        out[paper] = folder / "the-four-freedoms-large-print.pdf"
    return out


@pytest.fixture(scope="module")
def teacher(build_once):
    result, folder = build_once(FOURFREEDOMS, "--variant", "teacher")
    assert result.returncode == 0, result.stderr
    return folder / "the-four-freedoms-teacher.pdf"


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_no_page_of_large_print_ends_with_a_heading(large_print, paper):
    assert len(HEADINGS) == 5
    squeezed = [h.replace(" ", "") for h in HEADINGS]
    pages = article_lines(large_print[paper], LARGE_PRINT[paper])
    ends = ["".join(c.text for c in lines[-1]) for lines in pages if lines]
    assert ends, "no article text found"
    ending = [(page, end) for page, end in enumerate(ends, 1) if any(h.endswith(end) for h in squeezed)]
    assert ending == []


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_headings_are_set_ragged_not_justified(large_print, paper):
    g = LARGE_PRINT[paper]
    squeezed = [h.replace(" ", "") for h in HEADINGS]
    heading_lines = [line for lines in article_lines(large_print[paper], g) for line in lines
                     if len(line) > 1 and any("".join(c.text for c in line) in h for h in squeezed)]
    assert len(heading_lines) >= len(HEADINGS)
    for line in heading_lines:  # a word space is about a quarter of an em: never several
        gaps = [b.x0 - a.x1 for a, b in zip(line, line[1:])]
        assert max(gaps) < 0.45 * line[0].size, "".join(c.text for c in line)


def test_large_print_never_breaks_a_chronology_date(large_print):
    """Each date of the chronology, or each end of a range with its dash, is on one line."""
    lines = lines_of_text(large_print["letter"])
    edition = check(FOURFREEDOMS).edition
    shown = [event.date.label(event.end, edition.meta.lang).translate(NO_BREAK) for event in edition.chronology]
    assert "December 29, 1940" in shown and "July 28, 1914 – November 11, 1918" in shown
    for label in shown:
        for part in re.split(r"(?<=–) ", label):
            assert any(part in line for line in lines), part


def test_the_teacher_copy_closes_a_question_once_and_calls_after_the_punctuation(teacher):
    text = " ".join(lines_of_text(teacher))
    assert re.search(r"Who wrote the passage\? ?The speech", text) and "passage?." not in text
    assert re.search(r"the state of the Union,” ?10\b", text)
    assert re.search(r"Union10|Union 10,", text) is None


def test_the_teachers_overview_names_an_untitled_note_by_its_text(teacher):
    with read_pdf(teacher) as doc:
        overview = doc.pages[0].extract_text()
    assert "4 The 1940 census counted" in overview
    assert "population" not in overview
