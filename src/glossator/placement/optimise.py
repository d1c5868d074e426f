"""Page breaks and note places, chosen for the whole article at once.

The article's flow is a list of units (each paragraph line, each other block
whole; see paginate.py), measured once. A page is a run of units. On a page,
each note whose call is there goes in the outside margin, level with its call's
line (pushed down past the note above, up from the page's foot, as stack.py
does); the notes the margin cannot hold go to the page's foot, under the text
column, which then ends higher. Where that would leave the page short, a page's
last notes (at most MOST_AT_ONCE) may be carried to the next page, at the top of
its outside margin before its own notes, headed "from p. N" (or at its foot, if
its margin is full). A page is feasible if its text and its foot fit the page area.

Every feasible page has a cost (the weights below), and the pages are chosen by
dynamic programming over the places a page may start, as Knuth and Plass break
lines and as Plass (1981) and Mittelbach (2016) break pages with floats. A state
is a place a page may start, with how many notes the page before carries into it
(0 to MOST_AT_ONCE) and, in duplex, whether it is a right- or a left-hand page
(a note carried from a left page to the facing right one stays in view; one
carried over a page turn does not, and costs more). The states are solved in
reading order, each from the cheapest way to reach it: the cheapest way to set
the article up to a page start, plus the page from there. Each (start, notes
carried in) is laid out once whatever the page's side, a page spans a bounded
number of units, and notes are carried only off a page that cannot hold them
all in its margin: the work grows linearly with the article's length.

Pure arithmetic: no WeasyPrint. All lengths are CSS px, page-relative.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

from .. import ids
from .paginate import EPSILON, Unit, flow_top
from .stack import stack

# --- the weights: what each imperfection costs, in one currency -------------------------
# White space left on a page (the text column and its foot together), as a share of
# the page area, squared: 10% empty costs 1 (one note at the foot), 20% costs 4, 30% costs 9.
# The article's last page is exempt: it ends where the article ends. That is the page with
# the article's last line, whether the back matter (bio and credits) follows on it or not:
# charged for its white space, it would draw lines off the full pages before it.
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
# A note carried to the next page's margin (headed "from p. N") because its own page
# cannot hold it without breaking early (a page 11% short costs 1.2): over to the facing
# page (duplex: from a left page to the right one), still in view. A little more than a
# note at its own page's foot: it has left its call's page.
CARRY = 1.1
# A note carried over a page turn (duplex: from a right page to the next left one; every
# carry in simplex): the reader turns the page to read it. Still less than a page left
# 12% short (1.44): a page breaks early only where nothing else works.
CARRY_TURN = 1.3
# At most this share of the notes is carried off its call's page (the rest stand on it):
# where the cheapest pages would carry more, every carry is made dearer by these steps in
# turn, and in the end none is carried.
MOST_CARRIED = 0.1
CARRY_EXTRA = (0.0, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 2.0, 4.0)
# The most notes one page carries to the next (its last ones): each state of the
# dynamic programming is a page start and how many notes it receives, 0 to this.
MOST_AT_ONCE = 2


@dataclass(frozen=True)
class NoteBox:
    """A note to place: the unit holding its call's line, and its height in each place."""
    number: int
    unit: int
    offset: float  # the call line's top below its unit's top (0 for a paragraph line)
    margin: float  # height set in the margin column, px
    foot: float  # height set at the foot, across the text column, px
    carry: bool = True  # may be carried to the next page (a long note's pointer stays by its call)


@dataclass(frozen=True)
class Area:
    """The page area and the spacing the stylesheet gives notes, px."""
    top: float
    bottom: float
    gap: float  # between two notes
    foot_rule: float  # above the foot's first note: its rule and the space around it
    line: float  # a line of text, the unit of a note's drift
    head: float = 0.0  # the heading over a carried note ("from p. N"), added to its height

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
    carried: bool = False  # set on the page after its call's, headed "from p. N"


@dataclass(frozen=True)
class Page:
    start: int  # the first unit on the page
    end: int  # one past the last
    spots: tuple[Spot, ...]
    cost: float
    fill: float  # the share of the page area used by text and foot notes
    carried: int = 0  # how many of its last notes are set on the next page



class Wanted(NamedTuple):
    """A note as one page sets it: where it wants its top, its heights, whether carried in."""
    number: int
    top: float
    margin: float
    foot: float
    carried: bool


@dataclass(frozen=True)
class Option:
    """One way to set a page's notes: their spots (page 0), the height the foot takes
    (0 without one), and what the notes' places cost."""
    spots: tuple[Spot, ...]
    need: float
    cost: float


def paginate(units: list[Unit], notes: list[NoteBox], area: Area, duplex: bool = True) -> tuple[Page, ...] | None:
    """The cheapest pages for the whole flow, or None if no page can hold some note.
    No more than MOST_CARRIED of the notes are carried to the next page: where the
    cheapest pages would carry more, carrying is made dearer (CARRY_EXTRA) until they do not."""
    flow = Flow(units, notes, area)
    budget = int(MOST_CARRIED * len(notes))
    for extra in CARRY_EXTRA if budget else ():
        pages = flow.cheapest(duplex, MOST_AT_ONCE, extra)
        if pages is None or sum(page.carried for page in pages) <= budget:
            return pages
    return flow.cheapest(duplex, 0, 0.0)


def carry_cost(count: int, side: int, duplex: bool, extra: float) -> float:
    """What carrying `count` notes off a page costs: side 0 is a right-hand page (duplex),
    whose next page is over the turn; a left-hand page's next page faces it."""
    if not count:
        return 0.0
    return count * ((CARRY if duplex and side == 1 else CARRY_TURN) + extra)


class Flow:
    """The flow, its notes and the page area, with what every page start needs worked out once."""

    def __init__(self, units: list[Unit], notes: list[NoteBox], area: Area):
        self.units, self.area, self.n = units, area, len(units)
        # One past the article's last unit: a page ending there or later is its last page.
        self.article_end = next((i + 1 for i in range(self.n - 1, -1, -1) if units[i].block != ids.BACK_MATTER), self.n)
        self.allowed = [may_start_page(units, i) for i in range(self.n)] + [True]
        self.by_unit: dict[int, list[NoteBox]] = {}
        for note in notes:
            self.by_unit.setdefault(note.unit, []).append(note)
        self.order = sorted(notes, key=lambda note: (note.unit, note.number))  # the calls' order
        self.kept = {note.number for note in notes if not note.carry}
        self.before = [0] * (self.n + 1)  # how many notes are called before each unit
        for note in self.order:
            self.before[note.unit + 1] += 1
        for i in range(self.n):
            self.before[i + 1] += self.before[i]

    def cheapest(self, duplex: bool, most: int, extra: float) -> tuple[Page, ...] | None:
        """Dynamic programming over states (page start, notes carried into it, side), in
        reading order: each state keeps its cheapest cost, the state before it and the page
        between them."""
        sides = (0, 1) if duplex else (0,)
        best: dict[tuple[int, int, int], tuple[float, tuple | None, Page | None]] = {(0, 0, 0): (0.0, None, None)}
        for start in range(self.n):
            here = self.undominated(best, start, most, sides)
            for c_in in sorted({c for c, _ in here}):
                for page in self.pages_from(start, c_in, most):
                    for side in sides:
                        if (c_in, side) not in here:
                            continue
                        cost = here[(c_in, side)][0] + page.cost + carry_cost(page.carried, side, duplex, extra)
                        key = (page.end, page.carried, 1 - side if duplex else 0)
                        if key not in best or cost < best[key][0]:
                            best[key] = (cost, (start, c_in, side), page)
        finals = [(best[(self.n, 0, side)][0], (self.n, 0, side)) for side in sides if (self.n, 0, side) in best]
        if not finals:
            return None
        state, pages = min(finals)[1], []
        while best[state][1] is not None:
            pages.append(best[state][2])
            state = best[state][1]
        return tuple(renumbered(page, index) for index, page in enumerate(reversed(pages)))

    @staticmethod
    def undominated(best: dict, start: int, most: int, sides) -> dict:
        """The states at `start` worth going on from, (notes carried in, side) -> what
        `best` holds: a state is left aside if one receiving fewer notes, on the same
        side, costs no more (a page given more notes to hold is never cheaper)."""
        here = {}
        for side in sides:
            cheapest = math.inf
            for c in range(most + 1):
                state = best.get((start, c, side))
                if state is not None and state[0] < cheapest:
                    here[(c, side)], cheapest = state, state[0]
        return here

    def pages_from(self, start: int, c_in: int, most: int) -> list[Page]:
        """The feasible pages from `start` receiving the last c_in notes called before it,
        each carrying 0 to `most` of its own last notes on. Pages whose text fills less
        than SHORTEST_TRIED of the area are tried only when no fuller one is feasible."""
        carried = self.carried_into(start, c_in)
        if carried is None:
            return []
        own: list[Wanted] = []
        ends = list(self.page_ends(start, own))
        shortest = self.area.top + self.area.height * SHORTEST_TRIED
        options: dict[int, list[Option]] = {}  # by how many of the page's own notes it sets
        for tried in ([e for e in ends if e[1] >= shortest or e[0] >= self.article_end],
                      [e for e in ends if e[1] < shortest and e[0] < self.article_end]):
            found = []
            for end, bottom, count in tried:
                found += self.pages_ending(start, end, bottom, carried, own[:count], options, most)
            if found:
                return found
        return []

    def pages_ending(self, start, end, bottom, carried, own, options, most) -> list[Page]:
        """The page start..end-1 carrying 0, 1, ... of its last notes on, for as long as
        carrying one more could help: while the page is infeasible or has a foot."""
        found = []
        for out in range(min(most, len(own)) + 1):
            if out and (end == self.n or self.units[end].line is None or own[-out].number in self.kept):
                break  # the next page must begin with a paragraph's line (where the note is set); a pointer stays
            kept = len(own) - out
            if kept not in options:
                options[kept] = note_options(carried + own[:kept], self.area)
            page = self.lay_page(start, end, bottom, options[kept], out)
            if page is not None:
                found.append(page)
                if not any(spot.where == "foot" for spot in page.spots):
                    break
        return found

    def carried_into(self, start: int, count: int) -> list[Wanted] | None:
        """The last `count` notes called before `start`, as the page from `start` sets
        them: at the top of its margin, each with its heading (None if there are not that
        many, or the page does not begin with a paragraph's line, where they are set). The
        page before carries only notes called on it, so none goes further than the next page."""
        if not count:
            return []
        if start == 0 or self.units[start].line is None or self.before[start] < count:
            return None
        area = self.area
        notes = self.order[self.before[start] - count:self.before[start]]
        return [Wanted(note.number, area.top, note.margin + area.head, note.foot + area.head, True)
                for note in notes]

    def page_ends(self, start: int, own: list[Wanted]):
        """(end, the text's bottom, how many notes are called on the page) for each place
        the page starting at `start` may end: the text fits the area, and the next page
        may start there. `own` gathers the page's notes, in the order of their calls, with
        their call line's top. A unit taller than the whole area (a huge block) is given a
        page of its own."""
        units, area = self.units, self.area
        y = flow_top(units, area.top) if start == 0 else area.top
        for end in range(start + 1, self.n + 1):
            unit = units[end - 1]
            y += unit.gap if end - 1 > start else 0.0
            own.extend(Wanted(note.number, y + note.offset, note.margin, note.foot, False)
                       for note in self.by_unit.get(end - 1, ()))
            y += unit.height
            if y > area.bottom + EPSILON and end - 1 > start:
                return
            if self.allowed[end]:
                yield end, y, len(own)

    def lay_page(self, start: int, end: int, bottom: float, options: list[Option], out: int) -> Page | None:
        """Units start..end-1 on one page with the cheapest of its notes' options whose foot
        fits under the text (`bottom`), or None if none does."""
        area = self.area
        fitting = [o for o in options if bottom + o.need <= area.bottom + EPSILON]
        if not fitting:
            return None
        option = min(fitting, key=lambda o: o.cost)
        fill = min(1.0, (bottom - area.top + option.need) / area.height)
        last = end >= self.article_end
        cost = PAGE + option.cost + (0.0 if last else WHITE * (1.0 - fill) ** 2)
        if not last and self.units[end].line not in (None, 0):
            cost += SPLIT
        return Page(start, end, option.spots, cost, fill, out)


def may_start_page(units: list[Unit], i: int) -> bool:
    """A page may start at a block's first unit, or at a clean line (one that begins a
    word) with two lines of its paragraph before it and two from it on (no orphan, no
    widow, no hyphenated word split across a page turn). Never right after a heading."""
    if i == 0:
        return True
    unit, before = units[i], units[i - 1]
    if ids.is_heading(before.block) and before.line is None:
        return False  # a heading stays with what it heads
    if unit.line is None or unit.part_start:
        return True
    if not unit.clean or unit.line < 2:
        return False
    return i + 1 < len(units) and units[i + 1].block == unit.block and not units[i + 1].part_start


def note_options(notes: list[Wanted], area: Area) -> list[Option]:
    """The ways to set a page's notes, in the margin and at the foot (margin_splits)."""
    out = []
    for margin, foot in margin_splits(notes, area):
        tops = margin_tops(margin, area) or []
        spots = [Spot(n.number, 0, top, n.margin, "margin", n.carried) for n, top in zip(margin, tops)]
        cost = sum(DRIFT * abs(top - n.top) / area.line for n, top in zip(margin, tops)) + FOOT * len(foot)
        need = 0.0
        if foot:
            need = area.foot_rule + sum(n.foot for n in foot) + area.gap * (len(foot) - 1)
            y = area.bottom - need + area.foot_rule
            for n in foot:
                spots.append(Spot(n.number, 0, y, n.foot, "foot", n.carried))
                y += n.foot + area.gap
        out.append(Option(tuple(sorted(spots, key=lambda s: s.number)), need, cost))
    return out


def margin_splits(notes: list[Wanted], area: Area) -> list[tuple[list, list]]:
    """Ways to divide a page's notes between margin and foot, each with as many in the
    margin as fit: all of them; else keeping the first ones (those further down the page
    are nearer the foot anyway); else moving the tallest ones out. (Any part of notes that
    fit fits too, so the counts are found by halving.)"""
    if fits_margin(notes, area):
        return [(notes, [])]
    keep = most_that_fit(len(notes) - 1, lambda k: fits_margin(notes[:k], area))
    ways = [(notes[:keep], notes[keep:])]
    tallest = sorted(notes, key=lambda n: -n.margin)

    def without(count):
        out = set(tallest[:count])
        return [n for n in notes if n not in out], [n for n in notes if n in out]

    count = len(notes) - most_that_fit(len(notes) - 1, lambda k: fits_margin(without(len(notes) - k)[0], area))
    ways.append(without(count))
    return ways


def most_that_fit(most: int, fits) -> int:
    """The largest k in 0..most with fits(k), for a fits that holds up to some k and not after."""
    low, high = 0, most
    while low < high:
        middle = (low + high + 1) // 2
        if fits(middle):
            low = middle
        else:
            high = middle - 1
    return low


def fits_margin(notes: list[Wanted], area: Area) -> bool:
    return margin_tops(notes, area) is not None


def margin_tops(notes: list[Wanted], area: Area) -> list[float] | None:
    return stack([(note.top, note.margin) for note in notes], area.top, area.bottom, area.gap)


def renumbered(page: Page, index: int) -> Page:
    spots = tuple(Spot(s.number, index, s.top, s.height, s.where, s.carried) for s in page.spots)
    return Page(page.start, page.end, spots, page.cost, page.fill, page.carried)
