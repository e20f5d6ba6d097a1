"""The data sources in a person's scope: a source serves units (its ``units``, official codes);
an officer sees the sources that serve its unit or a unit under it, a person of no unit (the
province's leaders, the administrators) every source. Disabled sources are left out: an
administrator stopped them on purpose."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ioc57.core.access import Principal
from ioc57.ingest.tables import sources
from ioc57.units.tables import units

COLUMNS = (
    sources.c.id,
    sources.c.name,
    sources.c.title,
    sources.c.types,
    sources.c.units,
    sources.c.simulated,
    sources.c.pull_interval_s,
    sources.c.last_pulled_at,
    sources.c.created_at,
)


def sources_in_scope(conn: Connection, principal: Principal) -> list[Any]:
    """The enabled sources whose units lie in ``principal``'s subtree, by name."""
    rows = list(
        conn.execute(select(*COLUMNS).where(sources.c.disabled.is_(False)).order_by(sources.c.name))
    )
    if principal.unit_id is None:
        return rows
    codes = sorted({str(code) for row in rows for code in (row.units or ())})
    return [row for row in rows if set(row.units or ()) & _codes_under(conn, codes, principal)]


def _codes_under(conn: Connection, codes: list[str], principal: Principal) -> set[str]:
    """Those of ``codes`` that name the principal's unit or a unit under it: each code's chain of
    ancestors, walked up, meets the principal's unit."""
    if not codes:
        return set()
    up = (
        select(units.c.code.label("start"), units.c.id, units.c.parent_id)
        .where(units.c.code.in_(codes))
        .cte("up", recursive=True)
    )
    up = up.union_all(
        select(up.c.start, units.c.id, units.c.parent_id).join(units, units.c.id == up.c.parent_id)
    )
    query = select(up.c.start).where(up.c.id == principal.unit_id).distinct()
    return set(conn.execute(query).scalars())
