"""`glossator new`: a scaffold that checks clean, and articles made from raw web text."""
from __future__ import annotations

import pytest
import yaml

from conftest import run_cli
from test_importer import SEED, blocks_of, front

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
        (("--from", latin1), "not UTF-8 text (byte 0xe9 at offset 3)"),
        (("--from", good, "--date", "3 January 2020"), "not a date"),
    ]
    for args, message in cases:
        result = run_cli("new", tmp_path / "ed", *args)
        assert result.returncode == 2, args
        assert message in result.stderr, (args, result.stderr)
        assert not (tmp_path / "ed").exists()
