"""Classroom editions from the same files: what each variant prints, on which page.

    reader       the edition as it always was (notes for everyone, no questions)
    student      + the questions with ruled writing space, a name/date/class line; no
                   answers, no teacher-only notes
    teacher      + the questions with their answers, the teacher-only notes, and an
                   overview page at the front
    large-print  the reader's edition in large type (model.LARGE_PRINT), on the same paper

Every variant is made from the edition `check` composed (with all notes, so that a
teacher-only note is checked like any other): the notes a copy leaves out are left out
before numbering, so its calls run 1, 2, 3 without gaps.
"""
from __future__ import annotations

from dataclasses import replace

from . import ids
from .compose import compose
from .model import LARGE_PRINT, PAPERS, Edition, Geometry, Options

VARIANTS = ("reader", "student", "teacher", "large-print")
READER = "reader"
WITH_QUESTIONS = ("student", "teacher")
# Average silent reading speed of adults for non-fiction (Brysbaert 2019, 238 words a
# minute), for the teacher's overview.
WORDS_PER_MINUTE = 238


def filename(slug: str, variant: str, suffix: str = ".pdf") -> str:
    """'<slug>.pdf' for the reader's edition, '<slug>-student.pdf' for the others."""
    return f"{slug}{suffix}" if variant == READER else f"{slug}-{variant}{suffix}"


def booklet_filename(slug: str, variant: str) -> str:
    return filename(slug, variant, "-booklet.pdf")


def geometry_for(options: Options) -> Geometry:
    papers = LARGE_PRINT if options.variant == "large-print" else PAPERS
    return replace(papers[options.paper], duplex=options.duplex)


def edition_for(checked, variant: str) -> Edition:
    """The edition as `variant` prints it, from pipeline.check's result."""
    edition = checked.edition
    teacher = variant == "teacher"
    if not teacher and any(n.audience == "teacher" for n in edition.notes):
        notes = tuple(n for n in checked.annotations.notes if n.audience != "teacher")
        edition = replace(compose(checked.article, replace(checked.annotations, notes=notes)).edition,
                          questions=edition.questions)
    questions = ()
    if variant in WITH_QUESTIONS:
        kept = [q for q in edition.questions if teacher or q.audience != "teacher"]
        # Numbered again among those printed; a student's copy carries no answers at all.
        questions = tuple(replace(q, number=k, id=ids.question(k), answer_html=q.answer_html if teacher else None)
                          for k, q in enumerate(kept, 1))
    return replace(edition, questions=questions)


def statistics(edition: Edition) -> dict:
    """Word count, reading time (minutes) and Flesch–Kincaid grade of the article's text.

    textstat is pinned below 0.7.4: later versions count syllables with NLTK's CMU
    dictionary, which they download from the network on first use; 0.7.3 uses Pyphen's
    hyphenation dictionaries, already installed with WeasyPrint."""
    import textstat

    text = "\n\n".join("".join(p.text for p in b.pieces if p.kind == "text")
                       for b in edition.blocks if b.kind == "paragraph")
    words = len(text.split())
    textstat.set_lang("en_US")
    grade = textstat.flesch_kincaid_grade(text) if words else 0.0
    return dict(words=words, minutes=max(1, round(words / WORDS_PER_MINUTE)), grade=grade)
