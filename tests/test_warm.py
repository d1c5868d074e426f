"""What a kept Renderer measures again after an edit (`glossator watch`): a note's or a
glossary entry's height is kept by what its sheet is made from (render.sheet_inputs), so
an edit measures the entries it changed and no other, whatever else moved; each appendix
is a layout of its own. Every rebuild writes the very bytes a cold build writes."""
from __future__ import annotations

import pytest

from conftest import make_edition, pdf_pages_text
from glossator.pipeline import build
from glossator.render import Renderer
from test_glossary_columns import glossary_edition
from test_reuse import edit_yaml, outputs

NOTES = """\
- id: sofa
  quote: Status of Forces Agreement
  body: A note about the agreement.
- id: quds
  quote: the Quds Force
  body: A note about the force.
- id: embassy
  quote: the embassy in Baghdad
  body: A note about the embassy.
"""
GLOSSARY = """\
- term: Green Zone
  definition: The fortified district.
- term: Quds Force
  definition: A branch of the guards.
"""
CHRONOLOGY = """\
- date: "2003-03-20"
  event: The invasion begins.
- date: "2008-11-17"
  event: The agreement is signed.
"""


@pytest.fixture
def watched(tmp_path):
    """(edition folder, its kept renderer, rebuild): rebuild(name) builds with the kept
    renderer into out-NAME, checks its outputs against a cold build's and returns (the build,
    what was measured: (part, [entries]) of each sheet laid out)."""
    root = make_edition(tmp_path / "edition", notes=NOTES, glossary=GLOSSARY, chronology=CHRONOLOGY)
    renderer = Renderer(root)
    sheets = []
    html = renderer.html

    def spy(edition, geometry, options, part="all", sheet=(), **kwargs):
        if part in ("notes", "glossary-sheet"):
            sheets.append((part, [entry[0].number if part == "notes" else entry.id for entry in sheet]))
        return html(edition, geometry, options, part=part, sheet=sheet, **kwargs)

    renderer.html = spy

    def rebuild(name: str):
        sheets.clear()
        warm = build(root, tmp_path / name, renderer=renderer)
        build(root, tmp_path / f"{name}-cold")
        assert outputs(tmp_path / name) == outputs(tmp_path / f"{name}-cold")
        return warm, list(sheets)

    rebuild("first")
    return root, renderer, rebuild


def pdf_text(built) -> str:
    pdf = next(path for path in built.files if path.suffix == ".pdf")
    return " ".join(" ".join(pdf_pages_text(pdf)).split())


def test_a_note_edit_measures_that_note_alone_though_the_notes_after_it_moved_in_the_file(watched):
    root, renderer, rebuild = watched
    # The second note's body, now three lines long in the file: the third note's line moves.
    edit_yaml(root / "annotations" / "notes.yaml",
              lambda notes: notes[1].update(body="A note about the force, which\n\nnow has a second paragraph."))
    built, measured = rebuild("note")
    assert measured == [("notes", [2, 2])]  # in the margin and at the foot, on one sheet; no glossary sheet
    assert "now has a second paragraph." in pdf_text(built)
    assert len(renderer.reuse.heights) == 6  # three notes, two places each: the old height let go


def test_a_rebuild_with_nothing_changed_measures_nothing(watched):
    root, renderer, rebuild = watched
    built, measured = rebuild("again")
    assert measured == [] and built.layouts == 0


def test_a_glossary_edit_measures_its_entry_alone_and_leaves_the_chronology_laid_out(watched):
    root, renderer, rebuild = watched
    chronology = renderer.reuse.layouts["chronology"]
    edit_yaml(root / "annotations" / "glossary.yaml",
              lambda terms: terms[1].update(definition="A branch of the guards, its definition now longer."))
    built, measured = rebuild("glossary")
    assert [(part, len(entries)) for part, entries in measured] == [("glossary-sheet", 1)]
    assert "its definition now longer." in pdf_text(built)
    assert renderer.reuse.layouts["chronology"] is chronology  # not laid out again
    assert built.layouts == 2  # the entry's sheet and the glossary


def test_an_edited_template_measures_every_sheet_again(watched):
    """The templates' digest is part of every height's key: an edition's own glossary
    entry changes what every entry's sheet is made from, and what the PDF shows."""
    root, renderer, rebuild = watched
    (root / "templates").mkdir()
    (root / "templates" / "glossary-entry.html.j2").write_text(
        '<dt{% if lead_id %} id="{{ lead_id }}"{% endif %}>{{ term.term }} (our own)</dt>\n'
        "<dd>{{ term.definition_html | safe }}</dd>\n", encoding="utf-8")
    built, measured = rebuild("template")
    assert sorted((part, len(entries)) for part, entries in measured) == [("glossary-sheet", 2), ("notes", 6)]
    assert "Green Zone (our own)" in pdf_text(built)


def test_a_glossary_edit_lays_out_and_draws_only_the_glossary_page_of_its_entry(tmp_path):
    """A glossary of two pages, each laid out on its own: a definition edited on the first
    page (as long as it was: no entry moves) leaves the second page's layout and drawing."""
    root = glossary_edition(tmp_path / "edition")
    renderer = Renderer(root)
    build(root, tmp_path / "first", renderer=renderer)
    second = renderer.reuse.layouts["glossary-2"][1]
    drawn = dict(renderer.drawn[next(iter(renderer.drawn))])
    edit_yaml(root / "annotations" / "glossary.yaml",
              lambda terms: terms[0].update(definition=terms[0]["definition"].replace("A branch", "Changed.", 1)))
    warm = build(root, tmp_path / "warm", renderer=renderer)
    build(root, tmp_path / "cold")
    assert outputs(tmp_path / "warm") == outputs(tmp_path / "cold")
    assert warm.layouts == 2  # the entry's sheet and the glossary's first page
    assert renderer.reuse.layouts["glossary-2"][1] is second
    now = renderer.drawn[next(iter(renderer.drawn))]
    redrawn = [page for page, kept in now.items() if drawn.get(page) is not kept]
    assert redrawn and not set(second.pages) & set(redrawn)
    assert "Changed." in pdf_text(warm)
