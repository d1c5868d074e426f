"""`--booklet`: the finished PDF imposed for saddle-stitch printing.

Two pages side by side on each side of a landscape sheet, in booklet order, the
page count padded with blank pages to a multiple of four: printed double-sided
(flip on the short edge), the stack folded in the middle reads 1, 2, 3... Each
page is scaled to half the sheet: Letter pages to half-letter (5.5 × 8.5 in, 64.7 %),
A4 pages to A5 (70.7 %). The typeset pages stay those of the edition; only their
size on paper changes.

Each sheet side carries a page label naming the two pages it holds, left then right
("8-5"; "1" where the left page is blank), so a reader, or a test, can check the order.
"""
from __future__ import annotations

import functools
import io

from .model import PAPERS

# The sheet a booklet is printed on, landscape: the paper the edition was set for.
SHEETS = {name: (paper.height, paper.width) for name, paper in PAPERS.items()}


def booklet_order(count: int) -> list[tuple[int | None, int | None]]:
    """(left, right) page numbers, 1-based, for each side of each sheet in printing order;
    None for a blank page. `count` pages are padded to a multiple of 4."""
    total = -(-count // 4) * 4
    sides = []
    for sheet in range(total // 4):
        outer, inner = 2 * sheet, 2 * sheet + 1
        sides.append((total - outer, outer + 1))  # front: last, first
        sides.append((inner + 1, total - inner))  # back: second, second last
    return [tuple(p if p <= count else None for p in side) for side in sides]


def side_label(side: tuple[int | None, int | None]) -> str:
    """A sheet side's page label: its two pages, left then right ("8-5"), or the one page
    it holds beside a blank ("1"): a blank page has no number to show."""
    return "-".join(str(n) for n in side if n)


@functools.lru_cache(maxsize=2)  # `watch --booklet`: a rebuild that left the copy's PDF as it was
def impose(pdf: bytes, paper: str) -> bytes:
    """The booklet of `pdf` (pages of `paper` size) on landscape sheets of the same paper."""
    from pypdf import PageObject, PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject

    reader = PdfReader(io.BytesIO(pdf))
    width, height = SHEETS[paper]
    half = width / 2
    writer = PdfWriter()
    labels = ArrayObject()
    for index, side in enumerate(booklet_order(len(reader.pages))):
        sheet = writer.add_page(PageObject.create_blank_page(width=width, height=height))
        drawn, names = [], DictionaryObject()
        for slot, number in enumerate(side):
            if number is None:
                continue
            page = reader.pages[number - 1]
            w, h = float(page.mediabox.width), float(page.mediabox.height)
            scale = min(half / w, height / h)
            x, y = slot * half + (half - w * scale) / 2, (height - h * scale) / 2
            name = f"/Page{number}"
            names[NameObject(name)] = page_form(writer, page)
            drawn.append(f"q {scale:.6f} 0 0 {scale:.6f} {x:.4f} {y:.4f} cm {name} Do Q")
        sheet[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): names})
        sheet.replace_contents(stream(writer, "\n".join(drawn).encode("ascii")))
        labels.extend([NumberObject(index), DictionaryObject({NameObject("/P"): TextStringObject(side_label(side))})])
    writer._root_object[NameObject("/PageLabels")] = DictionaryObject({NameObject("/Nums"): labels})
    if reader.metadata:
        writer.add_metadata({k: v for k, v in reader.metadata.items() if isinstance(v, str)})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def page_form(writer, page):
    """The page as a form XObject of the writer: its content drawn as it is, never parsed
    (pypdf's merge_transformed_page parses every operator: seconds for an edition)."""
    from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject

    contents = page.get_contents()  # None for an empty page
    form = stream(writer, contents.get_data() if contents is not None else b"")
    form.update({NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Form"),
                 NameObject("/BBox"): ArrayObject(FloatObject(v) for v in page.mediabox),
                 NameObject("/Resources"): page.get("/Resources", DictionaryObject()).clone(writer)})
    return writer._add_object(form)


def stream(writer, data: bytes):
    from pypdf.generic import StreamObject

    made = StreamObject()
    made.set_data(data)
    return made.flate_encode()
