"""The edition's stylesheets: read only as regular UTF-8 files (R104 otherwise, never a hang
or exit 70), and the files they name carried inside the HTML edition as data: URLs, only
if the PDF could read them too (X101 otherwise)."""
from __future__ import annotations

import base64
import errno
import os
import re
from pathlib import Path

import pytest

from conftest import cli, make_edition, run_cli
from glossator import styles
from glossator.errors import InputError
from glossator.styles import read_stylesheets

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(40))


def outputs(root: Path) -> dict[str, bytes]:
    folder = root / "output"
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()} if folder.exists() else {}


def build_fails(root: Path, expected: str, exit_code: int = 1) -> str:
    before = outputs(root)
    result = run_cli("build", root, timeout=60)
    assert result.returncode == exit_code, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert expected in result.stderr, result.stderr
    assert outputs(root) == before
    return result.stderr


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """An edition with a stylesheet naming its own files three ways, built once."""
    root = make_edition(tmp_path_factory.mktemp("assets") / "edition")
    (root / "styles" / "img").mkdir(parents=True)
    (root / "styles" / "img" / "paper.png").write_bytes(PNG)
    (root / "styles" / "more").mkdir()
    (root / "styles" / "more" / "rule.css").write_text("hr { border-image: url(../img/paper.png) 30 }\n",
                                                         encoding="utf-8")
    (root / "styles" / "paper.css").write_text(
        '@import "more/rule.css";\n'
        "/* shown on screen only: the PDF never reads it */\n"
        "@media screen { body { background: url(img/paper.png) } }\n"
        '.title-block { background-image: url("img/paper.png#top") }\n', encoding="utf-8")
    result = cli("build", root)
    assert result.returncode == 0, result.stderr
    return root


def test_the_html_edition_carries_the_files_its_stylesheets_name(built):
    html = next((built / "output").glob("*.html")).read_text(encoding="utf-8")
    png = "data:image/png;base64," + base64.b64encode(PNG).decode("ascii")
    assert f'url("{png}")' in html  # the screen background
    assert f'url("{png}#top")' in html
    imported = re.search(r'@import url\("data:text/css;base64,([^"]+)"\)', html)
    assert imported and png in base64.b64decode(imported.group(1)).decode("utf-8")  # its own url() too
    assert "img/paper.png" not in html and "shown on screen only" in html  # comments kept
    # Nothing but the fonts (and their licences) is written beside the HTML.
    assert {p.name for p in (built / "output").iterdir()} == {"fonts", *outputs(built)}


def test_a_screen_only_url_outside_the_edition_is_refused(built, tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(PNG)
    sheet = built / "styles" / "leak.css"
    sheet.write_text(f"p {{ color: black }}\n@media screen {{ body {{ background: url({secret.as_uri()}) }} }}\n"
                     "@media screen { p { background: url(http://127.0.0.1:9/pixel.png) } }\n", encoding="utf-8")
    try:
        said = build_fails(built, f"styles/leak.css:2:40: X101 refused to read {secret.as_uri()}: "
                                  "a file outside the edition folder")
        assert ("styles/leak.css:3:37: X101 refused to read http://127.0.0.1:9/pixel.png: "
                "Glossator never reads from the network") in said
    finally:
        sheet.unlink()


@pytest.mark.parametrize("kind, expected", [
    ("folder", "styles/x.css: R104 cannot use this stylesheet: it is a folder"),
    ("fifo", "styles/x.css: R104 cannot use this stylesheet: it is not a regular file (a named pipe or a device)"),
    ("latin-1", "styles/x.css:3: R104 cannot use this stylesheet: it is not UTF-8 text (byte 0xe9 at offset 12)\n"
                "    hint: Save the file with UTF-8 encoding."),
])
def test_a_stylesheet_that_is_not_a_text_file(built, kind, expected):
    path = built / "styles" / "x.css"
    if kind == "folder":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)  # read, it would block the build forever
    else:
        path.write_bytes("p {}\n\n/* caf\u00e9 */\n".encode("latin-1"))
    try:
        build_fails(built, expected)
    finally:
        path.rmdir() if kind == "folder" else path.unlink()


def test_an_unreadable_stylesheet(tmp_path, monkeypatch):
    root = make_edition(tmp_path / "edition")
    (root / "styles").mkdir()
    (root / "styles" / "a.css").write_text("p {}\n", encoding="utf-8")
    (root / "styles" / "b.css").write_text("p {}\n", encoding="utf-8")
    opened = os.open

    def denied(path, *args, **kwargs):  # chmod 000 does not stop root, who may run the tests
        if Path(path).name == "b.css":
            raise PermissionError(errno.EACCES, "Permission denied")
        return opened(path, *args, **kwargs)

    monkeypatch.setattr(styles.os, "open", denied)
    with pytest.raises(InputError) as info:
        read_stylesheets(root)
    [found] = info.value.findings
    assert found.format() == ("styles/b.css: R104 cannot use this stylesheet: cannot read it: Permission denied\n"
                              "    hint: Make the file readable (chmod u+r), or move it out of the folder.")


def test_check_finds_an_unusable_stylesheet_without_rendering(tmp_path):
    root = make_edition(tmp_path / "edition")
    (root / "styles").mkdir()
    os.mkfifo(root / "styles" / "pipe.css")
    result = run_cli("check", root, timeout=30)
    assert result.returncode == 1, result.stdout
    assert "styles/pipe.css: R104 cannot use this stylesheet: it is not a regular file" in result.stdout


def test_inlining_leaves_what_names_no_file_as_written(tmp_path):
    sheet = styles.Stylesheet(tmp_path / "styles" / "a.css", "styles/a.css",
                              'a { background: url("") }\nb { x: url(#f) }\nc { y: url(data:,hi) }\n'
                              "d { z: url(http://example.org/x.png) }\n", True)
    refused = []
    text = styles.inlined(sheet, lambda url: (None, f"not {url}"), lambda url, why: refused.append((url, why)))
    assert text == sheet.text
    assert refused == [("http://example.org/x.png", "not http://example.org/x.png")]  # the fetcher's rule
