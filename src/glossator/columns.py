"""The glossary's columns: which entry starts each column and each page, decided here.

WeasyPrint 70 balances columns (`column-fill: balance`) by laying them out again and
again, raising their height a little each time until the content fits: on a long
glossary most of a build's time. Here the same decisions are made from each entry's
height, measured once at the column's width (render.Renderer.measure_glossary): a page
whose entries do not all fit fills its columns one after the other; on the page where
they do, the columns are balanced as WeasyPrint would balance them, by its own steps
(layout/column.py), so the pages look as they did. An entry is never split. The print
template then sets `column-fill: auto` and a `break-before: column` before each
column's first entry, and WeasyPrint lays the glossary out once.

Pure arithmetic in CSS px, no WeasyPrint: the tests run in milliseconds.
"""
from __future__ import annotations

from math import inf
from typing import Sequence

# WeasyPrint's own tolerances: a box overflows past bottom * (1 + 1e-9) (LayoutContext.
# overflows); balancing ignores a shortfall of 1 px or less and then grows by 1 px.
# A column is a formatting context of its own, so its last entry's bottom margin (`space`)
# must fit in it too: an entry fits where its bottom plus `space` is within the column.
FUDGE = 1e-9
LEAST_STEP = 1.0


def set_columns(heights: Sequence[float], space: float, first: float, full: float,
                count: int = 2, leads: Sequence[float] | None = None) -> list[list[range]] | None:
    """Entries by page and column: for each page, the range of entries each of its
    columns holds. `heights` are the entries' border boxes, `space` the margin between two
    entries, `first` the height the first page leaves below the section's heading, `full`
    a whole page's (all px); `leads` the height of each entry's first line (WeasyPrint
    grows balanced columns by what the next entry's first line lacks). None where WeasyPrint would have to split an entry (one
    taller than the first page leaves): then its own layout decides."""
    if not heights or max(heights) + space > min(first, full):
        return None
    pages, start, height = [], 0, first
    while start < len(heights):
        page = _page(heights, space, start, height, count, _leads(heights, space, leads))
        pages.append(page)
        start, height = page[-1].stop, full
    return pages


def _leads(heights, space, leads) -> list[float]:
    """How much of each entry WeasyPrint lays out to see what a column lacks (layout/column.py,
    `next_box_height`): its first line, on a page with no room (an entry of one line whole,
    with its margin)."""
    leads = heights if leads is None else leads
    return [h + space if lead >= h else lead for h, lead in zip(heights, leads)]


def _page(heights: Sequence[float], space: float, start: int, height: float, count: int,
          leads: list[float]) -> list[range]:
    """The columns of the page whose first entry is `start`, `height` px tall."""
    ends, bottoms = _columns(heights, space, start, height, count)
    if ends[-1] < len(heights):  # more than the page holds: its columns are full
        return _ranges(start, ends)
    goal = _balanced(heights, leads, space, start, height, sum(bottoms) / count, count)
    return _ranges(start, _columns(heights, space, start, goal, count)[0])


def _balanced(heights, leads, space, start, most, height, count) -> float:
    """The column height WeasyPrint settles on (layout/column.py, `balancing`): from the
    average of the columns' heights, grown by the least shortfall a column showed (its
    next entry's margin box less the column's room left after its last margin) until all
    entries fit; never past `most`."""
    while True:
        at, lost, done = start, inf, False
        for _ in range(count):
            end, bottom = _fill(heights, space, at, height)
            if end == at:  # not even one entry: WeasyPrint tries again, taller
                break
            if end < len(heights):
                shortfall = leads[end] - (height - bottom - space)
                if shortfall > LEAST_STEP:
                    lost = min(lost, shortfall)
            at = end
            if at == len(heights):
                done = True
                break
        if done:
            return height
        height += LEAST_STEP if lost == inf else lost
        if height > most:
            return most


def _columns(heights, space, start, height, count) -> tuple[list[int], list[float]]:
    """Fill up to `count` columns of `height` in turn, from entry `start`: where each ends
    (one past its last entry) and the bottom of its last entry. A column takes at least
    one entry (set_columns has made sure each fits)."""
    ends, bottoms, at = [], [], start
    for _ in range(count):
        end, bottom = _fill(heights, space, at, height)
        end, bottom = (at + 1, heights[at]) if end == at else (end, bottom)
        ends.append(end)
        bottoms.append(bottom)
        at = end
        if at == len(heights):
            break
    return ends, bottoms


def _fill(heights, space, start, height) -> tuple[int, float]:
    """One column of `height` from entry `start`: one past its last entry, and that entry's
    bottom (0 for none)."""
    end, bottom = start, 0.0
    while end < len(heights):
        top = bottom + space if end > start else 0.0
        if top + heights[end] + space > height * (1 + FUDGE):
            break
        bottom, end = top + heights[end], end + 1
    return end, bottom


def _ranges(start: int, ends: list[int]) -> list[range]:
    return [range(a, b) for a, b in zip([start, *ends[:-1]], ends)]


def column_starts(pages: list[list[range]]) -> list[int]:
    """The entries that open a column, but for the first: a `break-before: column` goes
    before each (after a page's last column, WeasyPrint goes on to the next page)."""
    return [column.start for page in pages for column in page][1:]


def places(pages: list[list[range]]) -> list[tuple[int, int]]:
    """(page, column) of every entry, in order: what the layout is checked against."""
    return [(p, c) for p, page in enumerate(pages) for c, column in enumerate(page) for _ in column]
