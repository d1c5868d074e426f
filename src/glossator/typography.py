"""Typewriter habits made typographic, as Pandoc makes them: '--' an en dash, '---' an em
dash, straight quotes curled the way the edition's language curls them.

Used by the article's parser (load) and by the notes' Markdown (compose), so the two agree.
Code spans and the text of autolinks stay as written; markdown-it's other replacements
("(c)" to "©", "+-" to "±") are left out: they change words a note may quote.
"""
from __future__ import annotations

import functools
import re

from markdown_it import MarkdownIt

# Double quotes, then single ones (open, close), by the language's primary subtag (CLDR).
# French sets a no-break space inside its guillemets.
QUOTES = {
    "en": "“”‘’", "nl": "“”‘’", "pt-br": "“”‘’", "zh": "“”‘’", "ja": "「」『』",
    "de": "„“‚‘", "cs": "„“‚‘", "da": "»«›‹", "pl": "„”‚’", "sv": "””’’", "fi": "””’’",
    "fr": ["«\u00a0", "\u00a0»", "‹\u00a0", "\u00a0›"],
    "es": "«»“”", "it": "«»“”", "pt": "«»“”", "ru": "«»„“", "uk": "«»„“", "el": "«»“”",
}

_EM_DASH = re.compile(r"(^|[^-])---(?=[^-]|$)", re.M)  # as markdown-it's own replacements
_EN_DASH = re.compile(r"(^|[^-])--(?=[^-]|$)", re.M)


def quotes_for(lang: str):
    """The quote marks of a BCP 47 language tag ("en-US", "pt-BR", "fr"); English's if unknown."""
    tag = (lang or "en").lower().replace("_", "-")
    return QUOTES.get(tag) or QUOTES.get(tag.split("-")[0]) or QUOTES["en"]


def typographer(md: MarkdownIt, lang: str) -> MarkdownIt:
    """Turn on curly quotes for `lang` and dashes in `md`."""
    md.options["typographer"] = True
    md.options["quotes"] = quotes_for(lang)
    md.enable("smartquotes")
    md.core.ruler.after("smartquotes", "dashes", _dashes)
    return md


def dashes(text: str) -> str:
    """'---' to an em dash, '--' to an en dash."""
    return _EN_DASH.sub("\\1\u2013", _EM_DASH.sub("\\1\u2014", text))


def _dashes(state) -> None:
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        in_autolink = False
        for child in token.children:
            if child.type == "link_open" and child.info == "auto":
                in_autolink = True
            elif child.type == "link_close" and child.info == "auto":
                in_autolink = False
            elif child.type == "text" and not in_autolink and "--" in child.content:
                child.content = dashes(child.content)


@functools.lru_cache(maxsize=4)
def _plain(lang: str) -> MarkdownIt:
    md = MarkdownIt("zero")  # no Markdown at all: only the text, and the typographer
    return typographer(md, lang)


def smarten(text: str, lang: str) -> str:
    """Plain text (a note's title, a term) with the article's quotes and dashes."""
    tokens = _plain(lang).parseInline(text)
    return "".join(child.content if child.type == "text" else "\n" for child in tokens[0].children or ())


# A sentence's end: . ? ! or …, perhaps inside closing quotes or brackets ('“Why?”', '(U.S.)').
_SENTENCE_END = re.compile(r"[.?!\u2026][\"'\u201d\u2019\u00bb\u203a)\]]*\s*$")


def ends_sentence(text: str) -> bool:
    """Whether plain `text` ends as a sentence does, so that no full stop is to follow it."""
    return bool(_SENTENCE_END.search(text))


def full_stop(text: str) -> str:
    """`text` closed by a full stop, unless it ends a sentence already: a note's title set
    before its text ("Who wrote it?" stays as it is, "U.S." is not given a second stop)."""
    return text if ends_sentence(text) else text + "."
