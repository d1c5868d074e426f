"""`--single-file`: the web edition with its fonts inside, so that it can travel alone.

Each shipped face the stylesheet links to (`url(fonts/NAME.otf)`) is cut down to the
characters the page uses and written as WOFF2 into a `data:` URL. The subsets keep the
faces' OpenType features (small capitals, old-style figures, ligatures, kerning), which
the stylesheet asks for, and their name table, which carries the copyright and the
licence (SIL OFL) that must travel with the fonts.
"""
from __future__ import annotations

import base64
import functools
import html
import io
import logging
import re
import string

FONT_URL = re.compile(r"url\(fonts/([A-Za-z0-9_.-]+\.(?:otf|ttf))\)")
# What the browser may draw that is not written in the page: hyphens where it breaks
# words (hyphens: auto), and figures for printed page numbers.
# The OpenType features glossator.css asks for (font-variant-caps, -numeric, -ligatures,
# font-kerning) and those every text needs shaped; the glyphs they reach are kept. All
# features ("*") would keep the faces' alternates and ornaments too, a third more bytes.
FEATURES = ("kern", "liga", "clig", "calt", "ccmp", "locl", "mark", "mkmk", "smcp", "onum", "pnum", "lnum", "tnum")
ALWAYS = string.ascii_letters + string.digits + string.punctuation + " \u00a0\u2010\u2011\u00ad"


def fonts_inside(page: str, assets: dict[str, bytes]) -> str:
    """The page with every url(fonts/NAME.otf) that `assets` holds replaced by a data: URL of
    that face's WOFF2 subset to the page's characters."""
    used = characters(page)

    def inline(match: re.Match) -> str:
        name = f"fonts/{match.group(1)}"
        if name not in assets:
            return match.group(0)
        data = base64.b64encode(woff2_subset(name, assets[name], used)).decode("ascii")
        return f"url(data:font/woff2;base64,{data})"

    return FONT_URL.sub(inline, page)


def characters(page: str) -> str:
    """Every character the page could draw: its text, attributes, generated content and
    script strings alike (the whole document, entities decoded), in both cases."""
    text = html.unescape(page)
    return "".join(sorted(set(text) | set(text.upper()) | set(text.lower()) | set(ALWAYS)))


@functools.lru_cache(maxsize=32)  # `watch --single-file`: the same characters, the same subsets
def woff2_subset(name: str, font: bytes, text: str) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.layout_features = list(FEATURES)
    options.name_IDs = ["*"]  # copyright, licence and its URL stay with the font
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.flavor = "woff2"  # Brotli-compressed: needs the `brotli` package
    face = TTFont(io.BytesIO(font))
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    # fontTools says which tables it drops ("FFTM NOT subset; ... dropped"): not the editor's concern.
    logger = logging.getLogger("fontTools.subset")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        subsetter.subset(face)
    finally:
        logger.setLevel(level)
    out = io.BytesIO()
    face.save(out)
    return out.getvalue()
