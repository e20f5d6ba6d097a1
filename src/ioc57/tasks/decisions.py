"""A leader's decisions on a task: confirm or refuse the completion its lead agency claimed, extend
its deadline, answer the difficulties and proposals a report raised.

- Confirm: only a claimed completion (a report that ``completes`` it, with evidence); the task
  then counts as completed on the day of that report.
- Refuse, with a reason: the claim is withdrawn (``completed_on`` and ``completion_report_id``
  cleared); the report and its evidence stay, and the agency reports again.
- Extend, with a reason: a task with a deadline, to a day after the deadline in force; the first
  deadline stays in ``deadline`` and is shown beside the extended one.
- Answer: a report that raised difficulties or proposals; a later answer replaces the earlier
  one (the audit log keeps both).

A completion a leader confirmed is final: it is neither refused nor extended afterwards.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import update
from sqlalchemy.engine import Connection

from ioc57.core.events import Event
from ioc57.core.problems import Problem, field_error
from ioc57.tasks import evidence, progress, timeline
from ioc57.tasks.assignment import Assignment
from ioc57.tasks.progress import Words
from ioc57.tasks.queries import TASK_ROWS, public_task
from ioc57.tasks.status import deadline_in_force, state_of
from ioc57.tasks.tables import reports, tasks

MAX_REASON = 2_000


class RefusalIn(BaseModel):
    reason: Words = Field(max_length=MAX_REASON)


class ExtensionIn(BaseModel):
    deadline: date  # the new deadline
    reason: Words = Field(max_length=MAX_REASON)


class AnswerIn(BaseModel):
    answer: Words = Field(max_length=progress.MAX_NOTE)


def conflict(msg: str) -> Problem:
    return Problem(409, msg, errors=[{"loc": ["path", "task_id"], "msg": msg}])


def claimed(row: Any) -> None:
    """Refuse a decision on a completion unless one waits for it."""
    if row.confirmed_at is not None:
        raise conflict("the completion is confirmed already")
    if row.completed_on is None:
        raise conflict("no completion is claimed: a report that completes the task comes first")


def changed(
    conn: Connection, work: Assignment, changes: dict[str, Any], today: date
) -> dict[str, Any]:
    """Set ``changes`` on the task; the task as the API shows it now."""
    conn.execute(update(tasks).where(tasks.c.id == work.id).values(**changes))
    return public_task(conn.execute(TASK_ROWS.where(tasks.c.id == work.id)).one(), today)


def confirm(
    conn: Connection, work: Assignment, *, actor: str, today: date, at: datetime
) -> tuple[dict[str, Any], Event]:
    """Confirm the completion the lead agency claimed; the task, and the bus event."""
    row = work.row
    claimed(row)
    done = changed(conn, work, {"confirmed_by": actor, "confirmed_at": at}, today)
    event = timeline.record(
        conn,
        work,
        "confirmed",
        actor=actor,
        at=at,
        detail={
            "report_id": row.completion_report_id,
            "completed_on": row.completed_on.isoformat(),
            "status": done["status"],
        },
        before={"confirmed_at": None},
        after={"confirmed_by": actor, "confirmed_at": at, "completed_on": row.completed_on},
    )
    return done, event


def refuse(
    conn: Connection,
    work: Assignment,
    body: RefusalIn,
    *,
    actor: str,
    today: date,
    at: datetime,
) -> tuple[dict[str, Any], Event]:
    """Refuse the completion the lead agency claimed, saying why; the task, and the bus event."""
    row = work.row
    claimed(row)
    done = changed(conn, work, {"completed_on": None, "completion_report_id": None}, today)
    event = timeline.record(
        conn,
        work,
        "completion_refused",
        actor=actor,
        at=at,
        detail={"report_id": row.completion_report_id, "reason": body.reason},
        before={"completed_on": row.completed_on, "completion_report_id": row.completion_report_id},
        after={"completed_on": None, "completion_report_id": None, "reason": body.reason},
    )
    return done, event


def extend(
    conn: Connection,
    work: Assignment,
    body: ExtensionIn,
    *,
    actor: str,
    today: date,
    at: datetime,
) -> tuple[dict[str, Any], Event]:
    """Move the deadline of a task to a later day, saying why; the task, and the bus event."""
    row = work.row
    in_force = deadline_in_force(state_of(row))
    if in_force is None:
        raise conflict("a recurring or ongoing task has no deadline to extend")
    if row.confirmed_at is not None:
        raise conflict("the completion is confirmed already")
    if body.deadline <= in_force:
        raise field_error("deadline", f"must come after the deadline in force, {in_force}")
    done = changed(conn, work, {"extended_deadline": body.deadline}, today)
    event = timeline.record(
        conn,
        work,
        "extended",
        actor=actor,
        at=at,
        detail={
            "deadline": row.deadline.isoformat(),
            "from": in_force.isoformat(),
            "to": body.deadline.isoformat(),
            "reason": body.reason,
        },
        before={"extended_deadline": row.extended_deadline},
        after={"extended_deadline": body.deadline, "reason": body.reason},
    )
    return done, event


def answer(
    conn: Connection,
    work: Assignment,
    report_id: int,
    body: AnswerIn,
    *,
    actor: str,
    at: datetime,
) -> tuple[dict[str, Any], Event]:
    """Answer the difficulties and proposals of a report; the report, and the bus event."""
    row = progress.report_row(conn, work.id, report_id)
    if not (row.difficulties or row.proposals):
        raise Problem(
            409,
            "This report raised no difficulty or proposal to answer.",
            errors=[{"loc": ["path", "report_id"], "msg": "nothing to answer"}],
        )
    changes = {"answer": body.answer, "answered_by": actor, "answered_at": at}
    conn.execute(update(reports).where(reports.c.id == report_id).values(**changes))
    new = progress.report_row(conn, work.id, report_id)
    event = timeline.record(
        conn,
        work,
        "answered",
        actor=actor,
        at=at,
        detail={"report_id": report_id},
        object_type="task_report",
        object_id=report_id,
        before={k: getattr(row, k) for k in changes},
        after=changes,
    )
    files = evidence.listed(conn, [report_id])[report_id]
    return progress.item(new, work.agency_code, files), event
