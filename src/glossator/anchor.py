"""Station 2, anchor: find each quote's place in the article, or say why not.

A quote is matched against each paragraph's plain text (never across
paragraphs, never in pull quotes), trying tiers in order and stopping at the
first that finds something:

1. exact;
2. normalised: NFKC, quotes and apostrophes straight (guillemets too, without the
   no-break space inside them), every dash alike, runs of white space as one space, soft
   hyphens and zero-width characters ignored;
3. normalised and case-folded (a warning says the case differs);
4. approximate, for quotes of FUZZY_LENGTH characters or more: the least edit
   distance within a paragraph (edlib's infix alignment), on the case-folded
   normalised text. Up to FUZZY_PLAIN of the characters wrong is placed with a
   warning showing the article's words; up to FUZZY_CONFIRMED only where
   `before` or `after` is given and agrees; otherwise the quote is an orphan.

Several candidates are narrowed by `paragraph`, `before`, `after`, then
`occurrence`; if more than one is left, that is an error listing each place,
never a guess. An orphan's error names the closest passage and how alike it is.
"""
from __future__ import annotations

import functools
import json
import re
import unicodedata
from dataclasses import dataclass

import edlib

from .errors import Finding, finding
from .model import Article, Quote, Span, Term, Where

FRAGILE_LENGTH = 12  # a unique quote shorter than this gets a warning
FUZZY_LENGTH = 12  # shorter quotes are never placed approximately: too many near misses
FUZZY_PLAIN = 0.10  # share of a quote's characters that may be wrong: placed, with a warning
FUZZY_CONFIRMED = 0.25  # ...that may be wrong where 'before:' or 'after:' agrees
CLOSEST_SHOWN = 0.5  # an orphan's closest passage is named if at least this alike
WORD_REACH = 24  # characters an approximate place is widened by, to end on a word's end

_FOLD = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
    "\u2212": "-", "\u00ab": '"', "\u00bb": '"', "\u2039": "'", "\u203a": "'",
}
_GUILLEMETS = "\u00ab\u00bb\u2039\u203a"  # French sets a no-break space inside them: « mot »
_IGNORED = {"\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"}


@dataclass(frozen=True)
class Folded:
    """Normalised text, and for each of its characters the index it came from."""
    text: str
    origin: tuple[int, ...]


# Kept for the paragraphs an edit leaves alone (`watch`), and for the second Anchorer of a
# build (the questions'): a few hundred paragraphs, folded both ways.
@functools.lru_cache(maxsize=1024)
def fold(text: str, casefold: bool = False) -> Folded:
    out: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        if ch in _IGNORED or (ch in "\u00a0\u202f" and _beside_guillemet(text, i)):
            continue
        for c in _folded_char(ch, casefold):
            if (c == " " and out and out[-1] == " ") or (c == "-" and out and out[-1] == "-"):
                continue  # runs of spaces, and "--", count as one
            for piece in c:
                out.append(piece)
                origin.append(i)
    return Folded("".join(out), tuple(origin))


@functools.cache  # an article has a few hundred distinct characters; each is folded once
def _folded_char(ch: str, casefold: bool) -> tuple[str, ...]:
    """What one character of the text becomes: its NFKC characters, each folded."""
    pieces = []
    for c in unicodedata.normalize("NFKC", ch):
        c = _FOLD.get(c, c)
        if c.isspace():
            c = " "
        pieces.append(c.casefold() if casefold else c)
    return tuple(pieces)


def _beside_guillemet(text: str, i: int) -> bool:
    return (i > 0 and text[i - 1] in _GUILLEMETS) or (i + 1 < len(text) and text[i + 1] in _GUILLEMETS)


def fold_plain(text: str, casefold: bool = False) -> str:
    return fold(text, casefold).text.strip()


@dataclass(frozen=True)
class Candidate:
    span: Span
    paragraph: int
    text: str  # the article's own words at the span
    distance: int = 0  # edits between the quote and those words (approximate matches only)


@dataclass(frozen=True)
class Resolved:
    span: Span | None
    findings: tuple[Finding, ...]


class Anchorer:
    """Holds the article's paragraphs folded once, and resolves quotes against them."""

    def __init__(self, article: Article):
        self.article = article
        self.paragraphs = [(i, b) for i, b in enumerate(article.blocks) if b.kind == "paragraph"]
        self._folded_by: dict[bool, list[Folded]] = {}  # folded when a quote first needs it: most match as written

    def _folded(self, casefold: bool) -> list[Folded]:
        if casefold not in self._folded_by:
            self._folded_by[casefold] = [fold(b.text, casefold) for _, b in self.paragraphs]
        return self._folded_by[casefold]

    def candidates(self, quote: str) -> tuple[list[Candidate], int]:
        """Matches of the quote, and the tier (1-3) that found them; ([], 0) if none."""
        exact = self._find_exact(quote)
        if exact:
            return exact, 1
        for tier, casefold in ((2, False), (3, True)):
            found = self._find_folded(quote, casefold)
            if found:
                return found, tier
        return [], 0

    def _find_exact(self, quote: str) -> list[Candidate]:
        found = []
        for index, block in self.paragraphs:
            text = block.text
            start = text.find(quote) if quote else -1
            while start != -1:  # each match after the last, as a search for the words would find them
                end = start + len(quote)
                found.append(Candidate(Span(index, start, end), block.number, quote))
                start = text.find(quote, end)
        return found

    def _find_folded(self, quote: str, casefold: bool) -> list[Candidate]:
        needle = fold_plain(quote, casefold)
        if not needle:
            return []
        found = []
        for (index, block), folded in zip(self.paragraphs, self._folded(casefold)):
            start = folded.text.find(needle)
            while start != -1:
                end = start + len(needle)
                a, b = folded.origin[start], folded.origin[end - 1] + 1
                found.append(Candidate(Span(index, a, b), block.number, block.text[a:b]))
                start = folded.text.find(needle, start + 1)
        return found

    def approximate(self, needle: str, limit: int) -> list[Candidate]:
        """The places within `limit` edits of the case-folded `needle`, at the least distance
        each paragraph allows; limit -1: the best place in each paragraph, however far."""
        found = []
        for (index, block), folded in zip(self.paragraphs, self._folded(True)):
            try:
                result = edlib.align(needle, folded.text, mode="HW", task="locations", k=limit)
            except ValueError:  # more than 256 distinct characters: no approximate match
                continue
            if result["editDistance"] < 0:
                continue
            for start, end in _separate(result["locations"], len(needle)):
                a, b = _whole_words(block.text, *_trimmed(block.text, folded.origin[start], folded.origin[end] + 1))
                found.append(Candidate(Span(index, a, b), block.number, block.text[a:b], result["editDistance"]))
        return found

    def resolve(self, quote: Quote, item: str, ident: str, where: Where) -> Resolved:
        where = quote.where or where
        details = dict(item=item, id=ident)
        found, tier = self.candidates(quote.text)
        if not found:
            return self.resolve_approximately(quote, where, details)
        chosen, problem = self.narrow(found, quote, where, details)
        if problem:
            return Resolved(None, (problem,))
        notes = []
        if tier == 3:
            notes.append(finding("A103", where, found=chosen.text, quoted=yaml_quoted(chosen.text), **details))
        if len(found) == 1 and len(fold_plain(quote.text)) < FRAGILE_LENGTH:
            notes.append(finding("A105", where, quote=quote.text, length=len(quote.text), **details))
        notes.extend(self.stale_hint(chosen, quote, where, details))
        return Resolved(chosen.span, tuple(notes))

    def resolve_approximately(self, quote: Quote, where: Where, details: dict) -> Resolved:
        """Tier 4, for a quote no other tier found."""
        needle = fold_plain(quote.text, casefold=True)
        if len(needle) >= FUZZY_LENGTH:
            confirmed = quote.before is not None or quote.after is not None
            found = self.approximate(needle, int(len(needle) * (FUZZY_CONFIRMED if confirmed else FUZZY_PLAIN)))
            # Past FUZZY_PLAIN a place counts only where the words beside it agree.
            plain = int(len(needle) * FUZZY_PLAIN)
            found = [c for c in found if c.distance <= plain or self._beside_agrees(c.span, quote)]
            if found:
                chosen, problem = self.narrow(found, quote, where, details)
                if problem:
                    return Resolved(None, (problem,))
                notes = [finding("A104", where, similarity=_percent(chosen.distance, needle), found=chosen.text,
                                 quoted=yaml_quoted(chosen.text), **details)]
                notes.extend(self.stale_hint(chosen, quote, where, details))
                return Resolved(chosen.span, tuple(notes))
        return Resolved(None, (self.orphan(quote, needle, where, details),))

    def orphan(self, quote: Quote, needle: str, where: Where, details: dict) -> Finding:
        """The error for a quote that is nowhere: A108 if a passage is nearly it, else A101."""
        reason = self._misplaced(needle)
        if reason:
            return finding("A101", where, quote=quote.text, closest=f" ({reason})", **details)
        best = min(self.approximate(needle, -1), key=lambda c: c.distance, default=None) if needle else None
        alike = best is not None and 1 - best.distance / len(needle) >= CLOSEST_SHOWN
        if alike and len(needle) >= FUZZY_LENGTH and best.distance <= len(needle) * FUZZY_CONFIRMED:
            return finding("A108", where, paragraph=best.paragraph, found=self.shown(best),
                           similarity=_percent(best.distance, needle), **details)
        closest = ""
        if alike:
            closest = (f"; the closest passage, ¶ {best.paragraph} “{self.shown(best)}”, is "
                       f"{_percent(best.distance, needle)}% alike")
        return finding("A101", where, quote=quote.text, closest=closest, **details)

    def shown(self, c: Candidate) -> str:
        """A passage as a message quotes it: its words whole, or cut at a word's end, with '…',
        where a word runs on past WORD_REACH."""
        text = self.article.blocks[c.span.block].text
        shown = c.text
        if _inside_word(text, c.span.start):
            shown = "…" + shown.split(" ", 1)[-1]
        if _inside_word(text, c.span.end):
            shown = shown.rsplit(" ", 1)[0] + "…"
        return shown

    def _misplaced(self, needle: str) -> str | None:
        """Why a quote that is in the article does not count: it crosses paragraphs, or it is
        in a pull quote or heading."""
        if not needle:
            return None
        for (_, a), (_, b) in zip(self.paragraphs, self.paragraphs[1:]):
            if needle in fold(f"{a.text} {b.text}", True).text:
                return f"it runs from ¶ {a.number} into ¶ {b.number}; a quote stays within one paragraph"
        for block in self.article.blocks:
            if block.kind != "paragraph" and needle in fold(block.text, True).text:
                kind = "pull quote" if block.kind == "pullquote" else block.kind
                return f"it is only in a {kind}; quotes anchor in the article's paragraphs"
        return None

    def stale_hint(self, chosen: Candidate, quote: Quote, where: Where, details: dict) -> list[Finding]:
        if quote.paragraph is None or quote.paragraph == chosen.paragraph:
            return []
        return [finding("A109", where, hint=quote.paragraph, actual=chosen.paragraph, **details)]

    def _beside_agrees(self, span: Span, quote: Quote) -> bool:
        """'before:' or 'after:' is given, and every one given agrees with the words beside span."""
        given = [(field, getattr(quote, field)) for field in ("before", "after") if getattr(quote, field) is not None]
        return bool(given) and all(self._context_agrees(span, text, field) for field, text in given)

    def narrow(self, found: list[Candidate], quote: Quote, where: Where, details: dict):
        """(the one candidate, None) or (None, the finding that says why not)."""
        left = found
        if quote.paragraph is not None:
            left = [c for c in left if c.paragraph == quote.paragraph] or left
        for field, side in (("before", "before"), ("after", "after")):
            context = getattr(quote, field)
            if context is None:
                continue
            left = [c for c in left if self._context_agrees(c.span, context, side)]
            if not left:
                return None, finding("A106", where, field=field, text=context, side=side, **details)
        if quote.occurrence is not None:
            if quote.occurrence > len(left):
                return None, finding("A107", where, occurrence=quote.occurrence, count=len(left), **details)
            left = [left[quote.occurrence - 1]]
        if len(left) > 1:
            return None, finding("A102", where, count=len(left), places=self.describe(left), **details)
        return left[0], None

    def _context_agrees(self, span: Span, context: str, side: str) -> bool:
        text = self.article.blocks[span.block].text
        wanted = fold_plain(context, casefold=True)
        if side == "before":
            return fold(text[: span.start], True).text.rstrip().endswith(wanted)
        return fold(text[span.end:], True).text.lstrip().startswith(wanted)

    def describe(self, candidates: list[Candidate]) -> str:
        places = []
        for c in candidates:
            text = self.article.blocks[c.span.block].text
            before = text[max(0, c.span.start - 25): c.span.start].lstrip()
            after = text[c.span.end: c.span.end + 25].rstrip()
            places.append(f"¶ {c.paragraph} “…{before}[{c.text}]{after}…”")
        return "; ".join(places)


def _separate(locations, length: int) -> list[tuple[int, int]]:
    """One (start, end) for each cluster of overlapping locations edlib found: the one whose
    length is nearest the quote's (an extra or missing letter at the ends costs the same)."""
    chosen: list[tuple[int, int]] = []
    for start, end in sorted((s, e) for s, e in locations if s is not None and s <= e):  # (None, -1): empty text
        if chosen and start <= chosen[-1][1]:
            if abs(end - start + 1 - length) < abs(chosen[-1][1] - chosen[-1][0] + 1 - length):
                chosen[-1] = (start, end)
        else:
            chosen.append((start, end))
    return chosen


def _trimmed(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _whole_words(text: str, a: int, b: int) -> tuple[int, int]:
    """(a, b) widened to take in the words it cuts, by WORD_REACH characters at most: a place
    found letter by letter may end inside one ("the downfall of democrati"), which would put
    a note's call in the middle of a word, and cut the passage a message shows."""
    start, end = a, b
    while _inside_word(text, start) and a - start < WORD_REACH:
        start -= 1
    while _inside_word(text, end) and end - b < WORD_REACH:
        end += 1
    return (a if _inside_word(text, start) else start), (b if _inside_word(text, end) else end)


def _inside_word(text: str, i: int) -> bool:
    """A cut at i falls between two letters (or digits) of one word."""
    return 0 < i < len(text) and text[i - 1].isalnum() and text[i].isalnum()


def _percent(distance: int, needle: str) -> int:
    return int(100 * (1 - distance / len(needle)))


def yaml_quoted(text: str) -> str:
    """text as a YAML double-quoted scalar, ready to paste after 'quote: '."""
    return json.dumps(text, ensure_ascii=False)


def find_terms(article: Article, terms: tuple[Term, ...]) -> dict[str, list[Span]]:
    """Every occurrence of every glossary term or alias, as whole words.

    A spelling in lowercase ("inflation") is found whatever its case, as at the start of a
    sentence ("Inflation"); one with a capital (a proper noun, an acronym) only as written.
    A straight apostrophe also finds a curly one, as the article's are curled (typography).
    Where spellings overlap ("Hezbollah" inside "Kataib Hezbollah") the longest wins,
    so each stretch of text belongs to at most one term.
    """
    spellings = sorted(((s, t.id) for t in terms for s in t.spellings), key=lambda p: -len(p[0]))
    if not spellings:
        return {}
    # The word boundaries stand outside the alternatives, so that the scan leaves a position
    # inside a word at once rather than trying every spelling there.
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(f"({_spelling_pattern(s)})" for s, _ in spellings) + r")(?!\w)")
    found: dict[str, list[Span]] = {t.id: [] for t in terms}
    for index, block in enumerate(article.blocks):
        if block.kind != "paragraph":
            continue
        for m in pattern.finditer(block.text):
            found[spellings[m.lastindex - 1][1]].append(Span(index, m.start(), m.end()))
    return found


def _spelling_pattern(spelling: str) -> str:
    """A spelling as a pattern (find_terms adds the word boundaries): case-blind if all
    lowercase, any apostrophe."""
    body = "".join("['\u2019]" if c in "'\u2019" else re.escape(c) for c in spelling)
    return f"(?i:{body})" if spelling == spelling.lower() else body
