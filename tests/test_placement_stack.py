"""The placement arithmetic, on made-up measurements (no rendering)."""
from glossator.placement.stack import Wanted, place, stack

TOP, BOTTOM, GAP = 100.0, 1000.0, 10.0


def note(number, top, height, page=0, block=0):
    return Wanted(number, page, top, height, block)


def test_a_note_with_room_sits_level_with_its_call():
    placed = stack([note(1, 300, 120)], TOP, BOTTOM, GAP)
    assert placed[0].top == 300


def test_notes_that_would_overlap_are_pushed_down_with_a_gap():
    placed = stack([note(1, 300, 120), note(2, 310, 50)], TOP, BOTTOM, GAP)
    assert placed[1].top == placed[0].bottom + GAP


def test_a_stack_running_off_the_page_moves_up_keeping_order_and_gaps():
    placed = stack([note(1, 700, 200), note(2, 720, 200)], TOP, BOTTOM, GAP)
    assert placed[1].bottom == BOTTOM
    assert placed[0].bottom + GAP == placed[1].top
    assert placed[0].top < 700  # moved up from its call, as little as needed


def test_notes_that_cannot_fit_report_which_must_leave():
    notes = [note(1, 150, 400), note(2, 200, 400), note(3, 250, 400)]
    placed, overflows = place(notes, TOP, BOTTOM, GAP)
    assert overflows and overflows[0].page == 0
    assert [n.number for n in overflows[0].left_out] == [3]
    assert 3 not in placed


def test_pages_are_placed_independently():
    placed, overflows = place([note(1, 900, 200, page=0), note(2, 120, 50, page=1)], TOP, BOTTOM, GAP)
    assert not overflows
    assert placed[1].bottom <= BOTTOM and placed[2].top == 120
