"""Reading what a module offers the operations centre (its tiles, watches and layers) as a person
named by username would see it (``offers`` reads it for a bearer token's person)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from ioc57.accounts.tables import users
from ioc57.core.access import Principal
from ioc57.units.tables import units

from .offers import read_concerns, read_layer, read_tile


def principal(app, username: str) -> Principal:
    query = (
        select(users.c.id, users.c.username, users.c.role, users.c.unit_id, units.c.code)
        .outerjoin(units, units.c.id == users.c.unit_id)
        .where(users.c.username == username)
    )
    with app.state.engine.connect() as conn:
        row = conn.execute(query).one()
    return Principal(row.id, row.username, row.role, row.unit_id, row.code, "session")


def tile(app, name: str, username: str = "admin", at: datetime | None = None) -> dict | None:
    return read_tile(app, principal(app, username), name, at)


def layer(app, name: str, username: str = "admin") -> dict | None:
    return read_layer(app, principal(app, username), name)


def concerns(app, prefix: str, username: str = "admin", at: datetime | None = None) -> list[Any]:
    """The concerns whose key starts with ``prefix`` ("ingest:quiet:"), ranked by the centre."""
    return [c for c in read_concerns(app, principal(app, username), at) if c.key.startswith(prefix)]
