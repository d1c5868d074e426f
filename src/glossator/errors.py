"""Glossator's problems: coded findings, and one family of exceptions.

Every problem Glossator reports is a :class:`Finding`: a code from :data:`CODES`,
a severity, a place (file, line, column), a message saying what is wrong and a
hint saying what to do. Stations collect findings and keep going, so one run
reports everything; only the CLI prints them and picks the exit code.

Exceptions, for what cannot go on::

    GlossatorError            carries findings; exit 1
    ├── InputError            the edition's files are wrong (exit 1)
    ├── RenderError           Jinja2 or WeasyPrint failed (exit 3)
    └── OutputError           the outputs could not be written (exit 4)
    UsageError                the command line is wrong (exit 2)

Foreign exceptions (YAML, Jinja2, WeasyPrint, OS) are wrapped where they enter,
``raise RenderError(...) from exc``, never let through to the user.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"
INFO = "info"  # printed by `check`, never counted as a problem, even with --strict


@dataclass(frozen=True)
class Code:
    severity: str
    message: str  # str.format template, filled from the finding's details
    hint: str


# The catalogue: the emitting code looks messages up here, so it cannot drift.
# Families: S source, Y annotation files, A anchors, N notes, G glossary,
# C chronology, Q questions, L layout, R render, O output, X security (what a build may read), F fonts.
CODES: dict[str, Code] = {
    "S101": Code(ERROR, "{what} not found",
                 "Create it, or run the command in an edition folder (source/, annotations/)."),
    "S102": Code(ERROR, "file is not UTF-8 text ({reason})",
                 "Save the file with UTF-8 encoding."),
    "S103": Code(ERROR, "front matter is missing or not closed",
                 "Start the file with a '---' line, YAML fields, and another '---' line."),
    "S104": Code(ERROR, "front matter: {reason}",
                 "Fix the YAML between the two '---' lines."),
    "S105": Code(ERROR, "front matter: required field '{field}' is missing",
                 "Add '{field}:' to the front matter."),
    "S106": Code(ERROR, "front matter: '{field}' {reason}",
                 "{fix}"),
    "S107": Code(WARNING, "front matter: unknown field '{field}' is ignored{suggestion}",
                 "Glossator reads: {known}. Remove the field, or keep it for another tool."),
    "S108": Code(ERROR, "the article has no paragraphs",
                 "Write the article's text below the front matter, paragraphs separated by blank lines."),
    "S109": Code(ERROR, "unsupported Markdown: {what}",
                 "Use paragraphs, '::: pullquote' blocks, headings, emphasis and links."),
    "S110": Code(ERROR, "the file is too large ({size}; the limit is {limit})",
                 "An article is a few hundred kilobytes at most: check that this is the right file."),
    "S111": Code(ERROR, "cannot read {what}: {reason}",
                 "Check its permissions: in the edition folder, `ls -ld {what}` shows them and "
                 "`chmod {mode} {what}` lets you read it."),
    "S112": Code(ERROR, "{what} is {kind}, not a {expected}",
                 "Make {what} a plain file: the article, in Markdown with front matter."),
    "S113": Code(ERROR, "front matter: '{field}' is given twice (first {first})",
                 "Keep one '{field}:' and delete the other (YAML would silently use the last)."),
    "Y101": Code(ERROR, "YAML syntax error: {reason}",
                 "Check indentation (spaces, not tabs) and quote values that contain ': ' or start with a quote."),
    "Y102": Code(ERROR, "expected a list of {items} at the top level, found {found}",
                 "Write each {item} as a list item starting with '- '."),
    "Y103": Code(ERROR, "{item} {index}: expected a mapping of fields, found {found}",
                 "Write fields as 'key: value' lines under the '- '."),
    "Y104": Code(ERROR, "{item} {label}: required field '{field}' is missing",
                 "Add '{field}:' to this {item}."),
    "Y105": Code(ERROR, "{item} {label}: unknown field '{field}'{suggestion}",
                 "Known fields: {known}."),
    "Y106": Code(ERROR, "{item} {label}: '{field}' must be {expected}, found {found}",
                 "Write '{field}' as {expected}."),
    "Y107": Code(ERROR, "{item} {label}: duplicate id '{id}' (first at line {first})",
                 "Give each {item} its own id."),
    "Y108": Code(ERROR, "the file holds no {items} (it is empty, or only comments)",
                 "Add {items}, or write '[]' if the edition has none (an empty file may be a lost save)."),
    "Y109": Code(ERROR, "file is not UTF-8 text ({reason})", "Save the file with UTF-8 encoding."),
    "Y110": Code(ERROR, "{item} {label}: '{field}' is empty", "Write a value, or remove the field."),
    "Y111": Code(ERROR, "YAML aliases are not allowed ('*{name}')",
                 "Write the value out in full: annotation files use no anchors ('&') or aliases ('*')."),
    "Y112": Code(ERROR, "a tab character where YAML expects spaces",
                 "Use spaces, not tabs, to indent and after ':' (YAML does not allow tabs there)."),
    "Y113": Code(ERROR, "{item} {label}: '{field}' is given twice (first at line {first})",
                 "Keep one '{field}:' and delete the other (YAML would silently use the last)."),
    "Y114": Code(ERROR, "YAML nested more than {limit} levels deep",
                 "An annotation file is a list of items with 'key: value' fields: check brackets and indentation."),
    "Y115": Code(ERROR, "the file is too large ({size}; the limit is {limit})",
                 "Annotation files are a few hundred kilobytes at most: check that this is the right file."),
    "Y116": Code(ERROR, "cannot read {what}: {reason}",
                 "Check its permissions: in the edition folder, `ls -ld {what}` shows them and "
                 "`chmod {mode} {what}` lets you read it."),
    "Y117": Code(ERROR, "{what} is {kind}, not a {expected}",
                 "Make {what} a plain {expected} (annotations/ holds notes.yaml, glossary.yaml and "
                 "chronology.yaml), or remove it if the edition has none."),
    "Y118": Code(ERROR, "a {name} here, which YAML reads as a line break",
                 "Replace it with a space (text pasted from web pages often carries these), or quote the value."),
    "Y119": Code(ERROR, "{reason}", "{fix}"),
    "A101": Code(ERROR, "{item} '{id}': quote not found: “{quote}”{closest}",
                 "Copy the passage exactly as it reads in source/article.md."),
    "A102": Code(ERROR, "{item} '{id}': quote occurs {count} times: {places}",
                 "Add 'before:' or 'after:' with words next to the right one, or 'occurrence: N'."),
    "A103": Code(WARNING, "{item} '{id}': quote matched, but case differs: “{found}”",
                 "Set quote: {quoted}"),
    "A104": Code(WARNING, "{item} '{id}': quote placed approximately ({similarity}% alike): the article reads “{found}”",
                 "If that is the passage, set quote: {quoted}"),
    "A105": Code(WARNING, "{item} '{id}': quote “{quote}” is short ({length} characters): a fragile anchor",
                 "Quote a few more words so edits to the article cannot move it."),
    "A106": Code(ERROR, "{item} '{id}': {field}: “{text}” is not next to any occurrence of the quote",
                 "Copy the words just {side} the quote from the article, or remove '{field}:'."),
    "A107": Code(ERROR, "{item} '{id}': occurrence {occurrence} asked for, the quote occurs {count} times",
                 "Use a number from 1 to {count}."),
    "A108": Code(ERROR, "{item} '{id}': quote not found; the closest passage, ¶ {paragraph} “{found}”, "
                 "is only {similarity}% alike",
                 "Correct 'quote:' to the article's words, or add 'before:' or 'after:' with the words next to "
                 "the passage to confirm it."),
    "A109": Code(WARNING, "{item} '{id}': paragraph: {hint} given, but the quote is in ¶ {actual}",
                 "Set paragraph: {actual}, or remove it."),
    "N101": Code(ERROR, "note '{id}': see: '{target}' is neither a note nor a glossary entry{suggestion}",
                 "Name another note by its id, or a glossary entry by its id, term or alias."),
    "N102": Code(ERROR, "note '{id}': call falls inside another note's call at the same place",
                 "Quote a different passage for one of the two notes."),
    "N103": Code(WARNING, "note '{id}' overlaps note '{other}' in ¶ {paragraph}: “{text}”",
                 "Overlapping notes are allowed; quote other words if the two should not share a passage."),
    "N104": Code(ERROR, "{item} {label}: kind '{kind}' is not one Glossator knows{suggestion}",
                 "Use one of {known} (it is printed as a small label at the head of the note), "
                 "or leave 'kind:' out."),
    "G101": Code(WARNING, "glossary term '{term}' never occurs in the article",
                 "Add the spelling the article uses to 'aliases:', or remove the term."),
    "G102": Code(ERROR, "glossary: '{alias}' is given for both '{a}' and '{b}'",
                 "Keep each term and alias on one entry only."),
    "G103": Code(ERROR, "glossary term '{term}': see: '{target}' is not a glossary entry{suggestion}",
                 "Name another glossary entry by its id, its term or one of its aliases."),
    "C101": Code(ERROR, "chronology: '{field}' “{value}” is not a date: {reason}",
                 "Write a year, a month or a day: \"2003\", \"2011-12\", \"2020-01-03\" or \"January 3, 2020\"."),
    "C102": Code(ERROR, "chronology: end {end} is before date {date}",
                 "Swap the two dates, or correct one."),
    "C103": Code(ERROR, "chronology: event {date} repeats the event at line {first}",
                 "Delete one of the two."),
    "Q101": Code(ERROR, "question {label}: kind “{value}” is not one of {known}",
                 "Write kind: short (3 ruled lines), long (8) or discussion (no lines), or leave it out."),
    "Q102": Code(ERROR, "{item} {label}: audience “{value}” is not one of {known}",
                 "Write audience: teacher for the teacher's copy only, or leave it out (everyone)."),
    "L101": Code(WARNING, "note {number} ('{id}') is too long for a page: it is set after the article, under "
                 "'Long notes', and a pointer beside its line gives the page",
                 "Shorten the note, or split it into two, to keep it beside the text."),
    "L102": Code(ERROR, "page {page}: notes do not fit beside the text even after moving text to the next page",
                 "Shorten the notes on page {page}, or anchor some of them further on."),
    "L103": Code(WARNING, "¶ {paragraph}, page {page}: the line starting “{start}” is set short",
                 "WeasyPrint broke this line early; rewording a few words nearby usually mends it."),
    "L104": Code(WARNING, "{what}: a word of {length} characters (“{start}…”) has no place to break; it is "
                 "broken between two letters where the line ends",
                 "Give it a place to break: a soft hyphen (&shy;) in a long name, or shorter link text for a URL."),
    "L105": Code(WARNING, "{selector} {{ {property} }} sets the page's geometry directly: the placement pass "
                 "will not know it", "Set {instead} in a :root rule instead (README: Restyling an edition)."),
    "L106": Code(ERROR, "{name}: “{value}” is not a length from {least} to {most} pt ({what})",
                 "Write a length such as {least}pt (pt, px, in, mm or cm), within the range."),
    "L107": Code(ERROR, "on {paper} paper ({width} pt wide) the widths set leave an outside margin of {outside} pt; "
                 "it must be at least {least} pt",
                 "Narrow --text-width, --note-width, --note-gap or --inside."),
    "R101": Code(ERROR, "template error: {reason}", "Check the templates in the edition's templates/ folder."),
    "R102": Code(ERROR, "WeasyPrint could not render the edition: {reason}",
                 "Check the edition's styles/*.css and templates/ for what the message names; "
                 "set GLOSSATOR_DEBUG=1 to see WeasyPrint's own traceback."),
    "R103": Code(ERROR, "layout did not settle: {reason}",
                 "This is a Glossator bug; please report it with the edition."),
    "R104": Code(ERROR, "cannot use this stylesheet: {reason}", "{fix}"),
    "R105": Code(ERROR, "template stopped: {reason}",
                 "A template may run {seconds:g} s, make strings and lists of {value:,} items and output "
                 "{size:,} characters at most: look for loops nested over large ranges, or a string or list "
                 "repeated or grown many times, near this line."),
    "R106": Code(WARNING, "fonts were subset with fontTools, about 1 s slower a build: HarfBuzz's subsetter "
                 "(libharfbuzz-subset) is not installed",
                 "Install it (Debian / Ubuntu: sudo apt install libharfbuzz-subset0; macOS: brew install harfbuzz)."),
    "R107": Code(WARNING, "{name} replaces Glossator's skeleton template, whose ids and structure the "
                 "placement of notes reads back",
                 "Override the parts instead ({parts}), copied from the package's templates/ folder; a "
                 "skeleton of your own must be brought up to date with each Glossator release."),
    "O101": Code(ERROR, "cannot write {what}: {reason}",
                 "Check the output folder exists and is writable, or pass --out DIR."),
    "O102": Code(ERROR, "output/ is a link to {target}, outside the edition folder",
                 "Remove the link, or choose where the outputs go with --out DIR."),
    "O105": Code(ERROR, "cannot write {what}: {reason}; the files already written were removed",
                 "Check that the folder is writable and the disk has room, then run `glossator new` again."),
    "O103": Code(ERROR, "'{name}' is not a plain file name: it would be written outside {folder}",
                 "This is a Glossator bug; please report it with the edition."),
    "O104": Code(ERROR, "another build is writing to {folder}; waited {seconds} s for it to finish",
                 "Another `glossator build` or `watch` writes there: wait for it and build again, "
                 "or pass --out DIR."),
    "O106": Code(WARNING, "a copy made before {changed} last changed, which this build did not make again: "
                 "it may not show the latest edits",
                 "Build every copy again with `glossator build --all` (add --booklet for the folded booklet), or "
                 "delete the old copy so that no one prints it."),
    "X101": Code(ERROR, "refused to read {url}: {reason}",
                 "A build reads only files inside the edition folder and data: URLs: copy the file into "
                 "the edition (e.g. styles/) and refer to it by a relative path."),
    "X102": Code(ERROR, "rel=\"attachment\" would embed {url} in the PDF",
                 "Remove rel=\"attachment\" from the template: Glossator's PDFs embed no files."),
    "X103": Code(ERROR, "a symbolic link to {target}, outside the edition folder",
                 "Replace the link with a copy of the file inside the edition."),
    "S130": Code(WARNING, "¶ {number} repeats ¶ {first} (line {line}): “{start}”",
                 "Delete the copy: a pull quote pasted from the page as a second paragraph is set in a "
                 "'::: pullquote' block, or removed."),
    "S131": Code(WARNING, "{what}, like the site's menu: “{text}”",
                 "Delete these lines if they were copied from the page around the article; a heading is "
                 "written '## Heading'."),
    "S132": Code(WARNING, "“{text}” looks like {why}, not the article's text",
                 "Delete it if it was copied from the page around the article (`glossator new --from` "
                 "removes such lines)."),
    "S133": Code(INFO, "straight quotes or '--' in the article ({what}; the first here): the build sets "
                 "them as curly quotes and dashes for lang {lang}",
                 "Nothing to do, unless an apostrophe must not curl as an opening quote (’90s, ’tis): write ’ "
                 "there yourself.{dashes}"),
    "S140": Code(ERROR, "footnote '{mark}': Glossator sets no footnotes in the article; its notes come from "
                 "annotations/notes.yaml", "{fix}"),
    "S141": Code(INFO, "an HTML comment is left out of the edition, as Pandoc leaves it out: “{text}”",
                 "Nothing to do: comments are the author's own, never printed, and take no paragraph number."),
    "S142": Code(WARNING, "fenced div '{fence}': its ':::' lines are left out and what it holds is set as "
                 "ordinary paragraphs",
                 "Glossator knows one kind of block, '::: pullquote' (a pull quote). Delete the ':::' lines "
                 "to keep the text as paragraphs, or make it '::: pullquote'."),
    "S143": Code(INFO, "heading attributes '{attributes}' are left out (Glossator gives headings ids of its own)",
                 "Nothing to do; delete them to silence this."),
    "S144": Code(WARNING, "'{command}' is left out: Glossator breaks the pages itself",
                 "Delete the line: pages break where the notes fit best beside their lines, and never "
                 "after a heading."),
    "S145": Code(ERROR, "{what} would be printed as written: “{text}”", "{fix}"),
    "F101": Code(WARNING, "{what}: no font of the edition has {count} of its characters, which print as "
                 "empty boxes: {characters}",
                 "Bring a font that has them (SIL OFL fonts such as Noto cover most scripts): put it in "
                 "styles/ and load it with @font-face (README, \"Fonts and licences\"). A control character "
                 "(U+0000 to U+001F, U+007F to U+009F) came with a paste: delete it."),
}


# Characters a terminal acts on instead of showing: C0 controls (ESC starts the sequences
# that set the clipboard, retitle the window or clear the screen), DEL, C1 controls, and
# the bidirectional overrides and isolates that make text read other than it is, with the
# line and paragraph separators that editors do not count as line breaks.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` with every character a terminal would act on written as an escape: ESC as \\x1b."""
    return _UNPRINTABLE.sub(_escape, text)


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


@dataclass(frozen=True)
class Finding:
    """One problem. Its text is made printable here, once, whoever builds it: messages quote
    the edition's own text, and editions are shared between strangers."""
    code: str
    severity: str
    path: str
    line: int
    column: int
    message: str
    hint: str

    def __post_init__(self):
        for name in ("path", "message", "hint"):
            object.__setattr__(self, name, printable(getattr(self, name)))

    def format(self) -> str:
        place = self.path
        if self.line:
            place += f":{self.line}"
            if self.column:
                place += f":{self.column}"
        return f"{place + ': ' if place else ''}{self.code} {self.message}\n    hint: {self.hint}"

    def as_dict(self) -> dict:
        return {
            "code": self.code, "severity": self.severity, "path": self.path,
            "line": self.line, "column": self.column,
            "message": self.message, "hint": self.hint,
        }


def finding(code: str, where=None, **details) -> Finding:
    """Build the finding for `code` at `where` (a model.Where, or None)."""
    entry = CODES[code]
    path = getattr(where, "path", "") if where is not None else ""
    line = getattr(where, "line", 0) if where is not None else 0
    column = getattr(where, "column", 0) if where is not None else 0
    return Finding(
        code=code, severity=entry.severity, path=path, line=line, column=column,
        message=entry.message.format(**details), hint=entry.hint.format(**details),
    )


def errors_in(findings) -> list[Finding]:
    return [f for f in findings if f.severity == ERROR]


class GlossatorError(Exception):
    exit_code = 1

    def __init__(self, findings):
        self.findings = tuple(findings)
        super().__init__("; ".join(f.message for f in self.findings))


class InputError(GlossatorError):
    exit_code = 1


class RenderError(GlossatorError):
    exit_code = 3


class OutputError(GlossatorError):
    exit_code = 4


class UsageError(Exception):
    exit_code = 2
