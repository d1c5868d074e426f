"""bench/run.py's measures of speed across editions (issue 15), called from its bench_all:

- a course: 30 editions (copies of the bundled edition and of tests/editions/*) built by one
  `glossator build A B … --jobs N`, with --jobs 1 and --jobs 2: editions per minute, speed-up;
- `glossator check` against a process that only imports WeasyPrint, both cold, in pairs taken
  in turn (so the machine's drift touches both alike). Goal: check <= 0.4 x import.

`python bench/run.py --only course` (or `--only check`) runs one of them.
"""
from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
COURSE_SIZE = 30
COURSE_JOBS = (1, 2)


def timed(args: list, env: dict | None = None) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    done = subprocess.run([str(a) for a in args], capture_output=True, text=True, env=env)
    return time.perf_counter() - start, done


def course(edition: Path, dest: Path) -> list[Path]:
    """COURSE_SIZE edition folders: the bundled edition and the test editions, copied in turn."""
    sources = [edition, *sorted(p for p in (REPO / "tests" / "editions").iterdir() if p.is_dir())]
    folders = []
    for i in range(COURSE_SIZE):
        source = sources[i % len(sources)]
        folder = dest / f"{i + 1:02d}-{source.name}"
        for name in ("source", "annotations", "styles", "templates"):
            if (source / name).is_dir():
                shutil.copytree(source / name, folder / name)
        folders.append(folder)
    return folders


def bench_course(edition: Path, work: Path, runs: int, results) -> None:
    folders = course(edition, work / "course")
    print(f"a course of {len(folders)} editions built in one command, with --jobs {' and '.join(map(str, COURSE_JOBS))}"
          "...", flush=True)
    rates = {}
    for jobs in COURSE_JOBS:
        for folder in folders:
            shutil.rmtree(folder / "output", ignore_errors=True)  # each run writes every file
        seconds, done = timed([sys.executable, "-m", "glossator", "build", *folders, "--jobs", jobs])
        summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr[-300:]
        if done.returncode:
            results.row(f"course of {len(folders)}, --jobs {jobs}", "builds", f"FAILED: {summary}", False)
            return
        rates[jobs] = 60 * len(folders) / seconds
        results.details.append(f"- course, --jobs {jobs}: {seconds:.1f} s wall for {len(folders)} editions; "
                               f"its summary: `{summary}`")
    one, two = (rates[j] for j in COURSE_JOBS)
    results.row(f"course of {len(folders)} editions: editions/minute, --jobs 1 → 2", "(none: measured)",
                f"{one:.1f} → {two:.1f} = {two / one:.2f} × speed-up", None)


def bench_check_import(edition: Path, work: Path, runs: int, results) -> None:
    runs = max(runs, 7)
    print(f"cold `glossator check` against a cold `import weasyprint`, {runs} pairs in turn...", flush=True)
    # Both with their modules' bytecode cached, as an installed package has it (pip compiles it),
    # even where PYTHONDONTWRITEBYTECODE is set; the first pair, which writes the cache, is not counted.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    checks, imports = [], []
    for _ in range(runs + 1):
        checks.append(timed([sys.executable, "-m", "glossator", "check", edition], env)[0])
        imports.append(timed([sys.executable, "-c", "import weasyprint"], env)[0])
    checks, imports = checks[1:], imports[1:]
    check, weasy = statistics.median(checks), statistics.median(imports)
    results.row("check vs import weasyprint (cold processes)", "≤ 0.4 ×",
                f"{check:.2f} s vs {weasy:.2f} s = {check / weasy:.2f} ×", check / weasy <= 0.4)
    results.details.append(f"- check runs (s): {', '.join(f'{s:.2f}' for s in checks)}; import weasyprint runs "
                           f"(s): {', '.join(f'{s:.2f}' for s in imports)}")


ONLY = {"course": bench_course, "check": bench_check_import}


def bench_speed(edition: Path, work: Path, runs: int, results) -> None:
    for measure in ONLY.values():
        measure(edition, work, runs, results)
