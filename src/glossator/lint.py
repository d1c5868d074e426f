"""What a paste from a web page may leave in an article, found by `glossator check`.

`glossator new --from` removes a page's furniture and says so; an article pasted by hand,
or edited since, may still hold some. Each finding names the line:

- S130 a paragraph repeated (a pull quote pasted as a second copy of its paragraph);
- S131 menu-like lines: short lines in a row without punctuation, or a breadcrumb;
- S132 a leftover phrase of the page around the article (the importer's own patterns);
- S133 (info) straight quotes and '--', which print as curly quotes and dashes.

Pure Python, no WeasyPrint.
"""
from __future__ import annotations

import re

from .errors import Finding, finding
from .furniture import (COPY_SHARE, MENU_RUN, PROSE_WORDS, alike, boilerplate_reason, menu_line,
                        shared_share, shorten, words)
from .model import Article, Where

_SHORT_LINE = 4  # words: a menu item; a heading or a closing sentence has punctuation or more words


def article_findings(article: Article | None) -> list[Finding]:
    if article is None:
        return []
    return duplicates(article) + menus(article) + leftovers(article) + typography(article)


def duplicates(article: Article) -> list[Finding]:
    """S130: a paragraph whose words (COPY_SHARE of them, in runs) are in a longer paragraph
    (a pull quote pasted as a paragraph, before or after it), or in an earlier one as long."""
    paragraphs = [b for b in article.blocks if b.kind == "paragraph"]
    tokens = [words(b.text) for b in paragraphs]
    found = []
    for i, near in enumerate(alike(tokens)):
        first = next((j for j in sorted(near) if len(tokens[i]) >= 6
                      and (len(tokens[j]) > len(tokens[i]) or (j < i and len(tokens[j]) == len(tokens[i])))
                      and shared_share(tokens[i], tokens[j]) >= COPY_SHARE), None)
        if first is not None:
            block, source = paragraphs[i], paragraphs[first]
            found.append(finding("S130", block.where, number=block.number, first=source.number,
                                 line=source.where.line, start=shorten(block.text, 50)))
    return found


def menus(article: Article) -> list[Finding]:
    """S131: MENU_RUN or more short lines in a row without punctuation, or a breadcrumb line."""
    found = []
    run: list = []
    for block in (*article.blocks, None):
        if block is not None and block.kind in ("paragraph", "heading") and _short(block.text):
            run.append(block)
            continue
        if len(run) >= MENU_RUN:
            found.append(finding("S131", run[0].where, what=f"{len(run)} short lines in a row without punctuation",
                                 text=" · ".join(b.text for b in run[:5]) + (" …" if len(run) > 5 else "")))
        run = []
        if block is not None and menu_line(block.text):
            found.append(finding("S131", block.where, what="a breadcrumb or menu line", text=shorten(block.text)))
    return found


def _short(text: str) -> bool:
    return len(text.split()) <= _SHORT_LINE and not re.search(r"[.!?…,;:”\"’')\]]$", text)


def leftovers(article: Article) -> list[Finding]:
    """S132: a block shorter than a sentence of prose that the importer would have removed
    as page furniture. (The importer judges longer units too; here a false alarm would fail
    `check --strict` on a paragraph that merely mentions cookies.)"""
    found = []
    for block in article.blocks:
        why = boilerplate_reason(block.text) if len(block.text.split()) < PROSE_WORDS else None
        if why:
            found.append(finding("S132", block.where, text=shorten(block.text), why=why))
    return found


STRAIGHT = ('"', "'", "--")


def typography(article: Article) -> list[Finding]:
    """S133 (information): what the build's typographer will change, counted in the article's
    text as written (code spans and links left out, as the typographer leaves them), once,
    at the first line holding one."""
    if article.meta is None:  # the front matter is in error: its lang is unknown, and that is the news
        return []
    from .load import split_front_matter

    _, body, first_line = split_front_matter(article.source)
    counts = {mark: 0 for mark in STRAIGHT}
    first = None
    for number, line in enumerate(body.split("\n"), first_line):
        text = AS_WRITTEN.sub("", line)
        for mark in STRAIGHT:
            n = text.count(mark)
            counts[mark] += n
            if n and first is None:
                first = number
    if first is None:
        return []
    what = ", ".join(f"{n} × {mark}" for mark, n in counts.items() if n)
    return [finding("S133", Where(article.where.path, first), what=what, lang=article.meta.lang)]


AS_WRITTEN = re.compile(r"`[^`]*`|\]\([^)]*\)|<[a-z]+://[^>]*>|https?://\S+|^:::.*$")  # code, link targets, URLs
