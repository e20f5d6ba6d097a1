"""What the action-programmes module offers the operations centre: the tasks overdue in the
person's scope, as concerns and as a key figure (``tasks.overdue``).

A task is overdue (``status.status_of``) from the day after its deadline in force (the extended
one, moved to the next working day when it falls on a day off) until a leader confirms its
completion: it needs attention from the local midnight that starts that day (``since``). Overdue is
late work on a programme a leader signed, so each concern is high (severity 2); the freshly
overdue rank above the older ones (``centre.registry.rank``). An agency with more than ``EACH``
overdue tasks gets one concern for all of them (since the oldest), so that one agency behind on a
programme does not flood the list; otherwise each task is its own concern.

Read from ``tasks_tasks`` alone: only the tasks with a deadline in force before today and no
confirmed completion are read, by the province or agency indexes of the scope.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.engine import Connection

from ioc57.core.access import Principal, may
from ioc57.core.clock import LOCAL_TZ, stored_utc
from ioc57.core.i18n import N_
from ioc57.core.pages import link
from ioc57.ingest.tables import batches
from ioc57.modules import Concern
from ioc57.tasks.pagescope import conditions, scope_of
from ioc57.tasks.queries import READ
from ioc57.tasks.rollup import days_overdue
from ioc57.tasks.status import effective_deadline, state_of, status_of
from ioc57.tasks.tables import events, tasks
from ioc57.units.tables import units

EACH = 3  # an agency with more overdue tasks than this: one concern for them all
ROWS = 8
TITLE = 160  # characters of a task's content shown as its title
SOURCE = N_("Action programmes (tasks reported by the lead agencies)")

OVERDUE_ROWS = select(
    tasks.c.id,
    tasks.c.code,
    tasks.c.content,
    tasks.c.province_code,
    tasks.c.deadline,
    tasks.c.recurrence,
    tasks.c.extended_deadline,
    tasks.c.completed_on,
    tasks.c.confirmed_at,
    tasks.c.last_period,
    tasks.c.simulated,
    units.c.code.label("agency_code"),
    units.c.name.label("agency_name"),
).join(units, units.c.id == tasks.c.agency_id)


def local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(), LOCAL_TZ).astimezone(UTC)


def overdue(conn: Connection, principal: Principal, day: date) -> list[Any]:
    """The tasks of the person's scope overdue on ``day``, the oldest deadline first."""
    scope = scope_of(conn, principal, None, None)
    in_force = func.coalesce(tasks.c.extended_deadline, tasks.c.deadline)
    open_ = or_(tasks.c.confirmed_at.is_(None), tasks.c.completed_on.is_(None))
    query = OVERDUE_ROWS.where(*conditions(scope), and_(in_force < day, open_))
    rows = [r for r in conn.execute(query) if status_of(state_of(r), day) == "overdue"]
    rows.sort(key=lambda r: (r.extended_deadline or r.deadline, r.id))
    return rows


def overdue_since(row: Any) -> datetime:
    """The start of the first day the task was overdue (UTC)."""
    last_day = effective_deadline(row.extended_deadline or row.deadline)
    return local_midnight(last_day + timedelta(days=1))


def find(conn: Connection, principal: Principal, now: datetime, limit: int) -> list[Concern]:
    """The overdue tasks of ``principal``'s scope: each, or one per agency with many."""
    if not may(principal, READ):
        return []
    day = now.astimezone(LOCAL_TZ).date()
    late = days_overdue(day)
    by_agency: dict[str, list[Any]] = defaultdict(list)
    for r in overdue(conn, principal, day):
        by_agency[r.agency_code].append(r)
    found: list[Concern] = []
    for code, rows in by_agency.items():
        if len(rows) > EACH:
            found.append(agency_concern(code, rows, late))
        else:
            found.extend(task_concern(r, late) for r in rows)
    found.sort(key=lambda c: (c.severity, c.since), reverse=True)
    return found[:limit]


def task_concern(r: Any, late: Any) -> Concern:
    deadline = r.extended_deadline or r.deadline
    return Concern(
        key=f"tasks:overdue:{r.id}",
        kind=N_("Task overdue"),
        title=f"{r.code} · {short(r.content)}",
        why=N_("{days} working days past its deadline of {deadline}"),
        since=overdue_since(r),
        severity=2,
        href=f"/tasks/{r.id}",
        owner=r.agency_name,
        unit_code=r.agency_code,
        args={"days": late(deadline), "deadline": deadline.isoformat()},
        simulated=bool(r.simulated),
        source=SOURCE,
    )


def agency_concern(code: str, rows: list[Any], late: Any) -> Concern:
    oldest = rows[0]  # the oldest deadline first (``overdue``)
    deadline = oldest.extended_deadline or oldest.deadline
    return Concern(
        key=f"tasks:overdue:agency:{code}",
        kind=N_("Tasks overdue"),
        title=oldest.agency_name,
        why=N_("{count} tasks past their deadline, the oldest by {days} working days"),
        since=overdue_since(oldest),
        severity=2,
        href=link("/tasks/list", province=oldest.province_code, agency=code, status="overdue"),
        owner=oldest.agency_name,
        unit_code=code,
        args={"count": len(rows), "days": late(deadline)},
        simulated=any(r.simulated for r in rows),
        source=SOURCE,
    )


def short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= TITLE else text[: TITLE - 1].rstrip() + "…"


def updated_at(conn: Connection, rows: list[Any]) -> datetime | None:
    """When the figure last changed: the newest of the last batch of tasks, the last step of work
    on a task (a completion confirmed, a deadline extended), and the start of the day the newest
    overdue task fell overdue."""
    moments = [overdue_since(r) for r in rows[-1:]]
    for query in (
        select(func.max(batches.c.finished_at)).where(batches.c.type == "task"),
        select(func.max(events.c.at)),
    ):
        value = conn.execute(query).scalar()
        if value is not None:
            moments.append(stored_utc(value))
    return max(moments, default=None)


def overdue_tile(conn: Connection, principal: Principal, now: datetime) -> dict[str, Any] | None:
    """The tasks overdue now in the person's scope, the agencies with the most as rows.

    No trend: a status is computed from today, not kept day by day. ``delta`` counts the tasks
    that fell overdue today (the change since yesterday, less any confirmed or extended today);
    ``status`` is ok with none overdue, watch with some, bad when some fell overdue today."""
    if not may(principal, READ):
        return None
    day = now.astimezone(LOCAL_TZ).date()
    rows = overdue(conn, principal, day)
    newest = sorted(rows, key=overdue_since)
    counts: dict[str, int] = defaultdict(int)
    names: dict[str, tuple[str, str]] = {}
    for r in rows:
        counts[r.agency_code] += 1
        names[r.agency_code] = (r.agency_name, r.province_code)
    worst = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:ROWS]
    fresh = sum(1 for r in rows if overdue_since(r) >= local_midnight(day))
    scope = scope_of(conn, principal, None, None)
    return {
        "value": len(rows),
        "uom": "count",
        "caption": N_("now"),
        "trend": [],  # the status is computed, not kept day by day: no history to draw
        "delta": fresh,  # fell overdue today
        "good": "down",
        "status": "ok" if not rows else "bad" if fresh else "watch",
        "updated_at": updated_at(conn, newest),
        "source": SOURCE,
        "simulated": any(r.simulated for r in rows),
        "href": link("/tasks/list", status="overdue", **scope.params()),
        "rows": [
            {
                "label": names[code][0],
                "value": n,
                "href": link("/tasks/list", province=names[code][1], agency=code, status="overdue"),
            }
            for code, n in worst
        ],
        "unit": scope.agency.name
        if scope.agency is not None
        else (scope.province.name if scope.province is not None else None),
    }
