"""The Jinja2 environment edition templates run in: sandboxed, and bounded in work.

Jinja2's sandbox keeps a template from reaching Python objects, but not from
working forever: `"x" * 3000000000` asks for 3 GB, nested `range(100000)` loops
run for hours, a string doubled in a loop fills the memory. Editions are shared
between strangers, so template work is bounded here, in time and in size, and a
template that goes over is stopped with an error naming its file and line (R105):

- every value a template makes with an operator, a method or a filter (a string,
  a list, a number's digits) holds at most MAX_VALUE items, checked before the
  value is made where it could be large (repetition, padding, joining, replacing,
  formatting widths) and after;
- every {% for %} loop, operator, call and piece of output checks the clock:
  a page set renders in MAX_SECONDS of processor time at most;
- the output of one rendering is MAX_OUTPUT characters at most.

Template files are read only if they are regular UTF-8 files (TemplateFolder), and
template_errors turns whatever a template raises into R101 or R105 at its line.
"""
from __future__ import annotations

import contextlib
import re
import string
import time
import traceback
from pathlib import Path

import jinja2
from jinja2 import nodes
from jinja2.sandbox import SandboxedEnvironment
from jinja2.utils import Namespace

from .errors import GlossatorError, InputError, RenderError, finding
from .model import Where

MAX_VALUE = 2_000_000  # items in one string or list a template makes (the bundled edition: ~70,000 at most)
MAX_OUTPUT = 32_000_000  # characters of one rendering (the bundled edition's HTML: ~0.3 million)
MAX_SECONDS = 10.0  # processor time for one rendering (the bundled edition's longest: ~0.05 s)
MAX_INT_BITS = 4096  # digits of a number a template computes: ** and * of big numbers take long
_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\d+|\*)?(?:\.(\d+|\*))?")


class TooMuchWork(jinja2.TemplateRuntimeError):
    """A template went over a bound; `where` is set by the renderer from the traceback."""


class BoundedSandbox(SandboxedEnvironment):
    """SandboxedEnvironment with the bounds above; `start()` before each rendering."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.deadline = float("inf")
        self.globals["namespace"] = BoundedNamespace
        self.filters = {name: bounded_filter(name, f) for name, f in self.filters.items()}
        self.filters["glossator_budget"] = self.budgeted

    # --- time ---------------------------------------------------------------------------

    # The clock is the rendering thread's processor time, not the wall's: a long edition built
    # on a busy machine (other builds, a test suite) must not be stopped for waiting its turn.
    def start(self) -> None:
        self.deadline = time.thread_time() + MAX_SECONDS

    def tick(self) -> None:
        if time.thread_time() > self.deadline:
            raise TooMuchWork(f"the template ran for more than {MAX_SECONDS:g} s")

    def budgeted(self, iterable):
        """What every {% for %} loop iterates (see _parse): the loop's items, with the clock checked."""
        for item in iterable:
            self.tick()
            yield item

    def _parse(self, source, name, filename):
        """The template's syntax tree, each {% for %} loop's iterable wrapped in `budgeted`."""
        tree = super()._parse(source, name, filename)
        for loop in tree.find_all(nodes.For):
            loop.iter = nodes.Filter(loop.iter, "glossator_budget", [], [], None, None, lineno=loop.iter.lineno)
        return tree

    def render(self, template: jinja2.Template, **context) -> str:
        """template.render(**context), bounded in time and in the size of its output."""
        self.start()
        out, size = [], 0
        for piece in template.generate(**context):
            size += len(piece)
            if size > MAX_OUTPUT:
                raise TooMuchWork(f"the template's output passed {MAX_OUTPUT:,} characters")
            self.tick()
            out.append(piece)
        return "".join(out)

    # --- size -----------------------------------------------------------------------------

    def call_binop(self, context, op, left, right):
        self.tick()
        if op == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(times, int):
                    bound(len(seq) * max(times, 0), "a repetition")
        elif op == "**" and isinstance(left, int) and isinstance(right, int) and abs(left) > 1:
            bound(right * abs(left).bit_length(), "a power", limit=MAX_INT_BITS)
        elif op == "%" and isinstance(left, str):
            percent_widths(left, right)
        return bounded(super().call_binop(context, op, left, right))

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 (Jinja2's own signature)
        __self.tick()
        for value in (*args, *kwargs.values()):  # a macro's argument doubled at each call: s ~ s
            bounded(value)
        method = getattr(__obj, "__wrapped__", __obj)  # the sandbox wraps str.format
        owner, name = getattr(method, "__self__", None), getattr(method, "__name__", "")
        if isinstance(owner, str):
            str_method_bounds(owner, name, args, kwargs)
        result = SandboxedEnvironment.call(__self, __context, __obj, *args, **kwargs)
        if isinstance(owner, (list, dict, set)):  # append, extend, update... in place
            bound(len(owner), "a list")
        return bounded(result)


class BoundedNamespace(Namespace):
    """namespace(): its attributes, set in loops, are where a string doubles unseen."""

    def __setitem__(self, name, value):
        super().__setitem__(name, bounded(value))


# --- the checks ---------------------------------------------------------------------------

def bound(size: int, what: str, limit: int = MAX_VALUE) -> None:
    if size > limit:
        unit = "bits" if limit == MAX_INT_BITS else "items"
        raise TooMuchWork(f"{what} would make {size:,} {unit} (the limit is {limit:,})")


def bounded(value):
    """value, if it is within the bounds."""
    if isinstance(value, (str, list, tuple, dict, set)):
        bound(len(value), "a value")
    elif isinstance(value, int) and not isinstance(value, bool):
        bound(value.bit_length(), "a number", limit=MAX_INT_BITS)
    return value


def str_method_bounds(text: str, name: str, args: tuple, kwargs: dict) -> None:
    """Refuse a str method call whose result would be too large, before it is made."""
    if name in ("center", "ljust", "rjust", "zfill") and args and isinstance(args[0], int):
        bound(args[0], f"str.{name}")
    elif name == "expandtabs":
        size = args[0] if args and isinstance(args[0], int) else kwargs.get("tabsize", 8)
        bound(len(text) + text.count("\t") * max(size, 0), "str.expandtabs")
    elif name == "replace" and len(args) >= 2:
        bound(replaced_size(text, *args[:2]), "str.replace")
    elif name == "join" and args:
        bound(joined_size(text, args[0]), "str.join")
    elif name in ("format", "format_map"):
        format_widths(text, args, kwargs)


def replaced_size(text, old, new) -> int:
    if not (isinstance(old, str) and isinstance(new, str)):
        return 0
    return len(text) + (len(text) // len(old) if old else len(text) + 1) * len(new)


def joined_size(separator: str, items) -> int:
    if not isinstance(items, (list, tuple, str)):
        return 0
    bound(len(items), "a join")
    return len(separator) * len(items) + sum(len(i) if isinstance(i, str) else 20 for i in items)


def format_widths(text: str, args=(), kwargs=None) -> None:
    """Widths and precisions in a str.format string, and any given from the arguments."""
    try:
        specs = [spec or "" for _, _, spec, _ in string.Formatter().parse(text)]
    except ValueError:
        return  # format() itself will say what is wrong
    for spec in specs:
        for number in re.findall(r"\d+", spec):
            bound(int(number), "a format width")
        if "{" in spec:  # a width given as an argument
            for value in (*args, *(kwargs or {}).values()):
                if isinstance(value, int):
                    bound(value, "a format width")


def percent_widths(text: str, values) -> None:
    """Widths and precisions in a %-format string, and '*' ones taken from the values."""
    for width, precision in _PERCENT_SPEC.findall(text):
        for number in (width, precision):
            if number.isdigit():
                bound(int(number), "a format width")
            elif number == "*":
                for value in values if isinstance(values, tuple) else (values,):
                    if isinstance(value, int):
                        bound(value, "a format width")


def bounded_filter(name: str, function):
    """A built-in filter, refusing arguments that would make too large a value, and its result if it is."""
    check = _FILTER_CHECKS.get(name)
    passed = 1 if hasattr(function, "jinja_pass_arg") else 0  # the context or environment comes first

    def filtered(*args, **kwargs):
        if check is not None:
            check(*args[passed:], **kwargs)
        return bounded(function(*args, **kwargs))

    filtered.__name__ = getattr(function, "__name__", name)
    if passed:
        filtered.jinja_pass_arg = function.jinja_pass_arg
    return filtered


def _width_check(value, width=0, *args, **kwargs):
    if isinstance(width, int):
        bound(width, "a width")


def _indent_check(value, width=4, first=False, blank=False):
    lines = str(value).count("\n") + 1
    bound(lines * (len(width) if isinstance(width, str) else max(width, 0) if isinstance(width, int) else 0), "indent")


def _wordwrap_check(value, width=79, break_long_words=True, wrapstring=None, *args, **kwargs):
    if isinstance(width, int) and width < 1:
        return
    breaks = len(str(value)) // max(width if isinstance(width, int) else 1, 1) + str(value).count(" ") + 1
    bound(breaks * len(wrapstring or "\n") + len(str(value)), "wordwrap")


def _replace_check(value, old="", new="", *args, **kwargs):
    bound(replaced_size(str(value), old, new), "replace")


def _join_check(value, d="", *args, **kwargs):
    bound(joined_size(d if isinstance(d, str) else "", value if isinstance(value, (list, tuple)) else ()), "join")


def _format_check(value, *args, **kwargs):
    percent_widths(str(value), args or tuple(kwargs.values()))


_FILTER_CHECKS = {"center": _width_check, "slice": _width_check, "batch": _width_check, "indent": _indent_check,
                  "wordwrap": _wordwrap_check, "replace": _replace_check, "join": _join_check, "format": _format_check}


# --- where, and the errors ------------------------------------------------------------------------

@contextlib.contextmanager
def template_errors(root: Path, folders: tuple[Path, ...]):
    """Jinja2's errors, and what an edition's template code raises, as R101 (R105 for a
    template stopped by its bounds), at the template's file and line."""
    try:
        yield
    except (TooMuchWork, RecursionError, MemoryError) as exc:
        reason = str(exc) if isinstance(exc, TooMuchWork) else {
            RecursionError: "it calls itself too deeply", MemoryError: "it ran out of memory"}[type(exc)]
        where = template_place(exc, root, folders)
        raise failed(finding("R105", where, reason=reason, seconds=MAX_SECONDS, value=MAX_VALUE,
                             size=MAX_OUTPUT)) from exc
    except jinja2.TemplateError as exc:
        where = template_place(exc, root, folders)
        raise failed(finding("R101", where, reason=str(exc).replace(str(root) + "/", ""))) from exc
    except Exception as exc:  # 1/0, "a" + 1...: a fault of the edition's template code, not Glossator's
        where = template_place(exc, root, folders)
        if not in_edition(where):
            raise
        raise failed(finding("R101", where, reason=f"{type(exc).__name__}: {exc}")) from exc


def failed(found) -> GlossatorError:
    """A template's error: the edition's problem (exit 1, as `check` finds a syntax error)
    where it is in the edition's own templates/, a rendering failure (exit 3) in Glossator's."""
    return (InputError if in_edition(found) else RenderError)([found])


def in_edition(where) -> bool:
    """Whether a template's place (a Where, or a finding at it) is in the edition's own templates/."""
    return where.path.startswith("templates/")


def template_place(exc: BaseException, root: Path, folders: tuple[Path, ...]) -> Where:
    """The template file (relative to the edition if it is the edition's) and line where exc arose."""
    filename, line = getattr(exc, "filename", None), getattr(exc, "lineno", 0) or 0
    frame = template_frame(exc, folders)
    if frame is not None and not (filename and line):
        filename, line = frame
    if not filename:
        return Where("templates")
    path = Path(filename)
    return Where(path.relative_to(root).as_posix() if path.is_relative_to(root) else path.name, line)


def template_frame(exc: BaseException, folders: tuple[Path, ...]) -> tuple[Path, int] | None:
    """(template file, line) of the innermost template code the exception passed through.

    Jinja2 rewrites a template's frames to its file and lines, so the traceback says
    where in the template the work was."""
    found = None
    for frame in traceback.extract_tb(exc.__traceback__):
        path = Path(frame.filename)
        if any(path.is_relative_to(folder) for folder in folders):
            found = (path, frame.lineno or 0)
    return found



# --- reading templates -------------------------------------------------------------------------

class UnreadableTemplate(jinja2.TemplateError):
    """A template file that cannot be read as UTF-8 text; filename and lineno say where."""

    def __init__(self, message: str, filename: str, lineno: int = 0):
        super().__init__(message)
        self.filename, self.lineno = filename, lineno


class TemplateFolder(jinja2.FileSystemLoader):
    """FileSystemLoader that reports a template it cannot read (not UTF-8, unreadable, not a
    regular file) as an UnreadableTemplate, instead of a UnicodeDecodeError or an OSError,
    or passing over a named pipe or a folder in silence."""

    def get_source(self, environment, template):
        for folder in self.searchpath:
            path = Path(folder, *jinja2.loaders.split_template_path(template))
            if (path.exists() or path.is_symlink()) and not path.is_file():
                raise UnreadableTemplate(f"{template} is {kind_of(path)}, not a template file", str(path))
        try:
            return super().get_source(environment, template)
        except jinja2.TemplateNotFound:  # an OSError too: the next folder is tried
            raise
        except UnicodeDecodeError as exc:  # its offset is within one buffer: find the byte in the file
            found = _source_path(self, template)
            line, reason = first_bad_byte(found.read_bytes())
            raise UnreadableTemplate(f"{template} is not UTF-8 text ({reason})", str(found), line) from exc
        except OSError as exc:
            raise UnreadableTemplate(f"cannot read {template}: {exc.strerror or exc}",
                                     str(_source_path(self, template))) from exc


def _source_path(loader: jinja2.FileSystemLoader, template: str) -> Path:
    """The file of the loader's folders that holds template (the first that has it)."""
    paths = [Path(folder, *jinja2.loaders.split_template_path(template)) for folder in loader.searchpath]
    return next((p for p in paths if p.is_file()), paths[0])


def first_bad_byte(data: bytes) -> tuple[int, str]:
    """(line, 'byte 0xff at offset 12') of the first byte of data that is not UTF-8."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return data[:exc.start].count(b"\n") + 1, f"byte 0x{data[exc.start]:02x} at offset {exc.start}"
    return 0, "it is not UTF-8"


def kind_of(path: Path) -> str:
    """'a folder', 'a named pipe'...: what stands at path instead of a regular file."""
    import stat

    try:
        mode = path.stat().st_mode
    except OSError:
        return "a broken link"
    for test, name in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device")):
        if test(mode):
            return name
    return "not a regular file"
