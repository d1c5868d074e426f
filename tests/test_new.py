"""`glossator new`: a scaffold that checks clean, and articles made from raw web text."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import run_cli
from test_importer import SEED, blocks_of, fdr_page, front

FILES = ("source/article.md", "annotations/notes.yaml", "annotations/glossary.yaml",
         "annotations/chronology.yaml", "styles/edition.css", ".gitignore")


def test_scaffold_checks_clean_with_one_live_example_of_each_format(tmp_path):
    result = run_cli("new", tmp_path / "ed")
    assert result.returncode == 0, result.stderr
    for name in FILES:
        assert (tmp_path / "ed" / name).is_file(), name
        assert f"created {tmp_path / 'ed' / name}\n" in result.stdout
    for name in ("notes", "glossary", "chronology"):
        items = yaml.safe_load((tmp_path / "ed" / "annotations" / f"{name}.yaml").read_text(encoding="utf-8"))
        assert len(items) == 1, name
    check = run_cli("check", tmp_path / "ed")
    assert check.returncode == 0, check.stderr
    assert "0 errors, 0 warnings" in check.stdout + check.stderr


def test_annotation_files_describe_every_field_from_the_schema(tmp_path):
    from glossator import schema
    run_cli("new", tmp_path / "ed")
    for spec in schema.FILES:
        text = (tmp_path / "ed" / "annotations" / spec.filename).read_text(encoding="utf-8")
        for field in spec.fields:
            assert f"#   {field.name}" in text and field.description in text, (spec.filename, field.name)


def test_new_never_overwrites(tmp_path):
    ed = tmp_path / "ed"
    (ed / "annotations").mkdir(parents=True)
    (ed / "annotations" / "notes.yaml").write_text("- mine\n", encoding="utf-8")
    result = run_cli("new", ed)
    assert result.returncode == 2
    assert "already has annotations/notes.yaml; nothing was written" in result.stderr
    assert (ed / "annotations" / "notes.yaml").read_text(encoding="utf-8") == "- mine\n"
    assert not (ed / "source").exists()


needs_seed = pytest.mark.skipif(not SEED.is_file(), reason="needs ../shared/seeds/article-raw.txt")


@needs_seed
def test_from_raw_text_reports_each_decision_and_checks_clean(tmp_path):
    ed = tmp_path / "ed"
    result = run_cli("new", ed, "--from", SEED, "--title", "The Death of the U.S.-Iraqi Relationship",
                     "--date", "2020-01-03", "--publication", "Foreign Affairs", "--lang", "en-US")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "review these decisions" in out
    assert "article-raw.txt:7: pull quote: “The U.S. embassy in Baghdad" in out
    assert "article-raw.txt:25: removed a paywall notice: “You are reading a free article.”" in out
    assert "article-raw.txt:33: author's bio moved to the front matter" in out
    assert "no url given" in out
    markdown = (ed / "source" / "article.md").read_text(encoding="utf-8")
    meta = front(markdown)
    assert meta["title"] == "The Death of the U.S.-Iraqi Relationship" and meta["author"] == "Emma Sky"
    assert str(meta["date"]) == "2020-01-03"
    assert [k for k, _ in blocks_of(markdown)].count("pullquote") == 2
    # The examples quote the sample article, so they stay comments here; the files are empty lists.
    for name in ("notes", "glossary", "chronology"):
        text = (ed / "annotations" / f"{name}.yaml").read_text(encoding="utf-8")
        assert yaml.safe_load(text) == [] and "Gettysburg" in text
    check = run_cli("check", ed)
    assert check.returncode == 0, check.stderr
    assert "0 errors, 0 warnings" in check.stdout + check.stderr


@needs_seed
def test_from_without_title_says_so_and_check_agrees(tmp_path):
    ed = tmp_path / "ed"
    result = run_cli("new", ed, "--from", SEED)
    assert result.returncode == 0, result.stderr
    assert "the front matter has no title: add 'title:' (or pass --title)" in result.stderr
    check = run_cli("check", ed)
    assert check.returncode == 1
    assert "S105 front matter: required field 'title' is missing" in check.stdout + check.stderr


def test_bad_usage_is_refused_before_anything_is_written(tmp_path):
    latin1 = tmp_path / "raw.txt"
    latin1.write_bytes("Caf\xe9 society".encode("latin-1"))
    good = tmp_path / "good.txt"
    good.write_text("A paragraph of the article, long enough to be one.\n", encoding="utf-8")
    cases = [
        (("--title", "T"), "--title is for articles made with --from"),
        (("--from", tmp_path / "missing.txt"), "no such file"),
        (("--from", tmp_path), "not a file"),
        (("--from", latin1), "not UTF-8 text (byte 0xe9 at offset 3)"),
        (("--from", good, "--date", "03/01/2020"), "not a date"),
    ]
    for args, message in cases:
        result = run_cli("new", tmp_path / "ed", *args)
        assert result.returncode == 2, args
        assert message in result.stderr, (args, result.stderr)
        assert not (tmp_path / "ed").exists()


# --- all or nothing -----------------------------------------------------------------------------

def _files_under(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) if folder.exists() else []


@pytest.mark.parametrize("lay_out, target, message", [
    (lambda t: (t / "ed").symlink_to(t / "missing"), "ed",
     "ed: a symbolic link to something that does not exist, where a folder is needed; nothing was written"),
    (lambda t: ((t / "ed").mkdir(), (t / "ed" / "source").write_text("mine\n")), "ed",
     "ed/source: a file, where a folder is needed; nothing was written"),
    (lambda t: ((t / "ed").mkdir(), (t / "ed" / "annotations").symlink_to("gone")), "ed",
     "ed/annotations: a symbolic link to something that does not exist, where a folder is needed"),
    (lambda t: (t / "ed").write_text("mine\n"), "ed/inner", "ed: a file, where a folder is needed"),
    (lambda t: ((t / "ed").mkdir(), (t / "ed" / ".gitignore").symlink_to("gone")), "ed",
     "ed: already has .gitignore; nothing was written"),
])
def test_new_refuses_what_stands_in_the_way_and_writes_nothing(lay_out, target, message, tmp_path):
    """A dangling link, or a file named 'source', was an internal error (exit 70) after the
    first files had been written."""
    lay_out(tmp_path)
    before = _files_under(tmp_path)
    result = run_cli("new", target, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr
    assert _files_under(tmp_path) == before
    assert not (tmp_path / "missing").exists()


def test_a_write_failing_half_way_leaves_nothing_behind(tmp_path, monkeypatch, capsys):
    from glossator import cli
    from glossator.commands import new

    def disk_full_at_the_styles(path, *args, **kwargs):
        if path.name == "edition.css":
            raise OSError(28, "No space left on device", str(path))
        return open(path, *args, **kwargs)

    monkeypatch.setattr(new, "open", disk_full_at_the_styles, raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ed").mkdir()
    assert cli.main(["new", "ed/deep/er"]) == 4
    out, err = capsys.readouterr()
    assert "O105 cannot write ed/deep/er/styles/edition.css: No space left on device" in err
    assert "created" not in out
    assert _files_under(tmp_path) == ["ed"]  # the folders it made went too; ed was there before


def test_an_unreadable_from_file_is_a_usage_error(tmp_path):
    from test_check import run_cli_unprivileged
    raw = tmp_path / "raw.txt"
    raw.write_text("A paragraph of the article, long enough to be one.\n", encoding="utf-8")
    raw.chmod(0)
    result = run_cli_unprivileged("new", tmp_path / "ed", "--from", raw)
    assert result.returncode == 2, result.stderr
    assert "raw.txt: cannot read it (Permission denied)" in result.stderr
    assert not (tmp_path / "ed").exists()


def test_the_import_report_shows_terminal_controls_of_the_pasted_text_escaped(tmp_path):
    raw = tmp_path / "raw.txt"
    prose = "A paragraph of the article, long enough to be one, about the hour of the meeting."
    raw.write_text(f"{prose}\n\nSign up for our newsletter\x1b]52;c;cm0gLXJmIH4K\x07\n", encoding="utf-8")
    result = run_cli("new", tmp_path / "ed", "--from", raw, "--title", "T", "--author", "A")
    assert result.returncode == 0, result.stderr
    assert "newsletter\\x1b]52;c;cm0gLXJmIH4K\\x07”" in result.stdout
    assert "\x1b" not in result.stdout + result.stderr and "\x07" not in result.stdout + result.stderr


PASTES = Path(__file__).resolve().parent / "pastes"


def test_from_a_saved_web_page_reports_the_pages_lines_and_checks_clean(tmp_path):
    ed = tmp_path / "ed"
    page = "page.html"
    (tmp_path / page).write_bytes((PASTES / "society-second-inaugural.html").read_bytes())
    result = run_cli("new", "ed", "--from", page, "--lang", "en-US", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert f"{page}:27: author: “Thomas Whitcomb”, from the byline “By Thomas Whitcomb”" in result.stdout
    assert f"{page}:33: pull quote:" in result.stdout
    markdown = (ed / "source" / "article.md").read_text(encoding="utf-8")
    assert front(markdown)["title"] == "Lincoln’s Second Inaugural Address"
    assert [k for k, _ in blocks_of(markdown)] == ["paragraph", "paragraph", "pullquote", "paragraph"]
    check = run_cli("check", ed, "--strict")
    assert check.returncode == 0, check.stdout + check.stderr


def test_from_a_whole_page_paste_checks_clean_and_names_every_line_removed(tmp_path):
    ed = tmp_path / "ed"
    paste = "paste.txt"
    (tmp_path / paste).write_bytes((PASTES / "news-lincoln-second-inaugural.txt").read_bytes())
    result = run_cli("new", "ed", "--from", paste, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for line in (1, 12, 27, 28, 32, 42, 44, 54, 66):
        assert f"{paste}:{line}: removed " in result.stdout, line
    markdown = (ed / "source" / "article.md").read_text(encoding="utf-8")
    for chrome in ("Facebook", "Enter your email", "Home ›", "Related", "Gettysburg at 160", "Photo:", "Tags:"):
        assert chrome not in markdown, chrome
    check = run_cli("check", ed, "--strict")
    assert check.returncode == 0, check.stdout + check.stderr


def test_a_page_that_is_not_a_page_is_a_usage_error_and_nothing_is_written(tmp_path):
    page = tmp_path / "page.html"
    page.write_bytes(b"<html><body><nav>Home</nav></body></html>")
    result = run_cli("new", tmp_path / "ed", "--from", page)
    assert result.returncode == 2, result.stderr
    assert "page.html: no paragraphs found in the page" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "ed").exists()


def test_from_a_paste_a_caption_with_its_credit_is_removed_and_said_so_not_set_as_a_heading(tmp_path):
    paste = "fdr-paste.txt"
    (tmp_path / paste).write_bytes((PASTES / paste).read_bytes())
    result = run_cli("new", "ed", "--from", paste, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (f"{paste}:17: removed a photo caption or credit: “Roosevelt delivers the address. "
            "Photo: Library of Congress”") in result.stdout
    assert "heading:" not in result.stdout
    markdown = (tmp_path / "ed" / "source" / "article.md").read_text(encoding="utf-8")
    assert "## " not in markdown and "Library of Congress" not in markdown


@pytest.mark.parametrize("variant, lines", [("as saved", (28, 29)), ("no meta author", (27, 28))])
def test_from_a_saved_page_the_date_is_the_visible_one_not_the_copyright_year_and_initials_keep_their_stops(
        variant, lines, tmp_path):
    name = "fdr-page.html"
    (tmp_path / name).write_bytes(fdr_page(variant))
    result = run_cli("new", "ed", "--from", name, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    byline, dateline = lines
    assert (f"{name}:{byline}: author: “Franklin D. Roosevelt”, from the byline “By Franklin D. Roosevelt”; "
            "the line was removed") in result.stdout
    assert (f"{name}:{dateline}: date: “1941-01-06”, from the date line “Published: January 6, 1941”; "
            "the line was removed") in result.stdout
    assert "2024" not in result.stdout and "removed the date line" not in result.stdout
    meta = front((tmp_path / "ed" / "source" / "article.md").read_text(encoding="utf-8"))
    assert (meta["author"], str(meta["date"])) == ("Franklin D. Roosevelt", "1941-01-06")
    check = run_cli("check", tmp_path / "ed")
    assert check.returncode == 0, check.stdout + check.stderr
