"""`glossator check`: everything a build would use, validated without rendering.

Exit 0: no errors (warnings allowed, unless --strict); 1: problems found (in any of the
editions given); 2: bad usage. The findings go to standard output, as text lines an editor can
jump to (paths relative to the current folder) or as JSON.
"""
from __future__ import annotations

import json
import time

from ..errors import printable
from ..pipeline import check
from . import display, edition_root, in_folder


def add_parser(sub) -> None:
    p = sub.add_parser("check", help="validate the edition without rendering",
                       description="Validate the article and the annotation files: YAML, fields, "
                                   "anchors, glossary and chronology. Exit 0 when clean, 1 when "
                                   "problems are found, 2 on bad usage.")
    p.add_argument("path", nargs="*", default=["."], metavar="PATH",
                   help="the edition folder, or several, checked one after another (default: here)")
    p.add_argument("--format", type=str.lower, choices=("text", "json"), default="text",
                   help="text lines (default), or one JSON object for programs (a list of them for several editions)")
    p.add_argument("--strict", action="store_true", help="count warnings as problems too (exit 1)")


def run(args) -> int:
    """Check each edition given, in order; with several, the JSON is a list of their objects and
    each text summary line starts with its folder. Exit 1 if any failed."""
    roots = [edition_root(path) for path in args.path]  # every folder checked before any work
    said = [check_one(root, args, several=len(roots) > 1) for root in roots]
    if args.format == "json":
        objects = [obj for _, obj in said]
        print(json.dumps(objects if len(roots) > 1 else objects[0], indent=2, ensure_ascii=False))
    return 1 if any(failed for failed, _ in said) else 0


def check_one(root, args, several: bool) -> tuple[bool, dict | None]:
    start = time.perf_counter()
    result = check(root)
    seconds = time.perf_counter() - start
    failed = bool(result.errors or (args.strict and result.warnings))
    if args.format == "json":
        return failed, {
            "root": printable(str(root)), "ok": not failed, "strict": args.strict,
            "errors": len(result.errors), "warnings": len(result.warnings),
            "findings": [f.as_dict() for f in result.findings],
        }
    prefix = display(root)
    for f in result.findings:
        print(in_folder(f, prefix).format())
    print(f"{prefix + ': ' if several else ''}{_count(len(result.errors), 'error')}, "
          f"{_count(len(result.warnings), 'warning')} ({seconds:.2f} s)"
          f"{' — warnings count (--strict)' if args.strict and result.warnings else ''}")
    return failed, None


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
