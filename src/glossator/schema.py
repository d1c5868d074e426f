"""The annotation formats (notes, glossary, chronology, questions), declared once.

The loader validates against these declarations and `glossator schema` (and
the JSON Schema files shipped in the package) are generated from them, so the
documentation, the editor completion and the checks cannot disagree.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

# Field kinds: what a value must be.
TEXT = "text"            # a non-empty string (Markdown where the format says so)
TEXT_LIST = "text-list"  # a string, or a list of strings
ID = "id"                # lowercase letters, digits and hyphens
ID_LIST = "id-list"      # an id, or a list of ids
REF_LIST = "ref-list"    # an entry named by its id, term or alias, or a list of them
NOTE_KIND = "note-kind"  # one of NOTE_KINDS
DATE = "date"            # ISO 8601 at year, month or day precision, or written out ("March 12, 1947")
COUNT = "count"          # a whole number from 1 up

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
DATE_PATTERN = r"^(?!0000)\d{4}(-\d{2}(-\d{2})?)?$"  # years 0001 to 9999, as model.PartialDate
# What a note is about: printed as a small label at the head of the note.
NOTE_KINDS = ("person", "group", "place", "event", "term", "document")


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
    FieldSpec("kind", NOTE_KIND, False, "What the note is about, printed as a small label: "
              + ", ".join(NOTE_KINDS) + "."),
    FieldSpec("see", REF_LIST, False, "Other notes (by id) or glossary entries (by id, term or alias) "
              "to refer the reader to."),
    FieldSpec("sources", TEXT_LIST, False, "Where a reader can check the note: one citation per item, Markdown."),
    FieldSpec("audience", TEXT, False, "'teacher': the note is printed in the teacher's copy only (build --variant teacher)."),
    *_QUOTE_FIELDS,
))

GLOSSARY = FileSpec("glossary.yaml", "term", "glossary terms", "Glossator glossary", (
    FieldSpec("term", TEXT, True, "The term as the entry is headed."),
    FieldSpec("definition", TEXT, True, "The definition, in Markdown."),
    FieldSpec("id", ID, False, "A unique name; defaults to the term's slug."),
    FieldSpec("aliases", TEXT_LIST, False, "Other spellings or acronyms as the article writes them."),
    FieldSpec("see", REF_LIST, False, "Related glossary entries ('see also'), by id, term or alias."),
))

CHRONOLOGY = FileSpec("chronology.yaml", "event", "chronology events", "Glossator chronology", (
    FieldSpec("date", DATE, True, "When: \"2003\", \"2011-12\", \"2020-01-03\" or \"March 12, 1947\"."),
    FieldSpec("event", TEXT, True, "What happened, in Markdown."),
    FieldSpec("end", DATE, False, "When a span of time ended, same format as date."),
    FieldSpec("quote", TEXT, False, "The passage of the article that mentions the event."),
    FieldSpec("sources", TEXT_LIST, False, "Where a reader can check the event."),
    *_QUOTE_FIELDS,
))

# Questions for a class (glossator.questions): printed by the student and teacher variants.
QUESTION_KINDS = {"short": 3, "long": 8, "discussion": 0}  # kind -> ruled lines to write on
AUDIENCES = ("all", "teacher")

QUESTIONS = FileSpec("questions.yaml", "question", "questions", "Glossator questions", (
    FieldSpec("question", TEXT, True, "The question, in Markdown."),
    FieldSpec("quote", TEXT, False, "The passage the question is about; the copy gives its paragraph and page."),
    FieldSpec("answer", TEXT, False, "A model answer, in Markdown: printed in the teacher's copy only."),
    FieldSpec("kind", TEXT, False, "short (3 ruled lines, the default), long (8) or discussion (no lines)."),
    FieldSpec("audience", TEXT, False, "all (the default) or teacher: a question for the teacher's copy only."),
    *_QUOTE_FIELDS,
))

FILES = (NOTES, GLOSSARY, CHRONOLOGY, QUESTIONS)


# --- JSON Schema, for editors ----------------------------------------------------------
#
# The files in schemas/ are generated from the declarations above (run
# `python -m glossator.schema` after changing them; a test checks they are current).
# They describe what the loader accepts: it reads every scalar as the text
# written, so a TEXT may be written as a number or true/false, and a year may be
# an unquoted number.

# Draft 7: the newest draft that every editor's YAML plugin reads in full.
_SCHEMA_DIALECT = "http://json-schema.org/draft-07/schema#"

_TEXT = {"type": ["string", "number", "boolean"], "pattern": r"\S"}
_ID = {"type": "string", "pattern": ID_PATTERN}
_KINDS = {
    TEXT: _TEXT,
    TEXT_LIST: {"anyOf": [_TEXT, {"type": "array", "items": _TEXT}]},
    ID: _ID,
    ID_LIST: {"anyOf": [_ID, {"type": "array", "items": _ID}]},
    REF_LIST: {"anyOf": [_TEXT, {"type": "array", "items": _TEXT}]},
    NOTE_KIND: {"enum": list(NOTE_KINDS)},
    # ISO, or written out: the loader reads the words (model.PartialDate), a pattern cannot.
    DATE: {"anyOf": [{"type": "string", "pattern": r"\d{4}"},
                     {"type": "integer", "minimum": 1000, "maximum": 9999}]},
    COUNT: {"type": "integer", "minimum": 1},
}


# Fields whose text is one of a few words (checked by glossator.questions).
_CHOICES = {("questions.yaml", "kind"): {"enum": list(QUESTION_KINDS)},
            ("questions.yaml", "audience"): {"enum": list(AUDIENCES)},
            ("notes.yaml", "audience"): {"enum": list(AUDIENCES)}}


def json_schema(spec: FileSpec) -> dict:
    """The JSON Schema of one annotation file."""
    properties = {f.name: {"description": f.description, **_KINDS[f.kind], **_CHOICES.get((spec.filename, f.name), {})}
                  for f in spec.fields}
    return {
        "$schema": _SCHEMA_DIALECT,
        "title": spec.title,
        "description": f"annotations/{spec.filename}: a list of {spec.items}.",
        "type": "array",
        "items": {
            "type": "object",
            "required": list(spec.required),
            "properties": properties,
            "additionalProperties": False,
        },
    }


def schema_filename(spec: FileSpec) -> str:
    return spec.filename.replace(".yaml", ".schema.json")


def json_schema_text(spec: FileSpec) -> str:
    return json.dumps(json_schema(spec), indent=2, ensure_ascii=False) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    """Write the JSON Schema files into folder; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for spec in FILES:
        path = folder / schema_filename(spec)
        path.write_text(json_schema_text(spec), encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":  # regenerate the shipped files: python -m glossator.schema
    for written in write_schemas(Path(__file__).parent / "schemas"):
        print(f"wrote {written}")
