"""The Vietnamese working-day calendar of state offices.

A working day is a weekday (Monday to Friday) that is not a public holiday of the Labour Code
(package ``holidays``, lunar New Year and days off in lieu included), changed by the government's
yearly announcements: extra days off, and compensatory working days, usually Saturdays. Those
are listed in ``workdays.toml`` beside this module with the document that announced each; a
province adds or corrects days in a file of the same form named by ``IOC57_WORKDAYS_FILE``,
which wins date by date. A listed date is off or worked whatever its weekday or holidays say.

Deadlines of administrative procedures count working days: a dossier suspended for 3 working days
waiting on the applicant is due 3 working days later.

Counting costs the same for a span of a week or of a century. The rank of a day, the working days
up to it, is its weekdays, from arithmetic on day ordinals (day 1, 0001-01-01, is a Monday), less
the weekdays that are off, plus the weekend days that are worked, both counted by bisection in
sorted lists of the years concerned, built once per process and year.
"""

from __future__ import annotations

import threading
import tomllib
from bisect import bisect_right
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import holidays

from ioc57.core.settings import read_settings

SHIPPED = Path(__file__).with_name("workdays.toml")
KINDS = {"days_off": False, "working_days": True}  # a list of the file -> worked or not


class WorkdaysFileError(ValueError):
    """A calendar file that cannot be read as one."""


@lru_cache(maxsize=256)
def _holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("VN", years=[year]).keys())


def read_days(path: Path) -> dict[date, bool]:
    """The dates of a calendar file, each with whether it is worked."""
    try:
        with path.open("rb") as file:
            years = tomllib.load(file)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise WorkdaysFileError(f"{path}: {exc}") from exc
    days: dict[date, bool] = {}
    for year, announcements in years.items():
        if not year.isdigit() or not isinstance(announcements, list):
            raise WorkdaysFileError(f"{path}: [[{year}]] is not a year's list of announcements")
        for announcement in announcements:
            _read_announcement(path, year, announcement, days)
    return days


def _read_announcement(path: Path, year: str, announcement: Any, days: dict[date, bool]) -> None:
    where = f"{path}: an announcement of {year}"
    unknown = set(announcement) - set(KINDS) - {"source"}
    if unknown:
        raise WorkdaysFileError(f"{where} has unknown keys {sorted(unknown)}")
    if not isinstance(announcement.get("source"), str) or not announcement["source"].strip():
        raise WorkdaysFileError(f"{where} names no source")
    for kind, worked in KINDS.items():
        for day in announcement.get(kind, []):
            if not isinstance(day, date) or isinstance(day, datetime):
                raise WorkdaysFileError(f"{where}: {day!r} in {kind} is not a date (2026-01-02)")
            if days.get(day, worked) != worked:
                raise WorkdaysFileError(f"{where}: {day} is both a day off and a working day")
            days[day] = worked


def _weekdays_upto(ordinal: int) -> int:
    """Monday-to-Friday days among the day ordinals 1..``ordinal`` (ordinal 1 is a Monday)."""
    weeks, rest = divmod(ordinal, 7)
    return weeks * 5 + min(rest, 5)


def _nth_weekday(count: int) -> int:
    """The smallest ordinal with ``count`` weekdays up to it (``count`` >= 1)."""
    weeks, rest = divmod(count - 1, 5)
    return weeks * 7 + rest + 1


Day = TypeVar("Day", date, datetime)
Lists = tuple[list[int], list[int]]  # sorted ordinals: the weekdays off, the weekend days worked


class Calendar:
    """Weekdays less public holidays, with the ``listed`` dates worked or not as they say."""

    def __init__(self, listed: Mapping[date, bool]) -> None:
        self.listed = dict(listed)
        self.years: dict[int, list[date]] = {}
        for day in sorted(self.listed):
            self.years.setdefault(day.year, []).append(day)
        self.first = self.last = 0  # the years the lists cover; none while first == 0
        self.lists: Lists = ([], [])
        self.lock = threading.Lock()

    def is_working_day(self, day: date) -> bool:
        worked = self.listed.get(day)
        if worked is not None:
            return worked
        return day.weekday() < 5 and day not in _holidays(day.year)

    def _of(self, year: int) -> Lists:
        # a year's exceptions to "every weekday is worked", as ``is_working_day`` reads them
        listed = self.years.get(year, [])
        off = {d for d in _holidays(year) if d.year == year and d.weekday() < 5}
        off.difference_update(listed)
        off.update(d for d in listed if d.weekday() < 5 and not self.listed[d])
        worked = [d.toordinal() for d in listed if d.weekday() >= 5 and self.listed[d]]
        return sorted(d.toordinal() for d in off), worked

    def cover(self, first: int, last: int) -> Lists:
        """The sorted lists, holding at least every year from ``first`` to ``last``."""
        with self.lock:
            if self.first == 0:
                self.first, self.last = first, first - 1
            if first < self.first or last > self.last:
                parts = [self._of(y) for y in range(first, self.first)] + [self.lists]
                parts += [self._of(y) for y in range(self.last + 1, last + 1)]
                # new lists, so that a reader holding the old ones never sees them change
                self.lists = ([o for p in parts for o in p[0]], [o for p in parts for o in p[1]])
                self.first, self.last = min(first, self.first), max(last, self.last)
            return self.lists

    def _lists(self, low: int, high: int) -> Lists:
        """The lists covering the ordinals ``low`` to ``high``."""
        return self.cover(date.fromordinal(max(low, 1)).year, date.fromordinal(high).year)

    @staticmethod
    def _rank(ordinal: int, lists: Lists) -> int:
        """Working days among the ordinals 1..``ordinal`` (``lists`` covering it)."""
        off, worked = lists
        return _weekdays_upto(ordinal) - bisect_right(off, ordinal) + bisect_right(worked, ordinal)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 when ``end`` <= ``start``)."""
        low, high = start.toordinal(), end.toordinal()
        if high <= low:
            return 0
        lists = self._lists(low, high)
        return self._rank(high, lists) - self._rank(low, lists)

    def add_working_days(self, start: Day, days: int) -> Day:
        """``start`` moved forward by ``days`` working days (the time of day is kept)."""
        if days <= 0:
            return start
        origin = (start.date() if isinstance(start, datetime) else start).toordinal()
        # the day sought is the first whose rank reaches ``goal``. From ``low`` (ranked below it)
        # step over as many weekdays as working days are missing, as if every weekday were worked;
        # a day off among them leaves some missing, a weekend day worked can overshoot
        lists = self._lists(origin, origin)
        goal = self._rank(origin, lists) + days
        low, missing = origin, days
        while True:
            high = _nth_weekday(_weekdays_upto(low) + missing)
            lists = self._lists(origin, high)
            missing = goal - self._rank(high, lists)
            if missing <= 0:
                break
            low = high
        if self._rank(high - 1, lists) >= goal:
            # the first day ranked ``goal`` lies in (low, high]: bisect for it
            while high - low > 1:
                middle = (low + high) // 2
                if self._rank(middle, lists) >= goal:
                    high = middle
                else:
                    low = middle
        return start + timedelta(days=high - origin)


_lock = threading.Lock()
_calendar: Calendar | None = None


def load_calendar(path: Path | None = None) -> Calendar:
    """The calendar of the shipped announcements, with those of the file at ``path`` over them."""
    listed = read_days(SHIPPED)
    if path is not None:
        listed.update(read_days(path))
    return Calendar(listed)


def calendar() -> Calendar:
    """The process's calendar, read once: the shipped file and the setting ``workdays_file``."""
    global _calendar
    if _calendar is None:
        with _lock:
            if _calendar is None:
                _calendar = load_calendar(read_settings().workdays_file)
    return _calendar


def is_working_day(day: date) -> bool:
    return calendar().is_working_day(day)


def add_working_days(start: Day, days: int) -> Day:
    """``start`` moved forward by ``days`` working days (the time of day is kept)."""
    return calendar().add_working_days(start, days)


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end`` <= ``start``)."""
    return calendar().working_days_between(start, end)
