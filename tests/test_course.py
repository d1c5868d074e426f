"""A course in one command: `glossator build A B C --jobs N` (course.py, commands/build.py)."""
from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO, pdf_pages_text, run_cli

from glossator import cli, course
from glossator.cli import worst
from glossator.errors import InputError, RenderError, finding
from glossator.model import Options, Where

EDITIONS = REPO / "tests" / "editions"


def slow_then_fast(root: Path, options: Options) -> course.Outcome:
    """A worker's job without WeasyPrint: the first edition given finishes last; 'broken'
    fails with A101, 'render' with R102, 'crash' with a bug."""
    time.sleep(0.4 if root.name == "first" else 0.0)
    errors = {"broken": InputError([finding("A101", Where("annotations/notes.yaml", 2, 10), item="note",
                                                    id="x", quote="Zebras", closest="")]),
              "render": RenderError([finding("R102", None, reason="no")]),
              "crash": ZeroDivisionError("division by zero")}
    if root.name in errors:
        return course.failed(root, errors[root.name])
    return course.Outcome(root, 0)


def test_outcomes_come_in_the_order_given_not_the_order_finished(tmp_path):
    roots = [tmp_path / name for name in ("first", "broken", "second", "render", "crash")]
    said = []
    outcomes = course.build_course(roots, Options(), 2, said.append, work=slow_then_fast)
    assert [o.root.name for o in said] == ["first", "broken", "second", "render", "crash"]
    assert said == outcomes
    assert [o.code for o in outcomes] == [0, 1, 0, 3, 70]
    assert outcomes[1].findings[0].code == "A101"
    assert outcomes[4].error == "internal error (ZeroDivisionError: division by zero)"


@pytest.mark.parametrize("codes, expected", [([0, 0], 0), ([0, 1, 0], 1), ([1, 3, 0], 3), ([4, 1, 3], 4),
                                             ([70, 4], 70), ([130, 1], 130), ([], 0)])
def test_several_editions_exit_with_the_worst_code(codes, expected):
    assert worst(codes) == expected


def test_cli_says_each_edition_in_order_with_its_path_then_a_summary(tmp_path, monkeypatch, capsys):
    for name in ("first", "broken", "second"):
        (tmp_path / name).mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(course, "build_one", slow_then_fast)
    code = cli.main(["build", "first", "broken", "second", "--jobs", "2"])
    out, err = capsys.readouterr()
    assert code == 1
    assert "broken/annotations/notes.yaml:2:10: A101 note 'x': quote not found" in err
    assert "glossator: broken: build failed; nothing was written." in err
    assert "Traceback" not in err
    assert out.splitlines()[-1].startswith("2 editions built, 1 failed, in ")
    assert "editions/minute (2 at a time)" in out


@pytest.mark.parametrize("args, says", [
    (["a", "b", "--out", "x"], "--out DIR takes one edition's outputs"),
    (["a", "a/."], "a: given twice"),
    (["a", "--jobs", "0"], "give a whole number of editions, 1 or more"),
    (["a", "nowhere"], "nowhere: not a folder"),
])
def test_what_makes_no_sense_with_several_editions_is_a_usage_error(tmp_path, args, says):
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
    result = run_cli("build", *args, cwd=tmp_path)
    assert result.returncode == 2
    assert says in result.stderr
    assert "Traceback" not in result.stderr


def course_of(tmp_path: Path) -> dict[str, Path]:
    """second-inaugural, a broken copy of gettysburg whose last good outputs are in output/, and
    gettysburg, copied into tmp_path."""
    folders = {name: shutil.copytree(EDITIONS / source, tmp_path / name)
               for name, source in (("second-inaugural", "second-inaugural"), ("broken", "gettysburg"),
                                    ("gettysburg", "gettysburg"))}
    notes = folders["broken"] / "annotations" / "notes.yaml"
    notes.write_text(notes.read_text(encoding="utf-8").replace(
        "quote: Four score and seven years ago", "quote: Zebras dancing on the moon"), encoding="utf-8")
    (folders["broken"] / "output").mkdir()
    for name in ("address-delivered-at-the-dedication-of-the-cemetery-at-gettysburg.pdf",
                 "address-delivered-at-the-dedication-of-the-cemetery-at-gettysburg.html"):
        (folders["broken"] / "output" / name).write_bytes(b"the last good output " + name.encode())
    return folders


def outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (folder / "output").glob("*.*")}


def test_a_course_builds_the_good_editions_and_leaves_the_broken_ones_outputs(tmp_path):
    folders = course_of(tmp_path)
    before = outputs(folders["broken"])
    result = subprocess.run([sys.executable, "-m", "glossator", "build", *folders, "--jobs", "2"], cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600)
    said = result.stdout
    assert result.returncode == 1, said
    assert "Traceback" not in said
    assert outputs(folders["broken"]) == before
    assert "broken/annotations/notes.yaml:2:10: A101 note 'four-score': quote not found" in said
    order = [said.index(line) for line in ("second-inaugural: built ", "glossator: broken: build failed",
                                           "gettysburg: built ", "2 editions built, 1 failed")]
    assert order == sorted(order), said
    second = pdf_pages_text(folders["second-inaugural"] / "output" / "second-inaugural-address.pdf")
    assert "With malice toward none" in " ".join(second).replace("\n", " ")
    gettysburg = pdf_pages_text(next((folders["gettysburg"] / "output").glob("*.pdf")))
    assert "Four score and seven years ago" in " ".join(gettysburg).replace("\n", " ")


def test_ctrl_c_stops_a_course_leaving_every_output_old_or_new(tmp_path):
    folders = course_of(tmp_path)
    notes = folders["broken"] / "annotations" / "notes.yaml"  # mended: every edition would build
    notes.write_text(notes.read_text(encoding="utf-8").replace("Zebras dancing on the moon", "Four score and seven "
                                                               "years ago"), encoding="utf-8")
    before = outputs(folders["broken"])
    process = subprocess.Popen([sys.executable, "-m", "glossator", "build", *folders, "--jobs", "2"], cwd=tmp_path,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    time.sleep(3)  # the workers are building
    process.send_signal(signal.SIGINT)  # to the command's process only, as `kill -INT` does
    out, err = process.communicate(timeout=120)
    assert process.returncode == 130, out + err
    assert "Traceback" not in err
    assert "glossator: interrupted;" in err
    for name, data in outputs(folders["broken"]).items():
        assert data == before[name] or data.startswith((b"%PDF", b"<!DOCTYPE"))
    left = [p for f in folders.values() for p in f.rglob(".*") if p.suffix in (".tmp", ".old")]
    assert not left
    new = [p for p in tmp_path.rglob("*.pdf") if p.read_bytes() not in before.values()]
    assert all(p.read_bytes().rstrip().endswith(b"%%EOF") for p in new)  # each whole
