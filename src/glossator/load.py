"""Station 1, load: the article and the annotation files, with line numbers.

Nothing here raises on bad input: every problem becomes a Finding and loading
goes on, so one run reports all of them. Callers decide whether to stop.
"""
from __future__ import annotations

import bisect
import difflib
import errno
import functools
import json
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

import yaml
from markdown_it import MarkdownIt
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.footnote import footnote_plugin

from . import schema
from .errors import Finding, finding
from .furniture import shorten
from .typography import typographer
from .model import (Annotations, Article, Block, Event, Meta, Note, PartialDate, Quote,
                    Run, Term, Where, join_names, slugify)

ARTICLE = "source/article.md"
ANNOTATIONS = "annotations"
MAX_BYTES = 5 * 1024 * 1024  # an annotation file or article larger than this is refused
MAX_DEPTH = 20  # YAML nesting deeper than this is refused (the formats need 4 levels)


@dataclass(frozen=True)
class Loaded:
    article: Article | None
    annotations: Annotations
    findings: tuple[Finding, ...]


def load(root: Path) -> Loaded:
    findings: list[Finding] = []
    article = load_article(root, findings)
    annotations = load_annotations(root, findings)
    return Loaded(article, annotations, tuple(findings))


# --- reading files --------------------------------------------------------------

@dataclass(frozen=True)
class FileCodes:
    """A family's codes for the problems of reading one of its files."""
    not_a_file: str  # a folder, a FIFO, a loop of links, a link to nothing
    unreadable: str  # permission denied, or another error of the system's
    encoding: str  # not UTF-8, or NUL bytes
    size: str  # larger than MAX_BYTES


ARTICLE_CODES = FileCodes("S112", "S111", "S102", "S110")
ANNOTATION_CODES = FileCodes("Y117", "Y116", "Y109", "Y115")


def read_text(root: Path, rel: str, findings: list, codes: FileCodes, required: bool) -> str | None:
    """The file's text, or None (with a finding) if it is missing, not a file, unreadable,
    too big or not UTF-8. A missing file is a finding only if `required`."""
    path = root / rel
    where = Where(rel, 1)
    kind = file_kind(path)
    if kind == "missing":
        if required:
            findings.append(finding("S101", Where(rel), what=rel))
        return None
    if kind == "denied":  # a folder on the way may not be searched: say which, once
        folder = blocked_folder(root, rel)
        _add_once(findings, finding(codes.unreadable, Where(folder), what=f"{folder}/",
                                    reason="permission denied", mode="u+rx"))
        return None
    if kind != "a file":
        findings.append(finding(codes.not_a_file, Where(rel), what=rel, kind=kind, expected="file"))
        return None
    if not path.resolve().is_relative_to(root.resolve()):  # a link leading out of the edition
        findings.append(finding("X103", Where(rel), target=path.resolve()))
        return None
    size = path.stat().st_size
    if size > MAX_BYTES:  # refused before reading: a 50 MB file costs nothing
        findings.append(finding(codes.size, where, size=f"{size:,} bytes", limit=f"{MAX_BYTES:,} bytes"))
        return None
    try:
        data = path.read_bytes()
    except OSError as exc:
        reason = "permission denied" if isinstance(exc, PermissionError) else (exc.strerror or str(exc))
        findings.append(finding(codes.unreadable, where, what=rel, reason=reason, mode="u+r"))
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = _line_breaks(data[: exc.start].decode("utf-8", "replace")) + 1
        findings.append(finding(codes.encoding, Where(rel, line),
                                reason=f"byte 0x{data[exc.start]:02x} at offset {exc.start}"))
        return None
    if "\x00" in text:
        line = _line_breaks(text[: text.index("\x00")]) + 1
        findings.append(finding(codes.encoding, Where(rel, line), reason="it contains NUL bytes; is it a binary file?"))
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def file_kind(path: Path) -> str:
    """What is at `path`, as messages say it ("a file", "a folder", "a loop of symbolic
    links"...), or "missing", or "denied" (a folder on the way may not be searched)."""
    try:
        mode = path.stat().st_mode  # follows links: what a read would open
    except PermissionError:
        return "denied"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "a loop of symbolic links"
        if path.is_symlink():
            return "a symbolic link to a missing file"
        return "missing"  # ENOENT; ENOTDIR (a file where a folder should be) is reported for the folder
    if stat.S_ISREG(mode):
        return "a file"
    return "a folder" if stat.S_ISDIR(mode) else "a special file (a FIFO, socket or device)"


def blocked_folder(root: Path, rel: str) -> str:
    """The first folder on the way to `rel` that may not be searched, relative to root."""
    parts = Path(rel).parts[:-1]
    for depth in range(len(parts)):
        folder = root.joinpath(*parts[: depth + 1])
        try:
            os.stat(folder / ".")
        except PermissionError:
            return Path(*parts[: depth + 1]).as_posix()
        except OSError:
            break
    return Path(*parts).as_posix() if parts else "."


def _add_once(findings: list, found: Finding) -> None:
    if found not in findings:
        findings.append(found)


def _line_breaks(text: str) -> int:
    """How many line breaks an editor sees in `text`: \\n, \\r\\n or \\r (not U+2028 or NEL)."""
    return text.count("\n") + text.count("\r") - text.count("\r\n")


# --- YAML, as nodes -------------------------------------------------------------------

class Refused(yaml.YAMLError):
    """YAML that is well formed but not allowed here (aliases, deep nesting)."""

    def __init__(self, code: str, mark, reason: str, **details):
        super().__init__(reason)
        self.code, self.problem_mark, self.problem, self.details = code, mark, reason, details


class _Limits:
    """Composes YAML nodes only, never Python objects, and refuses aliases and deep nesting.

    Aliases are what a "billion laughs" bomb is made of, and the formats have no use for
    them; the depth limit keeps PyYAML's recursive composer far from Python's stack limit.
    """
    depth = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise Refused("Y111", event.start_mark, f"YAML aliases are not allowed ('*{event.anchor}')",
                          name=event.anchor)
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise Refused("Y114", self.peek_event().start_mark, f"nested more than {MAX_DEPTH} levels deep",
                              limit=MAX_DEPTH)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


class _Composer(_Limits, yaml.SafeLoader):
    """PyYAML in pure Python: its marks and messages are the ones the findings quote."""


if yaml.__with_libyaml__:
    class _FastComposer(_Limits, yaml.composer.Composer, yaml.cyaml.CParser, yaml.resolver.Resolver):
        """libyaml's C scanner and parser under the same composer: about ten times as fast on
        a long annotation file. Used only for YAML whose lines both count alike, and never
        to word a problem (see compose_yaml)."""

        def __init__(self, text: str):
            yaml.cyaml.CParser.__init__(self, text)
            yaml.composer.Composer.__init__(self)
            yaml.resolver.Resolver.__init__(self)

        def compose_scalar_node(self, anchor):
            node = super().compose_scalar_node(anchor)
            node.style = node.style or None  # a plain scalar: None to PyYAML, "" to libyaml
            return node
else:  # a PyYAML built without libyaml
    _FastComposer = None


@functools.lru_cache(maxsize=8)
def compose_yaml(text: str):
    """The document's root node (None if it has none). Raises yaml.YAMLError, or Refused.

    Kept for the same text (nodes are only read, never changed): `glossator watch` would
    otherwise parse every unchanged file again on each rebuild. libyaml parses where it can;
    YAML it finds wrong, with tabs, or with line breaks an editor does not count
    (editor_place), goes to PyYAML, whose marks and messages the findings are written for."""
    # libyaml also takes a tab where PyYAML refuses one (Y112): such YAML goes to PyYAML.
    if _FastComposer is not None and _line_starts(text) is None and "\t" not in text:
        try:
            return _composed(_FastComposer(text))
        except (yaml.YAMLError, ValueError):
            pass
    return _composed(_Composer(text))


def _composed(loader):
    try:
        return loader.get_single_node()
    except ValueError as exc:  # PyYAML's scanner on an escape past Unicode, like "\U01010000"
        raise yaml.MarkedYAMLError(problem="an escape past the last Unicode character",
                                   problem_mark=loader.get_mark()) from exc
    finally:
        loader.dispose()


def yaml_problem(exc: yaml.YAMLError, rel: str, text: str) -> Finding:
    """The finding for a YAML error in the file `rel`, whose text is `text`."""
    where = yaml_where(exc, rel, text)
    if isinstance(exc, Refused):
        return finding(exc.code, where, **exc.details)
    if _char_at(text, where.line - 1, where.column - 1) == "\t":
        return finding("Y112", where)
    odd = odd_break_in(exc, text)
    if odd is not None:
        return finding("Y118", _place_of(text, odd, rel), name=_ODD_BREAKS[text[odd]])
    quote = unclosed_quote(exc, text)
    if quote is not None:
        return finding("Y119", _place_of(text, quote.opened, rel), reason=quote.reason(text), fix=quote.fix)
    return finding("Y101", where, reason=_yaml_reason(exc))


@dataclass(frozen=True)
class QuoteTrouble:
    """A quoted value behind a YAML error: its quote not closed on its line, so YAML read on
    to the next quote mark (lines below) or to the end of the file; or closed early, by a
    quote mark inside the value (an apostrophe in 'it's')."""
    opened: int  # offset of the opening quote mark
    closed: int | None  # offset of the quote mark YAML took as its close; None: none

    def reason(self, text: str, first_line: int = 1) -> str:
        mark = text[self.opened]
        if self.closed is None:
            return f"the quote {mark} opened here is never closed: YAML read the rest of the file as this value"
        line = text.count("\n", 0, self.closed) + first_line
        if line == text.count("\n", 0, self.opened) + first_line:
            column = self.closed - text.rfind("\n", 0, self.closed)
            return (f"the quote {mark} opened here is closed early, by the {mark} in column {column}, and the "
                    "value goes on after it")
        return (f"the quote {mark} opened here is not closed on its line: YAML read the lines below, up to the "
                f"next {mark} (line {line}), as this value")

    @property
    def fix(self) -> str:
        return ("Close the quote at the end of the value; for a value holding a quote mark, write it inside the "
                "other kind (\"it's\", 'he said \"no\"'), double it inside single quotes ('it''s'), or use a "
                "block scalar ('>-', then the text on the lines below, indented).")


def unclosed_quote(exc: yaml.YAMLError, text: str) -> QuoteTrouble | None:
    """The quoted value a YAML error follows from, if it does: one YAML scanned to the end of
    the file, or one that ends on the error's line, just before it."""
    problem, context = getattr(exc, "problem_mark", None), getattr(exc, "context_mark", None)
    if problem is None or problem.buffer is None:
        return None
    if "quoted scalar" in str(getattr(exc, "context", "")) and context is not None:
        return QuoteTrouble(context.pointer, None)
    last = None
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if token.end_mark.pointer > problem.pointer:
                break
            if isinstance(token, yaml.ScalarToken) and token.style in ("'", '"'):
                last = token
    except (yaml.YAMLError, ValueError):  # ValueError: an escape past Unicode (see _composed)
        pass
    if last is None or "\n" in text[last.end_mark.pointer: problem.pointer]:
        return None
    return QuoteTrouble(last.start_mark.pointer, last.end_mark.pointer - 1)


# Line breaks for YAML, not for editors; text pasted from web pages carries them.
_ODD_BREAKS = {"\x85": "next-line character (NEL, U+0085)", "\u2028": "line separator (U+2028)",
               "\u2029": "paragraph separator (U+2029)"}


def odd_break_in(exc: yaml.YAMLError, text: str) -> int | None:
    """Where a break only YAML sees lies on the line of a YAML error, before it: a line
    break in the middle of a value, in YAML's eyes, is the likely cause of the error."""
    pointers = [m.pointer for m in (getattr(exc, "context_mark", None), getattr(exc, "problem_mark", None))
                if m is not None and m.buffer is not None]
    if not pointers:
        return None
    start = text.rfind("\n", 0, min(pointers)) + 1
    found = [i for i in (text.find(odd, start, max(pointers)) for odd in _ODD_BREAKS) if i >= 0]
    return min(found) if found else None


def _place_of(text: str, offset: int, rel: str, first_line: int = 1) -> Where:
    line_start = text.rfind("\n", 0, offset) + 1
    return Where(rel, text.count("\n", 0, offset) + first_line, offset - line_start + 1)


def yaml_where(exc: yaml.YAMLError, rel: str, text: str, first_line: int = 1) -> Where:
    """Where a YAML error is, in a file whose YAML, `text`, starts on line `first_line`: where
    PyYAML noticed it, or, if that is the end of the file, where the unclosed thing began."""
    if isinstance(exc, yaml.reader.ReaderError):  # a character YAML does not allow: by its offset
        return _place_of(text, min(max(exc.position, 0), len(text)), rel, first_line)
    problem, context = getattr(exc, "problem_mark", None), getattr(exc, "context_mark", None)
    mark = context if context and "end of stream" in str(getattr(exc, "problem", "")) else problem or context
    if not mark:
        return Where(rel, first_line)
    line, column = editor_place(mark)
    return Where(rel, line + first_line, column + 1)


def editor_place(mark) -> tuple[int, int]:
    """A PyYAML mark's (line, column), 0-based, as an editor counts them.

    YAML counts NEL, U+2028 and U+2029 as line breaks (text pasted from the web has
    them); editors break lines at '\\n' only (read_text made every line end one), so
    PyYAML's own count would send the user to the wrong line."""
    buffer = getattr(mark, "buffer", None)  # libyaml's marks have none: their YAML counts lines right
    starts = _line_starts(buffer) if buffer is not None else None
    if starts is None:
        return mark.line, mark.column
    line = bisect.bisect_right(starts, mark.pointer) - 1
    return line, mark.pointer - starts[line]


@functools.lru_cache(maxsize=8)
def _line_starts(text: str) -> tuple[int, ...] | None:
    """Where each of the text's lines starts; None if PyYAML counts its lines right."""
    if not any(odd in text for odd in _ODD_BREAKS):
        return None
    return (0, *(m.end() for m in re.finditer("\n", text)))


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n")
    return lines[line][column: column + 1] if line < len(lines) else ""


# --- the article ---------------------------------------------------------------------

# Front matter fields: one line of text each, but for the names, which may be a list
# (Pandoc) or Quarto's {name: ...} objects, and the keywords, a list or one line with commas.
_META_FIELDS = ("title", "author", "publication", "date", "url", "lang", "subtitle", "bio", "credits", "slug",
                "editor", "rights", "keywords", "abstract")
_META_NAMES = ("author", "editor")
_META_ALIASES = {"annotator": "editor", "description": "abstract"}  # Quarto's and Pandoc's words
_META_REQUIRED = ("title", "author")
_DATE_FIX = "Write it as 1947-03-12, “March 12, 1947” or “12 March 1947”; or a year (1947) or a month (1947-03)."


def load_article(root: Path, findings: list) -> Article | None:
    text = read_text(root, ARTICLE, findings, ARTICLE_CODES, required=True)
    if text is None:
        return None
    front, body, body_line = split_front_matter(text)
    if front is None:
        findings.append(finding("S103", Where(ARTICLE, 1)))
        return None
    meta = parse_meta(front, findings)
    blocks = parse_blocks(body, body_line, findings, meta.lang if meta else "en")
    if not any(b.kind == "paragraph" for b in blocks):
        findings.append(finding("S108", Where(ARTICLE, body_line)))
        return None  # nothing to anchor in: every quote would be reported missing too
    # With a front matter problem (meta None, and an error found) the paragraphs still go
    # back, so that one run also checks the anchors; nothing is built from it.
    return Article(meta, tuple(blocks), Where(ARTICLE), text)


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """(front matter YAML, body, the body's first line number).

    As in YAML, only a '---' or '...' line at the start of the line ends the front matter:
    an indented one is text inside a block scalar (a bio quoting a dialogue, say)."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return None, text, 1
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1:]), i + 2
    return None, text, 1


def parse_meta(front: str, findings: list) -> Meta | None:
    node = meta_node(front, findings)
    if node is None:
        return None
    values, places, ok = meta_values(node, findings)
    date = None
    if values.get("date"):
        try:
            date = PartialDate.parse(values["date"])
        except ValueError as exc:
            findings.append(finding("S106", places["date"], field="date",
                                    reason=f"“{values['date']}” is not a date: {exc}", fix=_DATE_FIX))
            ok = False
    if not ok:
        return None
    authors = values["author"]
    return Meta(
        title=values["title"], author=join_names(authors), publication=values.get("publication") or "",
        date=date, lang=values.get("lang") or "en", slug=slugify(values.get("slug") or values["title"]),
        url=values.get("url"), subtitle=values.get("subtitle"), bio=values.get("bio"),
        credits=values.get("credits"), authors=authors, editors=values.get("editor", ()),
        rights=values.get("rights"), keywords=values.get("keywords", ()), abstract=values.get("abstract"),
    )


def meta_node(front: str, findings: list):
    """The front matter's mapping node, or None (with a finding)."""
    try:
        node = compose_yaml(front)
    except yaml.YAMLError as exc:
        # The front matter starts on the file's line 2, after the opening '---'.
        odd = odd_break_in(exc, front)
        quote = unclosed_quote(exc, front)
        if odd is not None:
            findings.append(finding("S104", _place_of(front, odd, ARTICLE, 2),
                                    reason=f"a {_ODD_BREAKS[front[odd]]} here, which YAML reads as a line break: "
                                           "replace it with a space, or quote the value"))
        elif quote is not None:
            findings.append(finding("S104", _place_of(front, quote.opened, ARTICLE, 2),
                                    reason=quote.reason(front, 2)))
        else:
            findings.append(finding("S104", yaml_where(exc, ARTICLE, front, 2), reason=_yaml_reason(exc, 2)))
        return None
    if node is None:
        return yaml.MappingNode("tag:yaml.org,2002:map", [])
    if not isinstance(node, yaml.MappingNode):
        findings.append(finding("S104", _where(ARTICLE, node, 2), reason="expected 'field: value' lines"))
        return None
    return node


def meta_values(node, findings: list) -> tuple[dict, dict, bool]:
    """({field: value}, {field: Where}, no problems) from the front matter's mapping node.
    A value is text, but for the names and keywords: tuples of texts."""
    values, places, wrong = {}, {}, set()
    report_repeated_keys(node, findings)
    seen: dict[str, tuple[str, Where]] = {}
    for key_node, value_node in node.value:
        written = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else _node_kind(key_node)
        key = _META_ALIASES.get(written, written)
        where = _where(ARTICLE, key_node, 2)
        if key in seen:  # the same name is reported by report_repeated_keys; here, an alias
            if seen[key][0] != written:
                findings.append(finding("S113", where, field=written,
                                        first=f"as '{seen[key][0]}' at line {seen[key][1].line}"))
            wrong.add(key)
            continue
        seen[key] = (written, where)
        if key not in _META_FIELDS:  # Pandoc keeps what it does not know: so do we, with a word
            findings.append(finding("S107", where, field=written,
                                    suggestion=_did_you_mean(written, _META_FIELDS + tuple(_META_ALIASES)),
                                    known=", ".join(_META_FIELDS + tuple(_META_ALIASES))))
            continue
        value, reason = meta_value(key, value_node)
        if reason:
            findings.append(finding("S106", where, field=written, reason=reason, fix=_META_FIXES.get(
                key, f"Write '{written}:' as one line of text, or a '>-' block.")))
            wrong.add(key)
        elif value:
            values[key], places[key] = value, _where(ARTICLE, value_node, 2)
    for key in _META_REQUIRED:
        if key not in values and key not in wrong:
            findings.append(finding("S105", Where(ARTICLE, 1), field=key))
            wrong.add(key)
    return values, places, not wrong


_META_FIXES = {
    "author": "Write one name, a list of names ('author: [A, B]'), or a list of 'name:' entries.",
    "editor": "Write one name, a list of names ('editor: [A, B]'), or a list of 'name:' entries.",
    "keywords": "Write a list ('keywords: [a, b]') or one line of words separated by commas.",
}


def meta_value(key: str, node):
    """(value, None), (None, None) if empty, or (None, why it is wrong)."""
    if key in _META_NAMES:
        return meta_names(node)
    if key == "keywords":
        if isinstance(node, yaml.ScalarNode):
            words = [w.strip() for w in node.value.split(",")] if node.tag != "tag:yaml.org,2002:null" else []
            return tuple(w for w in words if w), None
        if isinstance(node, yaml.SequenceNode) and all(isinstance(c, yaml.ScalarNode) for c in node.value):
            return tuple(c.value.strip() for c in node.value if c.value.strip()), None
        return None, f"must be a list of words, found {_node_kind(node)}"
    if not isinstance(node, yaml.ScalarNode):
        return None, f"must be text, found {_node_kind(node)}"
    if node.tag == "tag:yaml.org,2002:null" or not node.value.strip():
        return None, None
    return as_read(node.value).strip(), None


def meta_names(node):
    """A name, a list of names, Quarto's {name: ...} objects, or a list of those."""
    items = node.value if isinstance(node, yaml.SequenceNode) else [node]
    names = []
    for item in items:
        if isinstance(item, yaml.MappingNode):  # Quarto: name, affiliation, orcid...; the name is printed
            item = next((v for k, v in item.value if getattr(k, "value", None) == "name"), None)
            if item is None:
                return None, "must give each person a 'name:', found a mapping without one"
        if not isinstance(item, yaml.ScalarNode):
            return None, f"must be a name or a list of names, found {_node_kind(item)}"
        if item.tag != "tag:yaml.org,2002:null" and item.value.strip():
            names.append(" ".join(item.value.split()))
    return tuple(names), None


def report_repeated_keys(node, findings: list, rel: str = ARTICLE, first_line: int = 2) -> None:
    """A key given twice in any mapping under `node` (YAML would silently keep the last):
    an error at the second one, naming the line of the first."""
    for key_node, first in repeated_keys(node):
        findings.append(finding("S113", _where(rel, key_node, first_line), field=key_node.value,
                                first=f"at line {_where(rel, first, first_line).line}"))


def repeated_keys(node):
    """(key node, the first key node of that name) for every repeated key, at every depth."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.MappingNode):
            first: dict[str, object] = {}
            for key, value in current.value:
                if isinstance(key, yaml.ScalarNode):
                    if key.value in first:
                        yield key, first[key.value]
                    else:
                        first[key.value] = key
                stack.append(value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)


@functools.lru_cache(maxsize=4)
def _markdown(lang: str) -> MarkdownIt:
    """The article's parser, with the typographer for `lang`. Pandoc's habits are recognised
    so that none is printed as written: HTML comments (html=True; other inline HTML is kept
    as text, never passed through, and an HTML block is S109), fenced divs, footnotes."""
    md = MarkdownIt("commonmark", {"html": True})
    md.use(container_plugin, name="pullquote", validate=lambda params, *_: _div_name(params) == "pullquote")
    md.use(container_plugin, name="div", validate=lambda params, *_: bool(params.strip()))
    md.use(footnote_plugin, always_match_refs=True)
    typographer(md, lang)
    md.core.ruler.before("smartquotes", "typed", _keep_typed)
    return md


def _keep_typed(state) -> None:
    """Keep each block's text as typed, before the typographer: lint counts what it changes."""
    state.env["typed"] = [(tok.map[0] if tok.map else None,
                           "".join(c.content for c in tok.children if c.type in ("text", "text_special")))
                          for tok in state.tokens if tok.type == "inline" and tok.children]


@functools.lru_cache(maxsize=4)
def article_tokens(body: str, lang: str) -> tuple[list, dict]:
    """markdown-it's tokens for the article's body, and its env: the footnotes, and "typed",
    each block's (first line, text) as typed. Kept for the same body and lang, so that load
    and lint read one parse (the tokens are only read)."""
    env: dict = {}
    return _markdown(lang).parse(as_read(body), env), env


# Line and paragraph separators and NEL (_ODD_BREAKS): line breaks to YAML, but no editor
# shows them as such, and in the PDF they force a break and print a box. Text pasted from
# web pages has them where a space was meant; read so wherever the edition's text is read.
_PASTED_BREAKS = re.compile(f"[{''.join(_ODD_BREAKS)}]")


def as_read(text: str) -> str:
    """The edition's text as Glossator reads it: pasted line separators as spaces."""
    return _PASTED_BREAKS.sub(" ", text)


def _div_name(params: str) -> str:
    """A fenced div's name: 'pullquote' for '::: pullquote' and Pandoc's '::: {.pullquote}'."""
    words = params.strip().strip("{}").split()
    return words[0].lstrip(".") if words else ""


_UNSUPPORTED = {"bullet_list_open": "a list", "ordered_list_open": "a numbered list",
                "blockquote_open": "a block quotation ('>')", "fence": "a code block",
                "code_block": "an indented code block", "hr": "a horizontal rule",
                "table_open": "a table", "html_block": "an HTML block"}
# A page break as Pandoc's LaTeX or Quarto writes it, alone in its paragraph.
_PAGE_BREAK = re.compile(r"\\(?:newpage|pagebreak|clearpage|cleardoublepage)(?:\{\})?|\{\{<\s*pagebreak\s*>\}\}")
# Pandoc's attributes after a heading: {#id}, {.class}, {-}, {#id .class key="value"}.
_HEADING_ATTRIBUTES = re.compile(r"\s*\{\s*(?:[#.][^{}]*|-)\}\s*$")


def parse_blocks(body: str, first_line: int, findings: list, lang: str = "en") -> list[Block]:
    """The article's blocks, its straight quotes curled for `lang` and '--' made dashes.
    Pandoc's and Quarto's habits are read as a user of those tools expects, or reported:
    comments and page breaks are left out, a fenced div's fences dropped, a footnote is an
    error that says how to make it a note (no paragraph number is spent on any of them)."""
    tokens, env = article_tokens(body, lang)
    notes = Footnotes(tokens, env, body.split("\n"), first_line)
    blocks: list[Block] = []
    in_pullquote = in_footnotes = False
    number = 0
    for i, tok in enumerate(tokens):
        where = Where(ARTICLE, first_line + (tok.map[0] if tok.map else 0))
        if tok.type in ("footnote_block_open", "footnote_block_close"):  # the definitions, gathered last
            in_footnotes = tok.type == "footnote_block_open"
        elif in_footnotes:
            continue
        elif tok.type == "container_pullquote_open":
            in_pullquote = True
        elif tok.type == "container_pullquote_close":
            in_pullquote = False
        elif tok.type == "container_div_open":
            findings.append(finding("S142", where, fence=f"{tok.markup} {tok.info.strip()}"))
        elif tok.type == "html_block" and tok.content.lstrip().startswith("<!--"):
            findings.append(finding("S141", where, text=_comment_text(tok.content)))
        elif tok.type in _UNSUPPORTED:
            findings.append(finding("S109", where, what=_UNSUPPORTED[tok.type]))
        elif tok.type == "inline" and tokens[i - 1].type in ("paragraph_open", "heading_open"):
            if tokens[i - 1].type == "paragraph_open" and _PAGE_BREAK.fullmatch(tok.content.strip()):
                findings.append(finding("S144", where, command=tok.content.strip()))
                continue
            runs = inline_runs(tok.children or [], where, findings, notes, tok.map)
            if tokens[i - 1].type == "heading_open":
                blocks.append(Block("heading", _without_attributes(runs, where, findings), where))
            elif in_pullquote:
                blocks.append(Block("pullquote", runs, where))
            else:
                number += 1
                blocks.append(Block("paragraph", runs, where, number))
    findings.extend(notes.uncalled())
    return blocks


def inline_runs(children, where: Where, findings: list, notes: Footnotes | None = None,
                block_lines: list | None = None) -> tuple[Run, ...]:
    runs: list[Run] = []
    em = strong = False
    href = None
    for child in children:
        kind = child.type
        if kind == "html_inline" and child.content.startswith("<!--"):
            findings.append(finding("S141", where, text=_comment_text(child.content)))
        elif kind in ("text", "code_inline", "html_inline"):
            _append(runs, Run(child.content, em, strong, href))
        elif kind in ("softbreak", "hardbreak"):
            _append(runs, Run(" ", em, strong, href))
        elif kind in ("em_open", "em_close"):
            em = kind == "em_open"
        elif kind in ("strong_open", "strong_close"):
            strong = kind == "strong_open"
        elif kind == "link_open":
            href = child.attrs.get("href")
        elif kind == "link_close":
            href = None
        elif kind == "image":
            findings.append(finding("S109", where, what="an image"))
        elif kind == "footnote_ref" and notes is not None:
            findings.append(notes.call(child.meta["id"], "".join(r.text for r in runs), block_lines))
    return tuple(runs)


def _comment_text(comment: str) -> str:
    """An HTML comment's words, shortened, for the finding that says it is left out."""
    return shorten(" ".join(comment.strip().removeprefix("<!--").split("-->")[0].split()), 60)


def _without_attributes(runs: tuple[Run, ...], where: Where, findings: list) -> tuple[Run, ...]:
    """A heading without Pandoc's attributes ('## Title {#id .class}'): Glossator gives
    headings ids of its own, and the attributes are not words to print."""
    if not runs:
        return runs
    found = _HEADING_ATTRIBUTES.search(runs[-1].text)
    if found is None:
        return runs
    findings.append(finding("S143", where, attributes=found.group().strip()))
    last = runs[-1]
    return runs[:-1] + ((Run(last.text[: found.start()], last.em, last.strong, last.href),) if found.start() else ())


class Footnotes:
    """Pandoc's footnotes in the article ('[^1]' and '[^1]: text', or '^[text]'): Glossator's
    notes live in annotations/notes.yaml, so each is an error whose hint says what to write
    there (the words before the call as the quote, the footnote's text as the body)."""

    def __init__(self, tokens: list, env: dict, lines: list[str], first_line: int):
        self.lines, self.first_line = lines, first_line
        self.listed = env.get("footnotes", {}).get("list", {})  # id -> label, or the inline text
        self.defined = {label.lstrip(":") for label in env.get("footnotes", {}).get("refs", {})}
        self.texts: dict[int, str] = {}  # id -> the definition's text
        self.where: dict[int, Where] = {}  # id -> where the definition starts
        current = None
        for tok in tokens:
            if tok.type == "footnote_open":
                current = tok.meta["id"]
            elif tok.type == "inline" and current is not None:
                self.texts[current] = " ".join(filter(None, (self.texts.get(current), tok.content)))
                if tok.map and current not in self.where:
                    self.where[current] = Where(ARTICLE, first_line + tok.map[0])
            elif tok.type == "footnote_close":
                current = None

    def call(self, ident: int, before: str, block_lines) -> Finding:
        entry = self.listed.get(ident, {})
        label = entry.get("label")
        mark = f"[^{label}]" if label is not None else "^["
        text = entry.get("content") if label is None else self.texts.get(ident)
        defined = self.where.get(ident)
        where = self._find(mark, block_lines)
        if label is None:
            fix = f"Delete '^[…]' here, and add to annotations/notes.yaml a note with {_note_fields(before, text)}."
        elif text is None:
            fix = (f"Delete '{mark}' (it has no definition), or add to annotations/notes.yaml a note with "
                   f"{_note_fields(before, None)}.")
        else:
            fix = (f"Delete '{mark}' here and its definition (line {defined.line}), and add to "
                   f"annotations/notes.yaml a note with {_note_fields(before, text)}.")
        return finding("S140", where, mark=mark if label is not None else "^[…]", fix=fix)

    def uncalled(self) -> list[Finding]:
        """A definition no call names (markdown-it drops it): an error at its line too."""
        called = {entry.get("label") for entry in self.listed.values()}
        found = []
        for label in sorted(self.defined - called):
            mark = f"[^{label}]:"
            where = self._find(mark, (0, len(self.lines)))
            found.append(finding("S140", where, mark=mark, fix=f"Delete it, or move its text into a note's body "
                                 "in annotations/notes.yaml."))
        return found

    def _find(self, mark: str, block_lines) -> Where:
        """Where `mark` is written, within the block's lines (the first of them, if not found)."""
        start, end = block_lines or (0, len(self.lines))
        for number in range(start, min(end, len(self.lines))):
            column = self.lines[number].find(mark)
            if column >= 0:
                return Where(ARTICLE, self.first_line + number, column + 1)
        return Where(ARTICLE, self.first_line + start)


def _note_fields(before: str, text: str | None) -> str:
    """'quote: "…" and body: "…"' for a footnote made a note: the quote is the words before the
    call (a few, whole), the body the footnote's text."""
    words = before.rstrip().split()
    quote = " ".join(words[-6:])
    fields = f"quote: {json.dumps(quote, ensure_ascii=False)}"
    if text:
        fields += f" and body: {json.dumps(' '.join(text.split()), ensure_ascii=False)}"
    return fields


def _append(runs: list[Run], run: Run) -> None:
    """Add a run, merging it into the last one when the styles are the same."""
    if runs and (runs[-1].em, runs[-1].strong, runs[-1].href) == (run.em, run.strong, run.href):
        runs[-1] = Run(runs[-1].text + run.text, run.em, run.strong, run.href)
    elif run.text:
        runs.append(run)


# --- annotation files ---------------------------------------------------------------------

@dataclass(frozen=True)
class Item:
    """One list item of an annotation file: its valid fields, and where each one is."""
    index: int
    label: str     # how messages name it: "'soleimani'", or "#3" when it has no id
    values: dict   # field name -> text, number or tuple of texts; only the fields without problems
    where: Where
    places: dict   # field name -> Where; "see[2]" for the third id of a list
    ok: bool       # no problems: it goes into the edition

    def place(self, name: str) -> Where:
        return self.places.get(name, self.where)


def load_annotations(root: Path, findings: list) -> Annotations:
    kind = file_kind(root / ANNOTATIONS)
    if kind not in ("a folder", "missing", "denied"):  # a file, a link to nothing: no notes, said so
        findings.append(finding("Y117", Where(ANNOTATIONS), what=ANNOTATIONS, kind=kind, expected="folder"))
        return Annotations()
    notes = read_items(root, schema.NOTES, findings) or []
    terms = read_items(root, schema.GLOSSARY, findings)
    events = read_items(root, schema.CHRONOLOGY, findings) or []
    # Cross-checks look at every item, even one with a problem of its own, so that
    # one mistake does not also make references to that item look wrong; a glossary that
    # could not be read at all (its own error said) leaves the notes' 'see:' unjudged.
    notes, terms = resolve_see(notes, terms or [], findings, glossary_read=terms is not None)
    firsts = check_unique_ids(notes, schema.NOTES, findings) + check_unique_ids(terms, schema.GLOSSARY, findings)
    check_spellings(terms, findings)
    made = [(item, make_event(item, findings)) for item in events if item.ok]
    made = [(item, event) for item, event in made if event is not None]
    check_repeated_events(made, findings)
    keep = {id(item) for item in firsts if item.ok}  # by identity; a repeated id's later items stay out
    return Annotations(tuple(make_note(item) for item in notes if id(item) in keep),
                       tuple(make_term(item) for item in terms if id(item) in keep),
                       tuple(event for _, event in made))


def read_items(root: Path, spec: schema.FileSpec, findings: list) -> list[Item] | None:
    """The file's items; [] if it is missing or empty; None if it could not be read as a
    list (its error is in findings)."""
    rel = f"{ANNOTATIONS}/{spec.filename}"
    if file_kind(root / rel) == "missing":
        return []
    text = read_text(root, rel, findings, ANNOTATION_CODES, required=False)
    if text is None:
        return None
    try:
        node = compose_yaml(text)
    except yaml.YAMLError as exc:
        findings.append(yaml_problem(exc, rel, text))
        return None
    if node is None:
        findings.append(finding("Y108", Where(rel, 1), items=spec.items))
        return []
    if not isinstance(node, yaml.SequenceNode):
        findings.append(finding("Y102", _where(rel, node), items=spec.items, item=spec.item,
                                found=_node_kind(node)))
        return None
    items = []
    for index, child in enumerate(node.value, 1):
        item = read_item(rel, spec, index, child, findings)
        if item is not None:
            items.append(item)
    return items


def read_item(rel: str, spec: schema.FileSpec, index: int, node, findings: list) -> Item | None:
    if not isinstance(node, yaml.MappingNode):
        findings.append(finding("Y103", _where(rel, node), item=spec.item, index=f"#{index}",
                                found=_node_kind(node)))
        return None
    kinds = {f.name: f.kind for f in spec.fields}
    label = _label(node, index)
    details = dict(item=spec.item, label=label)
    values, places, seen = {}, {}, {}
    ok = True
    for key_node, value_node in node.value:
        key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else _node_kind(key_node)
        where = _where(rel, key_node)
        if key in seen:
            findings.append(finding("Y113", where, field=key, first=seen[key].line, **details))
            ok = False
            continue
        seen[key] = where
        if key not in kinds:
            findings.append(finding("Y105", where, field=key, suggestion=_did_you_mean(key, spec.known),
                                    known=", ".join(spec.known), **details))
            ok = False
            continue
        for repeat, first in repeated_keys(value_node):  # inside a value: a Quarto-like mapping
            findings.append(finding("Y113", _where(rel, repeat), field=f"{key}: {repeat.value}",
                                    first=_where(rel, first).line, **details))
            ok = False
        value, problem = convert(value_node, kinds[key])
        if problem == "empty":
            findings.append(finding("Y110", where, field=key, **details))
            ok = False
        elif problem:
            findings.append(finding("Y106", where, field=key, expected=problem,
                                    found=_found_in(value_node, kinds[key]), **details))
            ok = False
        elif kinds[key] == schema.NOTE_KIND and value not in schema.NOTE_KINDS:
            findings.append(finding("N104", _where(rel, value_node), kind=value, known=", ".join(schema.NOTE_KINDS),
                                    suggestion=_did_you_mean(value, schema.NOTE_KINDS), **details))
            ok = False
        else:
            values[key], places[key] = value, _where(rel, value_node)
            if isinstance(value_node, yaml.SequenceNode):
                places.update((f"{key}[{k}]", _where(rel, child)) for k, child in enumerate(value_node.value))
    for name in spec.required:
        if name not in seen:
            findings.append(finding("Y104", _where(rel, node), field=name, **details))
            ok = False
    return Item(index, label, values, _where(rel, node), places, ok)


def _label(node, index: int) -> str:
    """An item's name in messages: its id, term or date as written, else its number."""
    for name in ("id", "term", "date"):
        for key, value in node.value:
            if getattr(key, "value", None) == name and isinstance(value, yaml.ScalarNode) and value.value.strip():
                return f"'{value.value.strip()}'"
    return f"#{index}"


_EXPECTED = {
    schema.TEXT: "text", schema.TEXT_LIST: "text or a list of texts",
    schema.ID: "an id of lowercase letters, digits and hyphens (like 'quds-force')",
    schema.ID_LIST: "an id or a list of ids", schema.DATE: "a date like \"2020-01-03\"",
    schema.COUNT: "a whole number from 1 up",
    schema.REF_LIST: "an entry's id, term or alias, or a list of them",
    schema.NOTE_KIND: "one word: " + ", ".join(schema.NOTE_KINDS),
}
_ITEM_KIND = {schema.TEXT_LIST: schema.TEXT, schema.ID_LIST: schema.ID, schema.REF_LIST: schema.TEXT}


def _found_in(node, kind: str) -> str:
    """What a wrong value is, as a message says it: for a list, its first wrong item."""
    if kind in _ITEM_KIND and isinstance(node, yaml.SequenceNode):
        for k, child in enumerate(node.value, 1):
            if convert(child, _ITEM_KIND[kind])[1]:
                return f"{_node_kind(child)} as item {k} of the list"
    return _node_kind(node)


def convert(node, kind: str):
    """(value, None) or (None, what was expected). Reads scalars as the text written, never
    constructing YAML objects, so tags, aliases and anchors cannot smuggle anything in."""
    if kind in _ITEM_KIND:
        nodes = node.value if isinstance(node, yaml.SequenceNode) else [node]
        single = _ITEM_KIND[kind]
        out = []
        for child in nodes:
            value, problem = convert(child, single)
            if problem:
                return None, _EXPECTED[kind] if problem != "empty" else "empty"
            out.append(value)
        return tuple(out), None
    if not isinstance(node, yaml.ScalarNode):
        return None, _EXPECTED[kind]
    text = as_read(node.value.strip() if node.style is None else node.value)
    if node.tag == "tag:yaml.org,2002:null" or not text.strip():
        return None, "empty"
    if kind == schema.ID and not re.match(schema.ID_PATTERN, text):
        return None, _EXPECTED[kind]
    if kind == schema.COUNT:
        if not text.isdigit() or int(text) < 1:
            return None, _EXPECTED[kind]
        return int(text), None
    if kind == schema.DATE and not re.match(schema.DATE_PATTERN, text):
        return text, None  # shape errors are reported by make_event with the chronology's code
    return text, None


def make_quote(item: Item) -> Quote:
    v = item.values
    return Quote(v["quote"], v.get("before"), v.get("after"), v.get("paragraph"), v.get("occurrence"),
                 where=item.place("quote"))


def make_note(item: Item) -> Note:
    v = item.values
    return Note(id=v["id"], quote=make_quote(item), body=v["body"], where=item.where,
                title=v.get("title"), kind=v.get("kind"), see=v.get("see", ()),
                terms=v.get("see-terms", ()), sources=v.get("sources", ()), audience=v.get("audience", "all"))


def make_term(item: Item) -> Term:
    v = item.values
    return Term(id=item_id(item), term=v["term"], definition=v["definition"],
                where=item.where, aliases=v.get("aliases", ()), see=v.get("see", ()))


def make_event(item: Item, findings: list) -> Event | None:
    v = item.values
    dates = {}
    for name in ("date", "end"):
        if name in v:
            try:
                dates[name] = PartialDate.parse(v[name])
            except ValueError as exc:
                findings.append(finding("C101", item.places[name], field=name, value=v[name], reason=exc))
    if len(dates) < len({"date", "end"} & set(v)):
        return None
    if "end" in dates and dates["end"] < dates["date"]:
        findings.append(finding("C102", item.places["end"], end=v["end"], date=v["date"]))
        return None
    return Event(id=f"event-{item.index}", date=dates["date"], event=v["event"], where=item.where,
                 end=dates.get("end"), quote=make_quote(item) if "quote" in v else None,
                 sources=v.get("sources", ()))


def item_id(item: Item) -> str | None:
    """A note's or term's id; a term without one is known by its term's slug."""
    if "id" in item.values:
        return item.values["id"]
    return slugify(item.values["term"]) if "term" in item.values else None


def check_unique_ids(items: list[Item], spec: schema.FileSpec, findings: list) -> list[Item]:
    """Report repeated ids; returns the items that are not repeats."""
    first: dict[str, Where] = {}
    firsts = []
    for item in items:
        ident = item_id(item)
        if ident is None:
            continue
        where = item.place("id") if "id" in item.places else item.place("term")
        if ident in first:
            findings.append(finding("Y107", where, item=spec.item, label=item.label, id=ident,
                                    first=first[ident].line))
        else:
            first[ident] = where
            firsts.append(item)
    return firsts


def resolve_see(notes: list[Item], terms: list[Item], findings: list,
                glossary_read: bool = True) -> tuple[list[Item], list[Item]]:
    """Each 'see:' entry as ids: a term's names a glossary entry by id, term or alias; a
    note's names another note by id, or else a glossary entry (kept apart, in 'see-terms').
    An entry that names nothing is an error that names the closest one, unless it may name
    an entry of a glossary that could not be read."""
    glossary = entry_names(terms)
    note_ids = {i: i for i in (item_id(item) for item in notes) if i}

    def resolved(item: Item, code: str, kinds: tuple[dict, ...]) -> Item:
        values = dict(item.values)
        found: list[list[str]] = [[] for _ in kinds]
        for k, target in enumerate(item.values.get("see", ())):
            for names, out in zip(kinds, found):
                ident = names.get(target) or names.get(target.casefold())
                if ident:
                    if ident not in out:
                        out.append(ident)
                    break
            else:
                if code == "N101" and not glossary_read:
                    continue
                every = {name: ident for names in kinds for name, ident in names.items()}
                findings.append(finding(code, item.place(f"see[{k}]"), id=item_id(item),
                                        term=item.values.get("term", item_id(item)), target=target,
                                        suggestion=_closest_entry(target, every)))
        values["see"] = tuple(found[0])
        if len(kinds) > 1:
            values["see-terms"] = tuple(found[1])
        return Item(item.index, item.label, values, item.where, item.places, item.ok)

    return ([resolved(item, "N101", (note_ids, glossary)) for item in notes],
            [resolved(item, "G103", (glossary,)) for item in terms])


def entry_names(terms: list[Item]) -> dict[str, str]:
    """Every name of a glossary entry -> its id: the id, and the term and aliases as written
    and case-folded ("Security Council", "security council")."""
    names: dict[str, str] = {}
    for item in terms:
        ident = item_id(item)
        if ident is None:
            continue
        names.setdefault(ident, ident)
        for spelling in (item.values.get("term"), *item.values.get("aliases", ())):
            if spelling:
                names.setdefault(spelling, ident)
                names.setdefault(spelling.casefold(), ident)
    return names


def _closest_entry(target: str, names: dict[str, str]) -> str:
    """' (did you mean 'security-council'?)': the id of the entry whose name is closest."""
    close = difflib.get_close_matches(target.casefold(), [n.casefold() for n in names], n=1)
    if not close:
        return ""
    ident = next(i for n, i in names.items() if n.casefold() == close[0])
    return f" (did you mean '{ident}'?)"


def check_spellings(terms: list[Item], findings: list) -> None:
    """A spelling (term or alias) marks one term only, or the reader could not tell which."""
    owner: dict[str, str] = {}
    for item in terms:
        term = item.values.get("term")
        if term is None:
            continue
        spellings = [("term", term)] + [(f"aliases[{k}]", a) for k, a in enumerate(item.values.get("aliases", ()))]
        for field, spelling in spellings:
            if owner.get(spelling, term) != term:
                findings.append(finding("G102", item.place(field), alias=spelling, a=owner[spelling], b=term))
            owner.setdefault(spelling, term)


def check_repeated_events(made: list[tuple[Item, Event]], findings: list) -> None:
    first: dict[tuple, Where] = {}
    for item, event in made:
        key = (event.date, event.end, " ".join(event.event.split()).casefold())
        if key in first:
            findings.append(finding("C103", item.where, date=event.date.iso(), first=first[key].line))
        else:
            first[key] = item.where


# --- helpers ---------------------------------------------------------------------------------------

def _where(rel: str, node, first_line: int = 1) -> Where:
    """Where a node starts, in a file whose YAML begins on line `first_line`."""
    line, column = editor_place(node.start_mark)
    return Where(rel, line + first_line, column + 1)


def _node_kind(node) -> str:
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    return f"“{node.value}”" if node.value else "nothing"


def _did_you_mean(word: str, known) -> str:
    close = difflib.get_close_matches(word, list(known), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _yaml_reason(exc: yaml.YAMLError, first_line: int = 1) -> str:
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context, mark = getattr(exc, "context", None), getattr(exc, "context_mark", None)
    if context and mark:
        return f"{problem} ({context} that starts at line {editor_place(mark)[0] + first_line})"
    return f"{problem} ({context})" if context else str(problem)
