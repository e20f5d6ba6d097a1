"""A task's status at its boundaries: the deadline day, a deadline on a day off, a late or
unconfirmed completion, an extended deadline, a period's first and last day (no app needed)."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from ioc57.tasks.status import (
    DONE,
    STATUSES,
    TaskState,
    effective_deadline,
    status_of,
)

FRIDAY = date(2026, 6, 19)


def due(deadline, **changes):
    return TaskState(deadline=deadline, recurrence=None, **changes)


def done(deadline, completed_on, **changes):
    return due(deadline, completed_on=completed_on, confirmed=True, **changes)


def test_the_deadline_day_itself_is_within_the_deadline():
    assert status_of(due(FRIDAY), FRIDAY) == "within_deadline"
    assert status_of(due(FRIDAY), FRIDAY + timedelta(days=3)) == "overdue"  # the Monday after
    assert status_of(done(FRIDAY, FRIDAY), FRIDAY + timedelta(days=30)) == "completed_on_time"


def test_a_deadline_on_a_weekend_ends_on_the_next_working_day():
    saturday = FRIDAY + timedelta(days=1)
    monday = FRIDAY + timedelta(days=3)
    assert effective_deadline(saturday) == monday
    assert status_of(due(saturday), monday) == "within_deadline"
    assert status_of(due(saturday), monday + timedelta(days=1)) == "overdue"
    assert status_of(done(saturday, monday), monday) == "completed_on_time"
    assert status_of(done(saturday, monday + timedelta(days=1)), monday) == "completed_late"


def test_a_deadline_on_national_day_ends_after_the_holidays():
    # 2/9/2026 is a Wednesday; 31/8 to 2/9 are off (holidays and the day in lieu), 3/9 is worked
    national_day, thursday = date(2026, 9, 2), date(2026, 9, 3)
    assert effective_deadline(national_day) == thursday
    assert status_of(due(national_day), thursday) == "within_deadline"
    assert status_of(due(national_day), date(2026, 9, 4)) == "overdue"
    # a Saturday before the long weekend ends on the same Thursday
    assert effective_deadline(date(2026, 8, 29)) == thursday
    # a Saturday the government asked to be worked is a working day: the deadline stays on it
    assert effective_deadline(date(2026, 1, 10)) == date(2026, 1, 10)


def test_a_completion_after_the_deadline_is_late():
    assert status_of(done(FRIDAY, FRIDAY + timedelta(days=3)), FRIDAY) == "completed_late"


def test_an_extended_deadline_is_the_one_in_force():
    extended = date(2026, 7, 31)
    between = date(2026, 7, 15)
    assert status_of(done(FRIDAY, between, extended_deadline=extended), between) == (
        "completed_on_time"
    )
    assert status_of(done(FRIDAY, extended, extended_deadline=extended), extended) == (
        "completed_on_time"
    )
    late = done(FRIDAY, extended + timedelta(days=3), extended_deadline=extended)
    assert status_of(late, extended) == "completed_late"
    assert status_of(due(FRIDAY, extended_deadline=extended), between) == "within_deadline"
    assert status_of(due(FRIDAY, extended_deadline=extended), date(2026, 8, 3)) == "overdue"


def test_a_completion_no_leader_confirmed_is_not_done_yet():
    claimed = due(FRIDAY, completed_on=FRIDAY - timedelta(days=5))
    assert status_of(claimed, FRIDAY) == "within_deadline"
    assert status_of(claimed, FRIDAY + timedelta(days=3)) == "overdue"


def recurring(recurrence, last_period):
    return TaskState(deadline=None, recurrence=recurrence, last_period=last_period)


def test_a_recurring_task_is_reported_for_the_period_that_holds_today():
    cases = [
        # recurrence, the period's first and last day, its code, the period before
        ("monthly", date(2026, 2, 1), date(2026, 2, 28), "202602", "202601"),
        ("quarterly", date(2026, 4, 1), date(2026, 6, 30), "2026Q2", "2026Q1"),
        ("half-yearly", date(2026, 7, 1), date(2026, 12, 31), "2026S2", "2026S1"),
        ("yearly", date(2026, 1, 1), date(2026, 12, 31), "2026", "2025"),
        ("ongoing", date(2026, 10, 1), date(2026, 12, 31), "2026Q4", "2026Q3"),
    ]
    for recurrence, first, last, code, before in cases:
        for day in (first, last):
            assert status_of(recurring(recurrence, code), day) == "reported", (recurrence, day)
            assert status_of(recurring(recurrence, before), day) == "not_reported"
            assert status_of(recurring(recurrence, None), day) == "not_reported"
        # the day after the period, its report no longer counts
        after = last + timedelta(days=1)
        assert status_of(recurring(recurrence, code), after) == "not_reported", recurrence


days = st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31))


@settings(max_examples=30, deadline=None)
@given(deadline=days, extended=st.none() | days, completed=days, today=days)
def test_a_completion_on_or_before_the_deadline_in_force_is_never_late(
    deadline, extended, completed, today
):
    extended = extended if extended is None or extended > deadline else None
    last_day = effective_deadline(extended or deadline)
    status = status_of(done(deadline, completed, extended_deadline=extended), today)
    assert status in DONE and status in STATUSES
    assert (status == "completed_on_time") == (completed <= last_day)
