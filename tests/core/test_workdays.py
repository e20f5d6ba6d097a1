"""Working days are counted by arithmetic and bisection, with the results of a day-by-day walk."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from ioc57.core.workdays import add_working_days, working_days_between

from ..support.workdays import walk_add, walk_between

days_ = st.dates(min_value=date(1985, 1, 1), max_value=date(2110, 12, 31))


@settings(max_examples=300, deadline=None)
@given(start=days_, span=st.integers(min_value=-30, max_value=3000))
def test_working_days_between_counts_as_the_walk(start, span):
    end = start + timedelta(days=span)
    assert working_days_between(start, end) == walk_between(start, end)


@settings(max_examples=300, deadline=None)
@given(start=days_, days=st.integers(min_value=-3, max_value=2000))
def test_add_working_days_lands_where_the_walk_does(start, days):
    assert add_working_days(start, days) == walk_add(start, days)


@settings(max_examples=100, deadline=None)
@given(
    start=st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2090, 1, 1)),
    days=st.integers(min_value=0, max_value=400),
)
def test_a_time_keeps_its_time_of_day(start, days):
    start = start.replace(tzinfo=UTC)
    assert add_working_days(start, days) == walk_add(start, days)


def test_around_tet_and_national_day():
    # Tết 2025: 25 January to 2 February off; 2 September 2025 (a Tuesday) and 1 September off
    assert add_working_days(date(2025, 1, 24), 1) == date(2025, 2, 3)
    assert working_days_between(date(2025, 8, 29), date(2025, 9, 3)) == 1


def test_a_century_costs_no_more_than_a_week():
    working_days_between(date(1990, 1, 1), date(2100, 1, 1))  # the holidays of those years, once
    began = time.process_time()
    for _ in range(1000):
        assert working_days_between(date(1990, 1, 1), date(2100, 1, 1)) > 27_000
        add_working_days(date(1990, 1, 1), 10_000)
    assert time.process_time() - began < 0.5
