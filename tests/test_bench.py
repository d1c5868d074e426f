"""bench/run.py's synthetic editions: n copies of the bundled edition whose quotes stay unique."""
from __future__ import annotations

import importlib.util
import sys

from conftest import REPO

from glossator.pipeline import check


def bench():
    spec = importlib.util.spec_from_file_location("bench_run", REPO / "bench" / "run.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_run"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_synthetic_edition_repeats_the_article_with_every_quote_unique(tmp_path):
    run = bench()
    original = check(REPO)
    assert not original.errors
    folder, notes = run.synthetic(REPO, tmp_path / "x3", 3)
    assert notes == 3 * len(original.edition.notes)  # no copied note had to be dropped
    result = check(folder)
    assert not result.errors, [f.format() for f in result.errors]
    assert len(result.edition.notes) == notes
    paragraphs = [b for b in result.edition.blocks if b.kind == "paragraph"]
    assert len(paragraphs) == 3 * len([b for b in original.edition.blocks if b.kind == "paragraph"])


def test_numbered_variation_breaks_every_quote_alike_in_text_and_quote():
    variation = bench().Variation(["Quds Force", "the Quds Force commander", "ISIS"])
    text = "He led the Quds Force commander corps; ISIS fled."
    varied = variation.text(text, 7)
    assert varied == "He led the 7 Quds 7 Force 7 commander corps; IS7IS fled."
    for quote in ("Quds Force", "the Quds Force commander", "ISIS"):
        assert quote not in varied
        assert variation.quote(quote, 7) in varied
        assert variation.quote(quote, 7) not in variation.text(text, 17)
