"""Stacking one page's margin notes, on made-up measurements (no rendering)."""
from glossator.placement.stack import stack

TOP, BOTTOM, GAP = 100.0, 1000.0, 10.0


def test_a_note_with_room_sits_level_with_its_call():
    assert stack([(300, 120)], TOP, BOTTOM, GAP) == [300]


def test_notes_that_would_overlap_are_pushed_down_with_a_gap():
    tops = stack([(300, 120), (310, 50)], TOP, BOTTOM, GAP)
    assert tops[1] == tops[0] + 120 + GAP


def test_a_stack_running_off_the_page_moves_up_keeping_order_and_gaps():
    tops = stack([(700, 200), (720, 200)], TOP, BOTTOM, GAP)
    assert tops[1] + 200 == BOTTOM
    assert tops[0] + 200 + GAP == tops[1]
    assert tops[0] < 700  # moved up from its call, as little as needed


def test_notes_that_cannot_fit_are_refused():
    assert stack([(150, 400), (200, 400), (250, 400)], TOP, BOTTOM, GAP) is None
    assert stack([(150, 400), (200, 400)], TOP, BOTTOM, GAP) is not None
