"""A structural check of a tagged PDF, and its text read in the structure tree's order.

What a screen reader relies on, checked on the PDF alone: pikepdf reads the structure tree,
the page content streams (which operators sit inside marked content or artifacts) and the
catalogue; pdfplumber decodes the glyphs of each marked-content sequence into text.
It does not replace veraPDF (no check of fonts' encodings, of the standard's every clause),
nor a person listening to the file with a screen reader.
"""
from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pdfplumber
import pikepdf

TEXT_SHOWING = {"Tj", "TJ", "'", '"'}
HYPHEN = "\u2010"  # the hyphen WeasyPrint adds where it breaks a word
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u00ad"))  # zero-width space, soft hyphen


@dataclass(eq=False)
class Element:
    role: str
    id: str = ""
    alt: str = ""
    link: str = ""  # for a Link: its annotation's named destination or URI
    kids: list = field(default_factory=list)  # Element or (page index, MCID)

    def walk(self):
        yield self
        for kid in self.kids:
            if isinstance(kid, Element):
                yield from kid.walk()

    def marked(self, skip=lambda element: False):
        """(page, MCID) of every marked content below, in order, leaving out skipped elements."""
        for kid in self.kids:
            if isinstance(kid, Element):
                if skip(kid):
                    yield None  # the gap the skipped element leaves is no space
                else:
                    yield from kid.marked(skip)
            else:
                yield kid


def structure(pdf: pikepdf.Pdf) -> Element:
    """The structure tree's Document element."""
    pages = {page.objgen: index for index, page in enumerate(pdf.pages)}

    def read(obj, page):
        if "/Pg" in obj:
            page = pages[obj.Pg.objgen]
        element = Element(str(obj.S)[1:], str(obj.get("/ID", "")), str(obj.get("/Alt", "")))
        kids = obj.get("/K")
        kids = list(kids) if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]
        for kid in kids:
            if isinstance(kid, int):
                element.kids.append((page, int(kid)))
            elif kid.get("/Type") == "/MCR":
                element.kids.append((pages[kid.Pg.objgen], int(kid.MCID)))
            elif kid.get("/Type") == "/OBJR":
                target = kid.Obj.get("/Dest") or kid.Obj.get("/A", {}).get("/URI", "")
                element.link = str(target)
            else:
                element.kids.append(read(kid, page))
        return element

    return read(pdf.Root.StructTreeRoot.K[0], None)


def problems(path: Path) -> list[str]:
    """Everything that keeps the PDF from being read in order by assistive technology."""
    found = []
    with pikepdf.open(path) as pdf:
        root = pdf.Root
        if "/StructTreeRoot" not in root:
            return ["no structure tree"]
        if not root.get("/MarkInfo", {}).get("/Marked", False):
            found.append("MarkInfo /Marked is not true")
        if not str(root.get("/Lang", "")):
            found.append("no document language (/Lang)")
        if not root.get("/ViewerPreferences", {}).get("/DisplayDocTitle", False):
            found.append("the window does not show the title (DisplayDocTitle)")
        if "/Outlines" not in root:
            found.append("no bookmarks")
        document = structure(pdf)
        owned = set(document.marked())
        for element in document.walk():
            if element.role == "Figure" and not element.alt:
                found.append("a Figure without alternative text")
            if element.role == "Note" and not element.id:
                found.append("a Note without an /ID")
        for index, page in enumerate(pdf.pages):
            found += [f"page {index + 1}: {problem}" for problem in _page_problems(page, index, owned)]
            for annotation in page.obj.get("/Annots", []):
                if annotation.get("/Subtype") == "/Link":
                    if not str(annotation.get("/Contents", "")):
                        found.append(f"page {index + 1}: a link without a description")
                    if "/StructParent" not in annotation:
                        found.append(f"page {index + 1}: a link outside the structure tree")
    return found


def _page_problems(page, index: int, owned: set) -> list[str]:
    """Text shown outside marked content, or in marked content no element owns."""
    found, stack = [], []
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op == "BMC":
            stack.append(str(operands[0]))
        elif op == "BDC":
            mcid = operands[1].get("/MCID") if isinstance(operands[1], pikepdf.Dictionary) else None
            stack.append(str(operands[0]) if mcid is None else int(mcid))
        elif op == "EMC":
            stack.pop()
        elif op in TEXT_SHOWING:
            if not stack:
                found.append("text outside marked content")
            elif not any(tag == "/Artifact" or (isinstance(tag, int) and (index, tag) in owned) for tag in stack):
                found.append(f"text in marked content {stack[-1]!r} that no structure element owns")
    return sorted(set(found))


# --- the text in reading order --------------------------------------------------------------

def page_chars(path: Path) -> tuple[tuple[dict, ...], ...]:
    """Each page's characters as pdfplumber decodes them (with their MCID), read once however
    many checks ask: pdfplumber is slow, and a built PDF is replaced whole, never changed in
    place (its size and modification time tell a new one)."""
    stat = Path(path).stat()
    return _page_chars(str(Path(path).resolve()), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=4)
def _page_chars(path: str, mtime_ns: int, size: int) -> tuple[tuple[dict, ...], ...]:
    with pdfplumber.open(path) as doc:
        return tuple(tuple(page.chars) for page in doc.pages)


def marked_text(path: Path) -> dict[tuple[int, int], list[dict]]:
    """(page, MCID) -> the characters drawn inside it."""
    found = defaultdict(list)
    for index, chars in enumerate(page_chars(path)):
        for char in chars:
            if char.get("mcid") is not None:
                found[(index, char["mcid"])].append(char)
    return found


def text_of(keys, chars: dict) -> str:
    """The text of a run of marked content as a reader hears it: a space where a line ends,
    none where a word was hyphenated at the line's end."""
    out, last, skipped = "", None, False
    for key in keys:
        if key is None:
            skipped = True
            continue
        run = chars.get(key, [])
        if not run:
            continue
        if last is not None and (key[0] != last[0] or abs(run[0]["top"] - last[1]) > 2):
            if out.endswith(HYPHEN):
                out = out[:-1]
            elif not out.endswith(("-", " ")):
                out += " "
        elif (last is not None and not skipped and run[0]["x0"] - last[2] > run[0]["size"] * 0.15
              and not out.endswith(" ")):
            out += " "  # a space drawn as a gap between two boxes of one line
        out += "".join(c["text"] for c in run)
        skipped = False
        last = (key[0], run[-1]["top"], run[-1]["x1"])
    return out.translate(INVISIBLE)


def is_call(element: Element) -> bool:
    """A note's call in the text (a link to the note), not the article's words."""
    return element.role == "Link" and element.link.startswith("note-")


def reading_order(path: Path) -> list[tuple[str, str, str]]:
    """(role, id, text) of each block of the article in structure order: its paragraphs and
    headings (without the calls' numbers) and the notes read after them."""
    chars = marked_text(path)
    with pikepdf.open(path) as pdf:
        document = structure(pdf)
    article = next(e for e in document.kids if isinstance(e, Element) and e.role == "Part")
    return [(e.role, e.id, text_of(e.marked(is_call), chars)) for e in article.kids if isinstance(e, Element)]


def words(text: str) -> list[str]:
    return text.translate(INVISIBLE).split()
