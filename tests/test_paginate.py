"""Predicted pagination: units poured onto pages (no rendering)."""
from glossator.paginate import Unit, pour

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
