"""The Vietnamese working-day calendar: Monday to Friday, less public holidays (package ``holidays``).

Deadlines of administrative procedures count working days: a dossier suspended for 3 working days
waiting on the applicant is due 3 working days later.

Counting costs the same for a span of a week or of a century: the weekdays of a span come from
arithmetic on day ordinals (day 1, 0001-01-01, is a Monday), and the holidays that fall on them
are counted by bisection in a sorted list of the holidays of the years concerned, built once per
process and year.
"""

from __future__ import annotations

import threading
from bisect import bisect_right
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import TypeVar

import holidays


@lru_cache(maxsize=64)
def _holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("VN", years=[year]).keys())


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def _weekdays_upto(ordinal: int) -> int:
    """Monday-to-Friday days among the day ordinals 1..``ordinal`` (ordinal 1 is a Monday)."""
    weeks, rest = divmod(ordinal, 7)
    return weeks * 5 + min(rest, 5)


def _nth_weekday(count: int) -> int:
    """The smallest ordinal with ``count`` weekdays up to it (``count`` >= 1)."""
    weeks, rest = divmod(count - 1, 5)
    return weeks * 7 + rest + 1


class _Holidays:
    """The ordinals of the holidays that fall on a weekday, sorted, for a growing range of years."""

    def __init__(self) -> None:
        self.first = self.last = 0  # the years covered; none while first == 0
        self.ordinals: list[int] = []
        self.lock = threading.Lock()

    @staticmethod
    def _of(year: int) -> list[int]:
        # a year's holidays as ``is_working_day`` reads them: those of its own list in that year
        return sorted(d.toordinal() for d in _holidays(year) if d.year == year and d.weekday() < 5)

    def cover(self, first: int, last: int) -> list[int]:
        """The sorted list, holding at least every year from ``first`` to ``last``."""
        with self.lock:
            if self.first == 0:
                self.first, self.last = first, first - 1
            before = [o for y in range(first, self.first) for o in self._of(y)]
            after = [o for y in range(self.last + 1, last + 1) for o in self._of(y)]
            if before or after or first < self.first or last > self.last:
                # a new list, so that a reader holding the old one never sees it change
                self.ordinals = before + self.ordinals + after
                self.first, self.last = min(first, self.first), max(last, self.last)
            return self.ordinals

    def between(self, low: int, high: int) -> int:
        """Weekday holidays with ordinals in (``low``, ``high``]."""
        if high <= low:
            return 0
        first, last = date.fromordinal(max(low, 1)).year, date.fromordinal(high).year
        ordinals = self.cover(first, last)
        return bisect_right(ordinals, high) - bisect_right(ordinals, low)


_HOLIDAYS = _Holidays()

Day = TypeVar("Day", date, datetime)


def add_working_days(start: Day, days: int) -> Day:
    """``start`` moved forward by ``days`` working days (the time of day is kept)."""
    if days <= 0:
        return start
    origin = (start.date() if isinstance(start, datetime) else start).toordinal()
    # from ``reached``, ``missing`` working days are still to go: step over that many weekdays,
    # then over as many more as holidays fell among them, until none did
    reached, missing = origin, days
    while True:
        target = _nth_weekday(_weekdays_upto(reached) + missing)
        missing = _HOLIDAYS.between(reached, target)
        reached = target
        if missing == 0:
            return start + timedelta(days=reached - origin)


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end`` <= ``start``)."""
    low, high = start.toordinal(), end.toordinal()
    if high <= low:
        return 0
    weekdays = _weekdays_upto(high) - _weekdays_upto(low)
    return weekdays - _HOLIDAYS.between(low, high)
