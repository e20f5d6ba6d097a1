"""The tasks' figure for alert rules: how many tasks are overdue (``tasks.overdue``), per lead
agency (``by``: ``agency``, the default) or per province (``province``).

A task is overdue as its status says (``status.status_of``, computed today: past its deadline in
force, its completion not confirmed). Every agency (or province) that leads a task with a
deadline is a series, with 0 when none of its tasks is overdue, so that an alert on it resolves
when the last one is done or its deadline extended. Tasks arriving at the gate re-evaluate the
rules (``record_types``); a deadline passing, a confirmation or an extension is seen at the
alerts' next scheduled evaluation. Every series is returned whatever the batch: the tasks of a
province are a few thousand rows at most.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ioc57.core.clock import today
from ioc57.core.figures import Sample
from ioc57.tasks.status import state_of, status_of
from ioc57.tasks.tables import tasks
from ioc57.units.queries import valid_at
from ioc57.units.tables import units

BY = ("agency", "province")


def overdue_samples(
    conn: Connection, params: Mapping[str, Any], batch: int | None = None
) -> list[Sample]:
    """``tasks.overdue``: per agency (or province) leading tasks with a deadline, how many of
    them are overdue today."""
    by = str(params.get("by") or "agency")
    if by not in BY:
        raise ValueError(f"by must be one of {', '.join(BY)}, not {by!r}")
    day = today()
    query = select(
        tasks.c.agency_id,
        tasks.c.province_code,
        tasks.c.deadline,
        tasks.c.recurrence,
        tasks.c.extended_deadline,
        tasks.c.completed_on,
        tasks.c.confirmed_at,
        tasks.c.last_period,
    ).where(tasks.c.deadline.is_not(None))
    overdue: Counter[int | str] = Counter()
    for row in conn.execute(query):
        key = row.agency_id if by == "agency" else row.province_code
        overdue[key] += status_of(state_of(row), day) == "overdue"
    if not overdue:
        return []
    if by == "agency":
        named = select(units.c.id, units.c.code, units.c.id.label("key")).where(
            units.c.id.in_(list(overdue))
        )
    else:
        named = select(units.c.id, units.c.code, units.c.code.label("key")).where(
            units.c.level == "province", units.c.code.in_(list(overdue)), valid_at(day)
        )
    return [
        Sample(labels={by: r.code}, value=float(overdue[r.key]), unit_id=r.id)
        for r in conn.execute(named.order_by(units.c.code))
    ]
