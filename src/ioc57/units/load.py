"""Load the real administrative units into the database (once; ``ioc57 init`` calls it)."""

from __future__ import annotations

from sqlalchemy import func, insert, select, text
from sqlalchemy.engine import Connection

from ioc57.units.source import read_units, search_key
from ioc57.units.tables import unit_successions, units


def units_loaded(conn: Connection) -> bool:
    query = select(func.count()).select_from(units).where(units.c.level == "province")
    return conn.execute(query).scalar_one() > 0


def load_units(conn: Connection) -> int:
    """Insert provinces, districts, communes and successions; return how many units were added."""
    if units_loaded(conn):
        return 0
    data = read_units()
    start = (conn.execute(select(func.max(units.c.id))).scalar() or 0) + 1
    ids = {row.key: start + i for i, row in enumerate(data.units)}
    conn.execute(
        insert(units),
        [
            {
                "id": ids[row.key],
                "code": row.code,
                "name": row.name,
                "short_name": row.short_name,
                "level": row.level,
                "type": row.type,
                "parent_id": ids[row.parent] if row.parent else None,
                "province_code": row.province_code,
                "valid_from": row.valid_from,
                "valid_to": row.valid_to,
                "lat": row.lat,
                "lon": row.lon,
                "search_name": search_key(row.name),
            }
            for row in data.units
        ],
    )
    conn.execute(
        insert(unit_successions),
        [
            {
                "predecessor_id": ids[before],
                "successor_id": ids[after],
                "effective": after[2],
                "is_default": is_default,
            }
            for before, after, is_default in data.successions
        ],
    )
    if conn.dialect.name == "postgresql":
        conn.execute(
            text("SELECT setval(pg_get_serial_sequence('units', 'id'), max(id)) FROM units")
        )
    return len(data.units)
