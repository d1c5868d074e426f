"""What the placement engine decided, for the print template: an immutable Plan.

A Plan says where pages start (before a block, or inside a paragraph before a
given word), where each note is set (in the outside margin, at the foot of its
page, carried to the next page's margin or foot under "from p. N", or, too long
for any page, after the article), which words carry line
numbers, and each note's position. Each pass of the engine makes a new Plan;
none is changed in place. Only the print edition reads it: the web edition is
made without one.
"""
from __future__ import annotations

from dataclasses import dataclass

from .. import ids
from ..model import PX_PER_PT, Edition, Geometry, Options
from .optimise import Page, Spot
from .paginate import Unit

LINE_NUMBER_EVERY = 5


@dataclass(frozen=True)
class Plan:
    breaks: tuple[str, ...] = ()  # block ids and word ids that start a page
    spots: tuple[Spot, ...] = ()  # where each margin and foot note is set (carried or not)
    long: frozenset[int] = frozenset()  # notes too long for any page, set after the article
    line_numbers: tuple[tuple[str, int, int], ...] = ()  # (word id, number, 0-based page)

    @property
    def foot(self) -> frozenset[int]:
        return frozenset(s.number for s in self.spots if s.where == "foot")

    @property
    def foot_first(self) -> frozenset[int]:
        """The first foot note of each page: it carries the rule that sets the foot apart."""
        first: dict[int, Spot] = {}
        for spot in self.spots:
            if spot.where == "foot" and (spot.page not in first or spot.top < first[spot.page].top):
                first[spot.page] = spot
        return frozenset(s.number for s in first.values())

    @property
    def carried(self) -> frozenset[int]:
        """Notes set on the page after their call's, headed "from p. N"."""
        return frozenset(s.number for s in self.spots if s.carried)

    @property
    def carried_at(self) -> dict[str, list[int]]:
        """The id that starts a page (a paragraph's, or the word its second part starts
        at) -> the notes carried onto that page, in order: the print template sets them
        there, at the top of the page's first paragraph, out of the flow."""
        out: dict[str, list[int]] = {}
        for spot in sorted(self.spots, key=lambda s: s.number):
            if spot.carried:
                out.setdefault(self.breaks[spot.page - 1], []).append(spot.number)
        return out

    def element(self, number: int) -> str:
        """The id of what stands beside a note's call: the note, or a long note's pointer."""
        return ids.pointer(number) if number in self.long else ids.note(number)

    def numbered_lines(self) -> dict[str, int]:
        return {word: number for word, number, _ in self.line_numbers}

    def splits(self, edition: Edition) -> dict[str, bool]:
        """Word ids where a paragraph is split -> whether the same paragraph is split again later."""
        words = {b for b in self.breaks if ids.is_word(b)}
        out = {}
        for block in edition.blocks:
            mine = [p.target for p in block.pieces if p.kind == "word" and p.target in words]
            out.update((target, i < len(mine) - 1) for i, target in enumerate(mine))
        return out

    def split_blocks(self, edition: Edition) -> set[str]:
        splits = self.splits(edition)
        return {b.id for b in edition.blocks if any(p.target in splits for p in b.pieces if p.kind == "word")}

    def kept_words(self, edition: Edition) -> set[str]:
        """Word markers the template must print (everything else is merged away)."""
        return set(self.splits(edition)) | set(self.numbered_lines())


def page_breaks(pages: tuple[Page, ...], units: list[Unit], edition: Edition, measured) -> tuple[str, ...]:
    """The id each page after the first starts at: a block's, or the word a paragraph is
    split before (the optimiser starts pages only at lines that begin a word)."""
    words = {b.id: [p for p in b.pieces if p.kind == "word"] for b in edition.blocks}
    out = []
    for page in pages[1:]:
        unit = units[page.start]
        if unit.line in (None, 0):
            out.append(unit.block)
            continue
        offset = measured.lines[unit.block][unit.line].start
        out.append(next(w.target for w in words[unit.block] if w.offset == offset))
    return tuple(out)


# --- line numbers --------------------------------------------------------------------------

def number_lines(edition: Edition, measured) -> tuple[tuple[str, int, int], ...]:
    """Every fifth line of the article's paragraphs, counted through the whole article:
    (id of a word on that line, its number, its page)."""
    out, count = [], 0
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
                out.append((word.target, count, line.page))
    return tuple(out)


# --- the positions, as CSS -----------------------------------------------------------------

def is_recto(page: int, options: Options) -> bool:
    """Odd pages (index 0, 2, ...) are right-hand pages; simplex puts every note on the right."""
    return page % 2 == 0 or not options.duplex


def placement_css(edition: Edition, measured, plan: Plan, geometry: Geometry, options: Options) -> str:
    """Each note's top and side, and the inside-margin numbers' side, for the final layout.
    Tops are relative to the page area's top (the notes' containing block)."""
    rules = []
    top_px = geometry.top * PX_PER_PT
    for spot in plan.spots:
        if spot.where == "foot":
            left = 0.0
        elif is_recto(spot.page, options):
            left = geometry.text + geometry.gap
        else:
            left = -(geometry.gap + geometry.notes)
        rules.append(f"#{plan.element(spot.number)} {{ top: {spot.top - top_px:.3f}px; left: {left:.3f}pt; }}")
    # On a left-hand page the inside margin is on the right: mirror the numbers there.
    pnum_gap = geometry.pnum_gap_with_lines if options.line_numbers else geometry.pnum_gap
    numbers = [(ids.paragraph_number(b.number), pnum_gap, measured.page_of.get(ids.paragraph_number(b.number)))
               for b in edition.blocks if b.number]
    numbers += [(ids.line_number(n), geometry.lnum_gap, page) for _, n, page in plan.line_numbers]
    for ident, gap, page in numbers:
        if page is not None and not is_recto(page, options):
            rules.append(f"#{ident} {{ left: {geometry.text + gap:.3f}pt; right: auto; text-align: left; }}")
    return "\n".join(rules)
