"""Station 5, write: the only code that touches output/.

Every output is written to a temporary file in the same folder, flushed to disk,
and moved over the old one in a single rename, only after the whole build has
succeeded. A failed build, Ctrl-C or a kill leaves the previous files as they were.
"""
from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from .errors import OutputError, finding
from .model import Where


# An output's name: a plain file name, or one inside a plain subfolder ("fonts/x.otf");
# no leading dot, no other separators, so nothing lands beside or above the folder.
PLAIN_NAME = re.compile(r"(?:[A-Za-z0-9][A-Za-z0-9._-]*/)?[A-Za-z0-9][A-Za-z0-9._-]*")


def output_folder(root: Path) -> Path:
    """The edition's own output/ folder; refused if it is a link leading out of the edition."""
    folder = root / "output"
    try:
        target = folder.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a loop of links (Python < 3.13)
        target = "a loop of links"
    if not (isinstance(target, Path) and target.is_relative_to(root.resolve())):
        raise OutputError([finding("O102", Where("output"), target=str(target))])
    return folder


def write_outputs(folder: Path, files: dict[str, bytes]) -> list[Path]:
    """Write {name: bytes} into folder; all files are prepared before any is replaced.

    A file already there is replaced, never written through: a link planted in
    its place (or in place of a subfolder) is replaced, its target left alone. A
    file already holding the same bytes is left as it is."""
    for name in files:
        if not PLAIN_NAME.fullmatch(name) or ".." in name:
            raise OutputError([finding("O103", Where(str(folder)), name=name, folder=str(folder))])
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for sub in sorted({Path(name).parent for name in files} - {Path(".")}):
            real_folder(folder / sub)
        remove_stale(folder, files)
    except OSError as exc:
        raise OutputError([finding("O101", Where(str(folder)), what=str(folder), reason=exc.strerror or exc)]) from exc
    staged: list[tuple[str, Path]] = []
    try:
        for name, data in files.items():
            if not unchanged(folder / name, data):
                staged.append((staged_file(folder, name, data), folder / name))
        for temp, final in staged:
            os.replace(temp, final)
    except OSError as exc:
        raise OutputError([finding("O101", Where(str(folder)), what=str(folder / name),
                                   reason=exc.strerror or exc)]) from exc
    finally:
        for temp, _ in staged:
            if os.path.exists(temp):
                os.unlink(temp)
    return [folder / name for name in files]


def real_folder(path: Path) -> None:
    """A subfolder of the output folder, made a real folder if a link (or a file) stands there."""
    if path.is_symlink() or (path.exists() and not path.is_dir()):
        path.unlink()
    path.mkdir(exist_ok=True)


def unchanged(path: Path, data: bytes) -> bool:
    """True if path is a real file already holding exactly data (the shipped fonts, mostly)."""
    try:
        return path.is_file() and not path.is_symlink() and path.stat().st_size == len(data) \
            and path.read_bytes() == data
    except OSError:
        return False


def staged_file(folder: Path, name: str, data: bytes) -> str:
    folder, name = (folder / name).parent, Path(name).name
    fd, temp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o644)
    except BaseException:
        os.unlink(temp)
        raise
    return temp


def remove_stale(folder: Path, files) -> None:
    """Temporary files a killed build left behind (never the outputs themselves)."""
    for name in files:
        for stale in (folder / name).parent.glob(f".{Path(name).name}.*.tmp"):
            if stale.is_file() and not stale.is_symlink():
                stale.unlink()
