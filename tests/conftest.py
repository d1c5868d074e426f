"""Shared fixtures: the bundled edition built once, and small editions made to order."""
from __future__ import annotations

import fcntl
import functools
import hashlib
import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from pdfcheck import read_pdf

REPO = Path(__file__).resolve().parents[1]


# The files that take longest (measured with --durations), longest first. With --dist loadfile a
# worker takes the next file when it is free: starting the long ones first leaves the short ones to
# even out the two workers' ends, instead of one long file running on alone at the end.
SLOW_FIRST = ("test_variants.py", "test_pdf_variants.py", "test_pages.py", "test_glossary_columns.py",
              "test_print.py", "test_stress.py", "test_write.py", "test_editions.py", "test_templates_bounds.py",
              "test_surface.py", "test_web.py", "test_check.py")


def pytest_collection_modifyitems(items):
    rank = {name: i for i, name in enumerate(SLOW_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: the rest keep their order


def run_cli(*args, cwd=None, timeout=300):
    """Run `python -m glossator ARGS` as a user would; returns the CompletedProcess."""
    return subprocess.run([sys.executable, "-m", "glossator", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=timeout)


def cli(*args, cwd=None) -> subprocess.CompletedProcess:
    """`glossator ARGS` run in this process (cli.main, as `python -m glossator` calls it):
    the same exit code, standard output and error as run_cli gives, without a new process
    that imports WeasyPrint and loads the fonts again (about 2 s of processor time a build).
    For what only a process shows (signals, the environment, a hang cut short by a timeout,
    what a library logs) use run_cli."""
    import contextlib
    import gc
    import io
    import os

    from glossator import cli as glossator_cli

    out, err, here, threshold = io.StringIO(), io.StringIO(), os.getcwd(), gc.get_threshold()
    try:
        if cwd is not None:
            os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = glossator_cli.main(list(map(str, args)))
            except SystemExit as exc:  # argparse's usage errors
                code = exc.code if isinstance(exc.code, int) else 2
    finally:
        os.chdir(here)
        if gc.get_threshold() != threshold:  # a build tuned the collector for a process of its own
            gc.unfreeze()  # (commands.tune_collector): the test run's garbage is collected as before
            gc.set_threshold(*threshold)
    return subprocess.CompletedProcess(["glossator", *map(str, args)], code, out.getvalue(), err.getvalue())


ARTICLE = """\
---
title: A Small Test Article
author: Ada Tester
publication: The Test Review
date: 2021-05-04
lang: en
---

The first paragraph mentions the Status of Forces Agreement and the Green Zone in Baghdad.

The second paragraph talks about the Quds Force and about Kataib Hezbollah (KH), twice: KH again.

::: pullquote
A pull quote repeats a line.
:::

The third paragraph closes the article with a sentence about the embassy in Baghdad.
"""


def make_edition(root: Path, article: str = ARTICLE, notes: str | None = None,
                 glossary: str | None = None, chronology: str | None = None) -> Path:
    """Write a small edition folder at root and return it. YAML strings are dedented."""
    (root / "source").mkdir(parents=True, exist_ok=True)
    (root / "annotations").mkdir(exist_ok=True)
    (root / "source" / "article.md").write_text(article, encoding="utf-8")
    for name, text in (("notes", notes), ("glossary", glossary), ("chronology", chronology)):
        if text is not None:
            (root / "annotations" / f"{name}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return root


@pytest.fixture
def edition(tmp_path):
    """A factory: edition(notes=..., glossary=..., chronology=..., article=...) -> folder."""
    def factory(**kwargs):
        return make_edition(tmp_path / "edition", **kwargs)
    return factory


@pytest.fixture(scope="session")
def build_once(tmp_path_factory):
    """build_once(folder, *options) -> (the CLI's CompletedProcess, its output folder): each
    edition and set of options is built once per test run (by `cli`, in the process),
    however many tests read it and whichever worker (pytest-xdist) asks first; the others
    wait for it and read the same files.
    The outputs are read-only to the tests."""
    shared = tmp_path_factory.getbasetemp()
    shared = shared.parent if shared.name.startswith("popen-gw") else shared  # one run, every worker
    return functools.partial(_built, shared / "builds")


def _built(builds: Path, root, *options, wait: bool = True):
    """wait=False: None at once if another worker is building it (see built_all)."""
    args = [str(root), *map(str, options)]
    folder = builds / hashlib.sha256(json.dumps(args).encode()).hexdigest()[:16]
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "lock", "w") as lock:
        try:  # a second worker waits here for the first one's build
            fcntl.flock(lock, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            return None
        said = folder / "result.json"
        if not said.exists():
            result = cli("build", *args, "--out", folder / "out")
            said.write_text(json.dumps([result.returncode, result.stdout, result.stderr]), encoding="utf-8")
        returncode, stdout, stderr = json.loads(said.read_text(encoding="utf-8"))
    return subprocess.CompletedProcess(["glossator", "build", *args], returncode, stdout, stderr), folder / "out"


def built_all(build_once, *requests: tuple) -> list:
    """build_once(*request) for each request, in order; the builds no other worker has
    started are made first, so that two workers asking for the same ones share them out."""
    ready = {request: build_once(*request, wait=False) for request in requests}
    return [ready[request] or build_once(*request) for request in requests]


SLUG = "the-death-of-the-us-iraqi-relationship"  # the bundled edition's files


def bundled_build(build_once, paper: str = "letter"):
    """The bundled edition's reader copy on `paper`, built once per test run for every test
    that reads it (the print checks, the classroom copies, ...): (result, output folder)."""
    return build_once(*_bundled(paper))


def _bundled(paper: str) -> tuple:
    """bundled_build's request: with --booklet, which adds the imposed copy and changes nothing else."""
    return (REPO, "--booklet", *(() if paper == "letter" else ("--paper", paper)))


@pytest.fixture(scope="session")
def bundled(build_once):
    """The repository's own edition, built once (Letter, duplex) into a temporary folder."""
    result, out = bundled_build(build_once)
    assert result.returncode == 0, result.stderr
    return out / f"{SLUG}.pdf"


def pdf_pages_text(pdf: Path) -> list[str]:
    """Each page's text (pdfplumber's extract_text), worked out once per PDF however many
    tests read it: a built PDF is replaced whole, never changed in place (as read_pdf)."""
    stat = Path(pdf).stat()
    return list(_pages_text(str(Path(pdf).resolve()), stat.st_mtime_ns, stat.st_size))


@functools.lru_cache(maxsize=16)
def _pages_text(path: str, mtime_ns: int, size: int) -> tuple[str, ...]:
    with read_pdf(path) as doc:
        return tuple(page.extract_text() or "" for page in doc.pages)


def copy_bundled(dest: Path) -> Path:
    """A copy of the bundled edition's inputs (no output/), to change in a test."""
    for name in ("source", "annotations", "styles"):
        if (REPO / name).exists():
            shutil.copytree(REPO / name, dest / name)
    return dest


def html_elements(html: str) -> list[tuple[str, dict]]:
    """Every start tag of an HTML text, in order: (tag, {attribute: value})."""
    from html.parser import HTMLParser

    found: list[tuple[str, dict]] = []
    parser = HTMLParser()
    parser.handle_starttag = lambda tag, attrs: found.append((tag, dict(attrs)))
    parser.feed(html)
    parser.close()
    return found


@pytest.fixture(scope="session", params=["letter", "a4"])
def classroom(request, build_once):
    """The bundled edition's copies on each paper: (paper, {copy: PDF path}), the copies being
    reader, student, teacher, large-print and booklet (the reader's), as `build --all` writes
    them. Each copy is built on its own (--variant; a copy is the same file either way), the
    reader's being conftest.bundled's build: smaller builds, shared, that both workers can share out."""
    paper = request.param
    copies = ("student", "teacher", "large-print")
    (result, out), *others = built_all(build_once, _bundled(paper),
                                       *((REPO, "--variant", copy, "--paper", paper) for copy in copies))
    assert result.returncode == 0, result.stderr
    pdfs = {"reader": out / f"{SLUG}.pdf", "booklet": out / f"{SLUG}-booklet.pdf"}
    for copy, (result, out) in zip(copies, others):
        assert result.returncode == 0, result.stderr
        pdfs[copy] = out / f"{SLUG}-{copy}.pdf"
    return paper, pdfs
