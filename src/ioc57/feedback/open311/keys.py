"""The API keys of the third-party apps that file reports through Open311.

An admin issues a key to an app by its name (``ioc57 open311 key create NAME``); the key is shown
once and only its SHA-256 is stored. A revoked key files nothing; issuing a key again to a revoked
app's name gives it a new one (a key's rotation). Issuing and revoking are audited.
"""

from __future__ import annotations

import re
import secrets
from datetime import timedelta
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection

from ioc57.core import audit
from ioc57.core.clock import local_iso, now, stored_utc
from ioc57.core.problems import Problem, field_error
from ioc57.core.security import hash_token
from ioc57.feedback.tables import open311_keys

PREFIX = "o311_"
NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,59}$")
# how stale ``last_used_at`` may grow before a use writes it again (a busy app writes it rarely)
USED_EVERY = timedelta(minutes=1)


def new_key() -> str:
    return PREFIX + secrets.token_urlsafe(32)


def _row(conn: Connection, name: str) -> Any | None:
    return conn.execute(select(open311_keys).where(open311_keys.c.name == name)).first()


def create_key(conn: Connection, *, actor: str, name: str) -> str:
    """Issue a key to the app ``name`` and return it: the only time it is ever shown."""
    if not NAME.match(name):
        raise field_error("name", "2-60 lower-case letters, digits, '.', '_' or '-'")
    key = new_key()
    values = {"key_hash": hash_token(key), "created_by": actor, "created_at": now()}
    old = _row(conn, name)
    if old is not None and old.revoked_at is None:
        raise Problem(
            409,
            f"The app {name!r} has a key; revoke it first to issue a new one.",
            errors=[{"loc": ["name"], "msg": "has a key"}],
        )
    if old is None:
        conn.execute(insert(open311_keys).values(name=name, **values))
    else:
        conn.execute(
            update(open311_keys)
            .where(open311_keys.c.id == old.id)
            .values(**values, revoked_at=None, last_used_at=None)
        )
    audit.record(
        conn,
        actor=actor,
        action="open311.key_create",
        object_type="open311_key",
        object_id=name,
        after={"name": name, "reissued": old is not None},
    )
    return key


def revoke_key(conn: Connection, *, actor: str, name: str) -> None:
    row = _row(conn, name)
    if row is None:
        raise Problem(
            404, f"No Open311 app {name!r}.", errors=[{"loc": ["name"], "msg": "unknown"}]
        )
    if row.revoked_at is not None:
        raise Problem(409, f"The key of {name!r} is already revoked.")
    at = now()
    conn.execute(update(open311_keys).where(open311_keys.c.id == row.id).values(revoked_at=at))
    audit.record(
        conn,
        actor=actor,
        action="open311.key_revoke",
        object_type="open311_key",
        object_id=name,
        before={"revoked_at": None},
        after={"revoked_at": at.isoformat()},
    )


def list_keys(conn: Connection) -> list[dict[str, Any]]:
    """Every app's key (never the key): name, who issued it and when, last use, revocation."""
    rows = conn.execute(select(open311_keys).order_by(open311_keys.c.name))
    return [
        {
            "name": r.name,
            "created_by": r.created_by,
            "created_at": local_iso(r.created_at),
            "last_used_at": local_iso(r.last_used_at),
            "revoked_at": local_iso(r.revoked_at),
        }
        for r in rows
    ]


def app_for(conn: Connection, key: str) -> str | None:
    """The name of the app whose key ``key`` is, if it is not revoked; its use noted."""
    if not key.startswith(PREFIX) or len(key) > 100:
        return None
    row = conn.execute(
        select(open311_keys).where(open311_keys.c.key_hash == hash_token(key))
    ).first()
    if row is None or row.revoked_at is not None:
        return None
    at = now()
    if row.last_used_at is None or stored_utc(row.last_used_at) < at - USED_EVERY:
        conn.execute(
            update(open311_keys).where(open311_keys.c.id == row.id).values(last_used_at=at)
        )
    name: str = row.name
    return name
