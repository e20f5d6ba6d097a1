"""What a status report of tasks holds: the leader's page, the XLSX and the DOCX read the same
``Summary`` (``rollup.summary`` makes it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Line:
    """A line of the summary table: one agency, leader or programme, and its tasks by status."""

    key: str  # the agency's code, the leader's name, the programme's code
    label: str  # what a person reads
    counts: dict[str, int]  # status -> tasks (every status of ``status.STATUSES``, zeros too)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class Overdue:
    """A task past its deadline in force, and whose it is."""

    task_id: int
    code: str
    content: str
    programme: str
    agency: str  # the lead agency's name
    leader: str | None
    deadline: date  # as first set
    extended_deadline: date | None
    days_overdue: int  # working days past the deadline in force
    province_code: str | None = None  # whose province: the country's list holds them all
    province: str | None = None  # its name


@dataclass(frozen=True)
class Difficulty:
    """Difficulties and proposals an agency raised in a report, not answered yet."""

    task_id: int
    report_id: int
    code: str
    agency: str
    reported_on: date
    difficulties: str | None
    proposals: str | None
    province_code: str | None = None  # whose province: the country's list holds them all
    province: str | None = None  # its name


@dataclass(frozen=True)
class Summary:
    """The status of the tasks in one scope (a province, an agency, a programme) on a day."""

    title: str  # the scope, as a person reads it ("Tỉnh Quảng Trị", a programme's code)
    province_code: str | None
    as_of: date
    totals: dict[str, int]  # status -> tasks, over the whole scope
    by_agency: list[Line] = field(default_factory=list)
    by_leader: list[Line] = field(default_factory=list)
    by_programme: list[Line] = field(default_factory=list)
    overdue: list[Overdue] = field(default_factory=list)  # most overdue first
    difficulties: list[Difficulty] = field(default_factory=list)  # oldest first
    simulated: bool = False  # any of it is dữ liệu mô phỏng
    # the country's (a scope of more than one province): a line per current province, by code
    by_province: list[Line] = field(default_factory=list)
    # the difficulties not listed: a page lists the oldest few, a report every one
    difficulties_unlisted: int = 0

    @property
    def total(self) -> int:
        return sum(self.totals.values())

    @property
    def difficulties_total(self) -> int:
        """The difficulties not answered, listed or not."""
        return len(self.difficulties) + self.difficulties_unlisted


def on_time_rate(counts: dict[str, int]) -> float | None:
    """The share of the tasks due that were completed on time, in percent: completed on time
    over completed (on time or late) and overdue; None when no task is due yet."""
    due = sum(counts.get(s, 0) for s in ("completed_on_time", "completed_late", "overdue"))
    return 100 * counts.get("completed_on_time", 0) / due if due else None
