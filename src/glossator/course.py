"""Several editions in one command (`glossator build A B C --jobs N`): a whole course at once.

Each edition is built by pipeline.build, exactly as `glossator build A` builds it (its own
output folder, replaced all or nothing), in a pool of worker processes
(concurrent.futures.ProcessPoolExecutor). A worker imports WeasyPrint once, when it starts,
and makes one Renderer per edition it builds. One edition's failure is its own outcome:
the others go on.

Outcomes come back in the order the editions were given, each as soon as the ones before
it are known, whatever order they finish in. Nothing here prints: the command does.

Ctrl-C: the terminal sends it to every process of the command. A worker's build stops
where it is (pipeline.build leaves the previous outputs as they were, as a single build
does), an idle worker starts nothing more, and the editions not yet started are cancelled.
A second Ctrl-C while the pool stops is ignored. Where Ctrl-C reaches the command's
process only (`kill -INT`), it is passed on to the workers.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import traceback
from concurrent.futures import BrokenExecutor, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .errors import Finding, GlossatorError
from .model import Options
from .pipeline import Built


@dataclass(frozen=True)
class Outcome:
    root: Path
    code: int  # 0: built; else the exit code of what stopped it (cli.exit_code)
    built: Built | None = None
    findings: tuple[Finding, ...] = ()  # what stopped it (a GlossatorError's findings)
    error: str = ""  # an internal error, said as the CLI says it
    trace: str = ""  # with GLOSSATOR_DEBUG: the traceback behind the error


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity, not the machine's count)."""
    if hasattr(os, "process_cpu_count"):  # Python 3.13
        return os.process_cpu_count() or 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def build_course(roots: list[Path], options: Options, jobs: int, each: Callable[[Outcome], None],
                 work: Callable[[Path, Options], Outcome] | None = None) -> list[Outcome]:
    """Build every edition at roots, `jobs` at a time; call each(outcome) in the order of roots.
    Returns the outcomes in that order; an edition that Ctrl-C stopped or kept from starting
    has the code INTERRUPTED. `work` builds one edition in a worker: build_one, unless a test
    gives its own (a module-level function, without WeasyPrint)."""
    from .cli import INTERRUPTED

    work = work or build_one
    context = multiprocessing.get_context()
    stop = context.Event()
    pool = ProcessPoolExecutor(max_workers=max(1, min(jobs, len(roots))), mp_context=context,
                               initializer=_start_worker, initargs=(stop, work.__module__ == __name__))
    futures: list[Future] = []
    outcomes: list[Outcome] = []
    try:
        futures = [pool.submit(work, root, options) for root in roots]
        for root, future in zip(roots, futures):
            outcomes.append(_outcome(root, future))
            each(outcomes[-1])
    except KeyboardInterrupt:
        with _interrupts_ignored():
            stop.set()  # workers that did not get the terminal's Ctrl-C get it now
            pool.shutdown(wait=True, cancel_futures=True)
            submitted = futures + [None] * (len(roots) - len(futures))  # Ctrl-C may come while submitting
            for root, future in list(zip(roots, submitted))[len(outcomes):]:
                outcomes.append(_outcome(root, future) if future else Outcome(root, INTERRUPTED))
                each(outcomes[-1])
    finally:
        pool.shutdown(wait=True)
    return outcomes


def _outcome(root: Path, future: Future) -> Outcome:
    from .cli import INTERNAL, INTERRUPTED

    if future.cancelled():  # first: wait() never returns for a future cancelled before it ran
        return Outcome(root, INTERRUPTED)
    wait([future])  # the command's own Ctrl-C goes up to build_course from here
    exc = future.exception()
    if exc is None:
        return future.result()
    if isinstance(exc, BrokenExecutor):  # the worker died (killed, out of memory) or could not start
        return Outcome(root, INTERNAL, error=f"the process building it stopped ({exc})")
    return failed(root, exc)


def failed(root: Path, exc: BaseException) -> Outcome:
    """The outcome of an edition whose build raised exc: its code, findings and message, as the
    CLI gives them for a single build."""
    from .cli import exit_code, internal_error

    ours = isinstance(exc, (GlossatorError, KeyboardInterrupt))
    trace = ""
    if os.environ.get("GLOSSATOR_DEBUG"):
        behind = exc.__cause__ if ours else exc  # the foreign error behind a finding (R102)
        trace = "".join(traceback.format_exception(behind)) if behind is not None else ""
    return Outcome(root, exit_code(exc), findings=getattr(exc, "findings", ()),
                   error="" if ours else internal_error(exc), trace=trace)


@contextmanager
def _interrupts_ignored():
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


# --- in a worker process ---------------------------------------------------------------------------

_building = False  # a build is running: Ctrl-C stops it
_stopping = False  # Ctrl-C came: the running build stops, no other starts


def _start_worker(stop, builds: bool) -> None:
    """A worker's initializer: WeasyPrint loaded once for all its builds, the collector tuned
    for building, and Ctrl-C handled as the module's docstring says."""
    if builds:
        try:
            import weasyprint  # noqa: F401

            from . import render  # noqa: F401
        except Exception:  # the build says what is missing, edition by edition, as a single build would
            pass
        from .commands import tune_collector

        tune_collector()
    signal.signal(signal.SIGINT, _on_interrupt)
    threading.Thread(target=_relay, args=(stop,), daemon=True).start()


def _relay(stop) -> None:
    stop.wait()
    os.kill(os.getpid(), signal.SIGINT)


def _on_interrupt(signum, frame) -> None:
    """Stop the running build, once: the terminal's Ctrl-C and the command's relayed one both
    arrive, and a second KeyboardInterrupt could land in the first one's clean-up."""
    global _stopping
    first = not _stopping
    _stopping = True
    if first and _building:
        raise KeyboardInterrupt


def build_one(root: Path, options: Options) -> Outcome:
    from .cli import INTERRUPTED
    from .pipeline import build

    global _building
    if _stopping:
        return Outcome(root, INTERRUPTED)
    _building = True
    try:
        return Outcome(root, 0, built=build(root, None, options))
    except BaseException as exc:  # each edition's own outcome: the others go on
        return failed(root, exc)
    finally:
        _building = False
