"""The glyphs of a PDF's pages, as pdfplumber gives them (`page.chars`), six times as fast.

pdfminer (under pdfplumber) reads a content stream in pure Python, which makes reading
glyphs the largest share of the suite's time. Here qpdf (through pikepdf, a dependency of
Glossator) parses the content streams, and the text operators are followed with pdfminer's
own arithmetic: each glyph is placed at the text position, its box is the advance its font's
/W array gives, from the font's descent below the baseline up one font size, and its text is
what the font's /ToUnicode map says (a ligature is one glyph, "fi"). The same numbers as
pdfminer's, so tests written against pdfplumber read the same glyphs (tests/test_pdfglyphs.py
holds the two side by side).

Only what Glossator's PDFs hold is followed: Type 0 fonts with Identity-H encoding (what
WeasyPrint embeds), form XObjects (the booklet's imposed pages), horizontal text. Anything
else raises Unreadable, rather than a glyph in the wrong place. Colours and marked content
(a glyph's mcid) are not read: a check that needs them asks pdfplumber.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field, replace

import pdfplumber
import pikepdf
from pdfplumber import utils
from pdfplumber.page import test_proposed_bbox

IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


class Unreadable(Exception):
    """A PDF construct this reader does not follow (pdfplumber would)."""


def mult(m1, m0):
    """m1 then m0 (pdfminer's mult_matrix)."""
    a1, b1, c1, d1, e1, f1 = m1
    a0, b0, c0, d0, e0, f0 = m0
    return (a0 * a1 + c0 * b1, b0 * a1 + d0 * b1, a0 * c1 + c0 * d1, b0 * c1 + d0 * d1,
            a0 * e1 + c0 * f1 + e0, b0 * e1 + d0 * f1 + f0)


class Font:
    """A Type 0 font with two-byte codes (Identity-H): widths, descent, name, Unicode text."""

    def __init__(self, spec):
        if spec.get("/Subtype") != "/Type0" or spec.get("/Encoding") != "/Identity-H":
            raise Unreadable(f"font {spec.get('/BaseFont')}: {spec.get('/Subtype')} {spec.get('/Encoding')}")
        cid_font = spec.DescendantFonts[0]
        if "/W2" in cid_font:
            raise Unreadable("vertical writing")
        descriptor = cid_font.get("/FontDescriptor", {})
        self.name = str(descriptor.get("/FontName", "/unknown"))[1:]
        descent = float(descriptor.get("/Descent", 0))
        self.descent = (-descent if descent > 0 else descent) * 0.001
        # In text space, per unit of font size (pdfminer's char_width)
        self.widths = {cid: w * 0.001 for cid, w in widths(cid_font.get("/W", [])).items()}
        self.default_width = float(cid_font.get("/DW", 1000)) * 0.001
        self.text = to_unicode(spec.get("/ToUnicode"))


def widths(array) -> dict[int, float]:
    """A CID font's /W: `c [w1 w2 ...]` and `c_first c_last w` (pdfminer's get_widths)."""
    found, pending = {}, []
    for item in array:
        if isinstance(item, pikepdf.Array):
            if pending:
                found.update((pending[-1] + i, float(w)) for i, w in enumerate(item))
                pending = []
        else:
            pending.append(int(item) if len(pending) < 2 else float(item))
            if len(pending) == 3:
                first, last, w = pending
                found.update((cid, w) for cid in range(first, last + 1))
                pending = []
    return found


HEX = re.compile(rb"<([0-9A-Fa-f\s]*)>")


def to_unicode(stream) -> dict[int, str]:
    """A /ToUnicode CMap's bfchar and bfrange entries: code -> text."""
    if stream is None:
        return {}
    data = stream.read_bytes()
    found = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        codes = [_hex(h) for h in HEX.findall(block)]
        for src, dst in zip(codes[::2], codes[1::2]):
            found[int.from_bytes(src, "big")] = dst.decode("utf-16-be", "ignore")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for line in re.findall(rb"<[^>]*>\s*<[^>]*>\s*(?:<[^>]*>|\[[^\]]*\])", block):
            first, last, *rest = [_hex(h) for h in HEX.findall(line)]
            lo, hi = int.from_bytes(first, "big"), int.from_bytes(last, "big")
            if b"[" in line:
                found.update((lo + i, dst.decode("utf-16-be", "ignore")) for i, dst in enumerate(rest))
            else:
                start = int.from_bytes(rest[0], "big")
                for i in range(hi - lo + 1):
                    found[lo + i] = (start + i).to_bytes(len(rest[0]), "big").decode("utf-16-be", "ignore")
    return found


def _hex(text: bytes) -> bytes:
    digits = re.sub(rb"\s", b"", text)
    return bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode())


@dataclass
class TextState:
    font: Font | None = None
    size: float = 0.0
    charspace: float = 0.0
    wordspace: float = 0.0
    scaling: float = 100.0
    leading: float = 0.0
    rise: float = 0.0
    matrix: tuple = IDENTITY
    line: tuple = (0.0, 0.0)


@dataclass
class Reader:
    """Follows one page's content (and the forms it draws), collecting pdfplumber's char
    dicts in the order drawn."""

    fonts: dict  # by the font dictionary's object id: parsed once a document
    bbox: tuple  # pdfplumber's page.bbox
    number: int  # the page's, from 1
    doctop: float  # the heights of the pages before it
    found: list = field(default_factory=list)

    def run(self, streams, resources, ctm, depth=0):
        if depth > 8:
            raise Unreadable("forms nested too deep")
        fonts = resources.get("/Font", {})
        xobjects = resources.get("/XObject", {})
        state, stack = TextState(), []
        for operands, operator in pikepdf.parse_content_stream(streams):
            op = str(operator)
            if op in ("TJ", "Tj"):
                self.show(state, ctm, operands[0] if op == "TJ" else [operands[0]])
            elif op == "Tf":
                state.font, state.size = self.font(fonts[operands[0]]), float(operands[1])
            elif op == "Tm":
                state.matrix, state.line = tuple(map(float, operands)), (0.0, 0.0)
            elif op in ("Td", "TD"):
                tx, ty = map(float, operands)
                a, b, c, d, e, f = state.matrix
                state.matrix, state.line = (a, b, c, d, tx * a + ty * c + e, tx * b + ty * d + f), (0.0, 0.0)
                if op == "TD":
                    state.leading = ty
            elif op == "BT":
                state.matrix, state.line = IDENTITY, (0.0, 0.0)
            elif op == "q":
                stack.append((ctm, replace(state)))
            elif op == "Q":
                if stack:
                    ctm, state = stack.pop()
            elif op == "cm":
                ctm = mult(tuple(map(float, operands)), ctm)
            elif op in ("T*", "'", '"'):
                if op == '"':
                    state.wordspace, state.charspace = float(operands[0]), float(operands[1])
                a, b, c, d, e, f = state.matrix
                state.matrix, state.line = (a, b, c, d, state.leading * c + e, state.leading * d + f), (0.0, 0.0)
                if op != "T*":
                    self.show(state, ctm, [operands[-1]])
            elif op == "Tc":
                state.charspace = float(operands[0])
            elif op == "Tw":
                state.wordspace = float(operands[0])
            elif op == "Tz":
                state.scaling = float(operands[0])
            elif op == "TL":
                state.leading = -float(operands[0])
            elif op == "Ts":
                state.rise = float(operands[0])
            elif op == "Do":
                self.draw(xobjects.get(operands[0]), resources, ctm, depth)
        return self.found

    def font(self, spec) -> Font:
        key = spec.objgen if spec.is_indirect else id(spec)
        if key not in self.fonts:
            self.fonts[key] = Font(spec)
        return self.fonts[key]

    def draw(self, xobject, resources, ctm, depth):
        if xobject is None or xobject.get("/Subtype") != "/Form" or "/BBox" not in xobject:
            return  # an image, or nothing: no glyphs
        matrix = tuple(map(float, xobject.get("/Matrix", IDENTITY)))
        self.run(xobject, xobject.get("/Resources", resources), mult(matrix, ctm), depth + 1)

    def show(self, state: TextState, ctm, items):
        """pdfminer's render_string_horizontal: one LTChar a code (Type 0 fonts: no word spacing)."""
        font = state.font
        if font is None:
            return
        a, b, c, d, e, f = mult(state.matrix, ctm)
        size, scaling = state.size, state.scaling * 0.01
        charspace, dxscale = state.charspace * scaling, 0.001 * size * scaling
        low = font.descent * size + state.rise
        high = low + size
        widths, default, text, name = font.widths, font.default_width, font.text, font.name
        upright = a * d * scaling > 0 and b * c <= 0
        number, doctop, (left, above, _, below) = self.number, self.doctop, self.bbox
        height = below - above
        x, y = state.line
        spaced = False
        for item in items:
            if not isinstance(item, pikepdf.String):
                x -= float(item) * dxscale
                spaced = True
                continue
            raw = bytes(item)
            for k in range(0, len(raw) - 1, 2):
                cid = raw[k] << 8 | raw[k + 1]
                if spaced:
                    x += charspace
                adv = widths.get(cid, default) * size * scaling
                m = (a, b, c, d, x * a + y * c + e, x * b + y * d + f)
                x0, y0, x1, y1 = glyph_box(m, adv, low, high)
                top = (height - y1) + above  # pdfplumber's arithmetic, to the last bit
                self.found.append({
                    "object_type": "char", "page_number": number, "text": text[cid] if cid in text else f"(cid:{cid})",
                    "fontname": name, "size": y1 - y0, "x0": x0 + left, "x1": x1 + left, "y0": y0, "y1": y1,
                    "top": top, "bottom": (height - y0) + above, "doctop": doctop + top, "width": x1 - x0,
                    "height": y1 - y0, "upright": upright, "matrix": m})
                x += adv
                spaced = True
        state.line = (x, y)


def glyph_box(m, adv, low, high):
    """pdfminer's apply_matrix_rect of a glyph's box (0, low, adv, high): the box around its corners."""
    a, b, c, d, e, f = m
    xs = (c * low + e, a * adv + c * low + e, a * adv + c * high + e, c * high + e)
    ys = (d * low + f, b * adv + d * low + f, b * adv + d * high + f, d * high + f)
    return min(xs), min(ys), max(xs), max(ys)


def page_chars(page: pikepdf.Page, number: int, doctop: float, fonts: dict) -> list[dict]:
    """A page's glyphs as pdfplumber's page.chars (the keys its text functions read: text,
    fontname, size, x0, x1, top, bottom, doctop, y0, y1, width, height, upright, matrix), in
    the order drawn. `number` counts from 1; `doctop`, the heights of the pages before it;
    `fonts` is shared by a document's pages."""
    x0, y0, _, _ = mediabox(page)
    reader = Reader(fonts, page_bbox(page), number, doctop)
    if "/Contents" in page.obj:
        resources = _inherited(page.obj, "/Resources", pikepdf.Dictionary())
        reader.run(page.obj, resources, (1.0, 0.0, 0.0, 1.0, -x0, -y0))  # pdfminer's: from the MediaBox's corner
    return reader.found


def mediabox(page: pikepdf.Page) -> tuple[float, float, float, float]:
    """The page's MediaBox, x0 y0 x1 y1 in order (PDF space: y upwards)."""
    if int(_inherited(page.obj, "/Rotate", 0)) % 360:
        raise Unreadable("rotated page")
    x0, y0, x1, y1 = (float(v) for v in _inherited(page.obj, "/MediaBox", None))
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def page_bbox(page: pikepdf.Page) -> tuple[float, float, float, float]:
    """pdfplumber's page.bbox: the MediaBox turned upside down (x0, top, x1, bottom)."""
    x0, y0, x1, y1 = mediabox(page)
    height = y1 - y0
    return x0, height - y1, x1, height - y0


def _inherited(obj, key, default):
    while obj is not None:
        if key in obj:
            return obj[key]
        obj = obj.get("/Parent")
    return default


class Pdf:
    """A PDF as pdfplumber opens it, for reading: `pages`, each with its glyphs read here;
    anything else (metadata, doc…) is pdfplumber's, which opens the file only if asked."""

    def __init__(self, path):
        self.path = path
        self._pdf = pikepdf.open(path)
        self._fonts: dict = {}  # a font used on many pages is parsed once
        self.pages, doctop = [], 0.0
        for index, page in enumerate(self._pdf.pages):
            self.pages.append(Page(self, index, page_bbox(page), doctop))
            doctop += self.pages[-1].height

    def chars(self, index: int, doctop: float) -> list[dict]:
        return page_chars(self._pdf.pages[index], index + 1, doctop, self._fonts)

    @functools.cached_property
    def plumber(self):
        return pdfplumber.open(self.path)

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.plumber, name)


class Text:
    """Glyphs in a box (x0, top, x1, bottom, from the page's top left) and the text pdfplumber
    makes of them: its own functions on the same glyphs, so the same text and words."""

    def __init__(self, chars: list[dict], bbox):
        self._chars = chars
        self.bbox = tuple(bbox)
        self._textmaps: dict = {}  # by the options they were made with (pdfplumber keeps them too)

    @property
    def chars(self) -> list[dict]:
        return self._chars

    @property
    def width(self) -> float:
        return self.bbox[2] - self.bbox[0]

    @property
    def height(self) -> float:
        return self.bbox[3] - self.bbox[1]

    def textmap(self, **options):
        """pdfplumber's TextMap of the glyphs, which its extract_text and search read."""
        key = repr(sorted(options.items()))
        if key not in self._textmaps:
            layout = {"layout_bbox": self.bbox}  # what pdfplumber's Page gives for layout=True
            if "layout_width_chars" not in options:
                layout["layout_width"] = self.width
            if "layout_height_chars" not in options:
                layout["layout_height"] = self.height
            self._textmaps[key] = utils.chars_to_textmap(self.chars, **{**layout, **options})
        return self._textmaps[key]

    def extract_text(self, **options) -> str:
        return self.textmap(**options).as_string

    def search(self, pattern, regex=True, case=True, main_group=0, return_chars=True, return_groups=True,
               **options) -> list[dict]:
        return self.textmap(**options).search(pattern, regex=regex, case=case, main_group=main_group,
                                              return_chars=return_chars, return_groups=return_groups)

    def extract_words(self, **options) -> list[dict]:
        return utils.extract_words(self.chars, **options)

    def crop(self, bbox, relative=False, strict=True) -> Text:
        """The glyphs in bbox, cut to it (pdfplumber's crop): text only, no lines or rects."""
        if relative:
            x0, top, x1, bottom = bbox
            bbox = (x0 + self.bbox[0], top + self.bbox[1], x1 + self.bbox[0], bottom + self.bbox[1])
        if strict:
            test_proposed_bbox(bbox, self.bbox)
        return Text(utils.crop_to_bbox(self.chars, bbox), bbox)


class Page(Text):
    """A page: its size, its glyphs (read when first asked) and their text; anything else
    (lines, rects, annots, hyperlinks…) from pdfplumber's page, which pdfminer parses if asked."""

    def __init__(self, pdf: Pdf, index: int, bbox, doctop: float):
        super().__init__([], bbox)
        self.pdf, self.index, self.page_number, self.doctop = pdf, index, index + 1, doctop

    @functools.cached_property
    def chars(self) -> list[dict]:
        return self.pdf.chars(self.index, self.doctop)

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.pdf.plumber.pages[self.index], name)
