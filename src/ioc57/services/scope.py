"""Which rows of the gate's kind of table (with ``unit_id``, ``agency_id`` and ``province_code``:
records, open dossiers) lie in a unit's subtree."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.engine import Connection

from ioc57.units.queries import subtree_ids
from ioc57.units.tables import units


def subtree_parts(conn: Connection, table: Any, unit: Any) -> list[Any]:
    """Conditions on ``table`` whose union is ``unit``'s subtree, each one an index can serve in
    order: a province's rows are those of the province codes of its lineage (the provinces it
    succeeded share its records); another unit's, those of its units (its own, its communes', the
    units it succeeded) by unit and by agency."""
    ids = subtree_ids(conn, unit, predecessors=True)
    if unit.level == "province":
        query = select(units.c.province_code).where(units.c.id.in_(ids)).distinct()
        return [table.c.province_code == code for code in sorted(conn.execute(query).scalars())]
    return [table.c.unit_id.in_(ids), table.c.agency_id.in_(ids)]


def in_subtree(conn: Connection, table: Any, unit: Any) -> list[Any]:
    """Conditions on ``table`` for its rows in ``unit``'s subtree: the unit's own, its communes'
    and its agencies' (an agency's: its own), and those of the units it succeeded (a dossier
    received at a commune before the 2025 merger and still open is now its successor's)."""
    return [or_(*subtree_parts(conn, table, unit))]
