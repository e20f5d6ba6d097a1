"""The rollup store: counts and sums keyed by (metric, unit, day, dims), kept current in the
transaction that changes a record, and rebuilt from the records on demand.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import cast

import orjson
from sqlalchemy import delete, select
from sqlalchemy.engine import Connection

from ioc57.ingest.bulk import BulkWriter, Key, RollupDeltas
from ioc57.ingest.tables import records, rollups
from ioc57.ingest.types import RECORD_TYPES
from ioc57.ingest.unitcache import UnitCache, UnitInfo
from ioc57.ingest.validation import Candidate


def targets(cache: UnitCache, unit_id: int | None, agency_id: int | None) -> tuple[int, ...]:
    """The units a record counts in: its unit and that unit's ancestors, and its agency."""
    out: list[int] = []
    if unit_id is not None:
        unit = cache.by_id(unit_id)
        if unit is None:
            raise LookupError(f"no unit has id {unit_id}")
        out.extend(unit.chain)
    if agency_id is not None and agency_id not in out:
        out.append(agency_id)
    return tuple(out)


# (unit id, its province's code) of each unit a record counts in
Placed = tuple[tuple[int, str], ...]


def placed(cache: UnitCache, unit_id: int | None, agency_id: int | None) -> Placed:
    """``targets``, each with its own province's code: a unit's rollups are kept in its province
    (its partition, in a national deployment), whatever the province of the record."""
    return tuple(
        (u, cast(UnitInfo, cache.by_id(u)).province_code)
        for u in targets(cache, unit_id, agency_id)
    )


Place = Callable[[int | None, int | None], Placed]


def placer(cache: UnitCache) -> Place:
    """``placed``, remembered per (unit, agency): a chunk's records share a few hundred."""
    chains: dict[tuple[int | None, int | None], Placed] = {}

    def place(unit_id: int | None, agency_id: int | None) -> Placed:
        key = (unit_id, agency_id)
        found = chains.get(key)
        if found is None:
            found = chains[key] = placed(cache, unit_id, agency_id)
        return found

    return place


def added(candidates: Iterable[Candidate], place: Place) -> RollupDeltas:
    """The deltas of ``candidates`` as if each were a new record, added in their order."""
    deltas = RollupDeltas()
    for c in candidates:
        deltas.add(c.shares, place(c.unit_id, c.agency_id), +1)
    return deltas


def rebuild(conn: Connection, cache: UnitCache, batch_size: int = 20_000) -> int:
    """Recompute every rollup from the stored records; return how many records were read. The
    deltas are those the gate adds, accumulated and written as it does."""
    conn.execute(delete(rollups))
    deltas = RollupDeltas()
    count = 0
    query = select(
        records.c.type, records.c.data, records.c.unit_id, records.c.agency_id
    ).execution_options(yield_per=batch_size)
    place = placer(cache)
    for row in conn.execute(query):
        shares = list(RECORD_TYPES[row.type].contributions(orjson.loads(row.data)))
        deltas.add(shares, place(row.unit_id, row.agency_id), +1)
        count += 1
    BulkWriter(conn).apply_deltas(deltas)
    return count


def read_rollups(conn: Connection) -> dict[Key, tuple[int, float]]:
    """Every rollup row, for comparisons."""
    c = rollups.c
    query = select(c.metric, c.unit_id, c.day, c.dims, c.count, c.sum)
    return {(m, u, d, x): (n, total) for m, u, d, x, n, total in conn.execute(query)}
