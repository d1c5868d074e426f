"""The body's pages as the Plan cuts them: what each page holds, so that each page can be
laid out as a WeasyPrint document of its own (render.lay_out_pages) and kept by its HTML.

A page starts where the plan starts it: at a block, or inside a paragraph at a word
(the paragraph's part from that word on, `ids.part`). It holds every element from there
to the next page's start. What came before it matters to the stylesheet only through
sibling selectors (`h2.section + .para`, `.para:first-of-type`): the template sets an
empty, hidden element of the same tag and class for what precedes (`before`), so the
page's first paragraph is styled as it is in the whole body.

Not one for every element before the page: that made each page's work grow with the
article's length (its HTML, its style cascade, its box tree kept until the PDF is
written). The last element of each kind (tag and class) is enough for `+`, `~`
with one combinator, `:first-child` and `:first-of-type`: the element just before the page
is the last of its kind, and every kind that came before is there. Selectors that count
siblings (`:nth-child`) or chain them (`h2 + .para ~ .para`) need them all: an edition
whose stylesheet has one gets them all (`every`, styles.counts_siblings).

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
    before: tuple  # (block, word its part starts at, or None) of elements before the page's first: see above
    last: bool  # the back matter follows the article on this page
    start: str | None  # the id the plan starts it at (a block's, or a word's), None for the first
    span: tuple[int, int] = (0, 0)  # the page's blocks: edition.blocks[span[0]:span[1]]
    breaks: tuple = ()  # the plan's breaks on the page: its start's, and on the last, any after the article


def body_pages(edition: Edition, plan: Plan, every: bool = False) -> list[BodyPage]:
    """One BodyPage for each page the plan starts, in order; every: each page's `before`
    holds every element before it, not only the last of each kind."""
    words = {b for b in plan.breaks if ids.is_word(b)}
    elements = []  # (block, the word its part starts at), in reading order
    for block in edition.blocks:
        elements.append((block, None))
        elements += [(block, p.target) for p in block.pieces if p.kind == "word" and p.target in words]
    starts = set(plan.breaks)
    cuts = [0] + [i for i, (block, word) in enumerate(elements) if (word or block.id) in starts]
    kinds = element_kinds(edition, plan)
    # A break before no element of the article (the back matter's) is the last page's.
    after = tuple(b for b in plan.breaks if b not in {word or block.id for block, word in elements})
    index = {block.id: i for i, block in enumerate(edition.blocks)}
    pages, last_of_kind = [], {}  # kind -> its last element before the page, in reading order
    for number, (first, end) in enumerate(zip(cuts, cuts[1:] + [len(elements)]), start=1):
        blocks = {}
        for i in range(first, end):
            block, word = elements[i]
            # A paragraph's part stops at the word its next part starts at (on the next page).
            following = elements[i + 1] if i + 1 < len(elements) else (None, None)
            blocks[block.id] = (word, following[1] if following[0] is block else None)
        start = (elements[first][1] or elements[first][0].id) if number > 1 and first < len(elements) else None
        before = tuple(elements[:first]) if every else tuple(last_of_kind.values())
        span = (index[elements[first][0].id], index[elements[end - 1][0].id] + 1) if first < end else (0, 0)
        last = end == len(elements)
        breaks = ((start,) if start else ()) + (after if last else ())
        pages.append(BodyPage(number, blocks, before, last, start, span, breaks))
        for element in elements[first:end]:
            kind = kinds(*element)
            last_of_kind.pop(kind, None)  # moved to the end: the order is that of the last ones
            last_of_kind[kind] = element
    return pages


def element_kinds(edition: Edition, plan: Plan):
    """kind(block, word): what the hidden element the template sets for it depends on (its
    tag and class, edition.html.j2): the block's kind and, for a paragraph, whether it is a
    part that starts at a word and whether a part of it follows."""
    splits = plan.splits(edition)
    split_blocks = plan.split_blocks(edition)

    def kind(block, word) -> tuple:
        if block.kind != "paragraph":
            return (block.kind,)
        return ("paragraph", word is not None, splits[word] if word else block.id in split_blocks)

    return kind
