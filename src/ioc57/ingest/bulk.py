"""The gate's bulk writes: records and rollup deltas, a chunk at a time, in each database's fastest
plain form — ``executemany`` of prepared tuples on SQLite, ``COPY`` and ``unnest`` arrays on
PostgreSQL — skipping SQLAlchemy's per-row parameter handling (a third of the time of a chunk).

Values are converted by the columns' own SQLAlchemy bind processors, so what is stored is exactly
what an ``insert(records)`` would have stored. The rollup deltas of a chunk and those of a rebuild
(``rollups.rebuild``) are accumulated and written by the same code, so their float sums agree.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import partial
from operator import itemgetter
from typing import Any

import orjson
from sqlalchemy import JSON, Column, Date, Table
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
# PostgreSQL: a chunk's rollup cells are copied here before they are upserted; the table is the
# session's, with the rollups' columns, emptied at each commit, and made in the transaction that
# uses it (a pooler may hand each transaction another session)
STAGED = "rollup_cells_staged"
STAGE = f"CREATE TEMPORARY TABLE IF NOT EXISTS {STAGED} (LIKE {rollups.name}) ON COMMIT DELETE ROWS"

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
    rebuild.

    The hot path of the gate (a dossier adds a dozen contributions to each of three units): the
    counts of a call go in with one ``Counter.update`` (a loop in C) when each is one, as nearly
    all are; only the contributions that carry a sum are added one by one. A unit's province is
    kept once per unit (each cell of a unit lies in the unit's province)."""

    __slots__ = ("counts", "sums", "provinces")

    def __init__(self) -> None:
        self.counts: Counter[Key] = Counter()
        self.sums: dict[Key, float] = {}
        self.provinces: dict[int, str] = {}

    def add(
        self,
        contributions: Sequence[Contribution],
        targets: Sequence[tuple[int, str]],
        sign: int,
    ) -> None:
        """Add ``contributions`` (``sign`` +1) or take them away (-1) in each target unit, given
        with its province's code."""
        provinces, sums = self.provinces, self.sums
        for unit_id, province in targets:
            provinces[unit_id] = province
        units = [unit_id for unit_id, _province in targets]
        keys = [(m, u, d, x) for u in units for m, d, x, _n, _t in contributions]
        if all(n == 1 for _m, _d, _x, n, _t in contributions):
            if sign > 0:
                self.counts.update(keys)
            else:
                self.counts.subtract(keys)
        else:
            counts = self.counts
            width = len(contributions)
            for i, key in enumerate(keys):
                counts[key] += sign * contributions[i % width][3]
        for i, (_m, _d, _x, _n, total) in enumerate(contributions):
            if total:
                for j in range(len(units)):
                    key = keys[j * len(contributions) + i]
                    sums[key] = sums.get(key, 0.0) + sign * total

    def rows(
        self, day: Callable[[date], Any] | None = None
    ) -> list[tuple[str, int, Any, str, str, int, float]]:
        """The cells that change, as rows of ``ROLLUP_COLUMNS``; each day converted by ``day``
        (a few hundred distinct days a chunk: converted once each)."""
        sums, provinces = self.sums, self.provinces
        days: dict[date, Any] = {}
        out = []
        for key, count in self.counts.items():
            total = sums.get(key, 0.0)
            if count != 0 or total != 0.0:
                when = key[2]
                if day is not None:
                    when = days.get(when) or days.setdefault(when, day(when))
                out.append((key[0], key[1], when, key[3], provinces[key[1]], count, total))
        return out


def _processor(column: Column[Any], dialect: Dialect) -> Callable[[Any], Any] | None:
    """The column's bind processor, or a faster one that gives what it gives: for a date
    ``date.isoformat`` (three times faster, and a chunk binds a date per record and per rollup
    cell); for JSON stored as text, ``orjson`` (its compact text holds the same values)."""
    process = column.type.dialect_impl(dialect).bind_processor(dialect)
    if process is None:
        return process
    if isinstance(column.type, Date):
        samples = (date(2025, 7, 1), date(999, 12, 31))
        if all(process(v) == v.isoformat() for v in samples):
            return date.isoformat
    elif isinstance(column.type, JSON) and _json_as_text(process):
        return partial(_json_text, process)
    return process


# keys that are not text as the standard library writes them; a time, a dataclass or a subclass
# of a JSON type is handed to the column's own processor (which says what it says of them)
_ORJSON = (
    orjson.OPT_NON_STR_KEYS
    | orjson.OPT_PASSTHROUGH_DATETIME
    | orjson.OPT_PASSTHROUGH_DATACLASS
    | orjson.OPT_PASSTHROUGH_SUBCLASS
)
_JSON_SAMPLE = {"á": [1, 2.5, None, True], "b": "ệ"}


def _json_as_text(process: Callable[[Any], Any]) -> bool:
    """Whether ``process`` binds a JSON value as its text (SQLite; psycopg has its own wrapper)."""
    text = process(_JSON_SAMPLE)
    return isinstance(text, str) and json.loads(text) == _JSON_SAMPLE and process(None) == "null"


def _json_text(process: Callable[[Any], Any], value: Any) -> Any:
    """``value`` as JSON text by ``orjson``; by the column's own processor where ``orjson`` would
    not say the same (an integer over 64 bits; a number that is not finite, which it writes as
    ``null``; what ``_ORJSON`` passes through)."""
    try:
        text = orjson.dumps(value, option=_ORJSON)
    except TypeError:
        return process(value)
    if b"null" in text and _not_finite(value):
        return process(value)
    return text.decode()


def _not_finite(value: Any) -> bool:
    """Whether ``value`` holds a float that is not finite (NaN less itself is NaN, not 0)."""
    if type(value) is float:
        return value - value != 0.0
    if isinstance(value, dict):
        value = value.values()
    elif not isinstance(value, list | tuple):
        return False
    return any(v - v != 0.0 if type(v) is float else _not_finite(v) for v in value if v is not None)


@dataclass(frozen=True)
class IdOf:
    """A column filled by the database with the id of ``table``'s row whose ``keys`` columns
    equal the values the row gives it (a tuple, bound as it is): the id of a row inserted just
    before in the same transaction, without reading it back."""

    table: Table
    keys: tuple[str, ...]

    def sql(self, mark: str) -> str:
        (id_column,) = self.table.primary_key.columns
        where = " AND ".join(f"{key} = {mark}" for key in self.keys)
        return f"(SELECT {id_column.name} FROM {self.table.name} WHERE {where})"


_UNSEEN = object()


def _last_kept(process: Callable[[Any], Any] | None) -> Callable[[Any], Any] | None:
    """``process`` converting a value once when it is the same object as the one before: rows of
    a chunk repeat the same objects in a column (the time the records were received, a period's
    end, None), and the processors are pure."""
    if process is None:
        return None
    last: list[Any] = [_UNSEEN, None]

    def kept(value: Any) -> Any:
        if value is not last[0]:
            last[0], last[1] = value, process(value)
        return last[1]

    return kept


def insert_rows(
    conn: Connection, table: Table, rows: Sequence[dict[str, Any]], ids: IdOf | None = None
) -> None:
    """Insert ``rows`` (dicts with the same keys, every column they need) into ``table`` with the
    driver's ``executemany``, each value converted by its column's bind processor: what
    ``conn.execute(insert(table), rows)`` stores, without its per-row parameter handling. A value
    that is the same object as the row before's in its column (the chunk's one timestamp, None)
    is converted once. With ``ids``, the rows' first column is filled by its lookup."""
    if not rows:
        return
    names = list(rows[0])
    dialect = conn.dialect
    processors = [
        (at, kept)
        for at, name in enumerate(names)
        if (kept := _last_kept(_processor(table.c[name], dialect))) and not (ids and at == 0)
    ]
    values = itemgetter(*names)
    converted = []
    for row in rows:
        out = list(values(row)) if len(names) > 1 else [values(row)]
        for at, kept in processors:
            out[at] = kept(out[at])
        converted.append(out[0] + tuple(out[1:]) if ids else tuple(out))
    mark = "%s" if dialect.name == "postgresql" else "?"
    marks = [mark] * len(names)
    if ids:
        marks[0] = ids.sql(mark)
    conn.exec_driver_sql(
        f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join(marks)})", converted
    )


def cell_rows(deltas: RollupDeltas, dialect: Dialect) -> list[tuple[Any, ...]]:
    """The deltas as rows of ``ROLLUP_COLUMNS`` in key order, ready for ``upsert_cells`` on a
    database of ``dialect`` (a worker process makes them for the writer). In key order,
    neighbouring cells share index pages (a third faster on SQLite), and concurrent writers on
    PostgreSQL take their row locks in one order (no deadlock)."""
    # SQLite binds a day as its text, which sorts as the day does
    day = None if dialect.name == "postgresql" else _processor(rollups.c.day, dialect)
    rows = deltas.rows(day)
    rows.sort()
    return rows


class BulkWriter:
    """Writes of one chunk on ``conn``."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.dialect = conn.dialect
        self.postgresql = conn.dialect.name == "postgresql"
        self.mark = "%s" if self.postgresql else "?"
        self._date = _last_kept(_processor(records.c.occurred_on, self.dialect))
        self._time = _last_kept(_processor(records.c.updated_at, self.dialect))

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

    def _copy(self, table: str, columns: str, rows: list[tuple[Any, ...]]) -> None:
        """``rows`` into ``table`` with PostgreSQL's ``COPY``, each value adapted by psycopg."""
        dbapi: Any = self.conn.connection.driver_connection  # psycopg's own connection
        with (
            dbapi.cursor() as cursor,
            cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)

    def insert_records(self, rows: list[tuple[Any, ...]]) -> None:
        """Rows of ``RECORD_COLUMNS``."""
        if not rows:
            return
        columns = ", ".join(RECORD_COLUMNS)
        if self.postgresql:
            self._copy(records.name, columns, rows)
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
        self.upsert_cells(self.cells(deltas))

    def cells(self, deltas: RollupDeltas) -> list[tuple[Any, ...]]:
        """``cell_rows`` of ``deltas`` for this connection."""
        return cell_rows(deltas, self.dialect)

    def upsert_cells(self, rows: list[tuple[Any, ...]]) -> None:
        """Add rows of ``cells`` to the rollups; drop the cells whose count fell to zero."""
        if not rows:
            return
        table = rollups.name
        upsert = (
            f" ON CONFLICT {upsert_target(self.conn, rollups)} DO UPDATE SET"
            f" count = {table}.count + excluded.count, sum = {table}.sum + excluded.sum"
        )
        columns = ", ".join(ROLLUP_COLUMNS)
        if self.postgresql:
            # copied into a table of this transaction, then upserted from it: twice as fast as
            # the same rows sent as arrays (unnest), whose literals the server parses one by one
            self.conn.exec_driver_sql(STAGE)
            self._copy(STAGED, columns, rows)
            # in key order: concurrent writers take their row locks in one order (no deadlock)
            self.conn.exec_driver_sql(
                f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {STAGED}"
                f" ORDER BY metric, unit_id, day, dims{upsert}"
            )
        else:
            marks = ", ".join([self.mark] * len(ROLLUP_COLUMNS))
            self.conn.exec_driver_sql(
                f"INSERT INTO {table} ({columns}) VALUES ({marks}){upsert}", rows
            )
        emptied = [r[:4] for r in rows if r[5] < 0]
        if emptied:
            m = self.mark
            self.conn.exec_driver_sql(
                f"DELETE FROM {table} WHERE metric = {m} AND unit_id = {m} AND day = {m}"
                f" AND dims = {m} AND count = 0",
                emptied,
            )
