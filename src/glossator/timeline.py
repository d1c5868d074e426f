"""The chronology's timeline: every event drawn to scale on one axis, so the eye sees the gaps.

Pure arithmetic: events in, positions (pt) out; templates/timeline.svg.j2 draws them.
Events too close to share a row are stacked in rows above the axis. The scale leaves
room at both ends for half a year label, so that a label centred on the first or the
last tick stays inside the figure (and on the page).
"""
from __future__ import annotations

from dataclasses import dataclass

from .textwidth import SANS, advance_width
from .model import ComposedEvent

DOT = 2.4  # radius, pt
ROW = 5.6  # height of one row of dots, pt
TICK_STEPS = (5, 10, 25, 50, 100, 250, 500, 1000)  # years between ticks: the first whose labels do not touch
BUSIEST_SPAN = 5  # years: the window the figure's description names as the busiest
TICK_GAP = 6.0  # pt, the least space between two year labels
LABEL_SIZE = 7.0  # pt, the year labels under the axis (set in Glossator Sans)


@dataclass(frozen=True)
class Mark:
    x: float
    end_x: float | None  # for spans
    row: int
    label: str  # for the SVG's <title>: date and what happened


@dataclass(frozen=True)
class Timeline:
    width: float
    height: float
    axis_y: float
    marks: tuple[Mark, ...]
    ticks: tuple[tuple[float, int], ...]  # (x, year), each year's label centred on its x
    label_size: float = LABEL_SIZE
    alt: str = ""  # what the figure shows, for screen readers (the tagged PDF's Figure, aria-label)


def build_timeline(events: tuple[ComposedEvent, ...], width: float, plain_labels: dict,
                   lang: str = "en") -> Timeline | None:
    """plain_labels: event id -> text for the mark's tooltip; lang: how its date is written."""
    if not events:
        return None
    first = min(e.date.year for e in events)
    last = max((e.end or e.date).year for e in events) + 1
    widest = label_width(last)  # four figures: as wide as any year's
    inset = max(DOT, widest / 2)
    scale = (width - 2 * inset) / (last - first)
    step = next((s for s in TICK_STEPS if s * scale >= widest + TICK_GAP), TICK_STEPS[-1])
    years = range(_round_up(first, step), last + 1, step)
    if len(years) == 0:  # no multiple of the step falls in a short span (1941-12-07 to 12-11): every year
        years = range(first, last + 1)

    def x_of(date) -> float:
        return inset + (date.fraction() - first) * scale

    rows_end: list[float] = []  # right edge of the last mark in each row
    marks = []
    for event in events:
        x = x_of(event.date)
        end_x = x_of(event.end) if event.end else None
        right = (end_x or x) + DOT
        row = next((i for i, edge in enumerate(rows_end) if x - DOT > edge + 0.8), len(rows_end))
        if row == len(rows_end):
            rows_end.append(right)
        rows_end[row] = right
        marks.append(Mark(x, end_x, row, f"{event.date.display(lang)}: {plain_labels.get(event.id, '')}"))
    axis_y = len(rows_end) * ROW + DOT
    ticks = tuple((inset + (y - first) * scale, y) for y in years)
    return Timeline(width, axis_y + 14, axis_y, tuple(marks), ticks, alt=describe(events))


def describe(events: tuple[ComposedEvent, ...]) -> str:
    """'Timeline of 37 events from 1979 to 2020, drawn to scale; the busiest years are
    2019 to 2020, with 12 events. Each event is listed below.'"""
    years = sorted(e.date.year for e in events)
    first, last = years[0], max((e.end or e.date).year for e in events)
    count = f"{len(events)} event{'s' * (len(events) != 1)}"
    if first == last:
        return f"Timeline of {count} in {first}. Each event is listed below."
    start = max(years, key=lambda y: sum(y <= z < y + BUSIEST_SPAN for z in years))
    busiest = sum(start <= z < start + BUSIEST_SPAN for z in years)
    end = max(z for z in years if z < start + BUSIEST_SPAN)
    return (f"Timeline of {count} from {first} to {last}, drawn to scale; the busiest years are "
            f"{start} to {end}, with {busiest} events. Each event is listed below.")


def label_width(year: int) -> float:
    return advance_width(SANS, LABEL_SIZE)(str(year))


def _round_up(year: int, step: int) -> int:
    return year + (-year) % step
