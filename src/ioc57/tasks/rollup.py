"""The status of the tasks of a scope on a day, rolled up: by agency, by leader, by programme, the
overdue list and the difficulties not answered (``summary``); for the country, a line per
province too, counted in the same pass (``national``: the national page reads the tasks once).

A task's status depends on today and the working-day calendar, so it is computed here, per task,
from the few columns it needs: one read of the tasks of the scope (a province holds hundreds, the
country some ten thousand), one of the unanswered difficulties, none per task.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.engine import Connection

from ioc57.core.workdays import working_days_between
from ioc57.tasks.status import (
    STATUSES,
    TaskState,
    effective_deadline,
    status_of,
)
from ioc57.tasks.summary import Difficulty, Line, Overdue, Summary
from ioc57.tasks.tables import UNANSWERED, programmes, reports, tasks
from ioc57.units.queries import valid_at
from ioc57.units.tables import units

NATION = "Cả nước"

# what the status of a task is computed from, in the order of ``TaskState``'s fields
STATE = (
    tasks.c.deadline,
    tasks.c.recurrence,
    tasks.c.extended_deadline,
    tasks.c.completed_on,
    tasks.c.confirmed_at.is_not(None).label("confirmed"),
    tasks.c.last_period,
)


def status_reader(today: date) -> Callable[[tuple], str]:
    """The status on ``today`` of a task's state (the values of ``STATE``), each distinct state
    computed once (tasks share deadlines: a national roll-up reads ten thousand)."""
    memo: dict[tuple, str] = {}

    def read(state: tuple) -> str:
        status = memo.get(state)
        if status is None:
            status = memo[state] = status_of(TaskState(*state), today)
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


def _zeros() -> dict[str, int]:
    return dict.fromkeys(STATUSES, 0)


def _lines(grouped: dict[str, dict[str, int]], labels: dict[str, str]) -> list[Line]:
    """A line per key, the most tasks first (then by label)."""
    lines = [Line(key, labels.get(key, key), counts) for key, counts in grouped.items()]
    return sorted(lines, key=lambda line: (-line.total, line.label))


def summary(
    conn: Connection,
    *,
    province_code: str | None = None,
    agency_ids: Sequence[int] | None = None,
    programme: str | None = None,
    today: date,
    difficulties_listed: int | None = None,
) -> Summary:
    """The status of the tasks of a province (or of the country), of some agencies (an officer's
    subtree) or of one programme (by code), on ``today``. Lines come most tasks first; a task
    assigned to no leader is in no leader's line. The country's has a line per current province
    too, counted in the same pass. ``difficulties_listed`` lists only the oldest so many of the
    difficulties not answered (a page's), the others counted."""
    query = select(
        tasks.c.id,
        tasks.c.code,
        tasks.c.content,
        tasks.c.programme_code,
        tasks.c.leader,
        tasks.c.simulated,
        units.c.code.label("agency_code"),
        units.c.name.label("agency_name"),
        tasks.c.province_code,
        *STATE,
    ).join(units, units.c.id == tasks.c.agency_id)
    query = _scoped(query, province_code, agency_ids, programme)
    provinces = _province_names(conn, today, province_code)
    totals = _zeros()
    by_agency: dict[str, dict[str, int]] = defaultdict(_zeros)
    by_leader: dict[str, dict[str, int]] = defaultdict(_zeros)
    by_programme: dict[str, dict[str, int]] = defaultdict(_zeros)
    by_province: dict[str, dict[str, int]] = defaultdict(_zeros)
    agencies: dict[str, str] = {}
    overdue: list[Overdue] = []
    simulated = False
    status_on = status_reader(today)
    late = days_overdue(today)
    # a row's values by position: a country holds ten thousand tasks, and reading a value by
    # its name costs more than the status
    for row in conn.execute(query):
        task_id, code, content, programme_code, leader, task_simulated, agency, name, home = row[:9]
        state = row[9:]
        status = status_on(state)
        totals[status] += 1
        by_agency[agency][status] += 1
        by_province[home][status] += 1
        agencies[agency] = name
        if leader:
            by_leader[leader][status] += 1
        by_programme[programme_code][status] += 1
        simulated = simulated or bool(task_simulated)
        if status == "overdue":
            deadline, extended = state[0], state[2]
            overdue.append(
                Overdue(
                    task_id=task_id,
                    code=code,
                    content=content,
                    programme=programme_code,
                    agency=name,
                    leader=leader,
                    deadline=deadline,
                    extended_deadline=extended,
                    days_overdue=late(extended or deadline),
                    province_code=home,
                    province=provinces.get(home, home),
                )
            )
    overdue.sort(key=lambda o: (-o.days_overdue, o.programme, o.code))
    listed, unlisted = difficulties(
        conn,
        province_code=province_code,
        agency_ids=agency_ids,
        programme=programme,
        provinces=provinces,
        limit=difficulties_listed,
    )
    return Summary(
        title=_title(province_code, programme, provinces),
        province_code=province_code,
        as_of=today,
        totals=totals,
        by_agency=_lines(by_agency, agencies),
        by_leader=_lines(by_leader, {}),
        by_programme=_lines(by_programme, _programme_titles(conn, province_code, by_programme)),
        overdue=overdue,
        difficulties=listed,
        simulated=simulated,
        by_province=[]
        if province_code is not None
        else [Line(code, name, by_province[code]) for code, name in provinces.items()],
        difficulties_unlisted=unlisted,
    )


def days_overdue(today: date) -> Callable[[date], int]:
    """The working days past a deadline in force on ``today``, each deadline counted once."""
    memo: dict[date, int] = {}

    def read(deadline: date) -> int:
        days = memo.get(deadline)
        if days is None:
            days = memo[deadline] = working_days_between(effective_deadline(deadline), today)
        return days

    return read


def difficulties(
    conn: Connection,
    *,
    province_code: str | None = None,
    agency_ids: Sequence[int] | None = None,
    programme: str | None = None,
    provinces: dict[str, str] | None = None,
    limit: int | None = None,
) -> tuple[list[Difficulty], int]:
    """The difficulties and proposals raised in reports and not answered yet, oldest first (the
    oldest ``limit`` of them, all for None), each with its province's name from ``provinces``;
    and how many more there are."""
    raised = or_(
        and_(reports.c.difficulties.is_not(None), reports.c.difficulties != ""),
        and_(reports.c.proposals.is_not(None), reports.c.proposals != ""),
    )

    def unanswered(*columns):
        query = (
            select(*columns)
            .join(tasks, tasks.c.id == reports.c.task_id)
            .where(UNANSWERED, raised)  # as written: the index of those reports is then used
        )
        return _scoped(query, province_code, agency_ids, programme, reports.c.province_code)

    names = provinces or {}
    query = (
        unanswered(
            reports.c.id,
            reports.c.task_id,
            reports.c.reported_on,
            reports.c.difficulties,
            reports.c.proposals,
            reports.c.province_code,
            tasks.c.code,
            units.c.name.label("agency_name"),
        )
        .join(units, units.c.id == tasks.c.agency_id)
        .order_by(reports.c.reported_on, reports.c.id)
        .limit(limit)
    )
    listed = [
        Difficulty(
            task_id=r.task_id,
            report_id=r.id,
            code=r.code,
            agency=r.agency_name,
            reported_on=r.reported_on,
            difficulties=r.difficulties or None,
            proposals=r.proposals or None,
            province_code=r.province_code,
            province=names.get(r.province_code, r.province_code),
        )
        for r in (conn.execute(query) if limit != 0 else ())
    ]
    if limit is None or len(listed) < limit:
        return listed, 0
    return listed, conn.execute(unanswered(func.count())).scalar_one() - len(listed)


def _province_names(conn: Connection, today: date, province_code: str | None) -> dict[str, str]:
    """The current provinces' names by code, in the order of their codes: all of them, or the
    one of ``province_code`` (its code for a name, should no current province have it)."""
    query = select(units.c.code, units.c.name).where(units.c.level == "province", valid_at(today))
    if province_code is not None:
        query = query.where(units.c.code == province_code)
    names = dict(conn.execute(query.order_by(units.c.code)).all())
    if province_code is not None:
        names.setdefault(province_code, province_code)
    return names


def _title(province_code: str | None, programme: str | None, provinces: dict[str, str]) -> str:
    if programme is not None:
        return programme
    if province_code is None:
        return NATION
    return provinces[province_code]


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


def _counted_by_state(conn: Connection, today: date, *by: Any) -> Iterator[tuple[tuple, str, int]]:
    """The tasks counted by ``by`` and state in the database (tasks share their deadlines), each
    state's status computed once: (the values of ``by``, a status, how many tasks)."""
    query = select(*by, *STATE, func.count()).group_by(*by, *STATE)
    status_on = status_reader(today)
    for row in conn.execute(query):
        yield tuple(row[: len(by)]), status_on(row[len(by) : -1]), row[-1]


def national(conn: Connection, today: date) -> list[Line]:
    """A line per current province (its code and name), its tasks by status: the same lines as
    the country's summary gives (a province with no task has its line of zeros), counted in the
    database, for a reader that needs no more than them."""
    provinces = conn.execute(
        select(units.c.code, units.c.name)
        .where(units.c.level == "province", valid_at(today))
        .order_by(units.c.code)
    ).all()
    counts: dict[str, dict[str, int]] = defaultdict(_zeros)
    for (province_code,), status, n in _counted_by_state(conn, today, tasks.c.province_code):
        counts[province_code][status] += n
    return [Line(p.code, p.name, counts[p.code]) for p in provinces]


def country_totals(conn: Connection, today: date) -> dict[str, int]:
    """The country's tasks by status, counted in the database: the overview's panel, which lists
    none."""
    totals = _zeros()
    for _, status, n in _counted_by_state(conn, today):
        totals[status] += n
    return totals


def simulated_in(conn: Connection, province_code: str | None = None) -> bool:
    """Whether any task of the province (or of the country) is simulated (dữ liệu mô phỏng)."""
    query = select(tasks.c.id).where(tasks.c.simulated.is_(True))
    if province_code is not None:
        query = query.where(tasks.c.province_code == province_code)
    return conn.execute(query.limit(1)).first() is not None
