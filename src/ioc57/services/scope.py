"""Which rows of the gate's kind of table (with ``unit_id``, ``agency_id`` and ``province_code``:
records, open dossiers) lie in a unit's subtree."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_
from sqlalchemy.engine import Connection

from ioc57.units.queries import subtree_ids


def in_subtree(conn: Connection, table: Any, unit: Any) -> list[Any]:
    """Conditions on ``table`` for its rows in ``unit``'s subtree: the unit's own, its communes'
    and its agencies' (an agency's: its own)."""
    ids = subtree_ids(conn, unit)
    return [
        table.c.province_code == unit.province_code,
        or_(table.c.unit_id.in_(ids), table.c.agency_id.in_(ids)),
    ]
