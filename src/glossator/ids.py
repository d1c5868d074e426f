"""Every DOM id Glossator makes, in one place.

The templates (handed this module as `ids`), the placement engine that reads
positions back by id, and the PDF's named destinations (`edition.pdf#note-12`)
all go through these functions, so an id format cannot drift between them.
"""
from __future__ import annotations

TITLE_BLOCK = "title-block"
ARTICLE = "article"  # the web edition's <main>, where its skip link leads
BACK_MATTER = "about"  # the section after the article (bio and credits)
LONG_NOTES = "long-notes"  # notes too long for any page, set after the article


def block(number: int, kind: str, index: int) -> str:
    """A block of the article: 'p4' for paragraph 4, 'pullquote-3' for the third block."""
    return f"p{number}" if number else f"{kind}-{index + 1}"


def is_heading(ident: str) -> bool:
    """A heading's block id ('heading-5': block() of a block of kind "heading")."""
    return ident.startswith("heading-")


def call(number: int) -> str:
    """The note's number in the text."""
    return f"call-{number}"


def note(number: int) -> str:
    return f"note-{number}"


def note_number(ident: str) -> int | None:
    """'note-12' -> 12; None for any other id."""
    kind, _, number = ident.rpartition("-")
    return int(number) if kind == "note" and number.isdigit() else None


def pointer(number: int) -> str:
    """What stands beside the call of a note too long for any page: where the note is."""
    return f"pointer-{number}"


def line(number: int) -> str:
    """The marker set just before a call, in the note's type: its top is where the note's
    first line must start for the two to share a baseline."""
    return f"line-{number}"


def word(paragraph: int, offset: int) -> str:
    """Where a word of paragraph N starts (a place a page may break)."""
    return f"w{paragraph}-{offset}"


def is_word(ident: str) -> bool:
    return ident.startswith("w") and "-" in ident


def word_place(ident: str) -> tuple[str, int]:
    """'w4-120' -> ('p4', 120): the paragraph and offset of a word marker."""
    number, offset = ident[1:].split("-")
    return f"p{number}", int(offset)


def part(word_id: str) -> str:
    """The second (third...) part of a paragraph split at a page break, from word_id on."""
    return f"{word_id}-cont"


def paragraph(number: int) -> str:
    """¶ N as a place to link to: `edition.pdf#para-7` (README: Linking to a place in the PDF)."""
    return f"para-{number}"


def paragraph_number(number: int) -> str:
    return f"pnum-{number}"


def line_number(number: int) -> str:
    return f"lnum-{number}"


GLOSSARY = "glossary"  # the glossary's section
GLOSSARY_LIST = "glossary-list"  # its list of entries, whose top the first page's columns start at


def glossary(term_id: str) -> str:
    return f"gloss-{term_id}"


def glossary_lead(term_id: str) -> str:
    """A term, on the sheet its entry is measured from: the height of its entry's first line."""
    return f"lead-{term_id}"


def sheet(number: int, where: str) -> str:
    """A note on the sheet its height is measured from, as set in `where` (margin, foot, pointer)."""
    return f"sheet-{number}-{where}"


def question(number: int) -> str:
    """A question for the class (questions.yaml), in the copies that print them."""
    return f"question-{number}"


QUESTIONS = "questions"  # the section of questions, after the article
OVERVIEW = "overview"  # the teacher's overview, before the article
