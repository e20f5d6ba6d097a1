"""Storage: a chunk's candidates against the stored versions of their records — accepted (new),
updated, unchanged (the same hash) or stale (older than the stored one) — and the new and changed
records written, with their rollup deltas, through ``bulk``; the version a changed record had is
kept in ``record_versions`` (its history, read back by ``readback``).

Stored versions are looked up with one array parameter on PostgreSQL, and their data is read
only for the records a candidate may change.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

import orjson
from sqlalchemy import ARRAY, ColumnElement, Select, bindparam, func, insert, select
from sqlalchemy.engine import Connection

from ioc57.core.clock import stored_utc
from ioc57.ingest.batches import Counts, Source
from ioc57.ingest.bulk import BulkWriter, RollupDeltas
from ioc57.ingest.rollups import placer
from ioc57.ingest.tables import record_versions, records
from ioc57.ingest.types import RecordType
from ioc57.ingest.types.base import Contribution
from ioc57.ingest.unitcache import UnitCache
from ioc57.ingest.validation import Candidate


@dataclass(slots=True)
class Stored:
    """A record's version as stored, or as written earlier in the same chunk."""

    id: int | None  # the row's id; None for a record first sent in this chunk
    hash: str
    updated_at: datetime
    unit_id: int | None
    agency_id: int | None
    province_code: str
    batch_id: int | None = None  # the batch that brought it (None: written in this chunk)
    data: str | None = None  # the stored JSON: read only when a candidate may change it
    shares: Sequence[Contribution] | None = None  # its rollup contributions, once needed


@dataclass(slots=True)
class StoreResult:
    """How a chunk's candidates came out, and those written (accepted or updated) in order."""

    counts: Counts = field(default_factory=Counts)
    changed: list[Candidate] = field(default_factory=list)
    replaced: set[str] = field(default_factory=set)  # changed, with a version stored before


def store(
    conn: Connection,
    source: Source,
    rtype: RecordType[Any],
    candidates: list[Candidate],
    batch_id: int,
    cache: UnitCache,
    cells: list[tuple[Any, ...]] | None = None,
) -> StoreResult:
    """Sort the candidates into the four outcomes against what is stored; write the new and
    the changed records and their rollup deltas. ``cells``, when given, are the rollup rows of
    the candidates as if each were new (``Chunk.cells``): written as they are when each is."""
    existing = stored_versions(conn, source, rtype, candidates)
    contributions = rtype.contributions
    targets_of = placer(cache)
    # every candidate a record not stored and not sent twice: the cells made beforehand are its
    # deltas, added in the same order
    ready = None
    if cells is not None and not existing and len(candidates) == len({c.key for c in candidates}):
        ready = cells

    result = StoreResult()
    counts, changed = result.counts, result.changed
    deltas = RollupDeltas()
    inserts: list[tuple[Any, ...]] = []
    updates: list[tuple[Any, ...]] = []
    earlier: list[dict[str, Any]] = []  # the stored versions the updates replace
    pending: dict[str, Stored] = {}  # the versions written in this chunk
    positions: dict[str, int] = {}  # where a record first sent in this chunk is among inserts
    for c in candidates:
        prev = pending.get(c.key) or existing.get(c.key)
        if prev is None:
            counts.accepted += 1
        elif prev.hash == c.hash:
            counts.unchanged += 1
            continue
        elif c.updated_at < prev.updated_at:
            counts.stale += 1
            continue
        else:
            counts.updated += 1
        unit_id, agency_id = c.unit_id, c.agency_id
        shares = c.shares
        if prev is not None:
            if prev.shares is None:  # stored, and changed: its data was read
                prev.shares = list(contributions(orjson.loads(cast(str, prev.data))))
            deltas.add(prev.shares, targets_of(prev.unit_id, prev.agency_id), -1)
        if ready is None and shares:  # a type whose module keeps its own rollups adds none
            deltas.add(shares, targets_of(unit_id, agency_id), +1)
        values = updated_values(c, batch_id)
        if prev is not None and prev.id is not None:
            updates.append((*values, prev.id, prev.province_code))
            result.replaced.add(c.key)
            if prev.batch_id is not None:  # the stored version (not one of this chunk)
                earlier.append(
                    {
                        "record": prev.id,
                        "batch_id": prev.batch_id,
                        "updated_at": prev.updated_at,
                        "hash": prev.hash,
                        "data": prev.data,
                        "replaced_by": batch_id,
                    }
                )
        elif prev is not None:  # sent twice in this chunk: update the pending insert
            inserts[positions[c.key]] = inserted_row(source, rtype, c, batch_id)
        else:
            positions[c.key] = len(inserts)
            inserts.append(inserted_row(source, rtype, c, batch_id))
        pending[c.key] = Stored(
            prev.id if prev else None,
            c.hash,
            c.updated_at,
            unit_id,
            agency_id,
            c.province,
            None,
            None,
            shares,
        )
        changed.append(c)
    writer = BulkWriter(conn)
    writer.insert_records(inserts)
    writer.update_records(updates)
    if earlier:
        conn.execute(insert(record_versions), earlier)
    writer.upsert_cells(ready if ready is not None else writer.cells(deltas))
    return result


def inserted_row(
    source: Source, rtype: RecordType[Any], c: Candidate, batch_id: int
) -> tuple[Any, ...]:
    """A new record's row of ``bulk.RECORD_COLUMNS``."""
    return (source.id, rtype.name, c.key, *updated_values(c, batch_id))


def updated_values(c: Candidate, batch_id: int) -> tuple[Any, ...]:
    """A candidate's values of ``bulk.UPDATED_COLUMNS``."""
    return (
        c.unit_id,
        c.agency_id,
        c.province,
        c.occurred_on,
        c.updated_at,
        c.hash,
        c.json,
        batch_id,
    )


def stored_versions(
    conn: Connection, source: Source, rtype: RecordType[Any], candidates: list[Candidate]
) -> dict[str, Stored]:
    """The stored versions of the candidates' records, by record id; the stored data is read
    only for those a candidate may change (a different hash)."""
    found: dict[str, Stored] = {}
    columns = (
        records.c.id,
        records.c.record_id,
        records.c.updated_at,
        records.c.hash,
        records.c.unit_id,
        records.c.agency_id,
        records.c.province_code,
        records.c.batch_id,
    )
    of_source = (records.c.source_id == source.id, records.c.type == rtype.name)
    for part in parts(conn, list(dict.fromkeys(c.key for c in candidates))):
        query = among(conn, select(*columns).where(*of_source), records.c.record_id, part)
        for r in conn.execute(query):
            found[r.record_id] = Stored(
                r.id,
                r.hash,
                stored_utc(r.updated_at),
                r.unit_id,
                r.agency_id,
                r.province_code,
                r.batch_id,
            )
    if found:
        by_id = {v.id: v for v in found.values()}
        differ = list(
            dict.fromkeys(
                found[c.key].id
                for c in candidates
                if c.key in found and found[c.key].hash != c.hash
            )
        )
        for part in parts(conn, differ):
            query = among(conn, select(records.c.id, records.c.data), records.c.id, part)
            for r in conn.execute(query):
                by_id[r.id].data = r.data
    return found


def parts(conn: Connection, values: list[Any]) -> Iterator[list[Any]]:
    """``values`` in lists small enough for one query: SQLite binds at most 999 parameters in
    older builds; PostgreSQL takes them all as one array."""
    size = max(len(values), 1) if conn.dialect.name == "postgresql" else 900
    for start in range(0, len(values), size):
        yield values[start : start + size]


def among(
    conn: Connection, query: Select[Any], column: ColumnElement[Any], values: list[Any]
) -> Select[Any]:
    """``query`` for the rows whose ``column`` is in ``values``. On PostgreSQL a join with the
    values as one array: a list of parameters costs it more to plan than to run, and ``= ANY``
    of an array, on a table that grew since it was last analysed, is read row by row against
    the whole array (minutes for a file of 200,000 records); a join stays linear."""
    if conn.dialect.name == "postgresql":
        array = bindparam(None, values, type_=ARRAY(column.type))
        wanted = func.unnest(array).table_valued("value").render_derived()
        return query.join(wanted, column == wanted.c.value)
    return query.where(column.in_(values))
