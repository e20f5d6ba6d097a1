"""The audit log: every write records who, when, what, and the object before and after."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, BigInteger, Column, DateTime, Integer, String, Table, insert, select
from sqlalchemy.engine import Connection

from ioc57.core.clock import now
from ioc57.core.db import metadata

audit_log = Table(
    "audit_log",
    metadata,
    Column(
        "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    Column("actor", String(100), nullable=False),
    Column("action", String(60), nullable=False),
    Column("object_type", String(40), nullable=False),
    Column("object_id", String(100), nullable=False),
    Column("before", JSON),
    Column("after", JSON),
    Column("address", String(64)),
)


def record(
    conn: Connection,
    *,
    actor: str,
    action: str,
    object_type: str,
    object_id: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    address: str | None = None,
) -> None:
    """Add one audit row in the caller's transaction, so the write and its record stand or fall together."""
    conn.execute(
        insert(audit_log).values(
            at=now(),
            actor=actor,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            before=_jsonable(before),
            after=_jsonable(after),
            address=address,
        )
    )


def _jsonable(value: dict[str, Any] | None) -> dict[str, Any] | None:
    if value is None:
        return None
    out = {}
    for key, item in value.items():
        if key in {"password_hash", "token_hash"}:
            continue
        out[key] = item.isoformat() if hasattr(item, "isoformat") else item
    return out


def entries(
    conn: Connection,
    *,
    object_type: str | None = None,
    actor: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[dict[str, Any]]:
    query = select(audit_log).order_by(audit_log.c.id.desc()).limit(limit).offset(offset)
    if object_type:
        query = query.where(audit_log.c.object_type == object_type)
    if actor:
        query = query.where(audit_log.c.actor == actor)
    return [dict(row._mapping) for row in conn.execute(query)]
