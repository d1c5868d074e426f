"""What a Renderer keeps between builds (reuse.py), and the helpers the rebuild tests share.
The rebuilds themselves, each edit against a cold build's bytes, are in test_pages.py."""
from __future__ import annotations

import yaml

from glossator.reuse import Reuse


def edit_yaml(path, change) -> None:
    items = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(items)
    path.write_text(yaml.safe_dump(items, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8")


def outputs(folder) -> dict:
    return {p.suffix: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def test_a_layout_is_reused_only_for_the_same_html_and_only_the_last_is_kept():
    reuse, made = Reuse(), []
    make = lambda html: made.append(html) or f"laid out {html}"
    assert reuse.layout("body", "<p>a</p>", make) == "laid out <p>a</p>"
    assert reuse.layout("body", "<p>a</p>", make) == "laid out <p>a</p>"
    assert reuse.layout("text", "<p>a</p>", make) == "laid out <p>a</p>"  # another role, its own entry
    assert reuse.layout("body", "<p>b</p>", make) == "laid out <p>b</p>"
    assert made == ["<p>a</p>", "<p>a</p>", "<p>b</p>"]
    assert reuse.counts() == (3, 1)
    assert reuse.counts() == (0, 0)
    assert reuse.layouts["body"][0] == "<p>b</p>"


def test_note_heights_are_measured_once_per_sheet_and_forgotten_when_unused():
    reuse, asked = Reuse(), []

    def measure(numbers):
        asked.append(numbers)
        return {n: 10.0 * n for n in numbers}

    assert reuse.note_heights({1: "<one>", 2: "<two>"}, measure) == {1: 10.0, 2: 20.0}
    assert reuse.note_heights({1: "<one>", 2: "<two, edited>"}, measure) == {1: 10.0, 2: 20.0}
    assert asked == [[1, 2], [2]]  # one sheet each time, with only the notes that changed
    assert set(reuse.heights) == {"<one>", "<two, edited>"}
    assert reuse.counts() == (2, 0)


def test_lines_broken_are_kept_with_the_layouts_that_broke_them_and_forgotten_with_them():
    """reuse.lines (measure.lines_kept's memo) keeps the lines each kept layout looked up, and
    those looked up outside a layout kept (a sheet's), and no others, after each build."""
    reuse = Reuse()

    def laying_out(*keys):
        def make(html):
            for key in keys:  # as lines_kept does while the layout is made
                reuse.lines.setdefault(key, f"line {key}")
                reuse.lines_used.add(key)
            return html
        return make

    reuse.layout("body-1", "<p>a</p>", laying_out("a1", "a2"))
    reuse.layout("body-2", "<p>b</p>", laying_out("b1"))
    laying_out("sheet")(None)  # a note's sheet: laid out outside reuse.layout
    reuse.forget_unused()
    assert set(reuse.lines) == {"a1", "a2", "b1", "sheet"}

    reuse.layout("body-1", "<p>a</p>", laying_out())  # kept: its lines stay, though not looked up again
    reuse.layout("body-2", "<p>b, edited</p>", laying_out("b2"))  # laid out again: b1 is no longer used
    reuse.forget_unused()
    assert set(reuse.lines) == {"a1", "a2", "b2"}

    reuse.layout("body-1", "<p>a</p>", laying_out())  # body-2 gone (the body is one page shorter)
    reuse.forget_unused()
    assert set(reuse.lines) == {"a1", "a2"}
