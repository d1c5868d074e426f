"""Widths of text set in the shipped fonts, from their advance widths (fontTools, no WeasyPrint).

For the few places that choose a layout before WeasyPrint sets it: a title's balanced
breaks (balance.py), room for the timeline's year labels (timeline.py). Kerning and
ligatures are left out: they change a line's width by well under 1%.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Callable

FONTS = Path(str(resources.files("glossator") / "theme" / "fonts"))
SERIF = FONTS / "LinLibertine_R.otf"  # "Glossator Serif", regular (theme/glossator.css, section 1)
SANS = FONTS / "LinBiolinum_R.otf"  # "Glossator Sans", regular


@lru_cache(maxsize=8)
def advance_width(font: Path, size: float) -> Callable[[str], float]:
    """A measure of text set in `font` at `size` (pt)."""
    from fontTools.ttLib import TTFont

    face = TTFont(str(font), lazy=True)
    cmap, metrics = face.getBestCmap(), face["hmtx"].metrics
    scale = size / face["head"].unitsPerEm
    fallback = metrics[cmap[ord("n")]][0]  # a character the font lacks: about an n's width

    def measure(text: str) -> float:
        return scale * sum(metrics[cmap[ord(c)]][0] if ord(c) in cmap else fallback for c in text)
    return measure
