"""`glossator watch`: a build per burst of saves, errors shown, the last good outputs kept."""
from __future__ import annotations

import http.client
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import run_cli
from glossator.commands.new import scaffold
from glossator.commands.watch import EditionFilter, Preview, Watcher, changed, describe, fingerprint
from glossator.model import Options
from glossator.render import TEMPLATES

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


def watch(*args) -> tuple[subprocess.Popen, Lines]:
    process = subprocess.Popen([sys.executable, "-m", "glossator", "watch", *map(str, args)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return process, Lines(process)


def stopped(process: subprocess.Popen, lines: Lines) -> None:
    """Ctrl-C, as a user stops watch: it says so and exits 0, with no traceback."""
    try:
        process.send_signal(signal.SIGINT)
        lines.until("stopped watching")
        assert process.wait(timeout=20) == 0
        assert not any("Traceback" in line for line in lines.seen)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_watch_refuses_an_output_link_out_of_the_edition_as_build_does(tmp_path):
    ed = new_edition(tmp_path / "ed")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "fonts").write_bytes(b"a file of the user's")
    (ed / "output").symlink_to(elsewhere)
    process, lines = watch(ed)
    try:
        lines.until("first build → failed (1 error); the last good outputs are kept")
        lines.until(f"output: O102 output/ is a link to {elsewhere}, outside the edition folder")
    finally:
        stopped(process, lines)
    assert [(p.name, p.read_bytes()) for p in elsewhere.iterdir()] == [("fonts", b"a file of the user's")]


def eventually(condition, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_watch_sees_a_folder_deleted_and_made_again_and_a_styles_folder_made_while_it_runs(tmp_path):
    ed = new_edition(tmp_path / "ed")
    shutil.rmtree(ed / "styles")
    out = tmp_path / "out"
    notes = ed / "annotations" / "notes.yaml"
    process, lines = watch(ed, "--out", out)
    try:
        assert "watching source/, annotations/ in " in lines.until("watching ")
        lines.until("first build → ")
        # As `git stash` and `git checkout` do: the folder goes, and comes back.
        text = notes.read_text(encoding="utf-8")
        shutil.rmtree(ed / "annotations")
        (ed / "annotations").mkdir()
        notes.write_text(text.replace("A score is twenty", "A score is a score"), encoding="utf-8")
        html = next(out.glob("*.html"))
        assert eventually(lambda: "A score is a score" in html.read_text(encoding="utf-8"))
        # ...and later edits in it are seen.
        notes.write_text(text.replace("A score is twenty", "A score is 20"), encoding="utf-8")
        lines.until("annotations/notes.yaml changed → ")
        assert "A score is 20" in html.read_text(encoding="utf-8")
        # Gone for a while (moved away), then back.
        shutil.move(ed / "annotations", tmp_path / "annotations")
        lines.until("annotations deleted → ")
        shutil.move(tmp_path / "annotations", ed / "annotations")
        lines.until("annotations changed → ")
        # A styles/ folder made now is watched too, and its stylesheet used.
        (ed / "styles").mkdir()
        lines.until("styles changed → ")
        (ed / "styles" / "edition.css").write_text("p { color: rgb(1, 2, 3); }\n", encoding="utf-8")
        lines.until("styles/edition.css changed → ")
        assert "rgb(1, 2, 3)" in html.read_text(encoding="utf-8")
    finally:
        stopped(process, lines)


def test_a_link_out_added_while_watch_runs_is_refused_and_never_opened(tmp_path, capsys):
    secret = tmp_path / "private" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("SECRET-7f3a9c\n", encoding="utf-8")
    ed = new_edition(tmp_path / "ed")
    (ed / "templates").mkdir()
    page = (TEMPLATES / "edition.html.j2").read_text(encoding="utf-8")
    (ed / "templates" / "edition.html.j2").write_text(page.replace("</body>", "{% include 'leak.txt' %}</body>"),
                                                      encoding="utf-8")
    leak = ed / "templates" / "leak.txt"
    leak.write_text("Harmless words.", encoding="utf-8")
    out = tmp_path / "out"
    watcher = Watcher(ed, out, Options())
    assert watcher.rebuild(set())
    assert "Harmless words." in next(out.glob("*.html")).read_text(encoding="utf-8")
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}

    leak.unlink()
    leak.symlink_to(secret)
    assert watcher.rebuild({(Change.added, str(leak))}) is False
    said = "".join(capsys.readouterr())
    assert "templates/leak.txt changed → failed (1 error); the last good outputs are kept" in said
    assert f"templates/leak.txt: X103 a symbolic link to {secret}, outside the edition folder" in said
    assert "SECRET" not in said
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before

    # The fingerprint opens neither a link out nor a FIFO (opening one would block).
    fifo = tmp_path / "private" / "fifo"
    os.mkfifo(fifo)
    (ed / "templates" / "pipe.txt").symlink_to(fifo)
    os.mkfifo(ed / "styles" / "pipe.css")
    result = []
    thread = threading.Thread(target=lambda: result.append(fingerprint(ed)), daemon=True)
    thread.start()
    thread.join(10)
    assert result, "fingerprint() blocked opening a FIFO"
    secret.write_text("SECRET, changed\n", encoding="utf-8")  # not read: the fingerprint stays
    assert fingerprint(ed) == result[0]


def ask(port: int, host: str | None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest("GET", "/", skip_host=True)
        if host is not None:
            connection.putheader("Host", host)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_the_preview_answers_only_to_this_machine_s_names(tmp_path):
    preview = Preview.start(0)
    try:
        port = preview.server.server_address[1]
        for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"LOCALHOST:{port}", f"[::1]:{port}"):
            status, body = ask(port, host)
            assert (status, body[:15]) == (200, b"<!DOCTYPE html>"), host
        # A DNS-rebinding page sends its own name; another port or none at all is refused too.
        for host in (f"attacker.example:{port}", "attacker.example", f"127.0.0.1:{port + 1}", "127.0.0.1", None):
            status, body = ask(port, host)
            assert status == 421 and b"answers only to 127.0.0.1, localhost and [::1]" in body, host
    finally:
        preview.stop()


@pytest.mark.parametrize("port", ["70000", "-1", "eighty"])
def test_a_port_out_of_range_is_bad_usage(tmp_path, port):
    ed = new_edition(tmp_path / "ed")
    result = run_cli("watch", ed, "--serve", port)
    assert result.returncode == 2
    assert f"argument --serve: '{port}' is not a port number: give one from 1 to 65535, or 0 for any free port" \
        in result.stderr
    assert "Traceback" not in result.stderr
