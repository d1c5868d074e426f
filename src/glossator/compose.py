"""Station 3, compose: article + annotations + anchors -> one Edition.

Here notes get their numbers (in the order their calls are read), glossary
terms their occurrences, chronology events their place in the text, and
Markdown becomes HTML. What the template receives is final: it only lays out.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace
from itertools import pairwise

from markdown_it import MarkdownIt
from markupsafe import escape

from . import ids
from .anchor import Anchorer, find_terms
from .errors import Finding, finding
from .typography import smarten, typographer
from .model import (Annotations, Article, Block, ComposedBlock, ComposedEvent, ComposedNote,
                    ComposedTerm, Edition, Piece, Span)

# Where each word of a paragraph starts: the places a paragraph may be split
# across pages, and where line numbers can ride.
WORD = re.compile(r"(?<!\S)\S")
# Two or more capitals (ISIS, SOFA, KH, IRGC): set in small capitals.
ACRONYM = re.compile(r"(?<![\w.])[A-Z][A-Z0-9]*[A-Z](?:s\b)?(?![\w.])")


@dataclass(frozen=True)
class Composed:
    edition: Edition | None
    findings: tuple[Finding, ...]


def compose(article: Article, annotations: Annotations, build: bool = True) -> Composed:
    """build=False: only check (anchors, overlaps, glossary), as when the annotations
    already have problems and were loaded in part."""
    findings: list[Finding] = []
    anchorer = Anchorer(article)
    note_spans = resolve_all(anchorer, annotations.notes, "note", findings)
    event_spans = resolve_all(anchorer, annotations.chronology, "event", findings)
    check_overlaps(article, annotations.notes, note_spans, findings)
    term_spans = find_terms(article, annotations.glossary)
    for term in annotations.glossary:
        if not term_spans[term.id]:
            findings.append(finding("G101", term.where, term=term.term))
    if not build or any(f.severity == "error" for f in findings):
        return Composed(None, tuple(findings))

    numbers = number_notes(annotations, note_spans)
    blocks = compose_blocks(article, numbers, note_spans, term_spans)
    meta = article.meta
    lang = meta.lang
    edition = Edition(
        meta=replace(meta, url=meta.url if safe_link(meta.url or "") else None, title=smarten(meta.title, lang),
                     subtitle=smarten(meta.subtitle, lang) if meta.subtitle else None),
        blocks=blocks,
        notes=compose_notes(annotations, note_spans, numbers, lang),
        glossary=compose_glossary(annotations, term_spans, article, lang),
        chronology=compose_chronology(annotations, event_spans, article),
        bio_html=render_markdown(meta.bio, lang) if meta.bio else None,
        credits_html=render_markdown(meta.credits, lang) if meta.credits else None,
        rights_html=render_inline(meta.rights, lang) if meta.rights else None,
    )
    return Composed(edition, tuple(findings))


def resolve_all(anchorer: Anchorer, things, item: str, findings: list) -> dict[str, Span]:
    spans = {}
    for thing in things:
        quote = getattr(thing, "quote", None)
        if quote is None:
            continue
        label = thing.id if item == "note" else thing.date.iso()
        resolved = anchorer.resolve(quote, item, label, thing.where)
        findings.extend(resolved.findings)
        if resolved.span is not None:
            spans[thing.id] = resolved.span
    return spans


def check_overlaps(article: Article, notes, spans: dict[str, Span], findings: list) -> None:
    """Notes whose quotes share words are allowed (their calls go in reading order), but reported:
    each note once, with the earlier note (in reading order) it overlaps."""
    placed = sorted(((spans[n.id].block, spans[n.id].start, spans[n.id].end, k, n)
                     for k, n in enumerate(notes) if n.id in spans), key=lambda t: t[:4])
    reach = None  # the note reaching furthest right so far in this block
    for block, start, end, _, note in placed:
        if reach is not None and reach[0] == block and start < reach[2]:
            text = article.blocks[block].text[start: min(end, reach[2])]
            findings.append(finding("N103", note.quote.where or note.where, id=note.id, other=reach[4].id,
                                    paragraph=article.blocks[block].number, text=text))
        if reach is None or reach[0] != block or end > reach[2]:
            reach = (block, start, end, 0, note)


def number_notes(annotations: Annotations, spans: dict[str, Span]) -> dict[str, int]:
    """Number notes in reading order of their calls; the file's order breaks ties."""
    order = sorted(range(len(annotations.notes)),
                   key=lambda i: (spans[annotations.notes[i].id].block, spans[annotations.notes[i].id].end, i))
    return {annotations.notes[i].id: n for n, i in enumerate(order, 1)}


# --- the article's blocks ------------------------------------------------------------

def compose_blocks(article, numbers, note_spans, term_spans) -> tuple[ComposedBlock, ...]:
    calls: dict[int, dict[int, list[int]]] = {}
    for note_id, span in note_spans.items():
        at = call_place(article.blocks[span.block].text, span.end)
        calls.setdefault(span.block, {}).setdefault(at, []).append(numbers[note_id])
    firsts: dict[int, list[tuple[Span, str]]] = {}
    for term_id, spans in term_spans.items():
        if spans:  # only a term's first occurrence is marked and linked
            firsts.setdefault(spans[0].block, []).append((spans[0], term_id))
    out = []
    for index, block in enumerate(article.blocks):
        pieces = block_pieces(block, calls.get(index, {}), firsts.get(index, []))
        out.append(ComposedBlock(block.kind, block.number, pieces, block_id(block, index), block.where))
    return tuple(out)


# What a call is set after when its quote ends just before it: any punctuation but a dash,
# and closing quotation marks (Chicago Manual of Style 14.26; Tufte's sidenotes likewise).
CLOSING = re.compile(r"[.,;:!?\u2026\"'\u201d\u2019\u00bb\u203a]+")


def call_place(text: str, end: int) -> int:
    """Where the call of a quote ending at `end` goes: after the punctuation and closing
    quotation marks that follow the quote ('Union,”¹⁰'), unless they run on into a word
    (an apostrophe: 'Roosevelt’s'). The text itself is never changed."""
    closing = CLOSING.match(text, end)
    if closing is None or text[closing.end():closing.end() + 1].isalnum():
        return end
    return closing.end()


def block_id(block: Block, index: int) -> str:
    return ids.block(block.number, block.kind, index)


def block_pieces(block: Block, calls: dict, terms: list) -> tuple[Piece, ...]:
    text = block.text
    run_starts, offset = [], 0
    for run in block.runs:
        run_starts.append(offset)
        offset += len(run.text)
    # paragraphs only: they are what the placement pass may split
    words = {m.start(): f"w{block.number}-{m.start()}" for m in WORD.finditer(text)} if block.number else {}
    cuts = {0, len(text), *run_starts, *calls, *words}
    for span, _ in terms:
        cuts.update((span.start, span.end))
    pieces: list[Piece] = []
    for a, b in pairwise(sorted(cuts)):
        pieces.extend(call_pieces(a, calls))
        if a in words:
            pieces.append(Piece("word", target=words[a], offset=a))
        run = block.runs[max(i for i, s in enumerate(run_starts) if s <= a)]
        term = next(((s, t) for s, t in terms if s.start <= a < s.end), None)
        pieces.extend(text_pieces(text[a:b], run, term, first=term is not None and term[0].start == a))
    pieces.extend(call_pieces(len(text), calls))
    return tuple(pieces)


def call_pieces(offset: int, calls: dict) -> list[Piece]:
    """Calls for the quotes that end here. Only calls at one offset are adjacent (any
    other two have article text between them), so only they are parted by a separator:
    a piece of its own, never article text."""
    out: list[Piece] = []
    for n in sorted(calls.get(offset, [])):
        if out:
            out.append(Piece("call-sep", text=CALL_SEPARATOR))
        out.append(Piece("call", text=str(n), number=n, target=f"call-{n}"))
    return out


CALL_SEPARATOR = ","  # set small and raised, like the calls it parts: "⁶,⁷"


def text_pieces(text: str, run, term, first: bool) -> list[Piece]:
    """Text with its run's styles, acronyms split out; `term`: inside a term's first
    occurrence, `first`: at its start (which carries the id the glossary links back to)."""
    term_id = term[1] if term else None
    first_use = term is not None
    target = f"g-{term_id}-1" if term and first else None
    out, last = [], 0
    for m in [*ACRONYM.finditer(text), None]:
        start, end = (m.start(), m.end()) if m else (len(text), len(text))
        for chunk, caps in ((text[last:start], False), (text[start:end], True)):
            if chunk:
                out.append(Piece("text", chunk, run.em, run.strong, run.href if safe_link(run.href or "") else None,
                                 caps, term_id, first_use,
                                 target=target))
                target = None  # the id goes on the first chunk only
        last = end
    return out


# --- notes, glossary, chronology ---------------------------------------------------------

def compose_notes(annotations: Annotations, spans: dict[str, Span], numbers: dict[str, int], lang: str = "en"):
    by_id = {n.id: n for n in annotations.notes}
    terms = {t.id: t.term for t in annotations.glossary}
    notes = []
    for note in annotations.notes:
        see = tuple((numbers[t], by_id[t].title or t) for t in note.see)
        notes.append(ComposedNote(
            number=numbers[note.id], id=note.id, title=smarten(note.title, lang) if note.title else None,
            kind=note.kind,
            body_html=render_markdown(note.body, lang),
            sources_html=tuple(render_inline(s, lang) for s in note.sources),
            see=see, block=spans[note.id].block, where=note.where, audience=note.audience,
            terms=tuple((t, smarten(terms[t], lang)) for t in note.terms if t in terms),
        ))
    return tuple(sorted(notes, key=lambda n: n.number))


def compose_glossary(annotations: Annotations, term_spans: dict[str, list[Span]], article: Article,
                     lang: str = "en"):
    by_id = {t.id: t for t in annotations.glossary}
    entries = []
    for term in annotations.glossary:
        occurrences = tuple((block_id(article.blocks[s.block], s.block), s.start) for s in term_spans[term.id])
        entries.append(ComposedTerm(
            id=term.id, term=smarten(term.term, lang), aliases=tuple(smarten(a, lang) for a in shown_aliases(term)),
            definition_html=render_markdown(term.definition, lang),
            see=tuple((t, smarten(by_id[t].term, lang)) for t in term.see), occurrences=occurrences,
        ))
    return tuple(sorted(entries, key=lambda e: sort_key(e.term)))


def shown_aliases(term) -> tuple[str, ...]:
    """The aliases worth printing beside the term: not those that differ from it, or from
    an alias before them, only by case ("inflation (Inflation)")."""
    seen, out = {term.term.casefold()}, []
    for alias in term.aliases:
        if alias.casefold() not in seen:
            seen.add(alias.casefold())
            out.append(alias)
    return tuple(out)


def sort_key(term: str) -> str:
    return re.sub(r"^(al[- ]|the )", "", term.casefold())


def compose_chronology(annotations: Annotations, spans: dict[str, Span], article: Article):
    events = []
    for order, event in enumerate(annotations.chronology):
        span = spans.get(event.id)
        events.append((event.date, order, ComposedEvent(
            id=event.id, date=event.date, end=event.end, event_html=render_inline(event.event, article.meta.lang),
            place=(block_id(article.blocks[span.block], span.block), span.start) if span else None,
            paragraph=article.blocks[span.block].number if span else None,
            sources_html=tuple(render_inline(s, article.meta.lang) for s in event.sources),
        )))
    return tuple(e for _, _, e in sorted(events, key=lambda t: (t[0], t[1])))


# --- Markdown ---------------------------------------------------------------------------------

# Links may lead to the web, to an e-mail address, or within the edition. Every other
# scheme is dropped: javascript:, vbscript:, data:, file:, and those a reader's system
# acts on (smb:, ms-settings:, ...). Relative paths mean nothing in a shared edition.
SAFE_SCHEMES = ("http", "https", "mailto")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_SKIPPED = re.compile(r"[\x00-\x20\x7f]")  # what browsers skip in a URL


def safe_link(url: str) -> bool:
    # Browsers skip control characters and spaces in a URL ("java\tscript:"): so does the check.
    plain = _SKIPPED.sub("", url)
    scheme = _SCHEME.match(plain)
    return scheme.group(1).lower() in SAFE_SCHEMES if scheme else plain.startswith("#") and len(plain) > 1


def _text_with_caps(renderer, tokens, idx, options, env):
    text = str(escape(tokens[idx].content))
    return ACRONYM.sub(lambda m: f'<abbr class="caps">{m.group()}</abbr>', text)


def _link_open(renderer, tokens, idx, options, env):
    # markdown-it checks no address that is empty ("[a]()"); WeasyPrint would resolve it to
    # a file: link into the theme folder, naming the builder's own folders in the PDF.
    if not safe_link(tokens[idx].attrGet("href") or ""):
        tokens[idx].attrs.pop("href", None)
    return renderer.renderToken(tokens, idx, options, env)


@functools.lru_cache(maxsize=4)
def _markdown(lang: str) -> MarkdownIt:
    # Paragraphs, emphasis, code and links only: notes ride inside the article's
    # paragraphs, where lists or headings cannot go. html=False shows raw HTML as
    # text (never interpreted, so nothing to sanitise); links must pass safe_link,
    # else they stay text. No images: nothing in a note makes the build read a file.
    md = MarkdownIt("zero", {"html": False, "typographer": False})
    md.enable(["emphasis", "link", "autolink", "backticks", "escape", "entity", "newline"])
    md.validateLink = safe_link
    md.add_render_rule("text", _text_with_caps)
    md.add_render_rule("link_open", _link_open)
    return typographer(md, lang)  # quotes and dashes as the article's (load)


def render_markdown(text: str, lang: str = "en") -> str:
    """Markdown paragraphs as <span class="para"> (display: block), valid inside <p>."""
    html = _markdown(lang).render(text).strip()
    return html.replace("<p>", '<span class="para">').replace("</p>", "</span>")


def render_inline(text: str, lang: str = "en") -> str:
    return _markdown(lang).renderInline(text).strip()
