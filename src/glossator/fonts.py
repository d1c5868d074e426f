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
import struct
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
# Characters that take no glyph: format characters (joiners, marks of direction, the
# zero-width space), the paragraph separator (a break), variation selectors, and the controls
# CSS reads as white space. Measured with Pango: any other control (U+0001, NEL) and the line
# separator (U+2028) are drawn, as an empty box where no font has them.
_NO_GLYPH_CATEGORIES = ("Cf", "Zp")
_WHITE_SPACE = "\t\n\r\f"
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
    return not (unicodedata.category(char) in _NO_GLYPH_CATEGORIES or char in _WHITE_SPACE
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
    if size < 0 or size > MAX_RESOURCE_BYTES:
        return frozenset()
    try:
        found = sfnt_cmap(Path(path).read_bytes())
    except (OSError, struct.error, IndexError):
        found = None
    if found is not None:
        return found
    from fontTools.ttLib import TTFont  # WOFF, WOFF2 and the rare cmap formats: fontTools reads them

    try:
        with TTFont(path, lazy=True, fontNumber=0) as font:
            return frozenset(font.getBestCmap() or ())
    except Exception:  # fontTools raises many kinds on a damaged file; all mean "not a font"
        return frozenset()  # WeasyPrint will not load it either



# The cmap subtables fontTools' getBestCmap prefers, in its order: (platform, encoding).
_CMAP_PREFERENCES = ((3, 10), (0, 6), (0, 4), (3, 1), (0, 3), (0, 2), (0, 1), (0, 0))


def sfnt_cmap(data: bytes) -> frozenset[int] | None:
    """The code points of an OpenType or TrueType font's best cmap subtable, as fontTools'
    getBestCmap gives them, read directly: `check` need not load fontTools (a tenth of a
    second) to read the shipped fonts. None where this reader does not know the file or the
    subtable's format (fontTools then reads it)."""
    offset = struct.unpack_from(">I", data, 12)[0] if data[:4] == b"ttcf" else 0  # a collection: its first font
    if data[offset:offset + 4] not in (b"\x00\x01\x00\x00", b"OTTO", b"true"):
        return None
    tables = {data[at:at + 4]: struct.unpack_from(">I", data, at + 8)[0]
              for at in range(offset + 12, offset + 12 + 16 * struct.unpack_from(">H", data, offset + 4)[0], 16)}
    if b"cmap" not in tables:
        return None
    base = tables[b"cmap"]
    records = struct.unpack_from(">H", data, base + 2)[0]
    subtables = {}
    for at in range(base + 4, base + 4 + 8 * records, 8):
        platform, encoding, start = struct.unpack_from(">HHI", data, at)
        subtables.setdefault((platform, encoding), base + start)
    best = next((subtables[key] for key in _CMAP_PREFERENCES if key in subtables), None)
    return None if best is None else _subtable_codes(data, best)


def _subtable_codes(data: bytes, at: int) -> frozenset[int] | None:
    """Code points mapped to a glyph other than the missing one (glyph 0), as fontTools reads them."""
    form = struct.unpack_from(">H", data, at)[0]
    if form == 4:
        return _format_4(data, at)
    if form in (12, 13):
        return _format_12_13(data, at, form)
    return None


def _format_4(data: bytes, at: int) -> frozenset[int] | None:
    length, count = struct.unpack_from(">H", data, at + 2)[0], struct.unpack_from(">H", data, at + 6)[0] // 2
    ends, starts, deltas, range_offsets = (struct.unpack_from(f">{count}H", data, at + first + 2 * count * k)
                                           for k, first in enumerate((14, 16, 16, 16)))
    glyphs = struct.unpack_from(f">{max(0, (length - 16 - 8 * count) // 2)}H", data, at + 16 + 8 * count)
    codes = set()
    for i in range(count - 1):  # the last segment closes the table (0xFFFF)
        for code in range(starts[i], ends[i] + 1):
            if range_offsets[i] == 0:
                glyph = (code + deltas[i]) & 0xFFFF
            else:
                index = code + range_offsets[i] // 2 - starts[i] + i - count
                if not 0 <= index < len(glyphs):
                    return None  # damaged: fontTools says so
                glyph = (glyphs[index] + deltas[i]) & 0xFFFF if glyphs[index] else 0
            if glyph:
                codes.add(code)
    return frozenset(codes)


def _format_12_13(data: bytes, at: int, form: int) -> frozenset[int]:
    codes, last_end = set(), 0
    for g in range(struct.unpack_from(">I", data, at + 12)[0]):
        start, end, glyph = struct.unpack_from(">III", data, at + 16 + 12 * g)
        end = min(end, 0x10FFFF)
        if start > end or start < last_end:
            continue  # fontTools skips a group out of order
        last_end = end
        if glyph == 0:  # the missing glyph: all of a format 13 group, the first code of a format 12 one
            if form == 13:
                continue
            start += 1
        codes.update(range(start, end + 1))
    return frozenset(codes)
