"""The attack corpus: an edition from a stranger reads nothing outside itself, calls no
server, embeds no file, runs no code, writes nowhere else, and puts no script in the HTML.

Every case is refused (a coded error naming the file and line that asked) or
neutralised (shown as text). A local HTTP server counts requests: it must get none.
Most cases fail before layout or after the first one, so they cost little; one
build of a small edition carries all the Markdown payloads.
"""
from __future__ import annotations

import re
import resource
import subprocess
import sys
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote
from urllib.request import urlopen

import pytest

from conftest import html_elements, make_edition, pdf_pages_text, run_cli
from glossator.commands.build import build
from glossator.compose import safe_link
from glossator.errors import GlossatorError, OutputError
from glossator.write import write_outputs
from pdfcheck import read_pdf

MARKER = "SECRET-7f3a9c"  # the content of the builder's private file: must never show up
# An edition template reduced to what the attack needs: the refusal comes right after layout.
PAGE = "<!DOCTYPE html>\n<html><body><p>Hello</p>\n{payload}\n</body></html>\n"


# --- fixtures --------------------------------------------------------------------------------------

@contextmanager
def counting_server():
    """An HTTP server on 127.0.0.1 (random port) that counts the requests it gets; shut down after."""
    hits: list[str] = []

    class Counting(BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            body = b"p { color: red }" if self.path.endswith(".css") else b"\x89PNG"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = HTTPServer(("127.0.0.1", 0), Counting)
    httpd.timeout = 2
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        with urlopen(f"{url}/alive.css", timeout=5) as response:  # the server does answer and count
            assert response.read() == b"p { color: red }"
        assert hits == ["/alive.css"]
        hits.clear()
        yield SimpleNamespace(url=url, hits=hits)
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@pytest.fixture
def server():
    with counting_server() as srv:
        yield srv


@pytest.fixture
def victim(tmp_path):
    """A small edition, and beside it (outside it) a private file of the builder's."""
    secret = tmp_path / "private" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text(MARKER + "\n", encoding="utf-8")
    root = make_edition(tmp_path / "edition")
    return SimpleNamespace(root=root, secret=secret, out=tmp_path / "out", tmp=tmp_path)


def refused(victim) -> list:
    """Build, expecting failure; the findings. Nothing may be written, nothing secret said."""
    with pytest.raises(GlossatorError) as info:
        build(victim.root, victim.out)
    findings = info.value.findings
    assert not victim.out.exists()
    assert MARKER not in "".join(f.format() for f in findings)
    return [f for f in findings if f.severity == "error"]  # what stopped it (check's warnings, R107, come too)


def template(victim, payload: str) -> None:
    (victim.root / "templates").mkdir(exist_ok=True)
    (victim.root / "templates" / "edition.html.j2").write_text(PAGE.format(payload=payload), encoding="utf-8")


def stylesheet(victim, css: str, name: str = "attack.css") -> None:
    (victim.root / "styles").mkdir(exist_ok=True)
    (victim.root / "styles" / name).write_text(css, encoding="utf-8")


def only(findings, code: str, path: str | None = None, line: int | None = None):
    """The one finding; it has this code (and place)."""
    assert [f.code for f in findings] == [code], [f.format() for f in findings]
    if path is not None:
        assert findings[0].path == path, findings[0].format()
    if line is not None:
        assert findings[0].line == line, findings[0].format()
    return findings[0]


# --- 1-9: templates ask for files, servers, attachments -----------------------------------------

def test_image_from_a_file_url_elsewhere(victim):
    template(victim, f'<img src="{victim.secret.as_uri()}">')
    found = only(refused(victim), "X101", "templates/edition.html.j2", 3)
    assert "outside the edition folder" in found.message


def test_image_by_a_relative_path_climbing_out(victim):
    template(victim, '<img src="' + "../" * 30 + str(victim.secret).lstrip("/") + '">')
    only(refused(victim), "X101", "templates/edition.html.j2", 3)


def test_image_by_a_file_url_with_localhost_or_encoded_dots(victim):
    climb = (victim.root / "styles").as_uri() + "/%2e%2e/%2e%2e/private/secret.txt"
    template(victim, f'<img src="file://localhost{victim.secret}">\n<object data="{climb}"></object>')
    findings = refused(victim)
    assert [(f.code, f.line) for f in findings] == [("X101", 3), ("X101", 4)]


def test_image_object_embed_and_stylesheet_from_a_local_server(victim, server):
    template(victim, f'<img src="{server.url}/a.png">\n<object data="{server.url}/b.png"></object>\n'
                     f'<embed src="{server.url}/c.png">\n<link rel="stylesheet" href="{server.url}/d.css">')
    findings = refused(victim)
    assert {f.code for f in findings} == {"X101"}
    assert all("never reads from the network" in f.message for f in findings)
    assert sorted(f.line for f in findings) == [3, 4, 5, 6]
    assert server.hits == []


def test_link_rel_attachment_embeds_nothing(victim, server):
    template(victim, f'<link rel="attachment" href="{victim.secret.as_uri()}">\n'
                     f'<link rel="attachment" href="{server.url}/payload.bin">\n'
                     f'<link rel="attachment" href="{(victim.root / "source" / "article.md").as_uri()}">')
    findings = refused(victim)
    assert [(f.code, f.line) for f in findings] == [("X102", 3), ("X102", 4), ("X102", 5)]
    assert server.hits == []


def test_a_rel_attachment_embeds_nothing(victim):
    template(victim, f'<a rel="attachment" href="{victim.secret.as_uri()}">the notes</a>')
    only(refused(victim), "X102", "templates/edition.html.j2", 3)


def test_svg_image_cannot_reach_out_from_inside(victim, server):
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
           f'<image href="{victim.secret.as_uri()}" width="10" height="10"/>'
           f'<image href="{server.url}/e.png" width="10" height="10"/></svg>')
    template(victim, f'<img src="data:image/svg+xml,{quote(svg)}">')
    findings = refused(victim)
    assert sorted(f.message.split(":")[0] for f in findings) == ["refused to read file", "refused to read http"]
    assert server.hits == []


def test_template_code_cannot_reach_python(victim):
    pwned = victim.tmp / "pwned"
    template(victim, "{{ cycler.__init__.__globals__.os.popen('touch %s').read() }}" % pwned)
    found = only(refused(victim), "R101")
    assert "unsafe" in found.message
    assert not pwned.exists()


def test_template_include_cannot_climb_out(victim):
    template(victim, '{% include "../../private/secret.txt" %}')
    only(refused(victim), "R101")


# --- 10-14: stylesheets ------------------------------------------------------------------------------

def test_css_import_of_a_local_file_elsewhere(victim):
    stylesheet(victim, f'@import url("{victim.secret.as_uri()}");\np {{ color: black }}\n')
    result = run_cli("build", victim.root, "--out", victim.out)  # as the user sees it
    assert result.returncode == 1, result.stderr
    assert (f"styles/attack.css:1:14: X101 refused to read {victim.secret.as_uri()}: "
            "a file outside the edition folder\n    hint: ") in result.stderr
    assert MARKER not in result.stderr + result.stdout and not victim.out.exists()


def test_css_import_and_font_from_a_local_server(victim, server):
    stylesheet(victim, f'@import "{server.url}/f.css";\n'
                       f'@font-face {{ font-family: Evil; src: url({server.url}/g.otf); }}\n'
                       'body { font-family: Evil; }\n')
    findings = refused(victim)
    assert [(f.code, f.path, f.line) for f in findings] == [("X101", "styles/attack.css", 1),
                                                            ("X101", "styles/attack.css", 2)]
    assert server.hits == []


def test_css_background_climbing_out(victim):
    stylesheet(victim, "p {\n  background: url(../../private/secret.txt);\n}\n")
    only(refused(victim), "X101", "styles/attack.css", 2)


def test_symlink_out_of_the_edition_as_a_stylesheet_or_template(victim):
    (victim.root / "styles").mkdir()
    (victim.root / "styles" / "theme.css").symlink_to(victim.secret)
    (victim.root / "templates").mkdir()
    (victim.root / "templates" / "macros.html.j2").symlink_to(victim.secret)
    findings = refused(victim)
    assert sorted((f.code, f.path) for f in findings) == [("X103", "styles/theme.css"),
                                                          ("X103", "templates/macros.html.j2")]


def test_symlink_out_of_the_edition_as_an_image(victim):
    stylesheet(victim, "p { background: url(../images/photo.png) }\n")
    (victim.root / "images").mkdir()  # outside styles/: found by the fetcher, at the moment of reading
    (victim.root / "images" / "photo.png").symlink_to(victim.secret)
    found = only(refused(victim), "X101", "styles/attack.css", 1)
    assert "symbolic link that leads outside" in found.message


# --- 15-18: outputs --------------------------------------------------------------------------------

def test_output_folder_linking_out_is_refused(victim):
    elsewhere = victim.tmp / "elsewhere"
    elsewhere.mkdir()
    (victim.root / "output").symlink_to(elsewhere)
    result = run_cli("build", victim.root)
    assert result.returncode == 4, result.stderr
    assert "output: O102 output/ is a link to" in result.stderr
    assert list(elsewhere.iterdir()) == []


@pytest.mark.parametrize("name", ["../escape.pdf", "/tmp/escape.pdf", "a/b/c.pdf", "a/../../escape.pdf",
                                  ".hidden.pdf", "a/.hidden.pdf", "x\x00.pdf", ".."])
def test_write_outputs_refuses_names_that_leave_the_folder(tmp_path, name):
    with pytest.raises(OutputError) as info:
        write_outputs(tmp_path / "out", {"fine.pdf": b"1", name: b"2"})
    assert info.value.findings[0].code == "O103"
    assert not (tmp_path / "out").exists()
    assert not (tmp_path / "escape.pdf").exists()


# --- 19-24: what a note, a definition, an event or the front matter may say -------------------------

HOSTILE_ARTICLE = """\
---
title: "../../../../tmp/Escape <script>alert(1)</script>"
author: Ada Tester
slug: ../../../../escaped
url: "javascript:alert(document.cookie)"
bio: "Writes <script>alert('bio')</script> and [links](vbscript:msgbox(1))."
---

The first paragraph mentions the Status of Forces Agreement and the [Green Zone](smb://evil/share) in Baghdad.

The second paragraph talks about the Quds Force and about Kataib Hezbollah (KH), twice: KH again.

The third paragraph closes the article with a sentence about the embassy in [Baghdad](https://example.org/baghdad).
"""

HOSTILE_NOTES = """\
- id: script
  quote: "Status of Forces Agreement"
  body: "A <script>alert('note')</script> and <img src=x onerror=alert(1)> and <iframe src=//evil></iframe>."
- id: links
  quote: "Quds Force"
  body: "[one](javascript:alert(1)) [two](JaVaScRiPt:alert(2)) [three](java\\tscript:alert(3)) <javascript:alert(4)> [four](data:text/html;base64,PHNjcmlwdD4=) [five](file:///etc/passwd) [ok](https://example.org/ok)"
- id: images
  quote: "embassy"
  body: "![x]({server}/note.png) ![y](file://{secret}) <img src='{server}/raw.png'>"
  sources: ["[src](vbscript:x)", "<a href=javascript:alert(5)>five</a>"]
"""

HOSTILE_GLOSSARY = """\
- term: Green Zone
  definition: "<svg onload=alert(1)> [go](javascript:alert(6)) &lt;script&gt; &#60;script&#62;"
"""

HOSTILE_CHRONOLOGY = """\
- date: "2020-01-03"
  event: "<body onload=alert(7)> [ev](javascript:alert(8))"
  sources: ["<style>@import '{server}/x.css'</style>"]
"""


def allowed_resources(root: Path) -> None:
    """What an edition may use: @import of its own CSS, its own image, a data: URL, the theme's fonts."""
    from PIL import Image

    (root / "styles").mkdir()
    (root / "styles" / "edition.css").write_text('@import "more/extra.css";\n', encoding="utf-8")
    (root / "styles" / "more").mkdir()
    (root / "styles" / "more" / "extra.css").write_text(
        ".kicker { background: url(../dot.png) no-repeat; }\n"
        ".byline { background: url(data:image/gif;base64,R0lGODlhAQABAAAAACw=) no-repeat; }\n", encoding="utf-8")
    Image.new("RGB", (2, 2), "white").save(root / "styles" / "dot.png")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """One build of an edition full of hostile Markdown, with a link planted in output/."""
    tmp = tmp_path_factory.mktemp("hostile")
    secret = tmp / "secret.txt"
    secret.write_text(MARKER, encoding="utf-8")
    with counting_server() as srv:
        root = make_edition(tmp / "edition", article=HOSTILE_ARTICLE,
                            notes=HOSTILE_NOTES.format(server=srv.url, secret=secret),
                            glossary=HOSTILE_GLOSSARY, chronology=HOSTILE_CHRONOLOGY.format(server=srv.url))
        allowed_resources(root)
        (root / "output").mkdir()
        victim_file = tmp / "victim.txt"
        victim_file.write_text("untouched", encoding="utf-8")
        (root / "output" / "escaped.pdf").symlink_to(victim_file)  # to be written through, if it could
        result = run_cli("build", root)
        yield SimpleNamespace(result=result, root=root, tmp=tmp, hits=srv.hits, victim=victim_file)


def test_hostile_edition_builds_and_calls_no_server(hostile):
    # it also uses every kind of resource that is allowed: none of them was refused
    assert hostile.result.returncode == 0, hostile.result.stderr
    assert hostile.hits == []


def test_slug_cannot_climb_out_and_planted_links_are_replaced(hostile):
    outputs = sorted(p.name for p in (hostile.root / "output").iterdir())
    assert outputs == ["escaped.html", "escaped.pdf", "fonts"]  # fonts/: the HTML edition's
    assert (hostile.root / "output" / "fonts").is_dir() and not (hostile.root / "output" / "fonts").is_symlink()
    assert not (hostile.root / "output" / "escaped.pdf").is_symlink()
    assert hostile.victim.read_text(encoding="utf-8") == "untouched"
    assert not any(p.name.startswith("escaped") for p in hostile.tmp.rglob("*") if "output" not in p.parts)


def test_html_edition_has_no_script_and_only_safe_links(hostile):
    html = (hostile.root / "output" / "escaped.html").read_text(encoding="utf-8")
    elements = html_elements(html)
    tags = {tag for tag, _ in elements}
    # The package's templates use none of these; the content tried all of them.
    assert not tags & {"iframe", "object", "embed", "img", "image", "base", "form", "foreignobject"}
    # ...and one script, the web edition's own (theme/notes.js): no other.
    from glossator.render import inline_script
    assert re.findall(r"<script\b.*?</script>", html, flags=re.S | re.I) == [f"<script>\n{inline_script()}\n</script>"]
    assert [(t, a) for t, a in elements for name in a if name.startswith("on")] == []
    assert [(t, a) for t, a in elements if "attachment" in (a.get("rel") or "")] == []
    hrefs = [a["href"] for _, a in elements if "href" in a]
    assert hrefs and all(safe_link(h) for h in hrefs), [h for h in hrefs if not safe_link(h)]
    assert "https://example.org/ok" in hrefs and "https://example.org/baghdad" in hrefs
    # "![x](server)" with images off is a plain link: readers may follow it, nothing fetches it
    assert not any("127.0.0.1" in (v or "") for _, a in elements for k, v in a.items() if k != "href")


def test_neutralised_markup_is_shown_as_text(hostile):
    html = (hostile.root / "output" / "escaped.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(‘note’)&lt;/script&gt;" in html  # escaped; its quotes curled like any text's
    assert "[one](javascript:alert(1))" in html  # the link stays visible as text, not a link
    text = " ".join(pdf_pages_text(hostile.root / "output" / "escaped.pdf"))
    assert "<script>alert(‘note’)</script>" in text


def test_pdf_has_no_script_no_embedded_file_and_nothing_foreign(hostile):

    data = (hostile.root / "output" / "escaped.pdf").read_bytes()
    for forbidden in (b"/JavaScript", b"/JS ", b"/EmbeddedFile", b"/Launch", b"/SubmitForm", MARKER.encode()):
        assert forbidden not in data
    with read_pdf(hostile.root / "output" / "escaped.pdf") as doc:
        uris = [link.get("uri") for page in doc.pages for link in page.hyperlinks if link.get("uri")]
    assert uris and all(u.startswith(("https://", "http://", "mailto:")) for u in uris), uris


# --- 25-28: YAML from a stranger ---------------------------------------------------------------------

def _limited_check(root: Path) -> subprocess.CompletedProcess:
    """`glossator check` with 1 GB of address space and a minute: a bomb fails, not the machine."""
    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (2**30, 2**30))
    result = subprocess.run([sys.executable, "-m", "glossator", "check", str(root)], capture_output=True,
                            text=True, timeout=60, preexec_fn=limit)
    result.stderr = result.stdout + result.stderr  # findings may go to either: read them as one
    return result


BOMB = "\n".join(["a: &a [x, x, x, x, x, x, x, x, x]"]
                 + [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)])


def test_alias_bomb_in_an_annotation_file(edition):
    notes = f"- id: bomb\n  quote: \"Quds Force\"\n  body: *i\n  x:\n    {BOMB.replace(chr(10), chr(10) + '    ')}\n"
    result = _limited_check(edition(notes=notes))
    assert result.returncode == 1, result.stderr
    assert "notes.yaml" in result.stderr and "Traceback" not in result.stderr


def test_alias_bomb_in_front_matter(edition):
    article = "---\n" + BOMB + "\ntitle: *i\nauthor: A\n---\n\nText.\n"
    result = _limited_check(edition(article=article))
    assert result.returncode == 1, result.stderr
    assert "source/article.md" in result.stderr and "Traceback" not in result.stderr


def test_deep_nesting_is_an_error_not_a_crash(edition):
    notes = "- " + "[" * 5000 + "]" * 5000 + "\n"
    result = _limited_check(edition(notes=notes))
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


def test_yaml_tags_construct_nothing(edition, tmp_path):
    pwned = tmp_path / "pwned"
    notes = f'- id: tag\n  quote: "Quds Force"\n  body: !!python/object/apply:os.system ["touch {pwned}"]\n'
    article = ("---\ntitle: !!python/object/apply:os.system [\"touch " + str(pwned) + "\"]\n"
               "author: A\n---\n\nText.\n")
    for kwargs in ({"notes": notes}, {"article": article}):
        result = _limited_check(edition(**kwargs))
        assert "Traceback" not in result.stderr
        assert not pwned.exists()


def test_binary_annotation_file_is_rejected_with_a_message(edition):
    root = edition()
    (root / "annotations" / "notes.yaml").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe")
    result = _limited_check(root)
    assert result.returncode == 1
    assert "annotations/notes.yaml" in result.stderr and "UTF-8" in result.stderr


def test_an_annotation_file_linked_from_outside_the_edition_is_refused(edition, tmp_path):
    from conftest import run_cli
    secret = tmp_path / "secret.yaml"
    secret.write_text("- id: stolen\n  quote: Green Zone\n  body: read from outside the edition\n", encoding="utf-8")
    folder = edition()
    (folder / "annotations" / "notes.yaml").symlink_to(secret)
    result = run_cli("check", folder)
    assert result.returncode == 1
    assert "X103" in result.stdout + result.stderr and "Traceback" not in result.stderr
