"""The rollup store: counts and sums keyed by (metric, unit, day, dims), kept current in the
transaction that changes a record, and rebuilt from the records on demand.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

import orjson
from sqlalchemy import and_, bindparam, delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection

from ioc57.ingest.tables import records, rollups
from ioc57.ingest.types import RECORD_TYPES
from ioc57.ingest.unitcache import UnitCache

Key = tuple[str, int, date, str]  # metric, unit id, day, dims


class Deltas:
    """Changes to the rollups accumulated over a batch, applied in one statement."""

    def __init__(self) -> None:
        self.values: dict[Key, list] = defaultdict(lambda: [0, 0.0, ""])

    def add(
        self, type_name: str, data: dict, targets: Iterable[int], province: str, sign: int
    ) -> None:
        contributions = list(RECORD_TYPES[type_name].contributions(data))
        for unit_id in targets:
            for metric, day, dims, count, total in contributions:
                cell = self.values[(metric, unit_id, day, dims)]
                cell[0] += sign * count
                cell[1] += sign * total
                cell[2] = province

    def apply(self, conn: Connection) -> None:
        rows = [
            {
                "metric": k[0],
                "unit_id": k[1],
                "day": k[2],
                "dims": k[3],
                "province_code": v[2],
                "count": v[0],
                "sum": v[1],
            }
            for k, v in self.values.items()
            if v[0] != 0 or v[1] != 0.0
        ]
        if not rows:
            return
        insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
        stmt = insert(rollups)
        stmt = stmt.on_conflict_do_update(
            index_elements=["metric", "unit_id", "day", "dims"],
            set_={
                "count": rollups.c.count + stmt.excluded.count,
                "sum": rollups.c.sum + stmt.excluded.sum,
            },
        )
        conn.execute(stmt, rows)
        emptied = [r for r in rows if r["count"] < 0]
        if emptied:
            conn.execute(
                delete(rollups).where(
                    and_(
                        rollups.c.metric == bindparam("m"),
                        rollups.c.unit_id == bindparam("u"),
                        rollups.c.day == bindparam("d"),
                        rollups.c.dims == bindparam("x"),
                        rollups.c.count == 0,
                    )
                ),
                [
                    {"m": r["metric"], "u": r["unit_id"], "d": r["day"], "x": r["dims"]}
                    for r in emptied
                ],
            )


def targets(cache: UnitCache, unit_id: int | None, agency_id: int | None) -> tuple[int, ...]:
    """The units a record counts in: its unit and that unit's ancestors, and its agency."""
    out: list[int] = []
    if unit_id is not None:
        out.extend(cache.by_id(unit_id).chain)
    if agency_id is not None and agency_id not in out:
        out.append(agency_id)
    return tuple(out)


def rebuild(conn: Connection, cache: UnitCache, batch_size: int = 20_000) -> int:
    """Recompute every rollup from the stored records; return how many records were read."""
    conn.execute(delete(rollups))
    deltas = Deltas()
    count = 0
    query = select(
        records.c.type,
        records.c.data,
        records.c.unit_id,
        records.c.agency_id,
        records.c.province_code,
    ).execution_options(yield_per=batch_size)
    for row in conn.execute(query):
        deltas.add(
            row.type,
            orjson.loads(row.data),
            targets(cache, row.unit_id, row.agency_id),
            row.province_code,
            +1,
        )
        count += 1
    deltas.apply(conn)
    return count


def read_rollups(conn: Connection) -> dict[Key, tuple[int, float]]:
    """Every rollup row, for comparisons."""
    return {
        (r.metric, r.unit_id, r.day, r.dims): (r.count, r.sum)
        for r in conn.execute(select(rollups))
    }
