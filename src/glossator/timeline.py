"""The chronology's timeline: every event drawn to scale on one axis, so the eye sees the gaps.

Pure arithmetic: events in, positions (pt) out; templates/timeline.svg.j2 draws them.
Events too close to share a row are stacked in rows above the axis. The scale leaves
room at both ends for half a tick's label, so that a label centred on the first or the
last tick stays inside the figure (and on the page).

The axis counts years; a chronology whose dates all give their month, and that spans
no more than MONTHS_AT_MOST months, is drawn on a scale of months ("Jan 2020", "Apr",
..., each January with its year), and one whose dates all give their day, spanning no
more than DAYS_AT_MOST days, on a scale of days ("Jan 3" or "3 Jan", as the edition's
language writes it), each label under its day's middle.
"""
from __future__ import annotations

import calendar
import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from .textwidth import SANS, advance_width
from .model import ComposedEvent, PartialDate

DOT = 2.4  # radius, pt
ROW = 5.6  # height of one row of dots, pt
TICK_STEPS = (5, 10, 25, 50, 100, 250, 500, 1000)  # years between ticks: the first whose labels do not touch
BUSIEST_SPAN = 5  # years: the window the figure's description names as the busiest
TICK_GAP = 6.0  # pt, the least space between two year labels
LABEL_SIZE = 7.0  # pt, the year labels under the axis (set in Glossator Sans)
MONTHS_AT_MOST = 36  # a chronology within three years is drawn on a scale of months
MONTH_STEPS = (1, 2, 3, 6, 12)  # months between ticks, counted from January
DAYS_AT_MOST = 62  # one within two months, on a scale of days
DAY_STEPS = (1, 2, 7, 14)  # days between ticks, counted from the first


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
    ticks: tuple[tuple[float, str], ...]  # (x, label), each label centred on its x
    label_size: float = LABEL_SIZE
    alt: str = ""  # what the figure shows, for screen readers (the tagged PDF's Figure, aria-label)


class Axis(NamedTuple):
    """Where a date falls on the axis (pt from the figure's left), and the labelled ticks."""
    x_of: Callable[[PartialDate], float]
    ticks: tuple[tuple[float, str], ...]


def build_timeline(events: tuple[ComposedEvent, ...], width: float, plain_labels: dict,
                   lang: str = "en") -> Timeline | None:
    """plain_labels: event id -> text for the mark's tooltip; lang: how its date is written."""
    if not events:
        return None
    axis = axis_for(events, width, lang)
    rows_end: list[float] = []  # right edge of the last mark in each row
    marks = []
    for event in events:
        x = axis.x_of(event.date)
        end_x = axis.x_of(event.end) if event.end else None
        right = (end_x or x) + DOT
        row = next((i for i, edge in enumerate(rows_end) if x - DOT > edge + 0.8), len(rows_end))
        if row == len(rows_end):
            rows_end.append(right)
        rows_end[row] = right
        marks.append(Mark(x, end_x, row, f"{event.date.display(lang)}: {plain_labels.get(event.id, '')}"))
    axis_y = len(rows_end) * ROW + DOT
    return Timeline(width, axis_y + 14, axis_y, tuple(marks), axis.ticks, alt=describe(events))


def axis_for(events: tuple[ComposedEvent, ...], width: float, lang: str) -> Axis:
    """The scale of days, months or years the chronology's span calls for (see the top)."""
    dates = [d for e in events for d in (e.date, e.end) if d is not None]
    if all(d.month for d in dates) and max(d.year for d in dates) < 9999:  # the calendar ends with 9999
        start, stop = min(first_day(d) for d in dates), max(first_day(d) + length(d) for d in dates)
        if stop - start <= DAYS_AT_MOST and all(d.day for d in dates):
            return day_axis(start, stop, width, lang)
        first, last = month_number(start), month_number(stop - 1) + 1
        if last - first <= MONTHS_AT_MOST:
            return month_axis(first, last, width, lang)
    return year_axis(events, width)


def year_axis(events: tuple[ComposedEvent, ...], width: float) -> Axis:
    first = min(e.date.year for e in events)
    last = max((e.end or e.date).year for e in events) + 1
    widest = label_width(last)  # four figures: as wide as any year's
    inset = max(DOT, widest / 2)
    scale = (width - 2 * inset) / (last - first)
    step = next((s for s in TICK_STEPS if s * scale >= widest + TICK_GAP), TICK_STEPS[-1])
    years = range(_round_up(first, step), last + 1, step)
    if len(years) == 0:  # no multiple of the step falls in a short span (1940 to 1942): every year
        years = range(first, last + 1)
    return Axis(lambda date: inset + (date.fraction() - first) * scale,
                tuple((inset + (y - first) * scale, str(y)) for y in years))


def month_axis(first: int, last: int, width: float, lang: str) -> Axis:
    """Months first..last (numbered from year 0's January; last is the month after the
    chronology's), a tick at the first day of every step'th month from January, the
    year said at January and at the first tick."""
    def ticks(step: int) -> list[tuple[int, str]]:
        months = list(range(_round_up(first, step), last + 1, step)) or list(range(first, last + 1))
        return [(first_day(month_date(m)), month_date(m).abbreviated(lang, year=m == months[0] or m % 12 == 0))
                for m in months]

    widest = max(label_width(month_date(m).abbreviated(lang)) for m in range(first, last + 1))
    start, stop = first_day(month_date(first)), first_day(month_date(last))
    return fine_axis(start, stop, width, widest, ticks, MONTH_STEPS, 28)


def day_axis(start: int, stop: int, width: float, lang: str) -> Axis:
    """Days start..stop-1 (ordinals), a tick under the middle of every step'th day from the first."""
    def ticks(step: int) -> list[tuple[float, str]]:
        return [(day + 0.5, as_date(day).abbreviated(lang)) for day in range(start, stop, step)]

    widest = max(label_width(label) for _, label in ticks(1))
    return fine_axis(start, stop, width, widest, ticks, DAY_STEPS, 1)


def fine_axis(start: int, stop: int, width: float, widest: float, ticks, steps: tuple[int, ...],
              days: int) -> Axis:
    """An axis over days start..stop (ordinals), with the ticks `ticks(step)` gives ((day,
    label) each) for the first step whose labels do not touch; a step is `days` days at least."""
    inset = max(DOT, widest / 2)
    scale = (width - 2 * inset) / (stop - start)
    step = next((s for s in steps if s * days * scale >= widest + TICK_GAP), steps[-1])
    return Axis(lambda date: inset + (middle(date) - start) * scale,
                tuple((inset + (day - start) * scale, label) for day, label in ticks(step)))


def first_day(date: PartialDate) -> int:
    """The ordinal of the first day a date covers (its day, month's first or year's first)."""
    return datetime.date(date.year, date.month or 1, date.day or 1).toordinal()


def length(date: PartialDate) -> int:
    """How many days a date covers."""
    if date.day:
        return 1
    if date.month:
        return calendar.monthrange(date.year, date.month)[1]
    return 366 if calendar.isleap(date.year) else 365


def middle(date: PartialDate) -> float:
    """Where a date is drawn on a scale of days or months: its day's, month's or year's middle."""
    return first_day(date) + length(date) / 2


def month_number(day: int) -> int:
    date = datetime.date.fromordinal(day)
    return date.year * 12 + date.month - 1


def month_date(number: int) -> PartialDate:
    return PartialDate(number // 12, number % 12 + 1)


def as_date(day: int) -> PartialDate:
    date = datetime.date.fromordinal(day)
    return PartialDate(date.year, date.month, date.day)


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


def label_width(label: int | str) -> float:
    return advance_width(SANS, LABEL_SIZE)(str(label))


def _round_up(year: int, step: int) -> int:
    return year + (-year) % step
