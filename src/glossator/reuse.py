"""What a Renderer keeps from one build to the next, so that a rebuild lays out only
what an edit changed (`glossator watch`, the editor's loop).

Everything kept is keyed by exactly what produced it: a layout by its whole HTML
(the stylesheets belong to the Renderer, which is replaced when they change), a
note's or a glossary entry's height by what its sheet is rendered from (the entry,
the edition's metadata, the geometry, the options and the templates' digest:
Renderer.sheet_inputs), a subset font by the font file, the glyphs kept and the
timestamp fontTools writes into it. So a
rebuild that reuses gives the same bytes as a cold build of the same files.

Each store keeps only what the last build used: memory stays bounded however
long a watch runs.
"""
from __future__ import annotations

from typing import Callable


class Reuse:
    def __init__(self):
        self.layouts: dict[str, tuple[str, object]] = {}  # role -> (its HTML, what came of it)
        self.heights: dict[tuple, float] = {}  # what a note's sheet is made from -> the note's height, px
        self.entries: dict[tuple, object] = {}  # what a glossary entry's sheet is made from -> its heights, px
        self.subsets: dict[tuple, bytes] = {}  # (font, glyphs, options) -> the subset font file
        self.lines: dict[tuple, tuple] = {}  # a line's text, style, width... -> how it broke (measure.lines_kept)
        self.lines_used: set[tuple] = set()  # the lines looked up by the layout being made, or by sheets
        self.lines_of: dict[str, set] = {}  # role -> the lines its layout looked up
        self.used: set[str] = set()  # the roles laid out or reused since the last forget_unused()
        self.made = 0  # layouts made since the counters were read...
        self.kept = 0  # ...and layouts reused

    def layout(self, role: str, html: str, make: Callable[[str], object]):
        """What make(html) gave the last time `role` was laid out from the same HTML,
        or make it now. One entry per role: "text", "body-3" (the body's page 3), "glossary"."""
        self.used.add(role)
        kept = self.layouts.get(role)
        if kept is not None and kept[0] == html:
            self.kept += 1
            return kept[1]
        self.layouts.pop(role, None)  # let the old layout go before the new one is made
        outside, self.lines_used = self.lines_used, set()
        try:
            value = make(html)
        finally:
            self.lines_of[role], self.lines_used = self.lines_used, outside | self.lines_used
        self.made += 1
        self.layouts[role] = (html, value)
        return value

    def forget_unused(self) -> None:
        """Let go of the layouts of roles the build did not use (the pages past a body's new end)."""
        self.layouts = {role: kept for role, kept in self.layouts.items() if role in self.used}
        self.lines_of = {role: keys for role, keys in self.lines_of.items() if role in self.layouts}
        # The lines of the layouts kept (a page laid out again breaks most of them as before),
        # and those looked up by this build's sheets.
        kept = self.lines_used.union(*self.lines_of.values())
        self.lines = {key: line for key, line in self.lines.items() if key in kept}
        self.used, self.lines_used = set(), set()

    def note_heights(self, inputs: dict, measure: Callable[[list], dict]) -> dict:
        """key -> height, measuring (on one sheet) only the notes whose sheet's inputs are new.
        inputs: key ((number, where)) -> what its sheet is made from (hashable)."""
        self.heights, heights = self._heights(self.heights, inputs, measure)
        return heights

    def entry_heights(self, inputs: dict, measure: Callable[[list], dict]) -> dict:
        """The same for the glossary's entries (term id -> heights), kept apart from the notes'."""
        self.entries, heights = self._heights(self.entries, inputs, measure)
        return heights

    def _heights(self, kept: dict, inputs: dict, measure: Callable[[list], dict]):
        """(what to keep: the height for each of the inputs given, no other; key -> height),
        measuring (on one sheet) only the keys whose inputs are new."""
        missing = [key for key, made_from in inputs.items() if made_from not in kept]
        if missing:
            self.made += 1
            kept = {**kept, **{inputs[key]: height for key, height in measure(missing).items()}}
        kept = {made_from: kept[made_from] for made_from in inputs.values()}
        return kept, {key: kept[made_from] for key, made_from in inputs.items()}

    def counts(self) -> tuple[int, int]:
        """(layouts made, layouts reused) since the last call."""
        counts = self.made, self.kept
        self.made = self.kept = 0
        return counts

