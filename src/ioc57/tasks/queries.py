"""Reading programmes and tasks as the API, the pages and the exports show them.

Every task is shown with its computed ``status`` (``status.status_of``, on the local day) and its
agencies as unit codes. Who reads what: ``tasks.read``; a person with a unit (an officer) reads
only the tasks whose lead agency lies in that unit's subtree, and the programmes of its province.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import orjson
from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.engine import Connection

from ioc57.core.access import Principal, authorize
from ioc57.core.clock import local_iso
from ioc57.core.problems import Problem
from ioc57.ingest.tables import records
from ioc57.tasks.status import DONE, deadline_in_force, state_of, status_of
from ioc57.tasks.tables import events, programmes, tasks
from ioc57.units.queries import scope_chain, subtree_ids, unit_by_id
from ioc57.units.tables import units

READ = "tasks.read"

agencies = units.alias("agencies")
TASK_ROWS = select(
    tasks,
    agencies.c.code.label("agency_code"),
    agencies.c.name.label("agency_name"),
).join(agencies, agencies.c.id == tasks.c.agency_id)
PROGRAMME_ROWS = select(programmes, units.c.code.label("unit_code")).join(
    units, units.c.id == programmes.c.unit_id
)


def iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def public_task(row: Any, today: date) -> dict[str, Any]:
    """A task as the API answers it (``row``: of ``TASK_ROWS``)."""
    state = state_of(row)
    return {
        "id": row.id,
        "programme": row.programme_code,
        "code": row.code,
        "content": row.content,
        "province": row.province_code,
        "lead_agency": row.agency_code,
        "lead_agency_name": row.agency_name,
        "cooperating_agencies": orjson.loads(row.cooperating),
        "leader": row.leader,
        "output": row.output,
        "deadline": iso(row.deadline),
        "extended_deadline": iso(row.extended_deadline),
        "deadline_in_force": iso(deadline_in_force(state)),
        "recurrence": row.recurrence,
        "indicators": orjson.loads(row.indicators),
        "status": status_of(state, today),
        "percent": row.percent,
        "completed_on": iso(row.completed_on),
        "confirmed_at": local_iso(row.confirmed_at),
        "confirmed_by": row.confirmed_by,
        "last_reported_on": iso(row.last_reported_on),
        "last_period": row.last_period,
        "planned_at": local_iso(row.planned_at),
        "simulated": bool(row.simulated),  # dữ liệu mô phỏng
    }


def public_programme(row: Any) -> dict[str, Any]:
    """A programme as the API answers it (``row``: of ``PROGRAMME_ROWS``)."""
    return {
        "id": row.id,
        "code": row.code,
        "title": row.title,
        "issued_by": row.issued_by,
        "issued_date": iso(row.issued_date),
        "unit": row.unit_code,
        "province": row.province_code,
        "legal_basis": row.legal_basis,
        "parent": row.parent_code,
        "simulated": bool(row.simulated),  # dữ liệu mô phỏng
    }


def not_found(what: str, key: str, value: int) -> Problem:
    return Problem(404, f"No {what} {value}.", errors=[{"loc": ["path", key], "msg": "not found"}])


def task_in_scope(
    conn: Connection,
    principal: Principal | None,
    task_id: int,
    action: str = READ,
    *,
    for_update: bool = False,
) -> Any:
    """The row (of ``TASK_ROWS``) of a task ``principal`` may take ``action`` on: 404 for no
    such task, 403 when its lead agency lies outside the principal's scope; the task's row is
    locked until the transaction ends when ``for_update``."""
    return task_and_chain(conn, principal, task_id, action, for_update=for_update)[0]


def task_and_chain(
    conn: Connection,
    principal: Principal | None,
    task_id: int,
    action: str = READ,
    *,
    for_update: bool = False,
) -> tuple[Any, set[int]]:
    """``task_in_scope``'s row, and its lead agency's chain (the agency and the units above it)
    the scope was checked against: the work on a task announces its events to that chain."""
    authorize(principal, action)
    query = TASK_ROWS.where(tasks.c.id == task_id)
    if for_update:
        query = query.with_for_update(of=tasks)
    row = conn.execute(query).first()
    if row is None:
        raise not_found("task", "task_id", task_id)
    chain = scope_chain(conn, unit_by_id(conn, row.agency_id))
    authorize(principal, action, chain)
    return row, chain


def timeline(conn: Connection, task_id: int) -> list[dict[str, Any]]:
    """The steps of a task, oldest first: planned, changed, reported, confirmed, ..."""
    query = select(events).where(events.c.task_id == task_id).order_by(events.c.at, events.c.id)
    return [
        {
            "at": local_iso(r.at),
            "actor": r.actor,
            "kind": r.kind,
            "detail": orjson.loads(r.detail),
        }
        for r in conn.execute(query)
    ]


def in_subtree(conn: Connection, unit: Any | None) -> list[Any]:
    """Conditions for the tasks whose lead agency lies in ``unit``'s subtree (all when None)."""
    if unit is None:
        return []
    return [tasks.c.agency_id.in_(subtree_ids(conn, unit))]


def may_be(status: str) -> Any:
    """A condition every task of ``status`` meets (the status itself is computed)."""
    if status in DONE:
        return and_(tasks.c.deadline.is_not(None), tasks.c.confirmed_at.is_not(None))
    if status in ("within_deadline", "overdue"):
        return and_(
            tasks.c.deadline.is_not(None),
            or_(tasks.c.confirmed_at.is_(None), tasks.c.completed_on.is_(None)),
        )
    return tasks.c.deadline.is_(None)


def list_tasks(
    conn: Connection,
    where: list[Any],
    today: date,
    status: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> dict[str, Any]:
    """The tasks that meet ``where`` (and have ``status``), by programme then as planned:
    ``{"items", "total", "limit", "offset"}``."""
    order = (tasks.c.province_code, tasks.c.programme_code, tasks.c.id)
    query: Select[Any] = TASK_ROWS.where(*where).order_by(*order)
    if status is None:
        total = conn.execute(select(func.count()).select_from(tasks).where(*where)).scalar_one()
        rows = conn.execute(query.limit(limit).offset(offset))
        items = [public_task(r, today) for r in rows]
    else:
        found = [public_task(r, today) for r in conn.execute(query.where(may_be(status)))]
        found = [t for t in found if t["status"] == status]
        total, items = len(found), found[offset : offset + limit]
    return {"items": items, "total": total, "limit": limit, "offset": offset}


def stored_id(conn: Connection, source_id: int, type_name: str, record_id: str) -> int | None:
    """The id of a source's record (a programme's or a task's row has it)."""
    query = select(records.c.id).where(
        records.c.source_id == source_id,
        records.c.type == type_name,
        records.c.record_id == record_id,
    )
    return conn.execute(query).scalar()
