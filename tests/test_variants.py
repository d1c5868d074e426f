"""The classroom copies (glossator.variants), read back from the PDFs `build --all` writes.

Each copy of the bundled edition is built once per paper (conftest.classroom, by --variant:
the same files); a small edition with teacher-only notes and questions is built once with
--all for the text each copy must and must not carry. Every copy passes the reader's
layout checks (pdfcheck)."""
from __future__ import annotations

import statistics

import pytest
from pypdf import PdfReader, PdfWriter

from conftest import ARTICLE, REPO, cli, make_edition, pdf_pages_text, run_cli
from glossator.model import LARGE_PRINT, PAPERS
from pdfcheck import (article_fills, article_stream, body_stream, glyphs, margin_text, note_places, numbers_at,
                      print_faults, read_pdf)

COPIES = ("reader", "student", "teacher", "large-print")
OVERVIEW_PAGES = 2  # the teacher's overview and the blank page after it (duplex)


def article_pages(pdf, copy: str, tmp_path):
    """The copy's PDF from the article's first page on (the teacher's overview cut off)."""
    if copy != "teacher":
        return pdf
    writer = PdfWriter()
    for page in PdfReader(pdf).pages[OVERVIEW_PAGES:]:
        writer.add_page(page)
    cut = tmp_path / "teacher-article.pdf"
    writer.write(cut)
    return cut


def flat(text: str) -> str:
    """Text as one line, the narrow no-break spaces ("p.\u202f3") as spaces."""
    return " ".join(text.replace("\u202f", " ").split())


def layout(paper: str, copy: str):
    return LARGE_PRINT[paper] if copy == "large-print" else paper


@pytest.mark.parametrize("copy", COPIES)
def test_every_copy_passes_the_layout_checks(classroom, copy, tmp_path):
    paper, pdfs = classroom
    assert print_faults(pdfs[copy]) == []
    pdf = article_pages(pdfs[copy], copy, tmp_path)
    geometry = layout(paper, copy)
    expected = article_stream((REPO / "source" / "article.md").read_text(encoding="utf-8"))
    assert body_stream(pdf, geometry) == expected
    fills = article_fills(pdf, geometry)
    assert min(fills[:-1]) >= 0.8 and statistics.median(fills[:-1]) >= 0.9, fills
    places = note_places(pdf, geometry, pages=len(fills))
    assert places.problems() == []  # each on its call's page, or headed "from p. N" on the next
    assert set(places.calls) == {str(n) for n in range(1, 23)}  # the bundled edition's 22 notes, none for teachers only


def test_large_print_is_set_at_16_pt_and_its_notes_at_13(classroom):
    _, pdfs = classroom
    with read_pdf(pdfs["large-print"]) as doc:
        sizes = [c.size for page in doc.pages for c in glyphs(page)]
        first = glyphs(doc.pages[0])
    assert statistics.median(sizes) >= 16
    notes = [c.size for c in first if c.font.endswith("Glossator-Sans-Bold")]  # the notes' numbers
    assert notes and min(notes) >= 13


def test_the_student_copy_has_questions_to_write_on_and_no_answers(classroom):
    _, pdfs = classroom
    text = flat(" ".join(pdf_pages_text(pdfs["student"])))
    first = flat(pdf_pages_text(pdfs["student"])[0])
    assert all(word in first for word in ("Name", "Date", "Class", "Student’s"))
    assert "Questions" in text and "frontline battleground" in text
    assert "Answer." not in text and "Any two of" not in text
    assert "Before reading" not in text  # the teacher's own question
    with read_pdf(pdfs["student"]) as doc:  # ruled lines to write on
        rules = sum(len([r for r in page.rects + page.lines if r["width"] > 200]) for page in doc.pages)
    assert rules >= 3 * 6 + 8 * 3 - 8  # 6 short and 3 long questions, the last long one on one page or two


def test_the_teacher_copy_has_an_overview_the_answers_and_the_teachers_question(classroom):
    _, pdfs = classroom
    pages = [flat(page) for page in pdf_pages_text(pdfs["teacher"])]
    overview = pages[0]
    assert "Teacher’s overview" in overview
    assert "words" in overview and "to read" in overview and "Flesch–Kincaid grade" in overview
    assert "Qasem Soleimani (1957–2020) p. 1" in overview  # a note and its page
    assert "¶ 1, p. 1:" in overview  # a question's passage and its page
    assert pages[1].strip() == ""  # the article starts on a right-hand page
    text = " ".join(pages)
    assert "Answer." in text and "Any two of" in text and "Before reading" in text


def test_the_teacher_copys_page_numbers_in_a_viewer_are_its_printed_folios(classroom):
    """The overview pages are i and ii; the article's first page is 1, so "go to page 4" in a
    PDF viewer opens the page whose folio reads 4."""
    paper, pdfs = classroom
    labels = PdfReader(pdfs["teacher"]).page_labels
    assert labels[:OVERVIEW_PAGES] == ["i", "ii"]
    g = PAPERS[paper]
    with read_pdf(pdfs["teacher"]) as doc:
        for index, page in enumerate(doc.pages[OVERVIEW_PAGES + 1:], start=OVERVIEW_PAGES + 1):
            folios = [n for n, _, top in numbers_at(page, 9, "Glossator-Serif") if top < g.top]
            assert folios == [labels[index]], f"PDF page {index + 1}: folio {folios}, label {labels[index]}"
    assert PdfReader(pdfs["reader"]).page_labels[:3] == ["1", "2", "3"]


def test_the_reader_and_large_print_copies_carry_no_questions(classroom):
    _, pdfs = classroom
    for copy in ("reader", "large-print"):
        text = flat(" ".join(pdf_pages_text(pdfs[copy])))
        assert "frontline battleground” between" not in text and "Answer." not in text


# --- a small edition with teacher-only notes ---------------------------------------------

NOTES = """\
- id: sofa
  quote: Status of Forces Agreement
  body: Everyone reads this note about the agreement.
- id: tip
  quote: the Quds Force
  audience: teacher
  body: Teacher's tip, zebra crossing, not for students.
- id: embassy
  quote: the embassy in Baghdad
  body: The third paragraph's note for all.
"""
QUESTIONS = """\
- question: What does the first paragraph mention?
  quote: the Green Zone
  answer: The agreement and the Green Zone, marmalade.
- question: Discuss the article.
  kind: discussion
- question: Ask the class a warm-up, for the teacher only.
  audience: teacher
"""


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    root = make_edition(tmp_path_factory.mktemp("small") / "edition", notes=NOTES,
                        article=ARTICLE.replace("lang: en", "lang: en\neditor: A. Teacher", 1))
    (root / "annotations" / "questions.yaml").write_text(QUESTIONS, encoding="utf-8")
    result = cli("build", root, "--all")
    assert result.returncode == 0, result.stderr
    assert "wrote" in result.stdout and "Traceback" not in result.stderr
    return {copy: (flat(" ".join(pdf_pages_text(root / "output" / name))), root / "output" / name) for copy, name in (
        ("reader", "a-small-test-article.pdf"), ("student", "a-small-test-article-student.pdf"),
        ("teacher", "a-small-test-article-teacher.pdf"), ("large-print", "a-small-test-article-large-print.pdf"),
        ("booklet", "a-small-test-article-booklet.pdf"))}


@pytest.mark.parametrize("copy", ["reader", "student", "large-print", "booklet"])
def test_teacher_notes_answers_and_questions_stay_out_of_the_other_copies(small, copy):
    text = small[copy][0]
    assert "zebra" not in text and "marmalade" not in text and "warm-up" not in text
    assert "Everyone" in text  # (in large print, the margin's lines come out between the text's)


def test_large_print_sets_the_whole_title_block_large_the_editor_line_too(small):
    sizes = {}
    for copy in ("reader", "large-print"):
        with read_pdf(small[copy][1]) as doc:
            chars = [c for c in glyphs(doc.pages[0]) if c.text.strip()]
        at = "".join(c.text for c in chars).index("AnnotatedbyA.Teacher")
        sizes[copy] = chars[at].size
    assert sizes["large-print"] >= 1.4 * sizes["reader"], sizes


def test_the_teacher_copy_has_its_notes_answers_and_questions(small):
    text = small["teacher"][0]
    assert "zebra crossing" in text and "marmalade" in text and "warm-up" in text
    assert "Everyone" in text  # (in large print, the margin's lines come out between the text's)


def test_a_copy_without_the_teacher_notes_numbers_its_notes_without_a_gap(small, tmp_path):
    # The reader's copy has notes 1 and 2; the teacher's 1, 2 and 3.
    assert "2 The third paragraph" in margin_text(small["reader"][1])
    assert "3 The third paragraph" in margin_text(article_pages(small["teacher"][1], "teacher", tmp_path))


def test_the_student_copy_asks_its_questions_with_their_passage(small):
    text = small["student"][0]
    assert "What does the first paragraph mention?" in text and "¶ 1, p. 1" in text
    assert "Discuss the article." in text


def test_a_warm_rebuild_of_every_copy_lays_out_only_what_a_question_edit_changed(tmp_path):
    """As `watch --all` rebuilds with its renderer kept: after a question edit, only the
    student's and teacher's question pages and the teacher's overview are laid out again."""
    from glossator.model import Options
    from glossator.pipeline import build
    from glossator.render import Renderer

    root = make_edition(tmp_path / "ed", notes=NOTES)
    questions = root / "annotations" / "questions.yaml"
    questions.write_text(QUESTIONS, encoding="utf-8")
    renderer, options = Renderer(root), Options(all_variants=True)
    first = build(root, None, options, renderer=renderer)
    questions.write_text(QUESTIONS.replace("Discuss the article.", "Discuss the article again."), encoding="utf-8")
    second = build(root, None, options, renderer=renderer)
    # Each copy's article (measured and final layout: 2 x 4) is reused.
    assert second.layouts == 3 and second.reused >= 8, (first.layouts_said(), second.layouts_said())
    assert "Discuss the article again." in flat(" ".join(pdf_pages_text(root / "output" / "a-small-test-article-student.pdf")))


def test_one_copy_and_its_booklet_are_written_alone(tmp_path):
    root = make_edition(tmp_path / "ed", notes=NOTES)
    result = cli("build", root, "--variant", "large-print", "--booklet", "--paper", "a4")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (root / "output").iterdir()) == [
        "a-small-test-article-large-print-booklet.pdf", "a-small-test-article-large-print.pdf"]
    assert [line.split("/")[-1] for line in result.stdout.splitlines() if line.startswith("wrote")] == [
        "a-small-test-article-large-print.pdf", "a-small-test-article-large-print-booklet.pdf"]


def test_an_unknown_variant_is_a_usage_error(tmp_path):
    result = run_cli("build", make_edition(tmp_path / "ed"), "--variant", "pupil")
    assert result.returncode == 2 and "invalid choice: 'pupil'" in result.stderr and "Traceback" not in result.stderr
