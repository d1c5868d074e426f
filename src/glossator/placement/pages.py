"""The body's pages as the Plan cuts them: what each page holds, so that each page can be
laid out as a WeasyPrint document of its own (render.lay_out_pages) and kept by its HTML.

A page starts where the plan starts it: at a block, or inside a paragraph at a word
(the paragraph's part from that word on, `ids.part`). It holds every element from there
to the next page's start. What came before it matters to the stylesheet only through
sibling selectors (`h2.section + .para`, `.para:first-of-type`): the template sets an
empty, hidden element of the same tag and class for each (`before`), so the page's
first paragraph is styled as it is in the whole body.

Pure Python over the Plan: no WeasyPrint.
"""
from __future__ import annotations

from dataclasses import dataclass

from .. import ids
from ..model import Edition
from .plan import Plan


@dataclass(frozen=True)
class BodyPage:
    number: int  # 1-based: the page's number in the PDF
    blocks: dict  # id of each block on the page -> (word its part starts at, word it stops before), or None
    before: tuple  # (block, word its part starts at, or None) of each element before the page's first
    last: bool  # the back matter follows the article on this page
    start: str | None  # the id the plan starts it at (a block's, or a word's), None for the first


def body_pages(edition: Edition, plan: Plan) -> list[BodyPage]:
    """One BodyPage for each page the plan starts, in order."""
    words = {b for b in plan.breaks if ids.is_word(b)}
    elements = []  # (block, the word its part starts at), in reading order
    for block in edition.blocks:
        elements.append((block, None))
        elements += [(block, p.target) for p in block.pieces if p.kind == "word" and p.target in words]
    starts = set(plan.breaks)
    cuts = [0] + [i for i, (block, word) in enumerate(elements) if (word or block.id) in starts]
    pages = []
    for number, (first, end) in enumerate(zip(cuts, cuts[1:] + [len(elements)]), start=1):
        blocks = {}
        for i in range(first, end):
            block, word = elements[i]
            # A paragraph's part stops at the word its next part starts at (on the next page).
            following = elements[i + 1] if i + 1 < len(elements) else (None, None)
            blocks[block.id] = (word, following[1] if following[0] is block else None)
        start = (elements[first][1] or elements[first][0].id) if number > 1 and first < len(elements) else None
        pages.append(BodyPage(number, blocks, tuple(elements[:first]), end == len(elements), start))
    return pages
