"""Balanced titles: a title set in lines of even length, never ending on one short word.

WeasyPrint 70 has no `text-wrap: balance`: its line breaker fills each line in turn, and
a long title can end on a word alone ("…of Congress on Greece and / Turkey"). Here the
breaks are chosen from the font's advance widths: as few lines as filling them would
take, and of those breaks the ones whose longest line is shortest. The print template
sets a <br> at each; a line still wraps by itself should an edition's stylesheet set the
title larger. No WeasyPrint: the widths come from glossator.textwidth.
"""
from __future__ import annotations

from typing import Callable

from markupsafe import Markup, escape

from .textwidth import SERIF, advance_width

# The title's face: `.title` in theme/glossator.css (section 4); its size is Geometry's.
TITLE_FONT = SERIF
# The measure leaves out kerning and ligatures, which change a line by well under 1%:
# lines are chosen 1% narrower than the column, so that none of them wraps again.
SAFETY = 0.99


def balanced_title(title: str, width: float, size: float) -> Markup:
    """The title as HTML, with a <br> at each chosen break: `width` is the text column's
    and `size` the title's type size (pt; both Geometry's)."""
    lines = balance(title.split(), width * SAFETY, advance_width(TITLE_FONT, size))
    # The space stays before each <br>: a line's end drops it, and the running head,
    # which copies the title's text (string-set), keeps its words apart.
    return Markup(" <br>").join(escape(" ".join(line)) for line in lines)


def balance(words: list[str], width: float, measure: Callable[[str], float]) -> list[list[str]]:
    """Words in lines no wider than `width` (a word wider than that has a line to itself):
    the fewest lines, then the shortest longest line, then the longest shortest line."""
    if not words:
        return []
    space = measure(" ")
    sizes = [measure(w) for w in words]

    def line(i: int, j: int) -> float:  # words[i:j] on one line
        return sum(sizes[i:j]) + space * (j - i - 1)

    def fits(i: int, j: int) -> bool:
        return j == i + 1 or line(i, j) <= width

    count = len(_filled(len(words), fits))
    n = len(words)
    # best[k][j]: (longest, -shortest line, breaks) for words[:j] set in k lines
    best: list[dict[int, tuple]] = [{0: (0.0, float("-inf"), ())}]
    for k in range(1, count + 1):
        best.append({})
        for j in range(k, n + 1):
            options = [(max(longest, line(i, j)), max(neg_short, -line(i, j)), breaks + (i,))
                       for i, (longest, neg_short, breaks) in best[k - 1].items() if i < j and fits(i, j)]
            if options:
                best[k][j] = min(options)
    starts = best[count][n][2]
    return [words[a:b] for a, b in zip(starts, [*starts[1:], n])]


def _filled(n: int, fits: Callable[[int, int], bool]) -> list[int]:
    """Where each line starts when every line is filled in turn (the fewest lines)."""
    starts, i = [], 0
    while i < n:
        starts.append(i)
        j = i + 1
        while j < n and fits(i, j + 1):
            j += 1
        i = j
    return starts

