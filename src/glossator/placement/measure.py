"""The WeasyPrint adapter: every use of WeasyPrint's internals is in this module.

- measure(): what a layout tells the placement engine (page.anchors, and the lines).
- The lines of each paragraph, read back from WeasyPrint's page boxes (below).
- subsets_kept(): font subsets kept between builds, by hooking Font.subset.
- subsets_with_harfbuzz(): which subsetter WeasyPrint uses.

tests/test_placement_measure.py fails loudly if these internals change shape.

Reading the lines:

The placement pass needs to know where each line of the article starts (its
page, its top, and the character offset in Block.text of its first word) to
split a paragraph before a given line, and to number lines. WeasyPrint's public
API gives element positions (`page.anchors`) but not lines, so this walks the
page box tree (`page._page_box`): a private structure, pinned by the
`weasyprint>=70,<71` requirement and covered by tests/test_lines.py.

Each line's text (leaving out notes, calls and paragraph numbers) is matched
against the paragraph's own text, character by character, skipping white space,
so hyphenation and collapsed spaces cannot throw the offsets off.
"""
from __future__ import annotations

import copy
import hashlib
import math
import os
from contextlib import contextmanager

from .. import ids
from ..errors import RenderError, finding
from .model import Line, Measured

SKIPPED = {"note", "note-line", "call", "call-sep", "pnum", "lnum"}  # classes whose text is not the article's


def measure(document, edition) -> Measured:
    """Where everything with an id landed (its first page), and every paragraph's lines."""
    page_of, boxes = {}, {}
    for index, page in enumerate(document.pages):
        for name, box in page.anchors.items():
            if name not in page_of:
                page_of[name], boxes[name] = index, box
    missing = [ids.call(n.number) for n in edition.notes if ids.call(n.number) not in page_of]
    if missing:
        raise RenderError([finding("R103", None, reason=f"calls not laid out: {', '.join(missing)}")])
    blocks = {ids.TITLE_BLOCK, ids.BACK_MATTER, *(b.id for b in edition.blocks)}
    return Measured(page_of, boxes, len(document.pages), paragraph_lines(document, paragraph_parts(edition)),
                    block_margins(document, blocks))


def block_margins(document, blocks: set) -> dict[str, tuple[float, float]]:
    """{block id: (top, bottom) margin, px} as the block's style sets them. Read from the
    computed style, not the box: WeasyPrint drops a margin at a page's top, and the
    prediction must know what the block keeps when it moves off the top."""
    found = {}
    for page in document.pages:
        for box in _descendants(page._page_box):
            element_id = _element_id(box)
            if element_id in blocks and element_id not in found and _is_block(box):
                found[element_id] = (_length(box.style["margin_top"]), _length(box.style["margin_bottom"]))
    return found


def _length(value) -> float:
    """A computed margin in px: lengths are computed to px; a percentage or 'auto' counts as 0."""
    return float(value.value) if getattr(value, "unit", None) == "px" else 0.0


def paragraph_parts(edition) -> dict:
    """Element id -> (paragraph id, paragraph text), for each paragraph and each part it may be split into."""
    parts = {}
    for block in edition.blocks:
        if block.kind != "paragraph":
            continue
        text = "".join(p.text for p in block.pieces if p.kind == "text")
        parts[block.id] = (block.id, text)
        for piece in block.pieces:
            if piece.kind == "word":
                parts[ids.part(piece.target)] = (block.id, text)
    return parts


def paragraph_lines(document, blocks_by_id: dict) -> dict[str, list[Line]]:
    """{block id: its lines in reading order} for the paragraphs in blocks_by_id.

    blocks_by_id maps an element id (a paragraph's, or a continuation part's,
    'w4-120-cont') to (block id, text of the whole paragraph).
    """
    found: dict[str, list[tuple[int, object]]] = {}
    for index, page in enumerate(document.pages):
        for box in _descendants(page._page_box):
            element_id = _element_id(box)
            if element_id in blocks_by_id and hasattr(box, "children") and _is_block(box):
                block_id = blocks_by_id[element_id][0]
                found.setdefault(block_id, []).extend(
                    (index, line) for line in box.children if type(line).__name__ == "LineBox")
    texts = {block_id: text for block_id, text in blocks_by_id.values()}
    return {block_id: _align(texts[block_id], found[block_id]) for block_id in found}


def _align(text: str, lines) -> list[Line]:
    out: list[Line] = []
    pos = 0
    for page, line in lines:
        chunks = list(_line_text(line))
        content = "".join(t for t, _ in chunks)
        if not content.strip():
            continue
        while pos < len(text) and text[pos].isspace():
            pos += 1
        start = pos
        clean = start == 0 or text[start - 1].isspace()
        body = content.strip()
        if body.endswith(("\u2010", "\u00ad")):  # the hyphen WeasyPrint adds at a break
            body = body[:-1]
        for ch in body:
            if ch.isspace():
                continue
            found = text.find(ch, pos, pos + 8)  # a glyph the source lacks is skipped
            if found != -1:
                pos = found + 1
        left = next((x for t, x in chunks if t.strip()), line.position_x)
        out.append(Line(page, line.position_y, line.position_y + line.height, start, clean, left, line.width))
    return out


def short_lines(lines: list[Line], full_width: float) -> list[Line]:
    """Lines set at less than half the measure that are not a paragraph's (or a page's) last:
    the mark of a WeasyPrint line-breaking slip (#1614) that a reader would notice."""
    return [line for line, after in zip(lines, lines[1:])
            if after.page == line.page and line.width < full_width / 2]


def _line_text(box):
    """(text, x) of each text box in a line, leaving out notes, calls and numbers."""
    if type(box).__name__ == "AbsolutePlaceholder":
        return
    element = getattr(box, "element", None)
    classes = set((element.get("class") or "").split()) if element is not None else set()
    if classes & SKIPPED and type(box).__name__ != "LineBox":
        return
    if type(box).__name__ == "TextBox":
        yield box.text, box.position_x
        return
    for child in getattr(box, "children", ()):
        yield from _line_text(child)


def _descendants(box):
    stack = [box]
    while stack:
        box = stack.pop()
        yield box
        if type(box).__name__ in ("LineBox", "AbsolutePlaceholder"):
            continue  # paragraphs are block boxes: no need to look inside lines
        stack.extend(reversed(getattr(box, "children", ())))


def _element_id(box):
    element = getattr(box, "element", None)
    if element is None or getattr(box, "element_tag", None) is None:
        return None
    return element.get("id") if not getattr(box, "is_anonymous", False) else None


def _is_block(box) -> bool:
    return type(box).__name__ in ("BlockBox",)


# --- font subsets ---------------------------------------------------------------------

def subsets_with_harfbuzz() -> bool:
    """True if WeasyPrint subsets fonts with HarfBuzz (libharfbuzz-subset installed), which
    writes no timestamp; False if it falls back to fontTools (slower, and dated)."""
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    return bool(harfbuzz_subset) and bool(harfbuzz.hb_version_atleast(4, 1, 0))


@contextmanager
def subsets_kept(store: dict[tuple, bytes]):
    """While the PDF is written, a font subset already made for the same font, glyphs and
    options is taken from `store` instead of being made again: fontTools takes most
    of a PDF's writing time, and an edit rarely changes which glyphs a font needs."""
    from weasyprint.pdf.fonts import Font

    original = Font.subset
    used: dict[tuple, bytes] = {}

    def subset(font, to_unicode, hinting):
        if not to_unicode:
            return
        key = (hashlib.sha256(font.file_content).hexdigest(), font.index, tuple(sorted(to_unicode)), bool(hinting),
               tuple(sorted(font.missing)), os.environ.get("SOURCE_DATE_EPOCH"))
        if key in store:
            font.file_content = store[key]
        else:
            original(font, to_unicode, hinting)
        used[key] = font.file_content

    Font.subset = subset
    try:
        yield
    finally:
        Font.subset = original
        store.clear()
        store.update(used)


# --- lines broken ----------------------------------------------------------------------

# What WeasyPrint's split_first_line reads of a text's style (text/line_break.py: the Pango
# layout it makes, its font description and features, word and letter spacing, hyphenation,
# breaking): with the text, the width and the other arguments, everything that decides how
# the line breaks. tests/test_placement_measure.py reads WeasyPrint's source for any other.
LINE_STYLE = ("white_space", "font_size", "direction", "font_language_override", "lang", "font_family",
              "font_style", "font_stretch", "font_weight", "font_variant_caps", "font_variation_settings",
              "text_decoration_line", "font_kerning", "font_variant_ligatures", "font_variant_position",
              "font_variant_numeric", "font_variant_alternates", "font_variant_east_asian",
              "font_feature_settings", "word_spacing", "letter_spacing", "overflow_wrap", "tab_size", "hyphens",
              "hyphenate_limit_chars", "hyphenate_limit_zone", "hyphenate_character", "word_break")
LINE_BREAKERS = ("weasyprint.layout.inline", "weasyprint.layout.preferred")  # modules that call it by name


@contextmanager
def lines_kept(store: dict, used: set):
    """While a document is laid out, a line of text already broken with the same text,
    style, width and arguments, in this or an earlier layout, is not broken again: its
    result is taken from `store`. Pango's line breaking is a third of a layout's time, and
    the build lays most text out twice (measured, then set: the article, the notes, the
    glossary's entries), and a rebuild lays out again pages whose lines did not change.
    The result is WeasyPrint's own: the same bytes come of it. used: gets every key looked up."""
    import importlib

    from weasyprint.layout.percent import percentage
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.text.line_break import split_first_line

    original_add = FontConfiguration.add_font_face

    def split(text, style, context, max_width, justification_spacing, is_line_start=True, minimum=False):
        values = tuple(map(style.__getitem__, LINE_STYLE))
        key = (hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest(), style.font_config,
               values, _width_key(max_width, style, percentage), justification_spacing, is_line_start, minimum)
        try:
            kept = store.get(key)
        except TypeError:  # a set among the values (text-decoration-line's): made a frozenset
            key = (*key[:2], tuple(map(_frozen, values)), *key[3:])
            try:
                kept = store.get(key)
            except TypeError:  # a value that cannot be a key: break it as WeasyPrint does
                return split_first_line(text, style, context, max_width, justification_spacing, is_line_start,
                                        minimum)
        used.add(key)
        if kept is None:
            kept = split_first_line(text, style, context, max_width, justification_spacing, is_line_start, minimum)
            if hasattr(kept[0], "layout"):  # a layout still holding Pango's objects: not to be shared
                return kept
            store[key] = (copy.copy(kept[0]), *kept[1:])
            return kept
        # The layout is the text box's own (drawing sets its Pango objects on it again), and
        # holds the width it was broken at (drawing an ellipsis reads it): a copy, with this width.
        layout = copy.copy(kept[0])
        layout.max_width = max_width
        return (layout, *kept[1:])

    def add_font_face(*args, **kwargs):  # a font added: lines broken before may break otherwise
        store.clear()
        return original_add(*args, **kwargs)

    modules = [importlib.import_module(name) for name in LINE_BREAKERS]
    for module in modules:
        module.split_first_line = split
    FontConfiguration.add_font_face = add_font_face
    try:
        yield
    finally:
        for module in modules:
            module.split_first_line = split_first_line
        FontConfiguration.add_font_face = original_add


PANGO_UNIT = 1 / 1024  # WeasyPrint's FROM_UNITS: a Pango width is a whole number of these
SHORT_TEXT_RATIO = 4  # split_first_line's `ratio`: how much text it tries first, by the width


def _width_key(width, style, percentage):
    """What split_first_line's result depends on of the width it may fill: not the float
    itself (the same column's width comes out a few units in the 15th digit apart from one
    layout to another, as positions add up differently), but everything it computes from it.

    It gives Pango the width in Pango units (int(width * 1024)); it cuts the text it tries
    first by the width (int(width / font_size * 4)); and it compares the width of lines
    Pango gave (a whole number k of Pango units, plus the letter spacing) with the width:
    `line <= width`, `width - line >= 0` and `< 0` all turn on the greatest k whose line fits;
    `width - line > hyphenate-limit-zone` on the greatest k that leaves more than the zone.
    Two widths with all of these equal give the same result. None and infinity are kept."""
    if width is None or not math.isfinite(width):
        return width
    spacing = style["letter_spacing"]
    spacing = None if spacing == "normal" else spacing
    size = style["font_size"]
    zone = percentage(style["hyphenate_limit_zone"], style, width)
    short = (size * SHORT_TEXT_RATIO > width, int(width / size * SHORT_TEXT_RATIO) if size else None)
    return (int(max(0, width) / PANGO_UNIT), int(width / PANGO_UNIT), width < 2 ** 21, short,
            _last_unit(lambda k: _line(k, spacing) <= width, width, 0, spacing),
            _last_unit(lambda k: width - _line(k, spacing) > zone, width, zone, spacing))


def _line(units: int, spacing) -> float:
    """A line's width as WeasyPrint's line_size gives it, for a line of `units` Pango units."""
    width = units * PANGO_UNIT
    return width if spacing is None else width + spacing


def _last_unit(holds, width: float, room: float, spacing) -> int:
    """The greatest k for which holds(k), a condition true up to some k and false after it:
    found next to where exact arithmetic puts it, then checked with the float arithmetic
    WeasyPrint uses, which may put it one unit off."""
    k = math.floor((width - room - (spacing or 0)) / PANGO_UNIT)
    while holds(k + 1):
        k += 1
    while not holds(k):
        k -= 1
    return k


def _frozen(value):
    """A style's value as a key: its sets (text-decoration-line's) and lists made immutable."""
    if isinstance(value, (set, frozenset)):
        return frozenset(value)
    if isinstance(value, list):
        return tuple(_frozen(item) for item in value)
    return value


# --- the structure tree ---------------------------------------------------------------

@contextmanager
def tags_recorded(found: dict[int, tuple], release: bool = False):
    """While a tagged PDF is written, note which HTML element each structure element was made
    for: found[PDF object number] = (element serial, tag, id, classes). WeasyPrint's tree
    knows only tag names; tagging.py needs the ids and classes to put notes after their
    paragraph, join a paragraph's pieces and drop what is not the text (a page number).
    release: let go of each page's boxes once its structure is made, the last thing that
    reads them (a one-off build), so that the structure of the pages after it takes the
    memory they held. (Every page's elements are alive while the first is tagged, so an
    element's id() is never another's.)"""
    from weasyprint.formatting_structure.boxes import PageBox
    from weasyprint.pdf import tags

    original = tags._build_box_tree
    serials: dict[int, int] = {}  # id(HTML element) -> serial: fragments of one element share it
    classes: dict[str, frozenset] = {}  # one set per class attribute: a long article has many elements

    def recording(box, *args):
        for element in original(box, *args):  # its recursive calls come back through here
            source = getattr(box, "_box", box)
            html = source.element
            if html is not None and isinstance(html.tag, str) and source.element_tag \
                    and "::" not in source.element_tag:
                serial = serials.setdefault(id(html), len(serials))
                names = html.get("class") or ""
                found.setdefault(element.number, (serial, source.element_tag, html.get("id") or "",
                                                  classes.setdefault(names, frozenset(names.split()))))
            yield element
        if release and isinstance(box, PageBox):
            box.children = []

    tags._build_box_tree = recording
    try:
        yield
    finally:
        tags._build_box_tree = original


@contextmanager
def backgrounds_kept(document):
    """WeasyPrint 70 adds the crop marks to a page's background layers each time it draws the
    page (draw_background: layers.insert), so a layout written twice (`watch --print-shop`, a
    kept layout) would get two sets: put the layers back as they were after each writing."""
    saved = [(box.background.layers, list(box.background.layers)) for box in
             (page._page_box for page in document.pages) if box.background is not None]
    try:
        yield
    finally:
        for layers, before in saved:
            layers[:] = before


def boxes_released(document) -> None:
    """Let go of the boxes of every page of the document, once its PDF is drawn and tagged
    (a one-off build: nothing draws them again). What the pages say of themselves (size,
    anchors, links) stays."""
    for page in document.pages:
        page._page_box = None


# --- pages drawn -------------------------------------------------------------------------

RESOURCES = ("ExtGState", "XObject", "Pattern", "Shading")  # what drawing a page may add


@contextmanager
def pages_drawn_kept(store: dict | None):
    """While the PDF is written, a page drawn for the last PDF of this kind (the very Page
    object: its layout was kept, reuse.py) is not drawn again: what drawing it gave, its
    content stream, the glyphs it used and its marked content, is put back. Drawing is
    most of a PDF's writing time, and an edit changes a few pages.

    Each page is drawn with fonts of its own, empty, so that what it gives depends on it
    alone, then its glyphs join the document's fonts (each glyph's text as the first page
    using it has it: as WeasyPrint would). Groups are named by how many come before them:
    a page that adds some (an SVG's text anchored at its middle, a box's opacity) is put
    back, with copies of its groups as drawn, where as many come before it. A page that
    adds other resources named by count (patterns, shadings, states: an SVG's gradient, a
    mask) or draws a glyph no font has is drawn every time: those names and glyph ids
    depend on the pages before it. store None: none is kept (a one-off build)."""
    from pydyf import _to_bytes
    from weasyprint.document import Page
    from weasyprint.pdf.stream import Stream
    from weasyprint.text.fonts import get_pango_font_key

    original_paint, original_add_font = Page.paint, Stream.add_font
    used: dict = {}

    def paint(page, stream, scale=1):
        kept = store.get(page) if store is not None else None
        if kept is None or kept[:2] != (scale, len(stream._resources["XObject"])):
            kept = drawn(page, stream, scale)
        _, _, ops, fonts, states, groups, tags, keep = kept
        stream.stream.extend(ops)
        for key, group in groups.items():
            stream._resources["XObject"][key] = _twin(group, stream._resources["ColorSpace"])
        for pango_font, widths, to_unicode in fonts:
            font, _ = original_add_font(stream, pango_font)
            for table, new in ((font.widths, widths), (font.to_unicode, to_unicode)):
                for glyph, value in new.items():
                    table.setdefault(glyph, value)
        for key, state in states.items():
            stream._resources["ExtGState"].setdefault(key, state)
        if tags is not None:
            stream._tags.update(tags)
        if keep and store is not None:
            used[page] = kept

    def drawn(page, stream, scale):
        own: dict = {}  # font key -> (pango font, the page's own copy of the document's font)

        def add_font(stream, pango_font):
            key, _, size = get_pango_font_key(pango_font)
            if key not in own:
                font = copy.copy(original_add_font(stream, pango_font)[0])
                font.widths, font.to_unicode, font.missing = {}, {}, dict(font.missing)
                own[key] = (pango_font, font)
            return own[key][1], size

        before = {name: set(stream._resources[name]) for name in RESOURCES}
        images, start, named = len(stream._images), len(stream.stream), len(stream._resources["XObject"])
        tags = None if stream._tags is None else dict(stream._tags)
        Stream.add_font = add_font
        try:
            original_paint(page, stream, scale)
        finally:
            Stream.add_font = original_add_font
        # Joined now, as pydyf joins a stream's operators when it writes it (items apart by
        # a newline), so that a page put back is not joined again with every PDF.
        ops = [b"\n".join(_to_bytes(op) for op in stream.stream[start:])] if len(stream.stream) > start else []
        del stream.stream[start:]
        added = {name: [key for key in stream._resources[name] if key not in before[name]] for name in RESOURCES}
        states = {key: stream._resources["ExtGState"].pop(key) for key in added["ExtGState"]}
        if tags is not None:
            tags = {box: tag for box, tag in stream._tags.items() if box not in tags}
            stream._tags.clear()
        missing = False
        for pango_font, font in own.values():
            shared, _ = original_add_font(stream, pango_font)
            missing = missing or font.missing != shared.missing
            shared.missing.update(font.missing)
        keep = not missing and len(stream._images) == images and not any(added[name] for name in RESOURCES[2:]) \
            and all(stream._resources["XObject"][key] is not None for key in added["XObject"]) \
            and all(key[:1] in "aA" for key in states)  # None: an image; "s…": a state that may name a group
        # Groups (an SVG's text anchored at its middle, a box's opacity) are named by how many
        # the document has: kept as drawn, unwritten, and put back where as many come before.
        groups = {key: stream._resources["XObject"].pop(key) for key in added["XObject"]} if keep else {}
        fonts = [(pango_font, font.widths, font.to_unicode) for pango_font, font in own.values()]
        return scale, named, ops, fonts, states, groups, tags, keep

    Page.paint = paint
    try:
        yield
    finally:
        Page.paint = original_paint
        if store is not None:
            store.clear()
            store.update(used)


def _twin(value, color_space, twins: dict | None = None):
    """A copy of a group as drawn, to be written: writing a PDF puts references to its objects
    in place of the group's resources (pdf._use_references), so the one kept stays unwritten.
    Its colour spaces are the document's being written; an object named twice (a group, and
    a mask's state inside it naming that group) has one copy (twins: id -> copy)."""
    import pydyf

    twins = {} if twins is None else twins
    if id(value) in twins:
        return twins[id(value)]
    if isinstance(value, pydyf.Stream):
        twin = twins[id(value)] = copy.copy(value)
        twin.stream, twin.number, twin.offset = list(value.stream), None, 0
        twin.extra = _twin(value.extra, color_space, twins)
    elif isinstance(value, dict):
        twin = twins[id(value)] = pydyf.Dictionary() if isinstance(value, pydyf.Dictionary) else {}
        twin.update({key: color_space if key == "ColorSpace" else _twin(item, color_space, twins)
                     for key, item in value.items()})
    elif isinstance(value, pydyf.Array):
        twin = twins[id(value)] = pydyf.Array(_twin(item, color_space, twins) for item in value)
    else:
        return value
    return twin


@contextmanager
def compressed_kept(store: dict):
    """While the PDF is written, a stream (a page's content, a font) whose bytes were
    compressed for the last PDF is not compressed again: pydyf compresses every stream
    at zlib's level 9 for every PDF, and an edit changes a few. zlib gives the same bytes
    for the same bytes, so the PDF is the one a cold build writes. pydyf's own zlib is
    replaced while the PDF is written; store: digest of a stream's bytes -> the compressed."""
    import zlib

    import pydyf

    used: dict = {}

    class Compressor:
        def __init__(self, level: int = zlib.Z_DEFAULT_COMPRESSION):
            self.level = level

        def compress(self, data: bytes) -> bytes:
            key = (self.level, hashlib.blake2b(data, digest_size=16).digest())
            if key not in store:
                compressor = zlib.compressobj(level=self.level)
                store[key] = compressor.compress(data) + compressor.flush()
            used[key] = store[key]
            return used[key]

        def flush(self) -> bytes:
            return b""  # all given by compress

    class KeptZlib:
        compressobj = Compressor

        def __getattr__(self, name):
            return getattr(zlib, name)

    original = pydyf.zlib
    pydyf.zlib = KeptZlib()
    try:
        yield
    finally:
        pydyf.zlib = original
        store.clear()
        store.update(used)
