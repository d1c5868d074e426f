"""The chronology's timeline: every event to scale, and every year label whole on the page."""
from __future__ import annotations

import pytest

from conftest import make_edition, run_cli
from glossator.model import ComposedEvent, PartialDate
from glossator.timeline import DOT, LABEL_SIZE, build_timeline, label_width
from pdfcheck import read_pdf

WIDTH = 468.0  # pt: Letter's full text width, as the appendices have it


def event(ident: str, date: str, end: str | None = None) -> ComposedEvent:
    return ComposedEvent(id=ident, date=PartialDate.parse(date), end=PartialDate.parse(end) if end else None,
                         event_html="", place=None, paragraph=None, sources_html=())


@pytest.mark.parametrize("dates", [
    ["1940", "2020-01-03"],                 # a label on the very first year
    ["1940-06", "1961", "2003-03-20"],
    ["1979-11-04", "2019-12-27"],
    ["1998", "2001"],                       # a short span: few ticks, far apart
    ["2020", "2020"],                       # one year only
    ["1941-12-07", "1941-12-11"],           # a few days: no multiple of five years in the span
    ["2001", "2003-06"],
])
def test_every_year_label_is_inside_the_figure(dates):
    timeline = build_timeline(tuple(event(f"e{i}", d) for i, d in enumerate(dates)), WIDTH, {})
    assert timeline.ticks, "a timeline has at least one labelled year"
    for x, year in timeline.ticks:
        half = label_width(year) / 2
        assert 0 <= x - half and x + half <= WIDTH, (year, x, half)


def test_marks_are_to_scale_and_inside_the_figure():
    events = (event("a", "1940"), event("b", "1980"), event("c", "2003-03-20", "2011-12-18"), event("d", "2020"))
    timeline = build_timeline(events, WIDTH, {})
    xs = [m.x for m in timeline.marks]
    assert xs == sorted(xs)
    assert DOT <= xs[0] and max(m.end_x or m.x for m in timeline.marks) <= WIDTH - DOT
    # to scale: equal spans of time, equal distances
    (x1940, _), (x1945, _), (x1950, _) = timeline.ticks[:3]
    assert x1945 - x1940 == pytest.approx(x1950 - x1945)
    assert xs[1] - xs[0] == pytest.approx((x1945 - x1940) * 8)


def test_the_first_year_prints_whole(tmp_path):
    """A chronology starting in 1940: the axis's first label reads "1940", not "940". The
    figure clips what falls outside it, so every label must lie within the axis's extent
    (text extraction alone would still find a clipped "1940")."""
    root = make_edition(tmp_path, chronology="""\
        - date: "1940-05-10"
          event: Germany invades France and the Low Countries.
        - date: "1947-03-12"
          event: The Truman Doctrine.
        - date: "1979-11-04"
          event: Iranian students seize the U.S. embassy in Tehran.
        """)
    result = run_cli("build", root, "--out", root / "out")
    assert result.returncode == 0, result.stderr
    with read_pdf(next((root / "out").glob("*.pdf"))) as pdf:
        page = next(p for p in pdf.pages if "Chronology" in (p.extract_text() or ""))
        axis = max(page.lines, key=lambda line: line["x1"] - line["x0"])  # spans the whole figure
        labels = [w for w in page.extract_words() if w["text"].isdigit() and w["top"] > axis["top"]
                  and abs(w["bottom"] - w["top"] - LABEL_SIZE) < 2]
        assert [w["text"] for w in labels][:2] == ["1940", "1945"]
        outside = [w["text"] for w in labels if w["x0"] < axis["x0"] - 0.1 or w["x1"] > axis["x1"] + 0.1]
        assert not outside, f"clipped at the figure's edge: {outside}"
