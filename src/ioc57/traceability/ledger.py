"""The signed checkpoints as they are read: listed on the ledger page, exported as JSON with the
public keys that verify them and the exact bytes each signature covers, so that a copy kept
elsewhere can check them without this program."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from ioc57.ingest.tables import sources
from ioc57.traceability.checkpoints import public_checkpoint, stamp
from ioc57.traceability.tables import checkpoints, keys
from ioc57.units.queries import unit_by_id

STATEMENT = (
    "signature: Ed25519 over the UTF-8 bytes of 'ioc57-trace-checkpoint|{source}|{first_seq}|"
    "{last_seq}|{head}|{merkle_root}|{signed_at}'; merkle_root: RFC 6962 tree over the rows'"
    " digests; head: the chain's link at last_seq, link = sha256('{previous link}|{seq}|"
    "{event_id}|{digest}') from 64 zeros; digest = sha256 of the event's stored JSON"
)


def listed(
    conn: Connection,
    *,
    province: str | None = None,
    source: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> tuple[list[dict[str, Any]], int]:
    """Checkpoints, the newest first (of a province's, of a source's), and how many there are."""
    where = []
    if province is not None:
        where.append(checkpoints.c.province_code == province)
    if source is not None:
        where.append(sources.c.name == source)
    joined = checkpoints.join(sources, sources.c.id == checkpoints.c.source_id)
    total = conn.execute(select(func.count()).select_from(joined).where(*where)).scalar_one()
    query = (
        select(
            checkpoints,
            sources.c.name.label("source_name"),
            sources.c.simulated.label("simulated"),
        )
        .select_from(joined)
        .where(*where)
        .order_by(checkpoints.c.signed_at.desc(), checkpoints.c.id.desc())
        .offset(offset)
    )
    if limit is not None:
        query = query.limit(limit)
    rows = conn.execute(query).all()
    return [
        public_checkpoint(r, r.source_name) | {"simulated": bool(r.simulated)} for r in rows
    ], total


def key_list(conn: Connection) -> list[dict[str, Any]]:
    """The public keys that signed checkpoints, the current one first."""
    rows = conn.execute(select(keys).order_by(keys.c.retired_at.is_not(None), keys.c.id.desc()))
    return [
        {
            "key_id": r.key_id,
            "public_key": r.public_key,
            "created_at": stamp(r.created_at),
            "retired_at": stamp(r.retired_at) if r.retired_at else None,
        }
        for r in rows
    ]


def export(conn: Connection, **which: Any) -> dict[str, Any]:
    """The checkpoints with the public keys that verify them, as JSON for a copy kept elsewhere."""
    found, total = listed(conn, **which)
    return {
        "statement": STATEMENT,
        "keys": key_list(conn),
        "total": total,
        "checkpoints": found,
    }


def reader_province(conn: Connection, unit_id: int | None) -> str | None:
    """The province whose checkpoints a person with a unit reads (None: every province)."""
    if unit_id is None:
        return None
    unit = unit_by_id(conn, unit_id)
    return unit.province_code if unit is not None else "-"
