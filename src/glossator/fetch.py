"""What a build may read: files inside the edition folder and the theme, and data: URLs.

Editions are shared between teachers, so an edition's styles and templates do
not get to choose what the build reads. WeasyPrint asks this module's fetcher
for every resource: stylesheets, @import, url(), @font-face (local() too),
images, <object>/<embed>, images inside SVG, attachments. Anything else --
http(s) or any network scheme, a file outside the edition, a symbolic link
that leads out of it -- is refused and recorded. WeasyPrint only logs a failed
fetch, so the renderer calls `check` after each layout, which turns the record
into errors naming the file and line that asked for the resource.

Fonts are read the same way: EditionFonts gives WeasyPrint a fontconfig that knows
no font of the machine, only the @font-face fonts, fetched through the fetcher.

Only render.py imports this module (it imports WeasyPrint), so `glossator
check` stays free of WeasyPrint.
"""
from __future__ import annotations

import mimetypes
import os
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from urllib.request import url2pathname

from weasyprint.text.ffi import ffi, fontconfig, gobject, pangoft2
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse, iri_to_uri, path2url

from .errors import InputError, finding
from .model import Where
from .styles import MAX_RESOURCE_BYTES

THEME = Path(str(resources.files("glossator") / "theme"))
# Folders whose files WeasyPrint and Jinja2 open by name, not through the fetcher:
# a link in them that leads out of the edition is refused before anything is read.
OPENED_BY_NAME = ("styles", "templates")
# Where to look for the text that asked for a refused URL, most likely first.
ASKERS = ("styles/**/*.css", "templates/**/*", "source/article.md", "annotations/*.yaml")


@dataclass(frozen=True)
class Refusal:
    url: str
    reason: str


class RefusedURL(ValueError):
    """Raised to WeasyPrint, which logs it and goes on; the Refusal is what counts."""


class EditionFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that reads only inside `allowed` folders, and data: URLs."""

    def __init__(self, root: Path, assets=(THEME,)):
        # Only data: ever reaches urllib; file: URLs are opened here, after the checks.
        super().__init__(allowed_protocols=("data",), allow_redirects=False)
        self.root = root.resolve()
        self.allowed = (self.root, *(Path(a).resolve() for a in assets))
        self.refused: list[Refusal] = []

    def fetch(self, url, headers=None):
        if _scheme(url) == "data":
            return super().fetch(url, headers)
        path, reason = self.readable(url)
        if path is not None:
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.open("rb"), {"Content-Type": kind})
        self.refused.append(Refusal(url, reason))
        raise RefusedURL(f"{url}: {reason}")

    def readable(self, url: str) -> tuple[Path | None, str]:
        """(the file's real path, "") if the (non-data:) URL names a file a build may read,
        else (None, why not)."""
        scheme = _scheme(url)
        if scheme == "file":
            return self.local_file(url)
        if scheme in ("http", "https", "ftp", "ws", "wss"):
            return None, "Glossator never reads from the network"
        return None, f"the '{scheme}:' scheme is not allowed" if scheme else "not a URL"

    def local_file(self, url: str) -> tuple[Path | None, str]:
        """(the file's real path, "") if a file: URL may be read, else (None, why not)."""
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            return None, f"a file on another machine ({parts.netloc})"
        try:
            asked = Path(url2pathname(parts.path))
            path = asked.resolve()  # follows symbolic links: their target is what would be read
            if not any(path.is_relative_to(base) for base in self.allowed):
                inside = any(Path(os.path.normpath(asked)).is_relative_to(base) for base in self.allowed)
                return None, ("a symbolic link that leads outside the edition folder" if inside
                              else "a file outside the edition folder")
            if not path.is_file():
                return None, "no such file in the edition"
            if path.stat().st_size > MAX_RESOURCE_BYTES:
                return None, f"larger than {MAX_RESOURCE_BYTES // 2**20} MB"
        except (OSError, ValueError, RuntimeError) as exc:  # a NUL byte, a long name, a loop of links
            return None, f"not a readable path ({exc})"
        return path, ""

    # --- turning the record into errors ----------------------------------------------------

    def check(self, document=None) -> None:
        """Raise InputError for every refused URL (and attachment in `document`) since the last check."""
        found, seen = [], set()
        for refusal in self.refused:
            if refusal not in seen:
                seen.add(refusal)
                found.append(finding("X101", locate(refusal.url, self.root), url=refusal.url,
                                     reason=refusal.reason))
        self.refused = []
        if document is not None:
            for url in dict.fromkeys(attachments(document)):
                found.append(finding("X102", locate(url, self.root, word="attachment"), url=url))
        if found:
            raise InputError(found)


# WeasyPrint declares the fontconfig functions it calls; this one it does not.
ffi.cdef("FcConfig * FcConfigCreate (void);", override=True)


class EditionFonts(FontConfiguration):
    """WeasyPrint's font configuration with no fonts from the machine.

    WeasyPrint starts from the machine's fontconfig setup, so text that the
    @font-face fonts cannot set (Arabic, CJK, emoji) falls back to whatever
    /usr/share/fonts holds: the PDF then differs from machine to machine and
    embeds fonts nobody chose. An empty fontconfig configuration (no font folders,
    no rules) that WeasyPrint's add_font_face fills with the @font-face fonts
    alone leaves such characters as the fonts' empty boxes, which
    fonts.font_findings reports (F101)."""

    def __init__(self):
        self._folder = None  # before anything that can fail: FontConfiguration.__del__ reads it
        self._config = fontconfig.FcConfigCreate()
        self.font_map = ffi.gc(pangoft2.pango_ft2_font_map_new(), gobject.g_object_unref)
        pangoft2.pango_fc_font_map_set_config(ffi.cast("PangoFcFontMap *", self.font_map), self._config)
        fontconfig.FcConfigDestroy(self._config)  # the font map holds its own reference
        self.strut_layouts = {}
        self.font_features = {}


def _scheme(url: str) -> str:
    return url.split(":", 1)[0].lower() if ":" in url else ""


def make_fetcher(root: Path) -> EditionFetcher:
    """The fetcher for the edition at root; raises InputError first if styles/ or templates/
    hold a symbolic link that leads out of the edition (those files are opened by name)."""
    refuse_links_out(root)
    return EditionFetcher(root)


def refuse_links_out(root: Path) -> None:
    """Raise InputError (X103) if styles/ or templates/ hold a symbolic link that leads out of
    the edition. Run when a renderer is made and before every build (pipeline.build): `watch`
    keeps its renderer while links come and go, and Jinja2 opens templates by name."""
    found = [finding("X103", Where(rel), target=str(target)) for rel, target in links_out(root)]
    if found:
        raise InputError(found)


def links_out(root: Path, folders=OPENED_BY_NAME) -> list[tuple[str, Path]]:
    """(path relative to root, real target) of every entry in `folders` that resolves outside root."""
    base = root.resolve()
    out = []
    for name in folders:
        top = root / name
        if not (top.exists() or top.is_symlink()):
            continue
        entries = [top]
        if _inside(top, base):  # a folder that is itself a link out is reported alone
            for folder, dirs, files in os.walk(top, followlinks=False):
                entries += [Path(folder, n) for n in (*dirs, *files)]
        out += [(e.relative_to(root).as_posix(), _real(e)) for e in entries if not _inside(e, base)]
    return out


def _real(path: Path) -> Path | str:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a loop of links (Python < 3.13)
        return "a loop of symbolic links"


def _inside(path: Path, base: Path) -> bool:
    real = _real(path)
    return isinstance(real, Path) and real.is_relative_to(base)


def attachments(document) -> list[str]:
    """URLs a laid-out document would embed in the PDF: <link rel=attachment>, <a rel=attachment>.

    WeasyPrint fetches them only while writing the PDF, so refusing them here,
    after layout, means they are never read at all."""
    urls = []
    for attachment in document.metadata.attachments:
        args = getattr(attachment.source, "args", ())  # select_source(guess, filename, url, ...)
        urls.append(next((a for a in args[:3] if isinstance(a, str)), "a file"))
    for page in document.pages:
        urls += [target for kind, target, _, _ in page.links if kind == "attachment"]
    return urls


# --- who asked ----------------------------------------------------------------------------------

# The URL-like strings on a line: url(...), quoted strings, unquoted attribute values.
_REFERENCE = re.compile(r"""url\(\s*['"]?([^'")\s]+)|['"]([^'"\s]+)['"]|=\s*([^\s'"<>]+)""")


def locate(url: str, root: Path, word: str = "") -> Where:
    """The first file and line in the edition that refers to `url`, as written or relative.

    Templates resolve relative URLs against the theme (the HTML's base URL);
    stylesheets against their own file. Text that a template copies into a URL
    (say, front matter) is found by the URL as written. `word`: prefer a line
    that also holds this word (for rel=attachment, "attachment")."""
    target = _plain(url)
    lines = list(_asking_lines(root))
    for wanted in ([word] if word else []) + [""]:
        for rel, number, line, base in lines:
            column = _refers(line, url, target, base) if wanted in line else 0
            if column:
                return Where(rel, number, column)
    if url.lower().startswith("file:"):
        found = _local_font(url, lines)
        if found:
            return found
    return Where("styles/ or templates/")


# local(NAME) in @font-face: the name quoted or not.
_LOCAL = re.compile(r"""local\(\s*(?:"([^"]*)"|'([^']*)'|([^)]*?))\s*\)""", re.IGNORECASE)


def _local_font(url: str, lines: list) -> Where | None:
    """The local() that found the font file `url` on this machine. WeasyPrint asks for the
    file it found, not for the name written, so the name is matched to the file's name
    ("DejaVu Sans" to DejaVuSans.ttf); failing that, the first local() is the likely one."""
    stem = _squashed(Path(url2pathname(urlsplit(url).path)).stem)
    first = None
    for rel, number, line, _ in lines:
        for m in _LOCAL.finditer(line):
            name = _squashed(next(g for g in m.groups() if g is not None))
            where = Where(rel, number, m.start() + 1)
            if name and stem and (name in stem or stem in name):
                return where
            first = first or where
    return first


def _squashed(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", name.lower())


def _asking_lines(root: Path):
    """(path relative to root, line number, line, base URL) of every line that may ask for a URL."""
    for pattern in ASKERS:
        for path in sorted(root.glob(pattern)):
            if not _inside(path, root.resolve()) or not path.is_file() or path.stat().st_size > MAX_RESOURCE_BYTES:
                continue
            base = path2url(path) if path.suffix == ".css" else path2url(str(THEME) + "/")
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
            except OSError:  # unreadable: it asked for nothing the build read
                continue
            for number, line in enumerate(text.splitlines(), 1):
                yield path.relative_to(root).as_posix(), number, line, base


def _refers(line: str, url: str, target: str, base: str) -> int:
    """1-based column of a reference to `url` on the line, or 0."""
    if url in line:
        return line.index(url) + 1
    for m in _REFERENCE.finditer(line):
        group = next(i for i, g in enumerate(m.groups(), 1) if g)
        try:
            if _plain(urljoin(base, m.group(group))) == target:
                return m.start(group) + 1
        except ValueError:
            continue
    return 0


def _plain(url: str) -> str:
    """The URL as WeasyPrint fetches it, without query or fragment, for comparing."""
    return iri_to_uri(url).split("#")[0].split("?")[0]
