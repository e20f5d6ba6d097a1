"""The gate's bulk writes: records and rollup deltas, a chunk at a time, in each database's fastest
plain form — ``executemany`` of prepared tuples on SQLite, ``COPY`` and ``unnest`` arrays on
PostgreSQL — skipping SQLAlchemy's per-row parameter handling (a third of the time of a chunk).

Values are converted by the columns' own SQLAlchemy bind processors, so what is stored is exactly
what an ``insert(records)`` would have stored. The rollup deltas of a chunk and those of a rebuild
(``rollups.rebuild``) are accumulated and written by the same code, so their float sums agree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy import Column
from sqlalchemy.engine import Connection, Dialect

from ioc57.core.partitions import upsert_target
from ioc57.ingest.tables import records, rollups
from ioc57.ingest.types.base import Contribution

RECORD_COLUMNS = (
    "source_id",
    "type",
    "record_id",
    "unit_id",
    "agency_id",
    "province_code",
    "occurred_on",
    "updated_at",
    "hash",
    "data",
    "batch_id",
)
UPDATED_COLUMNS = (
    "unit_id",
    "agency_id",
    "province_code",
    "occurred_on",
    "updated_at",
    "hash",
    "data",
    "batch_id",
)
ROLLUP_COLUMNS = ("metric", "unit_id", "day", "dims", "province_code", "count", "sum")

Key = tuple[str, int, date, str]  # metric, unit id, day, dims


# SQLite while a batch is written: a page cache of 32 MB (the default is 2 MB), so that the
# records' and rollups' indexes stay in memory instead of being read back page by page; and a WAL
# checkpoint every 10,000 pages (40 MB) instead of 1,000, so that the index pages every chunk
# touches are copied back once in a few chunks rather than once a chunk
SQLITE_BULK_CACHE_KIB = 32_768
SQLITE_BULK_CHECKPOINT_PAGES = 10_000


@contextmanager
def bulk_session(conn: Connection) -> Iterator[None]:
    """SQLite's cache and checkpoint settings for a batch on ``conn``; then the old ones."""
    if conn.dialect.name != "sqlite":
        yield
        return
    before = conn.exec_driver_sql("PRAGMA cache_size").scalar_one()
    checkpoint = conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar_one()
    conn.exec_driver_sql(f"PRAGMA cache_size=-{SQLITE_BULK_CACHE_KIB}")
    conn.exec_driver_sql(f"PRAGMA wal_autocheckpoint={SQLITE_BULK_CHECKPOINT_PAGES}")
    conn.commit()
    try:
        yield
    finally:
        if conn.in_transaction():
            conn.rollback()
        conn.exec_driver_sql(f"PRAGMA cache_size={int(before)}")
        conn.exec_driver_sql(f"PRAGMA wal_autocheckpoint={int(checkpoint)}")
        conn.commit()


class RollupDeltas:
    """Counts and sums to add to the rollups, accumulated cell by cell in the order given: the
    same contributions added in the same order give the same float sums, in a chunk or a
    rebuild."""

    __slots__ = ("values",)

    def __init__(self) -> None:
        # per cell: [count, sum, province code]; a list, changed in place (the hot path)
        self.values: dict[Key, list[Any]] = {}

    def add(
        self,
        contributions: Sequence[Contribution],
        targets: Iterable[tuple[int, str]],
        sign: int,
    ) -> None:
        """Add ``contributions`` (``sign`` +1) or take them away (-1) in each target unit, given
        with its province's code."""
        values = self.values
        for unit_id, province in targets:
            for metric, day, dims, count, total in contributions:
                key = (metric, unit_id, day, dims)
                cell = values.get(key)
                if cell is None:
                    values[key] = [0 + sign * count, 0.0 + sign * total, province]
                else:
                    cell[0] += sign * count
                    cell[1] += sign * total
                    cell[2] = province

    def rows(self) -> list[tuple[str, int, date, str, str, int, float]]:
        """The cells that change, as rows of ``ROLLUP_COLUMNS``."""
        return [
            (k[0], k[1], k[2], k[3], v[2], v[0], v[1])
            for k, v in self.values.items()
            if v[0] != 0 or v[1] != 0.0
        ]


def _processor(column: Column[Any], dialect: Dialect) -> Callable[[Any], Any] | None:
    """The column's bind processor; for a date, ``date.isoformat`` when it gives the same text
    (three times faster, and a chunk binds a date per record and per rollup cell)."""
    process = column.type.dialect_impl(dialect).bind_processor(dialect)
    if process is None:
        return None
    samples = (date(2025, 7, 1), date(999, 12, 31))
    if all(process(v) == v.isoformat() for v in samples):
        return date.isoformat
    return process


class BulkWriter:
    """Writes of one chunk on ``conn``."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.dialect = conn.dialect
        self.postgresql = conn.dialect.name == "postgresql"
        self.mark = "%s" if self.postgresql else "?"
        self._date = _processor(records.c.occurred_on, self.dialect)
        self._time = _processor(records.c.updated_at, self.dialect)

    def _values(self, row: tuple[Any, ...]) -> tuple[Any, ...]:
        """(…, occurred_on, updated_at, …) converted as SQLAlchemy would."""
        if self._date is None and self._time is None:
            return row
        out = list(row)
        if self._date is not None:
            out[-5] = self._date(out[-5])
        if self._time is not None:
            out[-4] = self._time(out[-4])
        return tuple(out)

    def insert_records(self, rows: list[tuple[Any, ...]]) -> None:
        """Rows of ``RECORD_COLUMNS``."""
        if not rows:
            return
        columns = ", ".join(RECORD_COLUMNS)
        if self.postgresql:
            dbapi: Any = self.conn.connection.driver_connection  # psycopg's own connection
            with (
                dbapi.cursor() as cursor,
                cursor.copy(f"COPY {records.name} ({columns}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join([self.mark] * len(RECORD_COLUMNS))
        self.conn.exec_driver_sql(
            f"INSERT INTO {records.name} ({columns}) VALUES ({marks})",
            [self._values(row) for row in rows],
        )

    def update_records(self, rows: list[tuple[Any, ...]]) -> None:
        """Rows of ``UPDATED_COLUMNS`` followed by the row's id and its stored province (which
        names its partition in a national deployment; the new one may differ and move it)."""
        if not rows:
            return
        sets = ", ".join(f"{c} = {self.mark}" for c in UPDATED_COLUMNS)
        self.conn.exec_driver_sql(
            f"UPDATE {records.name} SET {sets}"
            f" WHERE id = {self.mark} AND province_code = {self.mark}",
            [self._values_updated(row) for row in rows],
        )

    def _values_updated(self, row: tuple[Any, ...]) -> tuple[Any, ...]:
        out = list(row)
        if self._date is not None:
            out[3] = self._date(out[3])
        if self._time is not None:
            out[4] = self._time(out[4])
        return tuple(out)

    def apply_deltas(self, deltas: RollupDeltas) -> None:
        """Add the deltas to the rollups; drop the cells whose count fell to zero."""
        rows = deltas.rows()
        if not rows:
            return
        table = rollups.name
        upsert = (
            f" ON CONFLICT {upsert_target(self.conn, rollups)} DO UPDATE SET"
            f" count = {table}.count + excluded.count, sum = {table}.sum + excluded.sum"
        )
        columns = ", ".join(ROLLUP_COLUMNS)
        # in key order: neighbouring cells share index pages (a third faster on SQLite), and
        # concurrent writers on PostgreSQL take their row locks in one order (no deadlock)
        rows.sort()
        if self.postgresql:
            arrays: list[list[Any]] = [list(col) for col in zip(*rows, strict=True)]
            self.conn.exec_driver_sql(
                f"INSERT INTO {table} ({columns}) SELECT * FROM unnest("
                "%s::varchar[], %s::integer[], %s::date[], %s::varchar[], %s::varchar[],"
                f" %s::bigint[], %s::float8[]){upsert}",
                tuple(arrays),
            )
        else:
            day = _processor(rollups.c.day, self.dialect)
            marks = ", ".join([self.mark] * len(ROLLUP_COLUMNS))
            self.conn.exec_driver_sql(
                f"INSERT INTO {table} ({columns}) VALUES ({marks}){upsert}",
                [(r[0], r[1], day(r[2]) if day else r[2], *r[3:]) for r in rows],
            )
        emptied = [r[:4] for r in rows if r[5] < 0]
        if emptied:
            day = _processor(rollups.c.day, self.dialect)
            m = self.mark
            self.conn.exec_driver_sql(
                f"DELETE FROM {table} WHERE metric = {m} AND unit_id = {m} AND day = {m}"
                f" AND dims = {m} AND count = 0",
                [(r[0], r[1], day(r[2]) if day else r[2], r[3]) for r in emptied],
            )
