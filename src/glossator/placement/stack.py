"""The placement pass: from measured boxes to each note's place on its page.

Pure arithmetic on what WeasyPrint measured, so it can be tested without
rendering. All lengths are CSS px, page-relative (0 at the paper's top edge).

Each note wants its first line level with its call's line. On one page, notes
are stacked in reading order, each pushed below the one before it (keeping
`gap`); if the stack runs past the bottom of the page area it is pushed back up
as far as the top. If it still does not fit, the page cannot hold its notes:
the caller moves text to the next page (see `overflow`).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Wanted:
    """A note to place: its call's page and line top, and its height."""
    number: int
    page: int  # 0-based page index
    top: float  # where the call's line starts, page-relative
    height: float
    block: int  # index of the article block holding the call
    moved: bool = False  # rides at the top of the page after its call's


@dataclass(frozen=True)
class Placed:
    number: int
    page: int
    top: float
    height: float

    @property
    def bottom(self) -> float:
        return self.top + self.height


@dataclass(frozen=True)
class Overflow:
    page: int
    first_left_out: Wanted  # the first note that had to leave for the rest to fit
    left_out: tuple[Wanted, ...]


def stack(notes: list[Wanted], area_top: float, area_bottom: float, gap: float) -> list[Placed] | None:
    """Place one page's notes, or None if they cannot all fit in [area_top, area_bottom]."""
    placed: list[Placed] = []
    cursor = area_top
    for note in sorted(notes, key=lambda n: (n.top, n.number)):
        top = max(note.top, cursor)
        placed.append(Placed(note.number, note.page, top, note.height))
        cursor = top + note.height + gap
    limit = area_bottom
    for i in range(len(placed) - 1, -1, -1):
        note = placed[i]
        if note.bottom > limit:
            placed[i] = note = Placed(note.number, note.page, limit - note.height, note.height)
        limit = note.top - gap
    if placed and placed[0].top < area_top - 0.01:
        return None
    return placed


def place(wanted: list[Wanted], area_top: float, area_bottom: float, gap: float, bottoms=None):
    """(placements by note number, overflows by page). `bottoms`: page -> a higher bottom
    for that page's note column (above a footnote)."""
    pages: dict[int, list[Wanted]] = {}
    for note in wanted:
        pages.setdefault(note.page, []).append(note)
    placed: dict[int, Placed] = {}
    overflows: list[Overflow] = []
    for page, notes in sorted(pages.items()):
        bottom = min(area_bottom, (bottoms or {}).get(page, area_bottom))
        result = stack(notes, area_top, bottom, gap)
        if result is None:
            overflows.append(overflow(page, notes, area_top, bottom, gap))
            continue
        placed.update((p.number, p) for p in result)
    return placed, overflows


def overflow(page: int, notes: list[Wanted], area_top: float, area_bottom: float, gap: float) -> Overflow:
    """Which notes, from the last one back, must leave the page for the others to fit."""
    ordered = sorted(notes, key=lambda n: (n.top, n.number))
    for keep in range(len(ordered) - 1, -1, -1):
        if stack(ordered[:keep], area_top, area_bottom, gap) is not None:
            left_out = tuple(ordered[keep:])
            return Overflow(page, left_out[0], left_out)
    return Overflow(page, ordered[0], tuple(ordered))  # pragma: no cover - keep=0 always fits
