"""A task's status, computed by the Government Office's convention, never typed in.

- A task with a deadline (a date): once a leader has confirmed the lead agency's completion, it is
  ``completed_on_time`` when the completion came on or before the deadline in force, else
  ``completed_late``; until then it is ``within_deadline`` up to and on the deadline in force, and
  ``overdue`` after it.
- A recurring task (yearly, half-yearly, quarterly, monthly report) or an ongoing one ("thường
  xuyên", reported each quarter): ``reported`` when a report for the current period is in, else
  ``not_reported``.

The deadline in force is the extended one when a leader extended it (the original is kept and
shown). A deadline that falls on a weekend or a public holiday ends on the next working day (the
Civil Code 2015, art. 148: a time limit whose last day is a day off ends on the next working day).
A completion counts on the day the lead agency reported it with its evidence, not on the day a
leader confirmed it: the leader's delay is not the agency's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ioc57.core.i18n import N_
from ioc57.core.periods import Period, period_containing
from ioc57.core.workdays import is_working_day

STATUSES = (
    "completed_on_time",
    "completed_late",
    "within_deadline",
    "overdue",
    "reported",
    "not_reported",
)
DONE = ("completed_on_time", "completed_late")
# what a person reads for each status (pages and files translate them where they show them)
LABELS = {
    "completed_on_time": N_("Completed on time"),
    "completed_late": N_("Completed late"),
    "within_deadline": N_("Within deadline"),
    "overdue": N_("Overdue"),
    "reported": N_("Reported this period"),
    "not_reported": N_("Not reported this period"),
}
RECURRENCES = ("yearly", "half-yearly", "quarterly", "monthly", "ongoing")
# the reporting period of each recurrence (an ongoing task reports each quarter)
PERIOD_OF = {
    "yearly": "year",
    "half-yearly": "half",
    "quarterly": "quarter",
    "monthly": "month",
    "ongoing": "quarter",
}


@dataclass(frozen=True)
class TaskState:
    """What the status of a task is computed from (a row of ``tasks_tasks`` holds it)."""

    deadline: date | None
    recurrence: str | None
    extended_deadline: date | None = None
    completed_on: date | None = None  # claimed by the lead agency, with evidence
    confirmed: bool = False  # a leader confirmed the completion
    last_period: str | None = None  # the period code of the latest report


def effective_deadline(deadline: date) -> date:
    """The last day a task is on time: the deadline, or the next working day after it when it
    falls on a day off."""
    day = deadline
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def deadline_in_force(state: TaskState) -> date | None:
    return state.extended_deadline or state.deadline


def current_period(recurrence: str, today: date) -> Period:
    """The reporting period of a recurring or ongoing task that holds ``today``."""
    return period_containing(today, PERIOD_OF[recurrence])


def status_of(state: TaskState, today: date) -> str:
    """The task's status on ``today`` (a local calendar day)."""
    deadline = deadline_in_force(state)
    if deadline is None:
        period = current_period(state.recurrence or "ongoing", today)
        return "reported" if state.last_period == period.code else "not_reported"
    last_day = effective_deadline(deadline)
    if state.completed_on is not None and state.confirmed:
        return "completed_on_time" if state.completed_on <= last_day else "completed_late"
    return "within_deadline" if today <= last_day else "overdue"


def state_of(row) -> TaskState:
    """The ``TaskState`` of a ``tasks_tasks`` row."""
    return TaskState(
        deadline=row.deadline,
        recurrence=row.recurrence,
        extended_deadline=row.extended_deadline,
        completed_on=row.completed_on,
        confirmed=row.confirmed_at is not None,
        last_period=row.last_period,
    )
