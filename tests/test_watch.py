"""`glossator watch`: a build per burst of saves, errors shown, the last good outputs kept."""
from __future__ import annotations

import queue
import signal
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import pytest

from glossator.commands.new import scaffold
from glossator.commands.watch import EditionFilter, Watcher, changed, describe
from glossator.model import Options

watchfiles = pytest.importorskip("watchfiles")
Change = watchfiles.Change


def new_edition(root: Path) -> Path:
    """The `glossator new` sample: a small edition with one note, term and event."""
    for name, text in scaffold().items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


class Lines:
    """Reads a process's output lines in a thread, so a test can wait for one with a timeout."""

    def __init__(self, process):
        self.queue: queue.Queue = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, args=(process.stdout,), daemon=True).start()

    def _read(self, stream):
        for line in stream:
            self.queue.put(line.rstrip("\n"))
        self.queue.put(None)

    def until(self, text: str, timeout: float = 60) -> str:
        while True:
            try:
                line = self.queue.get(timeout=timeout)
            except queue.Empty:
                raise AssertionError(f"no line with {text!r} in {timeout} s; seen:\n" + "\n".join(self.seen))
            if line is None:
                raise AssertionError(f"the process ended before {text!r}; seen:\n" + "\n".join(self.seen))
            self.seen.append(line)
            if text in line:
                return line


def test_watch_rebuilds_on_save_keeps_the_last_good_pdf_and_serves_the_html(tmp_path):
    ed = new_edition(tmp_path / "ed")
    out = tmp_path / "out"
    notes = ed / "annotations" / "notes.yaml"
    process = subprocess.Popen([sys.executable, "-m", "glossator", "watch", ed, "--out", out, "--serve", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lines = Lines(process)
        url = lines.until("serving the HTML edition on ").split(" on ")[-1]
        assert url.startswith("http://127.0.0.1:")
        first = lines.until("first build → ")
        assert "pages in" in first and "0 warnings" in first
        pdf = next(out.glob("*.pdf"))
        good = pdf.read_bytes()
        page = urllib.request.urlopen(url, timeout=10).read().decode("utf-8")
        assert "Eighty-seven years" in page and "/__glossator__/version" in page

        # A quote that is not in the article: the error is shown, the PDF left as it was.
        notes.write_text(notes.read_text(encoding="utf-8").replace(
            "quote: Four score and seven years ago", "quote: Nine hundred tigers"), encoding="utf-8")
        failed = lines.until("annotations/notes.yaml changed → failed (1 error)")
        assert "the last good outputs are kept" in failed
        lines.until("A101 note 'four-score': quote not found: “Nine hundred tigers”")
        assert pdf.read_bytes() == good

        # Fixed, with a new body: one line, and a new PDF.
        fixed = notes.read_text(encoding="utf-8").replace("quote: Nine hundred tigers",
                                                          "quote: Four score and seven years ago")
        notes.write_text(fixed.replace("A score is twenty", "A score is 20"), encoding="utf-8")
        lines.until("annotations/notes.yaml changed → ")
        assert pdf.read_bytes() != good
        version = urllib.request.urlopen(url + "__glossator__/version", timeout=10).read()
        assert version == b"2"
        assert "A score is 20" in urllib.request.urlopen(url, timeout=10).read().decode("utf-8")
        process.send_signal(signal.SIGINT)  # Ctrl-C: the normal way to stop
        lines.until("stopped watching")
        assert process.wait(timeout=20) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_a_change_in_styles_reloads_the_stylesheets_a_note_change_does_not(tmp_path, capsys):
    ed = new_edition(tmp_path / "ed")
    watcher = Watcher(ed, tmp_path / "out", Options())
    assert watcher.rebuild(set())
    first = watcher.renderer
    notes, styles = ed / "annotations" / "notes.yaml", ed / "styles" / "edition.css"
    notes.write_text(notes.read_text(encoding="utf-8").replace("A score is twenty", "A score is 20"),
                     encoding="utf-8")
    assert watcher.rebuild({(Change.modified, str(notes))})
    assert watcher.renderer is first
    styles.write_text(styles.read_text(encoding="utf-8") + "p { hyphens: none; }\n", encoding="utf-8")
    assert watcher.rebuild({(Change.modified, str(styles))})
    assert watcher.renderer is not first
    # Saved again without a change: nothing to do.
    assert watcher.rebuild({(Change.modified, str(styles))}) is False
    out = capsys.readouterr().out
    assert "first build → " in out and "annotations/notes.yaml changed → " in out
    assert "styles/edition.css changed → " in out
    assert "styles/edition.css changed → saved unchanged, nothing to rebuild" in out


def test_editor_temporary_files_neither_trigger_nor_show(tmp_path):
    ed = new_edition(tmp_path / "ed")
    notes = ed / "annotations" / "notes.yaml"
    temp = ed / "annotations" / "sedX1b2c3"  # written, then renamed over notes.yaml
    burst = {(Change.added, str(temp)), (Change.deleted, str(temp)), (Change.modified, str(notes))}
    assert changed(burst) == [(notes, "changed")]
    assert describe(changed(burst), ed) == "annotations/notes.yaml changed"
    assert changed({(Change.added, str(temp)), (Change.deleted, str(temp))}) == []
    assert Watcher(ed, tmp_path / "out", Options()).rebuild({(Change.added, str(temp))}) is False
    gone = ed / "annotations" / "glossary.yaml"
    gone.unlink()
    assert describe(changed({(Change.deleted, str(gone)), (Change.modified, str(notes))}), ed) == \
        "annotations/notes.yaml changed; annotations/glossary.yaml deleted"
    keep = EditionFilter()
    assert keep(Change.modified, str(notes))
    assert not keep(Change.modified, str(ed / "annotations" / ".notes.yaml.swp"))
    assert not keep(Change.modified, str(ed / "annotations" / "notes.yaml~"))


def test_watch_refuses_a_folder_that_is_not_an_edition_and_a_busy_port(tmp_path):
    from conftest import run_cli
    result = run_cli("watch", tmp_path)
    assert result.returncode == 2
    assert "no source/ folder, so not an edition folder" in result.stderr
    import socket
    ed = new_edition(tmp_path / "ed")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        result = run_cli("watch", ed, "--serve", busy.getsockname()[1])
    assert result.returncode == 2
    assert "cannot serve on 127.0.0.1:" in result.stderr and "--serve PORT" in result.stderr
