"""Predict where the article's lines fall after new page breaks, without laying it out again.

A layout is expensive (WeasyPrint takes about 0.1 s a page); placing notes needs
one layout per page break if each break is tried for real. But a new page break
only moves lines: the lines themselves stay as they are. So from one measured
layout Glossator takes the flow as a list of units (each paragraph line; each
pull quote, heading, title block and back matter whole), with their heights and
the space above them, and pours them onto pages again with the new breaks:
orphans and widows of two lines, margins dropped at the top of a page, whole
blocks kept whole. From the prediction it reads off where every call and line
would be, as if measured (`Measured`), so the placement pass can decide every
break in one go. The next real layout checks the prediction; where it was wrong,
the pass simply goes round again from what was really measured.
"""
from __future__ import annotations

import bisect
from collections.abc import Mapping
from dataclasses import dataclass, replace

from .. import ids
from ..model import Edition
from .model import Line, Measured

EPSILON = 0.5  # px


@dataclass(frozen=True)
class Unit:
    block: str  # block id
    line: int | None  # index into measured.lines[block], or None for a whole block
    page: int  # where it was measured
    top: float
    height: float
    gap: float  # space above it when it follows another unit on its page
    part_start: bool  # first line of a paragraph, or a whole block (a forced break starts a part too)
    clean: bool = True  # the unit begins a word (not the rest of one hyphenated across lines)


class Predictor:
    """Predictions from one measured layout. The flow's units and what rides on each are
    worked out once; each prediction pours the units again with its own page breaks.
    (The placement pass predicts once per page break it adds: done from scratch each
    time, a long edition's prediction cost would grow with the square of its length.)"""

    def __init__(self, edition: Edition, measured: Measured, area: tuple[float, float]):
        self.measured, self.area = measured, area
        self.units = units_of(edition, measured)
        self.index = {(u.block, u.line): i for i, u in enumerate(self.units)}
        self.carried = carriers(edition, measured)
        self.starts = {block_id: [line.start for line in lines] for block_id, lines in measured.lines.items()}

    def predict(self, forced_ids: list[str]) -> Measured:
        """The layout as it would be measured with page breaks at forced_ids (block ids, or
        word ids where a paragraph is split)."""
        spots = pour(self.units, self.forced(forced_ids), *self.area)
        return moved_measurement(self.measured, self.units, spots, self.carried)

    def forced(self, forced_ids: list[str]) -> set[int]:
        """The units that start a page: a block's first, or the line a split starts."""
        out = set()
        for ident in forced_ids:
            if ids.is_word(ident):  # a word: its paragraph is split there
                block_id, offset = ids.word_place(ident)
                unit = self.index.get((block_id, forced_line(self.starts.get(block_id, []), offset)))
            else:
                unit = self.index.get((ident, None), self.index.get((ident, 0)))
            if unit is not None:
                out.add(unit)
        return out


def forced_line(starts: list[int], offset: int) -> int | None:
    """The line a split at `offset` starts: the line beginning at that word, or, for a word
    broken across two lines, the next one (plan.line_cut moves such a word whole)."""
    index = bisect.bisect_left(starts, offset)
    return index if 1 <= index < len(starts) else None


def units_of(edition: Edition, measured: Measured) -> list[Unit]:
    """The article's flow as measured, in reading order: each paragraph line, and each other
    block whole."""
    units: list[Unit] = []
    for ident in (ids.TITLE_BLOCK, *(b.id for b in edition.blocks), ids.BACK_MATTER):
        lines = measured.lines.get(ident)
        if lines:
            for i, line in enumerate(lines):
                units.append(Unit(ident, i, line.page, line.top, line.bottom - line.top, 0.0, i == 0, line.clean))
        elif ident in measured.boxes:
            x1, y1, x2, y2 = measured.boxes[ident]
            units.append(Unit(ident, None, measured.page_of[ident], y1, y2 - y1, 0.0, True))
    return with_gaps(units, measured.margins)


def with_gaps(units: list[Unit], margins: Mapping[str, tuple[float, float]]) -> list[Unit]:
    """The space above each unit, as measured where it follows another on the same page.
    A unit measured at a page's top (its margin was dropped there) gets the space seen
    between the same two kinds of unit elsewhere, or else, if it starts a block, the two
    blocks' margins collapsed (CSS: the larger one), or else none."""
    seen: dict[tuple[str, str], float] = {}
    at_top = []
    out = []
    for before, unit in zip([None, *units[:-1]], units):
        if before is not None and before.page == unit.page:
            gap = max(0.0, unit.top - (before.top + before.height))
            seen.setdefault((_kind(before), _kind(unit)), gap)
            out.append(replace(unit, gap=gap))
        else:
            at_top.append(len(out))
            out.append(unit)
    for i in at_top:
        if i > 0:
            between = collapsed(margins, out[i - 1].block, out[i].block) if out[i].part_start else 0.0
            out[i] = replace(out[i], gap=seen.get((_kind(out[i - 1]), _kind(out[i])), between))
    return out


def collapsed(margins: Mapping[str, tuple[float, float]], above: str, below: str) -> float:
    """The space between two adjoining blocks: the bottom margin of the one above and the
    top margin of the one below collapse into the larger (CSS 2, 8.3.1; negative ones add)."""
    pair = (margins.get(above, (0.0, 0.0))[1], margins.get(below, (0.0, 0.0))[0])
    return max(0.0, *pair) + min(0.0, *pair)


def _kind(unit: Unit) -> str:
    if unit.line is None:
        return unit.block.split("-")[0]  # title, pullquote, heading, about
    return "first line" if unit.line == 0 else "line"


def pour(units: list[Unit], forced: set[int], area_top: float, area_bottom: float) -> list[tuple[int, float]]:
    """(page, top) for every unit, flowing them onto pages: a unit in `forced` starts a page;
    a paragraph keeps two lines on either side of a break; blocks stay whole."""
    placed: list[tuple[int, float]] = []
    page, y, i = 0, flow_top(units, area_top), 0
    first_on_page = True
    while i < len(units):
        unit = units[i]
        if i in forced and not first_on_page:
            page, y, first_on_page = page + 1, area_top, True
        gap = 0.0 if first_on_page else unit.gap
        if y + gap + unit.height > area_bottom + EPSILON and not first_on_page:
            back = lines_to_carry(units, forced, placed, i, page)
            del placed[i - back:]
            i -= back
            page, y, first_on_page = page + 1, area_top, True
            continue
        placed.append((page, y + gap))
        y += gap + unit.height
        first_on_page = False
        i += 1
    return placed


def flow_top(units: list[Unit], area_top: float) -> float:
    """Where the flow starts on its first page: as measured (whatever stands above the
    title block, an edition's stylesheet may have put there), never above the area."""
    return max(area_top, units[0].top) if units and units[0].page == 0 else area_top


def lines_to_carry(units: list[Unit], forced: set[int], placed, i: int, page: int) -> int:
    """How many already placed lines must go to the next page with unit i (orphans, widows)."""
    unit = units[i]
    starts_part = lambda j: units[j].part_start or j in forced
    if unit.line is None or starts_part(i):
        return 0
    start = i
    while not starts_part(start):
        start -= 1
    end = i
    while end + 1 < len(units) and units[end + 1].block == unit.block and not starts_part(end + 1):
        end += 1
    on_page = sum(1 for j in range(start, i) if placed[j][0] == page)
    after = end - i + 1
    carry = max(0, 2 - after)  # widows: two lines must start the next page
    if on_page - carry < 2:  # orphans: fewer than two would stay behind
        carry = on_page
    return carry


def moved_measurement(measured: Measured, units: list[Unit], spots, carried: dict) -> Measured:
    """Shift every measured box and line with the unit that carries it. The lines of a
    paragraph are worked out when they are asked for: a prediction is read at a few places."""
    shift: dict[tuple[str, int | None], tuple[int, float]] = {}
    for unit, (page, top) in zip(units, spots):
        shift[(unit.block, unit.line)] = (page, top - unit.top)
    page_of, boxes = dict(measured.page_of), dict(measured.boxes)
    for ident, carrier in carried.items():
        if carrier in shift:
            page, dy = shift[carrier]
            x1, y1, x2, y2 = measured.boxes[ident]
            page_of[ident], boxes[ident] = page, (x1, y1 + dy, x2, y2 + dy)
    pages = max((p for p, _ in spots), default=0) + 1
    return Measured(page_of, boxes, pages, ShiftedLines(measured.lines, shift), measured.margins)


class ShiftedLines(Mapping):
    """paragraph id -> its lines, each moved with its unit (see moved_measurement)."""

    def __init__(self, lines: dict, shift: dict):
        self.lines, self.shift, self.done = lines, shift, {}

    def __getitem__(self, block_id: str) -> list[Line]:
        if block_id not in self.done:
            self.done[block_id] = [self.moved(block_id, i, line) for i, line in enumerate(self.lines[block_id])]
        return self.done[block_id]

    def moved(self, block_id: str, i: int, line: Line) -> Line:
        if (block_id, i) not in self.shift:
            return line
        page, dy = self.shift[(block_id, i)]
        return replace(line, page=page, top=line.top + dy, bottom=line.bottom + dy)

    def __iter__(self):
        return iter(self.lines)

    def __len__(self) -> int:
        return len(self.lines)


def carriers(edition: Edition, measured: Measured) -> dict[str, tuple[str, int | None]]:
    """The unit each placement-relevant element rides with: calls and their line markers
    with the line they are on, paragraphs and their numbers with their first line."""
    out = {}
    for block in edition.blocks:
        lines = measured.lines.get(block.id)
        if not lines:
            out[block.id] = (block.id, None)
            continue
        out[block.id] = out[ids.paragraph_number(block.number)] = (block.id, 0)
        for piece in block.pieces:
            call = ids.call(piece.number) if piece.kind == "call" else None
            if call in measured.boxes:
                out[call] = out[ids.line(piece.number)] = (block.id, line_holding(lines, measured, call))
    return {k: v for k, v in out.items() if k in measured.boxes}


def line_holding(lines: list[Line], measured: Measured, ident: str) -> int:
    page, top = measured.page_of[ident], measured.boxes[ident][1]
    return max((i for i, line in enumerate(lines) if line.page == page and line.top <= top + EPSILON), default=0)
