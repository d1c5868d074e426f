"""The stylesheets of a build: the theme's, then the edition's styles/*.css, each read once.

Only regular files are read, as UTF-8 text: a folder named x.css, a named pipe
(which would block the build forever), a file that cannot be read or is not
UTF-8 is an error naming it (R104), never a crash or a hang.

For the HTML edition, which carries its stylesheets inside it, the files an
edition stylesheet names (url(paper.png), @font-face fonts, @import) are
written into it as data: URLs, so that the HTML shows what the PDF shows wherever
it is opened. Only files the PDF could read are inlined: the caller passes the
fetcher's rule (fetch.py), and a refused URL is an X101 error, as in the PDF.

No WeasyPrint here (tinycss2, its CSS parser, is imported when the HTML is made).
"""
from __future__ import annotations

import base64
import mimetypes
import os
import re
import stat
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Callable
from urllib.parse import urljoin, urlsplit

from .errors import InputError, finding
from .model import Where

THEME_CSS = Path(str(resources.files("glossator") / "theme" / "glossator.css"))
MAX_RESOURCE_BYTES = 64 * 1024 * 1024  # a stylesheet, font or image larger than this is not what it claims to be
MAX_IMPORT_DEPTH = 8  # @import within @import: deeper is a loop


@dataclass(frozen=True)
class Stylesheet:
    path: Path
    rel: str  # as the user knows it: "styles/print.css"
    text: str
    edition: bool  # an edition's own (its url()s are the edition's files), or the theme's


def read_stylesheets(root: Path) -> tuple[Stylesheet, ...]:
    """The theme's stylesheet, then styles/*.css in name order; InputError (R104) for every one
    that is not a readable UTF-8 text file."""
    sheets = [Stylesheet(THEME_CSS, "glossator.css", THEME_CSS.read_text(encoding="utf-8"), False)]
    styles, found = root / "styles", []
    for path in sorted(styles.glob("*.css")) if styles.is_dir() else ():
        rel = path.relative_to(root).as_posix()
        try:
            sheets.append(Stylesheet(path, rel, read_text(path), True))
        except Unreadable as exc:
            found.append(finding("R104", Where(rel, exc.line), reason=exc.reason, fix=exc.fix))
    if found:
        raise InputError(found)
    return tuple(sheets)


# CSS that carries something from one page's content to the next: a counter the article's
# elements step (figures, numbered asides) or a string set from them (a running head
# from the article's headings).
_FLOWING = re.compile(r"\b(?:counter-increment|counter-reset|counter-set|string-set)\s*:", re.I)


def flows_across_pages(sheets: tuple[Stylesheet, ...]) -> bool:
    """Whether an edition's own stylesheet counts or sets strings across the article: then
    its body is not laid out a page at a time (render.lay_out_pages), which would restart
    them on every page. The theme's own (the title block's strings) are carried over."""
    return any(sheet.edition and _FLOWING.search(sheet.text) for sheet in sheets)


def counts_siblings(sheets: tuple[Stylesheet, ...]) -> bool:
    """Whether an edition's own stylesheet has a selector that counts an element's siblings
    (:nth-child, :nth-of-type) or chains sibling combinators (`h2 + p ~ p`): then a page
    laid out on its own needs every element before it, not the last of each kind
    (placement/pages.py). The theme's own selectors need only the last of each kind."""
    import tinycss2

    def counting(rules) -> bool:
        for rule in rules:
            if rule.type == "qualified-rule":
                for selector in tinycss2.serialize(rule.prelude).split(","):
                    if _COUNTING.search(selector) or len(_SIBLING.findall(selector)) > 1:
                        return True
            elif rule.type == "at-rule" and rule.content is not None and rule.lower_at_keyword not in ("page", "font-face"):
                if counting(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True)):
                    return True
        return False

    return any(sheet.edition and counting(tinycss2.parse_stylesheet(sheet.text, skip_comments=True,
                                                                     skip_whitespace=True))
               for sheet in sheets)


_COUNTING = re.compile(r":nth-(?:child|of-type)\b", re.I)
# A sibling combinator (or an attribute selector's ~=, counted too: the cost is only speed).
_SIBLING = re.compile(r"[+~]")


class Unreadable(Exception):
    def __init__(self, reason: str, fix: str, line: int = 0):
        super().__init__(reason)
        self.reason, self.fix, self.line = reason, fix, line


def read_bytes(path: Path) -> bytes:
    """A regular file's bytes. Opened without waiting (a named pipe would block until
    someone writes to it) and checked for what it is before anything is read."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise Unreadable(f"cannot read it: {exc.strerror or exc}",
                         "Make the file readable (chmod u+r), or move it out of the folder.") from exc
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            what = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file (a named pipe or a device)"
            raise Unreadable(f"it is {what}", "Keep only text files ending in .css in styles/; rename or move it.")
        if info.st_size > MAX_RESOURCE_BYTES:
            raise Unreadable(f"it is larger than {MAX_RESOURCE_BYTES // 2**20} MB",
                             "Check that this is the right file.")
        with os.fdopen(os.dup(fd), "rb") as handle:
            return handle.read(MAX_RESOURCE_BYTES + 1)
    except OSError as exc:
        raise Unreadable(f"cannot read it: {exc.strerror or exc}", "Check the file.") from exc
    finally:
        os.close(fd)


def read_text(path: Path) -> str:
    data = read_bytes(path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise Unreadable(f"it is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})",
                         "Save the file with UTF-8 encoding.", line) from exc


# --- the HTML edition's stylesheet ------------------------------------------------------------

# May the file a URL names be read? (its path, "") or (None, why not): fetch.EditionFetcher.readable.
Allowed = Callable[[str], tuple]


def inlined(sheet: Stylesheet, allowed: Allowed, refuse: Callable[[str, str], None]) -> str:
    """The sheet's text with every file it names as a data: URL; refuse(url, reason) is told of
    each URL that may not be read (the caller raises X101 for them). The theme's own sheet
    is left as it is: its url(fonts/...) are copied beside the HTML (render.html_assets)."""
    if not sheet.edition:
        return sheet.text
    return _inline_text(sheet.text, sheet.path.as_uri(), allowed, refuse, depth=0)


def _inline_text(text: str, base: str, allowed: Allowed, refuse, depth: int) -> str:
    import tinycss2

    tokens = tinycss2.parse_component_value_list(text, skip_comments=False)
    if not _inline_tokens(tokens, base, allowed, refuse, depth):
        return text  # nothing named: the text exactly as written
    return tinycss2.serialize(tokens)


def _inline_tokens(tokens: list, base: str, allowed: Allowed, refuse, depth: int) -> bool:
    """Replace, in place, each url() (and @import "...") in tokens and the blocks within; True if any."""
    from tinycss2 import ast

    changed, after_import = False, False
    for index, token in enumerate(tokens):
        url = None
        if isinstance(token, ast.URLToken):
            url = token.value
        elif isinstance(token, ast.FunctionBlock) and token.lower_name == "url":
            strings = [t for t in token.arguments if isinstance(t, ast.StringToken)]
            url = strings[0].value if strings else None
        elif isinstance(token, ast.StringToken) and after_import:
            url = token.value
        if url is not None:
            css = isinstance(token, ast.StringToken) or after_import
            inline = _data_url(url, base, allowed, refuse, depth, css)
            if inline != url:
                tokens[index], changed = _url_token(token, inline), True
        else:
            for inner in (getattr(token, "content", None), getattr(token, "arguments", None)):
                if isinstance(inner, list):
                    changed |= _inline_tokens(inner, base, allowed, refuse, depth)
        if isinstance(token, ast.AtKeywordToken):
            after_import = token.lower_value == "import"
        elif not isinstance(token, (ast.WhitespaceToken, ast.Comment)):
            after_import = False
    return changed


def _url_token(old, url: str):
    from tinycss2 import ast

    return ast.URLToken(old.source_line, old.source_column, url, f'url("{url}")')


def _data_url(url: str, base: str, allowed: Allowed, refuse, depth: int, css: bool) -> str:
    """url as a data: URL holding the file it names, if it may be read; else as written."""
    target = urljoin(base, url)
    parts = urlsplit(target)
    if parts.scheme == "data" or url.startswith("#") or not url.strip():  # nothing to fetch
        return url
    path, reason = allowed(target)
    if path is None:
        refuse(target, reason)
        return url
    try:
        data = read_bytes(path)
    except Unreadable as exc:
        refuse(target, exc.reason)
        return url
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if css or kind == "text/css":
        if depth >= MAX_IMPORT_DEPTH:
            refuse(target, f"@import nested more than {MAX_IMPORT_DEPTH} deep (does a stylesheet import itself?)")
            return url
        text = _inline_text(data.decode("utf-8", errors="replace"), path.as_uri(), allowed, refuse, depth + 1)
        data, kind = text.encode("utf-8"), "text/css"
    fragment = f"#{parts.fragment}" if parts.fragment else ""
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}{fragment}"
