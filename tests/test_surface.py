"""The theming surface (surface.py): what an edition's stylesheet may set, read before layout."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import REPO, cli, copy_bundled, run_cli
from glossator import surface
from glossator.model import A4, LETTER
from glossator.styles import Stylesheet
from pdfcheck import article_fills, article_stream, body_stream, note_places, print_faults, read_pdf


def sheet(text: str) -> Stylesheet:
    return Stylesheet(Path("styles/edition.css"), "styles/edition.css", text, True)


def test_geometric_properties_in_root_set_the_geometry():
    found = surface.read([sheet(":root { --note-width: 2.5in; --text-width: 300pt; --leading: 15pt }\n")])
    assert found.findings == ()
    g = surface.geometry(LETTER, found)
    assert (g.notes, g.text, g.leading) == (180.0, 300.0, 15.0)
    assert g.inside == LETTER.inside  # what is not set keeps the paper's value


def test_the_last_value_wins_and_the_themes_own_sheet_is_not_read():
    theme = Stylesheet(Path("glossator.css"), "glossator.css", ":root { --note-width: 90pt }", False)
    found = surface.read([theme, sheet(":root { --note-width: 150pt }\nhtml { --note-width: 160pt }")])
    assert found.values == {"notes": 160.0}


def test_a_value_out_of_range_or_not_a_length_is_an_error_at_its_line():
    found = surface.read([sheet(":root {\n  --note-width: 900pt;\n  --leading: large;\n}\n")])
    assert [(f.code, f.severity, f.line) for f in found.findings] == [("L106", "error", 2), ("L106", "error", 3)]
    assert "from 72 to 260 pt" in found.findings[0].message


def test_geometry_set_directly_is_warned_about_with_the_property_to_use():
    found = surface.read([sheet("/* a note */\n.note { width: 150pt; color: red }\n@page { margin: 1in }\n"
                                ".note b { width: 3pt }\n")])
    assert [(f.code, f.line) for f in found.findings] == [("L105", 2), ("L105", 3)]
    assert "--note-width" in found.findings[0].hint and "--inside" in found.findings[1].hint


def test_widths_the_paper_cannot_hold_are_refused():
    found = surface.read([sheet(":root {\n  --note-width: 200pt;\n  --text-width: 400pt;\n}")])
    # At the declaration that widened things most (the text, by 104 pt; the notes by 8).
    assert [(f.code, f.path, f.line) for f in surface.fit_findings(LETTER, found, "styles/edition.css")] == [
        ("L107", "styles/edition.css", 3)]
    assert surface.fit_findings(A4, surface.read([sheet("")]), "styles/edition.css") == []


def test_check_reports_the_surfaces_findings_with_file_and_line(tmp_path):
    root = copy_bundled(tmp_path / "edition")
    (root / "styles" / "edition.css").write_text(":root {\n  --note-width: 9000pt;\n}\n.note { width: 120pt }\n",
                                                 encoding="utf-8")
    result = run_cli("check", root)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    out = result.stdout + result.stderr
    assert "styles/edition.css:2" in out and "L106" in out
    assert "styles/edition.css:4" in out and "L105" in out


EXTREME = """\
:root {
  --note-width: 110pt;      /* a narrow note column */
  --note-size: 9.5pt;       /* large notes */
  --note-leading: 12pt;
  --inside: 90pt;           /* wide margins */
  --page-top: 100pt;
  --page-bottom: 100pt;
}
"""


@pytest.fixture(scope="module")
def extreme(tmp_path_factory):
    """The bundled edition on A4 with a narrow note column, large notes and wide margins."""
    root = copy_bundled(tmp_path_factory.mktemp("extreme") / "edition")
    (root / "styles" / "extreme.css").write_text(EXTREME, encoding="utf-8")
    out = root / "output"
    result = cli("build", root, "--paper", "a4", "--out", out)
    assert result.returncode == 0, result.stderr
    geometry = surface.geometry(A4, surface.read([sheet(EXTREME)]))
    return next(out.glob("*.pdf")), geometry


def test_extreme_but_valid_values_still_pass_every_layout_check(extreme):
    pdf_path, g = extreme
    assert print_faults(pdf_path) == []
    source = (REPO / "source" / "article.md").read_text(encoding="utf-8")
    assert body_stream(pdf_path, g) == article_stream(source)
    with read_pdf(pdf_path) as pdf:
        assert abs(pdf.pages[0].width - A4.width) < 0.5
    assert note_places(pdf_path, g).problems() == []
    fills = article_fills(pdf_path, g)
    assert min(fills[:-1]) >= 0.8, fills


# --- templates: the parts an edition may override, and the skeleton it should not ---------

def test_an_editions_own_title_block_is_set_and_its_notes_still_placed(tmp_path):
    from conftest import make_edition

    root = make_edition(tmp_path / "ed", notes="""\
        - id: sofa
          quote: Status of Forces Agreement
          body: The 2008 agreement that set the terms of the U.S. presence in Iraq.
        """)
    (root / "templates").mkdir()
    (root / "templates" / "title-block.html.j2").write_text(
        '<p class="kicker">Reader for Period 3</p>\n<h1 class="title">{{ meta.title | upper }}</h1>\n',
        encoding="utf-8")
    result = cli("build", root, "--out", tmp_path / "out")
    assert result.returncode == 0 and "R107" not in result.stdout + result.stderr, result.stderr
    pdf = next((tmp_path / "out").glob("*.pdf"))
    with read_pdf(pdf) as doc:
        first = doc.pages[0].extract_text()
    assert first.split("\n")[:3] == ["Reader for Period 3", "A SMALL TEST ARTICLE", "¶ 1 The first paragraph mentions "
                                                                                   "the Status of Forces Agree\u2010"]
    places = note_places(pdf)
    assert places.problems() == [] and places.notes["1"][:2] == (0, "outside")  # beside its call, page 1
    assert print_faults(pdf) == []


def test_replacing_the_skeleton_template_is_warned_about_with_the_parts_to_override(tmp_path):
    root = copy_bundled(tmp_path / "ed")
    (root / "templates").mkdir()
    skeleton = REPO / "src" / "glossator" / "templates" / "edition.html.j2"
    (root / "templates" / "edition.html.j2").write_text(skeleton.read_text(encoding="utf-8"), encoding="utf-8")
    result = run_cli("check", root)
    said = result.stdout + result.stderr
    assert result.returncode == 0, said
    assert "templates/edition.html.j2:1: R107 edition.html.j2 replaces Glossator's skeleton template" in said
    assert "title-block.html.j2" in said and "glossary-entry.html.j2" in said
    assert set(surface.PARTS) <= {p.name for p in (REPO / "src" / "glossator" / "templates").iterdir()}


def test_check_finds_a_templates_syntax_error_at_its_line_as_build_would(tmp_path):
    from conftest import make_edition

    root = make_edition(tmp_path / "ed")
    (root / "templates").mkdir()
    (root / "templates" / "title-block.html.j2").write_text(
        '<h1 class="title">{{ meta.title }}</h1>\n{% bogus_tag %}\n', encoding="utf-8")
    result = run_cli("check", root)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "templates/title-block.html.j2:2: R101 template error: Encountered unknown tag 'bogus_tag'" in \
        result.stdout + result.stderr
