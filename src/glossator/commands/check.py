"""`glossator check`: everything a build would use, validated without rendering."""
from __future__ import annotations

import sys

from ..pipeline import check
from . import edition_root, report


def add_parser(sub) -> None:
    p = sub.add_parser("check", help="validate the edition without rendering")
    p.add_argument("path", nargs="?", default=".", help="the edition folder (default: here)")


def run(args) -> int:
    result = check(edition_root(args.path))
    report(result.findings)
    print(f"{len(result.errors)} errors, {len(result.warnings)} warnings", file=sys.stderr)
    return 1 if result.errors else 0
