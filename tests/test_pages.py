"""The body laid out one page per WeasyPrint document (placement/pages.py, render.lay_out_pages):
a rebuild after an edit lays out only the pages the edit touched and draws only those, and
its PDF is the very one a cold build of the same files writes."""
from __future__ import annotations

import re

import yaml

from conftest import copy_bundled, html_elements, make_edition, pdf_pages_text
from glossator import ids
from glossator.commands.build import build
from glossator.model import Options
from glossator.pipeline import check
from glossator.placement.pages import body_pages, element_kinds
from glossator.placement.plan import Plan
from glossator.render import SHEET_MOST, Renderer, in_sheets
from glossator.styles import counts_siblings, read_stylesheets
from glossator.variants import geometry_for
from test_reuse import edit_yaml, outputs

ARTICLE = """\
---
title: Pages
author: Ada Tester
date: 2021-05-04
---

The first paragraph, which the page does not split.

::: pullquote
A pull quote.
:::

The second paragraph is split here and there across two page turns.

## A heading

The third paragraph.
"""


def short_appendices(root):
    """A copy of the bundled edition with four notes, three glossary terms and three events:
    its body is the bundled article's, on as many pages (four or more), its notes and
    appendices fewer (a build of it costs half the bundled edition's: placing 22 notes is
    the rest)."""
    root = copy_bundled(root)
    for name, count in (("notes", 4), ("glossary", 3), ("chronology", 3)):
        path = root / "annotations" / f"{name}.yaml"
        kept = [{k: v for k, v in item.items() if k != "see"}  # (the entries it names are gone)
                for item in yaml.safe_load(path.read_text(encoding="utf-8"))[:count]]
        path.write_text(yaml.safe_dump(kept, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return root


def test_each_page_holds_its_blocks_and_the_parts_of_split_paragraphs(tmp_path):
    edition = check(make_edition(tmp_path / "edition", ARTICLE)).edition
    first, quote, second, heading, third = edition.blocks
    words = [p.target for p in second.pieces if p.kind == "word"]
    split, again = words[3], words[6]
    pages = body_pages(edition, Plan(breaks=(quote.id, split, again, heading.id)))
    assert [page.number for page in pages] == [1, 2, 3, 4, 5]
    assert [page.blocks for page in pages] == [
        {first.id: (None, None)},
        {quote.id: (None, None), second.id: (None, split)},
        {second.id: (split, again)},
        {second.id: (again, None)},
        {heading.id: (None, None), third.id: (None, None)}]
    assert [[(block.id, word) for block, word in page.before] for page in pages][2] == \
        [(first.id, None), (quote.id, None), (second.id, None)]
    assert [page.last for page in pages] == [False, False, False, False, True]
    assert [page.start for page in pages] == [None, quote.id, split, again, heading.id]
    # The back matter may start a page of its own: that break is the last page's.
    with_back = body_pages(edition, Plan(breaks=(quote.id, split, ids.BACK_MATTER)))
    assert [page.breaks for page in with_back] == [(), (quote.id,), (split, ids.BACK_MATTER)]
    assert [page.blocks for page in body_pages(edition, Plan())] == [{b.id: (None, None) for b in edition.blocks}]


def test_a_rebuild_lays_out_and_draws_only_the_pages_an_edit_touched_and_equals_a_cold_build(tmp_path):
    root = short_appendices(tmp_path / "edition")
    renderer = Renderer(root)
    first = build(root, tmp_path / "first", renderer=renderer)
    body = sum(role.startswith("body-") for role in renderer.reuse.layouts)  # the pages
    rest = len(renderer.reuse.layouts) - body  # the text, the glossary's pages and the chronology
    assert body >= 4 and first.layouts == body + rest + 2  # and the note and glossary sheets

    def rebuilt(name: str, made: int, reused: int):
        drawn = dict(renderer.drawn[next(iter(renderer.drawn))])
        warm = build(root, tmp_path / name, renderer=renderer)
        build(root, tmp_path / f"{name}-cold")
        assert outputs(tmp_path / name) == outputs(tmp_path / f"{name}-cold")
        assert (warm.layouts, warm.reused) == (made, reused)
        now = renderer.drawn[next(iter(renderer.drawn))]
        pdf = next(path for path in warm.files if path.suffix == ".pdf")
        return pdf, [page for page, kept in now.items() if drawn.get(page) is not kept]

    # A note on page 1 grows, with a glyph the edition had not used (its font's subset is made
    # again): its sheet and page 1 are laid out again, and only page 1 is drawn.
    edit_yaml(root / "annotations" / "notes.yaml", lambda notes: notes[0].update(body=notes[0]["body"] + " More: ½."))
    pdf, redrawn = rebuilt("note", 2, body - 1 + rest)  # the text, the other pages and the appendices reused
    assert len(redrawn) == 1 and "More: ½." in pdf_pages_text(pdf)[0]

    # A glossary definition: its entry's sheet and the glossary's page; the body's pages and the
    # chronology are neither laid out nor drawn (test_warm: a glossary of two pages).
    chronology = renderer.reuse.layouts["chronology"][1]
    edit_yaml(root / "annotations" / "glossary.yaml", lambda terms: terms[0].update(definition="Changed."))
    pdf, redrawn = rebuilt("glossary", 2, body + rest - 1)
    pages = {page for role, (_, laid) in renderer.reuse.layouts.items() if role.startswith("body-") for page in laid.pages}
    assert redrawn and not pages & set(redrawn)
    assert renderer.reuse.layouts["chronology"][1] is chronology and not set(chronology.pages) & set(redrawn)
    assert "Changed." in " ".join(pdf_pages_text(pdf))

    # A word in one paragraph: the text is measured again and the paragraph's page laid out.
    article = root / "source" / "article.md"
    article.write_text(re.sub("But then everything unraveled.", "But then everything fell apart.",
                              article.read_text(encoding="utf-8")), encoding="utf-8")
    pdf, redrawn = rebuilt("text", 2, body - 1 + rest - 1)  # the note sheets are measured as they were
    assert len(redrawn) == 1 and "everything fell apart." in " ".join(pdf_pages_text(pdf))


def test_an_editions_counter_runs_on_across_pages_and_the_body_is_then_one_document(tmp_path):
    """Pages laid out on their own would restart a counter an edition's stylesheet steps
    through the article: such an edition's body is laid out whole, and its count runs on."""
    root = short_appendices(tmp_path / "edition")
    (root / "styles" / "count.css").write_text(
        ".article { counter-reset: para; }\n"
        ".article > .para:not(.para-cont) { counter-increment: para; }\n"
        ".article > .para:not(.para-cont)::before { content: \"§\" counter(para) \"§ \"; }\n", encoding="utf-8")
    renderer = Renderer(root)
    assert renderer.one_body
    built = build(root, tmp_path / "out", renderer=renderer)
    assert built.layouts_said() == "6 layouts"  # text, notes, glossary sheet, the body whole, glossary, chronology
    text = "".join(pdf_pages_text(next((tmp_path / "out").glob("*.pdf"))))
    counted = sorted(int(n) for n in re.findall(r"§(\d+)§", text))  # restarted on a page: repeats
    paragraphs = sum(1 for b in check(root).edition.blocks if b.kind == "paragraph")
    assert counted == list(range(1, paragraphs + 1))


# --- each page's work does not grow with the article ------------------------------------------

def long_edition(root, copies: int, css: str | None = None):
    """ARTICLE's body `copies` times over, and a plan that starts a page at each heading and
    splits each copy's second paragraph: every page after the first holds the same blocks."""
    head, body = ARTICLE.split("---\n\n")[0] + "---\n\n", ARTICLE.split("---\n\n")[1]
    make_edition(root, head + body * copies)
    if css is not None:
        (root / "styles").mkdir()
        (root / "styles" / "edition.css").write_text(css, encoding="utf-8")
    edition = check(root).edition
    splits = [next(p.target for i, p in enumerate(b.pieces) if p.kind == "word" and i > 6)
              for b in edition.blocks if b.kind == "paragraph" and "split here" in "".join(p.text for p in b.pieces)]
    headings = [b.id for b in edition.blocks if b.kind == "heading"]
    return edition, Plan(breaks=tuple(x for pair in zip(splits, headings) for x in pair))


def laid_out_pages(root, edition, plan) -> list[str]:
    """The HTML of each page lay_out_pages lays out, without laying any out."""
    class Laid:
        def __init__(self, pages):
            self.pages = pages

        def copy(self, pages):
            return Laid(pages)

    renderer = Renderer(root)
    seen = []
    renderer.layout = lambda html: seen.append(html) or Laid([None, None])  # the first sets the heads
    options = Options()
    renderer.lay_out_pages(edition, geometry_for(options), options,
                           dict(plan=plan, refs=({}, {}), placement_css=""))
    return seen


def test_a_pages_html_holds_its_own_blocks_and_a_bounded_number_of_others(tmp_path):
    """Each page's HTML, laid out on its own, is as long for the last pages of a long article as
    for the first: what precedes it is not repeated, nor are the other pages' breaks."""
    edition, plan = long_edition(tmp_path / "long", 30)
    pages = laid_out_pages(tmp_path / "long", edition, plan)
    assert len(pages) == 2 * 30 + 1
    # Pages 3 on: a heading, a paragraph, a paragraph, a pull quote and a paragraph's first
    # part; or its second part; from page 5, every kind of block has come before. The last
    # adds the back matter.
    counts = [len(html_elements(html)) for html in pages[4:-1]]
    assert set(counts[0::2]) == {counts[0]} and set(counts[1::2]) == {counts[1]}
    last = pages[-2]
    assert last.count('style="display: none"') <= 5 and last.count("break-before: page") <= 1


def test_the_elements_before_a_page_are_the_last_of_each_kind_unless_the_stylesheet_counts(tmp_path):
    edition, plan = long_edition(tmp_path / "long", 12)
    every = body_pages(edition, plan, every=True)
    for page, whole in zip(body_pages(edition, plan), every):
        assert len(page.before) <= 5
        assert page.before[-1:] == whole.before[-1:]  # the element just before the page: for `+`
        assert set(page.before) <= set(whole.before) and [e for e in whole.before if e in page.before] == \
            list(page.before)  # in reading order
        kinds = element_kinds(edition, plan)
        assert {kinds(*e) for e in page.before} == {kinds(*e) for e in whole.before}  # for `~`, :first-of-type
    assert len(every[-1].before) > 50

    counting = ".article .para:nth-child(3n) { color: red; }\n"
    assert not counts_siblings(read_stylesheets(tmp_path / "long"))
    for css, counts in ((counting, True), ("@media print { h2 + .para ~ .para { color: red; } }", True),
                        (".pullquote + .para, h2.section ~ .para { color: red; }", False),
                        ("@font-face { font-family: X; src: url(x.otf); unicode-range: U+0-7F, U+A0+; }", False)):
        (tmp_path / "styles").mkdir(exist_ok=True)
        (tmp_path / "styles" / "edition.css").write_text(css, encoding="utf-8")
        assert counts_siblings(read_stylesheets(tmp_path)) is counts, css
    edition, plan = long_edition(tmp_path / "counting", 12, css=counting)
    pages = laid_out_pages(tmp_path / "counting", edition, plan)
    assert pages[-1].count('style="display: none"') == len(every[-1].before)


def test_notes_are_measured_on_sheets_of_a_bounded_size():
    """A long article's notes are measured a sheet of at most SHEET_MOST at a time, not all on
    one (whose layout, held whole, took more memory than any other step of the build)."""
    sheets = []

    def measure_sheet(keys):
        sheets.append(list(keys))
        return {k: float(k) for k in keys}

    keys = list(range(2 * SHEET_MOST + 1))
    assert in_sheets(measure_sheet)(keys) == {k: float(k) for k in keys}
    assert [len(s) for s in sheets] == [SHEET_MOST, SHEET_MOST, 1] and sum(sheets, []) == keys
