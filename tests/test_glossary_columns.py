"""The glossary's columns as a reader sees them in the PDF, now that Glossator breaks them
itself (glossator.columns) and WeasyPrint lays them out once: every term, in order; no
entry split between columns or pages; full pages' columns full; the last page's columns
as level as whole entries allow. And the breaks are the ones WeasyPrint's own balancing
makes, for entries of any heights; where a layout differs from them, the build falls back
to WeasyPrint's balancing, never to a wrong page."""
from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import REPO, make_edition
from glossary_pdf import glossary_columns
from glossator.columns import places, set_columns
from glossator.model import PAPERS

LINE = 12.5  # pt: the appendices' leading (theme/glossator.css, .appendix)
SPACE = PAPERS["letter"].glossary_space


def glossary_edition(dest: Path, longer: bool = False) -> Path:
    """The bundled edition's glossary and styles, on an article of one sentence per term (each
    term occurs), without notes or events: the glossary's pages cost a build, not the
    article's. longer: definitions up to five times as long, four glossary pages."""
    terms = yaml.safe_load((REPO / "annotations" / "glossary.yaml").read_text(encoding="utf-8"))
    for i, term in enumerate(terms):
        term["definition"] = " ".join([term["definition"]] * (1 + i % 5 if longer else 1))
    article = "---\ntitle: A Glossary\nauthor: Ada Tester\ndate: 2020-01-03\nlang: en\n---\n\n" + \
        "\n\n".join(f"The article names {term['term']} here." for term in terms) + "\n"
    root = make_edition(dest, article=article,
                        glossary=yaml.safe_dump(terms, sort_keys=False, allow_unicode=True, width=100))
    shutil.copytree(REPO / "styles", root / "styles")
    return root


@pytest.fixture(scope="module")
def long_root(tmp_path_factory) -> Path:
    return glossary_edition(tmp_path_factory.mktemp("long") / "edition", longer=True)


def terms_in_html(pdf: Path) -> list[str]:
    """The glossary's terms in the order the edition gives them (its HTML twin's <dt>s)."""
    html = pdf.with_suffix(".html").read_text(encoding="utf-8")
    return [re.sub(r"\s+", "", t) for t in re.findall(r"<dt>(.*?)(?: <span class=\"aliases\">|</dt>)", html)]


def entries(column) -> list[tuple[float, float]]:
    """(top, bottom) of each entry's glyphs in a column."""
    starts = [i for i, line in enumerate(column.lines) if line[0].font.endswith("Bold")]
    return [(min(g.top for g in column.lines[a]), max(g.bottom for g in column.lines[b - 1]))
            for a, b in zip(starts, [*starts[1:], len(column.lines)])]


def assert_columns_read_right(pdf: Path, paper: str) -> None:
    pages = glossary_columns(pdf)
    assert pages, "no glossary page"
    columns = [column for page in pages for column in page]
    assert [t for column in columns for t in column.terms] == terms_in_html(pdf)
    for p, page in enumerate(pages):
        for c, column in enumerate(page):
            assert column.starts_with_term(), f"page {p + 1} of the glossary, column {c + 1}: an entry split"
    area_bottom = PAPERS[paper].height - PAPERS[paper].bottom
    for column, after in zip(columns, columns[1:]):
        if column in pages[-1]:
            break
        top, bottom = entries(after)[0]  # the next column's first entry would not have fit under this one
        assert column.bottom + SPACE + (bottom - top) > area_bottom - LINE, (column.terms, after.terms[0])
    *_, last = pages
    if len(last) == 2:  # balanced: the taller column is taller by less than its boundary entry and a line
        short, tall = sorted(last, key=lambda column: column.bottom)
        boundary = entries(tall)[-1] if tall is last[0] else entries(tall)[0]
        assert tall.bottom - short.bottom <= boundary[1] - boundary[0] + SPACE + LINE


def test_the_bundled_glossary_reads_in_order_in_full_and_balanced_columns(bundled):
    assert_columns_read_right(bundled, "letter")
    assert len(glossary_columns(bundled)) == 2


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_a_glossary_of_four_pages_reads_in_order_in_full_and_balanced_columns(build_once, long_root, paper):
    result, out = build_once(long_root, "--paper", paper)
    assert result.returncode == 0, result.stderr
    pdf = next(out.glob("*.pdf"))
    assert len(glossary_columns(pdf)) >= 3
    assert_columns_read_right(pdf, paper)


def test_a_layout_that_differs_from_the_prediction_is_laid_out_again_by_weasyprint(build_once, long_root, tmp_path,
                                                                                   monkeypatch):
    """A wrong prediction (one entry moved to the next column) is caught by the check:
    the glossary is set as WeasyPrint balances it, as the right prediction sets it."""
    from glossator import render
    from glossator.pipeline import build

    def wrong(*args, **kwargs):
        pages = set_columns(*args, **kwargs)
        first = pages[0]
        return [[range(first[0].start, first[0].stop - 1), range(first[0].stop - 1, first[1].stop)], *pages[1:]]

    monkeypatch.setattr(render, "set_columns", wrong)
    built = build(long_root, tmp_path / "out")
    result, out = build_once(long_root, "--paper", "letter")  # the right prediction's build
    right = int(re.search(r"\((\d+) layouts", result.stdout)[1])
    assert built.layouts == right - 4 + 2  # instead of the glossary's four pages, its first, then the glossary whole
    pdf = next((tmp_path / "out").glob("*.pdf"))
    assert [[(c.terms, round(c.bottom)) for c in page] for page in glossary_columns(pdf)] == \
        [[(c.terms, round(c.bottom)) for c in page] for page in glossary_columns(next(out.glob("*.pdf")))]


def weasyprint_places(lines: list[int], space: float, head: float, full: float) -> list[tuple]:
    """Where WeasyPrint's own balancing (column-fill: balance) sets entries of so many lines."""
    from weasyprint import HTML

    items = "".join(f'<div class="e" id="e{i}">' + "<br>".join(["word"] * n) + "</div>" for i, n in enumerate(lines))
    html = f"""<style>@page {{ size: 400px {full}px; margin: 0 }} body {{ margin: 0 }}
      .h {{ height: {head}px }} .l {{ columns: 2; column-gap: 20px }}
      .e {{ break-inside: avoid; margin: 0 0 {space}px; font-size: 10px; line-height: {50 / 3}px }}</style>
      <div class="h"></div><div class="l">{items}</div>"""
    found: dict[int, list] = {}
    for p, page in enumerate(HTML(string=html).render().pages):
        for i in range(len(lines)):
            if f"e{i}" in page.anchors:
                found.setdefault(i, []).append((p, 0 if page.anchors[f"e{i}"][0] < 200 else 1))
    return [tuple(found[i]) for i in range(len(lines))]


def test_the_breaks_are_those_weasyprints_own_balancing_makes():
    rng = random.Random(1)
    for _ in range(12):
        lines = [rng.choice([1, 2, 3, 4, 5, 6, 8]) for _ in range(rng.randint(1, 40))]
        space, head, full = 28 / 3, rng.choice([0, 50, 93.3]), rng.choice([600, 880, 933.19])
        pages = set_columns([n * 50 / 3 for n in lines], space, full - head, full, leads=[50 / 3] * len(lines))
        assert weasyprint_places(lines, space, head, full) == [(place,) for place in places(pages)], lines


def test_an_editions_own_template_without_the_glossary_sheet_is_balanced_by_weasyprint(tmp_path):
    """An edition's own glossary entry without the term line's id (templates/
    glossary-entry.html.j2): the build succeeds, and WeasyPrint balances the columns."""
    from conftest import cli

    root = glossary_edition(tmp_path / "edition")
    template = (REPO / "src" / "glossator" / "templates" / "glossary-entry.html.j2").read_text(encoding="utf-8")
    own = template.replace('{% if lead_id %} id="{{ lead_id }}"{% endif %}', "")
    assert own != template
    (root / "templates").mkdir()
    (root / "templates" / "glossary-entry.html.j2").write_text(own, encoding="utf-8")
    result = cli("build", root, "--out", tmp_path / "out")
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert_columns_read_right(next((tmp_path / "out").glob("*.pdf")), "letter")
