"""The reference for working-day counts: a walk one day at a time."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from ioc57.core.workdays import is_working_day


def walk_add(start, days, is_working=is_working_day):
    """Step one day at a time until ``days`` working days are passed."""
    current, step = start, 0
    while step < days:
        current = current + timedelta(days=1)
        day = current.date() if isinstance(current, datetime) else current
        if is_working(day):
            step += 1
    return current


def walk_between(start: date, end: date, is_working=is_working_day) -> int:
    """Working days after ``start`` up to and including ``end``, one day at a time."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if is_working(day):
            count += 1
    return count
