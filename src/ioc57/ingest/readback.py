"""A record read back as the gate stored it: its current version and the earlier ones
(``record_versions``), each with the batch that brought it.

Who may read it: a person of the policy's ``records.read``, confined to their unit's subtree (the
record's unit or its agency lies in it); a source's own token, only its own source's records.
What they read: the record's data as its type shows it to them (``RecordType.shown``), by
default without its private fields (a citizen's contact, a tracking code).
"""

from __future__ import annotations

from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.engine import Connection

from ioc57.core.access import Principal, authorize
from ioc57.core.clock import local_iso
from ioc57.core.i18n import N_
from ioc57.core.messages import entry, message
from ioc57.core.problems import Problem
from ioc57.ingest import sources as service
from ioc57.ingest.tables import batches, record_versions, records
from ioc57.ingest.types import RECORD_TYPES, RecordType
from ioc57.units.queries import scope_chain, unit_by_id

READ = "records.read"

NO_TYPE = message("ingest.no_record_type", N_("There is no record type {value}."))
NO_SOURCE = message("ingest.no_data_source", N_("There is no data source {value}."))
NO_RECORD = message(
    "ingest.no_record", N_("Source {source} sent no {type} record with the id {value}.")
)
OTHER_SOURCE = message(
    "ingest.other_source", N_("This token speaks for source {own}, not {value}.")
)


def not_found(field: str, msg: Any, **params: Any) -> Problem:
    """404 naming the path's ``field``."""
    return Problem(404, msg, errors=[entry(msg, ["path", field], **params)], **params)


def record_type(name: str) -> RecordType[Any]:
    rtype = RECORD_TYPES.get(name)
    if rtype is None:
        raise not_found("record_type", NO_TYPE, value=name)
    return rtype


def read_back(
    conn: Connection, principal: Principal, type_name: str, source: str, record_id: str
) -> dict[str, Any]:
    """The record ``record_id`` of ``type_name`` sent by ``source``, with its versions, newest
    first; 404 naming the field that finds nothing, 403 outside the principal's scope."""
    authorize(principal, READ)
    rtype = record_type(type_name)
    src = service.get_row(conn, source[:60])
    if src is None:
        raise not_found("source", NO_SOURCE, value=source)
    if principal.is_source:
        own = service.source_of_user(conn, principal.id)
        if own is None or own.id != src.id:
            name = own.name if own is not None else ""
            raise Problem(
                403,
                OTHER_SOURCE,
                errors=[entry(OTHER_SOURCE, ["path", "source"], own=name, value=source)],
                own=name,
                value=source,
            )
    row = conn.execute(
        select(records).where(
            records.c.source_id == src.id,
            records.c.type == type_name,
            records.c.record_id == record_id,
        )
    ).first()
    if row is None:
        raise not_found("record_id", NO_RECORD, source=source, type=type_name, value=record_id)
    chain: set[int] = set()
    for unit_id in (row.unit_id, row.agency_id):
        unit = unit_by_id(conn, unit_id) if unit_id is not None else None
        if unit is not None:
            chain |= scope_chain(conn, unit)
    if principal.unit_id is not None:
        authorize(principal, READ, chain)
    earlier = conn.execute(
        select(record_versions)
        .where(record_versions.c.record == row.id)
        .order_by(record_versions.c.id.desc())
    ).all()
    arrived = _batches(conn, [row.batch_id, *(v.batch_id for v in earlier)])

    def version(number: int, v: Any, replaced_by: int | None) -> dict[str, Any]:
        batch = arrived.get(v.batch_id)
        return {
            "version": number,
            "current": replaced_by is None,
            "updated_at": local_iso(v.updated_at),
            "hash": v.hash,
            "batch": v.batch_id,
            "via": batch.via if batch else None,
            "received_at": local_iso(batch.started_at) if batch else None,
            "replaced_by_batch": replaced_by,
            "data": rtype.shown_to(orjson.loads(v.data), principal),
        }

    versions = [version(len(earlier) + 1, row, None)]
    versions += [version(len(earlier) - i, v, v.replaced_by) for i, v in enumerate(earlier)]
    return {
        "type": type_name,
        "source": src.name,
        "id": row.record_id,
        "unit": _unit(conn, row.unit_id),
        "agency": _unit(conn, row.agency_id),
        "province": row.province_code,
        "occurred_on": row.occurred_on.isoformat(),
        "updated_at": local_iso(row.updated_at),
        "simulated": bool(src.simulated),
        "data": versions[0]["data"],
        "versions": versions,
    }


def _unit(conn: Connection, unit_id: int | None) -> dict[str, Any] | None:
    unit = unit_by_id(conn, unit_id) if unit_id is not None else None
    return {"code": unit.code, "name": unit.name} if unit is not None else None


def _batches(conn: Connection, ids: list[int]) -> dict[int, Any]:
    query = select(batches.c.id, batches.c.via, batches.c.started_at).where(
        batches.c.id.in_(set(ids))
    )
    return {r.id: r for r in conn.execute(query)}
