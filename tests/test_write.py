"""Never lose the last good output: a failed, interrupted or killed build leaves output/ as it was."""
from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import cli, make_edition, run_cli
from glossator import write
from glossator.errors import OutputError

SLUG = "a-small-test-article"  # conftest's ARTICLE
NOTES = "- id: quds\n  quote: the Quds Force\n  body: The foreign arm of Iran's Revolutionary Guard.\n"


def previous_outputs(root: Path) -> dict[str, bytes]:
    """Stand-ins for the last good build's files, so no test needs a first build."""
    out = root / "output"
    out.mkdir()
    files = {f"{SLUG}.pdf": b"%PDF-1.7 the last good PDF\n", f"{SLUG}.html": b"<!doctype html>last good\n",
             "notes-to-self.txt": b"not ours\n"}
    for name, data in files.items():
        (out / name).write_bytes(data)
    return files


def contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def every_file(folder: Path) -> dict[str, bytes]:
    """Every file under folder (hidden ones too), by its path in the folder."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


# --- write_outputs -----------------------------------------------------------------------

def test_all_files_are_replaced_on_success(tmp_path):
    (tmp_path / "a.pdf").write_bytes(b"old")
    written = write.write_outputs(tmp_path, {"a.pdf": b"new pdf", "a.html": b"new html"})
    assert [p.name for p in written] == ["a.pdf", "a.html"]
    assert contents(tmp_path) == {"a.pdf": b"new pdf", "a.html": b"new html"}


def test_a_failure_while_staging_replaces_nothing_and_leaves_no_temporary_file(tmp_path, monkeypatch):
    (tmp_path / "a.pdf").write_bytes(b"old pdf")
    (tmp_path / "a.html").write_bytes(b"old html")
    staged = write.staged_file

    def fail_on_the_second(folder, name, data):
        if name == "a.html":
            raise OSError(28, "No space left on device")
        return staged(folder, name, data)

    monkeypatch.setattr(write, "staged_file", fail_on_the_second)
    with pytest.raises(OutputError) as caught:
        write.write_outputs(tmp_path, {"a.pdf": b"new pdf", "a.html": b"new html"})
    assert "No space left on device" in caught.value.findings[0].message
    assert contents(tmp_path) == {"a.pdf": b"old pdf", "a.html": b"old html"}


def test_a_file_in_a_subfolder_is_written_there_and_a_link_planted_as_the_subfolder_is_replaced(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "fonts").symlink_to(elsewhere)
    write.write_outputs(out, {"fonts/a.otf": b"font", "a.html": b"html"})
    assert not (out / "fonts").is_symlink()
    assert (out / "fonts" / "a.otf").read_bytes() == b"font"
    assert list(elsewhere.iterdir()) == []


@pytest.mark.parametrize("name", ["../a.pdf", "fonts/../../a.pdf", "a/b/c.otf", ".hidden", "/abs.pdf"])
def test_a_name_that_would_leave_the_folder_is_refused(tmp_path, name):
    with pytest.raises(OutputError) as caught:
        write.write_outputs(tmp_path / "out", {name: b"x"})
    assert caught.value.findings[0].code == "O103"
    assert not (tmp_path / "a.pdf").exists()


def test_a_file_already_holding_the_same_bytes_is_left_as_it_is(tmp_path):
    write.write_outputs(tmp_path, {"fonts/a.otf": b"font", "a.pdf": b"one"})
    before = (tmp_path / "fonts" / "a.otf").stat()
    write.write_outputs(tmp_path, {"fonts/a.otf": b"font", "a.pdf": b"two"})
    after = (tmp_path / "fonts" / "a.otf").stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert (tmp_path / "a.pdf").read_bytes() == b"two"


def test_a_folder_where_an_output_goes_fails_before_any_output_is_replaced(tmp_path):
    (tmp_path / "a.pdf").write_bytes(b"old pdf")
    (tmp_path / "a.html").mkdir()
    (tmp_path / "a.html" / "page.txt").write_bytes(b"mine")
    with pytest.raises(OutputError) as caught:
        write.write_outputs(tmp_path, {"fonts/f.otf": b"font", "a.pdf": b"new pdf", "a.html": b"new html"})
    [problem] = caught.value.findings
    assert problem.code == "O101" and problem.path == str(tmp_path / "a.html")
    assert "a folder stands where this output goes" in problem.message
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["a.html", "a.pdf", "page.txt"]
    assert (tmp_path / "a.pdf").read_bytes() == b"old pdf"


def test_a_file_where_the_fonts_folder_goes_is_neither_deleted_nor_written_through(tmp_path):
    (tmp_path / "fonts").write_bytes(b"a file of the user's")
    with pytest.raises(OutputError) as caught:
        write.write_outputs(tmp_path, {"fonts/f.otf": b"font", "a.pdf": b"new pdf"})
    assert "a file stands where this folder of outputs goes" in caught.value.findings[0].message
    assert contents(tmp_path) == {"fonts": b"a file of the user's"}


def failing_on(name: str, error: BaseException):
    """A put_in_place that fails (raises error) for the output called name."""
    real = write.put_in_place

    def put_in_place(temp, final):
        if final.name == name:
            raise error
        real(temp, final)
    return put_in_place


@pytest.mark.parametrize("error, raised", [(OSError(16, "Device or resource busy"), OutputError),
                                           (KeyboardInterrupt(), KeyboardInterrupt)], ids=["rename fails", "Ctrl-C"])
def test_a_commit_stopped_between_two_renames_puts_the_old_outputs_back(tmp_path, monkeypatch, error, raised):
    (tmp_path / "a.pdf").write_bytes(b"old pdf")
    (tmp_path / "a.html").write_bytes(b"old html")
    (tmp_path / "a.txt").write_bytes(b"same")
    monkeypatch.setattr(write, "put_in_place", failing_on("a.html", error))
    new = {"fonts/f.otf": b"font", "a.pdf": b"new pdf", "a.txt": b"same", "a.html": b"new html"}
    with pytest.raises(raised) as caught:
        write.write_outputs(tmp_path, new)  # fonts/f.otf (new) and a.pdf renamed, then a.html fails
    if raised is OutputError:
        assert caught.value.findings[0].format().startswith(f"{tmp_path / 'a.html'}: O101 cannot write ")
        assert "Device or resource busy" in caught.value.findings[0].message
    # The old set, and no temporary file; the new font (no old one) is gone again.
    assert every_file(tmp_path) == {"a.pdf": b"old pdf", "a.html": b"old html", "a.txt": b"same"}
    monkeypatch.undo()
    write.write_outputs(tmp_path, new)
    assert (tmp_path / "a.pdf").read_bytes() == b"new pdf" and (tmp_path / "a.html").read_bytes() == b"new html"


def test_the_old_file_kept_during_the_commit_is_the_same_file_not_a_copy(tmp_path, monkeypatch):
    """The old output stays in place, whole, until its rename: its second name is a hard link."""
    (tmp_path / "a.pdf").write_bytes(b"old pdf")
    inode = (tmp_path / "a.pdf").stat().st_ino
    seen = []
    real = write.put_in_place

    def put_in_place(temp, final):
        seen.extend((p.name, p.stat().st_ino) for p in tmp_path.glob(".a.pdf.*.old"))
        real(temp, final)

    monkeypatch.setattr(write, "put_in_place", put_in_place)
    write.write_outputs(tmp_path, {"a.pdf": b"new pdf"})
    assert [i for _, i in seen] == [inode]
    assert contents(tmp_path) == {"a.pdf": b"new pdf"}


# --- one build at a time -----------------------------------------------------------------

@pytest.fixture
def held(tmp_path):
    """The folder tmp_path/out, locked as another build writing there would lock it;
    calling the fixture's value releases the lock."""
    import fcntl
    import os

    folder = tmp_path / "out"
    folder.mkdir()
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    release = SimpleNamespace(folder=folder, done=False)

    def unlock():
        if not release.done:
            release.done = True
            os.close(fd)
    release.unlock = unlock
    yield release
    unlock()


def test_a_build_waits_for_another_writing_to_the_same_folder_then_writes(held):
    import threading

    folder = held.folder
    (folder / "a.pdf").write_bytes(b"old")
    theirs = folder / ".a.pdf.abcd1234.tmp"  # the other build's staged file
    theirs.write_bytes(b"theirs")
    thread = threading.Thread(target=write.write_outputs, args=(folder, {"a.pdf": b"new"}))
    thread.start()
    time.sleep(0.5)
    assert thread.is_alive()  # waiting, and nothing touched meanwhile
    assert contents(folder) == {"a.pdf": b"old", ".a.pdf.abcd1234.tmp": b"theirs"}
    held.unlock()
    thread.join(10)
    # Once it holds the lock, the other build is gone: what it left is removed.
    assert contents(folder) == {"a.pdf": b"new"}


def test_the_wait_for_another_build_is_bounded_and_said(held, monkeypatch):
    folder = held.folder
    (folder / "a.pdf").write_bytes(b"old")
    (folder / ".a.pdf.abcd1234.tmp").write_bytes(b"theirs")
    monkeypatch.setattr(write, "LOCK_WAIT_S", 0.3)
    with pytest.raises(OutputError) as caught:
        write.write_outputs(folder, {"a.pdf": b"new"})
    [problem] = caught.value.findings
    assert problem.code == "O104"
    assert problem.message == f"another build is writing to {folder}; waited 0.3 s for it to finish"
    assert "wait for it and build again" in problem.hint
    assert contents(folder) == {"a.pdf": b"old", ".a.pdf.abcd1234.tmp": b"theirs"}


# --- whole builds ------------------------------------------------------------------------

def test_a_build_with_a_bad_annotation_leaves_the_outputs_byte_identical(tmp_path):
    root = make_edition(tmp_path / "ed", notes=NOTES.replace("the Quds Force", "the Quds Brigade of the IRGC"))
    before = previous_outputs(root)
    result = run_cli("build", root)
    assert result.returncode == 1
    assert "A101 note 'quds': quote not found" in result.stderr
    assert "nothing was written, and the outputs in " in result.stderr
    assert contents(root / "output") == before


# Runs `glossator ARGS` with a test-only hook (patched in here, not an option of Glossator):
# when the build reaches MOMENT it writes FLAG, for the test to act (send a signal, start a
# second build), then waits until the file GO exists (at most 120 s).
#   render          when rendering starts; the wait comes after the real rendering, so
#                   whenever the signal lands, it is before any writing
#   renamed:SUFFIX  right after the output whose name ends with SUFFIX is renamed into place
#   writing         when the outputs are about to be written (no wait)
DRIVER = textwrap.dedent("""\
    import sys, time
    from pathlib import Path
    import glossator.render as render
    import glossator.write as write
    from glossator.cli import main

    flag, moment, go = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])

    def wait():
        deadline = time.monotonic() + 120
        while not go.exists() and time.monotonic() < deadline:
            time.sleep(0.02)

    def hook(module, name, before=None, after=None):
        real = getattr(module, name)
        def hooked(*args, **kwargs):
            if before:
                before(*args)
            result = real(*args, **kwargs)
            if after:
                after(*args)
            return result
        setattr(module, name, hooked)

    if moment == "render":
        hook(render.Renderer, "render", before=lambda *a: flag.write_text(moment), after=lambda *a: wait())
    elif moment.startswith("renamed:"):
        def after(temp, final):
            if final.name.endswith(moment.split(":", 1)[1]):
                flag.write_text(moment)
                wait()
        hook(write, "put_in_place", after=after)
    elif moment == "writing":
        hook(write, "write_outputs", before=lambda *a: flag.write_text(moment))
    sys.exit(main(sys.argv[4:]))
""")


def hooked_build(root: Path, moment: str, name: str = "a") -> tuple[subprocess.Popen, Path, Path]:
    """A `glossator build` of root in a child process with the test's hook at moment; returns
    (process, flag, go) once the build has reached the moment."""
    flag, go = root.parent / f"{name}.flag", root.parent / f"{name}.go"
    process = subprocess.Popen([sys.executable, "-c", DRIVER, str(flag), moment, str(go), "build", str(root)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not flag.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise AssertionError(f"the build never reached {moment}: {process.communicate()}")
        time.sleep(0.01)
    return process, flag, go


def finished(process: subprocess.Popen, timeout: float = 120) -> subprocess.CompletedProcess:
    try:
        out, err = process.communicate(timeout=timeout)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def interrupted_build(root: Path, sig: int, moment: str = "render") -> subprocess.CompletedProcess:
    process, _, _ = hooked_build(root, moment)
    process.send_signal(sig)
    return finished(process, timeout=60)


@pytest.fixture(scope="module")
def fresh(build_once, tmp_path_factory) -> dict[str, bytes]:
    """What a build of an edition with NOTES writes, built once elsewhere (builds are
    byte-identical whatever the folder)."""
    result, out = build_once(make_edition(tmp_path_factory.mktemp("fresh") / "ed", notes=NOTES))
    assert result.returncode == 0, result.stderr
    return every_file(out)


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["SIGKILL", "SIGINT"])
def test_a_build_killed_or_interrupted_mid_render_leaves_the_outputs_byte_identical(tmp_path, sig):
    root = make_edition(tmp_path / "ed", notes=NOTES)
    before = previous_outputs(root)
    result = interrupted_build(root, sig)
    if sig == signal.SIGKILL:
        assert result.returncode == -signal.SIGKILL
    else:
        assert result.returncode == 130
        assert "interrupted; previous outputs were left as they were" in result.stderr
        assert "Traceback" not in result.stderr
    assert contents(root / "output") == before  # byte-identical, and no temporary files left
    assert sorted(p.name for p in root.iterdir()) == ["annotations", "output", "source"]


def test_a_build_killed_between_two_renames_leaves_each_output_whole_and_the_next_build_tidies(tmp_path, fresh):
    root = make_edition(tmp_path / "ed", notes=NOTES)
    new = fresh
    before = previous_outputs(root)
    result = interrupted_build(root, signal.SIGKILL, moment=f"renamed:{SLUG}.pdf")
    assert result.returncode == -signal.SIGKILL
    # What the user is left with: each output whole, the new PDF (and fonts) with the old HTML.
    left = every_file(root / "output")
    shown = {name: data for name, data in left.items() if not name.startswith(".")}
    assert shown == {**{n: d for n, d in new.items() if n != f"{SLUG}.html"}, f"{SLUG}.html": before[f"{SLUG}.html"],
                     "notes-to-self.txt": before["notes-to-self.txt"]}
    # ...and, hidden, the old PDF kept for the undo and the new HTML staged, both whole.
    hidden = sorted((name.split(".")[-1], data) for name, data in left.items() if name.startswith("."))
    assert hidden == [("old", before[f"{SLUG}.pdf"]), ("tmp", new[f"{SLUG}.html"])]
    # The next build replaces the set and removes what the killed one left.
    result = cli("build", root)
    assert result.returncode == 0, result.stderr
    assert every_file(root / "output") == {**new, "notes-to-self.txt": before["notes-to-self.txt"]}


def test_a_build_interrupted_between_two_renames_puts_the_previous_outputs_back(tmp_path):
    root = make_edition(tmp_path / "ed", notes=NOTES)
    before = previous_outputs(root)
    result = interrupted_build(root, signal.SIGINT, moment=f"renamed:{SLUG}.pdf")
    assert result.returncode == 130
    assert "interrupted; previous outputs were left as they were" in result.stderr
    assert "Traceback" not in result.stderr
    assert contents(root / "output") == before  # byte-identical: no fonts/, no temporary files


def test_a_folder_where_the_html_goes_fails_the_build_and_the_pdf_is_not_replaced(tmp_path):
    root = make_edition(tmp_path / "ed", notes=NOTES.replace("the Quds Force", "Quds Force"))  # a warning too
    before = previous_outputs(root)
    html = root / "output" / f"{SLUG}.html"
    html.unlink()
    html.mkdir()
    (html / "index.html").write_bytes(b"a page of the user's")
    result = cli("build", root)
    assert result.returncode == 4, result.stderr
    assert f"output/{SLUG}.html: O101 cannot write " in result.stderr
    assert "a folder stands where this output goes; move it away" in result.stderr
    assert "nothing was written, and the outputs in " in result.stderr and "Traceback" not in result.stderr
    assert "quds" in result.stderr and ": A1" in result.stderr  # check's warning (a short quote) is said too
    assert every_file(root / "output") == {f"{SLUG}.pdf": before[f"{SLUG}.pdf"],
                                           f"{SLUG}.html/index.html": b"a page of the user's",
                                           "notes-to-self.txt": before["notes-to-self.txt"]}


def test_two_builds_at_once_take_turns_and_both_succeed(tmp_path, fresh):
    """`watch` and a build by hand: the second waits for the first to finish writing, and
    neither removes the other's staged files."""
    root = make_edition(tmp_path / "ed", notes=NOTES)
    new = fresh
    first, _, go = hooked_build(root, f"renamed:{SLUG}.pdf", name="first")  # holds the lock, mid-commit
    second, _, _ = hooked_build(root, "writing", name="second")
    time.sleep(0.5)
    assert second.poll() is None, finished(second)  # waiting for the first
    assert (root / "output" / f"{SLUG}.pdf").read_bytes() == new[f"{SLUG}.pdf"]
    go.touch()
    results = finished(first), finished(second)
    for result in results:
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        assert f"wrote {root / 'output' / SLUG}.html" in result.stdout
    assert every_file(root / "output") == new


def test_a_build_says_its_findings_from_where_it_was_run_what_it_left_and_what_it_left_unchanged(tmp_path):
    """`build ed` names files as `check ed` does (ed/annotations/…), says that a failed build wrote
    nothing (and names the earlier outputs only where there are some), and says which outputs
    a build left unchanged because they already held the same bytes."""
    root = make_edition(tmp_path / "ed", notes=NOTES.replace("the Quds Force", "the Quds Brigade of the IRGC"))
    failed = cli("build", "ed", cwd=tmp_path)
    assert failed.returncode == 1
    assert "ed/annotations/notes.yaml:" in failed.stderr and "A101 note 'quds'" in failed.stderr
    assert failed.stderr.splitlines()[-1] == "glossator: build failed; nothing was written."
    assert not (root / "output").exists()

    (root / "annotations" / "notes.yaml").write_text(NOTES, encoding="utf-8")
    first, again = cli("build", "ed", cwd=tmp_path), cli("build", "ed", cwd=tmp_path)
    assert first.returncode == again.returncode == 0, first.stderr + again.stderr
    assert f"wrote ed/output/{SLUG}.pdf" in first.stdout.splitlines()
    assert f"unchanged ed/output/{SLUG}.pdf" in again.stdout.splitlines()
    assert f"unchanged ed/output/{SLUG}.html" in again.stdout.splitlines()

    before = every_file(root / "output")
    (root / "annotations" / "notes.yaml").write_text(NOTES.replace("the Quds Force", "the Quds Brigade"),
                                                     encoding="utf-8")
    failed = cli("build", "ed", cwd=tmp_path)
    assert failed.returncode == 1
    assert failed.stderr.splitlines()[-1] == ("glossator: build failed; nothing was written, and the outputs in "
                                              "ed/output/ were left as they were.")
    assert every_file(root / "output") == before
