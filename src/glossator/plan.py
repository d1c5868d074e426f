"""What the placement pass decides, between one layout and the next.

A Plan says where new pages start (before a paragraph, or inside one before a
given word), which notes could not fit beside their call and ride at the top of
the next page instead, which are too tall for any margin and become footnotes,
and which words carry line numbers. The template reads
it; render.py builds it up from measurements, pass after pass.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from . import layout
from .model import PX_PER_PT, Edition, Geometry, Options

LINE_NUMBER_EVERY = 5


@dataclass
class Plan:
    breaks: list[str] = field(default_factory=list)  # block ids and word ids that start a page
    moved: dict[int, tuple[str, int]] = field(default_factory=dict)  # note -> (host word id, call's page, 1-based)
    line_numbers: dict[str, tuple[int, int]] = field(default_factory=dict)  # word id -> (number, 0-based page)
    footnotes: set[int] = field(default_factory=set)  # notes too tall for the margin, set at the page's foot
    footnotes_from: dict[int, int] = field(default_factory=dict)  # footnote -> its call's page, if set later

    def splits(self, edition: Edition) -> dict[str, bool]:
        """Word ids where a paragraph is split -> whether the same paragraph is split again later."""
        words = {b for b in self.breaks if b.startswith("w")}
        out = {}
        for block in edition.blocks:
            mine = [p.target for p in block.pieces if p.kind == "word" and p.target in words]
            out.update((target, i < len(mine) - 1) for i, target in enumerate(mine))
        return out

    def split_blocks(self, edition: Edition) -> set[str]:
        splits = self.splits(edition)
        return {b.id for b in edition.blocks if any(p.target in splits for p in b.pieces if p.kind == "word")}

    def hosted(self) -> dict[str, list[int]]:
        """Word id -> numbers of the notes that ride there, moved from the page before."""
        out: dict[str, list[int]] = {}
        for number, (host, _) in sorted(self.moved.items()):
            out.setdefault(host, []).append(number)
        return out

    def kept_words(self, edition: Edition) -> set[str]:
        """Word markers the template must print (everything else is merged away)."""
        return set(self.splits(edition)) | set(self.hosted()) | set(self.line_numbers)


# --- where to start a new page ---------------------------------------------------------

def choose_break(overflow: layout.Overflow, edition: Edition, measured, breaks: list[str]) -> str | None:
    """Where to start a new page so the overflowing page sheds the notes that do not fit.

    Prefer the line holding the first call that does not fit: the paragraph is split
    there, the rest continuing on the next page. Where that line begins inside a
    hyphenated word, the whole word moves. Returns a word id, a block id (break
    before the whole paragraph), or None if nothing on the page can move.
    """
    for note in overflow.left_out:
        if note.moved:
            continue
        block = edition.blocks[note.block]
        lines = measured.lines.get(block.id, [])
        call_top = measured.boxes[f"call-{note.number}"][1]
        index = max((i for i, line in enumerate(lines)
                     if line.page == note.page and line.top <= call_top + 0.5), default=None)
        if index is None:
            continue
        cut = line_cut(block, lines, index, overflow.page)
        if cut:
            return cut
        if block.id not in breaks and lines[0].page == overflow.page and not starts_page(block, edition, measured):
            return block.id
    return None


def line_cut(block, lines, index: int, page: int) -> str | None:
    """The word to split the paragraph at, moving line `index` (or one above) to the next page.

    Two lines of the paragraph stay on this page and two go to the next (no orphans,
    no widows): cut before line i, with 2 <= i <= len(lines) - 2. A line that begins a
    word is preferred, even one line higher; splitting a word broken across two lines
    moves it whole, leaves a loose line above and reflows the rest, so it is the last resort.
    """
    words = [p for p in block.pieces if p.kind == "word"]
    broken = None
    for i in range(min(index, len(lines) - 2), 1, -1):
        if not lines[i].page == lines[i - 1].page == lines[i - 2].page == page:
            break  # moving from here up would empty the page's column
        start = lines[i].start
        if lines[i].clean:
            return next((w.target for w in words if w.offset == start), None)
        hyphenated = [w for w in words if w.offset < start]
        if broken is None and hyphenated and hyphenated[-1].offset > lines[i - 1].start:
            broken = hyphenated[-1].target
    return broken


def starts_page(block, edition: Edition, measured) -> bool:
    """True if the block is the first thing in its page's text column."""
    page = measured.page_of.get(block.id)
    tops = [measured.boxes[b.id][1] for b in edition.blocks if measured.page_of.get(b.id) == page]
    return bool(tops) and measured.boxes[block.id][1] <= min(tops) + 0.5


def word_place(word_id: str) -> tuple[str, int]:
    """'w4-120' -> ('p4', 120): the paragraph and offset of a word marker (compose.block_pieces)."""
    number, offset = word_id[1:].split("-")
    return f"p{number}", int(offset)


# --- notes that must ride on the next page ----------------------------------------------

def first_word_on(page: int, edition: Edition, measured) -> str | None:
    """The id of the first word of the article laid out on `page`, if any."""
    for block in edition.blocks:
        for line in measured.lines.get(block.id, []):
            if line.page == page:
                word = next((p for p in block.pieces if p.kind == "word" and p.offset >= line.start), None)
                if word is not None:
                    return word.target
    return None


def move_notes(overflow: layout.Overflow, edition: Edition, measured, plan: Plan) -> bool:
    """When no page break helps, the notes that do not fit go to the top of the next page's
    margin, headed with the page of their call. Past the article's last page they ride
    beside the back matter, which then starts a page of its own. False if nothing can move."""
    host = first_word_on(overflow.page + 1, edition, measured)
    if host is None and BACK_MATTER in measured.page_of:
        host = BACK_MATTER
        if measured.page_of[BACK_MATTER] <= overflow.page:
            if BACK_MATTER in plan.breaks:
                return False
            plan.breaks.append(BACK_MATTER)
    if host is None:
        return False
    for note in overflow.left_out:
        call_page = measured.page_of[f"call-{note.number}"] + 1
        plan.moved[note.number] = (host, plan.moved.get(note.number, (host, call_page))[1])
    return True


BACK_MATTER = "about"  # the id of the section after the article (bio and credits)


# --- line numbers --------------------------------------------------------------------------

def number_lines(edition: Edition, measured) -> dict[str, tuple[int, int]]:
    """Every fifth line of the article's paragraphs, counted through the whole article:
    word id of a word on that line -> (its number, its page)."""
    out, count = {}, 0
    for block in edition.blocks:
        words = [p for p in block.pieces if p.kind == "word"]
        lines = measured.lines.get(block.id, [])
        for i, line in enumerate(lines):
            count += 1
            if count % LINE_NUMBER_EVERY:
                continue
            end = lines[i + 1].start if i + 1 < len(lines) else 1 << 30
            word = next((w for w in words if line.start <= w.offset < end), None)
            if word is not None:
                out[word.target] = (count, line.page)
    return out


# --- the positions, as CSS -----------------------------------------------------------------

def is_recto(page: int, options: Options) -> bool:
    """Odd pages (index 0, 2, ...) are right-hand pages; simplex puts every note on the right."""
    return page % 2 == 0 or not options.duplex


def placement_css(edition: Edition, measured, placed: dict, geometry: Geometry, options: Options,
                  plan: Plan) -> str:
    """Each note's top and side, and the inside-margin numbers' side, for the final layout."""
    rules = []
    top_px = geometry.top * PX_PER_PT
    for note in edition.notes:
        if note.number not in placed:
            continue  # a footnote: WeasyPrint sets it at the foot of its call's page
        spot = placed[note.number]
        left = geometry.text + geometry.gap if is_recto(spot.page, options) else -(geometry.gap + geometry.notes)
        rules.append(f"#note-{note.number} {{ top: {spot.top - top_px:.3f}px; left: {left:.3f}pt; }}")
    # On a left-hand page the inside margin is on the right: mirror the numbers there.
    pnum_gap = PNUM_GAP_WITH_LINES if options.line_numbers else PNUM_GAP
    numbers = [(f"pnum-{b.number}", pnum_gap, measured.page_of.get(f"pnum-{b.number}"))
               for b in edition.blocks if b.number]
    numbers += [(f"lnum-{n}", LNUM_GAP, page) for n, page in plan.line_numbers.values()]
    for ident, gap, page in numbers:
        if page is not None and not is_recto(page, options):
            rules.append(f"#{ident} {{ left: {geometry.text + gap:.3f}pt; right: auto; text-align: left; }}")
    return "\n".join(rules)


# How far the inside-margin numbers stand from the text, in pt. glossator.css places
# them the same distance away on right-hand pages (section 5, "Paragraph numbers").
PNUM_GAP = 8.0
PNUM_GAP_WITH_LINES = 22.0
LNUM_GAP = 6.0
