"""A one-off `glossator build` keeps nothing for a next build: its renderer lets every
layout go once the PDF is drawn (a long edition's boxes are most of its memory), and
writes what a renderer that keeps them writes (test_warm.py: every rebuild against a
cold build's bytes)."""
from __future__ import annotations

from conftest import make_edition
from glossator import render
from glossator.pipeline import build
from test_reuse import outputs

NOTES = """\
- id: sofa
  quote: Status of Forces Agreement
  body: A note about the agreement.
"""


def test_a_one_off_build_lets_its_layouts_go_and_writes_what_a_kept_renderer_writes(tmp_path, monkeypatch):
    root = make_edition(tmp_path / "edition", notes=NOTES)
    made = []

    class Spied(render.Renderer):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(render, "Renderer", Spied)
    build(root, tmp_path / "one-off")
    [renderer] = made
    assert not renderer.keep
    assert renderer.reuse.layouts == {} and renderer.reuse.lines == {} and renderer.pdfs == {} and renderer.drawn == {}
    kept = Spied(root)
    build(root, tmp_path / "kept", renderer=kept)
    assert kept.reuse.layouts and kept.reuse.lines and kept.pdfs and kept.drawn  # `watch`'s renderer keeps them
    assert outputs(tmp_path / "one-off") == outputs(tmp_path / "kept")
