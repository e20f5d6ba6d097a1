"""A task as the work on it meets it: its row, its lead agency, and who may act on it.

Whoever reports on a task, adds evidence, reads its reports or downloads a file acts within the
task's LEAD agency: an officer whose unit holds it (the agency's own, or the province above it),
never one of a cooperating agency; a leader or an admin without a unit acts on every task.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ioc57.core.access import Principal, authorize
from ioc57.core.clock import local_iso
from ioc57.core.problems import Problem
from ioc57.tasks.status import state_of, status_of
from ioc57.tasks.tables import tasks
from ioc57.units.queries import scope_chain
from ioc57.units.tables import units


@dataclass(frozen=True)
class Assignment:
    """A ``tasks_tasks`` row and its lead agency (a ``units`` row), with the agency's chain."""

    row: Any
    agency: Any
    chain: frozenset[int]  # the agency and the units above it

    @property
    def id(self) -> int:
        return self.row.id

    @property
    def province_code(self) -> str:
        return self.row.province_code

    @property
    def agency_code(self) -> str:
        return self.agency.code


def assignment(conn: Connection, task_id: int, *, for_update: bool = False) -> Assignment | None:
    """The task ``task_id``; locked until the transaction ends when ``for_update`` (two writes to
    one task take turns)."""
    query = select(tasks).where(tasks.c.id == task_id)
    if for_update:
        query = query.with_for_update()
    row = conn.execute(query).first()
    if row is None:
        return None
    agency = conn.execute(select(units).where(units.c.id == row.agency_id)).one()
    return Assignment(row, agency, frozenset(scope_chain(conn, agency)))


def authorized(
    conn: Connection,
    principal: Principal | None,
    action: str,
    task_id: int,
    *,
    for_update: bool = False,
) -> Assignment:
    """The task ``task_id`` once ``principal`` may take ``action`` on it: 401 or 403 for a role
    that may not (before the task is looked up), 404 for no such task, 403 for a task whose lead
    agency is outside the principal's unit."""
    authorize(principal, action)
    found = assignment(conn, task_id, for_update=for_update)
    if found is None:
        raise Problem(
            404,
            f"No task {task_id}.",
            errors=[{"loc": ["path", "task_id"], "msg": "no such task"}],
        )
    authorize(principal, action, found.chain)
    return found


def work_done(row: Any, today: date) -> dict[str, Any]:
    """What the work on a task made of it: its status on ``today`` and the columns people set."""

    def day(value: date | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "id": row.id,
        "status": status_of(state_of(row), today),
        "deadline": day(row.deadline),
        "extended_deadline": day(row.extended_deadline),
        "recurrence": row.recurrence,
        "percent": row.percent,
        "last_reported_on": day(row.last_reported_on),
        "last_period": row.last_period,
        "completed_on": day(row.completed_on),
        "completion_report_id": row.completion_report_id,
        "confirmed_by": row.confirmed_by,
        "confirmed_at": local_iso(row.confirmed_at),
    }
