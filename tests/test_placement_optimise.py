"""The page optimiser on made-up measurements (no rendering, milliseconds)."""
from __future__ import annotations

import statistics

from glossator.placement.optimise import Area, NoteBox, may_start_page, paginate
from glossator.placement.paginate import Unit

LINE = 14.0
AREA = Area(top=0.0, bottom=LINE * 40, gap=7.0, foot_rule=12.0, line=LINE)  # 40 lines a page


def paragraphs(*lengths: int, clean=lambda block, line: True) -> list[Unit]:
    """Paragraphs of the given numbers of lines, one after another."""
    units = []
    for b, length in enumerate(lengths):
        for i in range(length):
            units.append(Unit(f"p{b + 1}", i, 0, 0.0, LINE, 0.0, i == 0, clean(b, i)))
    return units


def note(number, unit, margin=60.0, foot=40.0) -> NoteBox:
    return NoteBox(number, unit, 0.0, margin, foot)


def spots(pages):
    return {spot.number: (spot, page) for page in pages for spot in page.spots}


def test_without_notes_every_page_but_the_last_is_full():
    pages = paginate(paragraphs(*[12] * 10), [], AREA)
    assert [p.fill for p in pages[:-1]] == [1.0] * (len(pages) - 1)
    assert len(pages) == 3  # 120 lines, 40 a page


def test_notes_the_margin_cannot_hold_go_to_the_foot_and_the_page_stays_full():
    units = paragraphs(*[10] * 8)
    # Eight tall notes called from page 1's lines: the margin holds two of them.
    notes = [note(n, 2 + 4 * n, margin=230.0, foot=60.0) for n in range(8)]
    pages = paginate(units, notes, AREA)
    placed = spots(pages)
    assert all(spot.page == 0 or page.start <= notes[n].unit < page.end for n, (spot, page) in placed.items())
    assert {spot.where for spot, _ in placed.values()} == {"margin", "foot"}
    assert pages[0].fill >= 0.9
    for spot, page in placed.values():
        units_on_page = range(page.start, page.end)
        assert notes[spot.number].unit in units_on_page  # every note on its call's page


def test_a_foot_note_sits_below_the_text_and_above_the_page_bottom():
    units = paragraphs(*[10] * 8)
    notes = [note(n, 2 + 4 * n, margin=230.0, foot=60.0) for n in range(8)]
    for page in paginate(units, notes, AREA):
        text_bottom = sum(units[i].height for i in range(page.start, page.end))
        for spot in page.spots:
            assert spot.top + spot.height <= AREA.bottom + 0.5
            if spot.where == "foot":
                assert spot.top - AREA.foot_rule >= text_bottom - 0.5


def test_margin_notes_stay_level_with_their_call_when_there_is_room():
    units = paragraphs(20, 20)
    pages = paginate(units, [note(1, 5), note(2, 30)], AREA)
    placed = spots(pages)
    assert placed[1][0].top == 5 * LINE and placed[1][0].where == "margin"
    assert placed[2][0].top == 30 * LINE


def test_pages_never_leave_an_orphan_or_a_widow_nor_split_a_hyphenated_word():
    hyphenated = {(1, 8), (1, 9), (1, 10)}
    units = paragraphs(38, 30, 30, clean=lambda b, i: (b, i) not in hyphenated)
    pages = paginate(units, [], AREA)
    for page in pages[1:]:
        first = units[page.start]
        assert first.line in (0, None) or (first.line >= 2 and first.clean)
        after = [u for u in units[page.start:] if u.block == first.block]
        assert first.line == 0 or len(after) >= 2


def test_a_heading_is_never_the_last_thing_on_a_page():
    units = paragraphs(39)
    units.append(Unit("section-2", None, 0, 0.0, LINE, 0.0, True))
    units += [Unit("p3", i, 0, 0.0, LINE, 0.0, i == 0) for i in range(10)]
    assert not may_start_page(units, 40)
    pages = paginate(units, [], AREA)
    assert all(units[p.end - 1].block != "section-2" for p in pages[:-1])


def test_a_dense_article_fills_its_pages_and_keeps_most_notes_in_the_margin():
    units = paragraphs(*[9] * 30)  # 270 lines
    notes = [note(n, 3 + 9 * n, margin=110.0 + 40 * (n % 3), foot=55.0) for n in range(30)]
    pages = paginate(units, notes, AREA)
    fills = [p.fill for p in pages[:-1]]
    assert min(fills) >= 0.8 and statistics.median(fills) >= 0.9
    placed = spots(pages)
    assert sum(spot.where == "margin" for spot, _ in placed.values()) >= 0.6 * len(notes)


def test_a_note_no_page_can_hold_makes_the_article_infeasible():
    units = paragraphs(20)
    assert paginate(units, [note(1, 3, margin=AREA.height + 50, foot=AREA.height)], AREA) is None
