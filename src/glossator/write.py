"""Station 5, write: the only code that touches output/.

A build's outputs are replaced as a set, all or nothing, in three steps:

1. check: nothing stands where an output goes that a rename could not replace
   (a folder where a file goes, a file where the fonts/ folder goes);
2. stage: every changed file is written to a temporary file beside its place
   and flushed to disk;
3. commit: each old file is kept under a second name (a hard link), then the
   temporary file is renamed over it. If a rename fails, or Ctrl-C lands, the
   renames already done are undone from the kept files. Once all are done, the
   kept files go.

Only one build at a time writes into a folder: it holds a lock on the folder
(`watch` and a `build` by hand may run together). A temporary file found there
by the lock's holder was left by a build that died, and is removed.

If the process is killed, or the machine dies, between two renames, each output
is whole, the old file or the new one, but the set may mix old and new files
until the next build.
"""
from __future__ import annotations

import errno
import os
import re
import shutil
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from .errors import OutputError, finding
from .model import Where


# An output's name: a plain file name, or one inside a plain subfolder ("fonts/x.otf");
# no leading dot, no other separators, so nothing lands beside or above the folder.
PLAIN_NAME = re.compile(r"(?:[A-Za-z0-9][A-Za-z0-9._-]*/)?[A-Za-z0-9][A-Za-z0-9._-]*")
# A second build of the same edition waits this long for the first to finish writing.
# Writing takes well under a second; the wait covers a slow disk, not a build.
LOCK_WAIT_S = 60.0
# Names of this module's temporary files beside an output NAME: `.NAME.xxxxxxxx.tmp`
# (the new file, staged) and `.NAME.xxxxxxxx.old` (the old one, kept until the commit is done).
STAGED, KEPT = ".tmp", ".old"


def output_folder(root: Path, out: Path | str | None = None) -> Path:
    """Where a build of the edition at root writes: `out` (--out DIR, wherever the user says),
    else the edition's own output/ folder, refused if it is a link leading out of the edition."""
    if out is not None:
        return Path(os.path.abspath(out))
    folder = root / "output"
    try:
        target = folder.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a loop of links (Python < 3.13)
        target = "a loop of links"
    if not (isinstance(target, Path) and target.is_relative_to(root.resolve())):
        raise OutputError([finding("O102", Where("output"), target=str(target))])
    return folder


def write_outputs(folder: Path, files: dict[str, bytes]) -> list[Path]:
    """Write {name: bytes} into folder, all or nothing (see the module's docstring).

    A file already there is replaced, never written through: a link planted in
    its place (or in place of a subfolder) is replaced, its target left alone. A
    file already holding the same bytes is left as it is."""
    for name in files:
        if not PLAIN_NAME.fullmatch(name) or ".." in name:
            raise OutputError([finding("O103", Where(str(folder)), name=name, folder=str(folder))])
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise cannot_write(folder, exc) from exc
    with locked(folder) as sole:
        check_places(folder, files)
        made = prepare(folder, files, sole)
        try:
            commit(stage(folder, files))
        except BaseException:
            for path in made:
                remove_empty(path)
            raise
        settle(folder, files)
    return [folder / name for name in files]


def cannot_write(path: Path, exc: OSError) -> OutputError:
    return OutputError([finding("O101", Where(str(path)), what=str(path), reason=exc.strerror or exc)])


def subfolders(files) -> list[Path]:
    return sorted({Path(name).parent for name in files} - {Path(".")})


# --- one build at a time ---------------------------------------------------------------------------

@contextmanager
def locked(folder: Path):
    """Hold an exclusive lock on the folder itself (flock on the folder: no lock file to leave
    behind or to be planted). Yields True if held; False where the file system cannot lock
    (some network file systems), and then no left-over file is taken for abandoned."""
    import fcntl

    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as exc:
        raise cannot_write(folder, exc) from exc
    try:
        yield take_lock(fd, folder, fcntl)
    finally:
        os.close(fd)  # releases the lock


def take_lock(fd: int, folder: Path, fcntl) -> bool:
    deadline = time.monotonic() + LOCK_WAIT_S
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise OutputError([finding("O104", Where(str(folder)), folder=str(folder),
                                           seconds=f"{LOCK_WAIT_S:g}")]) from None
            time.sleep(0.05)
        except OSError as exc:
            if exc.errno in (errno.ENOLCK, errno.EINVAL, errno.EOPNOTSUPP, errno.EBADF):
                return False
            raise cannot_write(folder, exc) from exc


# --- check, stage, commit ----------------------------------------------------------------------

def check_places(folder: Path, files) -> None:
    """Refuse, before anything is written, what a rename could not replace: a folder where
    an output file goes, a file (not a link) where a subfolder goes."""
    found = []
    for sub in subfolders(files):
        path = folder / sub
        if not path.is_symlink() and path.exists() and not path.is_dir():
            found.append(finding("O101", Where(str(path)), what=str(path),
                                 reason="a file stands where this folder of outputs goes; move it away"))
    for name in files:
        path = folder / name
        if path.parent.is_symlink():
            continue  # the link is replaced by an empty folder
        if not path.is_symlink() and path.is_dir():
            found.append(finding("O101", Where(str(path)), what=str(path),
                                 reason="a folder stands where this output goes; move it away"))
    if found:
        raise OutputError(found)


def prepare(folder: Path, files, sole: bool) -> list[Path]:
    """Make the subfolders (a link standing there replaced by a real folder) and, if this
    build is the only one writing here (`sole`), remove what builds that died left behind.
    Returns the subfolders made, to be removed again if the build fails."""
    made: list[Path] = []
    try:
        for sub in subfolders(files):
            if real_folder(folder / sub):
                made.append(folder / sub)
        if sole:
            remove_left_over(folder, files)
    except OSError as exc:
        for path in made:
            remove_empty(path)
        raise cannot_write(folder, exc) from exc
    return made


def stage(folder: Path, files: dict[str, bytes]) -> list[tuple[Path, Path]]:
    """(temporary file, final place) of every file that changed, all written and flushed;
    on a failure none is left behind."""
    staged: list[tuple[Path, Path]] = []
    name = ""
    try:
        for name, data in files.items():
            if not unchanged(folder / name, data):
                staged.append((staged_file(folder, name, data), folder / name))
    except BaseException as exc:
        for temp, _ in staged:
            remove(temp)
        if isinstance(exc, OSError):
            raise cannot_write(folder / name, exc) from exc
        raise
    return staged


def commit(staged: list[tuple[Path, Path]]) -> None:
    """Rename every staged file over its output; if any rename fails (or Ctrl-C lands),
    undo the renames already done, so the outputs are the old set or the new set."""
    kept: list[tuple[Path, Path | None]] = []  # (output, its old file under a second name)
    done = False
    try:
        for temp, final in staged:
            kept.append((final, keep_old(final, temp)))
            put_in_place(temp, final)
        done = True
    except OSError as exc:
        undo(kept)
        raise cannot_write(final, exc) from exc
    except BaseException:
        undo(kept)
        raise
    finally:
        for temp, _ in staged:
            remove(temp)
        for _, old in kept:
            if done and old is not None:  # else undo() has put it back (or it is the only copy left)
                remove(old)


def keep_old(final: Path, temp: Path) -> Path | None:
    """A second name for the output at final (None if there is none yet), to undo its
    replacement: a hard link, or a copy where the file system has no hard links."""
    if not (final.exists() or final.is_symlink()):
        return None
    old = temp.with_suffix(KEPT)  # unique, as the staged file's name is
    try:
        os.link(final, old, follow_symlinks=False)
    except OSError:
        shutil.copy2(final, old, follow_symlinks=False)
    return old


def put_in_place(temp: Path, final: Path) -> None:
    """One rename: the output at final is the old file or the new one, never a part."""
    os.replace(temp, final)


def undo(kept: list[tuple[Path, Path | None]]) -> None:
    """Put back the old outputs, last first; an output that was not there before is removed."""
    for final, old in reversed(kept):
        try:
            if old is None:
                final.unlink(missing_ok=True)
            elif same_file(old, final):  # not renamed yet (and a rename between two links does nothing)
                old.unlink()
            else:
                os.replace(old, final)
        except OSError:
            pass  # the rest is still put back; the error that stopped the build is what is reported


def same_file(a: Path, b: Path) -> bool:
    try:
        sa, sb = os.lstat(a), os.lstat(b)
    except OSError:
        return False
    return (sa.st_dev, sa.st_ino) == (sb.st_dev, sb.st_ino)


def settle(folder: Path, files) -> None:
    """Make the renames durable (a power cut after the build has said 'wrote' keeps the new set)."""
    for path in [folder, *(folder / sub for sub in subfolders(files))]:
        try:
            fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError:
            pass  # some file systems cannot sync a folder; the files themselves are synced


def real_folder(path: Path) -> bool:
    """A subfolder of the output folder, made a real folder if a link stands there;
    True if it was made."""
    if path.is_symlink():
        path.unlink()
    if path.is_dir():
        return False
    path.mkdir()
    return True


def remove_empty(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass  # not empty: not ours alone


def touch(path: Path) -> None:
    """Date a file now, as if written: a copy left as it was (unchanged) is as current as one
    written, and must not be taken for one an earlier build left behind (pipeline.stale_copies)."""
    try:
        os.utime(path)
    except OSError:
        pass  # someone else's file, writable but not ours to date: it is only a hint


def unchanged(path: Path, data: bytes) -> bool:
    """True if path is a real file already holding exactly data (the shipped fonts, mostly)."""
    try:
        return path.is_file() and not path.is_symlink() and path.stat().st_size == len(data) \
            and path.read_bytes() == data
    except OSError:
        return False


def staged_file(folder: Path, name: str, data: bytes) -> Path:
    folder, name = (folder / name).parent, Path(name).name
    fd, temp = tempfile.mkstemp(prefix=f".{name}.", suffix=STAGED, dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o644)
    except BaseException:
        os.unlink(temp)
        raise
    return Path(temp)


def remove_left_over(folder: Path, files) -> None:
    """Temporary files a build that died left behind (never the outputs themselves).
    Called only by the lock's holder: no build that is alive has files of this kind here."""
    for name in files:
        place = folder / name
        for suffix in (STAGED, KEPT):
            for left in place.parent.glob(f".{place.name}.*{suffix}"):
                if left.is_symlink() or left.is_file():
                    left.unlink()


def remove(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass
