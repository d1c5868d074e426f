"""Text copied from a web page, or the page saved as HTML -> source/article.md, with every
decision reported.

A browser's "select all, copy" of a page gives one line per paragraph, heading, menu item
and button: the site's name, menu and breadcrumb, a headline, a byline and a date line,
share buttons, a photo caption, the article, a subscription offer, tags, a "Related"
list, the author's bio, the footer. This module keeps the article and decides, one unit
of text at a time:

- the article is the longest run of prose paragraphs (article_span); what stands above it
  is read for the headline (the title), a standfirst or second title line (the subtitle),
  a byline (the author, maybe the date), a date line and a "From the ..." line (the
  publication), and removed; what follows it is removed, except the author's bio;
- inside it, page furniture (BOILERPLATE: offers, prompts, share and social links,
  captions and credits), menus, breadcrumbs and lists of links or tags under their
  heading are removed;
- a bio ("EMMA SKY is Director of...") goes into the front matter's `bio:`;
- a short paragraph that repeats a sentence of another, as the pull quotes of magazine
  pages do, becomes a `::: pullquote` block; a whole paragraph set twice loses its copy;
- a short line without a full stop before a paragraph becomes a heading.

A saved page (import_html) is read with trafilatura, offline, then decided on the same way.
Nothing is guessed silently: every decision is a :class:`Decision` with the raw line it
concerns, for the editor to review. Nothing here prints or writes. The furniture's
patterns are furniture.py's, which lint.py also reads to warn about what is left.
"""
from __future__ import annotations

import html
import json
import re
import textwrap
import unicodedata
from collections import deque
from dataclasses import dataclass, replace

import yaml

from .furniture import (COPY_SHARE, LIST_HEADING, MENU_RUN, PROSE_WORDS, alike, boilerplate_reason, menu_line,
                        shared_share, shorten, words)

BULLET = re.compile(r"^\s*(?:[•·▪◦‣∙*+-]|\d{1,3}[.)])\s+")
SENTENCE_END = re.compile(r"[.!?…][”\"’')\]]*$")

SHORT_WEIGHT = 10  # what a short unit weighs against the article's run: a short paragraph's words
FIELDS = ("title", "subtitle", "author", "publication", "date", "url", "lang", "bio")  # front matter, in order

# "EMMA SKY is Director of...": a name in capitals, then a verb, opens a bio.
CAPS_NAME = r"(?P<name>[A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]*){1,3})"
BIO_VERBS = r"(?:is|was|has|teaches|writes|directs|served|covers|leads|holds)"
BIO_START = re.compile(rf"^{CAPS_NAME}\s+{BIO_VERBS}\b")
MORE_BY = re.compile(r"^more (?:by|from) (?P<name>.+?)\.?$", re.IGNORECASE)

# A pull quote: one or two sentences, most of whose words (in runs of three or
# more, in order) are in another, longer paragraph.
PULLQUOTE_WORDS = (6, 60)
PULLQUOTE_SHARE = 0.75


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
    return import_units(split_units(normalise(raw), decisions), given, decisions)


def import_units(units: list[Unit], given: dict, decisions: list[Decision], stated=()) -> Imported:
    """The article in `units` (from a paste, or from a saved page's text), decisions added.
    `stated`: fields a saved page's markup states, for what the text does not give."""
    meta = {k: v for k, v in given.items() if v}
    start, end = article_span(units)
    read_header(units[:start], meta, decisions, stated)
    bio, footer = take_bio(units[end:], meta, decisions)
    drop_footer(footer, decisions)
    body = drop_furniture(units[start:end], decisions)
    blocks = mark_headings(*mark_pullquotes(body, decisions), decisions)
    if bio is not None:
        meta["bio"] = bio
    meta = {k: meta[k] for k in FIELDS if k in meta}
    missing = tuple(f for f in ("title", "author") if f not in meta)
    for name in ("publication", "date", "url"):
        if name not in meta:
            decisions.append(Decision(0, f"no {name} given: add '{name}:' to the front matter "
                                         f"(or pass --{name}) if the article has one"))
    return Imported(meta, tuple(blocks), tuple(decisions), missing)


# --- a saved web page -------------------------------------------------------------------

# Where a page's markup names the article's date and author, in order of trust. The
# year of a copyright line ("© 2024") is the site's, not the article's: it is never a date.
DATE_KEYS = ("article:published_time", "og:published_time", "datepublished", "citation_publication_date",
             "citation_date", "dc.date.issued", "dcterms.issued", "dc.date", "dcterms.date", "date", "pubdate",
             "publish-date", "publication_date", "sailthru.date", "parsely-pub-date")
AUTHOR_KEYS = ("author", "article:author", "dc.creator", "dcterms.creator", "citation_author", "sailthru.author",
               "parsely-author")


@dataclass(frozen=True)
class Stated:
    """A front matter field the page's markup states, and where."""
    field: str
    value: str
    line: int
    where: str  # "<meta name=\"author\">"


def looks_like_html(name: str, data: bytes) -> bool:
    """A saved web page, by its suffix or by how it starts."""
    start = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return name.lower().endswith((".html", ".htm", ".xhtml")) or start.startswith((b"<!doctype html", b"<html"))


def import_html(data: bytes, given: dict) -> Imported:
    """A saved web page -> an article. trafilatura finds the article's text, the title and
    the site's name; it is handed the page's bytes and never a URL, so nothing is fetched.
    Its author and date are not used: it strips the full stops from a name ("Franklin D
    Roosevelt") and takes a copyright year for a date. The text goes through import_units
    like a paste, with the byline and date lines trafilatura leaves out put back, so a page
    and a paste of it agree; what they do not give, the page's markup may (stated_fields).
    Every decision names the line of the page it concerns."""
    from trafilatura import bare_extraction

    try:
        doc = bare_extraction(data, url=None, with_metadata=True, include_comments=False, include_tables=False,
                              include_images=False, include_links=False, include_formatting=False)
    except Exception as exc:  # lxml and trafilatura raise many kinds on broken pages: a bad input, not a bug
        raise ValueError(f"could not read the page's text ({type(exc).__name__}: {exc})") from exc
    page = data.decode("utf-8", errors="replace")
    paragraphs = [line.strip() for line in (getattr(doc, "text", None) or "").split("\n") if line.strip()]
    units = placed(page, paragraphs)
    tree = page_tree(data)
    fields = dict(given)
    found = []
    for name, theirs in (("title", "title"), ("publication", "sitename")):
        value = " ".join((getattr(doc, theirs, None) or "").split())
        if value and name not in given:
            fields[name] = value
            line, where = stated_where(tree, value)
            found.append(Decision(line, f"{name}: “{value}”, from the page's {where}; check it"))
    first = next((i for i, unit in enumerate(units) if prose(unit)), len(units))
    header = above_article(tree, units[first].text if units[first:] else None)
    # The lines put back go above the first paragraph, by line (a page on one line: in order).
    above = sorted(units[:first] + header_lines(header, units), key=lambda u: u.line)
    return import_units(above + units[first:], fields, found, stated_fields(tree, header))


def page_tree(data: bytes):
    """The page parsed as trafilatura parses it (its encoding found as trafilatura finds
    it), or None if it cannot be."""
    from trafilatura import load_html

    try:
        return load_html(data)
    except Exception:  # lxml raises many kinds on broken pages: then the markup is not read
        return None


NEAR_LINES = 50  # how far below a line holding a paragraph's words its element's start is looked for


def placed(page: str, paragraphs: list[str]) -> list[Unit]:
    """The paragraphs as units, each with the line of the page where it starts, so that
    every line number the report gives is the page's: the first line, from the previous
    paragraph's on, that holds its first words, or, a few lines below, the line where an
    element's text starts with them (a headline's <h1>, not a breadcrumb ending with them)."""
    page_lines = [page_line(line) for line in page.split("\n")]
    body = next((i for i, line in enumerate(page.split("\n")) if re.search(r"<body\b", line, re.IGNORECASE)), 0)
    units: list[Unit] = []
    for text in paragraphs:
        after = max(body, units[-1].line - 1 if units else 0)
        probe = " ".join(text.split()[:6])
        first = next((i for i in range(after, len(page_lines)) if probe in page_lines[i][0]), None)
        near = range(first, min(first + NEAR_LINES, len(page_lines))) if first is not None else ()
        starting = (i for i in near if any(page_lines[i][0].startswith(probe, at) for at in page_lines[i][1]))
        line = next(starting, after if first is None else first) + 1
        units.append(Unit(line, " ".join(normalise(text).split())))
    return units


def page_line(line: str) -> tuple[str, list[int]]:
    """A line of the page as text (tags out, entities read, spaces collapsed) and the
    offsets in it where a text after a tag, or the line's own, starts."""
    pieces = [" ".join(html.unescape(piece).split()) for piece in re.split(r"<[^>]*>", line)]
    starts, length = [], 0
    for piece in filter(None, pieces):
        starts.append(length)
        length += len(piece) + 1
    return " ".join(filter(None, pieces)), starts


def element_text(element, limit: int | None = None) -> str | None:
    """The element's text as a unit's, or None if it runs past `limit` characters (a
    container's whole text is not read to find a one-line byline)."""
    pieces, length = [], 0
    for piece in element.itertext():
        pieces.append(piece)
        length += len(piece)
        if limit is not None and length > limit:
            return None
    return " ".join(normalise(" ".join(pieces)).split())


def starts_with(element, probe: str) -> bool:
    """Whether the element's text, whitespace left out, starts with `probe` (also without):
    only as much of it is read as the probe needs."""
    head = ""
    for piece in element.itertext():
        head += re.sub(r"\s+", "", normalise(piece))
        if len(head) >= len(probe):
            break
    return head.startswith(probe)


def above_article(tree, first: str | None) -> list:
    """The page's elements, in order, before the one that starts the article's first
    paragraph (`first`): its header, whatever lines it is on (a saved page may be one line).
    Whitespace is left out of the comparison: inline markup splits text anywhere."""
    if tree is None or first is None:
        return []
    probe = re.sub(r"\s+", "", first)[:40]
    header = []
    for element in tree.xpath("//body//*[not(ancestor-or-self::*[self::script or self::style or self::noscript"
                              " or self::template])]"):
        if starts_with(element, probe):
            return header
        header.append(element)
    return []  # the paragraph is not where trafilatura read it: leave the markup alone


BYLINE_CHARS = 1000  # an element with more text (indentation included) is no byline or date line


def header_lines(header: list, units: list[Unit]) -> list[Unit]:
    """The bylines and date lines among the page's `header` elements that are not among
    `units` (trafilatura drops a <p class="byline">), each at its line: read_header then reads
    them as it reads a paste's. The outermost element whose text is one, as the page shows it."""
    have = {unit.text for unit in units}
    taken: list = []
    for element in header:
        text = element_text(element, limit=BYLINE_CHARS)
        if (text and text not in have and len(text.split()) <= 16 and (parse_byline(text)[0] or parse_dateline(text))
                and not any(parent in taken for parent in element.iterancestors())):
            taken.append(element)
            have.add(text)
    return [Unit(element.sourceline or 0, element_text(element, limit=BYLINE_CHARS)) for element in taken]


def stated_fields(tree, header: list) -> list[Stated]:
    """The author and date the page's markup states, for what its visible lines do not
    give: a <time datetime> above the article, <meta> tags, JSON-LD, an element marked as
    the author. Values as the page spells them."""
    if tree is None:
        return []
    keyed = markup_keys(tree)
    times = [Stated("date", t.get("datetime"), t.sourceline or 0, f'<time datetime="{t.get("datetime")}">')
             for t in header if t.tag == "time" and t.get("datetime")]
    dates = times + [keyed[k] for k in DATE_KEYS if k in keyed] + json_ld(tree, "datePublished", "date")
    authors = [keyed[k] for k in AUTHOR_KEYS if k in keyed] + json_ld(tree, "author", "author") + marked_authors(tree)
    date = [replace(s, value=iso) for s in dates for iso in [stated_date(s.value)] if iso][:1]
    return date + [replace(s, value=parse_byline(s.value)[0] or s.value) for s in authors if person_name(s.value)][:1]


def markup_keys(tree) -> dict[str, Stated]:
    """{key: the first value} of the page's <meta> (and other) elements named by a key of
    DATE_KEYS or AUTHOR_KEYS in their property, name or itemprop."""
    keyed: dict[str, Stated] = {}
    for element in tree.xpath("//*[@name or @property or @itemprop]"):
        attribute = next(a for a in ("property", "name", "itemprop") if element.get(a) is not None)
        key = element.get(attribute).lower()
        value = element.get("content") or element.get("datetime") or (
            element_text(element) if element.tag != "meta" else "")
        if key in DATE_KEYS + AUTHOR_KEYS and key not in keyed and value.strip():
            keyed[key] = Stated("date" if key in DATE_KEYS else "author", " ".join(value.split()),
                                element.sourceline or 0, f'<{element.tag} {attribute}="{element.get(attribute)}">')
    return keyed


def marked_authors(tree) -> list[Stated]:
    """Elements marked as the author's name: rel="author", class="author", "author-name"."""
    found = tree.xpath("//body//*[@rel='author' or contains(concat(' ', normalize-space(@class), ' '), ' author ')"
                       " or contains(@class, 'author-name')]")
    return [Stated("author", element_text(e), e.sourceline or 0,
                   f'<{e.tag} class="{e.get("class")}">' if e.get("class") else f'<{e.tag} rel="author">')
            for e in found]


def json_ld(tree, key: str, field: str) -> list[Stated]:
    """`key`'s values in the page's JSON-LD blocks (a person's name, for an author)."""
    found = []
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            items = deque([json.loads(script.text or "")])
        except ValueError:
            continue
        while items:
            item = items.popleft()
            if isinstance(item, list):
                items.extend(item)
            elif isinstance(item, dict):
                value = item.get(key)
                for one in value if isinstance(value, list) else [value]:
                    name = one.get("name") if isinstance(one, dict) else one
                    if isinstance(name, str) and name.strip():
                        found.append(Stated(field, " ".join(name.split()), script.sourceline or 0,
                                            f"JSON-LD (“{key}”)"))
                items.extend(v for v in item.values() if isinstance(v, (dict, list)))
    return found


def stated_date(value: str) -> str | None:
    """The ISO date of a date the markup states ("2023-03-04T09:00:00-05:00", "March 4, 2023")."""
    from .model import PartialDate

    try:
        return PartialDate.parse(value).iso()
    except ValueError:
        return parse_dateline(value)


def person_name(value: str) -> bool:
    """A name, not a profile's address, an e-mail or a sentence."""
    return (1 <= len(value.split()) <= 8 and bool(re.search(r"[^\W\d_]", value))
            and not re.search(r"://|@|^www\.", value))


def stated_where(tree, value: str) -> tuple[int, str]:
    """(line, element) where the page states `value`: a <meta> whose content it is, else
    the <title> or the element whose text holds it."""
    if tree is None:
        return 0, "markup"
    for element in tree.iter("meta"):
        if " ".join((element.get("content") or "").split()) == value:
            attribute = next((a for a in ("property", "name", "itemprop") if element.get(a) is not None), "content")
            return element.sourceline or 0, f'<meta {attribute}="{element.get(attribute)}">'
    for text in tree.xpath("//title/text() | //body//text()"):
        if value in " ".join(text.split()):
            element = text.getparent()
            return element.sourceline or 0, f"<{element.tag}>"
    return 0, "markup"


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
    # Wrapped prose goes on mid-sentence: most lines after the first start in lower case.
    # A page's header (a headline, a byline, "12 Comments") is lines that start anew.
    going_on = sum(line.lstrip()[:1].islower() for line in lines[1:])
    return moderate and open_ended * 2 >= len(body) and going_on * 2 >= len(lines) - 1


# --- where the article is ----------------------------------------------------------------

def prose(unit: Unit) -> bool:
    """A paragraph of running text: long enough, ending a sentence, not furniture, a byline or a bio."""
    return (unit.words >= PROSE_WORDS and bool(re.search(r"[.!?…:;][”\"’')\]]*$", unit.text))
            and not boilerplate(unit) and not is_bio(unit, None) and not parse_byline(unit.text)[0])


def article_span(units: list[Unit]) -> tuple[int, int]:
    """(start, end): the article is units[start:end], the longest run of prose.

    Each prose unit weighs its words, furniture nothing, anything else SHORT_WEIGHT against:
    the run of most weight (Kadane's) holds the paragraphs and the headings, pull quotes,
    captions and link lists among them, but not a site's introduction above a headline,
    byline and date line, nor a bio below a subscription offer. A short closing sentence
    just after it, and a salutation ("To the People of the State of New York:") or a short
    first sentence just before it, belong to it.
    """
    # Furniture the article may hold (an offer, a caption, share buttons, a list of links)
    # weighs nothing either way: it is removed wherever it stands. A menu weighs against.
    menus = menu_runs(units)
    weightless = {i for i in furniture(units) if i not in menus or boilerplate(units[i])}
    best, best_span, total, first = 0, (0, 0), 0, 0
    for i, unit in enumerate(units):
        if total <= 0:
            total, first = 0, i
        total += unit.words if prose(unit) else 0 if i in weightless else -SHORT_WEIGHT
        if total > best:
            best, best_span = total, (first, i + 1)
    start, end = best_span
    while end < len(units) and closing_sentence(units[end]):
        end += 1
    while start > 0 and (salutation(units[start - 1]) or opening_sentence(units[start - 1])):
        start -= 1
    return start, end


def opening_sentence(unit: Unit) -> bool:
    """A short first paragraph ("WASHINGTON — The Senate passed the bill."), not a date line."""
    return (unit.words >= 5 and closing_sentence(unit) and not menu_line(unit.text)
            and not parse_dateline(unit.text) and not parse_byline(unit.text)[0])


def closing_sentence(unit: Unit) -> bool:
    return (bool(SENTENCE_END.search(unit.text)) and not unit.bullet and not boilerplate(unit)
            and not is_bio(unit, None) and not re.match(LIST_HEADING, unit.text, re.IGNORECASE))


def salutation(unit: Unit) -> bool:
    return unit.text.endswith(":") and unit.words <= 15 and not boilerplate(unit)


def menu_runs(units: list[Unit]) -> set[int]:
    """Indexes of units in runs of MENU_RUN or more short lines without punctuation: a menu."""
    short = [u.words <= 4 and not re.search(r"[.!?…,;:]$", u.text) and not parse_dateline(u.text)
             for u in units]
    found: set[int] = set()
    i = 0
    while i < len(units):
        j = i
        while j < len(units) and short[j]:
            j += 1
        if j - i >= MENU_RUN:
            found.update(range(i, j))
        i = max(j, i + 1)
    return found


# --- the header: title, author, date --------------------------------------------------------

def read_header(header: list[Unit], meta: dict, decisions: list, stated=()) -> None:
    """Read the byline, the date line and the headline from what stands above the article
    (a site's name, menu and introduction may come first); report every unit removed.
    `stated`: what a saved page's markup says, for what these lines do not give."""
    used: dict[int, str] = {}
    for i in reversed(range(len(header))):
        author, date = parse_byline(header[i].text)
        if author and "author" not in used.values():
            take_field(header[i], meta, decisions, "author", author, "the byline")
            used[i] = "author"
            if date and "date" not in meta:
                take_field(header[i], meta, decisions, "date", date, "the byline")
    dates = [i for i, unit in enumerate(header) if i not in used and parse_dateline(unit.text)]
    published = [i for i in dates if not re.match(r"\s*(updated|modified|last)", header[i].text, re.IGNORECASE)]
    if dates and not published:  # only an "Updated ..." line: a first date the markup gives wins
        take_stated([s for s in stated if s.field == "date"], meta, decisions)
    if published or dates:
        i = (published or dates)[-1]
        take_field(header[i], meta, decisions, "date", parse_dateline(header[i].text), "the date line")
        used[i] = "date"
    take_stated(stated, meta, decisions)
    for i, unit in enumerate(header):
        m = SOURCE_LINE.match(unit.text)
        if m and i not in used:
            take_field(unit, meta, decisions, "publication", m["name"].rstrip("."), "the line")
            used[i] = "publication"
            break
    title = headline(header, used)
    if title is not None:
        subtitle = None
        if title > 0 and title - 1 not in used and title_like(header[title - 1]) \
                and header[title - 1].words >= 4 and title - 1 not in menu_runs(header):
            title, subtitle = title - 1, title  # a headline over a second title-like line
        elif title + 1 < len(header) and title + 1 not in used and deck(header[title + 1]):
            subtitle = title + 1  # a standfirst: one sentence under the headline
        take_title(header[title], meta, decisions)
        used[title] = "title"
        if subtitle is not None:
            take_field(header[subtitle], meta, decisions, "subtitle", header[subtitle].text,
                       "the line under the headline")
            used[subtitle] = "subtitle"
    menus = menu_runs(header)
    for i, unit in enumerate(header):
        if i in used:
            continue
        why = boilerplate(unit) or ("a menu" if i in menus or menu_line(unit.text) else "the page's header")
        decisions.append(Decision(unit.line, f"removed {why}, above the article: “{shorten(unit.text)}”"))


def take_stated(stated, meta: dict, decisions: list) -> None:
    """meta's missing fields from what the page's markup states, each with where it says it."""
    for field in stated:
        if field.field not in meta:
            meta[field.field] = field.value
            decisions.append(Decision(field.line, f"{field.field}: “{field.value}”, from the page's {field.where}; "
                                                  "check it"))


def take_title(unit: Unit, meta: dict, decisions: list) -> None:
    if "title" not in meta:
        meta["title"] = unit.text
        decisions.append(Decision(unit.line, f"title: “{unit.text}”, from the headline; check it"))
    elif meta["title"].casefold() == unit.text.casefold():
        decisions.append(Decision(unit.line, "removed the headline: it repeats the title"))
    else:
        decisions.append(Decision(unit.line, f"removed the headline “{unit.text}”: the title was given"))


def deck(unit: Unit) -> bool:
    """A standfirst: one sentence of a few words under a headline."""
    return (6 <= unit.words <= 40 and bool(SENTENCE_END.search(unit.text)) and not boilerplate(unit)
            and not menu_line(unit.text) and not parse_dateline(unit.text) and not parse_byline(unit.text)[0]
            and len(re.findall(r"[.!?…](?:\s|$)", unit.text)) <= 1)


def take_field(unit: Unit, meta: dict, decisions: list, field: str, value: str, what: str) -> None:
    """meta[field] = value, unless the editor gave it; the line is removed either way."""
    if field not in meta:
        meta[field] = value
        decisions.append(Decision(unit.line, f"{field}: “{value}”, from {what} “{unit.text}”; "
                                             "the line was removed"))
    else:
        decisions.append(Decision(unit.line, f"removed {what} “{unit.text}”"))


def headline(header: list[Unit], used: dict[int, str]) -> int | None:
    """Index of the headline: the title-like unit nearest above the byline or date line,
    else the last title-like unit of the header."""
    anchors = [i for i in used if used[i] in ("author", "date")]
    # A short headline right above the byline may look like the end of a menu; it is not.
    menus = menu_runs(header) - {min(anchors) - 1 if anchors else -1}
    candidates = [i for i, unit in enumerate(header) if i not in used and i not in menus and title_like(unit)]
    if not candidates:
        return None
    above = [i for i in candidates if anchors and i < min(anchors)]
    return above[-1] if above else candidates[-1]


def title_like(unit: Unit) -> bool:
    return (not unit.bullet and 2 <= unit.words <= 20 and unit.text.lstrip("‘“'\"")[:1].isupper()
            and not re.search(r"[.,:;]$", unit.text) and not boilerplate(unit)
            and not menu_line(unit.text) and not parse_dateline(unit.text))


# "By Jane Doe", "BY JANE DOE", "Posted by Jane Doe | March 4, 2021", "Author: James Madison",
# "By Jane Doe and John Roe, Staff Writers". Only the label ignores case: a name is capitalised,
# but for its particles ("Charles de Gaulle", "Ali al-Sistani"). Its punctuation is the
# name's: initials ("Franklin D. Roosevelt", "W. E. B. Du Bois"), O'Brien, Jean-Paul, Jr.
NAME_WORD = r"(?:(?:al|el)-)?[A-Z][\w.'’-]*"
PARTICLE = r"(?:de|da|di|du|del|della|der|den|van|von|la|le|ten|ter|bin|ibn)"
NAME = (rf"(?:[A-Z]\.\s+)*{NAME_WORD}(?:\s+(?:{PARTICLE}\s+)*{NAME_WORD}){{1,3}}"
        r"(?:,?\s+(?:Jr|Sr|Jnr|Snr)\b\.?|\s+(?:II|III|IV)\b)?")
NAME_END = re.compile(r"(?:[A-Z]\.)+|(?:Jr|Sr|Jnr|Snr)\.")  # a last word whose full stop is the name's
BYLINE = re.compile(rf"^(?i:(?:(?:posted|written|words|story|text)\s+)?by:?|author:|creator:)\s+"
                    rf"(?P<name>{NAME}(?:\s+(?i:and)\s+{NAME})?)"
                    rf"(?P<rest>\s*(?:[,|·•—–]|\s-\s|\b(?i:on)\b).*)?$")


# "From the Daily Advertiser.", "Originally published in Harper's Weekly": the publication.
SOURCE_LINE = re.compile(r"^(?i:from|(?:originally |first )?published in)\s+(?:(?i:the)\s+)?"
                         r"(?P<name>[A-Z][\w'’&.-]*(?:\s+[A-Z][\w'’&.-]*){0,5})\.?$")


def parse_byline(text: str) -> tuple[str | None, str | None]:
    """(author, date) from a byline; a date may follow the name on the same line."""
    m = BYLINE.match(text)
    if not m or len(text.split()) > 16:
        return None, None
    name = m["name"]
    if name.replace(" and ", " ").isupper():  # "JANE DOE and JOHN ROE"
        name = name_case(name)
    if name.endswith(".") and not NAME_END.fullmatch(name.split()[-1]):
        name = name[:-1]  # "By Jane Doe.": the sentence's full stop, not the name's
    rest = (m["rest"] or "").strip(" ,|·•—–-")
    return name, parse_dateline(re.sub(r"^on\s+", "", rest)) if rest else None


def is_bio(unit: Unit, author: str | None) -> bool:
    if unit.words < 8:
        return False
    by_author = author and re.match(rf"^{re.escape(author)}\s+{BIO_VERBS}\b", unit.text, re.IGNORECASE)
    return bool(BIO_START.match(unit.text) or by_author)


MONTHS = {m: i for i, m in enumerate(("january", "february", "march", "april", "may", "june", "july",
                                      "august", "september", "october", "november", "december"), 1)}
DATE = (r"(?:(?P<month>[A-Za-z]+)\.? (?P<day>\d{1,2}),? (?P<year>\d{4})"
        r"|(?P<day2>\d{1,2}) (?P<month2>[A-Za-z]+)\.? (?P<year2>\d{4})"
        r"|(?P<iso>\d{4}-\d{2}-\d{2}))")
# A line that is a date, maybe with a label before it and a time or reading time after it:
# "January 3, 2020", "Published: Nov. 19, 2023 at 4:05 p.m. EST", "3 Jan 2020 · 6 min read".
DATELINE = re.compile(rf"^(?:(?:published|posted|updated|modified|last updated|(?:document )?date|first published)"
                      rf"(?: on)?:?\s+)?(?:[A-Z][a-z]+day,?\s+)?{DATE}\.?(?P<tail>\s*(?:[|·•,—–]|\bat\b|\d).*)?$",
                      re.IGNORECASE)


def parse_dateline(text: str) -> str | None:
    """The ISO date of a line that is only a date (and a label, a time), else None."""
    from .model import PartialDate

    m = DATELINE.match(text.strip())
    if not m or len(text.split()) > 12:
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


# --- the footer: the bio, and what else follows the article --------------------------------

def take_bio(footer: list[Unit], meta: dict, decisions: list) -> tuple[str | None, list[Unit]]:
    """The author's bio, if one follows the article."""
    author = meta.get("author")
    for i, unit in enumerate(footer):
        if not is_bio(unit, author):
            continue
        decisions.append(Decision(unit.line, f"author's bio moved to the front matter ('bio:'): "
                                             f"“{shorten(unit.text)}” (the copy lost its italics: mark "
                                             "book titles with *asterisks*)"))
        m = BIO_START.match(unit.text)
        if m and not author:
            name = author_name(m.group("name"), footer)
            meta["author"] = name
            decisions.append(Decision(unit.line, f"author: “{name}”, from the bio; check the spelling"))
        return unit.text, footer[:i] + footer[i + 1:]
    return None, footer


def author_name(caps: str, units: list[Unit]) -> str:
    """'EMMA SKY' -> 'Emma Sky': as a 'More by Emma Sky' line spells it, else in title case."""
    for unit in units:
        m = MORE_BY.match(unit.text)
        if m and m.group("name").upper() == caps.upper():
            return m.group("name").strip()
    return name_case(caps)


def name_case(caps: str) -> str:
    """'JEAN-PAUL O'BRIEN JR.' -> 'Jean-Paul O'Brien Jr.', 'W.E.B. DU BOIS' -> 'W.E.B. Du Bois':
    each run of letters capitalised, punctuation kept; a roman numeral (III) stays."""
    return " ".join(re.sub(r"[^\W\d_]+", lambda m: m[0].capitalize(), w)
                    if w.isupper() and not re.fullmatch(r"[IVX]+", w) else w for w in caps.split())


def drop_footer(footer: list[Unit], decisions: list) -> None:
    for unit in footer:
        why = boilerplate(unit)
        decisions.append(Decision(unit.line, f"removed {why}: “{shorten(unit.text)}”" if why else
                                  f"removed text after the article's end: “{shorten(unit.text)}”"))


# --- furniture within the article ---------------------------------------------------------------

def boilerplate(unit: Unit) -> str | None:
    """Why this unit is page furniture, or None."""
    return boilerplate_reason(unit.text)


def furniture(units: list[Unit]) -> dict[int, str]:
    """{index: why} for each unit of page furniture: boilerplate, a menu or breadcrumb, and
    a list of links or tags with its heading (its items run until a sentence of prose)."""
    menus = menu_runs(units)
    found = {}
    in_list = False
    for i, unit in enumerate(units):
        heading = re.match(LIST_HEADING, unit.text, re.IGNORECASE)
        in_list = bool(heading) or (in_list and not prose_sentence(unit))
        why = boilerplate(unit)
        if heading:
            why = f"the heading of a list of links or tags (“{unit.text}”) and the items after it"
        elif in_list:
            why = "an item of the list of links or tags above"
        elif not why and (i in menus or menu_line(unit.text)):
            why = "a menu or breadcrumb"
        if why:
            found[i] = why
    return found


def drop_furniture(units: list[Unit], decisions: list) -> list[Unit]:
    """The article's units without the page's furniture among them."""
    reasons = furniture(units)
    kept = []
    for i, unit in enumerate(units):
        if i in reasons:
            decisions.append(Decision(unit.line, f"removed {reasons[i]}: “{shorten(unit.text)}”"))
            continue
        if unit.bullet:
            decisions.append(Decision(unit.line, "list item kept as a paragraph (the article format "
                                                 "has no lists): “{}”".format(shorten(unit.text))))
        kept.append(unit)
    return kept


def prose_sentence(unit: Unit) -> bool:
    """Running text that ends a sentence: where a list of links ends."""
    return prose(unit) and bool(SENTENCE_END.search(unit.text))


# --- headings -------------------------------------------------------------------------------------

def heading_like(unit: Unit, following: Unit | None) -> bool:
    """A short line with no closing punctuation, followed by prose: a heading."""
    return (not unit.bullet and unit.words <= 12 and unit.text[:1].isupper()
            and not re.search(r"[.!?…:;,”\"’')\]]$", unit.text)
            and following is not None and following.words >= PROSE_WORDS)


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


def mark_pullquotes(units: list[Unit], decisions: list) -> tuple[list[tuple[str, str]], list[Unit]]:
    """(blocks, their units): a unit repeating a sentence of another, or all of it, is a
    pull quote; a long one (a whole paragraph set twice) is removed as a copy."""
    tokens = [words(u.text) for u in units]
    near = alike(tokens)
    sources: dict[int, int] = {}
    for i, unit in enumerate(units):
        if unit.bullet or len(tokens[i]) < PULLQUOTE_WORDS[0]:
            continue
        best = max(((shared_share(tokens[i], tokens[j]), j) for j in sorted(near[i])
                    if j not in sources and sources.get(j) != i
                    and (len(tokens[j]) > len(tokens[i]) or tokens[j] == tokens[i])), default=(0.0, -1))
        if best[0] >= PULLQUOTE_SHARE and (could_be_pullquote(unit, tokens[i]) or best[0] >= COPY_SHARE):
            if len(tokens[best[1]]) == len(tokens[i]) and copy_of(units, best[1], i):
                sources[best[1]] = i  # the same words twice: the other one is the copy
            else:
                sources[i] = best[1]
    numbers = {}
    for i in range(len(units)):
        if i not in sources:
            numbers[i] = len(numbers) + 1
    blocks, kept = [], []
    for i, unit in enumerate(units):
        if i not in sources:
            blocks.append(("paragraph", unit.text))
            kept.append(unit)
            continue
        source = sources[i]
        share = shared_share(tokens[i], tokens[source])
        how = "repeats" if share == 1.0 else f"closely repeats ({share:.0%} of its words)"
        said = f"“{shorten(unit.text)}” {how} ¶ {numbers[source]} (line {units[source].line})"
        if not could_be_pullquote(unit, tokens[i]):
            decisions.append(Decision(unit.line, f"removed a second copy of a paragraph: {said}"))
            continue
        text, quoted = unquoted(unit.text)
        decisions.append(Decision(unit.line, f"pull quote: {said}; set as a '::: pullquote' block"
                                             + (", without its quotation marks" if quoted else "")))
        blocks.append(("pullquote", text))
        kept.append(unit)
    return blocks, kept


def copy_of(units: list[Unit], j: int, i: int) -> bool:
    """Of two units with the same words, is units[j] the copy of units[i]? The one in
    quotation marks is; else the later one."""
    quoted_j, quoted_i = unquoted(units[j].text)[1], unquoted(units[i].text)[1]
    return quoted_j if quoted_j != quoted_i else j > i


QUOTED = re.compile(r'^[“"‘](?P<text>.*)[”"’]$', re.DOTALL)


def unquoted(text: str) -> tuple[str, bool]:
    """(text without the quotation marks around all of it, whether it had them)."""
    m = QUOTED.match(text)
    inner = m["text"] if m else ""
    if not m or re.search(r'[“"]', inner):  # “A” and “B”: two quotations, not one
        return text, False
    return inner.strip(), True


def could_be_pullquote(unit: Unit, tokens: list[str]) -> bool:
    low, high = PULLQUOTE_WORDS
    sentences = len(re.findall(r"[.!?…][”\"’]?(?:\s|$)", unit.text))
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


