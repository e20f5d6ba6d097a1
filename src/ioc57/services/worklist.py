"""The operator's work list: the open dossiers of a unit, most urgent first.

The gate keeps ``services_open_dossiers`` current in the transaction that stores a dossier
(``project``): an open status puts the dossier in (or updates it), a final one takes it out. Only
the records the gate accepted or updated reach it: an unchanged or stale version changes nothing.
``rebuild`` makes the same table from the stored records, for a database whose records came
before the table, or after the working-day calendar changed (the effective due times move).
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

import orjson
from sqlalchemy import Select, case, delete, func, insert, or_, select, true
from sqlalchemy.engine import Connection

from ioc57.core.clock import LOCAL_TZ, now, stored_utc
from ioc57.core.periods import parse_period
from ioc57.core.workdays import add_working_days, working_days_between
from ioc57.ingest.hooks import Projection
from ioc57.ingest.storage import among, parts
from ioc57.ingest.tables import records, sources
from ioc57.ingest.unitcache import UnitInfo
from ioc57.services.dossier import DOSSIER, effective_due
from ioc57.services.index import scopes_of, stakes
from ioc57.services.procedures import procedure_names
from ioc57.services.scope import subtree_parts
from ioc57.services.tables import open_dossiers
from ioc57.units.queries import scope_chain, unit_by_id
from ioc57.units.tables import units

OPEN = ("received", "supplement", "suspended", "processing")
# what the list filters by: how urgent a dossier is, or its status
STATES = ("open", "overdue", "due_soon", "supplement", "suspended", "processing", "received")
SOON = 2  # working days: a dossier due within them is "due soon"


# -- keeping the table current ------------------------------------------------------------------


def open_row(record: Any, data: dict[str, Any]) -> dict[str, Any]:
    """The table's row of an open dossier: ``record`` holds its gate record's columns."""
    return {
        "id": record.id,
        "source_id": record.source_id,
        "record_id": record.record_id,
        "unit_id": record.unit_id,
        "agency_id": record.agency_id,
        "province_code": record.province_code,
        "procedure": data["procedure"],
        "channel": data["channel"],
        "status": data["status"],
        "received_at": datetime.fromisoformat(data["received_at"]),
        "due_at": datetime.fromisoformat(data["due_at"]),
        "effective_due_at": effective_due(data).astimezone(UTC),
        "suspended_days": data["suspended_days"],
        "supplement_requests": data["supplement_requests"],
    }


RECORD_COLUMNS = (
    records.c.id,
    records.c.source_id,
    records.c.record_id,
    records.c.unit_id,
    records.c.agency_id,
    records.c.province_code,
)


def project(
    conn: Connection, ctx: Projection, items: list[tuple[dict[str, Any], UnitInfo | None]]
) -> None:
    """The gate's projector of dossiers: the accepted and updated ones of a chunk, already stored
    as records; each that replaced a stored version leaves the table (a new one is not in it),
    and those open come back as they are now. The records are read back only for those."""
    shown = [data for data, _unit in items if data["status"] in OPEN]
    of_source = select(*RECORD_COLUMNS).where(
        records.c.source_id == ctx.source_id, records.c.type == DOSSIER.name
    )
    stored: dict[str, Any] = {}
    read = sorted(ctx.replaced | {data["id"] for data in shown})
    for part in parts(conn, read):
        for r in conn.execute(among(conn, of_source, records.c.record_id, part)):
            stored[r.record_id] = r
    gone = [stored[key].id for key in sorted(ctx.replaced)]
    for part in parts(conn, gone):
        conn.execute(delete(open_dossiers).where(open_dossiers.c.id.in_(part)))
    if shown:
        conn.execute(insert(open_dossiers), [open_row(stored[data["id"]], data) for data in shown])


def rebuild(conn: Connection, batch_size: int = 5_000) -> int:
    """Make the table anew from the stored dossiers; return how many are open."""
    conn.execute(delete(open_dossiers))
    query = (
        select(*RECORD_COLUMNS, records.c.data)
        .where(records.c.type == DOSSIER.name)
        .execution_options(yield_per=batch_size)
    )
    count, rows = 0, []
    for r in conn.execute(query):
        data = orjson.loads(r.data)
        if data["status"] in OPEN:
            rows.append(open_row(r, data))
        if len(rows) >= batch_size:
            conn.execute(insert(open_dossiers), rows)
            count, rows = count + len(rows), []
    if rows:
        conn.execute(insert(open_dossiers), rows)
    return count + len(rows)


# -- reading it ---------------------------------------------------------------------------------


def local_iso(value: datetime | str | None) -> str | None:
    """A stored time (a column's, or a record's ISO text in UTC) as Việt Nam's, with its offset."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return stored_utc(value).astimezone(LOCAL_TZ).isoformat()


def soon_until(at: datetime) -> datetime:
    """The first moment after "due soon" seen at ``at``: the end of the day ``SOON`` working
    days ahead."""
    day = add_working_days(at.astimezone(LOCAL_TZ).date(), SOON) + timedelta(days=1)
    return datetime.combine(day, time(), LOCAL_TZ).astimezone(UTC)


def working_days_left(due: datetime, at: datetime) -> int:
    """Working days from ``at``'s day to ``due``'s day; negative when the day is past."""
    due_day, day = due.astimezone(LOCAL_TZ).date(), at.astimezone(LOCAL_TZ).date()
    if due_day >= day:
        return working_days_between(day, due_day)
    return -working_days_between(due_day, day)


def state_of(status: str, due: datetime, at: datetime, soon: datetime) -> str:
    """How urgent an open dossier is at ``at``: overdue, due soon, or else its status."""
    if due < at:
        return "overdue"
    if due < soon:
        return "due_soon"
    return status


def in_state(state: str, at: datetime, soon: datetime) -> list[Any]:
    """Conditions on the table for the dossiers in ``state`` (one of ``STATES``) at ``at``."""
    t = open_dossiers.c
    if state == "overdue":
        return [t.effective_due_at < at]
    if state == "due_soon":
        return [t.effective_due_at >= at, t.effective_due_at < soon]
    if state == "open":
        return []
    return [t.status == state]


agencies = units.alias("agencies")
LISTED = (
    select(
        open_dossiers,
        units.c.code.label("unit_code"),
        units.c.name.label("unit_name"),
        agencies.c.code.label("agency_code"),
        agencies.c.name.label("agency_name"),
        sources.c.simulated,
    )
    .join(units, units.c.id == open_dossiers.c.unit_id)
    .join(sources, sources.c.id == open_dossiers.c.source_id)
    .outerjoin(agencies, agencies.c.id == open_dossiers.c.agency_id)
)


def unit_stakes(conn: Connection, unit_ids: set[int], at: datetime) -> dict[int, float]:
    """What each unit's 766 index for the month of ``at`` loses if one more of its dossiers
    finishes late rather than on time (``services.index.stakes``)."""
    if not unit_ids:
        return {}
    day = at.astimezone(LOCAL_TZ).date()
    rows = list(conn.execute(select(units).where(units.c.id.in_(sorted(unit_ids)))))
    return stakes(conn, scopes_of(conn, rows, day), parse_period(f"{day:%Y%m}"), day)


def narrowed(procedure: str | None) -> list[Any]:
    """Conditions on the table for the dossiers of one procedure (any when None)."""
    return [] if procedure is None else [open_dossiers.c.procedure == procedure]


def subtree(conn: Connection, unit: Any | None) -> list[Any]:
    """Conditions whose union is ``unit``'s subtree (every unit when None), each served in
    order of the effective due time by an index of the table (``scope.subtree_parts``)."""
    return [true()] if unit is None else subtree_parts(conn, open_dossiers, unit)


def state_counts(
    conn: Connection, unit: Any | None, at: datetime | None = None, procedure: str | None = None
) -> dict[str, int]:
    """How many open dossiers of ``unit``'s subtree (of a procedure) are in each of ``STATES``
    at ``at`` (now): one pass over the table's index, by status and urgency."""
    at = (at or now()).astimezone(UTC)
    soon, t = soon_until(at), open_dossiers.c
    urgency = case((t.effective_due_at < at, "overdue"), (t.effective_due_at < soon, "due_soon"))
    query = (
        select(t.status, urgency, func.count())
        .where(or_(*subtree(conn, unit)), *narrowed(procedure))
        .group_by(t.status, urgency)
    )
    counts = dict.fromkeys(STATES, 0)
    for status, urgent, n in conn.execute(query):
        counts[status] += n
        counts["open"] += n
        if urgent:
            counts[urgent] += n
    return counts


def worklist(
    conn: Connection,
    unit: Any | None,
    state: str = "open",
    limit: int = 50,
    offset: int = 0,
    at: datetime | None = None,
    procedure: str | None = None,
) -> dict[str, Any]:
    """The open dossiers of ``unit``'s subtree (every unit's when None) in ``state`` (of a
    procedure code), most urgent (earliest effective due time) first, as seen at ``at`` (now):
    ``{"items", "total", "limit", "offset"}``.

    Each part of the subtree is read in the order of its index up to the page's end, and the
    parts are merged: a province with hundreds of thousands of dossiers in hand answers its first
    page without sorting them all."""
    at = (at or now()).astimezone(UTC)
    soon = soon_until(at)
    where = in_state(state, at, soon) + narrowed(procedure)
    pieces = subtree(conn, unit)
    counted = select(func.count()).select_from(open_dossiers).where(or_(*pieces), *where)
    total = conn.execute(counted).scalar_one()
    order = (open_dossiers.c.effective_due_at, open_dossiers.c.id)
    found: dict[int, Any] = {}
    for part in pieces:
        query: Select[Any] = LISTED.where(part, *where).order_by(*order).limit(offset + limit)
        found.update((r.id, r) for r in conn.execute(query))
    ordered = sorted(found.values(), key=lambda r: (r.effective_due_at, r.id))
    rows = ordered[offset : offset + limit]
    names = procedure_names(conn, {(r.province_code, r.procedure) for r in rows})
    stake = unit_stakes(conn, {r.unit_id for r in rows}, at)
    items = []
    for r in rows:
        due = stored_utc(r.effective_due_at)
        urgency = state_of(r.status, due, at, soon)
        # late already (overdue, or asked twice for papers): finishing it now cannot keep points
        late = urgency == "overdue" or r.supplement_requests > 1
        items.append(
            {
                "id": r.id,
                "record_id": r.record_id,
                "procedure": {
                    "code": r.procedure,
                    "name": names.get((r.province_code, r.procedure)),
                },
                "unit": {"code": r.unit_code, "name": r.unit_name},
                "agency": (
                    {"code": r.agency_code, "name": r.agency_name} if r.agency_code else None
                ),
                "channel": r.channel,
                "status": r.status,
                "received_at": local_iso(r.received_at),
                "due_at": local_iso(r.due_at),
                "effective_due_at": local_iso(due),
                "suspended_days": r.suspended_days,
                "supplement_requests": r.supplement_requests,
                "working_days_left": working_days_left(due, at),
                "state": urgency,
                "points_at_stake": 0.0 if late else stake.get(r.unit_id, 0.0),
                "simulated": bool(r.simulated),  # dữ liệu mô phỏng
            }
        )
    return {"items": items, "total": total, "limit": limit, "offset": offset}


TIMES = ("received_at", "due_at", "finished_at", "updated_at")


def dossier_detail(
    conn: Connection, record_key: int, at: datetime | None = None
) -> tuple[dict[str, Any], set[int]] | None:
    """One dossier, open or closed, as the gate stores it now (its latest version: the gate
    keeps no earlier ones), with its unit, agency, procedure name and source, and the ids of
    the units whose officers may see it; None when no dossier has that record id."""
    r = conn.execute(
        select(records, sources.c.name.label("source"), sources.c.simulated)
        .join(sources, sources.c.id == records.c.source_id)
        .where(records.c.id == record_key, records.c.type == DOSSIER.name)
    ).first()
    if r is None:
        return None
    data = orjson.loads(r.data)
    unit = unit_by_id(conn, r.unit_id) if r.unit_id is not None else None
    agency = unit_by_id(conn, r.agency_id) if r.agency_id is not None else None
    item: dict[str, Any] = dict(data)
    item["id"], item["record_id"], item["source"] = r.id, r.record_id, r.source
    item["simulated"] = bool(r.simulated)  # dữ liệu mô phỏng
    for key in TIMES:
        item[key] = local_iso(data.get(key))
    code = data["procedure"]
    names = procedure_names(conn, {(r.province_code, code)})
    item["procedure"] = {"code": code, "name": names.get((r.province_code, code))}
    for key, row in (("unit", unit), ("agency", agency)):
        item[key] = {"code": row.code, "name": row.name} if row is not None else None
    due = effective_due(data).astimezone(UTC)
    item["effective_due_at"] = local_iso(due)
    item["open"] = data["status"] in OPEN
    if item["open"]:
        at = (at or now()).astimezone(UTC)
        item["working_days_left"] = working_days_left(due, at)
        item["state"] = state_of(data["status"], due, at, soon_until(at))
    scope: set[int] = set()
    for row in (unit, agency):
        if row is not None:
            scope |= scope_chain(conn, row)
    return item, scope
