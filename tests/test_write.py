"""Never lose the last good output: a failed, interrupted or killed build leaves output/ as it was."""
from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conftest import make_edition, run_cli
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


# --- whole builds ------------------------------------------------------------------------

def test_a_build_with_a_bad_annotation_leaves_the_outputs_byte_identical(tmp_path):
    root = make_edition(tmp_path / "ed", notes=NOTES.replace("the Quds Force", "the Quds Brigade of the IRGC"))
    before = previous_outputs(root)
    result = run_cli("build", root)
    assert result.returncode == 1
    assert "A101 note 'quds': quote not found" in result.stderr
    assert "previous outputs were left as they were" in result.stderr
    assert contents(root / "output") == before


# Runs a build in which rendering, once started, signals the test through a file and,
# after the real rendering, waits: whenever the signal lands, it is before any writing.
DRIVER = textwrap.dedent("""\
    import sys, time
    from pathlib import Path
    import glossator.render as render
    from glossator.cli import main

    real_render = render.Renderer.render

    def render_then_wait(self, *args, **kwargs):
        Path(sys.argv[1]).write_text("rendering")
        rendered = real_render(self, *args, **kwargs)
        time.sleep(120)
        return rendered

    render.Renderer.render = render_then_wait
    sys.exit(main(sys.argv[2:]))
""")


def interrupted_build(root: Path, sig: int) -> subprocess.CompletedProcess:
    flag = root.parent / "rendering.flag"
    process = subprocess.Popen([sys.executable, "-c", DRIVER, str(flag), "build", str(root)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while not flag.exists():
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the build never started rendering"
            time.sleep(0.01)
        process.send_signal(sig)
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


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
