"""Questions for a class: annotations/questions.yaml, read, checked and anchored.

The file is optional. Each question may point at a passage (`quote:`, with the
same helpers as a note's: before, after, paragraph, occurrence); it is anchored
like a note, by anchor.Anchorer, so a missing or ambiguous quote is the same
error (A101, A102...) naming the question. `kind` sizes the writing space
(schema.QUESTION_KINDS), `audience: teacher` keeps a question, or a note, to
the teacher's copy (glossator.variants). Problems are findings, as in load.py,
whose YAML reading this module shares.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import ids, schema
from .anchor import Anchorer
from .compose import block_id, render_markdown
from .errors import Finding, finding
from .load import Item, make_quote, read_items
from .model import Annotations, Article, Quote, Where


@dataclass(frozen=True)
class Question:
    index: int  # its place in the file, 1-based
    text: str  # Markdown
    where: Where
    label: str  # how messages name it: "#3"
    quote: Quote | None = None
    answer: str | None = None  # Markdown
    kind: str = "short"
    audience: str = "all"


@dataclass(frozen=True)
class ComposedQuestion:
    number: int
    id: str
    question_html: str
    answer_html: str | None
    kind: str
    lines: int  # ruled lines to write on
    audience: str
    place: tuple[str, int] | None  # (paragraph id, offset) of its passage, for the page
    paragraph: int | None
    passage: str | None  # the passage as the article writes it


@dataclass(frozen=True)
class Asked:
    questions: tuple[ComposedQuestion, ...]
    findings: tuple[Finding, ...]


def load_questions(root: Path, findings: list) -> tuple[Question, ...]:
    """The questions of annotations/questions.yaml (none if there is no file)."""
    out = []
    for item in read_items(root, schema.QUESTIONS, findings) or []:
        kind_ok = choice_ok(item, "kind", schema.QUESTION_KINDS, "Q101", findings)
        audience_ok = choice_ok(item, "audience", schema.AUDIENCES, "Q102", findings)
        if item.ok and kind_ok and audience_ok:
            out.append(make_question(item))
    return tuple(out)


def choice_ok(item: Item, field: str, known, code: str, findings: list) -> bool:
    value = item.values.get(field)
    if value is None or value in known:
        return True
    findings.append(finding(code, item.place(field), item="question", label=item.label, value=value,
                            known=", ".join(known)))
    return False


def make_question(item: Item) -> Question:
    v = item.values
    return Question(item.index, v["question"], item.where, item.label,
                    quote=make_quote(item) if "quote" in v else None, answer=v.get("answer"),
                    kind=v.get("kind", "short"), audience=v.get("audience", "all"))


def note_audience_findings(annotations: Annotations) -> list[Finding]:
    """A note's audience is one of schema.AUDIENCES (load.py reads it as text)."""
    return [finding("Q102", n.where, item="note", label=f"'{n.id}'", value=n.audience,
                    known=", ".join(schema.AUDIENCES))
            for n in annotations.notes if n.audience not in schema.AUDIENCES]


def compose_questions(article: Article, questions: tuple[Question, ...]) -> Asked:
    """Anchor each question's quote and render its Markdown; numbered in the file's order."""
    anchorer = Anchorer(article)
    findings: list[Finding] = []
    out = []
    for number, q in enumerate(questions, 1):
        place = paragraph = passage = None
        if q.quote is not None:
            resolved = anchorer.resolve(q.quote, "question", q.label.strip("'"), q.where)
            findings.extend(resolved.findings)
            if resolved.span is None:
                continue
            span = resolved.span
            block = article.blocks[span.block]
            place = (block_id(block, span.block), span.start)
            paragraph, passage = block.number, block.text[span.start:span.end]
        out.append(ComposedQuestion(
            number=number, id=ids.question(number), question_html=render_markdown(q.text),
            answer_html=render_markdown(q.answer) if q.answer else None, kind=q.kind,
            lines=schema.QUESTION_KINDS[q.kind], audience=q.audience, place=place,
            paragraph=paragraph, passage=passage))
    return Asked(tuple(out), tuple(findings))


def question_pages(questions, measured) -> dict[int, int]:
    """question number -> the page its passage starts on, from the body's measured lines."""
    from .placement.engine import page_at

    pages = {q.number: page_at(measured, *q.place) for q in questions if q.place}
    return {k: v for k, v in pages.items() if v is not None}
