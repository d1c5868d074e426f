"""Which characters the edition's fonts can set, read from the fonts' own tables (fontTools).

A build sets text only in the fonts Glossator ships (theme/fonts/) and the ones an
edition brings with @font-face in styles/: never in fonts installed on the machine
(fetch.EditionFonts keeps fontconfig to these), so a PDF comes out the same on every
machine. A character none of these fonts has prints as an empty box; `glossator check`
and `build` say so (F101), with the characters and where they are.

Pure Python, no WeasyPrint: `check` runs it too.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from importlib import resources
from pathlib import Path

from .errors import Finding, finding
from .model import Annotations, Article, Where
from .styles import MAX_RESOURCE_BYTES

THEME_FONTS = Path(str(resources.files("glossator") / "theme" / "fonts"))
FONT_FILES = (".otf", ".ttf", ".woff", ".woff2")
MAX_LISTED = 12  # characters named in one finding; the rest are counted
# A @font-face rule, and the url()s of its src.
_FONT_FACE = re.compile(r"@font-face\s*{[^}]*}", re.IGNORECASE)
_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""", re.IGNORECASE)
# Characters that take no glyph: controls, format characters (joiners, marks of direction,
# the zero-width space), line and paragraph separators, variation selectors.
_NO_GLYPH_CATEGORIES = ("Cc", "Cf", "Zl", "Zp")
_VARIATION_SELECTORS = (range(0xFE00, 0xFE10), range(0xE0100, 0xE01F0))


def font_findings(root: Path, article: Article | None, annotations: Annotations) -> list[Finding]:
    """F101 for each paragraph, front matter, note, term or event holding characters
    that no font of the edition has."""
    fonts = edition_fonts(root)
    found = []
    for where, what, text in texts(article, annotations):
        missing = unset_characters(text, fonts)
        if missing:
            found.append(finding("F101", where, what=what, count=len(missing), characters=named(missing)))
    return found


def texts(article: Article | None, annotations: Annotations):
    """(place, what it is, text) of everything the edition prints from its own files."""
    if article is not None:
        meta = article.meta  # None when the front matter could not be read
        front = [meta.title, meta.author, meta.publication, meta.subtitle, meta.url, meta.bio, meta.credits,
                 meta.editor, meta.rights, meta.abstract, *meta.keywords] if meta else []
        yield Where(article.where.path, 1), "front matter", "\n".join(t for t in front if t)
        for block in article.blocks:
            what = f"¶ {block.number}" if block.number else block.kind
            yield block.where, what, block.text
    for note in annotations.notes:
        yield note.where, f"note '{note.id}'", "\n".join((note.title or "", note.body, *note.sources))
    for term in annotations.glossary:
        yield term.where, f"glossary term '{term.id}'", "\n".join((*term.spellings, term.definition))
    for event in annotations.chronology:
        yield event.where, f"chronology event '{event.id}'", "\n".join((event.event, *event.sources))


def unset_characters(text: str, fonts: tuple[Path, ...]) -> list[str]:
    """The distinct characters of text, in order, that need a glyph and that no font has."""
    wanted = [c for c in dict.fromkeys(text) if needs_glyph(c)]
    for path in fonts:  # the text face first: it usually covers everything
        if not wanted:
            break
        covered = cmap(*_identity(path))
        wanted = [c for c in wanted if ord(c) not in covered]
    return wanted


def needs_glyph(char: str) -> bool:
    code = ord(char)
    return not (unicodedata.category(char) in _NO_GLYPH_CATEGORIES
                or any(code in r for r in _VARIATION_SELECTORS))


def named(chars: list[str]) -> str:
    """'U+4E2C 北, U+1F600 😀', a control shown escaped; at most MAX_LISTED, then 'and N more'."""
    shown = ", ".join(f"U+{ord(c):04X} {c if c.isprintable() else ascii(c)[1:-1]}" for c in chars[:MAX_LISTED])
    return shown + (f" and {len(chars) - MAX_LISTED} more" if len(chars) > MAX_LISTED else "")


# --- the edition's fonts ---------------------------------------------------------------

def edition_fonts(root: Path) -> tuple[Path, ...]:
    """The shipped faces (the text face first), then the fonts styles/*.css load with
    @font-face from inside the edition (the build refuses any other: fetch.py)."""
    shipped = sorted((p for p in THEME_FONTS.iterdir() if p.suffix in FONT_FILES),
                     key=lambda p: (not p.name.startswith("LinLibertine_R."), p.name))
    return (*shipped, *dict.fromkeys(face_files(root)))


def face_files(root: Path) -> list[Path]:
    """Font files named in @font-face rules of the edition's stylesheets, inside the edition."""
    base, out = root.resolve(), []
    styles = root / "styles"
    for sheet in sorted(styles.glob("*.css")) if styles.is_dir() else ():
        text = _read_text(sheet, base)
        for rule in _FONT_FACE.findall(text or ""):
            for _, url in _URL.findall(rule):
                path = _local(sheet, url.strip(), base)
                if path is not None:
                    out.append(path)
    return out


def _local(sheet: Path, url: str, base: Path) -> Path | None:
    """The font file a relative url() in sheet names, if it is a font file inside the edition."""
    if ":" in url.split("/")[0] or url.startswith("/"):  # data:, http:, file:, absolute: not ours to read
        return None
    try:
        path = (sheet.parent / url.split("#")[0].split("?")[0]).resolve()
        if path.is_relative_to(base) and path.suffix.lower() in FONT_FILES and path.is_file():
            return path
    except (OSError, ValueError, RuntimeError):
        return None
    return None


def _read_text(path: Path, base: Path) -> str | None:
    """A regular file's text inside the edition, or None (reading it is the build's to report)."""
    try:
        real = path.resolve()
        if not real.is_relative_to(base) or not real.is_file() or real.stat().st_size > MAX_RESOURCE_BYTES:
            return None
        return real.read_text(encoding="utf-8")
    except (OSError, ValueError, RuntimeError):
        return None


def _identity(path: Path) -> tuple[str, int, int]:
    """(path, size, mtime): what the cache knows a font file by, so an edited font is read again."""
    try:
        stat = path.stat()
        return str(path), stat.st_size, stat.st_mtime_ns
    except OSError:
        return str(path), -1, -1


@functools.lru_cache(maxsize=64)
def cmap(path: str, size: int, mtime: int) -> frozenset[int]:
    """The code points a font file has glyphs for; empty if it cannot be read as a font."""
    from fontTools.ttLib import TTFont

    if size < 0 or size > MAX_RESOURCE_BYTES:
        return frozenset()
    try:
        with TTFont(path, lazy=True, fontNumber=0) as font:
            return frozenset(font.getBestCmap() or ())
    except Exception:  # fontTools raises many kinds on a damaged file; all mean "not a font"
        return frozenset()  # WeasyPrint will not load it either

