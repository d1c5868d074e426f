"""Every finding names a file and a line where one exists: template errors (R101) at the
template's line, a page whose notes cannot fit (L102) at its first note in notes.yaml."""
from __future__ import annotations

import pytest

from conftest import make_edition, run_cli
from glossator.errors import RenderError
from glossator.model import PAPERS, Where

NOTES = """\
- id: sofa
  quote: Status of Forces Agreement
  body: The 2008 agreement.

- id: quds
  quote: the Quds Force
  body: The foreign-operations arm of Iran's Revolutionary Guard.
"""


@pytest.mark.parametrize("templates, expected", [
    ({"edition.html.j2": "<!doctype html>\n<title>x</title>\n<p>{{ edition.meta.title }}</p>\n"
                         "<p>{{ edition.nothing.here }}</p>\n"},
     "templates/edition.html.j2:4: R101 template error: 'glossator.model.Edition object' has no attribute 'nothing'"),
    ({"edition.html.j2": "<!doctype html>\n{% if x %}\n<p>{{ edition.meta.title }</p>\n"},
     "templates/edition.html.j2:3: R101 template error: unexpected '}'"),
    ({"edition.html.j2": "<!doctype html>\n{% include 'part.html' %}\n", "part.html": "<p>\n\n{{ missing() }}</p>\n"},
     "templates/part.html:3: R101 template error: 'missing' is undefined"),
])
def test_a_template_error_names_the_template_file_and_line(templates, expected, tmp_path):
    """A syntax error carried its file (absolute) and line; an error while rendering had
    neither, and was placed at 'templates'."""
    root = make_edition(tmp_path / "ed", notes=NOTES)
    (root / "templates").mkdir()
    for name, text in templates.items():
        (root / "templates" / name).write_text(text, encoding="utf-8")
    result = run_cli("build", cwd=root)
    assert result.returncode == 3, result.stderr
    assert result.stderr.splitlines()[0] == expected
    assert "Traceback" not in result.stderr and not (root / "output").exists()


def test_notes_that_fit_nowhere_are_reported_at_the_pages_first_note(tmp_path, monkeypatch):
    """L102 named annotations/notes.yaml and no line; it points at the first note of the page."""
    from glossator import layout, render
    from glossator.pipeline import check

    edition = check(make_edition(tmp_path / "ed", notes=NOTES)).edition
    assert [n.where for n in edition.notes] == [Where("annotations/notes.yaml", 1, 3),
                                                Where("annotations/notes.yaml", 5, 3)]
    # Note 1 is on page 1, note 2 alone on page 2, where it cannot fit.
    wanted = [layout.Wanted(n.number, page, 100.0, 900.0, n.block) for page, n in enumerate(edition.notes)]
    overflow = layout.Overflow(1, wanted[1], (wanted[1],))
    monkeypatch.setattr(render, "wanted_notes", lambda *args: wanted)
    monkeypatch.setattr(render.layout, "place", lambda *args: ({}, [overflow]))
    monkeypatch.setattr(render, "footnote_tops", lambda *args: {})
    monkeypatch.setattr(render, "choose_break", lambda *args: None)  # no page break helps,
    monkeypatch.setattr(render, "move_notes", lambda *args: False)  # and no note can move
    with pytest.raises(RenderError) as raised:
        render.decide(edition, PAPERS["letter"], measured=None, plan=render.Plan(), heights={})
    (found,) = raised.value.findings
    assert (found.code, found.path, found.line, found.message) == (
        "L102", "annotations/notes.yaml", 5, "page 2: notes do not fit beside the text even after moving text "
        "to the next page")
