"""Keeping the event tables current with the gate's ``epcis_event`` records (the gate's projector;
master data has its own, ``project_masterdata``).

An event is stored once under its ``event_id``: the first source to send it inserts it, a version
with an ``errorDeclaration`` updates it, and the same event again from another source leaves it as
it is. Each event a source sent appends a row to that source's chain (``chain``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import delete, insert, select, text, update
from sqlalchemy.engine import Connection

from ioc57.core.clock import LOCAL_TZ, now
from ioc57.ingest.hooks import Projection
from ioc57.ingest.storage import among, parts
from ioc57.ingest.unitcache import UnitInfo
from ioc57.traceability import chain as chained
from ioc57.traceability.epc import canonical
from ioc57.traceability.eventmodel import as_sent
from ioc57.traceability.tables import (
    chain,
    event_epcs,
    events,
)
from ioc57.traceability.vocab import bare

Items = list[tuple[dict[str, Any], UnitInfo | None]]

# the gate's fields of an event record that are no part of the EPCIS event
NOT_EPCIS = ("id", "unit", "context", "updated_at")
# (field of an event, role of its identifiers)
ID_LISTS = (
    ("epcList", "epc"),
    ("childEPCs", "child"),
    ("inputEPCList", "input"),
    ("outputEPCList", "output"),
)
QUANTITY_LISTS = (
    ("quantityList", "class"),
    ("childQuantityList", "child_class"),
    ("inputQuantityList", "input_class"),
    ("outputQuantityList", "output_class"),
)


def _pruned(value: Any) -> Any:
    """``value`` without its empty fields (None, [], {}), as an EPCIS document leaves them out."""
    if isinstance(value, dict):
        return {k: _pruned(v) for k, v in value.items() if v not in (None, [], {})}
    if isinstance(value, list):
        return [_pruned(v) for v in value]
    return value


def document(data: dict[str, Any], record_time: datetime) -> dict[str, Any]:
    """The EPCIS JSON of an event record, as the query gives it back."""
    event: dict[str, Any] = {"type": data["type"], "eventID": data["id"]}
    if data.get("context"):
        event["@context"] = data["context"]
    body = as_sent({k: v for k, v in data.items() if k not in NOT_EPCIS and k != "type"})
    event.update(_pruned(body))
    event["recordTime"] = record_time.isoformat().replace("+00:00", "Z")
    return event


def identifiers(data: dict[str, Any]) -> set[tuple[str, str]]:
    """(canonical identifier, role) of every identifier an event names."""
    found = {(canonical(uri), role) for key, role in ID_LISTS for uri in data.get(key) or ()}
    found |= {
        (canonical(q["epcClass"]), role)
        for key, role in QUANTITY_LISTS
        for q in data.get(key) or ()
    }
    if data.get("parentID"):
        found.add((canonical(data["parentID"]), "parent"))
    return found


def _row(data: dict[str, Any], unit: UnitInfo | None, ctx: Projection, at: datetime) -> dict:
    event_time = datetime.fromisoformat(data["eventTime"])
    place = data.get("readPoint") or {}
    where = data.get("bizLocation") or {}
    assert unit is not None  # an event's unit is its location's commune: the gate resolved it
    doc = orjson.dumps(document(data, at)).decode()
    return {
        "event_id": data["id"],
        "type": data["type"],
        "event_time": event_time,
        "tz_offset": data["eventTimeZoneOffset"],
        "record_time": at,
        "day": event_time.astimezone(LOCAL_TZ).date(),
        "action": data.get("action"),
        "biz_step": bare("bizStep", data["bizStep"]) if data.get("bizStep") else None,
        "disposition": bare("disposition", data["disposition"])
        if data.get("disposition")
        else None,
        "read_point": canonical(place["id"]) if place.get("id") else None,
        "biz_location": canonical(where["id"]) if where.get("id") else None,
        "error_declared": bool(data.get("errorDeclaration")),
        "unit_id": unit.id,
        "province_code": unit.province_code,
        "source_id": ctx.source_id,
        "simulated": ctx.simulated,
        "document": doc,
    }


def _same_event(stored: str, new: str) -> bool:
    """Whether two stored documents are the same event (their record times aside)."""
    a, b = orjson.loads(stored), orjson.loads(new)
    a.pop("recordTime", None)
    b.pop("recordTime", None)
    return a == b


def project_events(conn: Connection, ctx: Projection, items: Items) -> None:
    at = now()
    rows = [_row(d, unit, ctx, at) for d, unit in items]
    by_id = {r["event_id"]: (r, d) for r, (d, _unit) in zip(rows, items, strict=True)}
    stored: dict[str, tuple[int, str]] = {}
    query = select(events.c.id, events.c.event_id, events.c.document)
    for part in parts(conn, list(by_id)):
        for r in conn.execute(among(conn, query, events.c.event_id, part)):
            stored[r.event_id] = (r.id, r.document)
    fresh = [r for eid, (r, _d) in by_id.items() if eid not in stored]
    pks: dict[str, int] = {}
    if fresh:
        # one executemany, then their ids in one read (RETURNING in parameter order costs SQLite a
        # statement a row)
        conn.execute(insert(events), fresh)
        ids = select(events.c.id, events.c.event_id)
        for part in parts(conn, [r["event_id"] for r in fresh]):
            pks.update(
                {r.event_id: r.id for r in conn.execute(among(conn, ids, events.c.event_id, part))}
            )
    changed = []
    for eid, (pk, old) in stored.items():
        row = by_id[eid][0]
        if _same_event(old, row["document"]):
            row["document"] = old  # the chain names what is stored
        else:
            conn.execute(update(events).where(events.c.id == pk).values(**row))
            changed.append(pk)
        pks[eid] = pk
    if changed:
        conn.execute(delete(event_epcs).where(event_epcs.c.event_pk.in_(changed)))
    new_epcs = [
        {"event_pk": pks[eid], "epc": uri, "role": role, "province_code": r["province_code"]}
        for eid, (r, d) in by_id.items()
        if eid not in stored or pks[eid] in changed
        for uri, role in identifiers(d)
    ]
    if new_epcs:
        conn.execute(insert(event_epcs), new_epcs)
    _append_to_chain(conn, ctx.source_id, [(pks[eid], r) for eid, (r, _d) in by_id.items()], at)


def _append_to_chain(
    conn: Connection, source_id: int, entries: list[tuple[int, dict[str, Any]]], at: datetime
) -> None:
    """One row of ``source_id``'s chain for each (event pk, event row), in order."""
    if conn.dialect.name == "postgresql":  # one writer of a source's chain at a time
        conn.execute(text("SELECT pg_advisory_xact_lock(5757, :source)"), {"source": source_id})
    last = conn.execute(
        select(chain.c.seq, chain.c.link)
        .where(chain.c.source_id == source_id)
        .order_by(chain.c.seq.desc())
        .limit(1)
    ).first()
    seq, previous = (last.seq, last.link) if last else (0, chained.GENESIS)
    rows = []
    for pk, row in entries:
        seq += 1
        d = chained.digest(row["document"])
        previous = chained.link(previous, seq, row["event_id"], d)
        rows.append(
            {
                "source_id": source_id,
                "seq": seq,
                "event_pk": pk,
                "event_id": row["event_id"],
                "digest": d,
                "link": previous,
                "at": at,
                "province_code": row["province_code"],
            }
        )
    if rows:
        conn.execute(insert(chain), rows)
