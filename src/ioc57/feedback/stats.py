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
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, fields
from datetime import date, timedelta
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.engine import Connection

from ioc57.core.clock import today as clock_today
from ioc57.feedback.records import MONTHLY, month_of
from ioc57.feedback.tables import reports
from ioc57.ingest.tables import rollups
from ioc57.units.queries import of_units
from ioc57.units.tables import unit_successions, units

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


def _last_day(month: date) -> date:
    following = month.year * 12 + month.month  # the next month, counted from 0
    return date(following // 12, following % 12 + 1, 1) - timedelta(days=1)


def split(
    start: date, end: date, today: date
) -> tuple[tuple[date, date] | None, list[tuple[date, date]]]:
    """The span ``start``..``end`` as whole months (the first day of the first and of the last:
    read from the monthly rollups) and the days at its edges (read from the daily ones). A month
    that reaches today is whole: nothing is received, answered or rated after today."""
    first = start if start.day == 1 else _last_day(start) + timedelta(days=1)
    last = month_of(end) if end >= min(_last_day(end), today) else month_of(end) - timedelta(days=1)
    last = month_of(last)
    if first > last or first > end:
        return None, [(start, end)]
    edges = []
    if start < first:
        edges.append((start, first - timedelta(days=1)))
    after = _last_day(last) + timedelta(days=1)
    if after <= end:
        edges.append((after, end))
    return (first, last), edges


def _rows(
    conn: Connection,
    unit_ids: list[int],
    start: date,
    end: date,
    metrics: Iterable[str],
    monthly: bool = True,
) -> Iterator[tuple[int, str, str, str, int]]:
    """(unit id, daily metric, dims, month ``YYYYMM``, count) over the days ``start``..``end``:
    whole months from the monthly rollups of the metrics that have them (unless ``monthly`` is
    false: a split by agency reads the days, whose dims name it), the rest by day."""
    c = rollups.c
    month = month_key(conn, c.day)
    whole, edges = split(start, end, clock_today())
    reads: list[tuple[list[str], date, date]] = []  # (rollup metrics, first day, last day)
    by_day = list(metrics)
    if whole is not None and monthly:
        reads.append(([MONTHLY[m] for m in by_day if m in MONTHLY], *whole))
        reads.extend(([m for m in by_day if m in MONTHLY], low, high) for low, high in edges)
        by_day = [m for m in by_day if m not in MONTHLY]
    reads.append((by_day, start, end))
    daily = {v: k for k, v in MONTHLY.items()}
    for names, low, high in reads:
        if not names:
            continue
        query = (
            select(c.unit_id, c.metric, c.dims, month, func.sum(c.count))
            .where(of_units(conn, rollups, unit_ids), c.metric.in_(names))
            .where(c.day.between(low, high))
            .group_by(c.unit_id, c.metric, c.dims, month)
        )
        for unit_id, metric, dims, key, count in conn.execute(query):
            yield unit_id, daily.get(metric, metric), dims, key, int(count)


def month_key(conn: Connection, day: Any) -> Any:
    """A day's month as ``YYYYMM``, in SQL."""
    return (
        func.strftime("%Y%m", day) if conn.dialect.name == "sqlite" else func.to_char(day, "YYYYMM")
    )


def by_unit(
    conn: Connection, unit_ids: list[int], start: date, end: date, agency: str | None = None
) -> dict[int, Totals]:
    """Each unit's figures (its subtree's) over the days ``start``..``end``; with ``agency`` (its
    code), only the reports that agency answers (where an agency's reports come from)."""
    out: dict[int, Totals] = {u: Totals() for u in unit_ids}
    if agency is None:
        for unit_id, metric, dims, _month, count in _rows(conn, unit_ids, start, end, METRICS):
            out[unit_id].add(metric, dims, count)
        return out
    metrics = ("feedback.agency", *METRICS[1:])
    for unit_id, metric, dims, _month, count in _rows(
        conn, unit_ids, start, end, metrics, monthly=False
    ):
        if _agency(dims) == agency:
            name = "feedback.received" if metric == "feedback.agency" else metric
            out[unit_id].add(name, dims, count)
    return out


def lineage(conn: Connection, unit_id: int) -> list[int]:
    """The unit and the units of its level it wholly succeeded (in 2025: a province and the
    provinces merged into it; a commune and the communes merged into it, not one split among
    several; not the districts, whose reports the old provinces' rollups hold already), whose
    rollups hold the reports of before: the unit's figures over a span across 1 July 2025 are
    theirs together. A report counts in one of them only (the unit of its day)."""
    s, u = unit_successions.c, units.c
    level = select(u.level).where(u.id == unit_id).scalar_subquery()
    other = unit_successions.alias("other")
    successors = (  # of the candidate: one, or it was split
        select(func.count())
        .select_from(other)
        .where(other.c.predecessor_id == s.predecessor_id)
        .scalar_subquery()
    )
    found, frontier = [unit_id], [unit_id]
    while frontier:
        frontier = list(
            conn.execute(
                select(s.predecessor_id)
                .join(units, u.id == s.predecessor_id)
                .where(s.successor_id.in_(frontier), u.level == level, successors == 1)
            ).scalars()
        )
        frontier = [unit for unit in frontier if unit not in found]
        found.extend(frontier)
    return found


def totals(conn: Connection, unit_id: int, start: date, end: date) -> Totals:
    """A unit's figures over the days ``start``..``end``, with the units it succeeded."""
    out = Totals()
    for part in by_unit(conn, lineage(conn, unit_id), start, end).values():
        out += part
    return out


def _agency(dims: str) -> str:
    for part in dims.split("|"):
        if part.startswith("agency="):
            return part[len("agency=") :]
    return "none"


def by_agency(conn: Connection, unit_id: int, start: date, end: date) -> dict[str, Totals]:
    """A unit's figures split by answering agency (its code; ``none``: not yet forwarded), with
    the units it succeeded."""
    out: dict[str, Totals] = defaultdict(Totals)
    metrics = ("feedback.agency", *METRICS[1:])
    for _unit, metric, dims, _month, count in _rows(
        conn, lineage(conn, unit_id), start, end, metrics, monthly=False
    ):
        name = "feedback.received" if metric == "feedback.agency" else metric
        out[_agency(dims)].add(name, dims, count)
    return dict(out)


def months(start: date, end: date) -> list[str]:
    """The months (``YYYYMM``) the days ``start``..``end`` touch, oldest first."""
    first, last = start.year * 12 + start.month - 1, end.year * 12 + end.month - 1
    return [f"{m // 12}{m % 12 + 1:02d}" for m in range(first, last + 1)]


def by_month(conn: Connection, unit_id: int, start: date, end: date) -> dict[str, Totals]:
    """A unit's figures month by month (``YYYYMM``, the period code of a month), every month of
    the span present (a month without reports has zeros: a chart shows the gap)."""
    out: dict[str, Totals] = {m: Totals() for m in months(start, end)}
    for _unit, metric, dims, key, count in _rows(conn, lineage(conn, unit_id), start, end, METRICS):
        out.setdefault(key, Totals()).add(metric, dims, count)
    return out


def open_counts(conn: Connection, where: Any, today: date) -> dict[str, int]:
    """Reports still waiting on someone, and those past their deadline (``where``: a filter of
    reports, e.g. a scope), in one pass over the index of (province, status, deadline)."""
    late = func.coalesce(func.sum(case((reports.c.due_on < today, 1), else_=0)), 0)
    query = select(func.count(), late).select_from(reports).where(reports.c.status.in_(OPEN))
    if where is not None:
        query = query.where(where)
    waiting, past = conn.execute(query).one()
    return {"open": int(waiting), "late": int(past)}


def last_months(today: date, count: int = 12) -> tuple[date, date]:
    """The span of the panel by default: the ``count`` months up to today, the current one
    included, from the first day of the oldest (whole months, so that a chart's first bar is
    not a part of a month)."""
    first = today.year * 12 + today.month - count
    return date(first // 12, first % 12 + 1, 1), today
