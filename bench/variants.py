#!/usr/bin/env python3
"""`python bench/variants.py`: `glossator build --all` of the bundled edition, cold and warm.

- cold: a fresh process, as a user runs it (every copy laid out, the booklet imposed);
- warm: as `glossator watch --all` rebuilds, the renderer kept, after one question is
  edited (the articles are not laid out again: only the questions' pages and the teacher's
  overview) and after one note is edited (every copy's article is laid out again).

Writes its figures into bench/results.md, between the lines <!-- variants --> and
<!-- /variants --> (added at the end the first time). Options: --runs N (warm runs).
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
START, END = "<!-- variants -->", "<!-- /variants -->"


def cold(edition: Path, out: Path) -> tuple[float, str]:
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "glossator", "build", str(edition), "--all", "--out", str(out)],
                            capture_output=True, text=True, check=True)
    return time.perf_counter() - start, result.stdout.strip().splitlines()[-1]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def warm(edition: Path, out: Path, runs: int) -> dict[str, list[tuple[float, int, int]]]:
    from glossator.model import Options
    from glossator.pipeline import build
    from glossator.render import Renderer

    options = Options(all_variants=True)
    renderer = Renderer(edition)
    build(edition, out, options, renderer=renderer)
    found: dict[str, list] = {"question": [], "note": []}
    questions, notes = edition / "annotations" / "questions.yaml", edition / "annotations" / "notes.yaml"
    for run in range(runs):
        for kind, path, old, new in (("question", questions, "Give two reasons", f"Give two reasons ({run})"),
                                     ("note", notes, "Iranian major general", f"Iranian major general ({run})")):
            edit(path, old if run == 0 else f"{old} ({run - 1})", new)
            built = build(edition, out, options, renderer=renderer)
            found[kind].append((built.seconds, built.layouts, built.reused))
    return found


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        edition = Path(tmp) / "edition"
        for name in ("source", "annotations"):
            shutil.copytree(REPO / name, edition / name)
        seconds, line = cold(edition, Path(tmp) / "cold")
        found = warm(edition, Path(tmp) / "warm", args.runs)
    rows = [f"| cold `build --all` (fresh process) | {seconds:.2f} | {line} |"]
    for kind, results in found.items():
        median = statistics.median(s for s, _, _ in results)
        layouts = ", ".join(f"{made} made, {kept} reused" for _, made, kept in results[:1])
        rows.append(f"| warm rebuild after a {kind} edit (median of {len(results)}) | {median:.2f} | {layouts} |")
    section = "\n".join([
        START, "", "## Classroom copies: `build --all`", "",
        f"{time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores (shared: other processes' load shows). "
        "Reader, student, teacher and large-print PDFs, the HTML edition and the booklet; "
        "`python bench/variants.py`.", "",
        "| what | seconds | layouts |", "|---|---:|---|", *rows, "", END])
    results = HERE / "results.md"
    text = results.read_text(encoding="utf-8") if results.exists() else ""
    if START in text:
        text = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: section, text, flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    results.write_text(text, encoding="utf-8")
    print(section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
