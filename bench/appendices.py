"""The appendices' layout (glossary and chronology), per page, at 1× and 10×: a measure
bench/run.py's bench_all calls, and `python bench/appendices.py` alone prints.

Glossator breaks the glossary's columns itself (glossator.columns) so that WeasyPrint lays
the appendices out once rather than balancing the columns by laying them out again and
again. The time is Renderer.with_appendices in a cold build (a fresh process): the
glossary's measured sheet and the appendices' layout, divided by the appendices' pages.
On A4: the 10× edition does not settle on Letter today (R103).
"""
from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PAPER = "a4"
SCALES = (1, 10)


def bench(edition: Path, work: Path, results) -> None:
    """One row of results per scale: ms per appendix page (and the pages, the build's layouts)."""
    from run import synthetic

    for times in SCALES:
        folder = edition if times == 1 else synthetic(edition, work / f"appendices-{times}", times)[0]
        child = subprocess.run([sys.executable, __file__, "--child", str(folder), str(work / f"appendices-out-{times}")],
                               capture_output=True, text=True)
        if child.returncode:
            results.row(f"appendices layout, {times}× ({PAPER})", "n/a", f"FAILED: {child.stderr[-300:]}", None)
            continue
        found = json.loads(child.stdout.strip().splitlines()[-1])
        per_page = 1000 * found["seconds"] / max(found["pages"], 1)
        results.row(f"appendices layout per page, {times}× ({PAPER})", "n/a",
                    f"{per_page:.0f} ms/page ({found['pages']} pages, {found['seconds']:.2f} s; "
                    f"build {found['build']:.2f} s, {found['layouts']} layouts)", None)


def measure(folder: Path, out: Path) -> dict:
    """A cold build of the edition, timing its appendices."""
    from glossator.model import Options
    from glossator.pipeline import build
    from glossator.render import Renderer

    timed = []
    with_appendices = Renderer.with_appendices

    def timing(self, body, *args, **kwargs):
        start = time.perf_counter()
        document = with_appendices(self, body, *args, **kwargs)
        timed.append((time.perf_counter() - start, len(document.pages) - len(body.pages)))
        return document

    Renderer.with_appendices = timing
    start = time.perf_counter()
    built = build(folder, out, Options(paper=PAPER))
    return {"seconds": timed[-1][0], "pages": timed[-1][1], "build": time.perf_counter() - start,
            "layouts": built.layouts}


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        print(json.dumps(measure(Path(sys.argv[2]), Path(sys.argv[3]))))
    else:
        import tempfile

        from run import REPO

        class Printed:
            def row(self, measure, goal, result, ok):
                print(f"{measure}: {result}")

        with tempfile.TemporaryDirectory() as tmp:
            bench(REPO, Path(tmp), Printed())
