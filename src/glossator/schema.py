"""The three annotation formats, declared once.

The loader validates against these declarations and `glossator schema` (and
the JSON Schema files shipped in the package) are generated from them, so the
documentation, the editor completion and the checks cannot disagree.
"""
from __future__ import annotations

from dataclasses import dataclass

# Field kinds: what a value must be.
TEXT = "text"            # a non-empty string (Markdown where the format says so)
TEXT_LIST = "text-list"  # a string, or a list of strings
ID = "id"                # lowercase letters, digits and hyphens
ID_LIST = "id-list"      # an id, or a list of ids
DATE = "date"            # ISO 8601 at year, month or day precision
COUNT = "count"          # a whole number from 1 up

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: str
    required: bool
    description: str


@dataclass(frozen=True)
class FileSpec:
    filename: str  # under annotations/
    item: str      # what one list item is called in messages
    items: str
    title: str
    fields: tuple[FieldSpec, ...]

    @property
    def known(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.required)


_QUOTE_FIELDS = (
    FieldSpec("before", TEXT, False, "Words just before the quote, to pick one of several occurrences."),
    FieldSpec("after", TEXT, False, "Words just after the quote, to pick one of several occurrences."),
    FieldSpec("paragraph", COUNT, False, "The paragraph number the quote is in, to pick one of several."),
    FieldSpec("occurrence", COUNT, False, "Which occurrence of the quote (1 is the first), as a last resort."),
)

NOTES = FileSpec("notes.yaml", "note", "notes", "Glossator sidenotes", (
    FieldSpec("id", ID, True, "A unique name for the note, like 'quds-force'."),
    FieldSpec("quote", TEXT, True, "The passage the note explains, as it reads in the article; the call goes at its end."),
    FieldSpec("body", TEXT, True, "The note, in Markdown."),
    FieldSpec("title", TEXT, False, "A short heading, set in bold at the start of the note."),
    FieldSpec("kind", TEXT, False, "What the note is about: person, group, place, event, term, document."),
    FieldSpec("see", ID_LIST, False, "Ids of other notes to refer the reader to."),
    FieldSpec("sources", TEXT_LIST, False, "Where a reader can check the note: one citation per item, Markdown."),
    *_QUOTE_FIELDS,
))

GLOSSARY = FileSpec("glossary.yaml", "term", "glossary terms", "Glossator glossary", (
    FieldSpec("term", TEXT, True, "The term as the entry is headed."),
    FieldSpec("definition", TEXT, True, "The definition, in Markdown."),
    FieldSpec("id", ID, False, "A unique name; defaults to the term's slug."),
    FieldSpec("aliases", TEXT_LIST, False, "Other spellings or acronyms as the article writes them."),
    FieldSpec("see", ID_LIST, False, "Ids of related glossary entries ('see also')."),
))

CHRONOLOGY = FileSpec("chronology.yaml", "event", "chronology events", "Glossator chronology", (
    FieldSpec("date", DATE, True, "When: \"2003\", \"2011-12\" or \"2020-01-03\"."),
    FieldSpec("event", TEXT, True, "What happened, in Markdown."),
    FieldSpec("end", DATE, False, "When a span of time ended, same format as date."),
    FieldSpec("quote", TEXT, False, "The passage of the article that mentions the event."),
    FieldSpec("sources", TEXT_LIST, False, "Where a reader can check the event."),
    *_QUOTE_FIELDS,
))

FILES = (NOTES, GLOSSARY, CHRONOLOGY)
