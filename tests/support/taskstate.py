"""What people do to a planned task (a progress report, a completion a leader confirmed, an
extended deadline), written straight into the tasks' tables: the workflow API that writes them is
built apart, and the roll-ups, the indicators and the reminders are tested on what it stores."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Engine

from ioc57.tasks.tables import reports, tasks

NOON = datetime(2026, 1, 1, 5, tzinfo=UTC)


def change(engine: Engine, task_id: int, **columns: Any) -> None:
    """Set columns of a task (``confirmed=True``: a leader confirmed its completion)."""
    if columns.pop("confirmed", False):
        columns["confirmed_at"], columns["confirmed_by"] = NOON, "t.lanhdao"
    with engine.begin() as conn:
        conn.execute(update(tasks).where(tasks.c.id == task_id).values(**columns))


def report(engine: Engine, task_id: int, reported_on: date, period: str, **fields: Any) -> int:
    """A progress report of the task's lead agency on ``reported_on``: its id."""
    with engine.begin() as conn:
        row = conn.execute(
            select(tasks.c.province_code, tasks.c.agency_id).where(tasks.c.id == task_id)
        ).one()
        values = {
            "task_id": task_id,
            "province_code": row.province_code,
            "agency_id": row.agency_id,
            "reported_on": reported_on,
            "submitted_at": NOON,
            "period": period,
            "percent": 50,
            "text": "Đã triển khai một phần",
            "author": "t.canbo.khcn",
            **fields,
        }
        return conn.execute(insert(reports).values(**values)).inserted_primary_key[0]
