"""Reading a built PDF the way a reader's eye would: glyphs, where they are, what they say.

Used by the build and print-layout tests. Everything here works on the PDF alone
(pdfplumber's pages, their glyphs read by pdfglyphs), never on Glossator's own idea of
where things went.
"""
from __future__ import annotations

import functools
import re
import weakref
from dataclasses import dataclass
from pathlib import Path

import pdfglyphs
from glossator.model import PAPERS, Geometry

BODY_SIZE = 10.5  # pt: the article's text (acronyms are 0.8 of it)
CALL_SIZE = 7.0
HYPHEN = "\u2010"  # the hyphen WeasyPrint adds where it breaks a word


def read_pdf(path):
    """The PDF at path, parsed once however many checks read it: `with read_pdf(p) as pdf`,
    pdf being what pdfplumber.open gives, its pages' glyphs read six times as fast (pdfglyphs).
    A built PDF is never changed in place (outputs are replaced whole), so its size and
    modification time tell a new one from the one already parsed."""
    path = Path(path)
    stat = path.stat()
    return _Kept(_parsed(str(path.resolve()), stat.st_mtime_ns, stat.st_size))


@functools.lru_cache(maxsize=8)
def _parsed(path: str, mtime_ns: int, size: int):
    return pdfglyphs.Pdf(path)


class _Kept:
    """A parsed PDF for a `with` block that leaves it open for the next check."""

    def __init__(self, pdf):
        self.pdf = pdf

    def __enter__(self):
        return self.pdf

    def __exit__(self, *exc):
        return False


@dataclass(frozen=True)
class Glyph:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    font: str


def glyphs(page) -> list[Glyph]:
    """A page's glyphs but white space, made once a page: a page's checks read them ten times."""
    if page not in _GLYPHS:
        _GLYPHS[page] = tuple(Glyph(c["text"], c["x0"], c["x1"], c["top"], c["bottom"], round(c["size"], 2),
                                    c["fontname"]) for c in page.chars if c["text"].strip())
    return list(_GLYPHS[page])


_GLYPHS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # page -> its glyphs, while it is kept


def geometry(paper) -> Geometry:
    """`paper` is a paper's name (the reader's geometry) or a Geometry (large print)."""
    return paper if isinstance(paper, Geometry) else PAPERS[paper]


def text_column(page_index: int, paper: str, duplex: bool) -> tuple[float, float]:
    """The x range (pt) of the article's text column on a page (0-based index)."""
    g = geometry(paper)
    if duplex and page_index % 2 == 1:  # verso: the note column is on the left
        left = g.width - g.inside - g.text
    else:
        left = g.inside
    return left, left + g.text


def body_stream(pdf_path, paper="letter", duplex=True) -> str:
    """The article's characters in reading order, white space and break hyphens left out.

    Keeps glyphs inside the text column and the page area at body size (or acronym
    size); calls (7 pt), notes, pull quotes, headings and the back matter fall away.
    """
    g = geometry(paper)
    out = []
    with read_pdf(pdf_path) as pdf:
        for index, page in enumerate(pdf.pages):
            left, right = text_column(index, paper, duplex)
            chosen = [c for c in glyphs(page)
                      if left - 1 <= c.x0 and c.x1 <= right + 1 and g.top - 1 <= c.top <= g.height - g.bottom
                      and (abs(c.size - g.body_size) < 0.2 or abs(c.size - g.body_size * 0.8) < 0.1)]
            chosen.sort(key=lambda c: (round(c.bottom), c.x0))
            out.extend(c.text for c in _lines_in_order(chosen))
    return "".join(out).replace(HYPHEN, "")


def _lines_in_order(chars: list[Glyph]) -> list[Glyph]:
    return [c for line in lines_of(chars) for c in line]


def lines_of(chars: list[Glyph]) -> list[list[Glyph]]:
    """Group glyphs into lines by baseline (within 3 pt, so small capitals join their line),
    top to bottom, each left to right."""
    lines: list[list[Glyph]] = []
    for c in sorted(chars, key=lambda c: c.bottom):
        if lines and abs(lines[-1][0].bottom - c.bottom) < 3:
            lines[-1].append(c)
        else:
            lines.append([c])
    return [sorted(line, key=lambda c: c.x0) for line in lines]


def article_stream(article_md: str) -> str:
    """The article's paragraphs (pull quotes and front matter left out), white space removed."""
    body = article_md.split("\n---\n", 1)[1]
    body = re.sub(r"::: pullquote\n.*?\n:::", "", body, flags=re.S)
    body = re.sub(r"[*_`]", "", body)
    return re.sub(r"\s+", "", body)


def numbers_at(page, size: float, font_part: str) -> list[tuple[str, float, float]]:
    """Runs of digits set at `size` in a font whose name ends with font_part: (number, x0, top)."""
    digits = [c for c in glyphs(page) if c.text.isdigit() and abs(c.size - size) < 0.15 and c.font.endswith(font_part)]
    digits.sort(key=lambda c: (round(c.top), c.x0))
    runs: list[list[Glyph]] = []
    for c in digits:
        if runs and abs(runs[-1][-1].top - c.top) < 1 and 0 <= c.x0 - runs[-1][-1].x1 < 1.5:
            runs[-1].append(c)
        else:
            runs.append([c])
    return [("".join(c.text for c in run), run[0].x0, run[0].top) for run in runs]


def collisions(page, threshold=0.2) -> list[tuple[Glyph, Glyph]]:
    """Pairs of glyphs from different lines whose boxes overlap by more than `threshold`
    of the smaller one's area: overprinted text."""
    chars = sorted(glyphs(page), key=lambda c: c.top)
    found, active = [], []
    for c in chars:
        active = [a for a in active if a.bottom > c.top]
        for a in active:
            if a.x1 <= c.x0 or c.x1 <= a.x0:
                continue  # side by side: most of a line, and no overlap
            if abs(a.bottom - c.bottom) < 0.5 and abs(a.size - c.size) < 0.1:
                continue  # same line: kerned neighbours may touch
            w = min(a.x1, c.x1) - max(a.x0, c.x0)
            h = min(a.bottom, c.bottom) - max(a.top, c.top)
            if w > 0 and h > 0:
                smaller = min((a.x1 - a.x0) * (a.bottom - a.top), (c.x1 - c.x0) * (c.bottom - c.top))
                if smaller > 0 and w * h / smaller > threshold:
                    found.append((a, c))
        active.append(c)
    return found


def near_edge(page, inches=0.25) -> list[Glyph]:
    safe = inches * 72
    return [c for c in glyphs(page)
            if c.x0 < safe or c.top < safe or c.x1 > page.width - safe or c.bottom > page.height - safe]


def margin_text(pdf_path, paper="letter", duplex=True) -> str:
    """The text of every note: set in the note column, or at the foot of the text column
    (small type below the page's last line of the article); line by line, break hyphens joined."""
    g = geometry(paper)
    lines = []
    with read_pdf(pdf_path) as pdf:
        for index, page in enumerate(pdf.pages):
            left, right = text_column(index, paper, duplex)
            foot = foot_top(page, index, paper, duplex)
            outside = (lambda c: c.x0 > right + 2) if not duplex or index % 2 == 0 else (lambda c: c.x1 < left - 2)
            in_foot = lambda c: left - 1 <= c.x0 and c.x1 <= right + 1 and c.top > foot
            inside = [c for c in glyphs(page) if (outside(c) or in_foot(c))
                      and g.top - 1 <= c.top <= g.height - g.bottom and c.size < g.note_size + 0.6]
            page_lines: list[list[Glyph]] = []
            for c in sorted(inside, key=lambda c: (outside(c), round(c.bottom), c.x0)):
                if page_lines and abs(page_lines[-1][0].bottom - c.bottom) < 2:
                    page_lines[-1].append(c)
                else:
                    page_lines.append([c])
            for line in page_lines:
                line.sort(key=lambda c: c.x0)
                text = ""
                for a, b in zip([None] + line[:-1], line):
                    text += (" " if a is not None and b.x0 - a.x1 > 1.2 else "") + b.text
                lines.append(text)
    joined = "\n".join(lines).replace(HYPHEN + "\n", "").replace("-\n", "-")
    return re.sub(r"\s+", " ", joined)


def foot_top(page, index: int, paper: str, duplex: bool) -> float:
    """Where a page's foot begins: below the lowest glyph of the article's type in the text column."""
    left, right = text_column(index, paper, duplex)
    g = geometry(paper)
    body = [c.bottom for c in glyphs(page) if left - 1 <= c.x0 and c.x1 <= right + 1 and c.size > g.note_size + 0.6]
    return max(body, default=g.top)


def article_lines(pdf_path, paper="letter", duplex=True) -> list[list[list[Glyph]]]:
    """Each page's lines in the article's type (body and headings: no calls, no notes, no
    running heads or folios) in its text column, top to bottom, each left to right."""
    g = geometry(paper)
    pages = []
    with read_pdf(pdf_path) as pdf:
        for index, page in enumerate(pdf.pages):
            left, right = text_column(index, paper, duplex)
            pages.append(lines_of([c for c in glyphs(page) if left - 1 <= c.x0 and c.x1 <= right + 1
                                   and g.top - 1 <= c.top <= g.height - g.bottom and c.size > g.note_size + 0.6]))
    return pages


def calls_on(page, index: int, paper: str, duplex: bool) -> set[str]:
    """The note calls set in a page's text column (above its foot)."""
    left, right = text_column(index, paper, duplex)
    foot = foot_top(page, index, paper, duplex)
    size = CALL_SIZE * geometry(paper).type_scale
    return {n for n, x, top in numbers_at(page, size, "Glossator-Serif") if left - 1 <= x <= right + 1 and top < foot}


def article_fills(pdf_path, paper="letter", duplex=True) -> list[float]:
    """How full each page of the article's text is (the pages with text in the article's
    type): the depth of the text column's lowest glyph (the article's, or a note's at the
    foot) below the page area's top, over the area's height."""
    g = geometry(paper)
    fills = []
    with read_pdf(pdf_path) as pdf:
        for index, page in enumerate(pdf.pages):
            left, right = text_column(index, paper, duplex)
            column = [c for c in glyphs(page) if left - 1 <= c.x0 and c.x1 <= right + 1
                      and g.top - 1 <= c.top <= g.height - g.bottom]
            if not any(abs(c.size - g.body_size) < 0.2 for c in column):
                break
            bottoms = [c.bottom for c in column]
            fills.append((max(bottoms, default=g.top) - g.top) / (g.height - g.top - g.bottom))
    return fills


def placed_notes(page, index: int, paper, duplex: bool) -> dict[str, tuple[str, float]]:
    """Note number -> (where, x) for each note set on a page, read from its bold number:
    "outside" or "inside" the text column's margins, or "foot" (in the text column, below
    the page's last line of the article)."""
    left, right = text_column(index, paper, duplex)
    foot = foot_top(page, index, paper, duplex)
    outside_is_right = not duplex or index % 2 == 0
    found = {}
    for number, x, top in numbers_at(page, geometry(paper).note_size, "Glossator-Sans-Bold"):
        if left - 2 <= x <= right + 2:
            found[number] = ("foot" if top > foot else "in the text", x)
        else:
            found[number] = ("outside" if (x > right) == outside_is_right else "inside", x)
    return found


def carried_heads(page, paper) -> dict[str, int]:
    """Note number -> N, for each note headed "from p. N" on a page (carried from its call's
    page): the heading stands right above the note's bold number."""
    g = geometry(paper)
    numbers = numbers_at(page, g.note_size, "Glossator-Sans-Bold")
    found = {}
    for match in page.search(r"from p\.\s*(\d+)"):
        below = [(top, n) for n, x, top in numbers
                 if abs(x - match["x0"]) < 3 and 0 <= top - match["bottom"] < 2 * g.note_leading]
        if below:
            found[min(below)[1]] = int(match["groups"][0])
    return found


@dataclass
class NotePlaces:
    """Where each note's call and the note itself are set, read from the PDF."""
    calls: dict  # note number -> 0-based page of its call
    # note number -> (0-based page, "outside" / "inside" / "foot" / "in the text", N of "from p. N" or None)
    notes: dict

    def problems(self) -> list[str]:
        """Every note on its call's page, or headed "from p. N" (N its call's page) on the
        next; in the outside margin or at the page's foot; one note for each call."""
        found = [f"call {n} has no note" for n in self.calls if n not in self.notes]
        found += [f"note {n} has no call" for n in self.notes if n not in self.calls]
        for number, (page, where, head) in self.notes.items():
            call = self.calls.get(number)
            if where not in ("outside", "foot"):
                found.append(f"note {number} on page {page + 1} is {where}")
            if call is None:
                continue
            if head is None and page != call:
                found.append(f"note {number} is on page {page + 1}, its call on page {call + 1}")
            if head is not None and (page != call + 1 or head != call + 1):
                found.append(f"note {number} is on page {page + 1}, headed from p. {head}, its call on page {call + 1}")
        return found

    def on_call_page(self) -> int:
        return sum(page == self.calls.get(n) for n, (page, _, _) in self.notes.items())

    def in_margin(self) -> int:
        return sum(where == "outside" for _, where, _ in self.notes.values())


def note_places(pdf_path, paper="letter", duplex=True, pages=None) -> NotePlaces:
    """The calls and notes on the PDF's pages (its first `pages`, if given)."""
    calls, notes = {}, {}
    with read_pdf(pdf_path) as pdf:
        for index, page in enumerate(pdf.pages[:pages]):
            heads = carried_heads(page, paper)
            for number in calls_on(page, index, paper, duplex):
                calls.setdefault(number, index)
            for number, (where, _) in placed_notes(page, index, paper, duplex).items():
                notes.setdefault(number, (index, where, heads.get(number)))
    return NotePlaces(calls, notes)


def reading_text(pdf_path, paper="letter", duplex=True) -> str:
    """The whole PDF's text, read region by region as a reader would: on article pages
    the text column, then the margins; from the glossary on, the page's two halves."""
    parts, appendix = [], False
    with read_pdf(pdf_path) as pdf:
        for index, page in enumerate(pdf.pages):
            head = (page.extract_text() or "")[:300]
            appendix = appendix or "Glossary" in head
            if appendix:
                cuts = [0, page.width / 2, page.width]
            else:
                left, right = text_column(index, paper, duplex)
                cuts = [0, left - 2, right + 2, page.width]
                cuts = [cuts[1], cuts[2], cuts[0], cuts[1], cuts[2], cuts[3]]
            for x0, x1 in zip(cuts[::2], cuts[1::2]):
                parts.append(page.crop((x0, 0, x1, page.height)).extract_text() or "")
    text = "\n".join(parts).replace(HYPHEN + "\n", "").replace("-\n", "-")
    return re.sub(r"\s+", " ", text)


def print_faults(pdf_path) -> list[str]:
    """Every overprinted glyph pair and every glyph near the paper's edge, page by page."""
    faults = []
    with read_pdf(pdf_path) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            faults += [f"page {number}: '{a.text}' overprints '{b.text}'" for a, b in collisions(page)]
            faults += [f"page {number}: '{c.text}' within 0.25 in of the edge" for c in near_edge(page)]
    return faults
