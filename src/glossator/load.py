"""Station 1, load: the article and the annotation files, with line numbers.

Nothing here raises on bad input: every problem becomes a Finding and loading
goes on, so one run reports all of them. Callers decide whether to stop.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from markdown_it import MarkdownIt
from mdit_py_plugins.container import container_plugin

from . import schema
from .errors import Finding, finding
from .model import (Annotations, Article, Block, Event, Meta, Note, PartialDate, Quote,
                    Run, Term, Where, slugify)

ARTICLE = "source/article.md"
ANNOTATIONS = "annotations"
MAX_BYTES = 5 * 1024 * 1024  # an annotation file or article larger than this is refused


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

def read_text(root: Path, rel: str, findings: list, code: str, required: bool) -> str | None:
    """The file's text, or None (with a finding) if it is missing, too big or not UTF-8."""
    path = root / rel
    where = Where(rel)
    if not path.is_file():
        if required:
            findings.append(finding("S101", where, what=rel))
        return None
    if path.stat().st_size > MAX_BYTES:
        findings.append(finding(code, where, reason=f"larger than {MAX_BYTES // 2**20} MB"))
        return None
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        findings.append(finding(code, Where(rel, line), reason=f"byte 0x{data[exc.start]:02x} at offset {exc.start}"))
        return None
    if "\x00" in text:
        findings.append(finding(code, where, reason="it contains NUL bytes; is it a binary file?"))
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --- the article ---------------------------------------------------------------------

_META_FIELDS = ("title", "author", "publication", "date", "url", "lang", "subtitle", "bio", "credits", "slug")
_META_REQUIRED = ("title", "author")


def load_article(root: Path, findings: list) -> Article | None:
    text = read_text(root, ARTICLE, findings, "S102", required=True)
    if text is None:
        return None
    front, body, body_line = split_front_matter(text)
    if front is None:
        findings.append(finding("S103", Where(ARTICLE, 1)))
        return None
    meta = parse_meta(front, findings)
    blocks = parse_blocks(body, body_line, findings)
    if not any(b.kind == "paragraph" for b in blocks):
        findings.append(finding("S108", Where(ARTICLE, body_line)))
    if meta is None:
        return None
    return Article(meta, tuple(blocks), Where(ARTICLE))


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """(front matter YAML, body, the body's first line number)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None, text, 1
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1:]), i + 2
    return None, text, 1


def parse_meta(front: str, findings: list) -> Meta | None:
    try:
        data = yaml.safe_load(front) or {}
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", 0) + 2
        findings.append(finding("S104", Where(ARTICLE, line), reason=_yaml_reason(exc)))
        return None
    if not isinstance(data, dict):
        findings.append(finding("S104", Where(ARTICLE, 2), reason="expected 'field: value' lines"))
        return None
    where = Where(ARTICLE, 1)
    ok = True
    for key in data:
        if key not in _META_FIELDS:
            findings.append(finding("S107", where, field=key, suggestion=_did_you_mean(str(key), _META_FIELDS),
                                    known=", ".join(_META_FIELDS)))
            ok = False
    for key in _META_REQUIRED:
        if not data.get(key):
            findings.append(finding("S105", where, field=key))
            ok = False
    values = {k: (str(v).strip() if v is not None else None) for k, v in data.items() if k in _META_FIELDS}
    date = None
    if values.get("date"):
        try:
            date = PartialDate.parse(values["date"])
        except ValueError:
            findings.append(finding("S106", where, field="date", reason=f"“{values['date']}” is not an ISO date",
                                    fix="Write it as YYYY, YYYY-MM or YYYY-MM-DD."))
            ok = False
    slug = slugify(values.get("slug") or values.get("title") or "edition")
    if not ok:
        return None
    return Meta(
        title=values["title"], author=values["author"], publication=values.get("publication") or "",
        date=date, lang=values.get("lang") or "en", slug=slug, url=values.get("url"),
        subtitle=values.get("subtitle"), bio=values.get("bio"), credits=values.get("credits"),
    )


def _markdown() -> MarkdownIt:
    # html=False: raw HTML in the article is shown as text, never passed through.
    md = MarkdownIt("commonmark", {"html": False, "typographer": False})
    return md.use(container_plugin, name="pullquote")


_UNSUPPORTED = {"bullet_list_open": "a list", "ordered_list_open": "a numbered list",
                "blockquote_open": "a block quotation ('>')", "fence": "a code block",
                "code_block": "an indented code block", "hr": "a horizontal rule",
                "table_open": "a table", "html_block": "an HTML block"}


def parse_blocks(body: str, first_line: int, findings: list) -> list[Block]:
    tokens = _markdown().parse(body)
    blocks: list[Block] = []
    in_pullquote = False
    number = 0
    for i, tok in enumerate(tokens):
        where = Where(ARTICLE, first_line + (tok.map[0] if tok.map else 0))
        if tok.type == "container_pullquote_open":
            in_pullquote = True
        elif tok.type == "container_pullquote_close":
            in_pullquote = False
        elif tok.type in _UNSUPPORTED:
            findings.append(finding("S109", where, what=_UNSUPPORTED[tok.type]))
        elif tok.type == "inline" and tokens[i - 1].type in ("paragraph_open", "heading_open"):
            runs = inline_runs(tok.children or [], where, findings)
            if tokens[i - 1].type == "heading_open":
                blocks.append(Block("heading", runs, where))
            elif in_pullquote:
                blocks.append(Block("pullquote", runs, where))
            else:
                number += 1
                blocks.append(Block("paragraph", runs, where, number))
    return blocks


def inline_runs(children, where: Where, findings: list) -> tuple[Run, ...]:
    runs: list[Run] = []
    em = strong = False
    href = None
    for child in children:
        kind = child.type
        if kind in ("text", "code_inline", "html_inline"):
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
    return tuple(runs)


def _append(runs: list[Run], run: Run) -> None:
    """Add a run, merging it into the last one when the styles are the same."""
    if runs and (runs[-1].em, runs[-1].strong, runs[-1].href) == (run.em, run.strong, run.href):
        runs[-1] = Run(runs[-1].text + run.text, run.em, run.strong, run.href)
    elif run.text:
        runs.append(run)


# --- annotation files ---------------------------------------------------------------------

@dataclass(frozen=True)
class Item:
    """One list item of an annotation file: its fields as strings or tuples, and where each is."""
    index: int
    values: dict
    where: Where
    places: dict  # field name -> Where

    def label(self) -> str:
        return f"'{self.values['id']}'" if isinstance(self.values.get("id"), str) else f"#{self.index}"


def load_annotations(root: Path, findings: list) -> Annotations:
    notes = [make_note(item) for item in read_items(root, schema.NOTES, findings)]
    terms = [make_term(item) for item in read_items(root, schema.GLOSSARY, findings)]
    events = [make_event(item, findings) for item in read_items(root, schema.CHRONOLOGY, findings)]
    check_unique_ids(notes, schema.NOTES, findings)
    check_unique_ids(terms, schema.GLOSSARY, findings)
    return Annotations(tuple(notes), tuple(terms), tuple(e for e in events if e is not None))


def read_items(root: Path, spec: schema.FileSpec, findings: list) -> list[Item]:
    rel = f"{ANNOTATIONS}/{spec.filename}"
    text = read_text(root, rel, findings, "Y109", required=False)
    if text is None:
        return []
    try:
        node = yaml.SafeLoader(text).get_single_node()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = Where(rel, mark.line + 1, mark.column + 1) if mark else Where(rel)
        findings.append(finding("Y101", where, reason=_yaml_reason(exc)))
        return []
    if node is None:
        findings.append(finding("Y108", Where(rel, 1), items=spec.items))
        return []
    if not isinstance(node, yaml.SequenceNode):
        findings.append(finding("Y102", _where(rel, node), items=spec.items, item=spec.item,
                                found=_node_kind(node)))
        return []
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
    values, places = {}, {}
    kinds = {f.name: f.kind for f in spec.fields}
    id_node = next((v for k, v in node.value if k.value == "id" and isinstance(v, yaml.ScalarNode)), None)
    label = f"'{id_node.value}'" if id_node is not None else f"#{index}"
    ok = True
    for key_node, value_node in node.value:
        key = str(key_node.value)
        where = _where(rel, key_node)
        if key not in kinds:
            findings.append(finding("Y105", where, item=spec.item, label=label, field=key,
                                    suggestion=_did_you_mean(key, spec.known), known=", ".join(spec.known)))
            ok = False
            continue
        value, problem = convert(value_node, kinds[key])
        if problem == "empty":
            findings.append(finding("Y110", where, item=spec.item, label=label, field=key))
            ok = False
        elif problem:
            findings.append(finding("Y106", where, item=spec.item, label=label, field=key,
                                    expected=problem, found=_node_kind(value_node)))
            ok = False
        else:
            values[key], places[key] = value, _where(rel, value_node)
    for name in spec.required:
        if name not in values and not any(k.value == name for k, _ in node.value):
            findings.append(finding("Y104", _where(rel, node), item=spec.item, label=label, field=name))
            ok = False
    return Item(index, values, _where(rel, node), places) if ok else None


_EXPECTED = {
    schema.TEXT: "text", schema.TEXT_LIST: "text or a list of texts",
    schema.ID: "an id of lowercase letters, digits and hyphens (like 'quds-force')",
    schema.ID_LIST: "an id or a list of ids", schema.DATE: "a date like \"2020-01-03\"",
    schema.COUNT: "a whole number from 1 up",
}


def convert(node, kind: str):
    """(value, None) or (None, what was expected). Reads scalars as the text written, never
    constructing YAML objects, so tags, aliases and anchors cannot smuggle anything in."""
    if kind in (schema.TEXT_LIST, schema.ID_LIST):
        nodes = node.value if isinstance(node, yaml.SequenceNode) else [node]
        single = schema.TEXT if kind == schema.TEXT_LIST else schema.ID
        out = []
        for child in nodes:
            value, problem = convert(child, single)
            if problem:
                return None, _EXPECTED[kind] if problem != "empty" else "empty"
            out.append(value)
        return tuple(out), None
    if not isinstance(node, yaml.ScalarNode):
        return None, _EXPECTED[kind]
    text = node.value.strip() if node.style is None else node.value
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


def make_quote(values: dict) -> Quote:
    return Quote(values["quote"], values.get("before"), values.get("after"),
                 values.get("paragraph"), values.get("occurrence"))


def make_note(item: Item) -> Note:
    v = item.values
    return Note(id=v["id"], quote=make_quote(v), body=v["body"], where=item.where,
                title=v.get("title"), kind=v.get("kind"), see=v.get("see", ()),
                sources=v.get("sources", ()))


def make_term(item: Item) -> Term:
    v = item.values
    return Term(id=v.get("id") or slugify(v["term"]), term=v["term"], definition=v["definition"],
                where=item.where, aliases=v.get("aliases", ()), see=v.get("see", ()))


def make_event(item: Item, findings: list) -> Event | None:
    v = item.values
    dates = {}
    for name in ("date", "end"):
        if name in v:
            try:
                dates[name] = PartialDate.parse(v[name])
            except ValueError:
                findings.append(finding("C101", item.places[name], field=name, value=v[name]))
                return None
    if "end" in dates and dates["end"] < dates["date"]:
        findings.append(finding("C102", item.places["end"], end=v["end"], date=v["date"]))
        return None
    return Event(id=f"event-{item.index}", date=dates["date"], event=v["event"], where=item.where,
                 end=dates.get("end"), quote=make_quote(v) if "quote" in v else None,
                 sources=v.get("sources", ()))


def check_unique_ids(things, spec: schema.FileSpec, findings: list) -> None:
    first: dict[str, Where] = {}
    for thing in things:
        if thing.id in first:
            findings.append(finding("Y107", thing.where, item=spec.item, label=f"'{thing.id}'",
                                    id=thing.id, first=first[thing.id].line))
        else:
            first[thing.id] = thing.where


# --- helpers ---------------------------------------------------------------------------------------

def _where(rel: str, node) -> Where:
    return Where(rel, node.start_mark.line + 1, node.start_mark.column + 1)


def _node_kind(node) -> str:
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    return f"“{node.value}”" if node.value else "nothing"


def _did_you_mean(word: str, known) -> str:
    close = difflib.get_close_matches(word, list(known), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _yaml_reason(exc: yaml.YAMLError) -> str:
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    return f"{problem} ({context})" if context else str(problem)
