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
last, each on its own, and their pages follow the body's in the PDF.

Between builds the Renderer keeps each layout, note height and font subset
(reuse.py), so a rebuild redoes only what an edit changed.

Only this module, reuse.py and fetch.py import WeasyPrint (and only when a build
runs), so `glossator check` stays fast.
"""
from __future__ import annotations

import dataclasses
import functools
import gc
import hashlib
import logging
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import jinja2
from markupsafe import Markup

from . import __version__, ids
from .balance import balanced_title
from .columns import places, set_columns
from .errors import RenderError, finding
from .model import BLEED_MM, PX_PER_PT, Edition, Geometry, Options, Where
from .placement.engine import discrepancies, note_area, page_refs, place, too_long
from .placement.measure import (backgrounds_kept, boxes_released, compressed_kept, lines_kept, measure,
                                pages_drawn_kept, paragraph_parts, short_lines, subsets_kept, tags_recorded)
from .placement.model import Measured
from .placement.pages import body_pages
from .placement.plan import Plan, placement_css
from .questions import question_pages
from .reuse import Reuse
from .sandbox import BoundedSandbox, TemplateFolder, template_errors
from .styles import counts_siblings, flows_across_pages, inlined, read_stylesheets
from .timeline import build_timeline
from .typography import ends_sentence, full_stop
from .unbreakable import mark_unbreakable
from .variants import statistics

THEME = Path(str(resources.files("glossator") / "theme"))
TEMPLATES = Path(str(resources.files("glossator") / "templates"))
PLACEMENT = "/* placed here */"  # stands in for them in a page's HTML: see lay_out_pages
_IDS = re.compile(r' id="([^"]+)"')  # an element's id, in HTML the templates made
MAX_PASSES = 40  # rounds of placement; one is the rule, a second where a prediction was off


@dataclass
class Rendered:
    pdf: bytes
    html: str
    pages: int
    layouts: int  # WeasyPrint layouts made for this build...
    reused: int  # ...and kept from the build before
    warnings: tuple = ()


@dataclass(frozen=True)
class GlossaryPage:
    """One page of the print glossary, laid out on its own (Renderer.glossary_pages)."""
    number: int  # 1-based, among the glossary's pages
    terms: tuple  # the entries it holds (model.ComposedTerm), in order


class Renderer:
    """Holds what is worth keeping between builds: templates, parsed CSS, loaded fonts."""

    def __init__(self, root: Path, keep: bool = True):
        """keep: keep what a build made for the next one (`watch`); False for a one-off build
        (`glossator build`), which lets each layout go once the PDF is drawn from it."""
        from weasyprint import CSS

        from .fetch import EditionFonts, make_fetcher

        self.root = root = Path(root).resolve()  # file URLs for the stylesheets need a whole path
        self.fetcher = make_fetcher(root)  # reads only inside the edition and the theme
        self.font_config = EditionFonts()  # the @font-face fonts only, none of the machine's
        self.sheets = read_stylesheets(root)  # regular UTF-8 files only, read once
        self.one_body = flows_across_pages(self.sheets)  # counters or strings the pages must share
        self.counts_siblings = counts_siblings(self.sheets)  # a page needs every element before it
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
        self.env.filters["full_stop"] = full_stop
        self.env.tests["sentence"] = ends_sentence
        self.templates = b""  # the templates' digest, read as each build starts (after its checks): read_templates
        self.keep = keep
        self.reuse = Reuse()  # layouts, note heights and font subsets, kept for the next build
        self.reuses: dict[str, Reuse] = {}  # ...one set per variant (--all builds them in turn)
        self.pdfs: dict[str, tuple] = {}  # variant -> (its pages, its PDF): see pdf_of
        self.drawn: dict[tuple, dict] = {}  # kind of PDF -> each page drawn for it: see drawn_pdf
        self.compressed: dict[tuple, dict] = {}  # kind of PDF -> each stream compressed for it: likewise
        self._planned = None  # ((edition, plan, with_body), what the template reads of them): see planned

    # --- the passes ---------------------------------------------------------------

    def render(self, edition: Edition, geometry: Geometry, options: Options) -> Rendered:
        """Lay the body out with its notes placed, then the appendices, which point back at
        the body's pages; write the PDF. The HTML edition is made from the edition alone:
        the print plan (page breaks, notes at the foot) is the PDF's."""
        # Each copy keeps its own layouts (the first takes the Reuse made with the renderer).
        self.reuse = self.reuses.setdefault(options.variant, self.reuse if not self.reuses else Reuse())
        self.reuse.counts()
        self.read_templates()
        body, measured, plan, final_args = self.lay_out_body(edition, geometry, options)
        self.let_go()  # the layouts it measured from
        final_args = {**final_args, "question_pages": question_pages(edition.questions, measured)}
        document = self.with_appendices(body, edition, geometry, options, final_args)
        front = 0  # pages before the article's first, numbered i, ii… so that page 1 is the article's
        if options.variant == "teacher":
            document, front = self.with_overview(document, edition, geometry, options, final_args, measured)
        layouts, reused = self.reuse.counts()
        if self.keep:
            self.reuse.forget_unused()
        else:  # a one-off build: the document's pages hold all it will draw; lines, heights go
            self.reuse = self.reuses[options.variant] = Reuse()
        warnings = short_line_warnings(edition, measured, geometry) + tuple(
            finding("L101", n.where or Where("annotations/notes.yaml"), number=n.number, id=n.id)
            for n in edition.notes if n.number in plan.long)
        pdf = self.pdf_of(document, edition, options, front)
        page_html = self.html(edition, geometry, options, part="all", inline_css=self.inline_css(),
                              inline_js=inline_script(), refs=final_args["refs"])
        return Rendered(pdf, page_html, len(document.pages), layouts, reused, warnings)

    def lay_out_body(self, edition: Edition, geometry: Geometry, options: Options):
        """Measure, place the notes, lay the body out with the notes in place and check that
        nothing moved: (the body's layout, its measurement, the plan, the template's arguments).

        The lines are measured from a layout of the body whose margin notes are empty, the
        notes' heights from a sheet of notes laid out on their own (reuse.py keeps both, so
        an edit to one note re-measures only that note). The placement engine decides every
        page break and every note's place for the whole article at once (placement/), and
        the next layout is the final one: if it shows the prediction wrong anywhere, the
        pass goes round again from what was really laid out.
        """
        plan, measured, problems = Plan(), None, []
        heights, long = {}, frozenset()
        for _ in range(MAX_PASSES):
            if measured is None:
                measured = self.measure_text(edition, geometry, options, plan)
            if not heights:
                heights = self.measure_notes(edition, geometry, options, long)
                if not long and too_long(heights, note_area(geometry)):
                    long = too_long(heights, note_area(geometry))
                    heights, measured = {}, None  # their pointers are measured, and the text with them
                    continue
            try:
                plan, expected = place(edition, geometry, options, measured, heights, long)
            except ValueError as exc:
                first = edition.notes[0].where if edition.notes else None
                raise RenderError([finding("L102", first or Where("annotations/notes.yaml"), page=1)]) from exc
            if plan.long != long:  # a note no page could hold goes after the article: measure its pointer
                long, heights, measured = plan.long, {}, None
                continue
            final_args = dict(plan=plan, refs=page_refs(edition, expected),
                              placement_css=placement_css(edition, expected, plan, geometry, options))
            body = self.lay_out_pages(edition, geometry, options, final_args)
            final = measure(body, edition)
            problems = discrepancies(final, expected, plan, edition)
            if not problems:
                return body, final, plan, final_args
            measured = final
        raise RenderError([finding("R103", None, reason="; ".join(problems) or "too many passes")])

    def lay_out_pages(self, edition: Edition, geometry: Geometry, options: Options, final_args: dict):
        """The body with its notes in place, each page laid out as a document of its own
        (placement/pages.py) and kept by its HTML, so that an edit lays out again only the
        pages it touched. Each page's HTML holds only its own note positions. With long
        notes, whose pointers give the page they are set on, or an edition's stylesheet that
        counts or sets strings across the article, the body is one document."""
        if final_args["plan"].long or self.one_body:
            return self.reuse.layout("body", self.html(edition, geometry, options, part="body", **final_args),
                                     self.layout)
        rules = {rule[1:rule.index(" ")]: (i, rule) for i, rule in enumerate(final_args["placement_css"].splitlines())}
        documents, pages = [], []
        for page in body_pages(edition, final_args["plan"], every=self.counts_siblings):
            html = self.html(edition, geometry, options, part="body", body_page=page,
                             **{**final_args, "placement_css": PLACEMENT})
            # The rules for the ids on the page, in their order: found from the page's ids,
            # not by looking for every note's id in it (that grew with the article).
            placed = "\n".join(rule for _, rule in sorted(rules[i] for i in set(_IDS.findall(html)) if i in rules))
            document = self.reuse.layout(f"body-{page.number}", html.replace(PLACEMENT, placed),
                                         self.layout if page.number == 1 else self.page_layout)
            documents.append(document)
            pages += document.pages
        return documents[0].copy(pages)

    def page_layout(self, html: str):
        """A body page after the first, laid out on its own: its first page, which sets the
        running heads, is dropped at once, so that its boxes are not kept with the page's."""
        document = self.layout(html)
        document.pages = document.pages[1:]
        return document

    def measure_text(self, edition: Edition, geometry: Geometry, options: Options, plan: Plan) -> Measured:
        """Where every line, call and block of the body lands with the plan's page breaks
        (the margin notes, out of the flow, play no part in it)."""
        html = self.html(edition, geometry, options, part="text", plan=plan)
        return self.reuse.layout("text", html, lambda html: measure(self.layout(html), edition))

    def measure_notes(self, edition: Edition, geometry: Geometry, options: Options,
                      long: frozenset[int]) -> dict[int, tuple[float, float]]:
        """Each note's height, px, in the margin and at the foot, as it will be set (in its
        block's kind of element); for a note too long for any page, its pointer's.
        Kept by what its sheet is made from (sheet_inputs): a rebuild renders and lays out
        only the sheets of the notes an edit changed."""
        inputs = self.sheet_inputs(edition, geometry, options)
        # A note as its sheet sets it: without its line in the YAML and its call's block,
        # which no sheet shows, so that an edit elsewhere does not measure it again.
        entries = {(n.number, where): (dataclasses.replace(n, where=None, block=0), where, edition.blocks[n.block].kind)
                   for n in edition.notes
                   for where in (("pointer",) if n.number in long else ("margin", "foot"))}

        def measure_sheet(keys: list) -> dict:
            html = self.html(inputs[0], geometry, options, part="notes", sheet=[entries[k] for k in keys])
            anchors = self.layout(html).pages[0].anchors
            return {k: anchors[ids.sheet(*k)][3] - anchors[ids.sheet(*k)][1] for k in keys}

        measured = self.reuse.note_heights({key: (inputs, entry) for key, entry in entries.items()},
                                           in_sheets(measure_sheet))
        return {n.number: ((measured[(n.number, "pointer")],) * 2 if n.number in long
                           else (measured[(n.number, "margin")], measured[(n.number, "foot")]))
                for n in edition.notes}

    def sheet_inputs(self, edition: Edition, geometry: Geometry, options: Options) -> tuple:
        """What a measuring sheet (of notes, of glossary entries) is made from besides its
        entries, the first item the edition a sheet is rendered with: its metadata only.
        With the entries, it keys the heights kept between builds (reuse.py): a sheet is
        rendered from nothing else, so a height kept is never stale, and no template is
        rendered to tell whether it is."""
        bare = Edition(meta=edition.meta, blocks=(), notes=(), glossary=(), chronology=())
        return bare, geometry, options, self.templates

    def read_templates(self) -> bytes:
        """A digest of every template as the loader finds it (the edition's before Glossator's),
        taken as each build starts: an edited template measures every sheet again. Jinja2
        notices a template file edited, but not one an edition adds in front of Glossator's,
        or removes: when the digest changes, every template is loaded again."""
        digest = hashlib.blake2b(digest_size=16)
        for name in sorted(self.env.list_templates()):
            try:
                source = self.env.loader.get_source(self.env, name)[0]
            except (jinja2.TemplateError, OSError) as exc:  # a render that reads it fails: R101
                source = f"unreadable: {exc}"
            digest.update(f"{name}\0{source}\0".encode("utf-8", "surrogateescape"))
        if digest.digest() != self.templates and self.env.cache is not None:
            self.env.cache.clear()
        self.templates = digest.digest()
        return self.templates

    def with_appendices(self, body, edition: Edition, geometry: Geometry, options: Options, final_args: dict):
        """The body's pages followed by the appendices', each laid out on its own from the
        page after the last before it (each starts a page: glossator.css, .appendix): an edit
        that leaves an appendix, its page references and its first page alone leaves it as
        it was, and its layout is reused (a glossary edit, the chronology's)."""
        pages = list(body.pages)
        if edition.questions:
            html = self.html(edition, geometry, options, part="questions", first_page=len(pages) + 1, **final_args)
            pages += self.reuse.layout("questions", html, self.layout).pages
        if edition.glossary:
            pages += self.lay_out_glossary(edition, geometry, options, final_args, len(pages) + 1)
        if edition.chronology:
            html = self.html(edition, geometry, options, part="chronology", first_page=len(pages) + 1, **final_args)
            pages += self.reuse.layout("chronology", html, self.layout).pages
        return body.copy(pages)

    def lay_out_glossary(self, edition: Edition, geometry: Geometry, options: Options, final_args: dict,
                         first_page: int) -> list:
        """The glossary's pages: a page at a time, its columns broken where glossary_columns
        foresaw them (glossary_pages), or, where it foresaw none or a page is not laid out
        as foreseen (an edition's stylesheet may move things), the glossary whole, its
        columns balanced by WeasyPrint itself, at its own cost."""
        columns = self.glossary_columns(edition, geometry, options, final_args["refs"])
        pages = None if columns is None else self.glossary_pages(edition, geometry, options, final_args, first_page,
                                                                 columns)
        if pages is None:
            html = self.html(edition, geometry, options, part="glossary", first_page=first_page, **final_args)
            pages = self.reuse.layout("glossary", html, self.layout).pages
        return pages

    def glossary_pages(self, edition: Edition, geometry: Geometry, options: Options, final_args: dict,
                       first_page: int, columns: list) -> list | None:
        """Each page of the glossary laid out as a document of its own and kept by its HTML,
        so that an edit lays out and draws again only the pages whose entries it changed. A
        page after the first follows one, dropped, that sets the running head (as the body's
        pages do: placement/pages.py). None if a page's entries are not where foreseen."""
        pages = []
        for index, page in enumerate(columns):
            terms = tuple(edition.glossary[i] for column in page for i in column)
            breaks = [ids.glossary(edition.glossary[column.start].id) for column in page[1:]]
            html = self.html(edition, geometry, options, part="glossary", first_page=first_page + index - (index > 0),
                             glossary_breaks=breaks, glossary_page=GlossaryPage(index + 1, terms), **final_args)
            laid = self.reuse.layout(f"glossary-{index + 1}", html, self.layout).pages[1 if index else 0:]
            if glossary_places(laid, [term.id for term in terms]) != places([page]):
                return None
            pages += laid
        return pages

    def glossary_columns(self, edition: Edition, geometry: Geometry, options: Options, refs) -> list | None:
        """The glossary's entries by page and column (glossator.columns), from each entry's
        height at a column's width and the room its heading leaves on the first page.
        Each entry is measured on a sheet of its own (reuse.py keeps the heights, so a
        rebuild measures only the entries an edit changed); the missing ones are laid out
        together on one tall page. None: WeasyPrint balances the columns itself."""
        inputs = self.sheet_inputs(edition, geometry, options)
        # An entry as its sheet sets it: the term (where it occurs, which only the web edition
        # reads, left out) and its pages.
        terms = {term.id: (dataclasses.replace(term, occurrences=()), tuple(refs[0].get(term.id, ())))
                 for term in edition.glossary}
        heading = None  # not a term's id: the sheet without entries, for the heading's height

        def sheet(keys) -> str:
            entries = [terms[k] for k in keys if k is not heading]
            return self.html(inputs[0], geometry, options, part="glossary-sheet",
                             refs=({term.id: pages for term, pages in entries if pages}, {}),
                             sheet=[term for term, _ in entries])

        def height(anchors, ident: str) -> float:
            return anchors[ident][3] - anchors[ident][1]

        def measure_sheet(keys: list) -> dict:
            anchors = self.layout(sheet(keys)).pages[0].anchors
            # An entry: its height, and its term's (the first line, where the term takes one).
            measured = {k: (height(anchors, ids.glossary(k)), height(anchors, ids.glossary_lead(k)))
                        for k in keys if k is not heading}
            return {**measured, heading: anchors[ids.GLOSSARY_LIST][1] - anchors[ids.GLOSSARY][1]}

        try:
            heights = self.reuse.entry_heights({**{k: (inputs, entry) for k, entry in terms.items()},
                                                heading: (inputs,)}, measure_sheet)
        except KeyError:  # an edition's own template, without the sheet's ids: WeasyPrint balances
            return None
        page = geometry.area_height * PX_PER_PT
        return set_columns([heights[k][0] for k in terms], geometry.glossary_space * PX_PER_PT,
                           page - heights[heading], page, geometry.glossary_columns,
                           leads=[heights[k][1] for k in terms])

    def with_overview(self, document, edition: Edition, geometry: Geometry, options: Options, final_args: dict,
                      measured):
        """The teacher's overview page (variants.statistics, every note, term and question
        with its page) laid out on its own and put before the body's first page; in duplex,
        a blank page follows it, so the article still starts on a right-hand page."""
        note_pages = {n.number: measured.page_of[ids.line(n.number)] + 1 for n in edition.notes
                      if ids.line(n.number) in measured.page_of}
        html = self.html(edition, geometry, options, part="overview", overview=statistics(edition),
                         note_pages=note_pages, **final_args)
        overview = self.reuse.layout("overview", html, self.layout)
        return document.copy(overview.pages + document.pages), len(overview.pages)

    def pdf_of(self, document, edition: Edition, options: Options, front: int = 0) -> bytes:
        """The PDF of the document; the last one's bytes if it is made of the very same
        pages (every layout of this copy reused: `watch --all` after an edit to another
        copy's text). The pages themselves are kept with the bytes, so none can be freed
        and another take its place unnoticed."""
        if not self.keep:  # a one-off build: each page's boxes go before pikepdf restructures the PDF
            pdf, recorded = self.drawn_pdf(document, options, None, {})
            boxes_released(document)
            self.let_go()
            return self.finished(pdf, recorded, edition, options, front)
        # One kept PDF per copy and kind of PDF (tagged or not, PDF/A, print shop).
        kind = (options.variant, options.tagged, options.pdf_variant, options.embed_sources, options.print_shop)
        kept = self.pdfs.get(kind) if not options.embed_sources else None  # the files embedded may have changed
        if kept and len(kept[0]) == len(document.pages) and all(a is b for a, b in zip(kept[0], document.pages)):
            return kept[1]
        self.pdfs.pop(kind, None)
        pdf, recorded = self.drawn_pdf(document, options, self.drawn.setdefault(kind, {}),
                                       self.compressed.setdefault(kind, {}))
        pdf = self.finished(pdf, recorded, edition, options, front)
        self.pdfs[kind] = (tuple(document.pages), pdf)
        return pdf

    def let_go(self) -> None:
        """In a one-off build, free now what was let go: WeasyPrint's boxes hold reference
        cycles, which the collector, tuned to run seldom (commands.tune_collector), would
        free late, and what the build makes next (layouts, the PDF) would take new memory."""
        if not self.keep:
            gc.collect()

    def drawn_pdf(self, document, options: Options, drawn: dict | None, compressed: dict) -> tuple[bytes, dict]:
        """WeasyPrint's PDF of the laid-out document, of the kind options ask for (tagging.py:
        tagged by default, PDF/A, PDF/X-4 for a print shop), and the HTML element each of its
        structure elements was made for (measure.tags_recorded), for finished().
        drawn: the pages drawn for the last PDF of this kind, which are not drawn again (None:
        none kept, for a one-off build); compressed: likewise, the streams compressed for it."""
        from .tagging import weasyprint_options

        recorded: dict[int, tuple] = {}
        # WeasyPrint adds the output intent's colour profile to the document it writes: a copy,
        # so that the layout kept for the next build stays as it was laid out.
        document = document.copy()
        document.color_profiles = dict(document.color_profiles)
        try:
            with subsets_kept(self.reuse.subsets), tags_recorded(recorded, release=not self.keep), \
                    backgrounds_kept(document), \
                    pages_drawn_kept(drawn), compressed_kept(compressed), _quiet_weasyprint():
                pdf = document.write_pdf(**weasyprint_options(options))
        except Exception as exc:
            raise RenderError([finding("R102", None, reason=f"{type(exc).__name__}: {exc}")]) from exc
        self.fetcher.check()  # images inside SVG are fetched only while the PDF is drawn
        return pdf, recorded

    def finished(self, pdf: bytes, recorded: dict, edition: Edition, options: Options, front: int) -> bytes:
        """WeasyPrint's PDF with its structure tree in reading order, the edition's files
        attached (--embed-sources) and its metadata completed (tagging.finish).
        front: pages before the article's first, labelled i, ii…"""
        from .tagging import embedded_files, finish, pdf_errors

        files = embedded_files(self.root) if options.embed_sources else {}
        try:
            return finish(pdf, options, recorded, paragraph_ids(edition), files, front)
        except pdf_errors() as exc:  # a PDF pikepdf cannot read: WeasyPrint's, so a rendering problem
            raise RenderError([finding("R102", None, reason=f"{type(exc).__name__}: {exc}")]) from exc

    def html(self, edition, geometry, options, part="all", plan=None, placement_css="", refs=None, inline_css="",
             inline_js="", sheet=(), first_page=1, question_pages=None, overview=None, note_pages=None,
             body_page=None, glossary_breaks=None, glossary_page=None):
        plan = plan or Plan()
        term_pages, event_pages = refs or ({}, {})
        with_body = part in ("body", "text")  # the print plan's parts ("all" is the web edition)
        planned = self.planned(edition, plan, with_body)
        # A page laid out on its own: only the breaks on it (the others' rules would match nothing).
        breaks = plan.breaks if body_page is None else body_page.breaks
        with template_errors(self.root, self.template_folders):  # R101, R105 at the template's line
            template = self.env.get_template("edition.html.j2")
            html = self.env.render(
                template,
                edition=edition, geometry=geometry, options=options, part=part, ids=ids, breaks=breaks,
                **planned, long=plan.long, placement_css=placement_css, inline_css=inline_css, inline_js=inline_js, term_pages=term_pages,
                event_pages=event_pages, generator=f"Glossator {__version__}", sheet=sheet, first_page=first_page,
                timeline=timeline_for(edition, geometry) if part in ("all", "chronology") else None,
                bleed_mm=BLEED_MM,
                question_pages=question_pages or {}, overview=overview, note_pages=note_pages or {},
                body_page=body_page, glossary_breaks=glossary_breaks, glossary_page=glossary_page,
            )
        return mark_unbreakable(html)  # words no line can hold may break between letters

    def planned(self, edition: Edition, plan: Plan, with_body: bool) -> dict:
        """What the template reads of the plan, worked out once per plan and edition (each
        over the whole article), not once per page laid out on its own."""
        key = (edition, plan, with_body)
        if self._planned is None or any(a is not b for a, b in zip(self._planned[0], key)):
            self._planned = key, dict(
                splits=plan.splits(edition) if with_body else {},
                split_blocks=plan.split_blocks(edition) if with_body else set(),
                line_numbers=plan.numbered_lines(), kept_words=plan.kept_words(edition) if with_body else set(),
                foot=plan.foot, foot_first=plan.foot_first, carried=plan.carried, carried_at=plan.carried_at)
        return self._planned[1]

    def layout(self, html: str):
        from weasyprint import HTML

        try:
            with _quiet_weasyprint(), lines_kept(self.reuse.lines, self.reuse.lines_used):
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


@functools.cache  # the package's own file: read once per process
def inline_script() -> Markup:
    """The web edition's script (theme/notes.js), for its <script>: no "</" may end it early."""
    return Markup((THEME / "notes.js").read_text(encoding="utf-8").replace("</", "<\\/"))


@functools.cache  # the package's own files: read once per process, not on every rebuild
def html_assets() -> dict[str, bytes]:
    """The files the HTML edition's stylesheet links to, by their path beside it: the
    shipped fonts (url(fonts/...)) and their licence, which must travel with them."""
    return {f"fonts/{p.name}": p.read_bytes() for p in sorted((THEME / "fonts").iterdir())
            if p.suffix in (".otf", ".ttf", ".txt")}


# --- measuring ---------------------------------------------------------------------------

# The most notes measured on one sheet: a sheet's layout (its boxes, their text) is held
# whole until it is measured, so one sheet for every note of a long article held more
# memory than any other step of its build.
SHEET_MOST = 100


def in_sheets(measure_sheet, most: int = SHEET_MOST):
    """measure_sheet(keys) -> {key: height}, made on sheets of at most `most` keys each
    (a height does not depend on what else is on the sheet)."""
    def measure(keys: list) -> dict:
        found = {}
        for start in range(0, len(keys), most):
            found.update(measure_sheet(keys[start:start + most]))
        return found

    return measure


def timeline_for(edition: Edition, geometry: Geometry):
    """The chronology drawn to scale across the appendix page's full width."""
    labels = {e.id: Markup(e.event_html).striptags() for e in edition.chronology}
    return build_timeline(edition.chronology, geometry.width - geometry.inside - geometry.outside, labels,
                          edition.meta.lang)


def glossary_places(pages, term_ids: list[str]) -> list[tuple[int, int]] | None:
    """(page, column) of each glossary entry as laid out on pages; None if an entry is on
    more than one page (split) or missing."""
    found: dict[str, list] = {}
    for p, page in enumerate(pages):
        lefts = {term_id: round(page.anchors[ids.glossary(term_id)][0], 1) for term_id in term_ids
                 if ids.glossary(term_id) in page.anchors}
        columns = sorted(set(lefts.values()))
        for term_id, left in lefts.items():
            found.setdefault(term_id, []).append((p, columns.index(left)))
    if any(len(found.get(term_id, ())) != 1 for term_id in term_ids):
        return None
    return [found[term_id][0] for term_id in term_ids]


def paragraph_ids(edition: Edition) -> dict[str, str]:
    """Element id of each paragraph and of each part it may be split into -> the paragraph's id."""
    return {element: block for element, (block, _) in paragraph_parts(edition).items()}


def short_line_warnings(edition: Edition, measured: Measured, geometry: Geometry) -> tuple:
    found = []
    for block in edition.blocks:
        for line in short_lines(measured.lines.get(block.id, []), geometry.text * PX_PER_PT):
            text = "".join(p.text for p in block.pieces if p.kind == "text")
            found.append(finding("L103", block.where or Where("source/article.md"), paragraph=block.number, page=line.page + 1,
                                 start=" ".join(text[line.start:].split()[:3])))
    return tuple(found)


def coalesce(pieces, kept_words, splits=(), start=None, stop=None, for_weasyprint=True) -> list:
    """Pieces ready to print: word markers dropped unless the paragraph is split there
    (or a line number or note needs them), and neighbouring text of the same style
    merged, so that a styled phrase is one inline box (fewer boxes, fewer chances for
    WeasyPrint's line breaker to stumble). start, stop: only those from the split at word
    `start` up to the split at word `stop` (one page's part of the paragraph), each made
    as it is in the whole paragraph. for_weasyprint: False for the web edition, which a
    browser sets and a reader copies from: no break hint for WeasyPrint's sake in its text."""
    out = []
    for piece in pieces:
        if piece.kind == "word" and piece.target not in kept_words:
            continue
        last = out[-1] if out else None
        if (piece.kind == "text" and last is not None and last.kind == "text" and piece.target is None
                and _style(piece) == _style(last)):
            out[-1] = dataclasses.replace(last, text=last.text + piece.text)
            continue
        if piece.kind == "word" and piece.target in splits and last is not None and last.kind == "text":
            # The paragraph ends here, for this page: its last line must end as it did
            # unsplit, so no space may stay at its end (with a zero-width space after it, a
            # space is not dropped at the line's end, and the line no longer fits).
            out[-1] = dataclasses.replace(last, text=last.text.rstrip())
        elif (for_weasyprint and last is not None and last.kind == "text" and last.text[-1:].isspace()
              and _style(last) == _PLAIN):
            # WeasyPrint 70 can miss the break opportunity at a space that ends one
            # inline box when the next begins an element (issue #1614), and then breaks
            # the line after its first word. A zero-width space after the space gives it
            # a break opportunity it does not miss.
            out[-1] = dataclasses.replace(last, text=last.text + ZWSP)
        out.append(piece)
    targets = [p.target if p.kind == "word" else None for p in out]
    return out[targets.index(start) if start else 0:targets.index(stop) if stop else len(out)]


ZWSP = "\u200b"
_PLAIN = (False, False, None, False, None, False)


def _style(piece) -> tuple:
    return (piece.em, piece.strong, piece.href, piece.caps, piece.term, piece.first_use)


# --- resources ----------------------------------------------------------------------------------

class _quiet_weasyprint:
    """WeasyPrint logs CSS it ignores; the build reports its own errors instead."""

    def __enter__(self):
        self.logger = logging.getLogger("weasyprint")
        self.level = self.logger.level
        self.logger.setLevel(logging.CRITICAL)

    def __exit__(self, *exc):
        self.logger.setLevel(self.level)
