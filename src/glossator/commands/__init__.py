"""One module per command, each with `add_parser(subparsers)` and `run(args) -> exit code`.

Command modules import heavy libraries (WeasyPrint) inside `run`, never at the
top, so `glossator check` starts fast. Helpers shared by commands live here.
"""
from __future__ import annotations

import contextlib
import gc
import os
import sys
from dataclasses import replace
from pathlib import Path

from ..errors import Finding, UsageError

NAMES = ("build", "check", "watch", "new", "schema")


def edition_root(path: str) -> Path:
    root = Path(path)
    if not root.is_dir():
        raise UsageError(f"{path}: not a folder. Give the edition folder (the one holding source/ and annotations/).")
    return root.resolve()


def report(findings) -> None:
    for f in findings:
        print(f.format(), file=sys.stderr)


def show_cause(exc: BaseException) -> None:
    """With GLOSSATOR_DEBUG set, the foreign error behind a finding (R102), with its traceback."""
    if os.environ.get("GLOSSATOR_DEBUG") and exc.__cause__ is not None:
        import traceback  # only when asked for: check starts faster without it

        traceback.print_exception(exc.__cause__)


def in_folder(f: Finding, prefix: str) -> Finding:
    """f as seen from here: its path (relative to its edition) under the edition's folder
    `prefix`, so an editor or terminal can open it."""
    return replace(f, path=str(Path(prefix) / f.path)) if prefix != "." and f.path else f


def display(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


@contextlib.contextmanager
def imports_set_aside():
    """Importing the commands makes about 28,000 objects that live as long as the process:
    the cycle collector is paused while they are made, then told to leave them alone
    (gc.freeze) rather than trace them again and again, which took a tenth of `check`.
    Once per process: a later freeze would also hide from the collector whatever garbage
    the process (a test run calling main() again and again) had made in the meantime."""
    enabled, first = gc.isenabled(), not gc.get_freeze_count()
    gc.disable()
    try:
        yield
    finally:
        if first:
            gc.freeze()
        if enabled:
            gc.enable()


def tune_collector() -> None:
    """For a process that builds: a layout makes millions of small objects (WeasyPrint's
    boxes), few of them garbage until the build ends. Python's cycle collector, run every
    700 new objects by default, traces them again and again (a tenth of a build's time).
    Set aside what is loaded now (as imports_set_aside does), and collect less often."""
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)
