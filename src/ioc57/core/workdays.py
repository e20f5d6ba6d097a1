"""The Vietnamese working-day calendar: Monday to Friday, less public holidays (package ``holidays``).

Deadlines of administrative procedures count working days: a dossier suspended for 3 working days
waiting on the applicant is due 3 working days later.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("VN", years=[year]).keys())


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_working_days(start: date | datetime, days: int) -> date | datetime:
    """``start`` moved forward by ``days`` working days (the time of day is kept)."""
    current = start
    step = 0
    while step < days:
        current = current + timedelta(days=1)
        day = current.date() if isinstance(current, datetime) else current
        if is_working_day(day):
            step += 1
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end`` <= ``start``)."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count
