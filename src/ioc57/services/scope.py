"""Which rows of the gate's kind of table (with ``unit_id``, ``agency_id`` and ``province_code``:
records, open dossiers) lie in a unit's subtree."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.engine import Connection

from ioc57.units.queries import subtree_ids
from ioc57.units.tables import units


def in_subtree(conn: Connection, table: Any, unit: Any) -> list[Any]:
    """Conditions on ``table`` for its rows in ``unit``'s subtree: the unit's own, its communes'
    and its agencies' (an agency's: its own), and those of the units it succeeded (a dossier
    received at a commune before the 2025 merger and still open is now its successor's)."""
    ids = subtree_ids(conn, unit, predecessors=True)
    provinces = select(units.c.province_code).where(units.c.id.in_(ids)).distinct()
    return [
        table.c.province_code.in_(list(conn.execute(provinces).scalars())),
        or_(table.c.unit_id.in_(ids), table.c.agency_id.in_(ids)),
    ]
