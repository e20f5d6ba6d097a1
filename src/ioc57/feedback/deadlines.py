"""A report's deadline: which step it waits on and by which day, in Vietnamese working days.

- received: taken up (forwarded) or refused within ``triage`` days of its receipt;
- forwarded, in progress, info requested: answered within ``answer`` days of its receipt;
- reopened: answered again within ``answer`` days of its reopening;
- answered: published within ``publish`` days of the answer.

Refused, published, closed and merged reports wait on nobody. A deadline is near on its last
working day (and the one before), past the day after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ioc57.core.workdays import add_working_days, working_days_between
from ioc57.feedback.categories import Category

ANSWERING = ("forwarded", "in_progress", "info_requested")
NEAR_DAYS = 1  # working days left at which a deadline is near


@dataclass(frozen=True)
class Due:
    step: str  # triage, answer, publish
    on: date  # the last day of the step


def due(
    status: str,
    category: Category,
    received: date,
    answered: date | None = None,
    reopened: date | None = None,
) -> Due | None:
    """The step a report in ``status`` waits on, and its last day (None: it waits on nobody)."""
    days = category.deadlines
    if status == "received":
        return Due("triage", add_working_days(received, days["triage"]))
    if status in ANSWERING:
        return Due("answer", add_working_days(reopened or received, days["answer"]))
    if status == "reopened":
        return Due("answer", add_working_days(reopened or received, days["answer"]))
    if status == "answered" and answered is not None:
        return Due("publish", add_working_days(answered, days["publish"]))
    return None


def answered_on_time(category: Category, received: date, answered: date) -> bool:
    """Whether an answer came within the category's answer deadline."""
    return working_days_between(received, answered) <= category.deadlines["answer"]


def flag(on: date | None, today: date) -> str:
    """``late`` past the deadline, ``near`` within ``NEAR_DAYS`` working days of it, else ``""``."""
    if on is None:
        return ""
    if today > on:
        return "late"
    return "near" if working_days_between(today, on) <= NEAR_DAYS else ""
