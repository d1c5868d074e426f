"""Predicted pagination: units poured onto pages (no rendering)."""
from glossator.placement.paginate import Unit, forced_line, pour, with_gaps

TOP, BOTTOM = 0.0, 100.0


def lines(n, block="p1", height=10.0):
    return [Unit(block, i, 0, 0.0, height, 0.0, i == 0) for i in range(n)]


def test_lines_fill_a_page_then_the_next():
    spots = pour(lines(15), set(), TOP, BOTTOM)
    assert [p for p, _ in spots] == [0] * 10 + [1] * 5
    assert spots[10] == (1, TOP)


def test_a_forced_unit_starts_a_page():
    spots = pour(lines(6), {3}, TOP, BOTTOM)
    assert [p for p, _ in spots] == [0, 0, 0, 1, 1, 1]


def test_widows_two_lines_carried_to_the_next_page():
    units = [Unit("p0", None, 0, 0, 85.0, 0, True)] + lines(3)  # room for one line of three
    spots = pour(units, set(), TOP, BOTTOM)
    assert [p for p, _ in spots] == [0, 1, 1, 1]  # one line alone would be an orphan


def test_a_block_is_never_split_and_its_gap_drops_at_a_page_top():
    units = lines(9) + [Unit("pullquote-2", None, 0, 0, 30.0, 12.0, True)]
    spots = pour(units, set(), TOP, BOTTOM)
    assert spots[-1] == (1, TOP)


def test_a_block_measured_at_a_page_top_keeps_its_margins_when_it_moves_off_the_top():
    """Measured at a page's top, a pull quote shows no space above it (WeasyPrint dropped its
    margin there), and no other pull quote follows a line: its style's margins collapse
    with the line's paragraph's instead, or it would be predicted a margin higher than it lands."""
    units = lines(3) + [Unit("pullquote-2", None, 1, 0.0, 30.0, 0.0, True), Unit("p3", 0, 1, 48.0, 10.0, 0.0, True)]
    margins = {"p1": (0.0, 2.0), "pullquote-2": (14.0, 18.0), "p3": (0.0, 0.0)}
    gaps = [u.gap for u in with_gaps(units, margins)]
    assert gaps == [0.0, 0.0, 0.0, 14.0, 18.0]  # 18: measured below it; 14: the larger of 2 and 14
    assert [u.gap for u in with_gaps(units, {})][3] == 0.0  # margins unknown: none, as before


def test_a_split_starts_the_line_its_word_begins_or_the_next_if_the_word_is_broken():
    starts = [0, 60, 118, 181]  # offsets of the first characters of four lines
    assert forced_line(starts, 118) == 2  # the word begins line 2
    assert forced_line(starts, 100) == 2  # a word hyphenated across lines 1-2 moves whole: line 2 starts the part
    assert forced_line(starts, 0) is None  # a split before the first line is no split
    assert forced_line(starts, 200) is None  # past the last line's start: nothing to move


def test_the_lines_before_a_split_are_a_part_of_their_own_for_widows():
    # Four lines fit a page. Line 4 would stand alone before the split at line 5, so
    # line 3 goes with it: two lines head the page, as for any paragraph's last lines.
    spots = pour(lines(8), {5}, TOP, 45.0)
    assert [p for p, _ in spots] == [0, 0, 0, 1, 1, 2, 2, 2]


def test_a_block_the_plan_starts_a_page_with_is_laid_out_where_the_prediction_puts_it(tmp_path):
    """The one test here that lays out (WeasyPrint): the print template and the predictor
    agree that a block a page break comes before starts at the page area's top, its margin
    dropped. (A pull quote's kept margin once put a 13,000-word edition out by a line: R103.)"""
    from conftest import make_edition
    from glossator.model import LETTER, Options
    from glossator.pipeline import checked_edition
    from glossator.placement.engine import note_area
    from glossator.placement.paginate import Predictor
    from glossator.placement.plan import Plan
    from glossator.render import Renderer

    root = make_edition(tmp_path / "ed")
    edition = checked_edition(root).edition
    at = next(i for i, b in enumerate(edition.blocks) if b.kind == "pullquote")
    quote, after = edition.blocks[at].id, edition.blocks[at + 1].id
    renderer, area = Renderer(root), note_area(LETTER)
    unbroken = renderer.measure_text(edition, LETTER, Options(), Plan())
    predicted = Predictor(edition, unbroken, (area.top, area.bottom)).predict([quote])
    broken = renderer.measure_text(edition, LETTER, Options(), Plan(breaks=(quote,)))
    assert broken.page_of[quote] == predicted.page_of[quote] == 1
    assert abs(broken.boxes[quote][1] - predicted.boxes[quote][1]) < 0.5
    assert abs(broken.lines[after][0].top - predicted.lines[after][0].top) < 0.5


def test_a_block_measured_at_a_page_top_is_predicted_where_it_lands_when_it_follows_text(tmp_path):
    """The reverse, laid out: a pull quote a break put at a page's top, predicted without
    the break, lands where WeasyPrint lays it after the text before it, its margin kept."""
    from conftest import make_edition
    from glossator.model import LETTER, Options
    from glossator.pipeline import checked_edition
    from glossator.placement.engine import note_area
    from glossator.placement.paginate import Predictor
    from glossator.placement.plan import Plan
    from glossator.render import Renderer

    root = make_edition(tmp_path / "ed")
    edition = checked_edition(root).edition
    at = next(i for i, b in enumerate(edition.blocks) if b.kind == "pullquote")
    quote, after = edition.blocks[at].id, edition.blocks[at + 1].id
    renderer, area = Renderer(root), note_area(LETTER)
    broken = renderer.measure_text(edition, LETTER, Options(), Plan(breaks=(quote,)))
    assert broken.boxes[quote][1] == area.top  # measured at the top: no space above it to see
    predicted = Predictor(edition, broken, (area.top, area.bottom)).predict([])
    unbroken = renderer.measure_text(edition, LETTER, Options(), Plan())
    assert unbroken.page_of[quote] == predicted.page_of[quote] == 0
    assert abs(unbroken.boxes[quote][1] - predicted.boxes[quote][1]) < 0.5
    assert abs(unbroken.lines[after][0].top - predicted.lines[after][0].top) < 0.5
