"""What a layout tells the placement engine: where things landed, and each paragraph's lines.

Plain data, made by the WeasyPrint adapter (measure.py) or predicted (paginate.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Measured:
    """What one layout pass tells: where things landed, by element id, and the lines."""
    page_of: dict  # element id -> 0-based page index (first page it appears on)
    boxes: dict  # element id -> (x1, y1, x2, y2) in px, on that page
    page_count: int
    lines: dict  # paragraph id -> [Line]
    # block id -> (top, bottom) margin its style gives it, px: the space it keeps from its
    # neighbours where the layout shows none (it was measured at a page's top)
    margins: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Line:
    page: int  # 0-based page index
    top: float  # px, page-relative
    bottom: float
    start: int  # offset in Block.text of the line's first character
    clean: bool  # the line starts a word (not the rest of a hyphenated one)
    left: float  # x of the line's first glyph
    width: float  # of the line's content, px
