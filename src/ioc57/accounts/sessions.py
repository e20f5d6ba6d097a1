"""Browser sessions held on the server: the signed cookie carries a random secret, the ``sessions``
row (keyed by the secret's SHA-256) says whether it still counts.

A session is started at login and ended by logout, by a password change (every other session of
the user), by disabling the user, and by its expiry; an ended session is refused at once, by every
process, because each request reads its row.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection

from ioc57.accounts.tables import sessions
from ioc57.core.clock import now
from ioc57.core.security import hash_token

MAX_AGE_S = 12 * 3600  # a working day and a night shift; the cookie lasts as long
SEEN_EVERY_S = 60  # last_seen_at is written at most this often, not on every request


def session_id(secret: str) -> str:
    return hash_token(secret)


def start(conn: Connection, user_id: int) -> str:
    """Record a new session of ``user_id``; return the secret the cookie carries."""
    secret = secrets.token_urlsafe(32)
    at = now()
    conn.execute(
        insert(sessions).values(
            id=session_id(secret),
            user_id=user_id,
            created_at=at,
            last_seen_at=at,
            expires_at=at + timedelta(seconds=MAX_AGE_S),
        )
    )
    return secret


def live_row(conn: Connection, sid: str) -> Any | None:
    """The session's row while it counts (not ended, not expired), else None."""
    return conn.execute(
        select(sessions).where(
            sessions.c.id == sid, sessions.c.ended_at.is_(None), sessions.c.expires_at > now()
        )
    ).first()


def end(conn: Connection, sid: str, why: str) -> int:
    return conn.execute(
        update(sessions)
        .where(sessions.c.id == sid, sessions.c.ended_at.is_(None))
        .values(ended_at=now(), ended_why=why)
    ).rowcount


def end_all(conn: Connection, user_id: int, why: str, keep: str | None = None) -> int:
    """End every live session of ``user_id`` (but ``keep``); return how many."""
    query = update(sessions).where(sessions.c.user_id == user_id, sessions.c.ended_at.is_(None))
    if keep is not None:
        query = query.where(sessions.c.id != keep)
    return conn.execute(query.values(ended_at=now(), ended_why=why)).rowcount


def seen(conn: Connection, sid: str) -> None:
    conn.execute(update(sessions).where(sessions.c.id == sid).values(last_seen_at=now()))


def stale(row: Any) -> bool:
    """Whether ``last_seen_at`` is old enough to be written again."""
    last = row.last_seen_at
    if last.tzinfo is None:  # SQLite gives naive UTC
        last = last.replace(tzinfo=now().tzinfo)
    return now() - last > timedelta(seconds=SEEN_EVERY_S)
