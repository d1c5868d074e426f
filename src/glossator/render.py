"""Station 4, render: Edition -> HTML (Jinja2) -> laid-out pages (WeasyPrint) -> PDF bytes.

WeasyPrint lays the article's body out with its margin notes left empty, so that
each call's line (`page.anchors`) and every line of text (lines.py) can be read
back, and the notes on a sheet of their own, for their heights. The placement
pass (layout.py, plan.py) then decides where every note goes; where a page cannot
hold its notes, a new page starts before the line of the first note that does not
fit, and the pagination that follows is predicted rather than laid out again
(paginate.py). The body is laid out again with the notes in place and checked
against the prediction; where it differs, the pass goes round again from what was
really laid out. The appendices, which give the body's page numbers, are laid out
last, on their own, and their pages follow the body's in the PDF.

Between builds the Renderer keeps each layout, note height and font subset
(reuse.py), so a rebuild redoes only what an edit changed.

Only this module, reuse.py and fetch.py import WeasyPrint (and only when a build
runs), so `glossator check` stays fast.
"""
from __future__ import annotations

import dataclasses
import functools
import logging
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import jinja2
from markupsafe import Markup

from . import __version__, layout
from .balance import balanced_title
from .lines import Measured, paragraph_lines, short_lines
from .paginate import Predictor
from .errors import RenderError, finding
from .model import PX_PER_PT, Edition, Geometry, Options, Where
from .plan import BACK_MATTER, Plan, choose_break, move_notes, number_lines, placement_css, word_place
from .reuse import Reuse
from .sandbox import BoundedSandbox, TemplateFolder, template_errors
from .styles import inlined, read_stylesheets
from .timeline import build_timeline
from .unbreakable import mark_unbreakable

THEME = Path(str(resources.files("glossator") / "theme"))
TEMPLATES = Path(str(resources.files("glossator") / "templates"))
MAX_PASSES = 40  # rounds of placement; one is the rule, a second where a prediction was off


@dataclass
class Rendered:
    pdf: bytes
    html: str
    pages: int
    layouts: int  # WeasyPrint layouts made for this build...
    reused: int  # ...and kept from the build before
    warnings: tuple = ()


class Renderer:
    """Holds what is worth keeping between builds: templates, parsed CSS, loaded fonts."""

    def __init__(self, root: Path):
        from weasyprint import CSS

        from .fetch import EditionFonts, make_fetcher

        self.root = root
        self.fetcher = make_fetcher(root)  # reads only inside the edition and the theme
        self.font_config = EditionFonts()  # the @font-face fonts only, none of the machine's
        self.sheets = read_stylesheets(root)  # regular UTF-8 files only, read once
        self.stylesheets = [CSS(string=sheet.text, base_url=sheet.path.as_uri(), font_config=self.font_config,
                                url_fetcher=self.fetcher) for sheet in self.sheets]
        self.fetcher.check()  # what @import and @font-face asked for, refused: an error now
        self.template_folders = (root / "templates", TEMPLATES)
        loaders = [TemplateFolder(str(folder)) for folder in self.template_folders]
        # Sandboxed: an edition's own templates may not reach Python objects (and through
        # them files, processes, the network), nor work without bound (sandbox.py):
        # editions are shared between strangers.
        self.env = BoundedSandbox(loader=jinja2.ChoiceLoader(loaders), autoescape=True,
                                  undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
        self.env.globals["coalesce"] = coalesce
        self.env.filters["balanced_title"] = balanced_title
        self.reuse = Reuse()  # layouts, note heights and font subsets, kept for the next build

    # --- the passes ---------------------------------------------------------------

    def render(self, edition: Edition, geometry: Geometry, options: Options) -> Rendered:
        """Lay the body out with its notes placed, then the appendices, which point back at
        the body's pages; write the PDF."""
        self.reuse.counts()
        body, measured, plan, final_args = self.lay_out_body(edition, geometry, options)
        document = self.with_appendices(body, edition, geometry, options, final_args)
        layouts, reused = self.reuse.counts()
        warnings = short_line_warnings(edition, measured, geometry) + tuple(
            finding("L101", Where("annotations/notes.yaml"), number=n.number, id=n.id)
            for n in edition.notes if n.number in plan.footnotes)
        pdf = self.write_pdf(document)
        page_html = self.html(edition, geometry, options, part="all", inline_css=self.inline_css(), **final_args)
        return Rendered(pdf, page_html, len(document.pages), layouts, reused, warnings)

    def lay_out_body(self, edition: Edition, geometry: Geometry, options: Options):
        """Measure, place the notes, lay the body out with the notes in place and check that
        nothing moved: (the body's layout, its measurement, the plan, the template's arguments).

        The lines are measured from a layout of the body whose margin notes are empty, the
        notes' heights from a sheet of notes laid out on their own (reuse.py keeps both, so
        an edit to one note re-measures only that note). The placement pass decides every
        page break from the measurement, predicting the pagination (paginate.py), and the
        next layout is the final one: if it shows the prediction wrong anywhere, the pass
        goes round again from what was really laid out.
        """
        plan, measured, heights, problems = Plan(), None, {}, []
        for _ in range(MAX_PASSES):
            if measured is None:
                measured = self.measure_text(edition, geometry, options, plan)
                heights = self.measure_notes(edition, geometry, options, plan)
                too_tall = too_tall_notes(heights, geometry)
                if too_tall:  # taller than a page's note column: set them as footnotes
                    plan.footnotes |= too_tall
                    measured = None
                    continue
            decided = decide(edition, geometry, measured, plan, heights)
            if decided is None:  # notes were moved to another page: measure them again
                measured = None
                continue
            expected, placed = decided
            if options.line_numbers:
                plan.line_numbers = number_lines(edition, expected)
            final_args = dict(plan=plan, refs=page_refs(edition, expected),
                              placement_css=placement_css(edition, expected, placed, geometry, options, plan))
            body, measured = self.reuse.layout("body", self.html(edition, geometry, options, part="body", **final_args),
                                               lambda html: self.measured_layout(html, edition))
            late = {n: page for n, page in late_footnotes(measured, plan).items() if n not in plan.footnotes_from}
            if late:  # label them with their call's page; the label makes them taller: measure again
                plan.footnotes_from.update(late)
                measured = None
                continue
            problems = discrepancies(measured, expected, placed, edition)
            if not problems:
                return body, measured, plan, final_args
        raise RenderError([finding("R103", None, reason="; ".join(problems) or "too many passes")])

    def measure_text(self, edition: Edition, geometry: Geometry, options: Options, plan: Plan) -> Measured:
        """Where every line, call and block of the body lands with the plan's page breaks
        (the margin notes, out of the flow, play no part in it)."""
        html = self.html(edition, geometry, options, part="text", plan=plan)
        return self.reuse.layout("text", html, lambda html: measure(self.layout(html), edition))

    def measure_notes(self, edition: Edition, geometry: Geometry, options: Options, plan: Plan) -> dict[int, float]:
        """Each margin note's height, in px, as it will be set (in its block's kind of element,
        headed "continued from" if it moved); footnotes are left out."""
        entries = {n.number: (n, plan.moved[n.number][1] if n.number in plan.moved else None,
                              sheet_container(edition, n, plan))
                   for n in edition.notes if n.number not in plan.footnotes}
        sheets = {number: self.html(edition, geometry, options, part="notes", sheet=[entry])
                  for number, entry in entries.items()}

        def measure_sheet(numbers: list[int]) -> dict[int, float]:
            html = self.html(edition, geometry, options, part="notes", sheet=[entries[n] for n in numbers])
            anchors = self.layout(html).pages[0].anchors
            return {n: anchors[f"note-{n}"][3] - anchors[f"note-{n}"][1] for n in numbers}

        return self.reuse.note_heights(sheets, measure_sheet)

    def measured_layout(self, html: str, edition: Edition):
        document = self.layout(html)
        return document, measure(document, edition)

    def with_appendices(self, body, edition: Edition, geometry: Geometry, options: Options, final_args: dict):
        """The body's pages followed by the appendices', laid out on their own from the page
        after the body's last: an edit that leaves their page references alone leaves them
        as they were, and the layout is reused."""
        if not (edition.glossary or edition.chronology):
            return body
        html = self.html(edition, geometry, options, part="appendices", first_page=len(body.pages) + 1, **final_args)
        appendices = self.reuse.layout("appendices", html, self.layout)
        return body.copy(body.pages + appendices.pages)

    def write_pdf(self, document) -> bytes:
        from .reuse import subsets_kept

        try:
            with subsets_kept(self.reuse.subsets):
                pdf = document.write_pdf()
        except Exception as exc:
            raise RenderError([finding("R102", None, reason=f"{type(exc).__name__}: {exc}")]) from exc
        self.fetcher.check()  # images inside SVG are fetched only while the PDF is drawn
        return pdf

    def html(self, edition, geometry, options, part="all", plan=None, placement_css="", refs=None, inline_css="",
             sheet=(), first_page=1):
        plan = plan or Plan()
        term_pages, event_pages = refs or ({}, {})
        with_body = part in ("all", "body", "text")
        with template_errors(self.root, self.template_folders):  # R101, R105 at the template's line
            template = self.env.get_template("edition.html.j2")
            html = self.env.render(
                template,
                edition=edition, geometry=geometry, options=options, part=part, breaks=plan.breaks,
                splits=plan.splits(edition) if with_body else {},
                split_blocks=plan.split_blocks(edition) if with_body else set(),
                hosted=plan.hosted(), moved=plan.moved, line_numbers=plan.line_numbers,
                kept_words=plan.kept_words(edition) if with_body else set(), footnotes=plan.footnotes,
                footnotes_from=plan.footnotes_from,
                placement_css=placement_css, inline_css=inline_css, term_pages=term_pages,
                event_pages=event_pages, generator=f"Glossator {__version__}", sheet=sheet, first_page=first_page,
                timeline=timeline_for(edition, geometry) if part in ("all", "appendices") else None,
            )
        return mark_unbreakable(html)  # words no line can hold may break between letters

    def layout(self, html: str):
        from weasyprint import HTML

        try:
            with _quiet_weasyprint():
                document = HTML(string=html, base_url=str(THEME) + "/", url_fetcher=self.fetcher).render(
                    font_config=self.font_config, stylesheets=self.stylesheets)
        except Exception as exc:  # WeasyPrint raises many kinds; all mean the same to the user
            raise RenderError([finding("R102", Where("styles"), reason=f"{type(exc).__name__}: {exc}")]) from exc
        self.fetcher.check(document)  # refused resources and attachments are errors, not log lines
        return document

    def inline_css(self) -> Markup:
        """The stylesheets, for the HTML edition's <style>, with the edition's files they name
        as data: URLs (styles.inlined; refused ones are X101 errors): trusted as CSS, but no
        "</" may close the element early."""
        from .fetch import Refusal

        def refuse(url: str, reason: str) -> None:
            self.fetcher.refused.append(Refusal(url, reason))

        css = "\n".join(inlined(sheet, self.fetcher.readable, refuse) for sheet in self.sheets)
        self.fetcher.check()
        return Markup(css.replace("</", "<\\/"))


@functools.cache  # the package's own files: read once per process, not on every rebuild
def html_assets() -> dict[str, bytes]:
    """The files the HTML edition's stylesheet links to, by their path beside it: the
    shipped fonts (url(fonts/...)) and their licence, which must travel with them."""
    return {f"fonts/{p.name}": p.read_bytes() for p in sorted((THEME / "fonts").iterdir())
            if p.suffix in (".otf", ".ttf", ".txt")}


# --- measuring --------------------------------------------------------------------------

def measure(document, edition: Edition) -> Measured:
    page_of, boxes = {}, {}
    for index, page in enumerate(document.pages):
        for name, box in page.anchors.items():
            if name not in page_of:
                page_of[name], boxes[name] = index, box
    missing = [f"call-{n.number}" for n in edition.notes if f"call-{n.number}" not in page_of]
    if missing:
        raise RenderError([finding("R103", None, reason=f"calls not laid out: {', '.join(missing)}")])
    return Measured(page_of, boxes, len(document.pages), paragraph_lines(document, paragraph_parts(edition)))


def paragraph_parts(edition: Edition) -> dict:
    """Element id -> (paragraph id, paragraph text), for each paragraph and each part it may be split into."""
    parts = {}
    for block in edition.blocks:
        if block.kind != "paragraph":
            continue
        text = "".join(p.text for p in block.pieces if p.kind == "text")
        parts[block.id] = (block.id, text)
        for piece in block.pieces:
            if piece.kind == "word":
                parts[f"{piece.target}-cont"] = (block.id, text)
    return parts


def timeline_for(edition: Edition, geometry: Geometry):
    """The chronology drawn to scale across the appendix page's full width."""
    labels = {e.id: Markup(e.event_html).striptags() for e in edition.chronology}
    return build_timeline(edition.chronology, geometry.width - geometry.inside - geometry.outside, labels)


def short_line_warnings(edition: Edition, measured: Measured, geometry: Geometry) -> tuple:
    found = []
    for block in edition.blocks:
        for line in short_lines(measured.lines.get(block.id, []), geometry.text * PX_PER_PT):
            text = "".join(p.text for p in block.pieces if p.kind == "text")
            found.append(finding("L103", Where("source/article.md"), paragraph=block.number, page=line.page + 1,
                                 start=" ".join(text[line.start:].split()[:3])))
    return tuple(found)


def too_tall_notes(heights: dict[int, float], geometry: Geometry) -> set[int]:
    """The notes too tall for a page's note column, which can never be placed whole beside the text."""
    limit = geometry.area_height * PX_PER_PT - 2.0
    return {number for number, height in heights.items() if height >= limit}


def sheet_container(edition: Edition, note, plan: Plan) -> str:
    """The kind of element a note sits in where it is set (its styles may reach the note):
    its call's block, or for a note moved to another page, the block hosting it there."""
    if note.number not in plan.moved:
        return edition.blocks[note.block].kind
    host = plan.moved[note.number][0]
    if host == BACK_MATTER:
        return "back-matter"
    block_id = word_place(host)[0]
    return next(b.kind for b in edition.blocks if b.id == block_id)


def decide(edition: Edition, geometry: Geometry, measured: Measured, plan: Plan, heights: dict):
    """(expected measurement, placements) once every page holds its notes, deciding the page
    breaks on predicted pagination; None if notes had to move to another page (they must
    be measured again) or a prediction needs checking for real. Raises L102 if a page's
    notes can go nowhere."""
    area, gap = note_area(geometry), geometry.note_gap * PX_PER_PT
    predicted, predictor = measured, None
    for _ in range(len(edition.notes) + MAX_PASSES):  # a break for each note at most, and some to spare
        placed, overflows = layout.place(wanted_notes(edition, predicted, plan, geometry, heights), *area, gap,
                                         footnote_tops(edition, predicted, measured, plan, area[1], gap))
        if not overflows:
            return predicted, placed
        new_break = choose_break(overflows[0], edition, predicted, plan.breaks)
        if new_break is None:
            break
        plan.breaks.append(new_break)
        predictor = predictor or Predictor(edition, measured, area)
        predicted = predictor.predict(plan.breaks)
    if predicted is not measured:
        return None  # a predicted page that breaks cannot mend: see it laid out for real
    if move_notes(overflows[0], edition, measured, plan):
        return None
    raise RenderError([finding("L102", Where("annotations/notes.yaml"), page=overflows[0].page + 1)])


def wanted_notes(edition: Edition, measured: Measured, plan: Plan, geometry: Geometry,
                 heights: dict[int, float]) -> list[layout.Wanted]:
    """Each note's page and the top it wants: level with its call's line, or, for a note
    moved to the next page, the top of the page where it rides."""
    wanted = []
    for note in edition.notes:
        if note.number in plan.footnotes:
            continue
        if note.number in plan.moved:
            host = plan.moved[note.number][0]
            page = measured.page_of[host] if host == BACK_MATTER else page_at(measured, *word_place(host)) - 1
            top = geometry.top * PX_PER_PT
        else:
            page = measured.page_of[f"line-{note.number}"]
            top = measured.boxes[f"line-{note.number}"][1]
        wanted.append(layout.Wanted(note.number, page, top, heights[note.number], note.block,
                                    note.number in plan.moved))
    return wanted


def note_area(geometry: Geometry) -> tuple[float, float]:
    """Top and bottom of the page area, in px: the note column's vertical extent."""
    # A hair above the bottom: WeasyPrint splits an absolute box whose bottom passes the
    # page area's edge by a rounding error, carrying its last line to the next page.
    return geometry.top * PX_PER_PT, (geometry.height - geometry.bottom) * PX_PER_PT - 1.0


def page_at(measured: Measured, block_id: str, offset: int) -> int | None:
    """The 1-based page on which the character at `offset` of paragraph `block_id` was laid out."""
    lines = measured.lines.get(block_id, [])
    line = next((line for line in reversed(lines) if line.start <= offset), None)
    return line.page + 1 if line else None


def page_refs(edition: Edition, measured: Measured) -> tuple[dict, dict]:
    """term id -> [(page, paragraph id)], each page once, in order; event id -> page."""
    terms = {}
    for term in edition.glossary:
        seen = {}
        for block_id, offset in term.occurrences:
            page = page_at(measured, block_id, offset)
            if page is not None:
                seen.setdefault(page, block_id)
        terms[term.id] = sorted(seen.items())
    events = {e.id: page_at(measured, *e.place) for e in edition.chronology if e.place}
    return terms, {k: v for k, v in events.items() if v is not None}


def coalesce(pieces, kept_words) -> list:
    """Pieces ready to print: word markers dropped unless the paragraph is split there,
    and neighbouring text of the same style merged, so that a styled phrase is one
    inline box (fewer boxes, fewer chances for WeasyPrint's line breaker to stumble)."""
    out = []
    for piece in pieces:
        if piece.kind == "word" and piece.target not in kept_words:
            continue
        last = out[-1] if out else None
        if (piece.kind == "text" and last is not None and last.kind == "text" and piece.target is None
                and _style(piece) == _style(last)):
            out[-1] = dataclasses.replace(last, text=last.text + piece.text)
            continue
        if last is not None and last.kind == "text" and last.text[-1:].isspace() and _style(last) == _PLAIN:
            # WeasyPrint 70 can miss the break opportunity at a space that ends one
            # inline box when the next begins an element (issue #1614), and then breaks
            # the line after its first word. A zero-width space after the space gives it
            # a break opportunity it does not miss.
            out[-1] = dataclasses.replace(last, text=last.text + ZWSP)
        out.append(piece)
    return out


ZWSP = "\u200b"
_PLAIN = (False, False, None, False, None, False)


def _style(piece) -> tuple:
    return (piece.em, piece.strong, piece.href, piece.caps, piece.term, piece.first_use)


def late_footnotes(final: Measured, plan: Plan) -> dict[int, int]:
    """Footnotes WeasyPrint set at the foot of a page after their call's (there was no room
    left on it): note number -> the call's page, 1-based, for a "Note N, from p. M" label."""
    found = {}
    for number in plan.footnotes:
        call, note = final.page_of.get(f"call-{number}"), final.page_of.get(f"note-{number}")
        if call is not None and note is not None and note > call:
            found[number] = call + 1
    return found


def footnote_tops(edition: Edition, predicted: Measured, measured: Measured, plan: Plan, bottom: float,
                  gap: float) -> dict[int, float]:
    """page -> how low margin notes may reach on a page whose foot holds footnotes."""
    tops: dict[int, float] = {}
    for number in plan.footnotes:
        box = measured.boxes.get(f"note-{number}")
        page = predicted.page_of.get(f"call-{number}")
        if box is not None and page is not None:
            rule = 4.0 * PX_PER_PT + 8.0  # the footnote area's rule, padding and the note's margin
            tops[page] = min(tops.get(page, bottom), bottom - (box[3] - box[1]) - rule - gap)
    return tops


def discrepancies(final: Measured, expected: Measured, placed: dict, edition: Edition) -> list[str]:
    """Where the layout differs from what the notes were placed for (empty: nothing moved)."""
    found = []
    for note in edition.notes:
        if note.number not in placed:  # a footnote: on its call's page, or the next if no room
            call_page = final.page_of.get(f"call-{note.number}")
            if final.page_of.get(f"note-{note.number}") not in (call_page, (call_page or 0) + 1):
                found.append(f"footnote {note.number} is far from its call")
            continue
        line, box, spot = f"line-{note.number}", final.boxes.get(f"note-{note.number}"), placed[note.number]
        if final.page_of.get(line) != expected.page_of[line] or abs(final.boxes[line][1] - expected.boxes[line][1]) > 0.5:
            found.append(f"the call of note {note.number} moved")
        elif final.page_of.get(f"note-{note.number}") != spot.page or box is None or abs(box[1] - spot.top) > 0.5:
            found.append(f"note {note.number} is not where it was placed")
        elif abs((box[3] - box[1]) - spot.height) > 0.5:
            found.append(f"note {note.number} was cut at the foot of its page")
    if page_refs(edition, final) != page_refs(edition, expected):
        found.append("a glossary or chronology page reference changed")
    return found


# --- resources ----------------------------------------------------------------------------------

class _quiet_weasyprint:
    """WeasyPrint logs CSS it ignores; the build reports its own errors instead."""

    def __enter__(self):
        self.logger = logging.getLogger("weasyprint")
        self.level = self.logger.level
        self.logger.setLevel(logging.CRITICAL)

    def __exit__(self, *exc):
        self.logger.setLevel(self.level)
