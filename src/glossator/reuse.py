"""What a Renderer keeps from one build to the next, so that a rebuild lays out only
what an edit changed (`glossator watch`, the editor's loop).

Everything kept is keyed by exactly what produced it: a layout by its whole HTML
(the stylesheets belong to the Renderer, which is replaced when they change), a
note's height by the HTML of the sheet it was measured on, a subset font by the
font file, the glyphs kept and the timestamp fontTools writes into it. So a
rebuild that reuses gives the same bytes as a cold build of the same files.

Each store keeps only what the last build used: memory stays bounded however
long a watch runs.
"""
from __future__ import annotations

from typing import Callable


class Reuse:
    def __init__(self):
        self.layouts: dict[str, tuple[str, object]] = {}  # role -> (its HTML, what came of it)
        self.heights: dict[str, float] = {}  # a note's sheet HTML -> the note's height, px
        self.entries: dict[str, object] = {}  # a glossary entry's sheet HTML -> its heights, px
        self.subsets: dict[tuple, bytes] = {}  # (font, glyphs, options) -> the subset font file
        self.used: set[str] = set()  # the roles laid out or reused since the last forget_unused()
        self.made = 0  # layouts made since the counters were read...
        self.kept = 0  # ...and layouts reused

    def layout(self, role: str, html: str, make: Callable[[str], object]):
        """What make(html) gave the last time `role` was laid out from the same HTML,
        or make it now. One entry per role: "text", "body-3" (the body's page 3), "appendices"."""
        self.used.add(role)
        kept = self.layouts.get(role)
        if kept is not None and kept[0] == html:
            self.kept += 1
            return kept[1]
        self.layouts.pop(role, None)  # let the old layout go before the new one is made
        value = make(html)
        self.made += 1
        self.layouts[role] = (html, value)
        return value

    def forget_unused(self) -> None:
        """Let go of the layouts of roles the build did not use (the pages past a body's new end)."""
        self.layouts = {role: kept for role, kept in self.layouts.items() if role in self.used}
        self.used = set()

    def note_heights(self, sheets: dict[int, str], measure: Callable[[list[int]], dict[int, float]]) -> dict[int, float]:
        """note number -> height, measuring (on one sheet) only the notes whose sheet is new."""
        self.heights, heights = self._heights(self.heights, sheets, measure)
        return heights

    def entry_heights(self, sheets: dict, measure: Callable[[list], dict]) -> dict:
        """The same for the glossary's entries (term id -> height), kept apart from the notes'."""
        self.entries, heights = self._heights(self.entries, sheets, measure)
        return heights

    def _heights(self, kept: dict[str, float], sheets: dict, measure: Callable[[list], dict]):
        """(what to keep: the height of each sheet given, no other; key -> height),
        measuring (on one sheet) only the keys whose sheet is new."""
        missing = [key for key, html in sheets.items() if html not in kept]
        if missing:
            self.made += 1
            kept = {**kept, **{sheets[key]: height for key, height in measure(missing).items()}}
        kept = {html: kept[html] for html in sheets.values()}
        return kept, {key: kept[html] for key, html in sheets.items()}

    def counts(self) -> tuple[int, int]:
        """(layouts made, layouts reused) since the last call."""
        counts = self.made, self.kept
        self.made = self.kept = 0
        return counts

