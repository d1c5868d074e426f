"""Station 4, render: Edition -> HTML (Jinja2) -> laid-out pages (WeasyPrint) -> PDF bytes.

WeasyPrint lays the document out with every note at the top of its page, so
that each note's height and each call's line can be read from `page.anchors`.
The placement pass (layout.py) then decides where every note goes; where a
page cannot hold its notes, the paragraph holding the first note that does not
fit starts a new page and the measuring is done again. The last pass renders
with the notes in place, and checks that nothing moved.

Only this module imports WeasyPrint (and only when a build runs), so
`glossator check` stays fast.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import jinja2

from . import __version__, layout
from .errors import RenderError, finding
from .model import PX_PER_PT, Edition, Geometry, Options, Where

THEME = Path(str(resources.files("glossator") / "theme"))
TEMPLATES = Path(str(resources.files("glossator") / "templates"))
MAX_PASSES = 40  # each pass moves at least one paragraph to a new page; the article has fewer


@dataclass
class Rendered:
    pdf: bytes
    html: str
    pages: int
    passes: int
    timings: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Measured:
    """What one layout pass tells: where things landed, by element id."""
    page_of: dict  # element id -> 0-based page index (first page it appears on)
    boxes: dict  # element id -> (x1, y1, x2, y2) in px, on that page
    page_count: int


class Renderer:
    """Holds what is worth keeping between builds: templates, parsed CSS, loaded fonts."""

    def __init__(self, root: Path):
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        self.root = root
        self.fetcher = make_fetcher(root)
        self.font_config = FontConfiguration()
        self.css_files = [THEME / "glossator.css", *sorted((root / "styles").glob("*.css"))]
        self.stylesheets = [CSS(filename=str(p), font_config=self.font_config, url_fetcher=self.fetcher)
                            for p in self.css_files]
        loaders = [jinja2.FileSystemLoader(str(root / "templates")), jinja2.FileSystemLoader(str(TEMPLATES))]
        self.env = jinja2.Environment(loader=jinja2.ChoiceLoader(loaders), autoescape=True,
                                      undefined=jinja2.StrictUndefined, keep_trailing_newline=True)

    # --- the passes ---------------------------------------------------------------

    def render(self, edition: Edition, geometry: Geometry, options: Options) -> Rendered:
        timings: dict[str, float] = {}
        breaks: list[str] = []
        passes = 0
        while True:
            passes += 1
            start = time.perf_counter()
            html = self.html(edition, geometry, options, breaks=breaks)
            measured = measure(self.layout(html), edition)
            timings.setdefault("measure", time.perf_counter() - start)
            placed, overflows = layout.place(wanted_notes(edition, measured), *note_area(geometry),
                                             geometry.note_gap * PX_PER_PT)
            too_tall = [n for n in edition.notes if measured.boxes[f"note-{n.number}"][3]
                        - measured.boxes[f"note-{n.number}"][1] > (geometry.area_height * PX_PER_PT)]
            if too_tall:
                raise RenderError([finding("L101", Where("annotations/notes.yaml"), number=n.number, id=n.id)
                                   for n in too_tall])
            if not overflows:
                break
            new_break = choose_break(overflows[0], edition, measured, breaks)
            if new_break is None or passes >= MAX_PASSES:
                raise RenderError([finding("L102", Where("annotations/notes.yaml"), page=overflows[0].page + 1)])
            breaks.append(new_break)

        start = time.perf_counter()
        placement = placement_css(edition, measured, placed, geometry, options)
        page_of = {k: v + 1 for k, v in measured.page_of.items()}
        final_args = dict(breaks=breaks, placement_css=placement, page_of=page_of)
        html = self.html(edition, geometry, options, **final_args)
        document = self.layout(html)
        final = measure(document, edition)
        verify(final, measured, placed, edition)
        timings["place"] = time.perf_counter() - start
        start = time.perf_counter()
        pdf = write_pdf(document)
        timings["write"] = time.perf_counter() - start
        page_html = self.html(edition, geometry, options, inline_css=self.inline_css(), **final_args)
        return Rendered(pdf, page_html, len(document.pages), passes + 1, timings)

    def html(self, edition, geometry, options, breaks=(), placement_css="", page_of=None, inline_css=""):
        page_of = page_of or {}
        try:
            template = self.env.get_template("edition.html.j2")
            return template.render(
                edition=edition, geometry=geometry, options=options, breaks=breaks,
                placement_css=placement_css, inline_css=inline_css, page_of=page_of,
                term_pages=term_pages(edition, page_of), generator=f"Glossator {__version__}",
            )
        except jinja2.TemplateError as exc:
            where = Where(getattr(exc, "filename", None) or "templates", getattr(exc, "lineno", 0) or 0)
            raise RenderError([finding("R101", where, reason=str(exc))]) from exc

    def layout(self, html: str):
        from weasyprint import HTML

        try:
            with _quiet_weasyprint():
                return HTML(string=html, base_url=str(THEME) + "/", url_fetcher=self.fetcher).render(
                    font_config=self.font_config, stylesheets=self.stylesheets)
        except Exception as exc:  # WeasyPrint raises many kinds; all mean the same to the user
            raise RenderError([finding("R102", Where("styles"), reason=f"{type(exc).__name__}: {exc}")]) from exc

    def inline_css(self) -> str:
        return "\n".join(p.read_text(encoding="utf-8") for p in self.css_files)


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
    return Measured(page_of, boxes, len(document.pages))


def wanted_notes(edition: Edition, measured: Measured) -> list[layout.Wanted]:
    wanted = []
    for note in edition.notes:
        line = measured.boxes[f"line-{note.number}"]
        box = measured.boxes[f"note-{note.number}"]
        wanted.append(layout.Wanted(note.number, measured.page_of[f"line-{note.number}"],
                                    line[1], box[3] - box[1], note.block))
    return wanted


def note_area(geometry: Geometry) -> tuple[float, float]:
    """Top and bottom of the page area, in px: the note column's vertical extent."""
    return geometry.top * PX_PER_PT, (geometry.height - geometry.bottom) * PX_PER_PT


def choose_break(overflow: layout.Overflow, edition: Edition, measured: Measured, breaks: list[str]):
    """The id of a paragraph to start on a new page so the overflowing page sheds notes."""
    for note in overflow.left_out:
        block_id = edition.blocks[note.block].id
        if block_id in breaks:
            continue
        starts_on = measured.page_of.get(block_id)
        first_on_page = min((measured.boxes[b.id][1] for b in edition.blocks
                             if measured.page_of.get(b.id) == overflow.page), default=None)
        starts_at_top = starts_on == overflow.page and measured.boxes[block_id][1] <= (first_on_page or 0)
        if not starts_at_top:
            return block_id
    return None


def is_recto(page: int, options: Options) -> bool:
    """Odd pages (index 0, 2, ...) are right-hand pages; simplex puts every note on the right."""
    return page % 2 == 0 or not options.duplex


def placement_css(edition: Edition, measured: Measured, placed: dict, geometry: Geometry,
                  options: Options) -> str:
    rules = []
    top_px = geometry.top * PX_PER_PT
    for note in edition.notes:
        spot = placed[note.number]
        left = geometry.text + geometry.gap if is_recto(spot.page, options) else -(geometry.gap + geometry.notes)
        rules.append(f"#note-{note.number} {{ top: {spot.top - top_px:.3f}px; left: {left:.3f}pt; }}")
    for block in edition.blocks:
        pnum = f"pnum-{block.number}"
        if block.number and pnum in measured.page_of and not is_recto(measured.page_of[pnum], options):
            rules.append(f"#{pnum} {{ left: {geometry.text + 8:.3f}pt; text-align: left; }}")
    return "\n".join(rules)


def term_pages(edition: Edition, page_of: dict) -> dict:
    """term id -> [(page, first occurrence on that page)], pages in order, each once."""
    out = {}
    for term in edition.glossary:
        seen = {}
        for target in term.occurrences:
            page = page_of.get(target)
            if page is not None and page not in seen:
                seen[page] = target
        out[term.id] = sorted(seen.items())
    return out


def verify(final: Measured, measured: Measured, placed: dict, edition: Edition) -> None:
    """The last pass must put every call on the page it was measured on, every note where placed."""
    moved = []
    for note in edition.notes:
        call = f"call-{note.number}"
        box = final.boxes.get(f"note-{note.number}")
        spot = placed[note.number]
        if final.page_of.get(call) != measured.page_of[call] or final.page_of.get(f"note-{note.number}") != spot.page:
            moved.append(f"note {note.number} changed page")
        elif box is None or abs(box[1] - spot.top) > 0.5:
            moved.append(f"note {note.number} is not where it was placed")
    for target, page in measured.page_of.items():
        if (target.startswith("g-") or target.startswith("at-")) and final.page_of.get(target) != page:
            moved.append(f"{target} changed page")
    if moved:
        raise RenderError([finding("R103", None, reason="; ".join(moved))])


def write_pdf(document) -> bytes:
    try:
        return document.write_pdf()
    except Exception as exc:
        raise RenderError([finding("R102", None, reason=f"{type(exc).__name__}: {exc}")]) from exc


# --- resources ----------------------------------------------------------------------------------

def make_fetcher(root: Path):
    """A URL fetcher that reads only the edition folder, the theme, and data: URLs."""
    from weasyprint.urls import URLFetcher

    allowed = [root.resolve(), THEME.resolve()]

    class EditionFetcher(URLFetcher):
        refused: list[str] = []

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith("file:"):
                from urllib.request import url2pathname
                path = Path(url2pathname(url.split("?")[0].split("#")[0].removeprefix("file://"))).resolve()
                if any(path.is_relative_to(base) for base in allowed) and path.is_file():
                    return super().fetch(url, headers)
            self.refused.append(url)
            raise ValueError(f"Glossator reads no resources outside the edition: {url}")

    return EditionFetcher(allow_redirects=False)


class _quiet_weasyprint:
    """WeasyPrint logs CSS it ignores; the build reports its own errors instead."""

    def __enter__(self):
        self.logger = logging.getLogger("weasyprint")
        self.level = self.logger.level
        self.logger.setLevel(logging.CRITICAL)

    def __exit__(self, *exc):
        self.logger.setLevel(self.level)
