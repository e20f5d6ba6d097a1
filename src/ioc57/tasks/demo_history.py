"""What the demo makes of a task's history: the steps its lead agency and the leader took, day by
day, from the task's ``story`` in ``demo_programme.toml`` (dữ liệu mô phỏng).

The lead agency reports near the end of each month (a recurring task near the end of each of its
periods), its percent rising toward the outcome; the story decides the outcome: completed with
evidence before the deadline or after it, a completion waiting for the leader or refused, a
deadline extended on the agency's request, reports that stall past the deadline. Days are
working days, from the day after the programme was issued up to today; a step that would fall
after today is not taken. Each task draws its days from a random generator seeded with its code,
so that a history is the same on every machine.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from ioc57.core.periods import Period, period_containing
from ioc57.core.workdays import add_working_days, is_working_day
from ioc57.tasks.status import PERIOD_OF


@dataclass(frozen=True)
class Step:
    """One thing done on a task: a report (``completes`` claims it done, with evidence), a
    leader's ``answer`` to the latest report's difficulties, ``confirm``, ``refuse`` (``text``:
    the reason) or ``extend`` (to ``deadline``, ``text``: the reason)."""

    day: date
    kind: str
    text: str = ""
    percent: int = 0
    period: str | None = None
    difficulties: str | None = None
    proposals: str | None = None
    completes: bool = False
    deadline: date | None = None


def month_start(day: date, months: int) -> date:
    """The first day of the month ``months`` after (before, if negative) ``day``'s."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_end(day: date, months: int) -> date:
    """The last day of the month ``months`` after ``day``'s."""
    return month_start(day, months + 1) - timedelta(days=1)


def working_day_from(day: date) -> date:
    """``day``, or the first working day after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def working_day_until(day: date) -> date:
    """``day``, or the last working day before it."""
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def later(day: date, working_days: int) -> date:
    return add_working_days(day, working_days)


def rounded(percent: float) -> int:
    """A percent as an agency writes it: a multiple of 5, within 0–100."""
    return max(0, min(100, 5 * round(percent / 5)))


class History:
    """The steps of one task (``item``: a task of the data file) in a programme issued on
    ``issued``, up to ``today``."""

    def __init__(self, item: dict[str, Any], issued: date, today: date) -> None:
        self.item = item
        self.issued = issued
        self.today = today
        self.rng = random.Random(f"{issued.isoformat()}:{item['code']}")
        self.notes = item.get("notes") or ["Đang triển khai thực hiện."]

    # -- days ---------------------------------------------------------------------------------

    def monthly(self, start: date, end: date) -> list[date]:
        """A report day near the end of each month, after ``start`` and before ``end``."""
        days = []
        month = 0
        while month_start(self.issued, month) < end:
            first = month_start(self.issued, month)
            day = working_day_until(first + timedelta(days=self.rng.randint(19, 26)))
            if start < day < end and day <= self.today:
                days.append(day)
            month += 1
        return days

    def in_month(self, month: int, low: int, high: int) -> date:
        """A working day of the ``month``-th month after the issue month, from its day ``low``
        to about its day ``high``."""
        first = month_start(self.issued, month)
        return working_day_from(first + timedelta(days=self.rng.randint(low, high) - 1))

    def deadline(self) -> date:
        return month_end(self.issued, self.item["due"])

    # -- what is said -----------------------------------------------------------------------------

    def reports(self, days: list[date], start: float, end: float, **last: Any) -> list[Step]:
        """Progress reports on ``days``, the percent from about ``start`` to ``end``, the notes
        spread over them; ``last`` goes with the last one (difficulties, proposals)."""
        out = []
        for i, day in enumerate(days):
            share = (i + 1) / len(days)
            note = self.notes[min(len(self.notes) - 1, i * len(self.notes) // len(days))]
            out.append(Step(day, "report", note, rounded(start + (end - start) * share)))
        if out and last:
            out[-1] = Step(**{**out[-1].__dict__, **last})
        return out

    def troubles(self) -> dict[str, Any]:
        return {k: self.item[k] for k in ("difficulties", "proposals") if self.item.get(k)}

    def answer(self, report: Step, days: int = 2) -> list[Step]:
        """The leader's answer to ``report``'s difficulties, if the task has one."""
        if not self.item.get("answer") or not (report.difficulties or report.proposals):
            return []
        return [Step(later(report.day, days), "answer", self.item["answer"])]

    def completion(self, day: date, confirm_after: int | None) -> list[Step]:
        """The lead agency's completing report with its evidence, and the leader's confirmation
        ``confirm_after`` working days later (None: not yet)."""
        text = f"Đã hoàn thành: {self.item['output']}. Gửi kèm hồ sơ minh chứng."
        steps = [Step(day, "report", text, 100, completes=True)]
        if confirm_after is not None:
            steps.append(Step(later(day, confirm_after), "confirm"))
        return steps

    # -- the stories -----------------------------------------------------------------------------

    def on_time(self) -> list[Step]:
        done = self.in_month(self.item["due"], 6, 18)
        return self.reports(self.monthly(self.issued, done), 15, 90) + self.completion(
            done, self.rng.randint(1, 4)
        )

    def late(self) -> list[Step]:
        done = self.in_month(self.item["due"] + 1, 6, 16)
        days = self.monthly(self.issued, min(done, self.deadline() + timedelta(days=1)))
        reports = self.reports(days, 15, 80, **self.troubles())
        return reports + self.answer(reports[-1]) + self.completion(done, self.rng.randint(1, 3))

    def overdue(self) -> list[Step]:
        deadline = self.deadline()
        before = self.reports(self.monthly(self.issued, deadline + timedelta(days=1)), 15, 70)
        after = [
            Step(day, "report", self.notes[-1], min(85, before[-1].percent + 5 * (i + 1)))
            for i, day in enumerate(self.monthly(deadline, self.today + timedelta(days=1)))
        ]
        reports = before + after
        reports[-1] = Step(**{**reports[-1].__dict__, **self.troubles()})
        return reports + self.answer(reports[-1])

    def extended(self) -> list[Step]:
        asked = self.in_month(self.item["due"], 8, 12)
        before = self.reports(self.monthly(self.issued, asked), 15, 45)
        request = Step(asked, "report", self.notes[-1], 55, **self.troubles())
        decided = later(asked, 2)
        extension = self.item["extend"]
        new_deadline = month_end(self.issued, self.item["due"] + extension["months"])
        after = self.reports(self.monthly(decided, self.today + timedelta(days=1)), 55, 75)
        return (
            before
            + [request]
            + self.answer(request)
            + [Step(decided, "extend", extension["reason"], deadline=new_deadline)]
            + after
        )

    def claimed(self) -> list[Step]:
        done = working_day_until(self.today)
        return self.reports(self.monthly(self.issued, done), 15, 90) + self.completion(done, None)

    def refused(self) -> list[Step]:
        claimed = self.in_month(self.item["due"] - 2, 8, 14)
        refused = later(claimed, 2)
        before = self.reports(self.monthly(self.issued, claimed), 15, 75)
        after = self.reports(self.monthly(refused, self.today + timedelta(days=1)), 80, 85)
        return (
            before
            + self.completion(claimed, None)
            + [Step(refused, "refuse", self.item["refusal"])]
            + after
        )

    def in_progress(self) -> list[Step]:
        deadline = self.deadline()
        days = self.monthly(self.issued, self.today + timedelta(days=1))
        span = (deadline - self.issued).days
        return [
            Step(
                day,
                "report",
                self.notes[min(len(self.notes) - 1, i * len(self.notes) // len(days))],
                rounded(90 * (day - self.issued).days / span),
            )
            for i, day in enumerate(days)
        ]

    def periods(self) -> list[Period]:
        """The reporting periods of a recurring task from the issue day to today."""
        kind = PERIOD_OF[self.item["recurrence"]]
        out = [period_containing(self.issued, kind)]
        while out[-1].end < self.today:
            out.append(period_containing(out[-1].end + timedelta(days=1), kind))
        return out

    def periodic(self, current: bool) -> list[Step]:
        """A report near the end of each past period, and of the current one if ``current``
        (on a day of it up to today); each says the period's work is done."""
        steps = []
        for i, period in enumerate(self.periods()):
            usual = working_day_until(
                month_start(period.end, 0) + timedelta(self.rng.randint(17, 24))
            )
            if period.end >= self.today:
                if not current:
                    break
                day = min(usual, working_day_until(self.today))
                day = day if day >= max(period.start, self.issued) else self.today
            else:
                day = usual
            if day <= self.issued:
                continue
            note = self.notes[i % len(self.notes)]
            steps.append(Step(day, "report", note, 100, period=period.code))
        return steps

    def reported(self) -> list[Step]:
        return self.periodic(current=True)

    def not_reported(self) -> list[Step]:
        return self.periodic(current=False)


def steps(item: dict[str, Any], issued: date, today: date) -> list[Step]:
    """The steps of ``item``'s story, in the order they were taken, none after ``today``."""
    made = getattr(History(item, issued, today), item["story"])()
    return sorted((s for s in made if s.day <= today), key=lambda s: s.day)
