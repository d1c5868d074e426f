"""Words no line can hold: a URL, a chemical name, a string of digits with no place to break.

WeasyPrint sets such a word past the page's edge, where it is lost. Every stretch of
UNBREAKABLE characters or more with no break opportunity (a space, a hyphen, a slash,
a dash) is wrapped in <span class="unbroken"> in the HTML a template made, and the
stylesheet lets those break between any two letters (overflow-wrap: anywhere) as a
last resort. Only these stretches: WeasyPrint 70 applies overflow-wrap: anywhere to
ordinary text too eagerly, breaking "ISIS" after its first letter at a line's end.

`check` reports each such word (L104), so that the editor knows a word will be broken
between letters and can give it a break (a soft hyphen, a shorter link text).
Pure Python, no WeasyPrint.
"""
from __future__ import annotations

import re

from .errors import Finding, finding
from .fonts import texts
from .model import Annotations, Article

# Characters in a row, with no break opportunity, that need a last-resort break: more
# than the narrowest column (the margin notes, 192 pt at 7.9 pt: about 55 letters)
# could ever hold, with a margin for wide letters.
UNBREAKABLE = 40
# Where a line may already break: spaces, hyphens, dashes, slashes; and scripts written
# without spaces that break between letters anyway (CJK, kana, Hangul, Thai, Lao, Khmer, Myanmar).
_BREAKS = (r"\s\-\u00ad\u2010-\u2015/\u200b"
           r"\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef"
           r"\U00020000-\U0003ffff")
STRETCH = re.compile(rf"[^{_BREAKS}<>]{{{UNBREAKABLE},}}")
# The HTML a template made, in pieces: raw-text elements and SVG (left alone), tags, and text.
_PIECES = re.compile(r"(<(style|script|title|textarea|svg)\b.*?</\2\s*>)|(<[^>]*>)|([^<]+)", re.DOTALL | re.IGNORECASE)


def mark_unbreakable(html: str) -> str:
    """html with each unbreakable stretch of its text wrapped in <span class="unbroken">."""
    if not STRETCH.search(html):
        return html
    return _PIECES.sub(_mark_piece, html)


def _mark_piece(match: re.Match) -> str:
    text = match.group(4)
    if text is None:
        return match.group(0)
    return STRETCH.sub(lambda m: f'<span class="unbroken">{m.group(0)}</span>', text)


def unbreakable_findings(article: Article | None, annotations: Annotations) -> list[Finding]:
    """L104 for each paragraph, note, term or event with a word no line can hold."""
    found = []
    for where, what, text in texts(article, annotations):
        for match in STRETCH.finditer(_unlinked(text)):
            word = match.group(0)
            found.append(finding("L104", where, what=what, length=len(word), start=word[:24]))
    return found


def _unlinked(text: str) -> str:
    """Markdown text without link targets ((url) of [text](url), <url>): not printed as
    words, except an autolink's, which is printed and stays."""
    return re.sub(r"\]\([^)\s]*\)", "]", text)
