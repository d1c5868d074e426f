"""A word no line can hold (a URL, a chemical name) breaks between letters instead of running
past the page's edge, wherever it is printed, and the warning (L104) says so."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from conftest import cli, make_edition, pdf_pages_text, run_cli
from pdfcheck import body_stream, margin_text, reading_text
from glossator.load import load
from glossator.unbreakable import mark_unbreakable, unbreakable_findings

GEOMETRY = Path("/work/shared/tools/pdf_geometry.py")
WORD = "Methylenedioxy" * 28 + "amine"  # 397 letters
URL = "https://example.org/" + "a1b2c3d4" * 45

ARTICLE = f"""\
---
title: Long Words
author: Ada Tester
publication: The Test Review
date: 2021-05-04
lang: en
bio: "See {URL} for more."
credits: "Found at <{URL}>."
---

The compound {WORD} is long, and so is the text after it for a while.

A link [here]({URL}) and the bare {URL} in a paragraph.
"""


def edition_with_long_words(root: Path) -> Path:
    return make_edition(root, article=ARTICLE, notes=f"""\
        - id: chem
          quote: "is long, and so is the text"
          body: "The name {WORD} breaks nowhere."
        """, glossary=f"""\
        - term: compound
          definition: "A {WORD} of sorts."
        """, chronology=f"""\
        - date: "2003"
          event: "The {WORD} was named."
        """)


def test_only_text_is_marked_never_tags_styles_or_titles():
    long = "x" * 45
    html = (f'<head><title>{long}</title><style>a {{ b: url(data:{long}) }}</style></head>'
            f'<body><a href="{long}">{long}</a> short words and a-hyphenated-{long[:39]}-word</body>')
    marked = mark_unbreakable(html)
    assert marked.count('<span class="unbroken">') == 1
    assert f'<a href="{long}"><span class="unbroken">{long}</span></a>' in marked
    assert f"<title>{long}</title>" in marked and f"url(data:{long})" in marked
    svg = f'<svg><text>{long}</text></svg>'  # a <span> in SVG text would hide it
    assert mark_unbreakable(svg) == svg
    for ordinary in ("<p>ordinary text</p>", "<p>" + "北京" * 30 + "</p>", "<p>" + "ภาษาไทย" * 8 + "</p>"):
        assert mark_unbreakable(ordinary) == ordinary  # these scripts break between letters anyway


def test_check_names_each_long_word_and_its_place(tmp_path):
    root = edition_with_long_words(tmp_path / "e")
    loaded = load(root)
    found = unbreakable_findings(loaded.article, loaded.annotations)
    assert [(f.code, f.path, f.line) for f in found] == [
        ("L104", "source/article.md", 1), ("L104", "source/article.md", 1),  # the bio, the credits
        ("L104", "source/article.md", 11), ("L104", "source/article.md", 13),
        ("L104", "annotations/notes.yaml", 1), ("L104", "annotations/glossary.yaml", 1),
        ("L104", "annotations/chronology.yaml", 1)]
    assert found[2].message == ("¶ 1: a word of 397 characters (“MethylenedioxyMethylened…”) has no place to "
                                "break; it is broken between two letters where the line ends")
    result = run_cli("check", root)
    assert result.returncode == 0 and "source/article.md:11: L104 ¶ 1: a word of 397 characters" in result.stdout


def test_no_glyph_lands_outside_the_page_and_no_letter_is_lost(tmp_path):
    root = edition_with_long_words(tmp_path / "e")
    result = cli("build", root, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert "L103" not in result.stderr and result.stderr.count("L104") == 7
    pdf = next((tmp_path / "out").glob("*.pdf"))
    geometry = subprocess.run([sys.executable, str(GEOMETRY), str(pdf)], capture_output=True, text=True)
    assert geometry.returncode == 0, geometry.stdout
    assert "0 glyphs outside the safe area" in geometry.stdout
    # Every letter is there: in the text column, the bio and credits, the note, the glossary, the chronology.
    def joined(text: str) -> str:
        return re.sub(r"[\s\u00ad\u2010-]", "", text)

    assert joined(body_stream(pdf)).count(WORD) == 1
    assert joined(reading_text(pdf)).count(URL.split("//")[1]) == 3  # in ¶ 2, the bio and the credits
    assert joined(re.sub(r"¶\d+", "", margin_text(pdf))).count(WORD) == 1  # the paragraph numbers left out
    assert joined("".join(pdf_pages_text(pdf)[1:])).count(WORD) == 2  # the appendices' pages
