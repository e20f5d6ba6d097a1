"""Keeping ``tasks_programmes`` and ``tasks_tasks`` current with the gate's records.

The gate hands its projectors, inside the chunk's transaction, the programmes and tasks it accepted
or updated (an unchanged or stale version never comes). Each is stored under its record's id,
inserted the first time and updated after. A newer version of a task changes what was planned (its
content, agency, deadline, ...) and never what people did to it since: the columns of
``WORKFLOW`` are left as they are. A task's first version adds ``planned`` to its timeline
(``tasks_events``), each later one that changes it ``changed``, with what changed (each field as
the record names it: its value before and after).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import orjson
from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.engine import Connection

from ioc57.core.clock import now
from ioc57.ingest.hooks import Projection
from ioc57.ingest.storage import among, parts
from ioc57.ingest.tables import records
from ioc57.ingest.unitcache import UnitInfo
from ioc57.tasks.records import PROGRAMME, TASK
from ioc57.tasks.tables import events, programmes, tasks
from ioc57.units.tables import units

Items = list[tuple[dict[str, Any], UnitInfo | None]]

# what people did to a task after it was planned: never overwritten by a newer version
WORKFLOW = (
    "extended_deadline",
    "completed_on",
    "completion_report_id",
    "confirmed_by",
    "confirmed_at",
    "last_reported_on",
    "last_period",
    "percent",
    "planned_at",
)
# the columns a task's record sets
PLANNED = (
    "programme_code",
    "code",
    "content",
    "agency_id",
    "cooperating",
    "leader",
    "output",
    "deadline",
    "recurrence",
    "indicators",
)


def day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def stored_records(conn: Connection, ctx: Projection, type_name: str, items: Items) -> dict:
    """The gate's rows of ``items`` (by record id): their ids, units and province."""
    query = select(
        records.c.id,
        records.c.record_id,
        records.c.unit_id,
        records.c.agency_id,
        records.c.province_code,
    ).where(records.c.source_id == ctx.source_id, records.c.type == type_name)
    found: dict[str, Any] = {}
    for part in parts(conn, [data["id"] for data, _unit in items]):
        for r in conn.execute(among(conn, query, records.c.record_id, part)):
            found[r.record_id] = r
    return found


def existing(conn: Connection, table: Any, ids: list[int], *columns: Any) -> dict[int, Any]:
    """The rows of ``table`` already stored among ``ids``."""
    found: dict[int, Any] = {}
    for part in parts(conn, ids):
        query = select(table.c.id, *columns).where(table.c.id.in_(part))
        found.update((r.id, r) for r in conn.execute(query))
    return found


def upsert(conn: Connection, table: Any, rows: list[dict[str, Any]], known: dict) -> None:
    """Insert the new rows, update the others (all of their columns but the id)."""
    new = [r for r in rows if r["id"] not in known]
    old = [{**r, "_id": r["id"]} for r in rows if r["id"] in known]
    if new:
        conn.execute(insert(table), new)
    if old:
        columns: dict[str, Any] = {k: bindparam(k) for k in old[0] if k not in ("id", "_id")}
        conn.execute(update(table).where(table.c.id == bindparam("_id")).values(columns), old)


def project_programmes(conn: Connection, ctx: Projection, items: Items) -> None:
    """The gate's projector of programmes."""
    stored = stored_records(conn, ctx, PROGRAMME.name, items)
    rows = []
    for data, _unit in items:
        record = stored[data["id"]]
        rows.append(
            {
                "id": record.id,
                "source_id": ctx.source_id,
                "province_code": record.province_code,
                "unit_id": record.unit_id,
                "code": data["code"],
                "title": data["title"],
                "issued_by": data["issued_by"],
                "issued_date": day(data["issued_date"]),
                "legal_basis": data["legal_basis"],
                "parent_code": data["parent"],
                "simulated": ctx.simulated,
            }
        )
    upsert(conn, programmes, rows, existing(conn, programmes, [r["id"] for r in rows]))


def task_row(record: Any, data: dict[str, Any], ctx: Projection) -> dict[str, Any]:
    """The planned columns of a task's row (``record`` holds its gate record's columns)."""
    return {
        "id": record.id,
        "source_id": ctx.source_id,
        "province_code": record.province_code,
        "programme_code": data["programme"],
        "code": data["code"],
        "content": data["content"],
        "agency_id": record.agency_id,
        "cooperating": orjson.dumps(data["cooperating_agencies"]).decode(),
        "leader": data["leader"],
        "output": data["output"],
        "deadline": day(data["deadline"]),
        "recurrence": data["recurrence"],
        "indicators": orjson.dumps(data["indicators"]).decode(),
        "simulated": ctx.simulated,
    }


def as_planned(row: Any, codes: dict[int, str]) -> dict[str, Any]:
    """What a task's row says was planned, as its record names it (agencies by code)."""
    return {
        "programme": row["programme_code"],
        "code": row["code"],
        "content": row["content"],
        "agency": codes.get(row["agency_id"]),
        "cooperating_agencies": orjson.loads(row["cooperating"]),
        "leader": row["leader"],
        "output": row["output"],
        "deadline": row["deadline"].isoformat() if row["deadline"] else None,
        "recurrence": row["recurrence"],
        "indicators": orjson.loads(row["indicators"]),
    }


def changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """What a new version changes of what was planned: field -> [before, after]."""
    return {k: [before[k], after[k]] for k in before if before[k] != after[k]}


def agency_codes(conn: Connection, ids: set[int]) -> dict[int, str]:
    query = select(units.c.id, units.c.code).where(units.c.id.in_(sorted(ids)))
    return {r.id: r.code for r in conn.execute(query)}


def project_tasks(conn: Connection, ctx: Projection, items: Items) -> None:
    """The gate's projector of tasks: each stored or updated, and a step of its timeline."""
    stored = stored_records(conn, ctx, TASK.name, items)
    rows = [task_row(stored[data["id"]], data, ctx) for data, _unit in items]
    known = existing(conn, tasks, [r["id"] for r in rows], *(tasks.c[k] for k in PLANNED))
    moved = {
        r["id"] for r in rows if r["id"] in known and r["agency_id"] != known[r["id"]].agency_id
    }
    codes = agency_codes(
        conn,
        {r["agency_id"] for r in rows if r["id"] in moved} | {known[k].agency_id for k in moved},
    )
    at = now()
    steps: list[tuple[int, str, dict[str, Any]]] = []
    for row in rows:
        if row["id"] not in known:
            row["planned_at"] = at
            steps.append((row["id"], "planned", {}))
            continue
        changed = changes(as_planned(known[row["id"]]._mapping, codes), as_planned(row, codes))
        if changed:
            steps.append((row["id"], "changed", changed))
    upsert(conn, tasks, rows, known)
    if steps:
        conn.execute(
            insert(events),
            [
                {
                    "task_id": task_id,
                    "at": at,
                    "actor": ctx.actor[:100],
                    "kind": kind,
                    "detail": orjson.dumps(detail).decode(),
                }
                for task_id, kind, detail in steps
            ],
        )
