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

from dataclasses import dataclass, replace

from .lines import Line, Measured
from .model import Edition

EPSILON = 0.5  # px


@dataclass(frozen=True)
class Unit:
    block: str  # block id
    line: int | None  # index into measured.lines[block], or None for a whole block
    page: int  # where it was measured
    top: float
    height: float
    gap: float  # space above it when it follows another unit on its page
    part_start: bool  # first line of a paragraph or of a part split off it


def units_of(edition: Edition, measured: Measured, forced_ids: list[str]) -> list[Unit]:
    """The article's flow as measured, in reading order. A paragraph's lines form one part
    for orphans and widows, unless a page break is forced inside it."""
    units: list[Unit] = []
    ids = ["title-block", *(b.id for b in edition.blocks), "about"]
    for ident in ids:
        lines = measured.lines.get(ident)
        if lines:
            for i, line in enumerate(lines):
                part_start = i == 0 or forced_in_line(ident, i, measured, forced_ids)
                units.append(Unit(ident, i, line.page, line.top, line.bottom - line.top, 0.0, part_start))
        elif ident in measured.boxes:
            x1, y1, x2, y2 = measured.boxes[ident]
            units.append(Unit(ident, None, measured.page_of[ident], y1, y2 - y1, 0.0, True))
    return with_gaps(units)


def with_gaps(units: list[Unit]) -> list[Unit]:
    """The space above each unit, as measured where it follows another on the same page.
    A unit measured at a page's top (its margin was dropped there) gets the space seen
    between the same two kinds of unit elsewhere, or none."""
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
            out[i] = replace(out[i], gap=seen.get((_kind(out[i - 1]), _kind(out[i])), 0.0))
    return out


def _kind(unit: Unit) -> str:
    if unit.line is None:
        return unit.block.split("-")[0]  # title, pullquote, section, about
    return "first line" if unit.line == 0 else "line"


def pour(units: list[Unit], forced: set[int], area_top: float, area_bottom: float) -> list[tuple[int, float]]:
    """(page, top) for every unit, flowing them onto pages: a unit in `forced` starts a page;
    a paragraph keeps two lines on either side of a break; blocks stay whole."""
    placed: list[tuple[int, float]] = []
    page, y, i = 0, area_top, 0
    first_on_page = True
    while i < len(units):
        unit = units[i]
        if i in forced and not first_on_page:
            page, y, first_on_page = page + 1, area_top, True
        gap = 0.0 if first_on_page else unit.gap
        if y + gap + unit.height > area_bottom + EPSILON and not first_on_page:
            back = lines_to_carry(units, placed, i, page)
            del placed[i - back:]
            i -= back
            page, y, first_on_page = page + 1, area_top, True
            continue
        placed.append((page, y + gap))
        y += gap + unit.height
        first_on_page = False
        i += 1
    return placed


def lines_to_carry(units: list[Unit], placed, i: int, page: int) -> int:
    """How many already placed lines must go to the next page with unit i (orphans, widows)."""
    unit = units[i]
    if unit.line is None or unit.part_start:
        return 0
    start = i
    while not units[start].part_start:
        start -= 1
    end = i
    while end + 1 < len(units) and units[end + 1].block == unit.block and not units[end + 1].part_start:
        end += 1
    on_page = sum(1 for j in range(start, i) if placed[j][0] == page)
    after = end - i + 1
    carry = max(0, 2 - after)  # widows: two lines must start the next page
    if on_page - carry < 2:  # orphans: fewer than two would stay behind
        carry = on_page
    return carry


def predict(edition: Edition, measured: Measured, forced_ids: list[str], area: tuple[float, float]) -> Measured:
    """The layout as it would be measured with page breaks at forced_ids (block ids, or
    word ids where a paragraph is split)."""
    units = units_of(edition, measured, forced_ids)
    forced = {i for i, u in enumerate(units)
              if (u.block in forced_ids and u.line in (None, 0))
              or (u.line is not None and forced_in_line(u.block, u.line, measured, forced_ids))}
    spots = pour(units, forced, *area)
    return moved_measurement(edition, measured, units, spots)


def forced_in_line(block_id: str, index: int, measured: Measured, forced_ids: list[str]) -> bool:
    """Does a split of the paragraph start this line? A split at a line's first word starts
    that line; a split at a word broken across two lines keeps the line it begins on and
    starts the next (plan.line_cut moves such a word whole)."""
    if index == 0:
        return False
    lines = measured.lines[block_id]
    before, start = lines[index - 1].start, lines[index].start
    prefix = f"w{block_id[1:]}-"
    return any(w.startswith(prefix) and before < int(w[len(prefix):]) <= start for w in forced_ids)


def moved_measurement(edition: Edition, measured: Measured, units: list[Unit], spots) -> Measured:
    """Shift every measured box and line with the unit that carries it."""
    shift: dict[tuple[str, int | None], tuple[int, float]] = {}
    for unit, (page, top) in zip(units, spots):
        shift[(unit.block, unit.line)] = (page, top - unit.top)
    lines = {}
    for block_id, measured_lines in measured.lines.items():
        lines[block_id] = [replace(line, page=shift[(block_id, i)][0], top=line.top + shift[(block_id, i)][1],
                                   bottom=line.bottom + shift[(block_id, i)][1])
                           if (block_id, i) in shift else line for i, line in enumerate(measured_lines)]
    page_of, boxes = dict(measured.page_of), dict(measured.boxes)
    for ident, carrier in carriers(edition, measured).items():
        if carrier in shift:
            page, dy = shift[carrier]
            x1, y1, x2, y2 = measured.boxes[ident]
            page_of[ident], boxes[ident] = page, (x1, y1 + dy, x2, y2 + dy)
    pages = max((p for p, _ in spots), default=0) + 1
    return Measured(page_of, boxes, pages, lines)


def carriers(edition: Edition, measured: Measured) -> dict[str, tuple[str, int | None]]:
    """The unit each placement-relevant element rides with: calls and their line markers
    with the line they are on, paragraphs and their numbers with their first line."""
    out = {}
    for block in edition.blocks:
        lines = measured.lines.get(block.id)
        if not lines:
            out[block.id] = (block.id, None)
            continue
        out[block.id] = out[f"pnum-{block.number}"] = (block.id, 0)
        for piece in block.pieces:
            if piece.kind == "call" and f"call-{piece.number}" in measured.boxes:
                index = line_holding(lines, measured, f"call-{piece.number}")
                out[f"call-{piece.number}"] = out[f"line-{piece.number}"] = (block.id, index)
    return {k: v for k, v in out.items() if k in measured.boxes}


def line_holding(lines: list[Line], measured: Measured, ident: str) -> int:
    page, top = measured.page_of[ident], measured.boxes[ident][1]
    return max((i for i, line in enumerate(lines) if line.page == page and line.top <= top + EPSILON), default=0)
