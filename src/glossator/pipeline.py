"""The stations in order: load -> anchor/compose -> render -> write.

`check` runs the first two; `build` runs them all, for `glossator build` and
for each of `watch`'s builds alike: it owns the run's defaults and checks (the
output folder, what the templates may read), so no command can skip one.
Problems travel up as findings; nothing here prints.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, replace
from pathlib import Path

from . import surface
from .compose import compose
from .errors import ERROR, INFO, WARNING, Finding, GlossatorError, InputError, finding
from .fonts import font_findings
from .lint import article_findings
from .load import load
from .model import PAPERS, Annotations, Article, Edition, Options, Where
from .questions import compose_questions, load_questions, note_audience_findings
from .styles import read_stylesheets
from .unbreakable import unbreakable_findings
from .variants import READER, VARIANTS, booklet_filename, edition_for, filename, geometry_for
from .write import output_folder, touch, unchanged, write_outputs

INPUTS = ("source", "annotations", "styles", "templates")  # the edition's folders a build reads


@dataclass(frozen=True)
class Checked:
    edition: Edition | None
    findings: tuple[Finding, ...]
    article: Article | None = None  # what the edition was composed from: variants.edition_for
    annotations: Annotations | None = None  # composes it again without the teacher's notes

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == ERROR)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == WARNING)  # not information


def check(root: Path) -> Checked:
    """Load and compose the edition at root; every problem found is in .findings."""
    loaded = load(root)
    findings = list(loaded.findings) + font_findings(root, loaded.article, loaded.annotations) \
        + unbreakable_findings(loaded.article, loaded.annotations) + style_findings(root) \
        + article_findings(loaded.article)
    questions = load_questions(root, findings)
    findings.extend(note_audience_findings(loaded.annotations))
    edition = None
    if loaded.article is not None and not any(f.severity == ERROR for f in findings):
        composed = compose(loaded.article, loaded.annotations)
        asked = compose_questions(loaded.article, questions)
        findings.extend(composed.findings + asked.findings)
        edition = composed.edition and replace(composed.edition, questions=asked.questions)
    elif loaded.article is not None:
        # Still anchor what can be anchored, so one run reports every problem.
        findings.extend(compose(loaded.article, loaded.annotations, build=False).findings)
        findings.extend(compose_questions(loaded.article, questions).findings)
    return Checked(edition, tuple(sorted(findings, key=_order)), loaded.article, loaded.annotations)


def style_findings(root: Path) -> list[Finding]:
    """Stylesheets a build could not read (R104), and the theming surface's findings: values
    out of range, widths the paper cannot hold, geometry set directly, skeleton templates
    replaced (surface.py)."""
    templates = surface.template_findings(root)
    try:
        sheets = read_stylesheets(root)
    except InputError as exc:
        return list(exc.findings) + templates
    found = surface.read(sheets)
    where = next((s.rel for s in sheets if s.edition), "styles")
    return (list(found.findings) + [f for paper in PAPERS.values() for f in surface.fit_findings(paper, found, where)]
            + templates)


def checked_edition(root: Path) -> Checked:
    """Like check(), but raise InputError if the edition cannot be built, with its errors and
    warnings: information (S133) is for `check`, and would bury the errors of a failed build."""
    result = check(root)
    if result.errors or result.edition is None:
        raise InputError(f for f in result.findings if f.severity != INFO)
    return result


def _order(f: Finding):
    return (f.path, f.line, f.column, f.code)


@dataclass(frozen=True)
class Built:
    files: tuple[Path, ...]
    pages: int
    seconds: float
    layouts: int  # WeasyPrint layouts made...
    reused: int  # ...and reused from the build before (`glossator watch`)
    warnings: tuple[Finding, ...]
    unchanged: frozenset[Path] = frozenset()  # files that already held these bytes: left as they were

    def layouts_said(self) -> str:
        """'4 layouts', or '2 layouts, 2 reused'."""
        made = f"{self.layouts} layout{'s' * (self.layouts != 1)}"
        return f"{made}, {self.reused} reused" if self.reused else made


def build(root: Path, out: Path | str | None = None, options: Options = Options(), renderer=None,
          own_process: bool = False) -> Built:
    """Check, render and write the edition at root into `out` (--out DIR) or its output/
    folder. Raises a GlossatorError on any problem. `renderer`: one kept from the build
    before (`watch`). own_process: the build is all this process does (`glossator build`):
    once WeasyPrint is loaded, the cycle collector is tuned for it."""
    start = time.perf_counter()
    folder = output_folder(root, out)  # refused before any work if output/ links out of the edition
    checked = checked_edition(root)
    try:
        return _made(root, folder, checked, options, renderer, own_process, start)
    except GlossatorError as exc:  # what check warned about still stands beside what stopped the build
        exc.findings = tuple(checked.warnings) + tuple(f for f in exc.findings if f not in checked.warnings)
        raise


def _made(root: Path, folder: Path, checked: Checked, options: Options, renderer, own_process: bool,
          start: float) -> Built:
    """build() once the edition is known to be good: render every copy asked for, write them."""
    # WeasyPrint loads only once the edition is known to be good.
    from .booklet import impose
    from .commands import tune_collector
    from .fetch import refuse_links_out
    from .render import Renderer, html_assets
    from .webfonts import fonts_inside

    if own_process:
        tune_collector()

    renderer = renderer or Renderer(root, keep=False)  # none kept: a one-off build (watch passes its own)
    refuse_links_out(root)  # on every build: a kept renderer checked the links only when it was made
    slug = checked.edition.meta.slug
    sheets = surface.read(renderer.sheets)  # the geometry the edition's stylesheets set (surface.py)
    main, pages, layouts, reused, warnings = {}, 0, 0, 0, list(checked.warnings)
    # fontTools dates the subsets it writes, for the PDF and --single-file
    with source_date(checked.edition.meta.date):
        for variant in (VARIANTS if options.all_variants else (options.variant,)):
            chosen = replace(options, variant=variant)
            geometry = surface.geometry(geometry_for(chosen), sheets)
            rendered = renderer.render(edition_for(checked, variant), geometry, chosen)
            main[filename(slug, variant)] = rendered.pdf
            if variant == READER:  # the HTML edition is the reader's; the other copies are for print
                page = fonts_inside(rendered.html, html_assets()) if options.single_file else rendered.html
                main[f"{slug}.html"] = page.encode("utf-8")
            if (options.booklet or options.all_variants) and variant == options.variant:
                main[booklet_filename(slug, variant)] = impose(rendered.pdf, options.paper)
            pages, layouts, reused = pages + rendered.pages, layouts + rendered.layouts, reused + rendered.reused
            warnings.extend(w for w in rendered.warnings if w not in warnings)
    assets = html_assets() if f"{slug}.html" in main and not options.single_file else {}
    same = frozenset(folder / name for name, data in main.items() if unchanged(folder / name, data))
    files = write_outputs(folder, {**assets, **main})  # one replacement: all or nothing
    for path in same:  # made now, though left as it was
        touch(path)
    warnings += stale_copies(root, folder, slug, set(main))
    return Built(tuple(path for path in files if path.name in main), pages, time.perf_counter() - start,
                 layouts, reused, tuple(warnings) + subsetter_warning(), same)


def stale_copies(root: Path, folder: Path, slug: str, made: set[str]) -> list[Finding]:
    """O106 for each copy of the edition (a classroom copy, a booklet) left in the output
    folder by an earlier build, made before an input last changed: a teacher who rebuilt
    the reader's copy would otherwise print last week's student copy."""
    copies = {filename(slug, v) for v in VARIANTS} | {booklet_filename(slug, v) for v in VARIANTS}
    made_at = {}
    for name in sorted(copies - made):
        try:
            made_at[name] = (folder / name).stat().st_mtime
        except OSError:
            continue  # no such copy
    newest = newest_input(root) if made_at else None  # the inputs are walked only if there is a copy to judge
    if newest is None:
        return []
    return [finding("O106", Where(edition_path(root, folder / name)), changed=newest[1])
            for name, when in made_at.items() if when < newest[0]]


def edition_path(root: Path, path: Path) -> str:
    """path as a finding names it: from the edition's folder if it is inside it (output/…)."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def newest_input(root: Path) -> tuple[float, str] | None:
    """(time, path in the edition) of the input file changed last; editors' hidden files
    (swap files, .DS_Store) are not inputs."""
    times = []
    for name in INPUTS:
        for path in (root / name).rglob("*"):
            if not any(part.startswith(".") for part in path.relative_to(root).parts):
                try:
                    if path.is_file():
                        times.append((path.stat().st_mtime, path.relative_to(root).as_posix()))
                except OSError:
                    continue
    return max(times, default=None)


def subsetter_warning() -> tuple[Finding, ...]:
    """R106 where WeasyPrint falls back to fontTools to subset fonts (`watch` shows it once)."""
    from .placement.measure import subsets_with_harfbuzz

    return () if subsets_with_harfbuzz() else (finding("R106", None),)


class source_date:
    """Fix the timestamps fontTools writes into subset fonts, for byte-identical PDFs.

    SOURCE_DATE_EPOCH from the environment wins; otherwise the article's date is used.
    """

    def __init__(self, date):
        self.date = date

    def __enter__(self):
        self.saved = os.environ.get("SOURCE_DATE_EPOCH")
        if self.saved is None:
            import calendar
            d = self.date
            epoch = calendar.timegm((d.year, d.month or 1, d.day or 1, 0, 0, 0)) if d else 0
            os.environ["SOURCE_DATE_EPOCH"] = str(max(epoch, 0))

    def __exit__(self, *exc):
        if self.saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
