"""The status of the tasks of a scope on a day, rolled up: by agency, by leader, by programme, the
overdue list and the difficulties not answered (``summary``); and a line per province for the
national page (``national``).

A task's status depends on today and the working-day calendar, so it is computed here, per task,
from the few columns it needs: one read of the tasks of the scope (a province holds hundreds, the
country some ten thousand), one of the unanswered difficulties, none per task.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.engine import Connection

from ioc57.core.workdays import working_days_between
from ioc57.tasks.status import (
    STATUSES,
    TaskState,
    deadline_in_force,
    effective_deadline,
    state_of,
    status_of,
)
from ioc57.tasks.summary import Difficulty, Line, Overdue, Summary
from ioc57.tasks.tables import programmes, reports, tasks
from ioc57.units.queries import valid_at
from ioc57.units.tables import units

NATION = "Cả nước"

# what the status of a task is computed from
STATE = (
    tasks.c.deadline,
    tasks.c.recurrence,
    tasks.c.extended_deadline,
    tasks.c.completed_on,
    tasks.c.confirmed_at,
    tasks.c.last_period,
)


def status_reader(today: date) -> Callable[[Any], str]:
    """The status on ``today`` of a row with the ``STATE`` columns, each distinct state computed
    once (tasks share deadlines: a national roll-up reads ten thousand rows)."""
    memo: dict[tuple, str] = {}

    def read(row: Any) -> str:
        key = (
            row.deadline,
            row.recurrence,
            row.extended_deadline,
            row.completed_on,
            row.confirmed_at is None,
            row.last_period,
        )
        status = memo.get(key)
        if status is None:
            status = memo[key] = status_of(state_of(row), today)
        return status

    return read


def _scoped(query, province_code, agency_ids, programme, province=tasks.c.province_code):
    """Tasks (or what joins them) of the province, of the lead agencies, of the programme."""
    if province_code is not None:
        query = query.where(province == province_code)
    if agency_ids is not None:
        query = query.where(tasks.c.agency_id.in_(sorted(agency_ids)))
    if programme is not None:
        query = query.where(tasks.c.programme_code == programme)
    return query


def _counts(rows: Iterable[str]) -> dict[str, int]:
    counts = dict.fromkeys(STATUSES, 0)
    for status in rows:
        counts[status] += 1
    return counts


def _lines(grouped: dict[str, list[str]], labels: dict[str, str]) -> list[Line]:
    """A line per key, the most tasks first (then by label)."""
    lines = [Line(key, labels.get(key, key), _counts(s)) for key, s in grouped.items()]
    return sorted(lines, key=lambda line: (-line.total, line.label))


def summary(
    conn: Connection,
    *,
    province_code: str | None = None,
    agency_ids: Sequence[int] | None = None,
    programme: str | None = None,
    today: date,
) -> Summary:
    """The status of the tasks of a province (or of the country), of some agencies (an officer's
    subtree) or of one programme (by code), on ``today``. Lines come most tasks first; a task
    assigned to no leader is in no leader's line."""
    query = select(
        tasks.c.id,
        tasks.c.code,
        tasks.c.content,
        tasks.c.programme_code,
        tasks.c.leader,
        tasks.c.simulated,
        units.c.code.label("agency_code"),
        units.c.name.label("agency_name"),
        *STATE,
    ).join(units, units.c.id == tasks.c.agency_id)
    query = _scoped(query, province_code, agency_ids, programme)
    statuses: list[str] = []
    by_agency: dict[str, list[str]] = defaultdict(list)
    by_leader: dict[str, list[str]] = defaultdict(list)
    by_programme: dict[str, list[str]] = defaultdict(list)
    agencies: dict[str, str] = {}
    overdue: list[Overdue] = []
    simulated = False
    status_on = status_reader(today)
    for row in conn.execute(query):
        status = status_on(row)
        statuses.append(status)
        by_agency[row.agency_code].append(status)
        agencies[row.agency_code] = row.agency_name
        if row.leader:
            by_leader[row.leader].append(status)
        by_programme[row.programme_code].append(status)
        simulated = simulated or bool(row.simulated)
        if status == "overdue":
            overdue.append(_overdue(row, today))
    overdue.sort(key=lambda o: (-o.days_overdue, o.programme, o.code))
    return Summary(
        title=_title(conn, province_code, programme, today),
        province_code=province_code,
        as_of=today,
        totals=_counts(statuses),
        by_agency=_lines(by_agency, agencies),
        by_leader=_lines(by_leader, {}),
        by_programme=_lines(by_programme, _programme_titles(conn, province_code, by_programme)),
        overdue=overdue,
        difficulties=difficulties(
            conn, province_code=province_code, agency_ids=agency_ids, programme=programme
        ),
        simulated=simulated,
    )


def _overdue(row: Any, today: date) -> Overdue:
    deadline = deadline_in_force(state_of(row))
    assert deadline is not None  # only a task with a deadline is overdue
    return Overdue(
        task_id=row.id,
        code=row.code,
        content=row.content,
        programme=row.programme_code,
        agency=row.agency_name,
        leader=row.leader,
        deadline=row.deadline,
        extended_deadline=row.extended_deadline,
        days_overdue=working_days_between(effective_deadline(deadline), today),
    )


def difficulties(
    conn: Connection,
    *,
    province_code: str | None = None,
    agency_ids: Sequence[int] | None = None,
    programme: str | None = None,
) -> list[Difficulty]:
    """The difficulties and proposals raised in reports and not answered yet, oldest first."""
    raised = or_(
        and_(reports.c.difficulties.is_not(None), reports.c.difficulties != ""),
        and_(reports.c.proposals.is_not(None), reports.c.proposals != ""),
    )
    query = (
        select(
            reports.c.id,
            reports.c.task_id,
            reports.c.reported_on,
            reports.c.difficulties,
            reports.c.proposals,
            tasks.c.code,
            units.c.name.label("agency_name"),
        )
        .join(tasks, tasks.c.id == reports.c.task_id)
        .join(units, units.c.id == tasks.c.agency_id)
        .where(reports.c.answered_at.is_(None), raised)
        .order_by(reports.c.reported_on, reports.c.id)
    )
    query = _scoped(query, province_code, agency_ids, programme, reports.c.province_code)
    return [
        Difficulty(
            task_id=r.task_id,
            report_id=r.id,
            code=r.code,
            agency=r.agency_name,
            reported_on=r.reported_on,
            difficulties=r.difficulties or None,
            proposals=r.proposals or None,
        )
        for r in conn.execute(query)
    ]


def _title(conn: Connection, province_code: str | None, programme: str | None, today: date) -> str:
    if programme is not None:
        return programme
    if province_code is None:
        return NATION
    name = conn.execute(
        select(units.c.name).where(
            units.c.level == "province", units.c.code == province_code, valid_at(today)
        )
    ).scalar()
    return name or province_code


def _programme_titles(
    conn: Connection, province_code: str | None, codes: Iterable[str]
) -> dict[str, str]:
    codes = sorted(codes)
    if not codes:
        return {}
    query = select(programmes.c.code, programmes.c.title).where(programmes.c.code.in_(codes))
    if province_code is not None:
        query = query.where(programmes.c.province_code == province_code)
    return {r.code: r.title for r in conn.execute(query)}


def national(conn: Connection, today: date) -> list[Line]:
    """A line per current province (its code and name), its tasks by status: the national page.
    A province with no task has its line of zeros. The tasks are counted by state in the
    database (tasks share their deadlines), each state's status computed once."""
    provinces = conn.execute(
        select(units.c.code, units.c.name)
        .where(units.c.level == "province", valid_at(today))
        .order_by(units.c.code)
    ).all()
    confirmed = tasks.c.confirmed_at.is_not(None)
    columns = [c for c in STATE if c is not tasks.c.confirmed_at]
    query = select(
        tasks.c.province_code, *columns, confirmed.label("confirmed"), func.count().label("n")
    ).group_by(tasks.c.province_code, *columns, confirmed)
    counts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(STATUSES, 0))
    for row in conn.execute(query):
        state = TaskState(
            deadline=row.deadline,
            recurrence=row.recurrence,
            extended_deadline=row.extended_deadline,
            completed_on=row.completed_on,
            confirmed=bool(row.confirmed),
            last_period=row.last_period,
        )
        counts[row.province_code][status_of(state, today)] += row.n
    return [Line(p.code, p.name, counts[p.code]) for p in provinces]


def simulated_in(conn: Connection, province_code: str | None = None) -> bool:
    """Whether any task of the province (or of the country) is simulated (dữ liệu mô phỏng)."""
    query = select(tasks.c.id).where(tasks.c.simulated.is_(True))
    if province_code is not None:
        query = query.where(tasks.c.province_code == province_code)
    return conn.execute(query.limit(1)).first() is not None
