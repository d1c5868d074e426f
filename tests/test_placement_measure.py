"""The WeasyPrint adapter (placement/measure.py) holds every use of WeasyPrint's internals.

These tests fail loudly, naming what changed, if a WeasyPrint upgrade moves the
internals the adapter reads: the page box tree, its line boxes, the font subsetter.
"""
from __future__ import annotations

import pytest

from glossator.placement import measure


@pytest.fixture(scope="module")
def document():
    from weasyprint import HTML

    html = ("<p id='p1' style='width: 200px'>One two three four five six seven eight nine ten eleven "
            "twelve thirteen fourteen fifteen sixteen.</p>")
    return HTML(string=html).render()


def test_the_page_box_tree_has_the_shape_the_adapter_reads(document):
    page = document.pages[0]
    assert hasattr(page, "_page_box"), "WeasyPrint pages no longer carry _page_box"
    kinds = {type(box).__name__ for box in measure._descendants(page._page_box)}
    assert {"BlockBox", "LineBox"} <= kinds, f"box kinds changed: {sorted(kinds)}"
    assert "p1" in page.anchors


def test_lines_are_read_back_with_their_offsets(document):
    text = ("One two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
            "sixteen.")
    lines = measure.paragraph_lines(document, {"p1": ("p1", text)})["p1"]
    assert len(lines) >= 3
    assert lines[0].start == 0 and all(text[line.start - 1] == " " for line in lines[1:])
    assert all(a.top < b.top for a, b in zip(lines, lines[1:]))


def test_the_font_subsetter_can_be_hooked():
    from weasyprint.pdf.fonts import Font

    assert callable(getattr(Font, "subset", None)), "weasyprint.pdf.fonts.Font.subset is gone"
    assert isinstance(measure.subsets_with_harfbuzz(), bool)


def test_a_line_set_short_is_reported_at_its_paragraphs_line_in_the_article(edition):
    from glossator.model import LETTER, PX_PER_PT
    from glossator.pipeline import check
    from glossator.placement.model import Line, Measured
    from glossator.render import short_line_warnings

    composed = check(edition()).edition
    block = composed.blocks[1]
    full = LETTER.text * PX_PER_PT
    lines = [Line(0, 100, 114, 0, True, 0, full / 3), Line(0, 114, 128, 20, True, 0, full)]
    (warning,) = short_line_warnings(composed, Measured({}, {}, 1, {block.id: lines}), LETTER)
    assert (warning.code, warning.path, warning.line) == ("L103", "source/article.md", block.where.line)
    assert warning.line > 1


def test_a_paragraph_split_for_a_page_ends_without_a_trailing_space():
    """The part before a page break must end its last line as the whole paragraph did: a
    space kept there (with the zero-width space that follows spaces before an element)
    would not fit at the line's end and make WeasyPrint break the line again."""
    from glossator.model import Piece
    from glossator.render import ZWSP, coalesce

    pieces = [Piece("text", text="the sweat of other "), Piece("word", target="w4-1001", offset=1001),
              Piece("text", text="men’s faces")]
    split = coalesce(pieces, {"w4-1001"}, {"w4-1001": False})
    assert split[0].text == "the sweat of other"
    numbered = coalesce(pieces, {"w4-1001"})  # a line number's marker, not a split: the space stays
    assert numbered[0].text == "the sweat of other " + ZWSP


def test_a_page_drawn_for_one_pdf_is_put_back_as_drawn_in_the_next(document):
    """pages_drawn_kept hooks Page.paint and Stream.add_font and reads a Stream's resources,
    images and marked content, and a Font's widths, to_unicode and missing glyphs."""
    from weasyprint.document import Page
    from weasyprint.pdf.fonts import Font
    from weasyprint.pdf.stream import Stream

    assert callable(getattr(Page, "paint", None)) and callable(getattr(Stream, "add_font", None))
    assert {"widths", "to_unicode", "missing"} <= set(vars(Font)["__init__"].__code__.co_names)
    plain = document.copy().write_pdf(pdf_variant="pdf/ua-1")
    store: dict = {}
    with measure.pages_drawn_kept(store):
        first = document.copy().write_pdf(pdf_variant="pdf/ua-1")
    assert set(store) == set(document.pages), "the page was not kept"
    kept = dict(store)
    with measure.pages_drawn_kept(store):
        again = document.copy().write_pdf(pdf_variant="pdf/ua-1")
    assert store == kept and all(store[page] is kept[page] for page in kept), "the page was drawn again"
    assert first == again == plain


def test_a_stream_compressed_for_one_pdf_is_not_compressed_again_and_an_edit_is(document, monkeypatch):
    """compressed_kept replaces pydyf's zlib while a PDF is written: the same PDF as pydyf
    writes, without compressing again a stream whose bytes were compressed for the last."""
    import zlib

    from weasyprint import HTML

    made = []
    compressobj = zlib.compressobj
    monkeypatch.setattr(zlib, "compressobj", lambda *args, **kwargs: made.append(1) or compressobj(*args, **kwargs))
    plain = document.copy().write_pdf()
    store: dict = {}
    with measure.compressed_kept(store):
        first = document.copy().write_pdf()
    assert first == plain and store
    made.clear()
    with measure.compressed_kept(store):
        again = document.copy().write_pdf()
    assert again == plain and not made, "a stream was compressed again"
    edited = HTML(string="<p>Another text altogether.</p>").render()
    with measure.compressed_kept(store):
        other = edited.write_pdf()
    assert made and other == edited.write_pdf() != plain


def test_a_page_with_groups_is_put_back_only_where_as_many_groups_come_before_it():
    """A group (a box's opacity, an SVG's text anchored at its middle) is named by how many
    the document has before it: a page drawn with groups is put back where as many come
    before it, with the groups as drawn, and drawn again elsewhere; the PDF is pydyf's own."""
    from weasyprint import HTML

    html = ("<p style='opacity: .5'>Half</p><svg width='100' height='20'><text x='50' y='10' "
            "text-anchor='middle'>Mid</text></svg><p style='break-before: page; opacity: .5'>Again</p>")
    document = HTML(string=html).render()
    first, second = document.pages
    alone = document.copy([second])
    plain = alone.copy().write_pdf()
    store: dict = {}
    with measure.pages_drawn_kept(store):
        assert alone.copy().write_pdf() == plain
    assert set(store) == {second}, "the page with a group was not kept"
    kept = store[second]
    with measure.pages_drawn_kept(store):
        again = alone.copy().write_pdf()
    assert store[second] is kept and again == plain
    with measure.pages_drawn_kept(store):  # a page with groups before it now: drawn again
        both = document.copy().write_pdf()
    assert store[second] is not kept and both == document.copy().write_pdf()


def test_a_page_whose_mask_names_a_group_is_drawn_again_as_weasyprint_draws_it():
    """A mask is a state naming a group: such a page is drawn every time, its group left
    where the state finds it, and the PDF is pydyf's own."""
    from weasyprint import HTML

    html = ("<svg width='100' height='40'><defs><mask id='m'><rect width='50' height='40' fill='white'/></mask>"
            "</defs><rect width='100' height='40' fill='red' mask='url(#m)'/></svg>")
    document = HTML(string=html).render()
    plain = document.copy().write_pdf()
    store: dict = {}
    for _ in range(2):
        with measure.pages_drawn_kept(store):
            assert document.copy().write_pdf() == plain
        assert not store


# --- lines broken once (measure.lines_kept) --------------------------------------------------

def _line_breaking_source() -> str:
    import inspect

    from weasyprint.text import fonts, line_break

    return "".join(inspect.getsource(part) for part in (
        line_break.split_first_line, line_break.create_layout, line_break.first_line_metrics, line_break.line_size,
        line_break.Layout, fonts.get_font_description))


def test_weasyprints_line_breaker_has_the_shape_the_memo_keys():
    """lines_kept replaces split_first_line where WeasyPrint's layout calls it by name, keys a
    result by the style properties it reads and by what it computes from the width, and shares
    the deactivated layout it returns. Any change there must be looked at before the memo can
    be trusted: this fails, naming it."""
    import importlib
    import inspect
    import re

    from weasyprint.text import line_break

    parameters = list(inspect.signature(line_break.split_first_line).parameters)
    assert parameters == ["text", "style", "context", "max_width", "justification_spacing", "is_line_start",
                          "minimum"], f"split_first_line's parameters changed: {parameters}"
    for name in measure.LINE_BREAKERS:
        assert importlib.import_module(name).split_first_line is line_break.split_first_line, \
            f"{name} no longer calls split_first_line by name"
    read = set(re.findall(r"style\[['\"](\w+)['\"]\]", _line_breaking_source()))
    assert read <= set(measure.LINE_STYLE), f"split_first_line reads style properties the key lacks: " \
                                            f"{sorted(read - set(measure.LINE_STYLE))}"
    assert (line_break.FROM_UNITS, line_break.TO_UNITS) == (measure.PANGO_UNIT, 1024)
    # _width_key mirrors this code's arithmetic on the width (WeasyPrint 70.0's): read it again if it changed.
    import hashlib
    assert hashlib.sha256(_line_breaking_source().encode()).hexdigest()[:16] == "3ce6c680ae02d0f0", \
        "split_first_line or its helpers changed: check measure._width_key against them, then update this digest"


def test_a_line_broken_again_is_taken_from_the_memo_and_lays_out_the_same_bytes():
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()  # the key holds it: another's fonts may break lines otherwise
    html = ("<p style='width: 180px; hyphens: auto; text-decoration: underline; letter-spacing: 0.3px' lang=en>"
            "Notwithstanding the extraordinarily complicated circumstances, the representatives reached "
            "an understanding about the withdrawal of the remaining forces.</p>"
            "<p style='width: 120px; text-overflow: ellipsis; overflow: hidden; white-space: nowrap'>"
            "A line too long for its box, cut with an ellipsis</p>")
    plain = HTML(string=html).render().write_pdf()
    store, used = {}, set()
    with measure.lines_kept(store, used):
        first = HTML(string=html).render(font_config=fonts)
    assert store and used == set(store)
    kept = dict(store)
    calls = []
    from weasyprint.text import line_break
    original = line_break.split_first_line
    line_break.split_first_line = lambda *args, **kwargs: calls.append(args) or original(*args, **kwargs)
    try:
        with measure.lines_kept(store, used):
            again = HTML(string=html).render(font_config=fonts)
    finally:
        line_break.split_first_line = original
    assert calls == [] and store == kept, "lines were broken again"
    assert first.write_pdf() == again.write_pdf() == plain


def test_widths_a_few_units_in_the_15th_digit_apart_share_a_key_and_a_pango_unit_apart_do_not():
    from weasyprint.layout.percent import percentage
    from weasyprint import HTML

    style = HTML(string="<p lang=en style='hyphens: auto'>x</p>").render().pages[0]._page_box \
        .children[0].children[0].style  # the paragraph's computed style
    key = lambda width: measure._width_key(width, style, percentage)
    assert key(394.6666674106668) == key(394.6666671333334)
    assert key(394.6666674106668) != key(394.6666674106668 + measure.PANGO_UNIT)
    line = 250 * measure.PANGO_UNIT  # a line of 250 Pango units fits a width of exactly its own, not one just under
    assert key(line) != key(line - 1e-12)
    assert key(None) is None and key(float("inf")) == float("inf")


def test_the_bundled_edition_is_the_same_bytes_with_the_memo_and_without(bundled, tmp_path, monkeypatch):
    """The build breaks each line once (lines_kept); without the memo, WeasyPrint breaks every line
    of every layout itself, and the PDF is the same, byte for byte."""
    import contextlib

    from conftest import copy_bundled
    from glossator import render
    from glossator.pipeline import build

    monkeypatch.setattr(render, "lines_kept", lambda store, used: contextlib.nullcontext())
    edition = copy_bundled(tmp_path / "edition")
    build(edition, tmp_path / "out")
    assert (tmp_path / "out" / bundled.name).read_bytes() == bundled.read_bytes()
