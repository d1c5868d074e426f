#!/usr/bin/env python3
"""Placement figures: how full the pages are and where the notes went, for the bundled
edition and the stress editions the tests build, on Letter and A4, duplex and simplex.

`python bench/placement.py` prints a table and writes it into bench/results.md (the
section "Placement"). Every figure is read from the PDF, as the tests read it:

- pages: the article's pages (those with text in the article's type);
- fill: each of those pages but the last, the depth of the text column's lowest glyph
  (text, or a note at the foot) over the page area's height: the lowest and the median;
- on call's page: notes whose number is set on the same page as their call;
- margin / foot / carried / long: notes in the outside margin (beside their line, or carried),
  at a page's foot, carried to the next page (headed "from p. N", in its margin or at its
  foot), after the article;
- faults: overprinted glyph pairs and glyphs within 0.25 in of the paper's edge;
- words: whether every word of the article is there, in order.
"""
from __future__ import annotations

import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import pdfplumber

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(REPO / "tests"), str(REPO / "src")]

from conftest import make_edition  # noqa: E402  (the tests' own edition maker)
from pdfcheck import article_fills, article_stream, body_stream, note_places, print_faults  # noqa: E402
import test_stress as stress  # noqa: E402  (the stress editions the tests build)

VARIANTS = [("letter", True), ("a4", True), ("letter", False), ("a4", False)]


def editions(root: Path) -> dict[str, Path]:
    """The bundled edition and the stress editions, written under root."""
    text = stress.article()
    opening = stress.paragraph(3).split()
    dense = [stress.note(f"c{k}", " ".join(opening[:k])) for k in range(1, 7)]
    dense += [stress.note(f"s{i}", f"5x{i * 30}") for i in range(1, 5)]
    closing = stress.paragraph(2).split()
    crowded_end = "".join(stress.note(f"e{k}", " ".join(closing[-k:]) + ".") + "  paragraph: 2\n" for k in range(1, 7))
    long_paragraph = "".join(stress.note(f"n{i}-{j}", f"{i}x{j}") for i in range(1, 8) for j in (20, 70))
    giant = ("- id: giant\n  quote: \"" + " ".join(stress.paragraph(2).split()[:3]) + "\"\n  body: >-\n    "
             + stress.enormous(1500) + "\n")
    return {
        "bundled": REPO,
        "dense": make_edition(root / "dense", article=text, notes="".join(dense)),
        "sparse": make_edition(root / "sparse", article=text,
                               notes=stress.note("a", "2x40") + stress.note("b", "7x80")),
        "one long paragraph": make_edition(root / "long-paragraph", article=stress.one_long_paragraph(),
                                           notes=long_paragraph),
        "notes crowding the end": make_edition(root / "crowded-end", article=stress.article(2), notes=crowded_end),
        "a 1,500-word note": make_edition(root / "giant", article=stress.article(3), notes=giant),
    }


def figures(folder: Path, out: Path, paper: str, duplex: bool) -> dict:
    args = [sys.executable, "-m", "glossator", "build", folder, "--out", out, "--paper", paper]
    result = subprocess.run(args + ([] if duplex else ["--simplex"]), capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(result.stderr)
    pdf_path = next(out.glob("*.pdf"))
    fills = article_fills(pdf_path, paper, duplex)
    places = note_places(pdf_path, paper, duplex)
    calls, notes = places.calls, places.notes
    with pdfplumber.open(pdf_path) as pdf:
        texts = [p.extract_text() or "" for p in pdf.pages]
    long_notes = len(re.findall(r"see the long notes", " ".join(texts)))
    source = (folder / "source" / "article.md").read_text(encoding="utf-8")
    return {
        "pages": len(fills),
        "min fill": min(fills[:-1], default=1.0),
        "median fill": statistics.median(fills[:-1]) if len(fills) > 1 else 1.0,
        "notes": len(calls),
        "on call's page": places.on_call_page(),
        "margin": places.in_margin() - long_notes,  # pointers aside
        "foot": sum(where == "foot" for _, where, _ in notes.values()),
        "carried": sum(head is not None for _, _, head in notes.values()),
        "misplaced": len(places.problems()),
        "long": long_notes,
        "faults": len(print_faults(pdf_path)),
        "words": body_stream(pdf_path, paper, duplex) == article_stream(source),
    }


def table(rows: list[tuple[str, str, dict]]) -> str:
    lines = ["| edition | paper | article pages | fill: lowest / median | on call's page | "
             "margin / foot / carried / long | misplaced | faults | every word |",
             "|---|---|---|---|---|---|---|---|---|"]
    for name, variant, f in rows:
        n, on_page = max(f["notes"], 1), f["on call's page"]
        lines.append(f"| {name} | {variant} | {f['pages']} | {f['min fill']:.0%} / {f['median fill']:.0%} | "
                     f"{on_page}/{f['notes']} | {f['margin'] / n:.0%} / {f['foot']} / {f['carried']} / {f['long']} | "
                     f"{f['misplaced']} | {f['faults']} | {'yes' if f['words'] else 'NO'} |")
    return "\n".join(lines)


def write_results(text: str) -> None:
    results = HERE / "results.md"
    old = results.read_text(encoding="utf-8") if results.exists() else ""
    section = "## Placement\n\n" + text + "\n"
    if "## Placement\n" in old:
        before, rest = old.split("## Placement\n", 1)
        after = rest[rest.index("\n## ") + 1:] if "\n## " in rest else ""
        results.write_text(before + section + ("\n" + after if after else ""), encoding="utf-8")
    else:
        results.write_text(old.rstrip("\n") + "\n\n" + section, encoding="utf-8")


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name, folder in editions(root).items():
            for paper, duplex in VARIANTS:
                variant = f"{paper}, {'duplex' if duplex else 'simplex'}"
                out = root / "out" / f"{folder.name}-{paper}-{duplex}"
                rows.append((name, variant, figures(folder, out, paper, duplex)))
                print(table(rows[-1:]).splitlines()[-1], flush=True)
    text = ("Figures read from the PDFs (`python bench/placement.py`): the article's pages, how full "
            "each is but the last (the text column's lowest glyph, text or foot note, over the page "
            "area's height), notes on their call's page, where the notes went (share in the margin; "
            "counts at the foot, carried to the next page under \"from p. N\", and after the article), "
            "notes neither on their call's page nor headed on the next, overprinted or unsafe glyphs, and whether "
            "every word of the article is there in order.\n\n" + table(rows))
    write_results(text)
    print("\nwrote bench/results.md")


if __name__ == "__main__":
    main()
