"""Reading a built PDF's glossary as a reader sees it: its pages, their two columns, the
entries in each (an entry starts at a line whose first glyph is bold: its term)."""
from __future__ import annotations

from dataclasses import dataclass

from pdfcheck import Glyph, glyphs, lines_of, read_pdf


@dataclass
class Column:
    lines: list[list[Glyph]]  # top to bottom, each left to right

    @property
    def terms(self) -> list[str]:
        """The bold text of each entry that starts in the column (its term, spaces left out)."""
        runs, bold = [], False
        for glyph in (g for line in self.lines for g in line):
            if glyph.font.endswith("Bold"):
                runs[-1:] = [runs[-1] + glyph.text] if bold else [*runs[-1:], glyph.text]
            bold = glyph.font.endswith("Bold")
        return runs

    def starts_with_term(self) -> bool:
        return self.lines[0][0].font.endswith("Bold")

    @property
    def top(self) -> float:
        return min(g.top for g in self.lines[0])

    @property
    def bottom(self) -> float:
        return max(g.bottom for g in self.lines[-1])


def glossary_columns(pdf_path) -> list[list[Column]]:
    """Each glossary page's columns, left then right; on its first page, below the
    heading and the introduction (what stands above the first term)."""
    pages = []
    with read_pdf(pdf_path) as pdf:
        for page in pdf.pages:
            if "Glossary" not in (page.extract_text() or "").split("\n")[0]:
                continue
            chars = [g for g in glyphs(page) if 40 < g.top < page.height - 50]  # not the running head, nor the folio
            first_term = min(g.top for g in chars if g.font.endswith("Bold"))
            chars = [g for g in chars if g.top >= first_term - 1]
            halves = ([g for g in chars if g.x0 < page.width / 2], [g for g in chars if g.x0 >= page.width / 2])
            pages.append([Column(lines_of(half)) for half in halves if half])
    return pages

