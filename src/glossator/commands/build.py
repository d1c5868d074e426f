"""`glossator build`: the whole pipeline (pipeline.build), outputs replaced only on success."""
from __future__ import annotations

from ..model import PAPERS, Options
from ..pipeline import build
from ..variants import VARIANTS
from . import display, edition_root, report


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
    p.add_argument("--variant", choices=VARIANTS, default="reader",
                   help="which copy: reader (default), student, teacher or large-print")
    p.add_argument("--all", action="store_true", dest="all_variants",
                   help="every copy (reader, student, teacher, large print) and the booklet")
    p.add_argument("--booklet", action="store_true", help="also impose the copy as a booklet for saddle-stitch")


def options_from(args) -> Options:
    return Options(paper=args.paper, duplex=not args.simplex,
                   paragraph_numbers=not args.no_paragraph_numbers, line_numbers=args.line_numbers,
                   variant=args.variant, booklet=args.booklet, all_variants=args.all_variants)


def run(args) -> int:
    root = edition_root(args.path)
    options = options_from(args)
    built = build(root, args.out, options, own_process=True)
    report(built.warnings)
    for path in built.files:
        print(f"wrote {display(path)}")
    print(f"built {built.pages} pages in {built.seconds:.2f} s ({built.layouts_said()}, "
          f"{len(built.warnings)} warnings)")
    return 0
