"""`glossator build`: the whole pipeline, outputs replaced only on success."""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import Finding
from ..model import PAPERS, Options
from ..pipeline import checked_edition
from ..write import output_folder, write_outputs
from . import display, edition_root, report, tune_collector


def add_parser(sub) -> None:
    add_build_options(sub.add_parser("build", help="build the edition's PDF and HTML into output/"))


def add_build_options(p) -> None:
    """The options `build` and `watch` share."""
    p.add_argument("path", nargs="?", default=".", help="the edition folder (default: here)")
    p.add_argument("--out", metavar="DIR", help="write the outputs to DIR instead of PATH/output")
    p.add_argument("--paper", choices=sorted(PAPERS), default="letter", help="paper size (default: letter)")
    p.add_argument("--simplex", action="store_true", help="one-sided printing: every note in the right margin")
    p.add_argument("--no-paragraph-numbers", action="store_true", help="leave out the ¶ numbers in the margin")
    p.add_argument("--line-numbers", action="store_true", help="number every fifth line of the article")


def options_from(args) -> Options:
    return Options(paper=args.paper, duplex=not args.simplex,
                   paragraph_numbers=not args.no_paragraph_numbers, line_numbers=args.line_numbers)


def run(args) -> int:
    root = edition_root(args.path)
    options = options_from(args)
    out = Path(args.out).resolve() if args.out else None
    built = build(root, out, options, own_process=True)
    report(built.warnings)
    for path in built.files:
        print(f"wrote {display(path)}")
    print(f"built {built.pages} pages in {built.seconds:.2f} s ({built.layouts_said()}, "
          f"{len(built.warnings)} warnings)")
    return 0


@dataclass(frozen=True)
class Built:
    files: tuple[Path, ...]
    pages: int
    seconds: float
    layouts: int  # WeasyPrint layouts made...
    reused: int  # ...and reused from the build before (`glossator watch`)
    warnings: tuple[Finding, ...]

    def layouts_said(self) -> str:
        """'4 layouts', or '2 layouts, 2 reused'."""
        made = f"{self.layouts} layout{'s' * (self.layouts != 1)}"
        return f"{made}, {self.reused} reused" if self.reused else made


def build(root: Path, out: Path | None = None, options: Options = Options(), renderer=None,
          own_process: bool = False) -> Built:
    """Check, render and write the edition at root. Raises a GlossatorError on any problem.
    own_process: the build is all this process does (`glossator build`): once WeasyPrint
    is loaded, the cycle collector is tuned for it."""
    start = time.perf_counter()
    folder = out or output_folder(root)  # refused before any work if output/ links out of the edition
    checked = checked_edition(root)
    from ..render import Renderer, html_assets  # WeasyPrint loads only once the edition is known to be good

    if own_process:
        tune_collector()

    edition = checked.edition
    geometry = replace(PAPERS[options.paper], duplex=options.duplex)
    renderer = renderer or Renderer(root)
    with source_date(edition.meta.date):
        rendered = renderer.render(edition, geometry, options)
    slug = edition.meta.slug
    main = {f"{slug}.pdf": rendered.pdf, f"{slug}.html": rendered.html.encode("utf-8")}
    files = write_outputs(folder, {**html_assets(), **main})  # one replacement: all or nothing
    return Built(tuple(path for path in files if path.name in main), rendered.pages, time.perf_counter() - start, rendered.layouts, rendered.reused,
                 checked.warnings + tuple(rendered.warnings))


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
