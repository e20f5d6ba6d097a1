"""On time in Vietnamese working days: a suspension moves the promised date across Tết and onto
a compensatory working Saturday, as the government announced them."""

from __future__ import annotations

import pytest

from ioc57.services.dossier import on_time


def finished(due: str, at: str, suspended_days: int = 0, supplement_requests: int = 0) -> bool:
    return on_time(
        {
            "due_at": f"{due}T17:00:00+07:00",
            "finished_at": f"{at}T10:00:00+07:00",
            "suspended_days": suspended_days,
            "supplement_requests": supplement_requests,
        }
    )


@pytest.mark.parametrize(
    "due, at, suspended, expected",
    [
        # due Friday 13/02/2026, the last working day before Tết Bính Ngọ (14/02 to 22/02 off):
        # one day suspended moves it to Monday 23/02
        ("2026-02-13", "2026-02-23", 1, True),
        ("2026-02-13", "2026-02-24", 1, False),
        ("2026-02-13", "2026-02-16", 0, False),
        # due Friday 09/01/2026; Friday 02/01 was given off for Saturday 10/01, a working day:
        # one day suspended moves it to that Saturday, and Monday 12/01 is late
        ("2026-01-09", "2026-01-10", 1, True),
        ("2026-01-09", "2026-01-12", 1, False),
        # two days suspended: Saturday 10/01, then Monday 12/01
        ("2026-01-09", "2026-01-12", 2, True),
    ],
)
def test_suspended_days_count_in_working_days(due, at, suspended, expected):
    assert finished(due, at, suspended) is expected


def test_asked_twice_for_papers_is_late_however_early():
    assert finished("2026-03-10", "2026-03-02", supplement_requests=1) is True
    assert finished("2026-03-10", "2026-03-02", supplement_requests=2) is False
