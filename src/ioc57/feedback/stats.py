"""The figures of citizen reports for a unit and a span of days, read from the gate's rollups.

A unit's rollups hold its whole subtree (a province's hold every commune's reports), so that a
province's figures over two years are a sum over a few thousand rows, whatever the number of
reports. ``totals`` gives one unit's; ``by_agency`` the province's split by answering agency;
``by_month`` one unit's month by month; ``by_unit`` several units' side by side (the communes of a
province; of an agency's province, counting that agency's reports only). Open and late reports are counted from ``feedback_reports`` (they are few: the index
on status reads only them).

- received: reports received in the span (merged duplicates included);
- answered, answered_on_time: answers given in the span, and those within the category's
  deadline (``on_time_rate`` = on time / answered);
- satisfied, unsatisfied: ratings of reports received in the span (``satisfaction_rate`` =
  satisfied / rated);
- published: answers made public in the span.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from ioc57.feedback.tables import reports
from ioc57.ingest.tables import rollups

METRICS = ("feedback.received", "feedback.answered", "feedback.satisfaction", "feedback.published")
OPEN = ("received", "forwarded", "in_progress", "info_requested", "reopened", "answered")


@dataclass
class Totals:
    received: int = 0
    answered: int = 0
    answered_on_time: int = 0
    published: int = 0
    satisfied: int = 0
    unsatisfied: int = 0

    def add(self, metric: str, dims: str, count: int) -> None:
        if metric == "feedback.received":
            self.received += count
        elif metric == "feedback.answered":
            self.answered += count
            if "on_time=yes" in dims:
                self.answered_on_time += count
        elif metric == "feedback.published":
            self.published += count
        elif metric == "feedback.satisfaction":
            if "value=satisfied" in dims:
                self.satisfied += count
            elif "value=unsatisfied" in dims:
                self.unsatisfied += count

    @property
    def on_time_rate(self) -> float | None:
        return self.answered_on_time / self.answered if self.answered else None

    @property
    def satisfaction_rate(self) -> float | None:
        rated = self.satisfied + self.unsatisfied
        return self.satisfied / rated if rated else None

    def __iadd__(self, other: Totals) -> Totals:
        for name in FIELDS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self

    def minus(self, other: Totals) -> Totals:
        """What ``self`` counts that ``other`` does not (a province less its communes: the
        reports not placed in any)."""
        return Totals(**{n: getattr(self, n) - getattr(other, n) for n in FIELDS})

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {
            "on_time_rate": self.on_time_rate,
            "satisfaction_rate": self.satisfaction_rate,
        }


FIELDS = tuple(f.name for f in fields(Totals))


def _rows(conn: Connection, unit_ids: list[int], start: date, end: date, metrics: Iterable[str]):
    c = rollups.c
    return conn.execute(
        select(c.unit_id, c.metric, c.dims, func.sum(c.count))
        .where(c.unit_id.in_(unit_ids), c.metric.in_(list(metrics)), c.day.between(start, end))
        .group_by(c.unit_id, c.metric, c.dims)
    )


def by_unit(
    conn: Connection, unit_ids: list[int], start: date, end: date, agency: str | None = None
) -> dict[int, Totals]:
    """Each unit's figures (its subtree's) over the days ``start``..``end``; with ``agency`` (its
    code), only the reports that agency answers (where an agency's reports come from)."""
    out: dict[int, Totals] = {u: Totals() for u in unit_ids}
    if agency is None:
        for unit_id, metric, dims, count in _rows(conn, unit_ids, start, end, METRICS):
            out[unit_id].add(metric, dims, int(count))
        return out
    metrics = ("feedback.agency", *METRICS[1:])
    for unit_id, metric, dims, count in _rows(conn, unit_ids, start, end, metrics):
        if _agency(dims) == agency:
            name = "feedback.received" if metric == "feedback.agency" else metric
            out[unit_id].add(name, dims, int(count))
    return out


def totals(conn: Connection, unit_id: int, start: date, end: date) -> Totals:
    return by_unit(conn, [unit_id], start, end)[unit_id]


def _agency(dims: str) -> str:
    for part in dims.split("|"):
        if part.startswith("agency="):
            return part[len("agency=") :]
    return "none"


def by_agency(conn: Connection, unit_id: int, start: date, end: date) -> dict[str, Totals]:
    """A unit's figures split by answering agency (its code; ``none``: not yet forwarded)."""
    out: dict[str, Totals] = defaultdict(Totals)
    metrics = ("feedback.agency", *METRICS[1:])
    for _unit, metric, dims, count in _rows(conn, [unit_id], start, end, metrics):
        name = "feedback.received" if metric == "feedback.agency" else metric
        out[_agency(dims)].add(name, dims, int(count))
    return dict(out)


def months(start: date, end: date) -> list[str]:
    """The months (``YYYYMM``) the days ``start``..``end`` touch, oldest first."""
    first, last = start.year * 12 + start.month - 1, end.year * 12 + end.month - 1
    return [f"{m // 12}{m % 12 + 1:02d}" for m in range(first, last + 1)]


def by_month(conn: Connection, unit_id: int, start: date, end: date) -> dict[str, Totals]:
    """A unit's figures month by month (``YYYYMM``, the period code of a month), every month of
    the span present (a month without reports has zeros: a chart shows the gap)."""
    c = rollups.c
    month = (
        func.strftime("%Y%m", c.day)
        if conn.dialect.name == "sqlite"
        else func.to_char(c.day, "YYYYMM")
    )
    query = (
        select(month.label("month"), c.metric, c.dims, func.sum(c.count))
        .where(c.unit_id == unit_id, c.metric.in_(METRICS), c.day.between(start, end))
        .group_by(month, c.metric, c.dims)
    )
    out: dict[str, Totals] = {m: Totals() for m in months(start, end)}
    for key, metric, dims, count in conn.execute(query):
        out.setdefault(key, Totals()).add(metric, dims, int(count))
    return out


def open_counts(conn: Connection, where: Any, today: date) -> dict[str, int]:
    """Reports still waiting on someone, and those past their deadline (``where``: a filter of
    reports, e.g. a scope)."""
    base = select(func.count()).select_from(reports).where(reports.c.status.in_(OPEN))
    if where is not None:
        base = base.where(where)
    waiting = int(conn.execute(base).scalar_one())
    late = int(conn.execute(base.where(reports.c.due_on < today)).scalar_one())
    return {"open": waiting, "late": late}


def last_months(today: date, count: int = 12) -> tuple[date, date]:
    """The span of the panel by default: the ``count`` months up to today, the current one
    included, from the first day of the oldest (whole months, so that a chart's first bar is
    not a part of a month)."""
    first = today.year * 12 + today.month - count
    return date(first // 12, first % 12 + 1, 1), today
