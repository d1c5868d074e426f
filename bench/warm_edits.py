#!/usr/bin/env python3
"""Warm rebuilds after three kinds of edit, each against a cold build taken in turn in the same run.

- cold: a fresh `glossator build` process, as a user runs it;
- warm: as `glossator watch` rebuilds (one Renderer kept, Python's collector swept between
  builds as the watch does while the editor types), after a note edit (a sentence added to the
  first note), a glossary edit (a sentence added to a definition) and a text edit of one
  paragraph (a typo: two letters swapped).

Goal (issue 15): each warm rebuild <= 0.12 x the cold build. Each round takes one cold build,
then one fresh watcher that builds once (not counted) and rebuilds after each edit; the figures
are medians over the rounds of each round's ratio. bench/run.py adds the three rows to its table;
`python bench/warm_edits.py [--runs N]` prints them alone.
"""
from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from run import PYTHON, REPO, Results, copy_edition, dump_yaml, glossator, last_lines, machine, run, say

GOAL = 0.12


def edit_note(root: Path, k: int) -> None:
    import yaml

    path = root / "annotations" / "notes.yaml"
    notes = yaml.safe_load(path.read_text(encoding="utf-8"))
    notes[0]["body"] = re.sub(r" Edited \(\d+\)\.$", "", str(notes[0]["body"]).rstrip()) + f" Edited ({k})."
    path.write_text(dump_yaml(notes), encoding="utf-8")


def edit_glossary(root: Path, k: int) -> None:
    import yaml

    path = root / "annotations" / "glossary.yaml"
    terms = yaml.safe_load(path.read_text(encoding="utf-8"))
    terms[0]["definition"] = re.sub(r" Edited \(\d+\)\.$", "", str(terms[0]["definition"]).rstrip()) + f" Edited ({k})."
    path.write_text(dump_yaml(terms), encoding="utf-8")


def edit_text(root: Path, k: int) -> None:
    """A typo in the article's third paragraph: two letters of its longest word swapped."""
    path = root / "source" / "article.md"
    text = path.read_text(encoding="utf-8")
    paragraph = list(re.finditer(r"(?m)^[A-Z][^\n]{200,}$", text))[2]  # a paragraph, not the front matter
    word = max(re.finditer(r"[a-z]{6,}", paragraph[0]), key=lambda m: len(m[0]))
    at = paragraph.start() + word.start() + len(word[0]) // 2
    path.write_text(text[:at] + text[at + 1] + text[at] + text[at + 2:], encoding="utf-8")


EDITS = {"note edit": edit_note, "glossary edit": edit_glossary, "one-paragraph text edit": edit_text}


def child(edition: str, round_: str, report: str) -> None:
    """One watcher: a first build, then one rebuild after each kind of edit."""
    import gc

    from glossator.commands import tune_collector
    from glossator.pipeline import build
    from glossator.render import Renderer

    root = Path(edition)
    with tempfile.TemporaryDirectory() as out:
        renderer = Renderer(root)
        build(root, Path(out), renderer=renderer)
        tune_collector()
        found = {}
        for kind, edit in EDITS.items():
            edit(root, int(round_))
            gc.unfreeze()
            gc.collect()
            gc.freeze()  # as the watch does between builds
            start = time.perf_counter()
            built = build(root, Path(out), renderer=renderer)
            found[kind] = {"seconds": time.perf_counter() - start, "said": built.layouts_said()}
    Path(report).write_text(json.dumps(found), encoding="utf-8")


def measure(edition: Path, work: Path, runs: int) -> dict:
    """{kind: [(warm seconds, cold seconds, layouts said)] per round}; a string if a build failed."""
    found: dict = {kind: [] for kind in EDITS}
    for i in range(runs):
        copy = copy_edition(edition, work / f"warm-edits-{i}")  # each round makes the same edits
        cold = run(glossator("build", copy, "--out", work / "warm-edits-cold"))
        report = work / f"warm-edits-{i}.json"
        warm = run([PYTHON, __file__, "--child", copy, i + 1, report])
        if cold.returncode or warm.returncode:
            return last_lines((cold.err + cold.out) if cold.returncode else (warm.err + warm.out))
        for kind, data in json.loads(report.read_text(encoding="utf-8")).items():
            found[kind].append((data["seconds"], cold.seconds, data["said"]))
    return found


def bench(edition: Path, work: Path, runs: int, results: Results) -> None:
    say(f"warm rebuilds after a note, a glossary and a text edit, against a cold build, {runs} rounds...")
    found = measure(edition, work, runs)
    for kind in EDITS:
        measure_name = f"warm rebuild after a {kind} (watch)"
        if isinstance(found, str):
            results.row(measure_name, f"≤ {GOAL} × cold build", f"FAILED: {found}", False)
            continue
        rounds = found[kind]
        ratio = statistics.median(w / c for w, c, _ in rounds)
        warm, cold = statistics.median(w for w, _, _ in rounds), statistics.median(c for _, c, _ in rounds)
        results.row(measure_name, f"≤ {GOAL} × cold build",
                    f"{ratio:.2f} × ({warm:.2f} s; cold {cold:.2f} s; {rounds[0][2]})", ratio <= GOAL)
        results.details.append(f"- warm rebuild after a {kind}, runs (s): "
                               f"{', '.join(f'{w:.2f}' for w, _, _ in rounds)}; the cold builds taken in turn: "
                               f"{', '.join(f'{c:.2f}' for _, c, _ in rounds)}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edition", default=str(REPO), help="the edition to measure (default: the bundled one)")
    parser.add_argument("--runs", type=int, default=5, help="rounds (default 5)")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(*args.child)
        return 0
    results = Results(machine())
    with tempfile.TemporaryDirectory(prefix="glossator-bench-") as tmp:
        bench(copy_edition(Path(args.edition), Path(tmp) / "edition"), Path(tmp), args.runs, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
