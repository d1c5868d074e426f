"""Fonts: a PDF embeds only the fonts Glossator ships and the edition's own @font-face fonts,
never the machine's; characters no such font has are reported (F101) with their place."""
from __future__ import annotations

import subprocess
from pathlib import Path

from conftest import cli, make_edition, run_cli
from glossator.fonts import font_findings, named, unset_characters
from glossator.load import load

SCRIPTS = """\
---
title: Scripts
author: Ada Tester
publication: The Test Review
date: 2021-05-04
lang: en
---

Arabic بغداد and Hebrew ירושלים in one paragraph.

CJK 北京 and emoji 😀 in another,
over two lines.
"""
MUSIC = "\U0001D11E"  # 𝄞: in no shipped font


def embedded_fonts(pdf: Path) -> list[str]:
    """The base names of the fonts embedded in the PDF (the subset prefix dropped), as pdffonts lists them."""
    lines = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()
    return sorted(line.split()[0].split("+", 1)[-1] for line in lines[2:])


def tiny_font(path: Path, char: str) -> Path:
    """A TrueType font of one glyph (a square) for one character: an edition's own font."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    pen = TTGlyphPen(None)
    for point in ((100, 0), (100, 700), (600, 700), (600, 0)):
        (pen.lineTo if pen.points else pen.moveTo)(point)
    pen.closePath()
    square, empty = pen.glyph(), TTGlyphPen(None).glyph()
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder([".notdef", "square"])
    builder.setupCharacterMap({ord(char): "square"})
    builder.setupGlyf({".notdef": empty, "square": square})
    builder.setupHorizontalMetrics({".notdef": (500, 0), "square": (700, 100)})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": "Tiny", "styleName": "Regular"})
    builder.setupOS2()
    builder.setupPost()
    path.parent.mkdir(parents=True, exist_ok=True)
    builder.save(str(path))
    return path


# --- which characters: pure Python, no WeasyPrint ---------------------------------------------

def test_shipped_fonts_set_latin_hebrew_and_arabic_but_not_cjk_or_emoji(tmp_path):
    root = make_edition(tmp_path / "e", article=SCRIPTS)
    loaded = load(root)
    found = font_findings(root, loaded.article, loaded.annotations)
    assert [(f.code, f.path, f.line) for f in found] == [("F101", "source/article.md", 11)]
    assert found[0].message.startswith("¶ 2: no font of the edition has 3 of its characters")
    assert found[0].message.endswith("U+5317 北, U+4EAC 京, U+1F600 😀")


def test_characters_without_glyphs_are_not_reported_and_controls_are_shown_escaped():
    fonts = ()  # no font at all: every character that needs a glyph is missing
    assert unset_characters("a\u200b\u200d\ufe0f\n\t", fonts) == ["a"]
    assert named(["\ue000", "x"]) == "U+E000 \\ue000, U+0078 x"
    assert named([chr(0x4E00 + i) for i in range(15)]).endswith("and 3 more")


def test_notes_terms_and_events_are_checked_at_their_own_lines(edition):
    root = edition(notes=f"""\
        - id: music
          quote: "first paragraph"
          body: "A clef, {MUSIC}."
        """, glossary=f"""\
        - term: Green Zone
          definition: "Also 区."
        """)
    result = run_cli("check", root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"annotations/notes.yaml:1:3: F101 note 'music': no font of the edition has 1 of its characters" \
           in result.stdout
    assert f"U+1D11E {MUSIC}" in result.stdout
    assert "annotations/glossary.yaml:1:3: F101 glossary term 'green-zone'" in result.stdout
    assert "U+533A 区" in result.stdout and "Traceback" not in result.stderr


def test_an_edition_font_from_styles_counts(edition):
    root = edition(article=SCRIPTS.replace("北京", MUSIC))
    (root / "styles").mkdir()
    tiny_font(root / "styles" / "fonts" / "tiny.ttf", MUSIC)
    (root / "styles" / "extra.css").write_text(
        '@font-face { font-family: "Tiny"; src: url(fonts/tiny.ttf); }\n'
        'p { font-family: "Glossator Serif", "Glossator Arabic", "Tiny"; }\n', encoding="utf-8")
    loaded = load(root)
    found = font_findings(root, loaded.article, loaded.annotations)
    assert [f.message.split(": ")[-1] for f in found] == ["U+1F600 😀"]


# --- what the PDF embeds ---------------------------------------------------------------------------

def test_pdf_embeds_no_font_of_the_machine(edition, tmp_path):
    root = edition(article=SCRIPTS.replace("emoji 😀", f"emoji 😀 clef {MUSIC}"))
    (root / "styles").mkdir()
    tiny_font(root / "styles" / "tiny.ttf", MUSIC)
    (root / "styles" / "extra.css").write_text(
        '@font-face { font-family: "Tiny"; src: url(tiny.ttf); }\n', encoding="utf-8")
    result = cli("build", root, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert "source/article.md:11: F101 ¶ 2: no font of the edition has 3 of its characters" in result.stderr
    pdf = next((tmp_path / "out").glob("*.pdf"))
    # Hebrew from Libertine, Arabic from the shipped Noto Naskh Arabic, the clef from the
    # edition's own font (found by fallback: no stack names it); CJK and emoji as empty boxes.
    fonts = set(embedded_fonts(pdf))
    assert {"Glossator-Arabic", "Glossator-Serif", "Tiny"} <= fonts
    assert all(name.startswith("Glossator-") or name == "Tiny" for name in fonts), fonts


def test_the_fonts_code_points_are_read_as_fonttools_reads_them_without_loading_it():
    """fonts.sfnt_cmap reads OpenType and TrueType cmaps itself, so `check` need not load fontTools."""
    from fontTools.ttLib import TTFont

    from glossator.fonts import THEME_FONTS, sfnt_cmap

    shipped = sorted(p for p in THEME_FONTS.iterdir() if p.suffix in (".otf", ".ttf"))
    assert len(shipped) >= 2
    for path in shipped:
        with TTFont(path, lazy=True) as font:
            assert sfnt_cmap(path.read_bytes()) == frozenset(font.getBestCmap()), path.name
    assert sfnt_cmap(b"wOF2" + bytes(60)) is None  # WOFF2: left to fontTools
