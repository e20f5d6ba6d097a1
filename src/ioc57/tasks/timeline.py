"""A task's timeline: each step of the work on it (a report, a completion claimed, confirmed or
refused, a deadline extended, an answer, evidence added) is a row of ``tasks_events``.

``record`` writes a step in the caller's transaction together with its row of the audit log (who,
what, before and after), and gives the event the caller publishes on the bus once the transaction
commits: ``tasks.<kind>``, whose data hold the task's province, its id and its lead agency's code,
and whose units are the agency's chain (an officer's stream sees its own agencies' tasks).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import insert
from sqlalchemy.engine import Connection

from ioc57.core import audit
from ioc57.core.events import Event
from ioc57.tasks.assignment import Assignment
from ioc57.tasks.tables import events


def record(
    conn: Connection,
    work: Assignment,
    kind: str,
    *,
    actor: str,
    at: datetime,
    detail: dict[str, Any],
    object_type: str = "task",
    object_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> Event:
    """Write one step of ``work`` (the timeline's row and the audit log's); the bus event."""
    conn.execute(
        insert(events).values(
            task_id=work.id,
            at=at,
            actor=actor,
            kind=kind,
            detail=orjson.dumps(detail).decode(),
        )
    )
    audit.record(
        conn,
        actor=actor,
        action=f"task.{kind}",
        object_type=object_type,
        object_id=str(object_id if object_id is not None else work.id),
        before=before,
        after=after,
    )
    data = {
        "province_code": work.province_code,
        "task_id": work.id,
        "agency_code": work.agency_code,
        **detail,
        "actor": actor,
        "at": at.isoformat(),
    }
    return Event(type=f"tasks.{kind}", data=data, units=tuple(sorted(work.chain)))
