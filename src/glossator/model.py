"""The data every station shares: small, frozen, plain.

load    -> Article, Annotations (with Where for every item)
anchor  -> Span for every quote
compose -> Edition (numbered, sorted, inline pieces ready for the template)
render  -> uses Geometry for the page and the note column
"""
from __future__ import annotations

import calendar
import datetime
import functools
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
# A date and time in ISO 8601 ("1947-03-12T13:00:00", "...Z", "...+01:00"): the date is kept.
_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")
# Two numbers before the year, either of which could be the month ("03/12/1947").
_NUMERIC = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_MONTH_WORD = re.compile(r"[A-Za-z]{3,}")


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date at year, month or day precision ("2003", "2011-12", "2020-01-03").

    Read from ISO 8601 (a time of day is dropped) or written out in English
    ("March 12, 1947", "12 March 1947", "March 1947"); printed in the edition's
    language by Babel."""
    year: int
    month: int = 0  # 0: not given
    day: int = 0

    @classmethod
    def parse(cls, text: str) -> "PartialDate":
        text = " ".join(str(text).split())
        stamp = _DATETIME.match(text)
        m = _DATE.match(stamp.group(1) if stamp else text)
        if m:
            year, month, day = (int(g) if g else 0 for g in m.groups())
        else:
            year, month, day = _written(text)
        if year < 1:  # the calendar, and the build's timestamps, start at year 1
            raise ValueError(f"there is no year {year:04d}; years run from 0001 to 9999")
        if month and not 1 <= month <= 12:
            raise ValueError(f"there is no month {month}")
        if day and not 1 <= day <= calendar.monthrange(year, month)[1]:
            raise ValueError(f"{calendar.month_name[month]} {year} has no day {day}")
        return cls(year, month, day)

    @property
    def precision(self) -> int:
        """1: a year, 2: a month, 3: a day."""
        return 1 + bool(self.month) + bool(self.day)

    def truncated(self, precision: int) -> "PartialDate":
        """The same date said less exactly: truncated(1) is its year."""
        return PartialDate(self.year, self.month if precision > 1 else 0, self.day if precision > 2 else 0)

    def iso(self) -> str:
        parts = [f"{self.year:04d}"]
        if self.month:
            parts.append(f"{self.month:02d}")
        if self.day:
            parts.append(f"{self.day:02d}")
        return "-".join(parts)

    def display(self, lang: str = "en") -> str:
        """'January 3, 2020' (en-US), '3 January 2020' (en-GB), 'December 2011', '1979'."""
        from babel.dates import format_date, format_skeleton
        if not self.month:
            return str(self.year)
        when = datetime.date(self.year, self.month, self.day or 1)
        if self.day:
            return format_date(when, "long", locale=_locale(lang))
        return format_skeleton("yMMMM", when, locale=_locale(lang))

    def abbreviated(self, lang: str = "en", year: bool = True) -> str:
        """The short form an axis labels a tick with: 'Jan 2020' (a month; 'Jan' without
        its year), 'Jan 3' (en-US) or '3 Jan' (en-GB) for a day, '1979' for a year."""
        from babel.dates import format_skeleton
        if not self.month:
            return str(self.year)
        skeleton = "MMMd" if self.day else ("yMMM" if year else "MMM")
        return format_skeleton(skeleton, datetime.date(self.year, self.month, self.day or 1), locale=_locale(lang))

    def span(self, end: "PartialDate", lang: str = "en") -> str:
        """'September 11–12, 2012', '4 November 1979 – 20 January 1981', '2007–2008': the
        language's own way of writing a range, where both ends are equally precise."""
        if self.precision != end.precision or self.precision == 1:
            if self.precision == end.precision:
                return f"{self.year}–{end.year}"
            return f"{self.display(lang)} – {end.display(lang)}"
        return _interval(self, end, lang)

    def label(self, end: "PartialDate | None" = None, lang: str = "en") -> str:
        """The date, or its range to `end`, as the chronology lists it: never broken inside
        a date; a range may break only after its dash ('July 28, 1914 –' / 'November 11, 1918')."""
        return _UNBROKEN.sub(_no_break, self.span(end, lang) if end else self.display(lang))

    def range_to(self, last: "PartialDate", lang: str = "en") -> tuple[str, str]:
        """The two ends of a range as printed, said equally precisely ("1940" and "1952", or
        "28 October 1940" and "18 February 1952"), never one by its day and one by its year."""
        precision = min(self.precision, last.precision)
        return self.truncated(precision).display(lang), last.truncated(precision).display(lang)

    def fraction(self) -> float:
        """Position in years, for drawing to scale (mid-month / mid-year when vague)."""
        if not self.month:
            return self.year + 0.5
        day = self.day or 15
        return self.year + (self.month - 1) / 12 + (day - 1) / 365




_UNBROKEN = re.compile(r"(?<![\u2013\u2014])[^\S\u00a0\u202f]")  # a space a line may break at, but after a dash


def _no_break(space: re.Match) -> str:
    """The no-break space of a space's width: narrow for a thin one (CLDR's ranges), else full."""
    return "\u202f" if space.group() in "\u2009\u200a" else "\u00a0"


def _written(text: str) -> tuple[int, int, int]:
    """(year, month, day) of a date written out ("March 12, 1947", "12 March 1947",
    "March 1947"); month and day 0 where not given. Raises ValueError."""
    numeric = _NUMERIC.match(text)
    if numeric:
        a, b, year = (int(g) for g in numeric.groups())
        if a <= 12 and b <= 12 and a != b:  # both readings are dates: refuse to guess
            first, second = PartialDate(year, a, b), PartialDate(year, b, a)
            raise ValueError(f"it could be {first.display()} or {second.display()}; "
                             f"write {first.iso()} or {second.iso()}")
    if not _MONTH_WORD.search(text) and not numeric:
        raise ValueError("write it as YYYY, YYYY-MM or YYYY-MM-DD, or as “March 12, 1947”")
    from dateutil import parser
    dayfirst = numeric is not None and int(numeric.group(1)) > 12
    try:  # parsed twice with different defaults: a part that changes was not written
        one = parser.parse(text, default=datetime.datetime(4, 1, 1), dayfirst=dayfirst)
        two = parser.parse(text, default=datetime.datetime(8, 2, 2), dayfirst=dayfirst)
    except (ValueError, OverflowError) as exc:
        raise ValueError("write it as YYYY, YYYY-MM or YYYY-MM-DD, or as “March 12, 1947”") from exc
    if one.year != two.year or (one.day == two.day and one.month != two.month):
        raise ValueError("write it as YYYY, YYYY-MM or YYYY-MM-DD, or as “March 12, 1947”")
    return one.year, one.month if one.month == two.month else 0, one.day if one.day == two.day else 0


@functools.lru_cache(maxsize=16)
def _locale(lang: str):
    """Babel's locale for a BCP 47 tag ("en-GB"); English for a tag Babel does not know."""
    from babel import Locale, UnknownLocaleError
    try:
        return Locale.parse(lang.replace("_", "-"), sep="-")
    except (UnknownLocaleError, ValueError, TypeError):
        return Locale.parse("en")


def _interval(start: PartialDate, end: PartialDate, lang: str) -> str:
    """Two dates of the same precision as one range, by the locale's interval patterns
    with the month written out in full ("MMM" is the abbreviated month)."""
    from babel.dates import parse_pattern
    locale = _locale(lang)
    day = start.precision == 3
    skeleton = "yMMMd" if day else "yMMM"
    fields = ("y", "M", "d") if day else ("y", "M")
    a = datetime.date(start.year, start.month, start.day or 1)
    b = datetime.date(end.year, end.month, end.day or 1)
    parts = locale.interval_formats.get(skeleton, {})
    differs = next((f for f, x, y in zip(fields, (a.year, a.month, a.day), (b.year, b.month, b.day)) if x != y), None)
    if differs is None:
        return start.display(lang)
    if differs not in parts:
        return f"{start.display(lang)} – {end.display(lang)}"
    full = [re.sub(r"(?<!M)MMM(?!M)", "MMMM", p) for p in parts[differs]]
    return "".join(parse_pattern(p).apply(d, locale) for p, d in zip(full, (a, b)))


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

    @functools.cached_property  # joined once: anchoring looks for every quote in every paragraph
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass(frozen=True)
class Meta:
    title: str
    author: str  # the authors as printed: "A", "A and B", "A, B and C"
    publication: str
    date: PartialDate | None
    lang: str
    slug: str
    url: str | None = None
    subtitle: str | None = None
    bio: str | None = None  # Markdown
    credits: str | None = None  # Markdown
    authors: tuple[str, ...] = ()  # each author, as the front matter lists them
    editors: tuple[str, ...] = ()  # who wrote the notes ('editor:' or 'annotator:')
    rights: str | None = None  # Markdown, printed with the credits
    keywords: tuple[str, ...] = ()  # into the PDF's and the page's metadata
    abstract: str | None = None  # plain text, the PDF's subject and the page's description

    @property
    def editor(self) -> str:
        return join_names(self.editors)


def join_names(names) -> str:
    """'A', 'A and B', 'A, B and C'."""
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1] if names else ""


@dataclass(frozen=True)
class Article:
    meta: Meta
    blocks: tuple[Block, ...]
    where: Where
    source: str = ""  # the file as written (the blocks hold it as the typographer set it)

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
    see: tuple[str, ...] = ()  # ids of other notes
    sources: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()  # ids of glossary entries its 'see:' names
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
    where: Where | None = None  # its first line in source/article.md, for messages


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
    terms: tuple[tuple[str, str], ...] = ()  # (id, term) of glossary entries it refers to
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
    rights_html: str | None = None
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
    # The glossary's columns (print and web: --glossary-columns, --glossary-gap), and the
    # space under each entry (--glossary-space): glossator.columns sets the print columns' breaks with them.
    glossary_columns: int = 2
    glossary_gap: float = 22.0
    glossary_space: float = 7.0

    @property
    def outside(self) -> float:
        return self.width - self.inside - self.text - self.gap - self.notes

    @property
    def area_height(self) -> float:
        return self.height - self.top - self.bottom

    @property
    def note_from(self) -> float:
        """The heading over a note carried to the next page ("from p. 4"): one line of the
        notes' leading, the stylesheet's --note-from (the placement pass adds it to the
        note's height)."""
        return self.note_leading

    @property
    def glossary_column(self) -> float:
        """A glossary column's width: the appendix pages' text area (they have no note
        column) shared between the columns and the gaps between them."""
        area = self.width - self.inside - self.outside  # @page appendix: margins inside and outside only
        return (area - (self.glossary_columns - 1) * self.glossary_gap) / self.glossary_columns


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
    single_file: bool = False  # the HTML with its fonts inside (webfonts.py), no fonts/ beside it
    tagged: bool = True  # a tagged PDF, read in order by screen readers (--untagged: without the tree)
    pdf_variant: str = ""  # an archival PDF/A: "pdf/a-2b" or "pdf/a-3b" (PDF_VARIANTS)
    embed_sources: bool = False  # PDF/A-3 only: source/article.md and the annotations inside the PDF
    print_shop: bool = False  # PDF/X-4 with crop marks and a 3 mm bleed
    variant: str = "reader"  # reader | student | teacher | large-print (glossator.variants)
    booklet: bool = False  # also impose the PDF for saddle-stitch (glossator.booklet)
    all_variants: bool = False  # --all: every variant and the booklet


PDF_VARIANTS = ("pdf/a-2b", "pdf/a-3b")  # --pdf-variant: what WeasyPrint writes and we check
BLEED_MM = 3  # --print-shop: how far the page is drawn beyond its trimmed edge


def slugify(text: str) -> str:
    """'The Death of the U.S.-Iraqi Relationship' -> 'the-death-of-the-us-iraqi-relationship'.

    Only [a-z0-9-] survive, so a slug can never name a path outside the output folder."""
    text = re.sub(r"[.'’]", "", text.lower())
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return slug[:80].strip("-") or "edition"

