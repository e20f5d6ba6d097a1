"""The database: one SQLAlchemy metadata for every module, the engine, and its connection habits.

SQLite runs in WAL mode with foreign keys on and a busy timeout, so that the web server and a CLI
import can share one file. PostgreSQL is used as it comes.

How long a statement waits for a lock is the engine's ``busy_timeout_s``: the web app asks for a
short one (``IOC57_DB_BUSY_TIMEOUT_S``, 5 s) and answers 503 when it runs out; commands that load
in bulk keep the long default (SQLite 30 s; PostgreSQL waits as long as it takes).

A database that cannot be written (a file made read-only, a read-only filesystem, a standby or a
database set ``default_transaction_read_only``) must not leave the pool stuck once it can be written
again: a connection opened while it could not be written stays read-only for its whole life. So
errors that mean read-only or unreachable mark the connection as disconnected (the pool discards
it and every other pooled one), and a connection that opened read-only is replaced at checkout once
it is older than ``READ_ONLY_RECHECK_S``. :func:`unavailable` names why an error means "not now";
:func:`write_probe` asks a fresh connection whether a write would go through.
"""

from __future__ import annotations

import os
import sqlite3
import time
from functools import partial
from typing import Any

from sqlalchemy import MetaData, Table, create_engine, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.engine.interfaces import DBAPIConnection, ExceptionContext
from sqlalchemy.exc import DisconnectionError, OperationalError
from sqlalchemy.pool import ConnectionPoolEntry, PoolProxiedConnection

# Constraint names that Alembic can rely on, on both databases.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING)

BULK_BUSY_TIMEOUT_S = 30.0  # SQLite's wait for the write lock when no shorter one is asked for
READ_ONLY_RECHECK_S = 1.0  # a connection that opened read-only is replaced after this long
PROBE_TIMEOUT_S = 1.0  # how long /readyz waits for the write lock before it says "locked"

LOCKED, READ_ONLY, UNREACHABLE = "locked", "read-only", "unreachable"
_PG_UNREACHABLE = {"57P01", "57P02", "57P03", "53300"}  # shutdown, crash, starting up, too many


def unavailable(exc: BaseException) -> str | None:
    """Why a database error means "not now": ``locked``, ``read-only``, ``unreachable``; else None.

    ``exc`` is a SQLAlchemy ``DBAPIError`` or the driver's own exception. Other errors (a bug, a
    constraint) give None and stay errors.
    """
    orig = getattr(exc, "orig", None) or exc
    name = getattr(orig, "sqlite_errorname", None)
    if isinstance(orig, sqlite3.Error):
        name = name or ""
        if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "database is locked" in str(orig):
            return LOCKED
        if name.startswith("SQLITE_READONLY"):
            return READ_ONLY
        if name.startswith(("SQLITE_CANTOPEN", "SQLITE_IOERR")):
            return UNREACHABLE
        return None
    sqlstate = getattr(orig, "sqlstate", None)
    if sqlstate == "55P03":  # lock_not_available: lock_timeout ran out
        return LOCKED
    if sqlstate == "25006":  # read_only_sql_transaction
        return READ_ONLY
    if sqlstate and (sqlstate.startswith("08") or sqlstate in _PG_UNREACHABLE):
        return UNREACHABLE
    if getattr(exc, "connection_invalidated", False):
        return UNREACHABLE
    if sqlstate is None and isinstance(exc, OperationalError):  # no answer from the server at all
        return UNREACHABLE
    if sqlstate is None and type(orig).__name__ == "OperationalError":
        return UNREACHABLE
    return None


def _sqlite_pragmas(
    busy_timeout_ms: int, dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry
) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
    _to_wal(cursor, busy_timeout_ms / 1000)
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _to_wal(cursor: Any, wait_s: float) -> None:
    """Put the file in WAL mode, waiting as a statement waits for a lock. The first switch of a
    new file needs it alone: a connection that read its header asks for more than it holds, and
    SQLite answers "locked" at once rather than wait (it could deadlock), as when two
    ``ioc57 init`` start on one new file. Once in WAL mode the pragma changes nothing."""
    deadline = time.monotonic() + wait_s
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() >= deadline:
                raise
            time.sleep(0.05)


def _file_is_read_only(path: str) -> bool:
    """True when ``path`` exists and cannot be written (SQLite then opens it read-only).

    Asked with ``access(2)``, never by opening the file: closing any descriptor of a database file
    drops every POSIX lock this process holds on it, the locks of its open SQLite connections
    among them, and two writers would then corrupt it."""
    return os.path.exists(path) and not os.access(path, os.W_OK)


def _sqlite_mark_read_only(
    path: str | None, _dbapi_connection: DBAPIConnection, record: ConnectionPoolEntry
) -> None:
    record.info.pop("read_only_since", None)
    if path and path != ":memory:" and _file_is_read_only(path):
        record.info["read_only_since"] = time.monotonic()


def _postgresql_mark_read_only(
    dbapi_connection: DBAPIConnection, record: ConnectionPoolEntry
) -> None:
    record.info.pop("read_only_since", None)
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(
            "SELECT pg_is_in_recovery() OR current_setting('transaction_read_only') = 'on'"
        )
        read_only = cursor.fetchall()[0][0]
    finally:
        cursor.close()
        dbapi_connection.rollback()
    if read_only:
        record.info["read_only_since"] = time.monotonic()


def _replace_read_only(
    _dbapi_connection: DBAPIConnection, record: ConnectionPoolEntry, _proxy: PoolProxiedConnection
) -> None:
    since = record.info.get("read_only_since")
    if since is not None and time.monotonic() - since > READ_ONLY_RECHECK_S:
        # the pool closes it and opens a new one, which sees whether the database can be written now
        raise DisconnectionError("connection opened read-only; reopening it")


def _on_error(context: ExceptionContext) -> None:
    if unavailable(context.original_exception) in (READ_ONLY, UNREACHABLE):
        context.is_disconnect = True  # the pool discards this connection and the others


def make_engine(url: str, *, busy_timeout_s: float | None = None, **kwargs: Any) -> Engine:
    """An engine for ``url`` with ioc57's connection settings.

    ``busy_timeout_s``: how long a statement waits for a lock before it fails ("locked"). None is
    the bulk default: 30 s on SQLite, no limit on PostgreSQL.
    """
    if url.startswith("sqlite"):
        timeout = BULK_BUSY_TIMEOUT_S if busy_timeout_s is None else busy_timeout_s
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": timeout}, **kwargs
        )
        event.listen(engine, "connect", partial(_sqlite_pragmas, int(timeout * 1000)))
        event.listen(engine, "connect", partial(_sqlite_mark_read_only, engine.url.database))
    else:
        connect_args = {}
        if busy_timeout_s is not None:
            connect_args["options"] = f"-c lock_timeout={int(busy_timeout_s * 1000)}"
        engine = create_engine(url, pool_pre_ping=True, connect_args=connect_args, **kwargs)
        event.listen(engine, "connect", _postgresql_mark_read_only)
    event.listen(engine, "checkout", _replace_read_only)
    event.listen(engine, "handle_error", _on_error)
    return engine


def write_probe(engine: Engine, timeout_s: float = PROBE_TIMEOUT_S) -> str | None:
    """None when a write would go through now; else why not (``locked``, ``read-only``, ...).

    Asks a fresh connection, as the pool's next one would be: SQLite takes the write lock within
    ``timeout_s`` and writes the header's own value back, then rolls back; PostgreSQL must be
    neither a standby nor read-only for new sessions.
    """
    if engine.dialect.name == "sqlite":
        return _sqlite_write_probe(engine.url.database, timeout_s)
    cargs, cparams = engine.dialect.create_connect_args(engine.url)
    cparams = {**cparams, "connect_timeout": max(1, int(timeout_s))}
    try:
        conn = engine.dialect.connect(*cargs, **cparams)
    except Exception as exc:
        return unavailable(exc) or UNREACHABLE
    try:
        cursor = conn.cursor()
        cursor.execute(
            "SELECT pg_is_in_recovery() OR current_setting('transaction_read_only') = 'on'"
        )
        return READ_ONLY if cursor.fetchall()[0][0] else None
    except Exception as exc:
        return unavailable(exc) or UNREACHABLE
    finally:
        conn.close()


def _sqlite_write_probe(path: str | None, timeout_s: float) -> str | None:
    if not path or path == ":memory:":
        return None
    if not os.path.exists(path):
        return UNREACHABLE
    if _file_is_read_only(path):
        return READ_ONLY
    try:
        conn = sqlite3.connect(path, timeout=timeout_s, isolation_level=None)
    except sqlite3.Error as exc:
        return unavailable(exc) or UNREACHABLE
    try:
        conn.execute("BEGIN IMMEDIATE")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        conn.execute(f"PRAGMA user_version={int(version)}")  # a write, rolled back below
        return None
    except sqlite3.Error as exc:
        return unavailable(exc) or UNREACHABLE
    finally:
        if conn.in_transaction:
            conn.rollback()
        conn.close()


def insert_once(conn: Connection, table: Table, key: list[str]) -> Any:
    """An INSERT that does nothing where a row with the same ``key`` is there (on both databases):
    ``.values(...)`` it, and add ``.returning(...)`` to learn whether this call inserted."""
    from sqlalchemy.dialects import postgresql, sqlite

    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    return dialect.insert(table).on_conflict_do_nothing(index_elements=key)
