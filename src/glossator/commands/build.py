"""`glossator build`: the whole pipeline (pipeline.build), outputs replaced only on success.
Several editions (`glossator build A B C`) are built in parallel (course.py)."""
from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

from ..errors import WARNING, GlossatorError, UsageError
from ..model import PAPERS, PDF_VARIANTS, Options
from ..pipeline import build
from ..variants import VARIANTS
from ..write import output_folder
from . import display, edition_root, in_folder, report, show_cause


def add_parser(sub) -> None:
    p = sub.add_parser("build", help="build the edition's PDF and HTML into output/",
                       description="Build each edition's PDF and HTML into its output/ folder. Several "
                                   "editions are built in parallel, --jobs at a time.")
    add_build_options(p, several=True)
    p.add_argument("--jobs", "-j", type=jobs, metavar="N",
                   help="with several editions: how many to build at a time (default: one per usable CPU)")


def add_build_options(p, several: bool = False) -> None:
    """The options `build` and `watch` share; `build` takes several editions."""
    if several:
        p.add_argument("path", nargs="*", default=["."], metavar="PATH",
                       help="the edition folder, or several (default: here)")
    else:
        p.add_argument("path", nargs="?", default=".", help="the edition folder (default: here)")
    p.add_argument("--out", metavar="DIR", help="write the outputs to DIR instead of PATH/output (one edition only)")
    p.add_argument("--paper", type=str.lower, choices=sorted(PAPERS), default="letter",
                   help="paper size (default: letter)")
    p.add_argument("--simplex", action="store_true", help="one-sided printing: every note in the right margin")
    p.add_argument("--no-paragraph-numbers", action="store_true", help="leave out the ¶ numbers in the margin")
    p.add_argument("--line-numbers", action="store_true", help="number every fifth line of the article")
    p.add_argument("--single-file", action="store_true",
                   help="one self-contained HTML, its fonts inside (subset, WOFF2), instead of fonts/ beside it")
    p.add_argument("--untagged", action="store_true", help="a smaller PDF without the structure screen readers use")
    p.add_argument("--pdf-variant", type=str.lower, choices=PDF_VARIANTS, default="", help="an archival PDF/A")
    p.add_argument("--embed-sources", action="store_true",
                   help="with --pdf-variant pdf/a-3b: put the article and annotations inside the PDF")
    p.add_argument("--print-shop", action="store_true", help="PDF/X-4 with crop marks and a 3 mm bleed")
    p.add_argument("--variant", type=str.lower, choices=VARIANTS, default="reader",
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


def jobs(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: give a whole number of editions, 1 or more")
    return int(text)


def run(args) -> int:
    roots = [edition_root(path) for path in args.path]  # every folder checked before any work
    options = options_from(args)
    if len(roots) == 1 and args.jobs is None:
        return run_one(roots[0], args.out, options)
    return run_several(roots, args, options)


def run_one(root: Path, out, options: Options) -> int:
    """Build one edition. Its findings' paths are said from here, as `check` says them."""
    prefix = display(root)
    try:
        built = build(root, out, options, own_process=True)
    except GlossatorError as exc:
        show_cause(exc)
        report(from_here(exc.findings, prefix))
        print(f"glossator: build failed; {left_behind(root, out)}", file=sys.stderr)
        return exc.exit_code
    report(from_here(built.warnings, prefix))
    say_files(built)
    print(built_line(built))
    return 0


def from_here(findings, prefix: str) -> list:
    return [in_folder(f, prefix) for f in findings]


def say_files(built) -> None:
    for path in built.files:
        print(f"{'unchanged' if path in built.unchanged else 'wrote'} {display(path)}")


def left_behind(root: Path, out) -> str:
    """What a failed build left in the output folder: nothing it wrote, and the earlier
    outputs, if there are any, as they were."""
    try:
        folder = output_folder(root, out)
        earlier = folder.is_dir() and any(p.suffix in (".pdf", ".html") for p in folder.iterdir())
    except (OSError, GlossatorError):
        earlier = False
    if earlier:
        return f"nothing was written, and the outputs in {display(folder)}/ were left as they were."
    return "nothing was written."


def built_line(built) -> str:
    return (f"built {built.pages} pages in {built.seconds:.2f} s ({built.layouts_said()}, "
            f"{len(built.warnings)} warning{'s' * (len(built.warnings) != 1)})")


def run_several(roots: list[Path], args, options: Options) -> int:
    """Build every edition, --jobs at a time; say each one's outcome in the order given, then
    a summary. Exit code: the worst of the editions' (cli.worst)."""
    from ..cli import INTERRUPTED, worst
    from ..course import build_course, usable_cpus

    if args.out is not None and len(roots) > 1:
        raise UsageError("--out DIR takes one edition's outputs; with several editions, each is written to its "
                         "own output/ folder. Leave out --out, or build the editions one at a time.")
    given_twice = sorted({display(r) for r in roots if roots.count(r) > 1})
    if given_twice:
        raise UsageError(f"{', '.join(given_twice)}: given twice. Name each edition folder once.")
    workers = min(args.jobs or usable_cpus(), len(roots))
    start = time.perf_counter()
    outcomes = build_course(roots, options, workers, Sayer().say)
    seconds = time.perf_counter() - start
    built = sum(1 for o in outcomes if o.code == 0)
    stopped = sum(1 for o in outcomes if o.code == INTERRUPTED)
    failed = len(outcomes) - built - stopped
    print(f"{built} edition{'s' * (built != 1)} built, {failed} failed, in {seconds:.1f} s: "
          f"{60 * built / seconds:.1f} editions/minute ({workers} at a time)", flush=True)
    if stopped:
        print(f"glossator: interrupted; {stopped} edition{'s' * (stopped != 1)} not built: their previous "
              "outputs were left as they were.", file=sys.stderr)
    return worst(o.code for o in outcomes)


class Sayer:
    """Says each edition's outcome as a single build would, its findings' paths from here."""

    def __init__(self):
        self.said: set = set()  # warnings with no place in an edition (R106): said once

    def say(self, outcome) -> None:
        from ..cli import INTERRUPTED

        prefix = display(outcome.root)
        if outcome.trace:
            print(outcome.trace, file=sys.stderr, end="")
        found = outcome.built.warnings if outcome.built else outcome.findings
        report(in_folder(f, prefix) if f.path else replace(f, path=prefix) for f in found if self.new(f))
        if outcome.built:
            say_files(outcome.built)
            print(f"{prefix}: {built_line(outcome.built)}")
        elif outcome.error:
            print(f"glossator: {prefix}: {outcome.error}; {left_behind(outcome.root, None)} "
                  "Set GLOSSATOR_DEBUG=1 to see the traceback, and please report it.", file=sys.stderr)
        elif outcome.code != INTERRUPTED:
            print(f"glossator: {prefix}: build failed; {left_behind(outcome.root, None)}", file=sys.stderr)
        sys.stdout.flush()

    def new(self, f) -> bool:
        if f.path or f.severity != WARNING:
            return True
        seen = (f.code, f.message) in self.said
        self.said.add((f.code, f.message))
        return not seen
