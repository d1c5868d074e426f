"""Text copied from a web page -> source/article.md, with every decision reported.

A browser's "select all, copy" of an article gives one line per paragraph, then
whatever the page put around it: a subscription offer, a list of its perks, the
author's bio, links to more articles. This module keeps the article's
paragraphs and decides, one unit of text at a time:

- boilerplate (subscribe, paywall, sign in, newsletter...) is removed;
- once the article has ended (nothing but short bits and boilerplate follows),
  everything after it is removed, except the author's bio;
- a bio ("EMMA SKY is Director of...") goes into the front matter's `bio:`;
- a short paragraph that repeats a sentence of another paragraph, as the pull
  quotes of magazine pages do, becomes a `::: pullquote` block;
- near the top, a headline becomes the title, a "By ..." line the author and a
  date line the date (unless given on the command line); further down, a short
  line without a full stop before a paragraph becomes a heading.

Nothing is guessed silently: every decision is a :class:`Decision` with the raw
line it concerns, for the editor to review. Nothing here prints or writes.
"""
from __future__ import annotations

import difflib
import json
import re
import textwrap
import unicodedata
from dataclasses import dataclass

import yaml

BULLET = re.compile(r"^\s*(?:[•·▪◦‣∙*+-]|\d{1,3}[.)])\s+")
SENTENCE_END = re.compile(r"[.!?…][”\"’')\]]*$")

# Short units matching one of these are page furniture, not the article. Each
# pattern names what it is, for the report.
BOILERPLATE = [
    (re.compile(p, re.IGNORECASE), why) for p, why in (
        (r"\bsubscri(be|ber|bers|ption|ptions)\b", "a subscription offer"),
        (r"\bpaywall", "a paywall notice"),
        (r"\bfree articles?\b", "a paywall notice"),
        (r"\bunlimited (digital )?access\b", "a subscription offer"),
        (r"\bunlock\b.*\baccess\b", "a subscription offer"),
        (r"\b(sign|log) ?(in|up)\b", "a sign-in prompt"),
        (r"\bnewsletters?\b", "a newsletter prompt"),
        (r"\bcookies?\b", "a cookie notice"),
        (r"^advertisement$", "an advertisement marker"),
        (r"^(share|save|print|email|tweet|listen)( this( article| story)?)?$", "a page button"),
        (r"^(read|see) more\b", "a link to other pages"),
        (r"^more (by|from|on|in) ", "a link to other pages"),
        (r"^(related|recommended|popular|most read)( articles| stories| reading)?:?$", "a link list heading"),
        (r"\ball rights reserved\b|^(copyright|©)", "a copyright line"),
        (r"^\d+ min(ute)?s? read$", "a reading-time label"),
    )
]
BOILERPLATE_MAX_WORDS = 40  # longer units are prose, whatever words they use
PROSE_WORDS = 12  # a unit this long, not boilerplate, means the article goes on

# "EMMA SKY is Director of...": a name in capitals, then a verb, opens a bio.
CAPS_NAME = r"(?P<name>[A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]*){1,3})"
BIO_VERBS = r"(?:is|was|has|teaches|writes|directs|served|covers|leads|holds)"
BIO_START = re.compile(rf"^{CAPS_NAME}\s+{BIO_VERBS}\b")
MORE_BY = re.compile(r"^more (?:by|from) (?P<name>.+?)\.?$", re.IGNORECASE)
BYLINE = re.compile(r"^[Bb][Yy]\s+(?P<name>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){1,3})$")

# A pull quote: one or two sentences, most of whose words (in runs of three or
# more, in order) are in another, longer paragraph.
PULLQUOTE_WORDS = (6, 60)
PULLQUOTE_SHARE = 0.75
WORD = re.compile(r"\w+(?:[’'.-]\w+)*")


@dataclass(frozen=True)
class Unit:
    """One paragraph-sized piece of the raw text: a line, or lines joined when hard-wrapped."""
    line: int  # 1-based, in the raw text
    text: str
    bullet: bool = False

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass(frozen=True)
class Decision:
    line: int  # 1-based line of the raw text; 0: about the whole article
    what: str


@dataclass(frozen=True)
class Imported:
    meta: dict  # front matter fields, in the order written
    blocks: tuple[tuple[str, str], ...]  # (kind, text): "paragraph", "pullquote" or "heading"
    decisions: tuple[Decision, ...]
    missing: tuple[str, ...]  # front matter fields the editor must still add

    def markdown(self) -> str:
        return front_matter(self.meta) + "\n" + "\n".join(block_markdown(k, t) for k, t in self.blocks)


def import_text(raw: str, given: dict) -> Imported:
    """Turn raw copied text into an article. `given`: front matter fields from the command line."""
    decisions: list[Decision] = []
    units = split_units(normalise(raw), decisions)
    meta = {k: v for k, v in given.items() if v}
    units = take_byline(units, meta, decisions)
    units = take_dateline(units, meta, decisions)
    bio, units = take_bio(units, meta, decisions)
    body = drop_boilerplate(units, decisions)
    body = take_title(body, meta, decisions)
    blocks = mark_headings(mark_pullquotes(body, decisions), body, decisions)
    if bio is not None:
        meta["bio"] = bio
    meta = {k: meta[k] for k in ("title", "author", "publication", "date", "url", "lang", "bio") if k in meta}
    missing = tuple(f for f in ("title", "author") if f not in meta)
    for name in ("publication", "date", "url"):
        if name not in meta:
            decisions.append(Decision(0, f"no {name} given: add '{name}:' to the front matter "
                                         f"(or pass --{name}) if the article has one"))
    return Imported(meta, tuple(blocks), tuple(decisions), missing)


# --- units -------------------------------------------------------------------------

def normalise(raw: str) -> str:
    """Line ends, non-breaking and odd spaces, zero-width characters, trailing blanks."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    text = "".join(" " if (unicodedata.category(c) == "Zs" or c == "\t") else c for c in text)
    text = re.sub("[\u200b\u200c\u200d\u2060\u00ad]", "", text)
    return "\n".join(re.sub(" {2,}", " ", line).rstrip() for line in text.split("\n"))


def split_units(text: str, decisions: list) -> list[Unit]:
    """One unit per line; lines of a hard-wrapped block (like an e-mail's) are joined."""
    units: list[Unit] = []
    block: list[tuple[int, str]] = []
    for number, line in enumerate(text.split("\n") + [""], 1):
        if line.strip():
            block.append((number, line))
            continue
        if block:
            units.extend(block_units(block, decisions))
            block = []
    return units


def block_units(block: list[tuple[int, str]], decisions: list) -> list[Unit]:
    if hard_wrapped([line for _, line in block]):
        decisions.append(Decision(block[0][0], f"joined {len(block)} lines into one paragraph "
                                                "(the text was wrapped at a fixed width)"))
        return [Unit(block[0][0], " ".join(line.strip() for _, line in block))]
    out = []
    for number, line in block:
        bullet = BULLET.match(line)
        out.append(Unit(number, line[bullet.end():].strip() if bullet else line.strip(), bool(bullet)))
    return out


def hard_wrapped(lines: list[str]) -> bool:
    """Lines of similar, moderate length, most not ending a sentence: one paragraph, wrapped."""
    if len(lines) < 2 or any(BULLET.match(line) for line in lines):
        return False
    body = lines[:-1]
    moderate = all(40 <= len(line) <= 100 for line in body)
    open_ended = sum(not SENTENCE_END.search(line) for line in body)
    return moderate and open_ended * 2 >= len(body)


# --- the author -------------------------------------------------------------------------

def take_byline(units: list[Unit], meta: dict, decisions: list) -> list[Unit]:
    """A 'By Jane Doe' line among the first few units names the author."""
    def name(text: str):
        m = BYLINE.match(text)
        return m.group("name") if m else None
    return take_header_line(units, meta, decisions, "author", name, "the byline")


def take_header_line(units: list[Unit], meta: dict, decisions: list, field: str, parse, what: str) -> list[Unit]:
    """The first of the first few units that `parse` reads a value from gives meta[field]
    (unless the editor gave it); that line is removed either way, and the decision said."""
    for i, unit in enumerate(units[:5]):
        value = parse(unit.text)
        if value is None:
            continue
        if field not in meta:
            meta[field] = value
            decisions.append(Decision(unit.line, f"{field}: “{value}”, from {what} “{unit.text}”; the line was removed"))
        else:
            decisions.append(Decision(unit.line, f"removed {what} “{unit.text}”"))
        return units[:i] + units[i + 1:]
    return units


def is_bio(unit: Unit, author: str | None) -> bool:
    if unit.words < 8:
        return False
    by_author = author and re.match(rf"^{re.escape(author)}\s+{BIO_VERBS}\b", unit.text, re.IGNORECASE)
    return bool(BIO_START.match(unit.text) or by_author)


MONTHS = {m: i for i, m in enumerate(("january", "february", "march", "april", "may", "june", "july",
                                      "august", "september", "october", "november", "december"), 1)}
DATELINE = re.compile(r"^(?:(?P<month>[A-Za-z]+)\.? (?P<day>\d{1,2}),? (?P<year>\d{4})"
                      r"|(?P<day2>\d{1,2}) (?P<month2>[A-Za-z]+)\.? (?P<year2>\d{4})"
                      r"|(?P<iso>\d{4}-\d{2}-\d{2}))$")


def take_dateline(units: list[Unit], meta: dict, decisions: list) -> list[Unit]:
    """A line among the first few that is only a date ('January 3, 2020'): the date."""
    return take_header_line(units, meta, decisions, "date", parse_dateline, "the date line")


def parse_dateline(text: str) -> str | None:
    from .model import PartialDate

    m = DATELINE.match(text.strip())
    if not m:
        return None
    if m["iso"]:
        iso = m["iso"]
    else:
        word = (m["month"] or m["month2"]).lower()  # "January", "Jan", "Sept"
        month = next((n for name, n in MONTHS.items() if len(word) >= 3 and name.startswith(word)), None)
        if month is None:
            return None
        iso = f"{m['year'] or m['year2']}-{month:02d}-{int(m['day'] or m['day2']):02d}"
    try:
        return PartialDate.parse(iso).iso()
    except ValueError:
        return None


def take_bio(units: list[Unit], meta: dict, decisions: list) -> tuple[str | None, list[Unit]]:
    """The author's bio, if there is one after the article's end."""
    author = meta.get("author")
    for i in range(article_end(units, author), len(units)):
        unit = units[i]
        if not is_bio(unit, author):
            continue
        decisions.append(Decision(unit.line, f"author's bio moved to the front matter ('bio:'): "
                                             f"“{shorten(unit.text)}” (the copy lost its italics: mark "
                                             "book titles with *asterisks*)"))
        m = BIO_START.match(unit.text)
        if m and not author:
            name = author_name(m.group("name"), units)
            meta["author"] = name
            decisions.append(Decision(unit.line, f"author: “{name}”, from the bio; check the spelling"))
        return unit.text, units[:i] + units[i + 1:]
    return None, units


def author_name(caps: str, units: list[Unit]) -> str:
    """'EMMA SKY' -> 'Emma Sky': as a 'More by Emma Sky' line spells it, else in title case."""
    for unit in units:
        m = MORE_BY.match(unit.text)
        if m and m.group("name").upper() == caps.upper():
            return m.group("name").strip()
    return " ".join(w.capitalize() if w.isupper() else w for w in caps.split())


# --- boilerplate ----------------------------------------------------------------------------

def boilerplate(unit: Unit) -> str | None:
    """Why this unit is page furniture, or None."""
    if unit.words > BOILERPLATE_MAX_WORDS:
        return None
    for pattern, why in BOILERPLATE:
        if pattern.search(unit.text):
            return why
    return None


def article_end(units: list[Unit], author: str | None = None) -> int:
    """Index of the first unit after the article.

    Read from the end: page furniture, a bio, list items and short bits are
    skipped; the first real paragraph met is the article's last. The end is the
    first furniture (or bio) after it, so a short closing sentence stays.
    """
    end = len(units)
    for i in range(len(units) - 1, -1, -1):
        unit = units[i]
        if boilerplate(unit) or is_bio(unit, author):
            end = i
        elif not (unit.bullet or unit.words < PROSE_WORDS):
            break
    return end


def drop_boilerplate(units: list[Unit], decisions: list) -> list[Unit]:
    end = article_end(units)
    kept = []
    for i, unit in enumerate(units):
        why = boilerplate(unit)
        if why:
            decisions.append(Decision(unit.line, f"removed {why}: “{shorten(unit.text)}”"))
        elif i >= end:
            decisions.append(Decision(unit.line, f"removed text after the article's end: “{shorten(unit.text)}”"))
        else:
            if unit.bullet:
                decisions.append(Decision(unit.line, "list item kept as a paragraph (the article format "
                                                     "has no lists): “{}”".format(shorten(unit.text))))
            kept.append(unit)
    return kept


# --- title and headings -------------------------------------------------------------------

def heading_like(unit: Unit, following: Unit | None) -> bool:
    """A short line with no closing punctuation, followed by prose: a title or a heading."""
    return (not unit.bullet and unit.words <= 12 and unit.text[:1].isupper()
            and not re.search(r"[.!?…:;,”\"’')\]]$", unit.text)
            and following is not None and following.words >= PROSE_WORDS)


def take_title(units: list[Unit], meta: dict, decisions: list) -> list[Unit]:
    """The first line, if it reads like a headline: the title (or, if one was given, dropped
    when it says the same)."""
    if not units or not heading_like(units[0], units[1] if len(units) > 1 else None):
        return units
    first = units[0]
    if "title" not in meta:
        meta["title"] = first.text
        decisions.append(Decision(first.line, f"title: “{first.text}”, from the first line; check it"))
    elif meta["title"].casefold() != first.text.casefold():
        return units  # not the given title: a kicker or a heading, left to mark_headings
    else:
        decisions.append(Decision(first.line, "removed the first line: it repeats the title"))
    return units[1:]


def mark_headings(blocks: list[tuple[str, str]], units: list[Unit], decisions: list) -> list[tuple[str, str]]:
    out = []
    for i, ((kind, text), unit) in enumerate(zip(blocks, units)):
        following = units[i + 1] if i + 1 < len(units) else None
        if kind == "paragraph" and heading_like(unit, following):
            decisions.append(Decision(unit.line, f"heading: “{text}” (a short line without a full stop, "
                                                 "before a paragraph); set as '## '"))
            kind = "heading"
        out.append((kind, text))
    return out


# --- pull quotes -------------------------------------------------------------------------------

def words(text: str) -> list[str]:
    return WORD.findall(text.casefold())


def shared_share(short: list[str], long: list[str]) -> float:
    """Share of `short`'s words found in `long` in order, in runs of three or more."""
    matcher = difflib.SequenceMatcher(None, short, long, autojunk=False)
    matched = sum(size for _, _, size in matcher.get_matching_blocks() if size >= 3)
    return matched / len(short) if short else 0.0


def mark_pullquotes(units: list[Unit], decisions: list) -> list[tuple[str, str]]:
    tokens = [words(u.text) for u in units]
    paragraph_numbers = {}
    blocks: list[tuple[str, str]] = []
    pullquotes = set()
    for i, unit in enumerate(units):
        if not could_be_pullquote(unit, tokens[i]):
            continue
        best = max(((shared_share(tokens[i], tokens[j]), j) for j in range(len(units))
                    if j != i and j not in pullquotes and len(tokens[j]) > len(tokens[i])), default=(0.0, -1))
        if best[0] >= PULLQUOTE_SHARE:
            pullquotes.add(i)
            paragraph_numbers[i] = best[1]
    number = 0
    numbers = {}
    for i, unit in enumerate(units):
        if i not in pullquotes:
            number += 1
            numbers[i] = number
    for i, unit in enumerate(units):
        if i in pullquotes:
            source = paragraph_numbers[i]
            share = shared_share(tokens[i], tokens[source])
            how = "repeats" if share == 1.0 else f"closely repeats ({share:.0%} of its words)"
            decisions.append(Decision(unit.line, f"pull quote: “{shorten(unit.text)}” {how} "
                                                 f"¶ {numbers[source]} (line {units[source].line}); "
                                                 "set as a '::: pullquote' block"))
            blocks.append(("pullquote", unit.text))
        else:
            blocks.append(("paragraph", unit.text))
    return blocks


def could_be_pullquote(unit: Unit, tokens: list[str]) -> bool:
    low, high = PULLQUOTE_WORDS
    sentences = len(re.findall(r"[.!?…](?:\s|$)", unit.text))
    return not unit.bullet and low <= len(tokens) <= high and sentences <= 2


# --- writing Markdown ---------------------------------------------------------------------------

def front_matter(meta: dict) -> str:
    lines = ["---"]
    for key, value in meta.items():
        if key == "bio":
            wrapped = textwrap.wrap(value, 88, break_long_words=False, break_on_hyphens=False)
            lines.append("bio: >-")
            lines.extend(f"  {line}" for line in wrapped)
        elif key == "date":
            lines.append(f"date: {value}")  # ISO, checked by the caller; YAML reads it as a date
        else:
            lines.append(f"{key}: {yaml_scalar(value)}")
    lines.append("---")
    return "\n".join(lines) + "\n"


def yaml_scalar(value: str) -> str:
    """The value plain when YAML reads it back as the same string, else double-quoted."""
    try:
        if yaml.safe_load(f"k: {value}") == {"k": value} and not value.startswith(("'", '"')):
            return value
    except yaml.YAMLError:
        pass
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def block_markdown(kind: str, text: str) -> str:
    text = escape_markdown(text)
    if kind == "heading":
        return f"## {text}\n"
    if kind == "pullquote":
        return f"::: pullquote\n{text}\n:::\n"
    return text + "\n"


_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<])")
_ENTITY = re.compile(r"&(?=#\d+;|#[xX][0-9a-fA-F]+;|[A-Za-z][A-Za-z0-9]*;)")
_BLOCK_START = re.compile(r"^(#{1,6}(?:\s|$)|>|[-+*](?:\s|$)|\d{1,9}[.)](?:\s|$)|:::|~~~|=+\s*$|-+\s*$)")


def escape_markdown(text: str) -> str:
    """Text that Markdown reads back as exactly this text, not as emphasis, links or lists."""
    text = _INLINE_SPECIAL.sub(r"\\\1", text)
    text = _ENTITY.sub(r"\\&", text)
    m = _BLOCK_START.match(text)
    if m:
        # Escape the marker's first punctuation: "1. " -> "1\. ", "# " -> "\# ".
        marker = m.group()
        k = next((i for i, c in enumerate(marker) if not c.isdigit()), 0)
        text = text[:k] + "\\" + text[k:]
    return text


def shorten(text: str, width: int = 70) -> str:
    return text if len(text) <= width else text[: width - 1].rsplit(" ", 1)[0] + "…"
