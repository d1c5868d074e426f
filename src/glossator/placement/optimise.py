"""Page breaks and note places, chosen for the whole article at once.

The article's flow is a list of units (each paragraph line, each other block
whole; see paginate.py), measured once. A page is a run of units. On a page,
each note whose call is there goes in the outside margin, level with its call's
line (pushed down past the note above, up from the page's foot, as stack.py
does); the notes the margin cannot hold go to the page's foot, under the text
column, which then ends higher. A page is feasible if its text and its foot fit
the page area.

Every feasible page has a cost (the weights below), and the pages are chosen by
dynamic programming over the places a page may start, as Knuth and Plass break
lines and as Plass (1981) and Mittelbach (2016) break pages with floats: the
cheapest way to set the article from unit i onwards is the cheapest first page
from i plus the cheapest way to set the rest. Each start is solved once, and a
page spans a bounded number of units, so the work grows linearly with the
article's length.

Pure arithmetic: no WeasyPrint. All lengths are CSS px, page-relative.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from .paginate import EPSILON, Unit, flow_top
from .stack import stack

# --- the weights: what each imperfection costs, in one currency -------------------------
# White space left on a page (the text column and its foot together), as a share of
# the page area, squared: 10% empty costs 1 (one note at the foot), 20% costs 4, 30% costs 9.
# The article's last page is exempt: it ends where the article ends.
WHITE = 100.0
# A note at the foot of its page rather than beside its line.
FOOT = 1.0
# A margin note set away from its call's line, per line of distance (pushed down by the
# note above, or up from the foot of the page).
DRIFT = 0.02
# Each page: of two layouts equally good otherwise, the shorter one.
PAGE = 0.5
# A page that breaks inside a paragraph rather than between two: a slight preference
# for the reader, who turns the page at a paragraph's end.
SPLIT = 0.1
# The pages to try for each start: a page is rarely best when its text column is under
# this share of the area, so shorter ones are tried only if no fuller one is feasible.
SHORTEST_TRIED = 0.5


@dataclass(frozen=True)
class NoteBox:
    """A note to place: the unit holding its call's line, and its height in each place."""
    number: int
    unit: int
    offset: float  # the call line's top below its unit's top (0 for a paragraph line)
    margin: float  # height set in the margin column, px
    foot: float  # height set at the foot, across the text column, px


@dataclass(frozen=True)
class Area:
    """The page area and the spacing the stylesheet gives notes, px."""
    top: float
    bottom: float
    gap: float  # between two notes
    foot_rule: float  # above the foot's first note: its rule and the space around it
    line: float  # a line of text, the unit of a note's drift

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(frozen=True)
class Spot:
    """Where one note is set: on which page, its top, and in the margin or at the foot."""
    number: int
    page: int
    top: float
    height: float
    where: str  # "margin" or "foot"


@dataclass(frozen=True)
class Page:
    start: int  # the first unit on the page
    end: int  # one past the last
    spots: tuple[Spot, ...]
    cost: float
    fill: float  # the share of the page area used by text and foot notes


def paginate(units: list[Unit], notes: list[NoteBox], area: Area) -> tuple[Page, ...] | None:
    """The cheapest pages for the whole flow, or None if no page can hold some note."""
    by_unit: dict[int, list[NoteBox]] = {}
    for note in notes:
        by_unit.setdefault(note.unit, []).append(note)
    n = len(units)
    allowed = [may_start_page(units, i) for i in range(n)] + [True]
    best: dict[int, tuple[float, Page | None]] = {n: (0.0, None)}
    for start in reversed(range(n)):
        if allowed[start]:
            best[start] = best_first_page(units, allowed, by_unit, area, start, best)
    if best[0][0] == math.inf:
        return None
    pages, at = [], 0
    while at < n:
        page = best[at][1]
        pages.append(page)
        at = page.end
    return tuple(renumbered(page, index) for index, page in enumerate(pages))


def best_first_page(units, allowed, by_unit, area: Area, start: int, best: dict) -> tuple[float, Page | None]:
    """(the cost of the rest of the flow, the first page) for the cheapest way to set the
    flow from `start` on. Pages whose text fills less than SHORTEST_TRIED of the area are
    tried only when no fuller one is feasible."""
    ends = [e for e in page_ends(units, allowed, by_unit, area, start) if best[e[0]][0] < math.inf]
    shortest = area.top + area.height * SHORTEST_TRIED
    fuller = [e for e in ends if e[2] >= shortest or e[0] == len(units)]
    for tried in (fuller, [e for e in ends if e not in fuller]):
        found = []
        for end, tops, bottom, notes in tried:
            page = lay_page(units, area, start, end, notes, bottom)
            if page is not None:
                found.append((page.cost + best[end][0], page))
        if found:
            return min(found, key=lambda c: (c[0], -c[1].end))
    return math.inf, None


def page_ends(units: list[Unit], allowed: list[bool], by_unit: dict, area: Area, start: int):
    """(end, the units' tops, the text's bottom, the notes called with their call line's
    top) for each place the page starting at `start` may end: the text fits the area,
    and the next page may start there. A unit taller than the whole area (a huge block)
    is given a page of its own."""
    tops: dict[int, float] = {}
    notes: list[tuple[NoteBox, float]] = []
    y = flow_top(units, area.top) if start == 0 else area.top
    for end in range(start + 1, len(units) + 1):
        unit = units[end - 1]
        y += unit.gap if end - 1 > start else 0.0
        tops[end - 1] = y
        notes.extend((note, y + note.offset) for note in by_unit.get(end - 1, ()))
        y += unit.height
        if y > area.bottom + EPSILON and end - 1 > start:
            return
        if allowed[end]:
            yield end, tops, y, list(notes)


def may_start_page(units: list[Unit], i: int) -> bool:
    """A page may start at a block's first unit, or at a clean line (one that begins a
    word) with two lines of its paragraph before it and two from it on (no orphan, no
    widow, no hyphenated word split across a page turn). Never right after a heading."""
    if i == 0:
        return True
    unit, before = units[i], units[i - 1]
    if before.block.startswith("section") and before.line is None:
        return False  # a heading stays with what it heads
    if unit.line is None or unit.part_start:
        return True
    if not unit.clean or unit.line < 2:
        return False
    return i + 1 < len(units) and units[i + 1].block == unit.block and not units[i + 1].part_start


def lay_page(units: list[Unit], area: Area, start: int, end: int, notes: list, bottom: float) -> Page | None:
    """Units start..end-1 on one page with their notes, or None if the notes do not fit.
    `notes`: (note, its call line's top) for the notes called on the page; `bottom`: the
    text's bottom."""
    options = [spots_for(notes, area, bottom, split) for split in margin_splits(notes, area)]
    options = [o for o in options if o is not None]
    if not options:
        return None
    spots, used = min(options, key=lambda o: spot_cost(o[0], notes, area))
    fill = min(1.0, used / area.height)
    last = end == len(units)
    cost = PAGE + spot_cost(spots, notes, area) + (0.0 if last else WHITE * (1.0 - fill) ** 2)
    if not last and units[end].line not in (None, 0):
        cost += SPLIT
    return Page(start, end, spots, cost, fill)


def margin_splits(notes, area: Area) -> list[tuple[list, list]]:
    """Ways to divide a page's notes between margin and foot, each with as many in the
    margin as fit: all of them; else keeping the first ones (those further down the page
    are nearer the foot anyway); else moving the tallest ones out."""
    if fits_margin(notes, area):
        return [(notes, [])]
    ways = []
    for keep in range(len(notes) - 1, -1, -1):
        if fits_margin(notes[:keep], area):
            ways.append((notes[:keep], notes[keep:]))
            break
    tallest = sorted(notes, key=lambda n: -n[0].margin)
    for count in range(1, len(notes) + 1):
        out = {id(n) for n in tallest[:count]}
        kept = [n for n in notes if id(n) not in out]
        if fits_margin(kept, area):
            ways.append((kept, [n for n in notes if id(n) in out]))
            break
    return ways


def fits_margin(notes, area: Area) -> bool:
    return margin_tops(notes, area) is not None


def margin_tops(notes, area: Area) -> list[float] | None:
    return stack([(top, note.margin) for note, top in notes], area.top, area.bottom, area.gap)


def spots_for(notes, area: Area, text_bottom: float, split) -> tuple[tuple[Spot, ...], float] | None:
    """(the page's note spots, the height its text and foot use), or None if the foot does
    not fit under the text."""
    margin, foot = split
    tops = margin_tops(margin, area) or []
    spots = [Spot(note.number, 0, top, note.margin, "margin") for (note, _), top in zip(margin, tops)]
    used = text_bottom - area.top
    if foot:
        need = area.foot_rule + sum(note.foot for note, _ in foot) + area.gap * (len(foot) - 1)
        if text_bottom + need > area.bottom + EPSILON:
            return None
        y = area.bottom - need + area.foot_rule
        for note, _ in foot:
            spots.append(Spot(note.number, 0, y, note.foot, "foot"))
            y += note.foot + area.gap
        used += need
    return tuple(sorted(spots, key=lambda s: s.number)), used


def spot_cost(spots: tuple[Spot, ...], notes, area: Area) -> float:
    wanted = {note.number: top for note, top in notes}
    cost = 0.0
    for spot in spots:
        if spot.where == "foot":
            cost += FOOT
        else:
            cost += DRIFT * abs(spot.top - wanted[spot.number]) / area.line
    return cost


def renumbered(page: Page, index: int) -> Page:
    return Page(page.start, page.end, tuple(Spot(s.number, index, s.top, s.height, s.where) for s in page.spots),
                page.cost, page.fill)
