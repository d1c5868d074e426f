"""What a Renderer keeps between builds (reuse.py): a rebuild redoes only what an edit
changed, and gives the very bytes a cold build of the same files gives."""
from __future__ import annotations

import yaml

from conftest import copy_bundled, pdf_pages_text
from glossator.commands.build import build
from glossator.render import Renderer
from glossator.reuse import Reuse


def edit_yaml(path, change) -> None:
    items = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(items)
    path.write_text(yaml.safe_dump(items, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8")


def outputs(folder) -> dict:
    return {p.suffix: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def test_rebuilds_after_an_edit_reuse_what_it_left_alone_and_equal_a_cold_build(tmp_path):
    root = copy_bundled(tmp_path / "edition")
    renderer = Renderer(root)
    first = build(root, tmp_path / "first", renderer=renderer)
    assert first.reused == 0

    # A note grows by a sentence, with a glyph the edition had not used before.
    added = "Edited: about ½ of the note is new."
    edit_yaml(root / "annotations" / "notes.yaml", lambda notes: notes[0].update(body=notes[0]["body"] + " " + added))
    warm = build(root, tmp_path / "warm", renderer=renderer)
    cold = build(root, tmp_path / "cold")
    assert warm.layouts_said() == "2 layouts, 6 reused"  # the note's sheet and its page; text, 4 pages, appendices kept
    assert outputs(tmp_path / "warm") == outputs(tmp_path / "cold")
    assert "½" in "".join(pdf_pages_text(next((tmp_path / "warm").glob("*.pdf"))))
    assert cold.layouts > warm.layouts

    # A glossary definition changes: only the appendices are laid out again.
    edit_yaml(root / "annotations" / "glossary.yaml", lambda terms: terms[0].update(definition="A changed definition."))
    again = build(root, tmp_path / "again", renderer=renderer)
    build(root, tmp_path / "again-cold")
    assert again.layouts_said() == "2 layouts, 6 reused"  # the edited entry's sheet and the appendices
    assert outputs(tmp_path / "again") == outputs(tmp_path / "again-cold")
    assert "A changed definition." in " ".join(pdf_pages_text(next((tmp_path / "again").glob("*.pdf"))))


def test_a_layout_is_reused_only_for_the_same_html_and_only_the_last_is_kept():
    reuse, made = Reuse(), []
    make = lambda html: made.append(html) or f"laid out {html}"
    assert reuse.layout("body", "<p>a</p>", make) == "laid out <p>a</p>"
    assert reuse.layout("body", "<p>a</p>", make) == "laid out <p>a</p>"
    assert reuse.layout("text", "<p>a</p>", make) == "laid out <p>a</p>"  # another role, its own entry
    assert reuse.layout("body", "<p>b</p>", make) == "laid out <p>b</p>"
    assert made == ["<p>a</p>", "<p>a</p>", "<p>b</p>"]
    assert reuse.counts() == (3, 1)
    assert reuse.counts() == (0, 0)
    assert reuse.layouts["body"][0] == "<p>b</p>"


def test_note_heights_are_measured_once_per_sheet_and_forgotten_when_unused():
    reuse, asked = Reuse(), []

    def measure(numbers):
        asked.append(numbers)
        return {n: 10.0 * n for n in numbers}

    assert reuse.note_heights({1: "<one>", 2: "<two>"}, measure) == {1: 10.0, 2: 20.0}
    assert reuse.note_heights({1: "<one>", 2: "<two, edited>"}, measure) == {1: 10.0, 2: 20.0}
    assert asked == [[1, 2], [2]]  # one sheet each time, with only the notes that changed
    assert set(reuse.heights) == {"<one>", "<two, edited>"}
    assert reuse.counts() == (2, 0)
