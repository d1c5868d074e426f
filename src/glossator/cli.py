"""The command line: parse, run one command, print its problems, choose the exit code.

Only the CLI and the command modules print; only this module exits. Exit codes:
0 success, 1 problems in the edition, 2 bad usage, 3 rendering failed,
4 outputs could not be written, 70 internal error (a bug), 130 interrupted.
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys

from . import __version__
from .commands import NAMES, imports_set_aside, report, show_cause
from .errors import GlossatorError, UsageError, printable

INTERNAL = 70  # a bug: never for a foreign input
INTERRUPTED = 130  # Ctrl-C
BROKEN_PIPE = 141  # the program reading the output stopped early, as a shell counts SIGPIPE


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="glossator", description="Build printable annotated editions.")
    top.add_argument("--version", action="version", version=f"glossator {__version__}")
    sub = top.add_subparsers(dest="command", metavar="COMMAND")
    with imports_set_aside():
        for name in NAMES:
            command(name).add_parser(sub)
    return top


def command(name: str):
    return importlib.import_module(f"glossator.commands.{name}")


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    if args.command is None:
        parser().print_help(sys.stderr)
        return 2
    try:
        return command(args.command).run(args)
    except UsageError as exc:
        print(f"glossator: {printable(str(exc))}", file=sys.stderr)  # it may quote a file name or its text
        return exc.exit_code
    except GlossatorError as exc:
        show_cause(exc)
        report(exc.findings)
        print(f"glossator: {args.command} failed; previous outputs were left as they were.", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("glossator: interrupted; previous outputs were left as they were.", file=sys.stderr)
        return INTERRUPTED
    except BrokenPipeError:  # `glossator check | head`: the reader has all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nothing more to flush at exit
        return BROKEN_PIPE
    except Exception as exc:  # a bug: say so plainly, keep the traceback for those who ask
        if os.environ.get("GLOSSATOR_DEBUG"):
            raise
        print(f"glossator: {internal_error(exc)}. Previous outputs were left as they were. Set GLOSSATOR_DEBUG=1 "
              "to see the traceback, and please report it.", file=sys.stderr)
        return INTERNAL


def internal_error(exc: BaseException) -> str:
    return f"internal error ({type(exc).__name__}: {printable(str(exc))})"


def exit_code(exc: BaseException) -> int:
    """The exit code for what stopped a command, or one edition of several (`build A B C`)."""
    if isinstance(exc, (GlossatorError, UsageError)):
        return exc.exit_code
    return INTERRUPTED if isinstance(exc, KeyboardInterrupt) else INTERNAL


def worst(codes) -> int:
    """Several editions' exit code: 0 if all were built, else the highest of theirs
    (1 edition problems, 3 rendering, 4 outputs, 70 internal error, 130 interrupted)."""
    return max(codes, default=0)
