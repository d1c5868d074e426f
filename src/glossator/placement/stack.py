"""Stacking one page's margin notes: pure arithmetic, in CSS px, page-relative.

Each note wants its first line level with its call's line. The notes are stacked
in reading order, each pushed below the one before it (keeping `gap`); if the
stack runs past the bottom of the page area it is pushed back up as far as the
top. If it still does not fit, the margin cannot hold them all (the optimiser
then sets some at the page's foot).
"""
from __future__ import annotations


def stack(wanted: list[tuple[float, float]], top: float, bottom: float, gap: float) -> list[float] | None:
    """The tops of notes wanting (top, height), in reading order, or None if they cannot
    all fit between `top` and `bottom`. (The optimiser calls this for every page it
    tries: plain floats, no objects.)"""
    tops = []
    cursor = top
    for want, height in wanted:
        at = want if want > cursor else cursor
        tops.append(at)
        cursor = at + height + gap
    limit = bottom
    for i in range(len(tops) - 1, -1, -1):
        height = wanted[i][1]
        if tops[i] + height > limit:
            tops[i] = limit - height
        limit = tops[i] - gap
    if tops and tops[0] < top - 0.01:
        return None
    return tops
