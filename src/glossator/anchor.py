"""Station 2, anchor: find each quote's place in the article, or say why not.

A quote is matched against each paragraph's plain text (never across
paragraphs, never in pull quotes), trying tiers in order and stopping at the
first that finds something:

1. exact;
2. normalised: NFKC, quotes and apostrophes straight, every dash alike, runs of
   white space as one space, soft hyphens and zero-width characters ignored;
3. normalised and case-folded (a warning says the case differs).

Several candidates are narrowed by `paragraph`, `before`, `after`, then
`occurrence`; if more than one is left, that is an error listing each place,
never a guess.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .errors import Finding, finding
from .model import Article, Quote, Span, Term, Where

FRAGILE_LENGTH = 12  # a unique quote shorter than this gets a warning

_FOLD = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
    "\u2212": "-",
}
_IGNORED = {"\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"}


@dataclass(frozen=True)
class Folded:
    """Normalised text, and for each of its characters the index it came from."""
    text: str
    origin: tuple[int, ...]


def fold(text: str, casefold: bool = False) -> Folded:
    out: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        if ch in _IGNORED:
            continue
        for c in unicodedata.normalize("NFKC", ch):
            c = _FOLD.get(c, c)
            if c.isspace():
                c = " "
            if casefold:
                c = c.casefold()
            if (c == " " and out and out[-1] == " ") or (c == "-" and out and out[-1] == "-"):
                continue  # runs of spaces, and "--", count as one
            for piece in c:
                out.append(piece)
                origin.append(i)
    return Folded("".join(out), tuple(origin))


def fold_plain(text: str, casefold: bool = False) -> str:
    return fold(text, casefold).text.strip()


@dataclass(frozen=True)
class Candidate:
    span: Span
    paragraph: int
    text: str  # the article's own words at the span


@dataclass(frozen=True)
class Resolved:
    span: Span | None
    findings: tuple[Finding, ...]


class Anchorer:
    """Holds the article's paragraphs folded once, and resolves quotes against them."""

    def __init__(self, article: Article):
        self.article = article
        self.paragraphs = [(i, b) for i, b in enumerate(article.blocks) if b.kind == "paragraph"]
        self._folded = {cf: [fold(b.text, cf) for _, b in self.paragraphs] for cf in (False, True)}

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
            for m in re.finditer(re.escape(quote), block.text):
                found.append(Candidate(Span(index, m.start(), m.end()), block.number, m.group()))
        return found

    def _find_folded(self, quote: str, casefold: bool) -> list[Candidate]:
        needle = fold_plain(quote, casefold)
        if not needle:
            return []
        found = []
        for (index, block), folded in zip(self.paragraphs, self._folded[casefold]):
            start = folded.text.find(needle)
            while start != -1:
                end = start + len(needle)
                a, b = folded.origin[start], folded.origin[end - 1] + 1
                found.append(Candidate(Span(index, a, b), block.number, block.text[a:b]))
                start = folded.text.find(needle, start + 1)
        return found

    def resolve(self, quote: Quote, item: str, ident: str, where: Where) -> Resolved:
        found, tier = self.candidates(quote.text)
        details = dict(item=item, id=ident)
        if not found:
            return Resolved(None, (finding("A101", where, quote=quote.text, closest="", **details),))
        chosen, problem = self.narrow(found, quote, where, details)
        if problem:
            return Resolved(None, (problem,))
        notes = []
        if tier == 3:
            notes.append(finding("A103", where, found=chosen.text, **details))
        if len(found) == 1 and len(fold_plain(quote.text)) < FRAGILE_LENGTH:
            notes.append(finding("A105", where, quote=quote.text, length=len(quote.text), **details))
        return Resolved(chosen.span, tuple(notes))

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


def find_terms(article: Article, terms: tuple[Term, ...]) -> dict[str, list[Span]]:
    """Every occurrence of every glossary term or alias, as whole words, case as written.

    Where spellings overlap ("Hezbollah" inside "Kataib Hezbollah") the longest wins,
    so each stretch of text belongs to at most one term.
    """
    spellings = sorted(((s, t.id) for t in terms for s in t.spellings), key=lambda p: -len(p[0]))
    if not spellings:
        return {}
    pattern = re.compile("|".join(rf"(?<!\w){re.escape(s)}(?!\w)" for s, _ in spellings))
    owner = {s: ident for s, ident in reversed(spellings)}
    found: dict[str, list[Span]] = {t.id: [] for t in terms}
    for index, block in enumerate(article.blocks):
        if block.kind != "paragraph":
            continue
        for m in pattern.finditer(block.text):
            found[owner[m.group()]].append(Span(index, m.start(), m.end()))
    return found
