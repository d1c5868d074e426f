"""The stations in order: load -> anchor/compose -> render -> write.

`check` runs the first two; `build` runs them all. Problems travel up as
findings; nothing here prints.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .compose import compose
from .errors import ERROR, Finding, InputError
from .fonts import font_findings
from .load import load
from .model import Edition
from .styles import stylesheet_findings
from .unbreakable import unbreakable_findings


@dataclass(frozen=True)
class Checked:
    edition: Edition | None
    findings: tuple[Finding, ...]

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == ERROR)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity != ERROR)


def check(root: Path) -> Checked:
    """Load and compose the edition at root; every problem found is in .findings."""
    loaded = load(root)
    findings = list(loaded.findings) + font_findings(root, loaded.article, loaded.annotations) \
        + unbreakable_findings(loaded.article, loaded.annotations) + stylesheet_findings(root)
    edition = None
    if loaded.article is not None and not any(f.severity == ERROR for f in findings):
        composed = compose(loaded.article, loaded.annotations)
        findings.extend(composed.findings)
        edition = composed.edition
    elif loaded.article is not None:
        # Still anchor what can be anchored, so one run reports every problem.
        findings.extend(compose(loaded.article, loaded.annotations, build=False).findings)
    return Checked(edition, tuple(sorted(findings, key=_order)))


def checked_edition(root: Path) -> Checked:
    """Like check(), but raise InputError if the edition cannot be built."""
    result = check(root)
    if result.errors or result.edition is None:
        raise InputError(result.findings)
    return result


def _order(f: Finding):
    return (f.path, f.line, f.column, f.code)
