"""fetch.py: the URL fetcher reads only the edition, the theme and data: URLs, and says who asked."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from glossator.errors import InputError
from glossator.fetch import THEME, EditionFetcher, RefusedURL, links_out, locate, make_fetcher
from glossator.model import Where


@pytest.fixture
def root(tmp_path):
    """An edition folder with a stylesheet and an image, beside a secret outside it."""
    edition = tmp_path / "edition"
    (edition / "styles").mkdir(parents=True)
    (edition / "styles" / "ok.css").write_text("p { color: black }\n", encoding="utf-8")
    (edition / "styles" / "dot.png").write_bytes(b"\x89PNG fake")
    (tmp_path / "secret.txt").write_text("SECRET-7f3a\n", encoding="utf-8")
    return edition


def refusal(fetcher: EditionFetcher, url: str) -> str:
    """Fetch url, expecting a refusal; the reason recorded."""
    with pytest.raises(RefusedURL):
        fetcher.fetch(url)
    assert fetcher.refused[-1].url == url
    return fetcher.refused[-1].reason


def test_reads_files_inside_the_edition_and_the_theme(root):
    fetcher = EditionFetcher(root)
    css = fetcher.fetch((root / "styles" / "ok.css").as_uri())
    assert css.read() == b"p { color: black }\n"
    assert css.content_type == "text/css"  # WeasyPrint checks it for <link rel=stylesheet>
    font = fetcher.fetch((THEME / "fonts" / "LinLibertine_R.otf").as_uri())
    assert font.read(4) == b"OTTO"
    assert fetcher.refused == []


def test_reads_data_urls(root):
    response = EditionFetcher(root).fetch("data:text/css,p%7Bcolor:red%7D")
    assert response.read() == b"p{color:red}"


@pytest.mark.parametrize("url, reason", [
    ("http://127.0.0.1:9/x.css", "network"),
    ("https://example.org/font.otf", "network"),
    ("ftp://example.org/x", "network"),
    ("gopher://example.org/x", "'gopher:' scheme"),
    ("file://example.org/share/x.png", "another machine"),
    ("file:///etc/passwd", "outside the edition"),
    ("file://localhost/etc/passwd", "outside the edition"),
])
def test_refuses_the_network_and_files_elsewhere(root, url, reason):
    assert reason in refusal(EditionFetcher(root), url)


def test_refuses_a_path_that_climbs_out(root):
    fetcher = EditionFetcher(root)
    climbing = (root / "styles").as_uri() + "/../../secret.txt"
    encoded = (root / "styles").as_uri() + "/%2e%2e/%2e%2e/secret.txt"
    assert "outside the edition" in refusal(fetcher, climbing)
    assert "outside the edition" in refusal(fetcher, encoded)


def test_refuses_a_symbolic_link_that_leads_out(root, tmp_path):
    link = root / "styles" / "photo.png"
    link.symlink_to(tmp_path / "secret.txt")
    assert "symbolic link" in refusal(EditionFetcher(root), link.as_uri())


def test_refuses_what_is_not_a_file(root):
    fetcher = EditionFetcher(root)
    assert "no such file" in refusal(fetcher, (root / "styles" / "missing.png").as_uri())
    assert "no such file" in refusal(fetcher, (root / "styles").as_uri())
    os.mkfifo(root / "styles" / "pipe.png")  # reading a FIFO would wait forever
    assert "no such file" in refusal(fetcher, (root / "styles" / "pipe.png").as_uri())
    assert "not a readable path" in refusal(fetcher, (root / "styles").as_uri() + "/a%00b.png")


def test_check_turns_refusals_into_errors_naming_the_line(root):
    (root / "styles" / "bad.css").write_text('p { color: red }\nbody { background: url("../../secret.txt") }\n',
                                              encoding="utf-8")
    fetcher = EditionFetcher(root)
    refusal(fetcher, (root.parent / "secret.txt").as_uri())
    refusal(fetcher, (root.parent / "secret.txt").as_uri())  # asked twice, reported once
    with pytest.raises(InputError) as info:
        fetcher.check()
    [found] = info.value.findings
    assert (found.code, found.path, found.line) == ("X101", "styles/bad.css", 2)
    assert "outside the edition folder" in found.message
    fetcher.check()  # the record was cleared: a later build starts clean


def test_locate_resolves_template_urls_against_the_theme(root, tmp_path):
    (root / "templates").mkdir()
    (root / "templates" / "edition.html.j2").write_text('<p>\n  <img src="../x/y.png">\n</p>\n',
                                                        encoding="utf-8")
    url = (THEME.parent / "x" / "y.png").as_uri()
    where = locate(url, root)
    assert (where.path, where.line, where.column) == ("templates/edition.html.j2", 2, 13)


def test_locate_finds_a_url_copied_from_front_matter(root):
    (root / "source").mkdir()
    (root / "source" / "article.md").write_text("---\ntitle: T\nurl: http://127.0.0.1:9/p.png\n---\n",
                                                encoding="utf-8")
    where = locate("http://127.0.0.1:9/p.png", root)
    assert (where.path, where.line) == ("source/article.md", 3)


def test_locate_without_a_match_names_the_folders(root):
    assert locate("file:///usr/share/fonts/x.ttf", root).path == "styles/ or templates/"


def test_links_out_of_styles_and_templates_are_refused_before_reading(root, tmp_path):
    (root / "styles" / "theme.css").symlink_to(tmp_path / "secret.txt")
    (root / "templates").symlink_to(tmp_path)
    (root / "styles" / "same.css").symlink_to(root / "styles" / "ok.css")  # inside: fine
    assert sorted(rel for rel, _ in links_out(root)) == ["styles/theme.css", "templates"]
    with pytest.raises(InputError) as info:
        make_fetcher(root)
    assert {f.code for f in info.value.findings} == {"X103"}
    assert {f.path for f in info.value.findings} == {"styles/theme.css", "templates"}
    assert all("SECRET" not in f.message for f in info.value.findings)


def test_a_loop_of_links_is_refused_not_a_crash(root):
    (root / "styles" / "a.css").symlink_to(root / "styles" / "b.css")
    (root / "styles" / "b.css").symlink_to(root / "styles" / "a.css")
    assert links_out(root) == [("styles/a.css", "a loop of symbolic links"),
                               ("styles/b.css", "a loop of symbolic links")]
    with pytest.raises(InputError):
        make_fetcher(root)
    assert "not a readable path" in refusal(EditionFetcher(root), (root / "styles" / "a.css").as_uri())


def test_make_fetcher_allows_an_edition_without_styles(tmp_path):
    assert isinstance(make_fetcher(Path(tmp_path)), EditionFetcher)


def test_locate_finds_the_local_font_that_asked_for_a_file_of_the_machine(root):
    """WeasyPrint asks for the file fontconfig found for local(NAME), not for the name; the
    finding named 'styles/ or templates/'."""
    (root / "styles" / "fonts.css").write_text(
        "/* fonts */\n@font-face { font-family: A; src: local(Nothing Such); }\n"
        "@font-face {\n  font-family: B;\n  src: local('DejaVu Sans Bold'), url(b.woff);\n}\n", encoding="utf-8")
    url = "file:///usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
    assert locate(url, root) == Where("styles/fonts.css", 5, 8)
    # No name that matches: the first local() is the likely asker.
    assert locate("file:///opt/fonts/Other.otf", root) == Where("styles/fonts.css", 2, 35)
