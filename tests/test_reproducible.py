"""The same inputs give the same bytes: PDF and HTML, whatever the folder, process or clock."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

from conftest import make_edition
from pdfcheck import read_pdf

NOTES = """\
- id: sofa
  quote: Status of Forces Agreement
  title: SOFA
  body: The agreement of 2008 that set the terms for U.S. troops in Iraq.
- id: kh
  quote: Kataib Hezbollah (KH)
  body: An Iran-backed Shiite militia.
"""
GLOSSARY = """\
- term: Quds Force
  definition: The external arm of Iran's Revolutionary Guard.
"""
CHRONOLOGY = """\
- date: "2008-11-17"
  event: The Status of Forces Agreement is signed.
  quote: Status of Forces Agreement
"""


def build(edition, out, cwd, **env):
    environment = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    environment.update(env)
    result = subprocess.run([sys.executable, "-m", "glossator", "build", edition, "--out", out],
                            cwd=cwd, env=environment, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return {p.suffix: p.read_bytes() for p in out.iterdir() if p.is_file()}


def test_two_builds_are_byte_identical_and_source_date_epoch_is_honoured(tmp_path):
    first = make_edition(tmp_path / "first", notes=NOTES, glossary=GLOSSARY, chronology=CHRONOLOGY)
    second = shutil.copytree(first, tmp_path / "elsewhere" / "second")

    a = build(first, tmp_path / "out-a", cwd=tmp_path, PYTHONHASHSEED="1", TZ="UTC")
    b = build(second, tmp_path / "out-b", cwd=second, PYTHONHASHSEED="2", TZ="Pacific/Auckland")
    assert set(a) == {".pdf", ".html"}
    assert a[".pdf"] == b[".pdf"]
    assert a[".html"] == b[".html"]

    # The creation date is the article's (2021-05-04), not the clock's.
    assert _info(tmp_path / "out-a")["CreationDate"] == "D:20210504"

    # SOURCE_DATE_EPOCH, when set, dates the font subsets fontTools would otherwise date now.
    # HarfBuzz (libharfbuzz-subset installed) writes no date: the bytes do not change.
    from glossator.placement.measure import subsets_with_harfbuzz

    c = build(first, tmp_path / "out-c", cwd=tmp_path, SOURCE_DATE_EPOCH="1000000000")
    assert (c[".pdf"] == a[".pdf"]) == subsets_with_harfbuzz()
    assert _info(tmp_path / "out-c")["CreationDate"] == "D:20210504"
    assert c[".html"] == a[".html"]


def _info(out):
    with read_pdf(next(out.glob("*.pdf"))) as pdf:
        return pdf.metadata
