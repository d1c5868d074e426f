#!/usr/bin/env python3
"""Glossator's benchmark: `python bench/run.py` prints medians and writes bench/results.md.

What it measures, each against a goal from the project's issue:

- cold `glossator build` of the bundled edition (a fresh process, as a user runs it), against
  the floor: a fresh process that imports WeasyPrint, renders the build's final HTML once (the
  body, and the appendices that follow it) and writes the PDF. Goal (issue 15): build <= 1.0 x floor.
- warm rebuilds, as `glossator watch` makes them after a note, a glossary entry or one
  paragraph is edited (bench/warm_edits.py). Goal (issue 15): <= 0.12 x a cold build. Also the
  latency from saving notes.yaml to the watch's line.
- cold `glossator check`. Goal: <= 0.4 s.
- scale: synthetic editions 1, 10 and 40 times the article's length, notes in proportion:
  seconds per page, peak memory. Goals: per-page time at 10 x and 40 x <= 1.1 x per-page time at 1 x;
  peak RSS at 40 x <= 600 MB.
- the bundled PDF's size. Goal: <= 300 KB.
- the tagged PDF (the default) against `--untagged`, cold builds taken in turn in the same
  run. Goals: time <= 1.15 x, bytes <= 1.35 x.

The edition's inputs are copied once at the start, so edits in the tree during a run do not
mix into it. Run it on a quiet machine: other processes' load shows in every figure.
Options: --runs N, --scales 1,10,40, --scale-runs 3,3,1, --profile, --quick, --edition PATH,
--only cold (the cold build against the floor), warm (bench/warm_edits.py) or tagged (the
tagged-against-untagged measure), --only course or check (bench/speed.py).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PYTHON = sys.executable
BUILT_LINE = re.compile(r"built (\d+) pages in ([\d.]+) s \((\d+) layouts?")


# --- running things --------------------------------------------------------------------

@dataclass
class Run:
    seconds: float  # wall clock, process start to exit
    rss_mb: float  # the process's peak resident memory
    returncode: int
    out: str
    err: str

    @property
    def built(self) -> dict:
        m = BUILT_LINE.search(self.out + self.err)
        return {"pages": int(m[1]), "build_s": float(m[2]), "layouts": int(m[3])} if m else {}


def run(args: list, cwd: Path | None = None, timeout: float = 1800) -> Run:
    """Run a process, timing it and reading its peak RSS (wait4 gives this child's own)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        process = subprocess.Popen([str(a) for a in args], cwd=cwd, stdout=out, stderr=err)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                process.kill()
                pid, status, usage = os.wait4(process.pid, 0)
                break
            time.sleep(0.005)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(seconds, usage.ru_maxrss / 1024, process.returncode, out.read(), err.read())


def glossator(*args) -> list:
    return [PYTHON, "-m", "glossator", *args]


def median(values) -> float:
    return statistics.median(values) if values else float("nan")


def say(text: str) -> None:
    print(text, flush=True)


# --- the edition, copied; synthetic long editions ------------------------------------------------

def copy_edition(source: Path, dest: Path) -> Path:
    for name in ("source", "annotations", "styles", "templates"):
        if (source / name).is_dir():
            shutil.copytree(source / name, dest / name)
    return dest


class Variation:
    """Copy k's numbered variation of every quote: inside the passages the notes quote, each
    space becomes ' k ' and each one-word quote gets k in its middle ('Qasem 3 Soleimani',
    'IS3IS'). Applied alike to the text and to the quotes, nested or overlapping quotes
    included, so each copy's quotes occur in that copy only."""

    def __init__(self, quotes: list[str]):
        self.quotes = quotes
        self.words = [q for q in quotes if " " not in q and len(q) > 1]

    def text(self, block: str, k: int) -> str:
        covered = set()
        for quote in self.quotes:
            for m in re.finditer(re.escape(quote), block):
                covered.update(range(m.start(), m.end()))
        return self._apply(block, k, covered)

    def quote(self, quote: str, k: int) -> str:
        return self._apply(quote, k, set(range(len(quote))))

    def _apply(self, text: str, k: int, covered: set) -> str:
        middles = set()
        for word in self.words:
            for m in re.finditer(re.escape(word), text):
                if m.start() in covered:
                    middles.add(m.start() + len(word) // 2)
        out = []
        for i, ch in enumerate(text):
            if i in middles:
                out.append(str(k))
            out.append(f" {k} " if ch == " " and i in covered else ch)
        return "".join(out)


def synthetic(edition: Path, dest: Path, times: int) -> tuple[Path, int]:
    """The edition `times` times over: copy k's quotes varied with k, notes and events copied
    to match. Copies whose quotes cannot be varied in the Markdown drop those notes.
    Returns (folder, number of notes)."""
    import yaml
    from glossator.load import split_front_matter

    text = (edition / "source" / "article.md").read_text(encoding="utf-8")
    front, body, _ = split_front_matter(text)
    blocks = [b for b in re.split(r"\n\s*\n", body.strip()) if b.strip()]
    paragraphs = sum(1 for b in blocks if not b.lstrip().startswith(":::") and not b.lstrip().startswith("#"))
    notes = load_yaml(edition / "annotations" / "notes.yaml")
    events = load_yaml(edition / "annotations" / "chronology.yaml")
    variation = Variation(sorted({str(x["quote"]) for x in notes + events if x.get("quote")}))

    out_blocks, out_notes, out_events = list(blocks), list(notes), list(events)
    for k in range(2, times + 1):
        out_blocks += [variation.text(block, k) for block in blocks]
        out_notes += [copied(n, k, paragraphs, "note", variation) for n in notes]
        out_events += [copied(e, k, paragraphs, "event", variation) for e in events]

    copy_edition(edition, dest)
    (dest / "source" / "article.md").write_text(f"---\n{front}\n---\n\n" + "\n\n".join(out_blocks) + "\n",
                                                encoding="utf-8")
    (dest / "annotations" / "notes.yaml").write_text(dump_yaml(out_notes), encoding="utf-8")
    if events:
        (dest / "annotations" / "chronology.yaml").write_text(dump_yaml(out_events), encoding="utf-8")
    # Questions belong to the classroom copies, which this measure leaves aside: their quotes,
    # repeated with the article, would no longer point at one passage.
    (dest / "annotations" / "questions.yaml").unlink(missing_ok=True)
    dropped = drop_unanchored(dest)
    return dest, len(out_notes) - dropped["notes"]


def dump_yaml(items: list) -> str:
    """YAML without anchors and aliases (annotation files refuse them), items shared or not."""
    import yaml

    class Dumper(yaml.SafeDumper):
        def ignore_aliases(self, data):
            return True

    return yaml.dump(items, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=100)


def load_yaml(path: Path) -> list:
    import yaml
    if not path.is_file():
        return []
    return yaml.safe_load(path.read_text(encoding="utf-8")) or []


def copied(item: dict, k: int, paragraphs: int, kind: str, variation: Variation) -> dict:
    item = dict(item)
    if kind == "note":
        item["id"] = f"{item['id']}-{k}"
        if item.get("see"):
            see = item["see"] if isinstance(item["see"], list) else [item["see"]]
            item["see"] = [f"{s}-{k}" for s in see]
    if item.get("quote"):
        item["quote"] = variation.quote(str(item["quote"]), k)
    if item.get("paragraph"):
        item["paragraph"] = int(item["paragraph"]) + (k - 1) * paragraphs
    return item


def drop_unanchored(root: Path) -> dict:
    """Remove copied notes and events that `check` cannot anchor (a quote across emphasis...)."""
    import yaml
    from glossator.pipeline import check

    result = check(root)
    bad_lines = {(f.path, f.line) for f in result.errors}
    dropped = {}
    for name in ("notes", "chronology"):
        path = root / "annotations" / f"{name}.yaml"
        if not path.is_file():
            continue
        node = yaml.SafeLoader(path.read_text(encoding="utf-8")).get_single_node()
        items = load_yaml(path)
        keep = [item for item, n in zip(items, node.value)
                if (f"annotations/{name}.yaml", n.start_mark.line + 1) not in bad_lines]
        dropped[name] = len(items) - len(keep)
        if len(keep) != len(items):
            path.write_text(dump_yaml(keep), encoding="utf-8")
    dropped.setdefault("notes", 0)
    return dropped


# --- helpers run in a child process (python bench/run.py --child NAME ...) ---------------------------

def child_final_html(edition: str, dump: str) -> None:
    """Build once; save the final HTML (the body as one document, as a bare WeasyPrint user
    would render it, then the questions and the appendices) and the stylesheets."""
    from glossator import surface
    from glossator.commands.build import build
    from glossator.model import Options
    from glossator.pipeline import checked_edition
    from glossator.render import THEME, Renderer
    from glossator.variants import geometry_for

    root = Path(edition)
    renderer = Renderer(root)
    with tempfile.TemporaryDirectory() as out:
        build(root, Path(out), renderer=renderer)
    options = Options()
    geometry = surface.geometry(geometry_for(options), surface.read(renderer.sheets))
    edition_model = checked_edition(root).edition
    _, _, _, final_args = renderer.lay_out_body(edition_model, geometry, options)  # every layout reused
    kept = renderer.reuse.layouts  # the last layout of each role
    htmls = [str(renderer.html(edition_model, geometry, options, part="body", **final_args))]
    htmls += [html for role, (html, _) in kept.items() if role == "questions" or role.startswith(("glossary", "chronology"))]
    Path(dump).write_text(json.dumps({"htmls": htmls, "base_url": str(THEME) + "/",
                                      "stylesheets": [str(s.path) for s in renderer.sheets]}), encoding="utf-8")


def child_floor(dump: str, pdf: str) -> None:
    """The floor: import WeasyPrint, render the final HTML once, write the PDF."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    data = json.loads(Path(dump).read_text(encoding="utf-8"))
    fonts = FontConfiguration()
    sheets = [CSS(filename=p, font_config=fonts) for p in data["stylesheets"]]
    documents = [HTML(string=html, base_url=data["base_url"]).render(stylesheets=sheets, font_config=fonts)
                 for html in data["htmls"]]
    document = documents[0].copy([page for d in documents for page in d.pages])
    Path(pdf).write_bytes(document.write_pdf(pdf_variant="pdf/ua-1"))  # tagged, as the build's default
    print(f"floor: {len(document.pages)} pages")


def edit_note(text: str, k: int) -> str:
    """notes.yaml with the first note's body changed: a sentence added on odd edits, as an editor might."""
    import yaml

    notes = yaml.safe_load(text)
    if k % 2 == 1:
        notes[0]["body"] = str(notes[0]["body"]).rstrip() + f" Edited ({k})."
    return dump_yaml(notes)


def child_profile(edition: str, report: str) -> None:
    """cProfile of one warm build after one note is edited, as `glossator watch` makes it;
    totals by what dominates."""
    import cProfile
    import gc
    import pstats

    from glossator.commands.build import build
    from glossator.render import Renderer

    root = Path(edition)
    renderer = Renderer(root)
    notes_file = root / "annotations" / "notes.yaml"
    original = notes_file.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as out:
        build(root, Path(out), renderer=renderer)
        notes_file.write_text(edit_note(original, 1), encoding="utf-8")
        gc.collect()
        gc.freeze()  # as the watch does between builds
        profiler = cProfile.Profile()
        profiler.enable()
        built = build(root, Path(out), renderer=renderer)
        profiler.disable()
    notes_file.write_text(original, encoding="utf-8")
    stats = pstats.Stats(profiler)
    total = sum(row[2] for row in stats.stats.values())
    own = {  # own time of each function, summed by where the function lives
        "WeasyPrint layout": ("weasyprint/layout/",),
        "WeasyPrint style cascade, HTML parsing, box building": (
            "weasyprint/css/", "weasyprint/formatting_structure/", "cssselect2/", "tinycss2/", "tinyhtml5/"),
        "Pango/HarfBuzz text (line breaking, shaping)": ("weasyprint/text/", "cffi/"),
        "font subsetting (fontTools)": ("fontTools/",),
        "PDF drawing and writing": ("weasyprint/draw", "weasyprint/pdf/", "pydyf/"),
        "Glossator (load, anchor, compose, placement)": ("glossator/",),
        "Jinja2 templates": ("jinja2/", "<template>"),
        "Markdown": ("markdown_it/", "mdit_py_plugins/"),
    }
    shares = {name: sum(row[2] for key, row in stats.stats.items() if any(n in key[0] for n in needles))
              for name, needles in own.items()}
    landmarks = {  # cumulative time of a few functions that name the phases
        "all WeasyPrint layouts (HTML.render)": ("weasyprint/__init__.py", "render"),
        "multi-column layout (columns_layout)": ("weasyprint/layout/column.py", "columns_layout"),
        "PDF writing (Document.write_pdf)": ("weasyprint/document.py", "write_pdf"),
        "font subsetting (Font.subset)": ("weasyprint/pdf/fonts.py", "subset"),
        "check: load + anchor + compose": ("glossator/pipeline.py", "check"),
    }
    phases = {name: max((row[3] for key, row in stats.stats.items() if key[0].endswith(path) and key[2] == func),
                        default=0.0) for name, (path, func) in landmarks.items()}
    top = sorted(((row[3], f"{Path(key[0]).parent.name}/{Path(key[0]).name}:{key[1]} {key[2]}")
                  for key, row in stats.stats.items()), reverse=True)[:20]
    Path(report).write_text(json.dumps({"total": total, "layouts": built.layouts, "shares": shares,
                                        "phases": phases, "top": top}), encoding="utf-8")


def child_one_pass(edition: str, report: str) -> None:
    """One WeasyPrint layout of the edition as the first pass sees it, then the PDF written:
    what a build costs when no measuring is needed (the floor, at any length)."""
    from dataclasses import replace

    from glossator.model import PAPERS, Options
    from glossator.pipeline import checked_edition
    from glossator.render import Renderer

    root = Path(edition)
    start = time.perf_counter()
    composed = checked_edition(root).edition
    checked = time.perf_counter()
    renderer = Renderer(root)
    options = Options()
    geometry = replace(PAPERS[options.paper], duplex=options.duplex)
    html = renderer.html(composed, geometry, options, part="all")
    laid = time.perf_counter()
    document = renderer.layout(html)
    written = time.perf_counter()
    document.write_pdf()
    end = time.perf_counter()
    Path(report).write_text(json.dumps({"pages": len(document.pages), "check": checked - start,
                                        "layout": written - laid, "write": end - written,
                                        "total": end - start}), encoding="utf-8")


CHILDREN = {"final-html": child_final_html, "floor": child_floor, "profile": child_profile,
            "one-pass": child_one_pass}


# --- the measurements --------------------------------------------------------------------------------

@dataclass
class Results:
    machine: dict
    rows: list = field(default_factory=list)  # (measure, goal, result, verdict)
    details: list = field(default_factory=list)  # lines of Markdown
    profile: dict | None = None

    def row(self, measure: str, goal: str, result: str, ok: bool | None) -> None:
        verdict = "n/a" if ok is None else ("met" if ok else "NOT met")
        self.rows.append((measure, goal, result, verdict))
        say(f"  {measure}: {result} (goal {goal}: {verdict})")


def bench_cold(edition: Path, work: Path, runs: int, results: Results) -> dict:
    say(f"cold build of the bundled edition against the floor (WeasyPrint alone on the final HTML), "
        f"{runs} runs each, taken in turn so that the machine's drift touches both alike...")
    dump = work / "final.json"
    child = run([PYTHON, __file__, "--child", "final-html", edition, dump])
    if child.returncode:
        results.row("cold build", "≤ 1.0 × floor", f"FAILED: {last_lines(child.err)}", False)
        return {}
    builds, floors = [], []
    for i in range(runs):
        builds.append(run(glossator("build", edition, "--out", work / f"cold-{i}")))
        floors.append(run([PYTHON, __file__, "--child", "floor", dump, work / f"floor-{i}.pdf"]))
    failed = [b for b in builds + floors if b.returncode != 0]
    if failed:
        results.row("cold build", "≤ 1.0 × floor", f"FAILED: {last_lines(failed[0].err)}", False)
        return {}
    build_s = median(b.seconds for b in builds)
    floor_s = median(f.seconds for f in floors)
    info = builds[0].built
    ratio = build_s / floor_s
    results.row("cold build vs floor", "≤ 1.0 ×",
                f"{build_s:.2f} s vs {floor_s:.2f} s = {ratio:.2f} × ({info.get('layouts', '?')} layouts, "
                f"{info.get('pages', '?')} pages)", ratio <= 1.0)
    results.details.append(f"- cold build runs (s): {fmt(b.seconds for b in builds)}; the build's own timer: "
                           f"{fmt(b.built.get('build_s', float('nan')) for b in builds)}; peak RSS "
                           f"{median(b.rss_mb for b in builds):.0f} MB")
    floor_pages = re.search(r"floor: (\d+) pages", floors[0].out)
    results.details.append(f"- floor runs (s): {fmt(f.seconds for f in floors)}; "
                           f"{floor_pages[1] if floor_pages else '?'} pages; peak RSS "
                           f"{median(f.rss_mb for f in floors):.0f} MB")
    pdf = next((work / "cold-0").glob("*.pdf"))
    size = pdf.stat().st_size
    results.row("bundled PDF size", "≤ 300 KB", f"{size / 1024:.0f} KB", size <= 300 * 1024)
    return info


def bench_tagged(edition: Path, work: Path, runs: int, results: Results) -> None:
    say(f"tagged build (the default) against --untagged, {runs} runs each, taken in turn...")
    tagged, untagged = [], []
    for i in range(runs):
        tagged.append(run(glossator("build", edition, "--out", work / f"tagged-{i}")))
        untagged.append(run(glossator("build", edition, "--out", work / f"untagged-{i}", "--untagged")))
    failed = [b for b in tagged + untagged if b.returncode != 0]
    if failed:
        results.row("tagged vs untagged build", "≤ 1.15 ×", f"FAILED: {last_lines(failed[0].err)}", False)
        return
    tagged_s, untagged_s = median(b.seconds for b in tagged), median(b.seconds for b in untagged)
    results.row("tagged vs untagged build time", "≤ 1.15 ×",
                f"{tagged_s:.2f} s vs {untagged_s:.2f} s = {tagged_s / untagged_s:.2f} ×", tagged_s <= 1.15 * untagged_s)
    sizes = [next((work / f"{kind}-0").glob("*.pdf")).stat().st_size for kind in ("tagged", "untagged")]
    results.row("tagged vs untagged PDF size", "≤ 1.35 ×",
                f"{sizes[0] / 1024:.0f} KB vs {sizes[1] / 1024:.0f} KB = {sizes[0] / sizes[1]:.2f} ×",
                sizes[0] <= 1.35 * sizes[1])
    results.details.append(f"- tagged build runs (s): {fmt(b.seconds for b in tagged)}; untagged: "
                           f"{fmt(b.seconds for b in untagged)}")


def bench_latency(edition: Path, work: Path, runs: int, results: Results) -> None:
    """What an editor waits for: from saving notes.yaml to `glossator watch` printing its line."""
    say("save-to-line latency of a real `glossator watch`...")
    latency = watch_latency(edition, work, max(3, runs // 2))
    if latency:
        results.details.append(f"- save-to-line latency of a real `glossator watch` (includes its {STEP}-ms quiet "
                               f"wait and file-system notification): median {median(latency):.2f} s over "
                               f"{len(latency)} edits ({fmt(latency)})")


STEP = 100


def watch_latency(edition: Path, work: Path, edits: int) -> list[float]:
    """Seconds from writing notes.yaml to `glossator watch` printing its line, for a few edits."""
    import queue
    import threading

    copy = copy_edition(edition, work / "latency")
    notes = copy / "annotations" / "notes.yaml"
    original = notes.read_text(encoding="utf-8")
    process = subprocess.Popen(glossator("watch", copy, "--out", work / "latency-out"), stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()
    found = []
    try:
        if not wait_for(lines, "→", 300):
            return []
        for k in range(edits):
            start = time.perf_counter()
            notes.write_text(edit_note(original, 2 * k + 1), encoding="utf-8")
            line = wait_for(lines, "→", 300)
            if not line or "failed" in line:
                break
            found.append(time.perf_counter() - start)
    finally:
        process.terminate()
        process.wait(timeout=30)
    return found


def wait_for(lines, text: str, timeout: float):
    import queue
    end = time.perf_counter() + timeout
    while time.perf_counter() < end:
        try:
            line = lines.get(timeout=max(0.01, end - time.perf_counter()))
        except queue.Empty:
            return None
        if text in line:
            return line
    return None


def bench_check(edition: Path, runs: int, results: Results) -> None:
    say(f"glossator check, {runs} runs...")
    checks = [run(glossator("check", edition)) for _ in range(runs)]
    m = median(c.seconds for c in checks)
    results.row("glossator check (cold process)", "≤ 0.4 s", f"{m:.2f} s", m <= 0.4)
    results.details.append(f"- check runs (s): {fmt(c.seconds for c in checks)}; exit code "
                           f"{checks[0].returncode}")


def bench_scale(edition: Path, work: Path, scales: list[int], scale_runs: list[int], results: Results,
                timeout: float) -> None:
    per_page, floor_per_page = {}, {}
    for times, runs in zip(scales, scale_runs):
        folder, notes = synthetic(edition, work / f"scale-{times}", times)
        say(f"scale {times}×: {notes} notes; check, one bare layout, then {runs} build(s)...")
        check = run(glossator("check", folder))
        bare = one_pass(folder, work / f"scale-{times}-one.json")
        if bare:
            floor_per_page[times] = bare["layout"] / bare["pages"]
            results.details.append(
                f"- scale {times}×: `check` {check.seconds:.2f} s (exit {check.returncode}); one bare WeasyPrint "
                f"layout of it: {bare['pages']} pages in {bare['layout']:.1f} s "
                f"= {1000 * floor_per_page[times]:.0f} ms/page, PDF written in {bare['write']:.1f} s, "
                f"peak RSS {bare['rss_mb']:.0f} MB")
        builds = []
        for _ in range(runs):
            builds.append(run(glossator("build", folder, "--out", work / f"scale-{times}-out"), timeout=timeout))
            if builds[-1].returncode != 0:
                break  # a build that fails will fail again; no need to wait for it twice
        ok = [b for b in builds if b.returncode == 0 and b.built]
        if not ok:
            b = builds[-1]
            why = last_lines(b.err, 2) if b.returncode > 0 else f"stopped after {timeout:.0f} s"
            results.details.append(f"- scale {times}× build FAILED after {b.seconds:.0f} s "
                                   f"(peak RSS {b.rss_mb:.0f} MB): {why}")
            results.row(f"scale {times}× build", "finishes", f"FAILED after {b.seconds:.0f} s: {why}", False)
            continue
        pages = ok[0].built["pages"]
        wall = median(b.seconds for b in ok)
        own = median(b.built["build_s"] for b in ok)
        rss = max(b.rss_mb for b in ok)
        per_page[times] = own / pages
        results.details.append(f"- scale {times}× build: {pages} pages, {notes} notes, "
                               f"{ok[0].built['layouts']} layouts; wall {wall:.1f} s, build {own:.1f} s "
                               f"= {1000 * own / pages:.0f} ms/page; peak RSS {rss:.0f} MB "
                               f"(runs: {fmt(b.seconds for b in ok)})")
        results.row(f"scale {times}× peak memory", "≤ 600 MB", f"{rss:.0f} MB ({pages} pages)", rss <= 600)
    for name, table in (("build", per_page), ("one bare layout", floor_per_page)):
        for times in sorted(table)[1:] if 1 in table else ():
            ratio = table[times] / table[1]
            results.row(f"{name}: per-page time, {times}× vs 1×", "≤ 1.1 ×",
                        f"{1000 * table[times]:.0f} vs {1000 * table[1]:.0f} ms/page = {ratio:.2f} ×", ratio <= 1.1)


def one_pass(folder: Path, report: Path) -> dict | None:
    child = run([PYTHON, __file__, "--child", "one-pass", folder, report])
    if child.returncode:
        say(f"  one bare layout failed: {last_lines(child.err, 2)}")
        return None
    return {**json.loads(report.read_text(encoding="utf-8")), "rss_mb": child.rss_mb}


def bench_profile(edition: Path, work: Path, results: Results) -> None:
    say("profiling one warm build...")
    report = work / "profile.json"
    child = run([PYTHON, __file__, "--child", "profile", edition, report])
    if child.returncode:
        results.details.append(f"- profile FAILED: {last_lines(child.err)}")
        return
    results.profile = json.loads(report.read_text(encoding="utf-8"))


# --- the report --------------------------------------------------------------------------------------

def machine() -> dict:
    info = {"python": platform.python_version(), "platform": platform.platform()}
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        cpu = platform.processor() or "unknown"
    info["cpu"] = f"{cpu}, {len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else os.cpu_count()} cores"
    try:
        kb = next(int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal"))
        info["memory"] = f"{kb / 2**20:.1f} GB"
    except (OSError, StopIteration):
        pass
    probe = ("import weasyprint, fontTools, pydyf, glossator; from weasyprint.text import ffi;"
             "print(weasyprint.__version__, fontTools.version, pydyf.__version__, glossator.__version__,"
             " ffi.harfbuzz_subset is not None)")
    out = subprocess.run([PYTHON, "-W", "ignore", "-c", probe], capture_output=True, text=True).stdout.split()
    if len(out) == 5:
        info["versions"] = f"Glossator {out[3]}, WeasyPrint {out[0]}, fontTools {out[1]}, pydyf {out[2]}"
        info["font subsetting"] = "HarfBuzz (libharfbuzz-subset)" if out[4] == "True" else \
            "fontTools (libharfbuzz-subset not installed)"
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    if commit.returncode == 0:
        info["commit"] = commit.stdout.strip() + (" (with uncommitted changes)" if subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True, text=True).stdout.strip() else "")
    return info


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def markdown(results: Results, started: str, loads: tuple[str, str]) -> str:
    lines = ["# Glossator benchmark results", "",
             f"Written by `python bench/run.py` on {started}. Medians of the runs listed below.", "",
             "## Machine", ""]
    lines += [f"- {k}: {v}" for k, v in results.machine.items()]
    lines += [f"- load average (1, 5, 15 min) at start: {loads[0]}; at end: {loads[1]}", "",
              "## Results", "", "| measure | goal | result | verdict |", "| --- | --- | --- | --- |"]
    lines += [f"| {m} | {g} | {r} | {v} |" for m, g, r, v in results.rows]
    lines += ["", "## Runs", ""] + results.details
    if results.profile:
        p = results.profile
        lines += ["", f"## Profile of one warm build after a note is edited (cProfile, {p['layouts']} layouts made; "
                      f"{p['total']:.2f} s under the profiler)", "",
                  "| where the time goes (own time) | seconds | share |", "| --- | --- | --- |"]
        for name, seconds in p["shares"].items():
            lines.append(f"| {name} | {seconds:.2f} | {100 * seconds / p['total']:.0f} % |")
        lines += ["", "| phase (cumulative time) | seconds | share |", "| --- | --- | --- |"]
        for name, seconds in p["phases"].items():
            lines.append(f"| {name} | {seconds:.2f} | {100 * seconds / p['total']:.0f} % |")
        lines += ["", "Top functions by cumulative time:", "", "```"]
        lines += [f"{seconds:8.2f} s  {where}" for seconds, where in p["top"]]
        lines += ["```"]
    return "\n".join(lines) + "\n"


def fmt(values) -> str:
    return ", ".join(f"{v:.2f}" for v in values)


def last_lines(text: str, n: int = 3) -> str:
    """The first coded finding ('... L102 page 48: ...'), else the last n lines."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    coded = [line for line in lines if re.search(r": [A-Z]\d{3} ", line)]
    if coded:
        return coded[0] + (f" (and {len(coded) - 1} more)" if len(coded) > 1 else "")
    return " / ".join(lines[-n:]) if lines else "no output"


def main(argv=None) -> int:
    import speed  # bench/speed.py, beside this file
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edition", default=str(REPO), help="the edition to measure (default: the bundled one)")
    parser.add_argument("--runs", type=int, default=5, help="runs per measure (default 5)")
    parser.add_argument("--scales", default="1,10,40", help="synthetic lengths (default 1,10,40)")
    parser.add_argument("--scale-runs", default="3,3,1", help="runs per scale (default 3,3,1)")
    parser.add_argument("--timeout", type=float, default=1800, help="give up a scale build after this many "
                        "seconds (default 1800)")
    parser.add_argument("--profile", action="store_true", help="also profile one warm build")
    parser.add_argument("--quick", action="store_true", help="3 runs, scales 1 and 10 only: a smoke test")
    parser.add_argument("--results", default=str(HERE / "results.md"), help="where to write the Markdown")
    parser.add_argument("--only", choices=["cold", "warm", "tagged", *speed.ONLY], help="run one measure only")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        CHILDREN[args.child[0]](*args.child[1:])
        return 0
    if args.quick:
        args.runs, args.scales, args.scale_runs = 3, "1,10", "2,1"
    scales = [int(s) for s in args.scales.split(",")]
    scale_runs = [int(s) for s in args.scale_runs.split(",")]
    scale_runs += [scale_runs[-1]] * (len(scales) - len(scale_runs))
    started = time.strftime("%Y-%m-%d %H:%M %Z")
    start_load = load_average()
    results = Results(machine())
    say("machine: " + "; ".join(f"{k}: {v}" for k, v in results.machine.items()))
    with tempfile.TemporaryDirectory(prefix="glossator-bench-") as tmp:
        work = Path(tmp)
        edition = copy_edition(Path(args.edition), work / "edition")
        if args.only == "cold":
            bench_cold(edition, work, args.runs, results)
        elif args.only == "warm":
            __import__("warm_edits").bench(edition, work, args.runs, results)  # bench/warm_edits.py
        elif args.only == "tagged":
            bench_tagged(edition, work, args.runs, results)
        elif args.only:
            speed.ONLY[args.only](edition, work, args.runs, results)
        else:
            bench_all(edition, work, args, scales, scale_runs, results)
    text = markdown(results, started, (start_load, load_average()))
    Path(args.results).write_text(text, encoding="utf-8")
    say(f"wrote {args.results}")
    return 0


def bench_all(edition: Path, work: Path, args, scales: list, scale_runs: list, results: Results) -> None:
    bench_cold(edition, work, args.runs, results)
    bench_tagged(edition, work, args.runs, results)
    __import__("warm_edits").bench(edition, work, max(args.runs, 5), results)  # bench/warm_edits.py
    bench_latency(edition, work, args.runs, results)
    bench_check(edition, args.runs, results)
    bench_scale(edition, work, scales, scale_runs, results, args.timeout)
    __import__("speed").bench_speed(edition, work, args.runs, results)
    __import__("appendices").bench(edition, work, results)  # bench/appendices.py: the glossary's columns
    if args.profile:
        bench_profile(edition, work, results)


if __name__ == "__main__":
    sys.exit(main())
