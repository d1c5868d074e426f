"""`glossator check`: the corpus of bad inputs, exit codes, output formats, the bundled edition.

tests/bad/base/ is a small edition that checks clean. Every other folder in
tests/bad/ holds the files of one bad edition that differ from base/, and a file
`expected` listing what check must say: one `CODE path:line[:column]` a line, and
`strict` if the case's findings are warnings (so only --strict makes them fail).
The findings must be exactly those: no more (no cascades), no fewer.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import re
import shutil
from pathlib import Path

import pytest

from conftest import REPO, make_edition, run_cli
from glossator import cli
from glossator.model import Where

BAD = Path(__file__).parent / "bad"
CASES = sorted(p.name for p in BAD.iterdir() if p.is_dir() and p.name != "base")


def bad_edition(name: str, dest: Path) -> Path:
    """base/ with the case's files laid over it."""
    shutil.copytree(BAD / "base", dest)
    shutil.copytree(BAD / name, dest, dirs_exist_ok=True)
    (dest / "expected").unlink()
    return dest


def read_expected(name: str) -> tuple[bool, list[tuple]]:
    strict, wanted = False, []
    for line in (BAD / name / "expected").read_text().splitlines():
        if line == "strict":
            strict = True
        elif line.strip():
            code, place = line.split()
            path, *numbers = place.split(":")
            wanted.append((code, path, *map(int, numbers)))
    return strict, wanted


def check_json(root: Path, *options, capsys) -> tuple[int, dict, str]:
    """Run `glossator check --format json` in this process: (exit code, report, stderr)."""
    code = cli.main(["check", str(root), "--format", "json", *options])
    out, err = capsys.readouterr()
    return code, json.loads(out), err


def test_the_corpus_is_big_enough():
    assert len(CASES) >= 30


def test_the_base_edition_is_clean(capsys):
    code, report, _ = check_json(BAD / "base", "--strict", capsys=capsys)
    assert (code, report["findings"]) == (0, [])


@pytest.mark.parametrize("name", CASES)
def test_bad_input_gives_its_code_file_and_line(name, tmp_path, capsys):
    root = bad_edition(name, tmp_path / name)
    strict, wanted = read_expected(name)
    code, report, err = check_json(root, *(["--strict"] if strict else []), capsys=capsys)
    assert "internal error" not in err and "Traceback" not in err
    assert code == 1, report
    found = [(f["code"], f["path"], f["line"], f["column"]) for f in report["findings"]]
    assert sorted(f[:3] for f in found) == sorted(w[:3] for w in wanted), found
    assert all(w in found for w in wanted if len(w) == 4), found  # the column, where the case gives it
    for f in report["findings"]:
        assert f["message"] and f["hint"], f


@pytest.mark.parametrize("name", ["a103-case-differs", "a104-approximate", "n103-overlapping-notes"])
def test_warnings_alone_pass_without_strict(name, tmp_path, capsys):
    code, report, _ = check_json(bad_edition(name, tmp_path / name), capsys=capsys)
    assert code == 0 and report["warnings"] == 1 and report["errors"] == 0


def test_text_output_names_file_line_code_and_hint(tmp_path):
    root = bad_edition("y105-unknown-field-did-you-mean", tmp_path / "ed")
    result = run_cli("check", cwd=root)
    assert result.returncode == 1
    assert result.stdout.splitlines()[:2] == [
        "annotations/notes.yaml:5:3: Y105 note 'sofa': unknown field 'titel' (did you mean 'title'?)",
        "    hint: Known fields: id, quote, body, title, kind, see, sources, audience, before, after, paragraph, occurrence.",
    ]
    assert "1 error, 0 warnings" in result.stdout


def test_text_output_paths_lead_to_the_file_from_elsewhere(tmp_path):
    bad_edition("a101-quote-not-found", tmp_path / "ed")
    result = run_cli("check", "ed", cwd=tmp_path)
    assert result.stdout.startswith("ed/annotations/notes.yaml:15:10: A101 note 'embassy': quote not found")


def test_an_orphan_names_the_closest_passage(tmp_path, capsys):
    root = bad_edition("a108-too-different-to-place", tmp_path / "ed")
    _, report, _ = check_json(root, capsys=capsys)
    assert report["findings"][0]["message"] == (
        "note 'embassy': quote not found; the closest passage, ¶ 3 “the embassy in Baghdad”, is only 79% alike")


@pytest.mark.parametrize("args", [["check", "no-such-folder"], ["check", ".", "--format", "xml"],
                                  ["check", ".", "--frobnicate"]])
def test_bad_usage_exits_2(args, tmp_path):
    result = run_cli(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_fifty_megabyte_file_is_refused_unread(tmp_path, capsys):
    root = bad_edition("y108-empty-file", tmp_path / "ed")  # any edition; notes.yaml replaced below
    with open(root / "annotations" / "notes.yaml", "wb") as handle:
        handle.write(b"- id: x\n" * (50 * 2**20 // 8))
    with open(root / "source" / "article.md", "ab") as handle:
        handle.truncate(50 * 2**20)
    code, report, _ = check_json(root, capsys=capsys)
    (root / "annotations" / "notes.yaml").unlink()
    (root / "source" / "article.md").unlink()
    assert code == 1
    assert [(f["code"], f["path"], f["line"]) for f in report["findings"]] == [
        ("Y115", "annotations/notes.yaml", 1), ("S110", "source/article.md", 1)]
    assert "(52,428,800 bytes; the limit is 5,242,880 bytes)" in report["findings"][0]["message"]


def test_a_file_one_byte_too_large_says_so_exactly(tmp_path, capsys):
    from glossator.load import MAX_BYTES
    root = bad_edition("y108-empty-file", tmp_path / "ed")
    with open(root / "source" / "article.md", "ab") as handle:
        handle.truncate(MAX_BYTES + 1)
    code, report, _ = check_json(root, capsys=capsys)
    assert code == 1
    (s110,) = [f for f in report["findings"] if f["code"] == "S110"]
    assert s110["message"] == "the file is too large (5,242,881 bytes; the limit is 5,242,880 bytes)"


def test_json_report(tmp_path):
    root = bad_edition("many-problems-one-run", tmp_path / "ed")
    result = run_cli("check", root, "--format", "json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert (report["ok"], report["errors"], report["warnings"]) == (False, 4, 1)  # S107 is a warning
    assert report["findings"][0] == {
        "code": "C102", "severity": "error", "path": "annotations/chronology.yaml", "line": 6, "column": 8,
        "message": "chronology: end 2019-12-01 is before date 2019-12-31",
        "hint": "Swap the two dates, or correct one.",
    }


def test_build_refuses_with_the_same_messages(tmp_path):
    root = bad_edition("many-problems-one-run", tmp_path / "ed")
    checked = run_cli("check", cwd=root)
    built = run_cli("build", cwd=root)
    assert built.returncode == 1
    messages = checked.stdout.splitlines()[:-1]  # all but the count
    assert len(messages) == 10
    assert all(line in built.stderr.splitlines() for line in messages)
    assert not (root / "output").exists()


def test_the_bundled_edition_checks_clean():
    result = run_cli("check", REPO)
    assert result.returncode == 0, result.stdout
    assert " 0 errors" in " " + result.stdout.splitlines()[-1]


def test_the_bundled_edition_survives_typographic_edits(tmp_path, capsys):
    """Straightened quotes and apostrophes, dashes typed as '--', doubled spaces: nothing moves."""
    from conftest import copy_bundled
    root = copy_bundled(tmp_path / "ed")
    article = root / "source" / "article.md"
    text = article.read_text(encoding="utf-8")
    head, body = text.split("\n---\n", 1)
    for curly, plain in (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"'), ("—", "--"), (". ", ".  ")):
        body = body.replace(curly, plain)
    article.write_text(head + "\n---\n" + body, encoding="utf-8")
    code, report, _ = check_json(root, capsys=capsys)
    assert report["errors"] == 0, report["findings"]


def test_an_edition_without_annotations_is_clean(tmp_path, capsys):
    root = make_edition(tmp_path / "ed")
    code, report, _ = check_json(root, "--strict", capsys=capsys)
    assert (code, report["findings"]) == (0, [])


# --- what reaches the terminal ------------------------------------------------------------------

TERMINAL_CONTROLS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


@pytest.mark.parametrize("form", ["text", "json"])
def test_terminal_controls_in_the_edition_are_shown_escaped(form, tmp_path):
    """YAML's \\e and \\a put ESC and BEL in a value; messages quote values; a shared edition
    must not write the clipboard (OSC 52) or retitle the window of whoever checks it."""
    root = bad_edition("a101-y106-terminal-escapes", tmp_path / "ed")
    result = run_cli("check", root, "--format", form)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert not TERMINAL_CONTROLS.search(result.stdout + result.stderr)
    if form == "json":
        messages = [f["message"] for f in json.loads(result.stdout)["findings"]]
    else:
        messages = result.stdout.splitlines()
    assert any("Agreement\\x1b]52;c;cm0gLXJmIH4K\\x07”" in m for m in messages), messages
    assert any("note 'quds\\x1b]0;pwned\\x07\\x1bc\\u202e'" in m for m in messages), messages


def test_every_part_of_a_finding_is_printable_however_it_is_made():
    from dataclasses import replace
    from glossator.errors import finding
    made = finding("R101", Where("templates/\x1b[2J.html", 3), reason="\x9b31m\u2066")
    assert (made.path, made.message) == ("templates/\\x1b[2J.html", "template error: \\x9b31m\\u2066")
    assert replace(made, path="ed/\x07" + made.path).path == "ed/\\x07templates/\\x1b[2J.html"


def test_usage_errors_quote_a_path_printably(tmp_path):
    result = run_cli("check", "\x1b]0;pwned\x07", cwd=tmp_path)
    assert result.returncode == 2
    assert "glossator: \\x1b]0;pwned\\x07: not a folder" in result.stderr
    assert not TERMINAL_CONTROLS.search(result.stderr)


def test_a_render_error_hint_names_a_way_to_see_more_that_exists(monkeypatch, capsys):
    """R102 once told the user to run --verbose, which no command has; GLOSSATOR_DEBUG=1
    shows the traceback of the error WeasyPrint raised."""
    from glossator.errors import CODES, RenderError, finding

    def failing(args):
        try:
            raise ValueError("WeasyPrint fell over")
        except ValueError as exc:
            raise RenderError([finding("R102", Where("styles"), reason="ValueError")]) from exc

    assert "--verbose" not in CODES["R102"].hint and "GLOSSATOR_DEBUG=1" in CODES["R102"].hint
    monkeypatch.setattr("glossator.commands.check.run", failing)
    monkeypatch.setenv("GLOSSATOR_DEBUG", "1")
    assert cli.main(["check"]) == 3
    err = capsys.readouterr().err
    assert "Traceback" in err and "ValueError: WeasyPrint fell over" in err and "R102" in err
    monkeypatch.delenv("GLOSSATOR_DEBUG")
    assert cli.main(["check"]) == 3
    assert "Traceback" not in capsys.readouterr().err


# --- files that are not files, and files that may not be read ---------------------------------

def _loop(path):
    path.unlink()
    path.symlink_to(path.name)


def _dangling(path):
    path.unlink()
    path.symlink_to("gone.yaml")


def _folder(path):
    path.unlink()
    path.mkdir()
    (path / "inside.yaml").write_text("- id: x\n", encoding="utf-8")


def _fifo(path):
    path.unlink()
    os.mkfifo(path)


@pytest.mark.parametrize("make, kind", [(_folder, "a folder"), (_loop, "a loop of symbolic links"),
                                        (_dangling, "a symbolic link to a missing file"),
                                        (_fifo, "a special file (a FIFO, socket or device)")])
@pytest.mark.parametrize("rel, code", [("annotations/notes.yaml", "Y117"), ("annotations/chronology.yaml", "Y117"),
                                       ("source/article.md", "S112")])
def test_a_file_that_is_not_a_file_is_an_error_not_an_empty_file(make, kind, rel, code, tmp_path, capsys):
    """A notes.yaml that is a folder or a link to itself read as 'no notes', and check passed."""
    root = bad_edition("y108-empty-file", tmp_path / "ed")
    (root / "annotations" / "notes.yaml").write_text("[]\n", encoding="utf-8")
    make(root / rel)
    code_, report, err = check_json(root, capsys=capsys)
    assert code_ == 1 and "Traceback" not in err and "internal error" not in err
    assert [(f["code"], f["path"]) for f in report["findings"]] == [(code, rel)]
    assert report["findings"][0]["message"] == f"{rel} is {kind}, not a file"


def test_an_annotations_file_where_the_folder_should_be(tmp_path, capsys):
    root = bad_edition("y108-empty-file", tmp_path / "ed")
    shutil.rmtree(root / "annotations")
    (root / "annotations").write_text("notes\n", encoding="utf-8")
    code, report, _ = check_json(root, capsys=capsys)
    assert code == 1
    assert [(f["code"], f["path"], f["message"]) for f in report["findings"]] == [
        ("Y117", "annotations", "annotations is a file, not a folder")]


def run_cli_unprivileged(*args, cwd=None):
    """run_cli, without root's power to read any file: as root, with the capabilities that
    bypass permissions dropped (setpriv), so that chmod 000 means what it means to a user."""
    if os.geteuid() != 0:
        return run_cli(*args, cwd=cwd)
    if not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv: permissions cannot be tested")
    drop = "-dac_override,-dac_read_search"
    return subprocess.run(["setpriv", f"--bounding-set={drop}", f"--inh-caps={drop}", sys.executable, "-m",
                           "glossator", *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("rel, mode, expected", [
    ("source/article.md", 0o000, "source/article.md:1: S111 cannot read source/article.md: permission denied"),
    ("annotations/glossary.yaml", 0o000,
     "annotations/glossary.yaml:1: Y116 cannot read annotations/glossary.yaml: permission denied"),
    ("annotations", 0o000, "annotations: Y116 cannot read annotations/: permission denied"),
    ("annotations", 0o600, "annotations: Y116 cannot read annotations/: permission denied"),
    ("source", 0o600, "source: S111 cannot read source/: permission denied"),
])
def test_a_permission_problem_is_called_one(rel, mode, expected, tmp_path):
    """Not 'Y109 not UTF-8 … save the file with UTF-8 encoding', and not an internal error."""
    root = bad_edition("y108-empty-file", tmp_path / "ed")
    (root / "annotations" / "notes.yaml").write_text("[]\n", encoding="utf-8")
    (root / rel).chmod(mode)
    try:
        result = run_cli_unprivileged("check", cwd=root)
    finally:
        (root / rel).chmod(0o755)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == expected and lines[-1].startswith("1 error,"), lines
    assert "chmod u+r" in lines[1]


def test_composed_notes_keep_their_place_in_notes_yaml(tmp_path):
    """For the layout's findings (L101, L102), which name a note: its line in notes.yaml."""
    from glossator.pipeline import check
    notes = "- id: sofa\n  quote: Status of Forces Agreement\n  body: x\n\n- id: quds\n  quote: the Quds Force\n  body: y\n"
    edition = check(make_edition(tmp_path / "ed", notes=notes)).edition
    assert [(n.id, n.where) for n in edition.notes] == [("sofa", Where("annotations/notes.yaml", 1, 3)),
                                                        ("quds", Where("annotations/notes.yaml", 5, 3))]


def test_check_never_loads_weasyprint():
    """`check` is the editor's quick loop: it reads and anchors, and lays nothing out."""
    import subprocess
    import sys

    from conftest import REPO

    code = ("import sys\nfrom glossator.cli import main\nmain(['check', sys.argv[1]])\n"
            "print('weasyprint' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code, str(REPO)], capture_output=True, text=True, timeout=120)
    assert result.stdout.strip().splitlines()[-1] == "False", result.stdout + result.stderr


def test_check_loads_no_module_only_a_build_or_new_needs():
    """A cold `check` loads what it reads and anchors with (YAML, Markdown), nothing heavier:
    fonts' code points are read without fontTools (fonts.sfnt_cmap)."""
    import subprocess
    import sys

    from conftest import REPO

    heavy = ("weasyprint", "fontTools", "babel", "dateutil", "jsonschema", "textstat", "trafilatura", "lxml",
             "pikepdf", "pypdf", "watchfiles", "jinja2", "pydyf")
    code = ("import sys\nfrom glossator.cli import main\nmain(['check', sys.argv[1]])\n"
            f"print(sorted(m for m in {heavy!r} if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code, str(REPO)], capture_output=True, text=True, timeout=120)
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stdout + result.stderr


def test_check_takes_several_editions_in_the_order_given(tmp_path):
    make_edition(tmp_path / "good")
    make_edition(tmp_path / "bad", notes="- id: x\n  quote: Zebras dancing\n  body: A note.\n")
    result = run_cli("check", "good", "bad", cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    summaries = [line for line in lines if " errors, " in line or " error, " in line]
    assert [s.split(":")[0] for s in summaries] == ["good", "bad"]
    assert any(line.startswith("bad/annotations/notes.yaml:2:10: A101 ") for line in lines)
    listed = json.loads(run_cli("check", "bad", "good", "--format", "json", cwd=tmp_path).stdout)
    assert [(Path(o["root"]).name, o["ok"]) for o in listed] == [("bad", False), ("good", True)]


def test_check_piped_into_a_reader_that_stops_early_ends_quietly(tmp_path):
    """`glossator check ED | head`: once head has its lines, check stops without an
    'internal error' (the output here is far longer than a pipe holds)."""
    notes = "".join(f"- id: n{i}\n  quote: \"no such words {i}\"\n  body: A note.\n" for i in range(600))
    root = make_edition(tmp_path / "ed", notes=notes)
    process = subprocess.Popen([sys.executable, "-m", "glossator", "check", str(root)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert b"A101" in process.stdout.read(4000)
    process.stdout.close()
    err = process.stderr.read().decode()
    assert process.wait(timeout=120) == cli.BROKEN_PIPE
    assert err == "", err


def test_the_command_imports_are_set_aside_from_the_cycle_collector():
    """A cold `check` is mostly imports: their objects are frozen (not traced again by every
    collection), and the collector is left as it was found, on or off."""
    import subprocess
    import sys

    code = ("import gc\nfrom glossator.cli import parser\n"
            "parser(); on = (gc.isenabled(), gc.get_freeze_count() > 10_000)\n"
            "gc.disable(); parser(); print(on, gc.isenabled())")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.stdout.strip() == "(True, True) False", result.stdout + result.stderr
