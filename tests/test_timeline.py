"""The chronology's timeline: every event to scale, and every year label whole on the page."""
from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

import pytest
from jinja2 import Environment, FileSystemLoader

import glossator
from conftest import cli, make_edition
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
    result = cli("build", root, "--out", root / "out")
    assert result.returncode == 0, result.stderr
    with read_pdf(next((root / "out").glob("*.pdf"))) as pdf:
        page = next(p for p in pdf.pages if "Chronology" in (p.extract_text() or ""))
        axis = max(page.lines, key=lambda line: line["x1"] - line["x0"])  # spans the whole figure
        labels = [w for w in page.extract_words() if w["text"].isdigit() and w["top"] > axis["top"]
                  and abs(w["bottom"] - w["top"] - LABEL_SIZE) < 2]
        assert [w["text"] for w in labels][:2] == ["1940", "1945"]
        outside = [w["text"] for w in labels if w["x0"] < axis["x0"] - 0.1 or w["x1"] > axis["x1"] + 0.1]
        assert not outside, f"clipped at the figure's edge: {outside}"


# --- short spans: scales of months and of days ------------------------------------------

def svg(dates: list[str], lang: str = "en") -> tuple[list[str], list[float], list[float]]:
    """The timeline of events on `dates` as the template draws it: (the axis's labels,
    their x, the dots' x)."""
    env = Environment(loader=FileSystemLoader(Path(glossator.__file__).parent / "templates"), autoescape=True)
    timeline = build_timeline(tuple(event(f"e{i}", d) for i, d in enumerate(dates)), WIDTH, {}, lang)
    root = ElementTree.fromstring(env.get_template("timeline.svg.j2").render(t=timeline))
    texts = root.findall(f"{SVG}text")
    dots = [float(c.get("cx")) for c in root.iter(f"{SVG}circle")]
    return [t.text for t in texts], [float(t.get("x")) for t in texts], dots


SVG = "{http://www.w3.org/2000/svg}"


def test_a_few_days_are_drawn_on_a_scale_of_days():
    labels, xs, dots = svg(["1941-12-07", "1941-12-08", "1941-12-11"])
    assert labels == ["Dec 7", "Dec 8", "Dec 9", "Dec 10", "Dec 11"]
    assert dots == [xs[0], xs[1], xs[4]]  # each dot above its day's label
    assert dots[0] < WIDTH / 4 and dots[-1] > 3 * WIDTH / 4  # across the axis, not bunched at its end
    assert xs[1] - xs[0] == pytest.approx(xs[4] - xs[3])  # to scale


def test_days_are_written_as_the_editions_language_writes_them():
    assert svg(["1941-12-07", "1941-12-11"], "en-GB")[0][0] == "7 Dec"
    assert svg(["1941-12-07", "1941-12-11"], "fr")[0][0] == "7 déc."


def test_weeks_of_days_are_labelled_every_week():
    labels, xs, _ = svg(["2020-01-03", "2020-02-20"])
    assert labels[:3] == ["Jan 3", "Jan 10", "Jan 17"]
    assert all(b - a >= label_width(label) + 6 for (a, b), label in zip(zip(xs, xs[1:]), labels))


def test_a_span_of_months_is_drawn_on_a_scale_of_months_with_each_january_giving_its_year():
    labels, xs, dots = svg(["1979-11-04", "1980-06-15", "1981-01-20"])
    assert labels[0] == "Nov 1979" and "Jan 1980" in labels and "Jan 1981" in labels
    assert [label for label in labels if " " not in label] == ["Mar", "May", "Jul", "Sep", "Nov"]
    jan, mar = xs[labels.index("Jan 1980")], xs[labels.index("Mar")]
    # to scale by the day: 31 + 29 days from 1 January to 1 March 1980, 4 days into November
    assert dots[0] - xs[0] == pytest.approx((mar - jan) / 60 * 3.5, abs=0.02)  # the SVG says x to 0.01 pt


def test_a_date_given_by_its_year_alone_keeps_the_scale_of_years():
    assert svg(["2020", "2020-03-01"])[0] == ["2020"]


def test_dates_given_by_their_month_are_never_drawn_by_the_day():
    labels, xs, dots = svg(["2020-01", "2020-01"])
    assert labels == ["Jan 2020", "Feb"]
    assert dots[0] == pytest.approx((xs[0] + xs[1]) / 2, abs=0.02)  # the month's middle


@pytest.mark.parametrize("dates", [["1941-12-07", "1941-12-11"], ["2020-01-03", "2020-02-29"], ["2020-01-31"],
                                   ["2018-09", "2021-08-31"], ["9999-11", "9999-12-31"]])
@pytest.mark.parametrize("lang", ["en", "de"])
def test_every_short_spans_label_is_inside_the_figure(dates, lang):
    labels, xs, dots = svg(dates, lang)
    assert labels
    for label, x in zip(labels, xs):
        assert label_width(label) / 2 <= x <= WIDTH - label_width(label) / 2, (label, x)
    assert all(DOT <= x <= WIDTH - DOT for x in dots)
