"""`glossator new PATH [--from FILE]`: scaffold an edition folder.

Without --from, the folder holds a short sample article (Lincoln's Gettysburg
Address, in the public domain) and one working, commented example in each
annotation file, so `glossator check` and `glossator build` pass from the first
minute. With --from, the article is made from text copied from a web page, or
from the page saved as HTML (see importer.py), every decision is reported for review, and the examples are
kept as comments only, since they quote the sample article.

Nothing is ever overwritten: if any file the scaffold would write exists, or anything but a
folder stands where a folder is needed, nothing is written; if a write fails half-way, what
was written is removed.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from .. import schema
from ..errors import OutputError, UsageError, finding, printable
from ..model import PartialDate, Where
from . import display

MAX_RAW_BYTES = 5 * 1024 * 1024
META_OPTIONS = ("title", "author", "publication", "date", "url", "lang")


def add_parser(sub) -> None:
    p = sub.add_parser("new", help="create an edition folder: article, annotations, styles",
                       description="Create an edition folder. Without --from it holds a sample article with "
                                   "one example of each annotation; with --from FILE the article is made from "
                                   "text copied from a web page (the whole page will do) or from the page "
                                   "saved as .html, and every decision taken is listed.")
    p.add_argument("path", help="the folder to create (it may exist, if it holds none of the files written)")
    p.add_argument("--from", dest="source", metavar="FILE",
                   help="text copied from the article's web page, or the page saved as .html, "
                        "made into source/article.md")
    for name in META_OPTIONS:
        p.add_argument(f"--{name}", metavar=name.upper(), help=f"the article's {name}, for the front matter "
                       "(with --from)" + (": YYYY, YYYY-MM or YYYY-MM-DD" if name == "date" else ""))


def run(args) -> int:
    root = Path(args.path)
    given = {name: getattr(args, name) for name in META_OPTIONS if getattr(args, name)}
    if given and not args.source:
        raise UsageError(f"--{next(iter(given))} is for articles made with --from; "
                         "the sample article has its own front matter.")
    if given.get("date"):
        try:
            PartialDate.parse(given["date"])
        except ValueError as exc:
            raise UsageError(f"--date {given['date']}: not a date ({exc}).") from exc
    imported = None
    if args.source:
        imported = import_file(Path(args.source), given)
    files = scaffold(imported)
    created = write_new(root, files)
    for path in created:
        print(f"created {display(path)}")
    if imported is not None:
        report_import(imported, display(Path(args.source)), display(root / "source" / "article.md"))
    print(f"next: edit the files, then run `glossator check {display(root)}`; "
          f"`glossator watch {display(root)}` rebuilds the PDF on every save.")
    return 0


def import_file(path: Path, given: dict):
    """The article made from a text file copied from a web page, or from a saved page (.html)."""
    from ..importer import import_html, import_text, looks_like_html

    data = read_bytes(path)
    if looks_like_html(path.name, data):
        try:
            imported = import_html(data, given)
        except ValueError as exc:
            raise UsageError(f"{path}: {exc}") from exc
        if not imported.blocks:
            raise UsageError(f"{path}: no paragraphs found in the page. Save the article's own page, or "
                             "copy its text into a text file and give that.")
        return imported
    imported = import_text(decode(path, data), given)
    if not imported.blocks:
        raise UsageError(f"{path}: no paragraphs found. Copy the article's text into it, "
                         "paragraphs separated by line breaks.")
    return imported


def read_bytes(path: Path) -> bytes:
    try:
        if not path.exists():
            raise UsageError(f"{path}: no such file. Give the text file copied from the article's web page.")
        if not path.is_file():  # a folder, or a FIFO, which would never end
            raise UsageError(f"{path}: not a file. Give the text file copied from the article's web page.")
        if path.stat().st_size > MAX_RAW_BYTES:
            raise UsageError(f"{path}: larger than {MAX_RAW_BYTES // 2**20} MB; is it the article's text?")
        return path.read_bytes()
    except OSError as exc:
        raise UsageError(f"{path}: cannot read it ({exc.strerror or exc}).") from exc


def decode(path: Path, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{path}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}). "
                         "Save it with UTF-8 encoding.") from exc


def report_import(imported, source: str, article: str) -> None:
    print(f"made {article} from {source}; review these decisions:")
    for d in sorted(imported.decisions, key=lambda d: (d.line == 0, d.line)):
        # The decisions quote the pasted text, which may hold terminal controls.
        print(printable(f"  {source}:{d.line}: {d.what}" if d.line else f"  {d.what}"))
    for name in imported.missing:
        print(f"{article}: the front matter has no {name}: add '{name}:' (or pass --{name}); "
              f"`glossator check` reports it as an error until then.", file=sys.stderr)


# --- writing ----------------------------------------------------------------------------

def write_new(root: Path, files: dict[str, str]) -> list[Path]:
    """Write files under root, all or none: every place is checked before anything is
    written, and if a write fails even so (a full disk), what was written is removed."""
    refuse_blocked(root, files)
    made: list[Path] = []  # files and folders created, in order
    try:
        for name, text in files.items():
            path = root / name
            make_folders(path.parent, made)
            with open(path, "x", encoding="utf-8", newline="\n") as handle:  # "x": never overwrite
                made.append(path)
                handle.write(text)
    except OSError as exc:
        remove(made)
        raise OutputError([finding("O105", Where(str(exc.filename or root)), what=str(exc.filename or root),
                                   reason=exc.strerror or exc)]) from exc
    except BaseException:  # interrupted (Ctrl-C): leave nothing half-made either
        remove(made)
        raise
    return [path for path in made if path.is_file()]


def refuse_blocked(root: Path, files: dict[str, str]) -> None:
    """Raise UsageError, before anything is written, if a file exists where one would be
    written, or something other than a folder stands where a folder is needed."""
    try:
        existing = [name for name in files if os.path.lexists(root / name)]
        for folder in sorted({(root / name).parent for name in files}):
            blocker = _not_a_folder(folder)
            if blocker:
                raise UsageError(f"{blocker}; nothing was written. Move it away, or choose another folder.")
    except OSError as exc:  # a folder on the way that may not be searched
        raise UsageError(f"{exc.filename}: {exc.strerror}; nothing was written.") from exc
    if existing:
        raise UsageError(f"{root}: already has {', '.join(existing)}; nothing was written. "
                         "Choose a new folder, or move those files away.")


def _not_a_folder(folder: Path) -> str | None:
    """What stands where `folder` (or a folder above it) must be, said for the user; None if
    it is a folder, or can be made one."""
    for place in (*reversed(folder.parents), folder):
        if not os.path.lexists(place):
            return None  # made by make_folders, with all below it
        if place.is_symlink() and not place.exists():
            return f"{place}: a symbolic link to something that does not exist, where a folder is needed"
        if not place.is_dir():
            return f"{place}: a file, where a folder is needed"
    return None


def make_folders(folder: Path, made: list[Path]) -> None:
    """Make `folder` and the folders above it that are missing, noting each in `made`."""
    missing = [place for place in (folder, *folder.parents) if not os.path.lexists(place)]
    for place in reversed(missing):
        place.mkdir()
        made.append(place)


def remove(made: list[Path]) -> None:
    """Undo a failed write_new: its files, then its folders, the deepest first."""
    for path in reversed(made):
        try:
            if path.is_dir() and not path.is_symlink():
                path.rmdir()
            else:
                path.unlink()
        except OSError:
            pass  # left behind: the error that stopped the writing is the one to report


def scaffold(imported=None) -> dict[str, str]:
    """{relative path: text} for a new edition; the sample article unless `imported`."""
    live = imported is None
    return {
        "source/article.md": SAMPLE_ARTICLE if live else imported.markdown(),
        "annotations/notes.yaml": annotation_file(schema.NOTES, NOTE_EXAMPLE, live),
        "annotations/glossary.yaml": annotation_file(schema.GLOSSARY, TERM_EXAMPLE, live),
        "annotations/chronology.yaml": annotation_file(schema.CHRONOLOGY, EVENT_EXAMPLE, live),
        "annotations/questions.yaml": annotation_file(schema.QUESTIONS, QUESTION_EXAMPLE, live),
        "styles/edition.css": STYLES,
        ".gitignore": "output/\n",
    }


def annotation_file(spec: schema.FileSpec, example: str, live: bool) -> str:
    """The file's format, described from schema.py, then the example: live, or as a comment."""
    width = max(len(f.name) for f in spec.fields) + 1
    lines = [f"# {spec.title}: a list of {spec.items}, each starting with '- '.",
             "# Fields (* required):"]
    lines += [f"#   {(f.name + '*' if f.required else f.name):<{width}}  {f.description}" for f in spec.fields]
    lines.append("#")
    if live:
        lines.append("# An example, written for the sample article; replace it with your own.")
        lines.append(example.rstrip("\n"))
    else:
        lines.append("# An example, written for Lincoln's Gettysburg Address (the sample of `glossator new`):")
        lines += [f"#   {line}" if line else "#" for line in example.rstrip("\n").split("\n")]
        lines.append("#")
        lines.append(f"# Write your {spec.items} below in place of '[]', which means: none yet.")
        lines.append("[]")
    return "\n".join(lines) + "\n"


# --- the sample edition -------------------------------------------------------------------------
# Real text and real annotations: the scaffold must pass `glossator check` as it stands.

SAMPLE_ARTICLE = """\
---
# The front matter: what the title page and the PDF's metadata say.
# title and author are required; date (YYYY, YYYY-MM or YYYY-MM-DD) fixes the PDF's dates.
title: Address Delivered at the Dedication of the Cemetery at Gettysburg
author: Abraham Lincoln
date: 1863-11-19
lang: en-US
# publication: where the article appeared, like "Foreign Affairs"
# url: where it can be read
bio: >-
  ABRAHAM LINCOLN was the sixteenth President of the United States, from March 1861
  until his assassination in April 1865.
---

Four score and seven years ago our fathers brought forth on this continent, a new nation, conceived in Liberty, and dedicated to the proposition that all men are created equal.

Now we are engaged in a great civil war, testing whether that nation, or any nation so conceived and so dedicated, can long endure. We are met on a great battle-field of that war. We have come to dedicate a portion of that field, as a final resting place for those who here gave their lives that that nation might live. It is altogether fitting and proper that we should do this.

::: pullquote
The world will little note, nor long remember what we say here, but it can never forget what they did here.
:::

But, in a larger sense, we can not dedicate—we can not consecrate—we can not hallow—this ground. The brave men, living and dead, who struggled here, have consecrated it, far above our poor power to add or detract. The world will little note, nor long remember what we say here, but it can never forget what they did here. It is for us the living, rather, to be dedicated here to the unfinished work which they who fought here have thus far so nobly advanced. It is rather for us to be here dedicated to the great task remaining before us—that from these honored dead we take increased devotion to that cause for which they gave the last full measure of devotion—that we here highly resolve that these dead shall not have died in vain—that this nation, under God, shall have a new birth of freedom—and that government of the people, by the people, for the people, shall not perish from the earth.
"""

NOTE_EXAMPLE = """\
- id: four-score
  # The call goes after the quote's last word; copy the words exactly.
  quote: Four score and seven years ago
  title: Eighty-seven years
  kind: term
  body: >-
    A score is twenty: Lincoln counts back from 1863 to 1776, dating the nation from the
    Declaration of Independence and its promise of equality rather than from the
    Constitution of 1787.
  sources:
    - "Garry Wills, *Lincoln at Gettysburg: The Words That Remade America* (Simon & Schuster, 1992)."
"""

TERM_EXAMPLE = """\
- term: consecrate
  # Other spellings the article uses are marked as the same term.
  aliases: [consecrated]
  definition: >-
    To set apart as sacred. Lincoln says the ceremony cannot do it: the soldiers who
    fought at Gettysburg already have.
"""

EVENT_EXAMPLE = """\
- date: "1863-07-01"
  end: "1863-07-03"
  event: The Battle of Gettysburg, fought over three days in southern Pennsylvania.
  # Optional: the passage that mentions the event, linked from the chronology.
  quote: a great battle-field of that war
"""

QUESTION_EXAMPLE = """\
- question: Why does Lincoln say that the living "can not dedicate" the field?
  quote: we can not dedicate
  answer: >-
    The soldiers who fought there have already consecrated it, "far above our poor power
    to add or detract"; what is left to the living is the unfinished work.
  # Optional: short (3 ruled lines, the default), long (8) or discussion (no lines).
  kind: short
"""

STYLES = """\
/* This edition's own styles: every .css file in styles/ is read after
 * Glossator's stylesheet, so its rules win. Type faces and colours are free;
 * the page's geometry and the main type sizes are set through custom
 * properties in :root, which Glossator reads before it lays anything out
 * (README: Restyling an edition). For example:
 *
 *   :root { --body-size: 11pt; --note-width: 180pt; --accent: #1f4e79; }
 */
"""
