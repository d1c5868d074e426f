"""`glossator watch [PATH]`: rebuild the edition whenever its files change.

WeasyPrint, the templates, the parsed stylesheets and the fonts are loaded once
(render.Renderer) and kept between builds, with every layout, note height and
font subset of the last build (reuse.py): a rebuild lays out only what the edit
changed. Each build prints one line: what changed, the time taken, pages,
layouts made and reused, and warnings. A build that fails prints its errors and
leaves the last good PDF and HTML where they are (write.py replaces outputs
only on success).

Each build is pipeline.build, as `glossator build` runs it: the output folder
and what the edition may read are checked on every build.

With --serve, the HTML edition is also served on http://127.0.0.1:PORT/, and
the page reloads itself after each successful build.
"""
from __future__ import annotations

import argparse
import gc
import os
import stat
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from ..errors import GlossatorError, UsageError
from ..model import Options
from ..pipeline import INPUTS
from . import display, edition_root, report, tune_collector
from .build import add_build_options, options_from

WATCHED = INPUTS  # what a build reads from the edition
STEP_MS = 100  # a build starts once no file has changed for this long (editors save in bursts)
DEBOUNCE_MS = 1600  # ...or after this long, if changes keep coming
IDLE_MS = 200  # how soon the first build starts once the watch is live


def add_parser(sub) -> None:
    p = sub.add_parser("watch", help="rebuild the PDF and HTML whenever the edition's files change",
                       description="Build the edition, then rebuild it each time a file in source/, "
                                   "annotations/, styles/ or templates/ changes. Stop with Ctrl-C.")
    add_build_options(p)
    p.add_argument("--serve", nargs="?", type=port_number, const=8000, metavar="PORT",
                   help="also serve the HTML edition on http://127.0.0.1:PORT/ (default 8000; 0 picks a free "
                        "port), reloading the page after each build")


def port_number(text: str) -> int:
    """--serve's PORT: 0 to 65535 (0: any free port), else bad usage (exit 2)."""
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number: give one from 1 to 65535, "
                                         "or 0 for any free port")
    return port


def run(args) -> int:
    root = edition_root(args.path)
    options = options_from(args)
    if not (root / "source").is_dir():
        raise UsageError(f"{args.path}: no source/ folder, so not an edition folder. "
                         "Give the folder holding source/ and annotations/, or make one with `glossator new`.")
    preview = Preview.start(args.serve) if args.serve is not None else None
    watcher = Watcher(root, args.out, options, preview)  # pipeline.build picks and checks the folder
    folders = [root / name for name in WATCHED if (root / name).is_dir()]
    say(f"watching {', '.join(f'{p.name}/' for p in folders)} in {display(root)} (Ctrl-C to stop)")
    if preview:
        say(f"serving the HTML edition on {preview.url}")
    try:
        first = True
        for changes in edition_changes(root):
            # The first build runs once the watch is live, so saves made during it are not missed.
            if first:
                watcher.rebuild(())
                tune_collector()  # WeasyPrint is loaded now: see commands.tune_collector
                first = False
            elif changes:
                watcher.rebuild(changes)
            else:
                watcher.idle()
    except KeyboardInterrupt:
        pass
    finally:
        if preview:
            preview.stop()
    say("stopped watching")
    return 0


def edition_changes(root: Path, stop: threading.Event | None = None):
    """Sets of (change, path) in the WATCHED folders of root, as changes_in gives them.

    A folder's watch ends when the folder is deleted, and `git checkout` or `git stash`
    delete and recreate folders; a folder may also be made while the watch runs. So
    whenever a WATCHED folder appears, goes, or is replaced by another of its name, the
    watch is armed again on the folders there are now, and the folder counts as changed
    (the build's fingerprint tells whether anything in it really did)."""
    from watchfiles import Change

    moved = None  # changes to report once the watch is armed again
    while stop is None or not stop.is_set():
        armed = folder_identities(root)
        folders = [root / name for name in WATCHED if armed[name]]
        updates = changes_in(folders, stop)
        try:
            for fresh in updates:
                # The changes said before the watch was armed again go with the first set it gives.
                changes, moved = set(fresh) | (moved or set()), None
                now = folder_identities(root)
                gone = {Path(p) for change, p in fresh if change == Change.deleted} & set(folders)
                if now != armed or gone:
                    moved = changes | {(Change.modified if path.exists() else Change.deleted, str(path))
                                       for path in {root / n for n in WATCHED if now[n] != armed[n]} | gone}
                    break
                yield changes
            else:
                return  # stopped
        finally:
            updates.close()  # ends the old watch


def folder_identities(root: Path) -> dict[str, tuple[int, int] | None]:
    """(device, inode) of each WATCHED folder there is, None for the others."""
    out = {}
    for name in WATCHED:
        try:
            st = os.stat(root / name)
            out[name] = (st.st_dev, st.st_ino) if stat.S_ISDIR(st.st_mode) else None
        except OSError:
            out[name] = None
    return out


def changes_in(folders: list[Path], stop: threading.Event | None = None):
    """Sets of (change, path), one per burst of saves, until Ctrl-C or `stop`; an empty set
    every IDLE_MS without changes (the first one says the watch is live)."""
    import watchfiles

    if not folders:  # nothing to watch (yet): say so every IDLE_MS, for edition_changes to look again
        while stop is None or not stop.is_set():
            yield set()
            time.sleep(IDLE_MS / 1000)
        return
    yield from watchfiles.watch(*folders, watch_filter=EditionFilter(), debounce=DEBOUNCE_MS, step=STEP_MS,
                                rust_timeout=IDLE_MS, yield_on_timeout=True, stop_event=stop,
                                raise_interrupt=False)


class EditionFilter:
    """watchfiles' default filter (editor swap and backup files, .git...) plus hidden files."""

    def __init__(self):
        import watchfiles
        self.default = watchfiles.DefaultFilter()

    def __call__(self, change, path: str) -> bool:
        return self.default(change, path) and not Path(path).name.startswith(".")


# --- building ----------------------------------------------------------------------------

class Watcher:
    """Builds the edition on demand, keeping the renderer warm between builds."""

    def __init__(self, root: Path, out: Path | str | None, options: Options, preview=None):
        self.root, self.out, self.options, self.preview = root, out, options, preview
        self.renderer = None
        self.warnings: tuple = ()
        self.built_from = None  # the inputs' fingerprint at the last good build
        self.untidy = False  # a build left garbage that idle() has not swept yet

    def rebuild(self, changes) -> bool:
        """Build once and print the line; False if the build failed or was not needed.

        `changes`: watchfiles' set of (change, path); empty for the first build."""
        from ..pipeline import build

        paths = changed(changes)
        if changes and not paths:
            return False  # only an editor's temporary files came and went
        what = describe(paths, self.root) if paths else "first build"
        inputs = fingerprint(self.root)
        if paths and inputs == self.built_from:
            say(f"{what} → saved unchanged, nothing to rebuild")
            return False
        self.built_from = None
        self.untidy = True
        try:
            if self.renderer is None or self.reload_styles(paths):
                self.renderer = None  # if the stylesheets cannot be read, try again next time
                self.renderer = self.new_renderer()
            built = build(self.root, self.out, self.options, renderer=self.renderer)
        except GlossatorError as exc:
            errors = sum(f.severity == "error" for f in exc.findings)
            say(f"{what} → failed ({errors} error{'s' * (errors != 1)}); the last good outputs are kept")
            report(exc.findings)
            self.warnings = ()
            if self.preview:
                self.preview.failed(exc.findings)
            return False
        except Exception as exc:  # a bug: keep watching, the editor may fix the input that triggered it
            say(f"{what} → internal error ({type(exc).__name__}: {exc}); the last good outputs are kept. "
                "Please report it.")
            return False
        new = [w for w in built.warnings if w not in self.warnings]
        self.warnings = built.warnings
        self.built_from = inputs
        if self.preview:
            self.preview.update(next((p for p in built.files if p.suffix == ".html"), None))
        say(f"{what} → {built.pages} pages in {built.seconds:.2f} s ({built.layouts_said()}; "
            f"{len(built.warnings)} warning{'s' * (len(built.warnings) != 1)}"
            f"{f', {len(new)} new' if new and len(new) != len(built.warnings) else ''})")
        report(new)
        return True

    def idle(self) -> None:
        """Between builds, while the editor types: sweep the last build's garbage, then set
        what survived (the renderer and what it keeps) aside from Python's collector, so
        that the next build does not stop to trace through it (about 0.1 s a build)."""
        if not self.untidy:
            return
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        self.untidy = False

    def new_renderer(self):
        from ..render import Renderer

        return Renderer(self.root)

    def reload_styles(self, paths: list[Path]) -> bool:
        """Stylesheets are parsed once per renderer: a change in styles/ needs a new one.
        Templates need nothing: Jinja2 notices changed template files itself."""
        styles = self.root / "styles"
        return any(p == styles or styles in p.parents for p, _ in paths)


def fingerprint(root: Path) -> int:
    """A hash of every file a build reads from the edition: a save that changed nothing
    (an editor's "save all", a touch) is then not rebuilt. What the build may not read
    is never opened: see `seen`."""
    import hashlib

    digest = hashlib.blake2b(digest_size=16)
    base = root.resolve()
    for name in WATCHED:
        for path in entries(root / name):
            digest.update(os.fsencode(path.relative_to(root)) + b"\0")
            digest.update(seen(path, base) + b"\0")
    return int.from_bytes(digest.digest(), "big")


def entries(folder: Path) -> list[Path]:
    """Every file and link in folder and its subfolders, sorted; links to folders are not followed."""
    found = []
    for top, dirs, files in os.walk(folder, followlinks=False):
        found += [Path(top, n) for n in files]
        found += [Path(top, n) for n in dirs if os.path.islink(os.path.join(top, n))]
    return sorted(found)


def seen(path: Path, base: Path) -> bytes:
    """What the fingerprint takes from path: the bytes of a regular file inside the edition;
    for a link that leads out of it, only where it leads; for anything but a regular file
    (a FIFO, a device), only its kind. Opening a FIFO would block, and a link out may
    lead to the builder's private files: the build refuses both, and so does this."""
    try:
        if path.is_symlink():
            target = path.resolve()
            if not target.is_relative_to(base):
                return b"a link out to " + os.fsencode(os.readlink(path))
        kind = stat.S_IFMT(os.stat(path).st_mode)
        if kind != stat.S_IFREG:
            return b"not a file: %o" % kind
        # O_NONBLOCK: a FIFO put there since the stat above does not block the open.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return b"not a file"
            return handle.read()
    except (OSError, RuntimeError, ValueError):  # RuntimeError: a loop of links (Python < 3.13)
        return b"unreadable"


def changed(changes) -> list[tuple[Path, str]]:
    """(path, how) for files that changed: those that exist, and those deleted for good.
    An editor's temporary file, written then renamed or deleted in one burst, is left out."""
    added = {p for change, p in changes if change.name == "added"}
    out = {}
    for change, p in changes:
        path = Path(p)
        if path.exists():
            out[path] = "changed"
        elif change.name == "deleted" and p not in added:
            out[path] = "deleted"
    return sorted(out.items())


def describe(paths: list[tuple[Path, str]], root: Path) -> str:
    """'annotations/notes.yaml changed', 'a, b, c and 2 more changed; styles/x.css deleted'."""
    parts = []
    for how in ("changed", "deleted"):
        names = [relative(p, root) for p, h in paths if h == how]
        if names:
            parts.append(", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
                         + f" {how}")
    return "; ".join(parts)


def relative(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def say(line: str) -> None:
    """One line, time-stamped, flushed at once (watch's output is read as it comes)."""
    sys.stderr.flush()
    print(f"{time.strftime('%H:%M:%S')}  {line}", flush=True)


# --- the preview server --------------------------------------------------------------------

RELOAD_SCRIPT = """<script>
/* glossator watch --serve: reload when a new build is ready. */
(function () {
  var seen = "%s";
  setInterval(function () {
    fetch("/__glossator__/version", {cache: "no-store"})
      .then(function (r) { return r.text(); })
      .then(function (v) { if (v !== seen) { location.reload(); } })
      .catch(function () {});
  }, 700);
})();
</script>
"""


@dataclass
class Page:
    html: bytes = b"<!DOCTYPE html><title>Building</title><p>The first build is running.</p>"
    version: int = 0


class Preview:
    """Serves the last good HTML edition on localhost only, and the theme's fonts it links to."""

    def __init__(self, server, thread):
        self.server, self.thread = server, thread
        self.page = Page()
        server.preview = self

    @classmethod
    def start(cls, port: int) -> "Preview":
        from http.server import ThreadingHTTPServer

        try:
            server = ThreadingHTTPServer(("127.0.0.1", port), preview_handler())
        except OSError as exc:
            raise UsageError(f"cannot serve on 127.0.0.1:{port} ({exc.strerror or exc}). "
                             "Pass another port: --serve PORT.") from exc
        server.daemon_threads = True
        thread = threading.Thread(target=server.serve_forever, name="glossator-preview", daemon=True)
        preview = cls(server, thread)
        thread.start()
        return preview

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/"

    def update(self, html_path: Path | None) -> None:
        if html_path is None:
            return
        html = html_path.read_bytes()
        version = self.page.version + 1
        script = (RELOAD_SCRIPT % version).encode()
        at = html.rfind(b"</body>")
        html = html[:at] + script + html[at:] if at != -1 else html + script
        self.page = Page(html, version)  # one assignment: a request sees the old page or the new

    def failed(self, findings) -> None:
        """Before the first good build, show why there is none; after it, keep the last good page."""
        if self.page.version:
            return
        from html import escape
        text = escape("\n".join(f.format() for f in findings))
        self.page = Page(f"<!DOCTYPE html><title>Build failed</title><pre>{text}</pre>".encode(), 0)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def preview_handler():
    """The request handler class; http.server is imported only when --serve is given."""
    from http.server import BaseHTTPRequestHandler

    from ..render import THEME  # render.py imports WeasyPrint only when a build runs

    fonts = THEME / "fonts"
    served_fonts = {p.name for p in fonts.glob("*.otf")}  # only these: no path can leave the folder

    class PreviewHandler(BaseHTTPRequestHandler):
        server_version = "glossator-watch"

        def do_GET(self):
            path = self.path.split("?", 1)[0]
            page = self.server.preview.page
            if not self.for_this_machine():
                self.send(421, "text/plain", b"this server answers only to 127.0.0.1, localhost and [::1]")
            elif path in ("/", "/index.html"):
                self.send(200, "text/html; charset=utf-8", page.html)
            elif path == "/__glossator__/version":
                self.send(200, "text/plain", str(page.version).encode())
            elif path.startswith("/fonts/") and path[len("/fonts/"):] in served_fonts:
                self.send(200, "font/otf", (fonts / path[len("/fonts/"):]).read_bytes())
            else:
                self.send(404, "text/plain", b"not found")

        def for_this_machine(self) -> bool:
            """True if the request names this machine, with the port, as its Host. A web page
            from elsewhere whose name an attacker points at 127.0.0.1 (DNS rebinding) sends
            its own name as the Host, and so cannot read the preview."""
            port = self.server.server_address[1]
            names = {f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"}
            return self.headers.get("Host", "").strip().lower() in names

        def send(self, status: int, kind: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):  # the watch lines are the log
            pass

    return PreviewHandler
