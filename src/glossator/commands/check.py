"""`glossator check`: everything a build would use, validated without rendering.

Exit 0: no errors (warnings allowed, unless --strict); 1: problems found;
2: bad usage. The findings go to standard output, as text lines an editor can
jump to (paths relative to the current folder) or as JSON.
"""
from __future__ import annotations

import json
import time
from dataclasses import replace
from pathlib import Path

from ..errors import printable
from ..pipeline import check
from . import display, edition_root


def add_parser(sub) -> None:
    p = sub.add_parser("check", help="validate the edition without rendering",
                       description="Validate the article and the annotation files: YAML, fields, "
                                   "anchors, glossary and chronology. Exit 0 when clean, 1 when "
                                   "problems are found, 2 on bad usage.")
    p.add_argument("path", nargs="?", default=".", help="the edition folder (default: here)")
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help="text lines (default), or one JSON object for programs")
    p.add_argument("--strict", action="store_true", help="count warnings as problems too (exit 1)")


def run(args) -> int:
    root = edition_root(args.path)
    start = time.perf_counter()
    result = check(root)
    seconds = time.perf_counter() - start
    failed = bool(result.errors or (args.strict and result.warnings))
    if args.format == "json":
        print(json.dumps({
            "root": printable(str(root)), "ok": not failed, "strict": args.strict,
            "errors": len(result.errors), "warnings": len(result.warnings),
            "findings": [f.as_dict() for f in result.findings],
        }, indent=2, ensure_ascii=False))
    else:
        prefix = display(root)
        for f in result.findings:
            # Paths relative to where the user is, so an editor or terminal can open them.
            print(replace(f, path=str(Path(prefix) / f.path) if prefix != "." and f.path else f.path).format())
        print(f"{_count(len(result.errors), 'error')}, {_count(len(result.warnings), 'warning')} "
              f"({seconds:.2f} s){' — warnings count (--strict)' if args.strict and result.warnings else ''}")
    return 1 if failed else 0


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
