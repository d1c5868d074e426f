"""The glossary's column and page breaks (glossator.columns), from entry heights alone:
no WeasyPrint, milliseconds. That they are the breaks WeasyPrint itself would make is
checked against its layouts in test_glossary_columns.py."""
from __future__ import annotations

import random

from glossator.columns import column_starts, places, set_columns


def entries(pages) -> list[int]:
    return [i for page in pages for column in page for i in column]


def column_height(heights, space, column) -> float:
    return sum(heights[i] for i in column) + space * (len(column) - 1)


def test_a_short_glossary_is_one_page_of_two_balanced_columns():
    # WeasyPrint's steps: all five in one column (58), so 29 each; at 29 a column holds
    # two (with its last margin: 24), 7 short of a third; at 36 the first holds three.
    assert set_columns([10] * 5, 2, first=500, full=600) == [[range(0, 3), range(3, 5)]]
    assert set_columns([10] * 4, 2, first=500, full=600) == [[range(0, 2), range(2, 4)]]


def test_a_long_entry_first_is_balanced_against_the_short_ones_after_it():
    assert set_columns([50, 10, 10, 10, 10, 10], 2, first=500, full=600) == [[range(0, 1), range(1, 6)]]


def test_full_pages_fill_each_column_and_the_last_page_is_balanced():
    heights = [30] * 25  # a column of 100 holds three (30 + 2 + 30 + 2 + 30, and its last margin)
    pages = set_columns(heights, 2, first=70, full=100)
    assert pages[0] == [range(0, 2), range(2, 4)]  # the first page: below the heading, two a column
    assert pages[1] == [range(4, 7), range(7, 10)]
    assert pages[-1] == [range(22, 24), range(24, 25)]  # the three left over, balanced
    assert entries(pages) == list(range(25))


def test_an_entry_fits_only_with_its_bottom_margin():
    # 48 + 2 + 48 = 98, and its margin makes 100: it fits a column of 100, not of 99.9.
    assert set_columns([48] * 4, 2, first=100, full=100) == [[range(0, 2), range(2, 4)]]
    assert set_columns([48] * 4, 2, first=99.9, full=99.9)[0] == [range(0, 1), range(1, 2)]


def test_every_entry_once_in_order_never_split_and_no_column_overfull():
    rng = random.Random(7)
    for _ in range(300):
        heights = [rng.choice([16.7, 33.3, 50.0, 66.7, 83.3, 100.0]) * rng.choice([1, 1, 2]) for _ in range(rng.randint(1, 60))]
        space, first, full = 9.3, rng.uniform(220, 600), 700.0
        pages = set_columns(heights, space, first, full)
        assert entries(pages) == list(range(len(heights)))
        for p, page in enumerate(pages):
            assert 1 <= len(page) <= 2 and all(column for column in page)
            room = first if p == 0 else full
            assert all(column_height(heights, space, column) + space <= room + 1e-6 for column in page)
        for p, page in enumerate(pages[:-1]):  # a full page: the next entry would not have fit its last column
            room = first if p == 0 else full
            assert column_height(heights, space, range(page[-1].start, page[-1].stop + 1)) + space > room


def test_an_entry_taller_than_the_first_page_leaves_is_left_to_weasyprint():
    assert set_columns([10, 300, 10], 2, first=250, full=600) is None
    assert set_columns([], 2, first=250, full=600) is None


def test_three_columns():
    assert set_columns([10] * 6, 2, first=500, full=600, count=3) == [[range(0, 2), range(2, 4), range(4, 6)]]


def test_breaks_go_before_each_column_but_the_first_and_places_follow_the_pages():
    pages = [[range(0, 3), range(3, 5)], [range(5, 6)]]
    assert column_starts(pages) == [3, 5]
    assert places(pages) == [(0, 0)] * 3 + [(0, 1)] * 2 + [(1, 0)]


def test_balancing_grows_by_what_the_next_first_line_lacks():
    # One line, then two (first lines of 10): WeasyPrint grows the columns from 17 by what
    # the second entry's first line lacks, and sets one entry a column; grown by the whole
    # entry, it would have held both in the first.
    assert set_columns([10, 20], 2, first=500, full=600, leads=[10, 10]) == [[range(0, 1), range(1, 2)]]
    assert set_columns([10, 20], 2, first=500, full=600) == [[range(0, 2)]]
