"""A report's deadline, counted by hand: the step each status waits on and its last day, across a
weekend and a holiday (National Day 2025: Saturday 30/8 to Tuesday 2/9; Tết 2026: Saturday 14/2
to Sunday 22/2), reopened, publishing after the answer; and when a deadline is near or past.

The environment category: triage 2, answer 15, publish 2 working days."""

from __future__ import annotations

from datetime import date

import pytest

from ioc57.feedback.categories import category
from ioc57.feedback.deadlines import Due, answered_on_time, due, flag

ENVIRONMENT = category("moi-truong")
FRIDAY = date(2025, 8, 29)  # the last working day before National Day's four days off


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        # Wed 3/9, Thu 4/9
        ("received", Due("triage", date(2025, 9, 4))),
        # 3, 4, 5/9 (3); 8–12 (8); 15–19 (13); Mon 22 (14), Tue 23/9 (15)
        ("forwarded", Due("answer", date(2025, 9, 23))),
        ("in_progress", Due("answer", date(2025, 9, 23))),
        ("info_requested", Due("answer", date(2025, 9, 23))),
        ("refused", None),
        ("published", None),
        ("closed", None),
        ("merged", None),
    ],
)
def test_each_status_waits_on_its_step_until_a_day_counted_in_working_days(status, expected):
    assert due(status, ENVIRONMENT, FRIDAY) == expected


def test_an_answer_is_published_within_two_working_days_over_a_weekend():
    answered = date(2025, 9, 26)  # a Friday
    assert due("answered", ENVIRONMENT, FRIDAY, answered) == Due("publish", date(2025, 9, 30))
    assert due("answered", ENVIRONMENT, FRIDAY) is None  # no answer day: nothing to count from


def test_a_reopened_report_is_answered_again_within_fifteen_days_of_its_reopening():
    reopened = date(2025, 10, 1)  # Wed: 2, 3/10 (2); 6–10 (7); 13–17 (12); 20, 21, 22 (15)
    expected = Due("answer", date(2025, 10, 22))
    assert due("reopened", ENVIRONMENT, FRIDAY, date(2025, 9, 26), reopened) == expected
    # taken up again after the reopening: still counted from it
    assert due("in_progress", ENVIRONMENT, FRIDAY, None, reopened) == expected


def test_tet_holds_the_deadlines_of_a_report_received_just_before_it():
    thursday = date(2026, 2, 12)
    # Fri 13/2 (1), then nine days off, Mon 23/2 (2)
    assert due("received", ENVIRONMENT, thursday) == Due("triage", date(2026, 2, 23))
    # 13/2 (1); 23–27/2 (6); 2–6/3 (11); 9, 10, 11, 12/3 (15)
    assert due("forwarded", ENVIRONMENT, thursday) == Due("answer", date(2026, 3, 12))


def test_an_answer_is_on_time_up_to_the_fifteenth_working_day():
    assert answered_on_time(ENVIRONMENT, FRIDAY, date(2025, 9, 23))
    assert not answered_on_time(ENVIRONMENT, FRIDAY, date(2025, 9, 24))


@pytest.mark.parametrize(
    ("on", "today", "expected"),
    [
        (date(2025, 9, 4), date(2025, 9, 4), "near"),  # its last day
        (date(2025, 9, 4), date(2025, 9, 3), "near"),  # the working day before
        (date(2025, 9, 4), date(2025, 8, 29), ""),  # two working days left
        (date(2025, 9, 4), date(2025, 9, 5), "late"),
        # six calendar days away, but the only working day between is the last one
        (date(2025, 9, 3), date(2025, 8, 29), "near"),
        (date(2026, 2, 23), date(2026, 2, 13), "near"),  # the same over Tết's nine days
        (date(2026, 2, 23), date(2026, 2, 12), ""),
        (None, date(2025, 9, 4), ""),  # waiting on nobody
    ],
)
def test_a_deadline_is_near_on_its_last_working_days_and_late_the_day_after(on, today, expected):
    assert flag(on, today) == expected
