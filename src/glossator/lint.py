"""What a paste from a web page may leave in an article, found by `glossator check`.

`glossator new --from` removes a page's furniture and says so; an article pasted by hand,
or edited since, may still hold some. Each finding names the line:

- S130 a paragraph repeated (a pull quote pasted as a second copy of its paragraph);
- S131 menu-like lines: short lines in a row without punctuation, or a breadcrumb;
- S132 a leftover phrase of the page around the article (the importer's own patterns);
- S133 (info) straight quotes and '--', which print as curly quotes and dashes;
- S145 Pandoc's or Quarto's markup that would be printed as written (citations, LaTeX...).

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
    return duplicates(article) + menus(article) + leftovers(article) + typography(article) + pandoc_text(article)


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


def typography(article: Article) -> list[Finding]:
    """S133 (information): what the build's typographer will change, counted by comparing each
    block's text as typed with the text set (so code spans, link targets, URLs, comments and
    '::: pullquote' lines are left out, as the typographer leaves them; '---' is an em dash,
    not a '--'), once, at the first line holding one."""
    if article.meta is None:  # the front matter is in error: its lang is unknown, and that is the news
        return []
    from .load import article_tokens, split_front_matter

    _, body, first_line = split_front_matter(article.source)
    tokens, env = article_tokens(body, article.meta.lang)
    set_texts = ["".join(c.content for c in tok.children if c.type == "text")
                 for tok in tokens if tok.type == "inline" and tok.children]
    counts = dict.fromkeys(TYPED, 0)
    first = None
    for (line, typed), set_ in zip(env["typed"], set_texts):
        changed = {'"': typed.count('"') - set_.count('"'), "'": typed.count("'") - set_.count("'"),
                   "---": set_.count("—") - typed.count("—"), "--": set_.count("–") - typed.count("–")}
        for mark, n in changed.items():
            counts[mark] += n
        if first is None and line is not None and any(changed.values()):
            first = first_line + line
    if first is None:
        return []
    what = ", ".join(f"{n} × {mark}" for mark, n in counts.items() if n)
    dashes = " '--' prints as an en dash (–): write '---' where an em dash (—) is meant." if counts["--"] else ""
    return [finding("S133", Where(article.where.path, first), what=what, lang=article.meta.lang, dashes=dashes)]


TYPED = ('"', "'", "---", "--")  # what the typographer changes, as it is typed


# Pandoc's and Quarto's markup that markdown-it leaves as text: what it is, how it is
# written, and what to do instead.
PANDOC_TEXT = (
    ("a Pandoc citation", re.compile(r"\[[^\[\]]*?-?@[A-Za-z0-9_][^\[\]]*\]"),
     "Glossator has no bibliography: write the reference out (Smith 2020, p. 3), or cite it in a note's "
     "'sources:' in annotations/notes.yaml."),
    ("a Quarto shortcode", re.compile(r"\{\{[<%].*?[>%]\}\}"),
     "Glossator has no shortcodes: delete it, or write what it stands for as text."),
    ("raw LaTeX", re.compile(r"\\(?:begin|end)\{[^}]*\}|\\[A-Za-z]+\*?(?=[{\[])"),
     "Glossator does not run LaTeX: write the text itself, with *emphasis* or **strong** in Markdown, and "
     "delete the command."),
    ("a span with attributes", re.compile(r"\[[^\[\]]+\]\{[#.][^{}]*\}"),
     "Delete the brackets and the '{…}' after them: the words are printed as they are; write *words* for "
     "emphasis."),
)


def pandoc_text(article: Article) -> list[Finding]:
    """S145: Pandoc or Quarto markup in a paragraph or heading that would be printed as
    written (a citation, a shortcode, raw LaTeX, a span's attributes), at its line and column."""
    found = []
    lines = article.source.split("\n")
    for block in article.blocks:
        for what, pattern, fix in PANDOC_TEXT:
            for match in pattern.finditer(block.text):
                found.append(finding("S145", _written_at(lines, block.where, match.group()), what=what,
                                     text=shorten(match.group(), 50), fix=fix))
    return found


def _written_at(lines: list[str], where: Where, text: str) -> Where:
    """Where `text` is written, from the block's first line on (its first line, if not found as written)."""
    for number in range(where.line - 1, min(len(lines), where.line + 50)):
        column = lines[number].find(text)
        if column >= 0:
            return Where(where.path, number + 1, column + 1)
        if number >= where.line and not lines[number].strip():
            break  # the paragraph's end
    return where
