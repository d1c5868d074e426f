"""The data every station shares: small, frozen, plain.

load    -> Article, Annotations (with Where for every item)
anchor  -> Span for every quote
compose -> Edition (numbered, sorted, inline pieces ready for the template)
render  -> uses Geometry for the page and the note column
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Where:
    """A place in an edition file: path relative to the edition, 1-based line/column."""
    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}" if self.line else self.path


# --- dates ---------------------------------------------------------------

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True, order=True)
class PartialDate:
    """An ISO 8601 date at year, month or day precision ("2003", "2011-12", "2020-01-03")."""
    year: int
    month: int = 0  # 0: not given
    day: int = 0

    @classmethod
    def parse(cls, text: str) -> "PartialDate":
        m = _DATE.match(str(text).strip())
        if not m:
            raise ValueError("write it as YYYY, YYYY-MM or YYYY-MM-DD")
        year, month, day = (int(g) if g else 0 for g in m.groups())
        if year < 1:  # the calendar, and the build's timestamps, start at year 1
            raise ValueError(f"there is no year {year:04d}; years run from 0001 to 9999")
        if month and not 1 <= month <= 12:
            raise ValueError(f"there is no month {month}")
        if day and not 1 <= day <= calendar.monthrange(year, month)[1]:
            raise ValueError(f"{calendar.month_name[month]} {year} has no day {day}")
        return cls(year, month, day)

    def iso(self) -> str:
        parts = [f"{self.year:04d}"]
        if self.month:
            parts.append(f"{self.month:02d}")
        if self.day:
            parts.append(f"{self.day:02d}")
        return "-".join(parts)

    def display(self) -> str:
        """'3 January 2020', 'December 2011', '1979'."""
        if not self.month:
            return str(self.year)
        month = calendar.month_name[self.month]
        return f"{self.day} {month} {self.year}" if self.day else f"{month} {self.year}"

    def span(self, end: "PartialDate") -> str:
        """'11–12 September 2012', '4 November 1979 – 20 January 1981', '2007–2008'."""
        if (self.year, self.month) == (end.year, end.month) and self.day and end.day:
            return f"{self.day}–{end.display()}"
        if self.year == end.year and self.month and end.month:
            return f"{self.display().rsplit(' ', 1)[0]} – {end.display()}"
        if not self.month and not end.month:
            return f"{self.year}–{end.year}"
        return f"{self.display()} – {end.display()}"

    def fraction(self) -> float:
        """Position in years, for drawing to scale (mid-month / mid-year when vague)."""
        if not self.month:
            return self.year + 0.5
        day = self.day or 15
        return self.year + (self.month - 1) / 12 + (day - 1) / 365


# --- the article -----------------------------------------------------------

@dataclass(frozen=True)
class Run:
    """A stretch of article text with one set of inline styles."""
    text: str
    em: bool = False
    strong: bool = False
    href: str | None = None


@dataclass(frozen=True)
class Block:
    """A paragraph, pull quote or heading of the article.

    `number` is the paragraph number a class cites ("¶ 7"); pull quotes and
    headings have none, and quotes never anchor in them.
    """
    kind: str  # "paragraph" | "pullquote" | "heading"
    runs: tuple[Run, ...]
    where: Where
    number: int | None = None

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass(frozen=True)
class Meta:
    title: str
    author: str
    publication: str
    date: PartialDate | None
    lang: str
    slug: str
    url: str | None = None
    subtitle: str | None = None
    bio: str | None = None  # Markdown
    credits: str | None = None  # Markdown


@dataclass(frozen=True)
class Article:
    meta: Meta
    blocks: tuple[Block, ...]
    where: Where

    @property
    def paragraphs(self) -> tuple[Block, ...]:
        return tuple(b for b in self.blocks if b.kind == "paragraph")


# --- annotations -------------------------------------------------------------

@dataclass(frozen=True)
class Quote:
    """A passage of the article, with what may tell repeated passages apart."""
    text: str
    before: str | None = None
    after: str | None = None
    paragraph: int | None = None  # paragraph number hint
    occurrence: int | None = None  # 1-based, among the matches
    where: Where | None = None  # the 'quote:' line, for messages


@dataclass(frozen=True)
class Note:
    id: str
    quote: Quote
    body: str  # Markdown
    where: Where
    title: str | None = None
    kind: str | None = None
    see: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    audience: str = "all"  # "teacher": in the teacher's copy only (glossator.variants)


@dataclass(frozen=True)
class Term:
    id: str
    term: str
    definition: str  # Markdown
    where: Where
    aliases: tuple[str, ...] = ()
    see: tuple[str, ...] = ()

    @property
    def spellings(self) -> tuple[str, ...]:
        return (self.term, *self.aliases)


@dataclass(frozen=True)
class Event:
    id: str
    date: PartialDate
    event: str  # Markdown
    where: Where
    end: PartialDate | None = None
    quote: Quote | None = None
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Annotations:
    notes: tuple[Note, ...] = ()
    glossary: tuple[Term, ...] = ()
    chronology: tuple[Event, ...] = ()


@dataclass(frozen=True)
class Span:
    """Where a quote landed: block index into Article.blocks, character offsets in Block.text."""
    block: int
    start: int
    end: int


# --- the composed edition ------------------------------------------------------

@dataclass(frozen=True)
class Piece:
    """One inline piece of a composed block, in reading order.

    kind: "text" (with styles), "call" (a note's number), "call-sep" (between two
    calls with nothing between them: not article text), "word" (where a word
    of a paragraph starts: renders as nothing unless the paragraph is split there).
    Glossary occurrences and chronology passages are not marked in the text: their
    pages are read from the measured lines, by offset.
    """
    kind: str
    text: str = ""
    em: bool = False
    strong: bool = False
    href: str | None = None
    caps: bool = False  # an acronym, set in small capitals
    term: str | None = None  # glossary id: this text is an occurrence of the term
    first_use: bool = False  # ...its first occurrence, marked and linked to the glossary
    number: int | None = None  # note number, for calls
    target: str | None = None  # element id, for calls, words and a term's first occurrence
    offset: int | None = None  # for words: where the word starts in Block.text


@dataclass(frozen=True)
class ComposedBlock:
    kind: str
    number: int | None
    pieces: tuple[Piece, ...]
    id: str


@dataclass(frozen=True)
class ComposedNote:
    number: int
    id: str
    title: str | None
    kind: str | None
    body_html: str
    sources_html: tuple[str, ...]
    see: tuple[tuple[int, str], ...]  # (number, title) of notes it refers to
    block: int  # index of the block holding the call
    where: Where | None = None  # the note in annotations/notes.yaml, for messages
    audience: str = "all"


@dataclass(frozen=True)
class ComposedTerm:
    id: str
    term: str
    aliases: tuple[str, ...]
    definition_html: str
    see: tuple[tuple[str, str], ...]  # (id, term)
    occurrences: tuple[tuple[str, int], ...]  # (paragraph id, offset) of each occurrence in the text


@dataclass(frozen=True)
class ComposedEvent:
    id: str
    date: PartialDate
    end: PartialDate | None
    event_html: str
    place: tuple[str, int] | None  # (paragraph id, offset) of the passage that mentions it
    paragraph: int | None
    sources_html: tuple[str, ...]


@dataclass(frozen=True)
class Edition:
    meta: Meta
    blocks: tuple[ComposedBlock, ...]
    notes: tuple[ComposedNote, ...]
    glossary: tuple[ComposedTerm, ...]
    chronology: tuple[ComposedEvent, ...]
    bio_html: str | None = None
    credits_html: str | None = None
    questions: tuple = ()  # questions.ComposedQuestion, for the variants that print them


# --- page geometry ---------------------------------------------------------------

PT_PER_IN = 72.0
PX_PER_PT = 96 / 72  # WeasyPrint measures in CSS px


@dataclass(frozen=True)
class Geometry:
    """One paper size's page: every length in points, defined once.

    The template turns these into @page rules and CSS custom properties, and
    the placement pass reads the same numbers, so the two cannot disagree.
    Horizontally: inside margin + text + gap + note column + outside margin.
    """
    name: str
    width: float
    height: float
    top: float
    bottom: float
    inside: float
    text: float
    gap: float
    notes: float
    note_gap: float = 7.0  # least space between two notes, vertically
    duplex: bool = True
    leading: float = 14.0  # the article's line height: its baseline grid
    title_size: float = 23.0  # the title's type: the print template balances its lines for it
    # Above the foot's first note: the space over the rule, the rule and the space under it
    # (the stylesheet draws the rule this far above the note: --foot-rule).
    foot_rule: float = 12.0
    # How far the inside-margin numbers stand from the text (paragraph numbers, further
    # out when line numbers stand between them and the text; line numbers).
    pnum_gap: float = 8.0
    pnum_gap_with_lines: float = 22.0
    lnum_gap: float = 6.0
    # Type sizes the stylesheet reads (--body-size, --note-size, --note-leading): the
    # large-print variant (glossator.variants) sets them larger.
    body_size: float = 10.5
    note_size: float = 7.9
    note_leading: float = 10.0
    note_small_size: float = 7.0  # a note's "see also" and sources
    note_small_leading: float = 9.0
    type_scale: float = 1.0  # every other size (titles, calls, back matter, appendices) times this

    @property
    def outside(self) -> float:
        return self.width - self.inside - self.text - self.gap - self.notes

    @property
    def area_height(self) -> float:
        return self.height - self.top - self.bottom


# The text measure is about 66 characters of 10.5 pt Libertine; the note column takes
# what is left, less an outside margin of about 0.7 in (a printer's safe area is 0.25 in).
LETTER = Geometry("letter", 612.0, 792.0, top=66.0, bottom=66.0,
                  inside=54.0, text=296.0, gap=18.0, notes=192.0)
A4 = Geometry("a4", 595.28, 841.89, top=70.0, bottom=72.0,
              inside=52.0, text=290.0, gap=18.0, notes=186.0)
PAPERS = {"letter": LETTER, "a4": A4}

# Large print (--variant large-print), on the same paper: body 16 pt on a 21 pt grid, notes
# 13 pt, and every other size scaled so that the appendices' 9.5 pt become 16.5 pt (not 16:
# no line outside the article is set in its size). The text takes most of the width (about 58 characters a line) and the outside
# margin shrinks to half an inch; the note column left (about 20 characters of 13 pt) holds
# short notes, and the placement pass sends the others to the page's foot.
_LARGE = dict(body_size=16.0, leading=21.0, note_size=13.0, note_leading=16.5, note_small_size=13.0,
              note_small_leading=16.5, type_scale=16.5 / 9.5, title_size=32.0, gap=14.0,
              foot_rule=16.0, pnum_gap=10.0, pnum_gap_with_lines=30.0, lnum_gap=8.0, note_gap=9.0)
LARGE_PRINT = {
    "letter": replace(LETTER, **_LARGE, inside=54.0, text=396.0, notes=112.0),  # outside: 36 pt
    "a4": replace(A4, **_LARGE, inside=52.0, text=382.0, notes=111.28),  # outside: 36 pt
}


@dataclass(frozen=True)
class Options:
    """What the user chose on the command line."""
    paper: str = "letter"
    duplex: bool = True
    paragraph_numbers: bool = True
    line_numbers: bool = False
    variant: str = "reader"  # reader | student | teacher | large-print (glossator.variants)
    booklet: bool = False  # also impose the PDF for saddle-stitch (glossator.booklet)
    all_variants: bool = False  # --all: every variant and the booklet


def slugify(text: str) -> str:
    """'The Death of the U.S.-Iraqi Relationship' -> 'the-death-of-the-us-iraqi-relationship'.

    Only [a-z0-9-] survive, so a slug can never name a path outside the output folder."""
    text = re.sub(r"[.'’]", "", text.lower())
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return slug[:80].strip("-") or "edition"

