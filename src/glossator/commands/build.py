"""`glossator build`: the whole pipeline (pipeline.build), outputs replaced only on success."""
from __future__ import annotations

from ..errors import UsageError
from ..model import PAPERS, PDF_VARIANTS, Options
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
    p.add_argument("--single-file", action="store_true",
                   help="one self-contained HTML, its fonts inside (subset, WOFF2), instead of fonts/ beside it")
    p.add_argument("--untagged", action="store_true", help="a smaller PDF without the structure screen readers use")
    p.add_argument("--pdf-variant", choices=PDF_VARIANTS, default="", help="an archival PDF/A")
    p.add_argument("--embed-sources", action="store_true",
                   help="with --pdf-variant pdf/a-3b: put the article and annotations inside the PDF")
    p.add_argument("--print-shop", action="store_true", help="PDF/X-4 with crop marks and a 3 mm bleed")
    p.add_argument("--variant", choices=VARIANTS, default="reader",
                   help="which copy: reader (default), student, teacher or large-print")
    p.add_argument("--all", action="store_true", dest="all_variants",
                   help="every copy (reader, student, teacher, large print) and the booklet")
    p.add_argument("--booklet", action="store_true", help="also impose the copy as a booklet for saddle-stitch")


def options_from(args) -> Options:
    return Options(paper=args.paper, duplex=not args.simplex,
                   paragraph_numbers=not args.no_paragraph_numbers, line_numbers=args.line_numbers,
                   single_file=args.single_file, variant=args.variant, booklet=args.booklet,
                   all_variants=args.all_variants, **pdf_options(args))


def pdf_options(args) -> dict:
    """The PDF's kind: tagged or not, archival, for a print shop; combinations that cannot be
    made are usage errors."""
    if args.embed_sources and args.pdf_variant != "pdf/a-3b":
        raise UsageError("--embed-sources needs --pdf-variant pdf/a-3b (only PDF/A-3 may carry files)")
    if args.print_shop and args.pdf_variant:
        raise UsageError("--print-shop and --pdf-variant cannot be combined: a PDF is PDF/X-4 or PDF/A, not both")
    return dict(tagged=not args.untagged, pdf_variant=args.pdf_variant, embed_sources=args.embed_sources,
                print_shop=args.print_shop)


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
