"""Reminders to a task's lead agency: a few working days before the deadline in force
(``IOC57_TASKS_REMIND_DAYS``, 3) and once it is past.

Each is sent once per task, kind and deadline: a row of ``tasks_reminders``, inserted only when
none is there (two processes that scan at once send it once), a ``reminded`` step in the task's
timeline (``timeline.record``: audited), and an event ``tasks.due_soon`` or ``tasks.overdue`` on
the bus for the alerts and the live pages, with the data of the timeline's events (province,
task, lead agency's code) and the deadline. A deadline extended by a leader is a new deadline:
it is reminded of again. A task whose lead agency claimed its completion is not reminded of (it
waits on a leader), nor a recurring or ongoing one (it has no deadline).

The app sends them when it starts, then every hour (``Reminders``); ``ioc57 tasks remind`` sends
them now.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection, Engine

from ioc57.core.clock import now, stored_utc
from ioc57.core.clock import today as local_today
from ioc57.core.db import insert_once
from ioc57.core.events import Event, EventBus
from ioc57.core.periodic import Periodic
from ioc57.core.settings import read_settings
from ioc57.core.workdays import working_days_between
from ioc57.tasks import timeline
from ioc57.tasks.assignment import Assignment
from ioc57.tasks.status import effective_deadline
from ioc57.tasks.tables import reminders, tasks
from ioc57.units.tables import units

EVERY_S = 3600.0
ACTOR = "ioc57"

parents = units.alias("parents")
IN_FORCE = func.coalesce(tasks.c.extended_deadline, tasks.c.deadline)


@dataclass(frozen=True)
class Reminder:
    """A reminder sent to an agency, as its officers read it."""

    task_id: int
    code: str
    content: str
    kind: str  # due_soon, overdue
    deadline: date
    sent_at: datetime


def _kind(deadline: date, today: date, days: int) -> str | None:
    last_day = effective_deadline(deadline)
    if today > last_day:
        return "overdue"
    if working_days_between(today, last_day) <= days:
        return "due_soon"
    return None


def _sent(conn: Connection) -> set[tuple[int, str, date]]:
    """The reminders already sent of the deadlines in force of tasks still waiting."""
    query = (
        select(reminders.c.task_id, reminders.c.kind, reminders.c.deadline)
        .join(tasks, tasks.c.id == reminders.c.task_id)
        .where(tasks.c.completed_on.is_(None), reminders.c.deadline == IN_FORCE)
    )
    return {tuple(r) for r in conn.execute(query)}


def _insert_once(conn: Connection, values: dict[str, Any]) -> bool:
    """Insert the reminder unless it is there (on both databases): whether this call sent it."""
    statement = insert_once(conn, reminders, ["task_id", "kind", "deadline"]).values(**values)
    return conn.execute(statement.returning(reminders.c.id)).first() is not None


def _send(conn: Connection, today: date, days: int) -> list[Event]:
    query = (
        select(
            tasks.c.id,
            tasks.c.province_code,
            tasks.c.agency_id,
            IN_FORCE.label("deadline"),
            units.c.code.label("agency_code"),
            units.c.parent_id,
            parents.c.parent_id.label("grandparent_id"),
        )
        .join(units, units.c.id == tasks.c.agency_id)
        .outerjoin(parents, parents.c.id == units.c.parent_id)
        .where(tasks.c.deadline.is_not(None), tasks.c.completed_on.is_(None))
    )
    sent = _sent(conn)
    out = []
    for row in conn.execute(query).all():
        kind = _kind(row.deadline, today, days)
        if kind is None or (row.id, kind, row.deadline) in sent:
            continue
        at = now()
        values = {
            "task_id": row.id,
            "agency_id": row.agency_id,
            "province_code": row.province_code,
            "kind": kind,
            "deadline": row.deadline,
            "sent_at": at,
        }
        if not _insert_once(conn, values):
            continue  # another process sent it
        chain = frozenset(u for u in (row.agency_id, row.parent_id, row.grandparent_id) if u)
        detail = {"kind": kind, "deadline": row.deadline.isoformat()}
        event = timeline.record(
            conn, Assignment(row, chain), "reminded", actor=ACTOR, at=at, detail=detail
        )
        out.append(replace(event, type=f"tasks.{kind}"))
    return out


def send_reminders(
    target: Connection | Engine,
    today: date,
    bus: EventBus | None = None,
    *,
    days: int | None = None,
) -> list[Event]:
    """Send the reminders due on ``today`` that were not sent yet; the events of those sent.

    With an engine, in a transaction of its own, the events published once it is committed; with
    a connection, in the caller's transaction, the events published before it commits.
    """
    days = read_settings().tasks_remind_days if days is None else days
    if isinstance(target, Engine):
        with target.begin() as conn:
            sent = _send(conn, today, days)
    else:
        sent = _send(target, today, days)
    if bus is not None:
        for event in sent:
            bus.publish(event)
    return sent


def reminders_for(conn: Connection, agency_ids: Sequence[int], limit: int = 20) -> list[Reminder]:
    """The latest reminders to these agencies that still stand (the task not completed, the
    deadline still in force), newest first: what their officers are shown."""
    query = (
        select(
            reminders.c.task_id,
            tasks.c.code,
            tasks.c.content,
            reminders.c.kind,
            reminders.c.deadline,
            reminders.c.sent_at,
        )
        .join(tasks, tasks.c.id == reminders.c.task_id)
        .where(reminders.c.agency_id.in_(sorted(agency_ids)))
        .where(tasks.c.completed_on.is_(None), reminders.c.deadline == IN_FORCE)
        .order_by(reminders.c.sent_at.desc(), reminders.c.id.desc())
        .limit(limit)
    )
    return [
        Reminder(r.task_id, r.code, r.content, r.kind, r.deadline, stored_utc(r.sent_at))
        for r in conn.execute(query)
    ]


class Reminders(Periodic):
    """Sends the reminders when the app starts (before it serves), then every ``every`` seconds,
    on a daemon thread."""

    def __init__(self, engine: Engine, bus: EventBus, days: int, every: float = EVERY_S) -> None:
        super().__init__("ioc57-reminders", every, self._send)
        self.engine, self.bus, self.days = engine, bus, days

    def _send(self) -> None:
        send_reminders(self.engine, local_today(), self.bus, days=self.days)

    def start(self, *, first_round_now: bool = False) -> None:
        self.run_once()
        super().start(first_round_now=first_round_now)
