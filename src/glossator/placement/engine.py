"""The placement engine's front: from one measured layout to a Plan, and the check that
the layout made from the Plan is the one it expected.

Pure Python over measurements: render.py lays out and measures (through the
adapter, measure.py), this module decides.
"""
from __future__ import annotations

from .. import ids
from ..model import PX_PER_PT, Edition, Geometry, Options
from .model import Measured
from .optimise import Area, NoteBox, paginate
from .paginate import Predictor, carriers, units_of
from .plan import Plan, number_lines, page_breaks


def note_area(geometry: Geometry) -> Area:
    """The page area as the notes see it, px."""
    # A hair above the bottom: WeasyPrint splits an absolute box whose bottom passes the
    # page area's edge by a rounding error, carrying its last line to the next page.
    bottom = (geometry.height - geometry.bottom) * PX_PER_PT - 1.0
    return Area(geometry.top * PX_PER_PT, bottom, geometry.note_gap * PX_PER_PT,
                geometry.foot_rule * PX_PER_PT, geometry.leading * PX_PER_PT, geometry.note_from * PX_PER_PT)


def too_long(heights: dict[int, tuple[float, float]], area: Area) -> frozenset[int]:
    """Notes no page can hold: taller than the margin column, and at the foot taller than
    the page less its rule and two lines of text. They are set after the article."""
    room = area.height - area.foot_rule - 2 * area.line
    return frozenset(n for n, (margin, foot) in heights.items() if margin > area.height and foot > room)


def place(edition: Edition, geometry: Geometry, options: Options, measured: Measured,
          heights: dict[int, tuple[float, float]], long: frozenset[int]) -> tuple[Plan, Measured]:
    """(the Plan, the layout it predicts) for the whole article, from one measured layout.

    heights: note -> (height in the margin, height at the foot); for a note in `long`,
    the heights of the pointer left beside its line."""
    area = note_area(geometry)
    units = units_of(edition, measured)
    boxes = note_boxes(edition, measured, units, heights, long)
    pages = paginate(units, boxes, area, options.duplex)
    if pages is None:  # some page cannot hold its notes: the tallest goes after the article
        worst = max((b for b in boxes if b.number not in long), key=lambda b: b.foot, default=None)
        if worst is None:
            raise ValueError("no page can hold its notes")
        # Its pointer is not measured yet: a line stands in for it, and the caller, seeing
        # a longer `long`, measures the pointer and places again.
        heights = {**heights, worst.number: (area.line, area.line)}
        return place(edition, geometry, options, measured, heights, long | {worst.number})
    breaks = page_breaks(pages, units, edition, measured)
    expected = Predictor(edition, measured, (area.top, area.bottom)).predict(list(breaks))
    plan = Plan(breaks, tuple(spot for page in pages for spot in page.spots), long)
    if options.line_numbers:
        plan = Plan(plan.breaks, plan.spots, plan.long, number_lines(edition, expected))
    return plan, expected


def note_boxes(edition: Edition, measured: Measured, units, heights, long: frozenset[int]) -> list[NoteBox]:
    """Each note (or long note's pointer, which is never carried) with the unit holding its call's line."""
    index = {(u.block, u.line): i for i, u in enumerate(units)}
    carried = carriers(edition, measured)
    boxes = []
    for note in edition.notes:
        line = ids.line(note.number)
        unit = index[carried[line]]
        offset = measured.boxes[line][1] - units[unit].top
        margin, foot = heights[note.number]
        boxes.append(NoteBox(note.number, unit, offset, margin, foot, carry=note.number not in long))
    return boxes


def discrepancies(final: Measured, expected: Measured, plan: Plan, edition: Edition) -> list[str]:
    """Where the layout differs from what the notes were placed for (empty: nothing moved):
    every note on its call's page, or, carried, on the next."""
    found = []
    spots = {spot.number: spot for spot in plan.spots}
    for note in edition.notes:
        line, spot = ids.line(note.number), spots[note.number]
        element = plan.element(note.number)
        box = final.boxes.get(element)
        if final.page_of.get(line) != expected.page_of[line] or abs(final.boxes[line][1] - expected.boxes[line][1]) > 0.5:
            found.append(f"the call of note {note.number} moved")
        elif final.page_of[line] + spot.carried != spot.page:  # a carried note: on the next page, no further
            found.append(f"note {note.number} is not on its call's page" + (" or the next" if spot.carried else ""))
        elif final.page_of.get(element) != spot.page or box is None or abs(box[1] - spot.top) > 0.5:
            found.append(f"note {note.number} is not where it was placed")
        elif abs((box[3] - box[1]) - spot.height) > 0.5:
            found.append(f"note {note.number} was cut at the foot of its page")
    if page_refs(edition, final) != page_refs(edition, expected):
        found.append("a glossary or chronology page reference changed")
    return found


def page_at(measured: Measured, block_id: str, offset: int) -> int | None:
    """The 1-based page on which the character at `offset` of paragraph `block_id` was laid out."""
    lines = measured.lines.get(block_id, [])
    line = next((line for line in reversed(lines) if line.start <= offset), None)
    return line.page + 1 if line else None


def page_refs(edition: Edition, measured: Measured) -> tuple[dict, dict]:
    """term id -> [(page, paragraph id)], each page once, in order; event id -> page."""
    terms = {}
    for term in edition.glossary:
        seen = {}
        for block_id, offset in term.occurrences:
            page = page_at(measured, block_id, offset)
            if page is not None:
                seen.setdefault(page, block_id)
        terms[term.id] = sorted(seen.items())
    events = {e.id: page_at(measured, *e.place) for e in edition.chronology if e.place}
    return terms, {k: v for k, v in events.items() if v is not None}
