"""Template work is bounded: a template that would take hours or gigabytes is stopped with
R105 at its file and line, and one that cannot be read or that fails is R101; never an
internal error (exit 70), a traceback or a hang, and the previous outputs stay as they were."""
from __future__ import annotations

import os
import time
from pathlib import Path

import jinja2
import pytest

from conftest import make_edition, run_cli
from glossator import sandbox
from glossator.commands.build import build
from glossator.errors import GlossatorError
from glossator.sandbox import BoundedSandbox, TooMuchWork

PAGE = "<!DOCTYPE html>\n<html><body><p>Hello</p>\n{payload}\n</body></html>\n"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """An edition built once; each test replaces its template and builds again."""
    root = make_edition(tmp_path_factory.mktemp("bounds") / "edition")
    result = run_cli("build", root)
    assert result.returncode == 0, result.stderr
    return root


def outputs(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "output").iterdir()) if p.is_file()}


def template(root: Path, payload: str | bytes) -> None:
    (root / "templates").mkdir(exist_ok=True)
    path = root / "templates" / "edition.html.j2"
    if path.is_dir():
        path.rmdir()
    elif path.exists() or path.is_symlink():
        path.unlink()
    data = payload if isinstance(payload, bytes) else PAGE.format(payload=payload).encode("utf-8")
    path.write_bytes(data)


def fails(root: Path, code: str, line: int, exit_code: int = 1) -> str:
    """Build through the CLI; it fails with one `code` at templates/edition.html.j2:line, the
    outputs of the build before untouched. The finding's text."""
    before = outputs(root)
    result = run_cli("build", root, timeout=60)
    assert result.returncode == exit_code, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert f"templates/edition.html.j2:{line}: {code} " in result.stderr, result.stderr
    assert outputs(root) == before
    return result.stderr


@pytest.mark.parametrize("payload, says", [
    ('{{ "x" * 3000000000 }}', "a repetition would make 3,000,000,000 items"),
    ("{{ [1, 2] * 2000000 }}", "a repetition would make 4,000,000 items"),
    ('{{ "x".center(10**12) }}', "str.center would make"),
    ('{{ "%999999999d" % 1 }}', "a format width"),
    ('{{ "{:>999999999}".format(1) }}', "a format width"),
    ('{{ ("x" * 1000000).replace("", "yy") }}', "str.replace would make"),
    ('{{ "x" | center(999999999) }}', "a width would make"),
    ("{{ 10 ** 100000000 }}", "a power would make"),
    ('{% set ns = namespace(s="x") %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}',
     "a value would make 2,097,152 items"),
    ("{% set l = [1] %}{% for i in range(60) %}{{ l.extend(l) }}{% endfor %}", "a list would make"),
    ('{% macro d(s, n) %}{{ d(s ~ s, n - 1) if n else s | length }}{% endmacro %}{{ d("x", 40) }}',
     "a value would make 2,097,152 items"),
])
def test_a_huge_value_is_refused_before_it_is_made(built, payload, says):
    template(built, payload)
    start = time.monotonic()
    said = fails(built, "R105", 3)
    assert says in said and "hint: A template may run" in said
    assert time.monotonic() - start < 30


def test_nested_loops_are_stopped_by_the_clock(tmp_path, monkeypatch):
    monkeypatch.setattr(sandbox, "MAX_SECONDS", 0.3)
    root = make_edition(tmp_path / "edition")
    template(root, "{% for i in range(100000) %}\n{% for j in range(100000) %}{% endfor %}{% endfor %}")
    start = time.monotonic()
    with pytest.raises(GlossatorError) as info:
        build(root, tmp_path / "out")
    assert time.monotonic() - start < 10
    [found] = [f for f in info.value.findings if f.severity == "error"]  # beside check's warning R107
    assert (found.code, found.path, found.line) == ("R105", "templates/edition.html.j2", 4)
    assert "ran for more than 0.3 s" in found.message
    assert not (tmp_path / "out").exists()


def test_output_size_is_bounded(monkeypatch):
    monkeypatch.setattr(sandbox, "MAX_OUTPUT", 1000)
    env = BoundedSandbox()
    with pytest.raises(TooMuchWork, match="output passed 1,000 characters"):
        env.render(env.from_string("{% for i in range(100) %}{{ 'x' * 100 }}{% endfor %}"))
    assert env.render(env.from_string("{% for i in range(9) %}{{ 'x' * 100 }}{% endfor %}")) == "x" * 900


def test_ordinary_template_work_is_untouched():
    env = BoundedSandbox(undefined=jinja2.StrictUndefined)
    source = ("{% for x in items %}{{ loop.index }}/{{ loop.length }}{{ '-' * 3 }}{% else %}none{% endfor %}"
              "{{ '%05.1f' % 3.14159 }} {{ '{:>6}'.format('a') }} {{ 2 ** 10 }} {{ items | join(',') }}")
    assert env.render(env.from_string(source), items=[7, 8]) == "1/2---2/2---003.1      a 1024 7,8"
    assert env.render(env.from_string(source), items=[]) == "none003.1      a 1024 "


def test_recursion_and_python_errors_in_a_template_are_template_errors(built):
    template(built, "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}")
    assert "calls itself too deeply" in fails(built, "R105", 3)
    template(built, "{{ 1 / 0 }}")
    assert "R101 template error: ZeroDivisionError: division by zero" in fails(built, "R101", 3)


@pytest.mark.parametrize("kind", ["latin-1", "folder", "fifo"])
def test_a_template_that_cannot_be_read(built, kind):
    if kind == "latin-1":
        template(built, "<p>ok</p>\n<p>café</p>\n".encode("latin-1"))
        said = fails(built, "R101", 2)
        assert "edition.html.j2 is not UTF-8 text (byte 0xe9 at offset 16)" in said
        return
    template(built, "")
    path = built / "templates" / "edition.html.j2"
    path.unlink()
    path.mkdir() if kind == "folder" else os.mkfifo(path)
    before = outputs(built)
    result = run_cli("build", built, timeout=60)
    assert result.returncode == 1 and "Traceback" not in result.stderr  # the edition's problem, as in check
    what = "a folder" if kind == "folder" else "a named pipe"
    assert f"templates/edition.html.j2: R101 template error: edition.html.j2 is {what}, not a template file" \
           in result.stderr
    assert outputs(built) == before
    path.rmdir() if kind == "folder" else path.unlink()
