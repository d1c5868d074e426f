"""Station 3, compose: article + annotations + anchors -> one Edition.

Here notes get their numbers (in the order their calls are read), glossary
terms their marked occurrences, chronology events their place in the text, and
Markdown becomes HTML. What the template receives is final: it only lays out.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from markdown_it import MarkdownIt
from markupsafe import escape

from .anchor import Anchorer, find_terms
from .errors import Finding, finding
from .model import (Annotations, Article, Block, ComposedBlock, ComposedEvent, ComposedNote,
                    ComposedTerm, Edition, Piece, Span)

# Two or more capitals (ISIS, SOFA, KH, IRGC): set in small capitals.
ACRONYM = re.compile(r"(?<![\w.])[A-Z][A-Z0-9]*[A-Z](?:s\b)?(?![\w.])")


@dataclass(frozen=True)
class Composed:
    edition: Edition | None
    findings: tuple[Finding, ...]


def compose(article: Article, annotations: Annotations) -> Composed:
    findings: list[Finding] = []
    anchorer = Anchorer(article)
    note_spans = resolve_all(anchorer, annotations.notes, "note", findings)
    event_spans = resolve_all(anchorer, annotations.chronology, "event", findings)
    check_references(annotations, findings)
    term_spans = find_terms(article, annotations.glossary)
    for term in annotations.glossary:
        if not term_spans[term.id]:
            findings.append(finding("G101", term.where, term=term.term))
    if any(f.severity == "error" for f in findings):
        return Composed(None, tuple(findings))

    numbers = number_notes(annotations, note_spans)
    blocks = compose_blocks(article, numbers, note_spans, event_spans, term_spans)
    edition = Edition(
        meta=article.meta,
        blocks=blocks,
        notes=compose_notes(annotations, note_spans, numbers),
        glossary=compose_glossary(annotations, term_spans),
        chronology=compose_chronology(annotations, event_spans, article),
        bio_html=render_markdown(article.meta.bio) if article.meta.bio else None,
        credits_html=render_markdown(article.meta.credits) if article.meta.credits else None,
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


def check_references(annotations: Annotations, findings: list) -> None:
    note_ids = {n.id for n in annotations.notes}
    for note in annotations.notes:
        for target in note.see:
            if target not in note_ids:
                findings.append(finding("N101", note.where, id=note.id, target=target))
    term_ids = {t.id for t in annotations.glossary}
    owner: dict[str, str] = {}
    for term in annotations.glossary:
        for target in term.see:
            if target not in term_ids:
                findings.append(finding("G103", term.where, term=term.term, target=target))
        for spelling in term.spellings:
            if owner.get(spelling, term.term) != term.term:
                findings.append(finding("G102", term.where, alias=spelling, a=owner[spelling], b=term.term))
            owner.setdefault(spelling, term.term)


def number_notes(annotations: Annotations, spans: dict[str, Span]) -> dict[str, int]:
    """Number notes in reading order of their calls; the file's order breaks ties."""
    order = sorted(range(len(annotations.notes)),
                   key=lambda i: (spans[annotations.notes[i].id].block, spans[annotations.notes[i].id].end, i))
    return {annotations.notes[i].id: n for n, i in enumerate(order, 1)}


# --- the article's blocks ------------------------------------------------------------

def compose_blocks(article, numbers, note_spans, event_spans, term_spans) -> tuple[ComposedBlock, ...]:
    calls: dict[int, dict[int, list[int]]] = {}
    for note_id, span in note_spans.items():
        calls.setdefault(span.block, {}).setdefault(span.end, []).append(numbers[note_id])
    marks: dict[int, dict[int, list[str]]] = {}
    for event_id, span in event_spans.items():
        marks.setdefault(span.block, {}).setdefault(span.start, []).append(event_id)
    terms: dict[int, list[tuple[Span, str, int]]] = {}
    for term_id, spans in term_spans.items():
        for k, span in enumerate(spans, 1):
            terms.setdefault(span.block, []).append((span, term_id, k))
    out = []
    for index, block in enumerate(article.blocks):
        pieces = block_pieces(block, calls.get(index, {}), marks.get(index, {}), terms.get(index, []))
        ident = f"p{block.number}" if block.number else f"{block.kind}-{index + 1}"
        out.append(ComposedBlock(block.kind, block.number, pieces, ident))
    return tuple(out)


def block_pieces(block: Block, calls: dict, marks: dict, terms: list) -> tuple[Piece, ...]:
    text = block.text
    run_starts, offset = [], 0
    for run in block.runs:
        run_starts.append(offset)
        offset += len(run.text)
    cuts = {0, len(text), *run_starts, *calls, *marks}
    for span, _, _ in terms:
        cuts.update((span.start, span.end))
    pieces: list[Piece] = []
    for a, b in pairwise(sorted(cuts)):
        pieces.extend(boundary(a, calls, marks))
        run = block.runs[max(i for i, s in enumerate(run_starts) if s <= a)]
        term = next(((s, t, k) for s, t, k in terms if s.start <= a < s.end), None)
        pieces.extend(text_pieces(text[a:b], run, term, first=term is not None and term[0].start == a))
    pieces.extend(boundary(len(text), calls, marks))
    return tuple(pieces)


def boundary(offset: int, calls: dict, marks: dict) -> list[Piece]:
    """Calls for quotes ending here, then marks for passages starting here."""
    out = [Piece("call", text=str(n), number=n, target=f"call-{n}") for n in sorted(calls.get(offset, []))]
    out += [Piece("mark", target=f"at-{event_id}") for event_id in marks.get(offset, [])]
    return out


def text_pieces(text: str, run, term, first: bool) -> list[Piece]:
    """Text with its run's styles, acronyms split out; `first`: this starts a term occurrence."""
    term_id = term[1] if term else None
    first_use = bool(term) and term[2] == 1
    target = f"g-{term_id}-{term[2]}" if term and first else None
    out, last = [], 0
    for m in [*ACRONYM.finditer(text), None]:
        start, end = (m.start(), m.end()) if m else (len(text), len(text))
        for chunk, caps in ((text[last:start], False), (text[start:end], True)):
            if chunk:
                out.append(Piece("text", chunk, run.em, run.strong, run.href, caps, term_id, first_use,
                                 target=target))
                target = None  # the id goes on the first chunk only
        last = end
    return out


# --- notes, glossary, chronology ---------------------------------------------------------

def compose_notes(annotations: Annotations, spans: dict[str, Span], numbers: dict[str, int]):
    by_id = {n.id: n for n in annotations.notes}
    notes = []
    for note in annotations.notes:
        see = tuple((numbers[t], by_id[t].title or t) for t in note.see)
        notes.append(ComposedNote(
            number=numbers[note.id], id=note.id, title=note.title, kind=note.kind,
            body_html=render_markdown(note.body), sources_html=tuple(render_inline(s) for s in note.sources),
            see=see, block=spans[note.id].block,
        ))
    return tuple(sorted(notes, key=lambda n: n.number))


def compose_glossary(annotations: Annotations, term_spans: dict[str, list[Span]]):
    by_id = {t.id: t for t in annotations.glossary}
    entries = []
    for term in annotations.glossary:
        occurrences = tuple(f"g-{term.id}-{k}" for k in range(1, len(term_spans[term.id]) + 1))
        entries.append(ComposedTerm(
            id=term.id, term=term.term, aliases=term.aliases,
            definition_html=render_markdown(term.definition),
            see=tuple((t, by_id[t].term) for t in term.see), occurrences=occurrences,
        ))
    return tuple(sorted(entries, key=lambda e: sort_key(e.term)))


def sort_key(term: str) -> str:
    return re.sub(r"^(al[- ]|the )", "", term.casefold())


def compose_chronology(annotations: Annotations, spans: dict[str, Span], article: Article):
    events = []
    for order, event in enumerate(annotations.chronology):
        span = spans.get(event.id)
        events.append((event.date, order, ComposedEvent(
            id=event.id, date=event.date, end=event.end, event_html=render_inline(event.event),
            target=f"at-{event.id}" if span else None,
            paragraph=article.blocks[span.block].number if span else None,
            sources_html=tuple(render_inline(s) for s in event.sources),
        )))
    return tuple(e for _, _, e in sorted(events, key=lambda t: (t[0], t[1])))


# --- Markdown ---------------------------------------------------------------------------------

def _text_with_caps(renderer, tokens, idx, options, env):
    text = str(escape(tokens[idx].content))
    return ACRONYM.sub(lambda m: f'<abbr class="caps">{m.group()}</abbr>', text)


def _markdown() -> MarkdownIt:
    # Paragraphs, emphasis, code and links only: notes ride inside the article's
    # paragraphs, where lists or headings cannot go. html=False shows raw HTML as
    # text; markdown-it's link check refuses javascript:, vbscript:, file: and data:.
    md = MarkdownIt("zero", {"html": False, "typographer": False})
    md.enable(["emphasis", "link", "autolink", "backticks", "escape", "entity", "newline"])
    md.add_render_rule("text", _text_with_caps)
    return md


_MD = _markdown()


def render_markdown(text: str) -> str:
    """Markdown paragraphs as <span class="para"> (display: block), valid inside <p>."""
    html = _MD.render(text).strip()
    return html.replace("<p>", '<span class="para">').replace("</p>", "</span>")


def render_inline(text: str) -> str:
    return _MD.renderInline(text).strip()
