"""The part of the traceability data an IOC view reads: a province's, a unit's subtree within it
(an officer's commune), or the country's; checked against the reader's own.

An officer (a person with a unit) reads only its unit's subtree; a person without one reads every
province, and the country as a whole. Master data and events each carry their ``province_code``
and ``unit_id`` (a commune), so a scope is a condition on those two columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Query
from sqlalchemy import select
from sqlalchemy.engine import Connection

from ioc57.core.access import Principal, authorize
from ioc57.core.clock import today
from ioc57.core.pages import require_login
from ioc57.core.problems import field_error
from ioc57.units.queries import own_unit, scope_chain, subtree_ids, unit_at, valid_at
from ioc57.units.tables import units

READ = "traceability.read"
Reader = Annotated[Principal, Depends(require_login(READ))]
Code = Annotated[str | None, Query(max_length=40)]


@dataclass(frozen=True)
class Scope:
    """A province's data (the country's when ``province`` is None), narrowed to the subtree of
    ``unit`` (a unit below the province) when there is one."""

    province: Any | None
    unit: Any | None = None
    unit_ids: list[int] | None = None

    @property
    def code(self) -> str | None:
        """The code of the unit the scope is (None: the country)."""
        chosen = self.unit if self.unit is not None else self.province
        return chosen.code if chosen is not None else None

    def where(self, table: Any) -> list[Any]:
        """Conditions on a traceability table (``province_code``, ``unit_id``) for the scope."""
        out = []
        if self.province is not None:
            out.append(table.c.province_code == self.province.code)
        if self.unit_ids is not None:
            out.append(table.c.unit_id.in_(self.unit_ids))
        return out


def scope_of(
    conn: Connection,
    principal: Principal,
    code: str | None,
    field: str = "unit",
    provinces_only: bool = False,
) -> Scope:
    """The scope a request names by a unit's code (in ``field``), checked: 422 naming the field
    for a code no current unit has (or no province, with ``provinces_only``), 403 for a unit
    outside the person's subtree. Without a code: the person's own unit, or the country."""
    code = (code or "").strip()
    if code:
        chosen = unit_at(conn, code, today())
        if chosen is None or (provinces_only and chosen.level != "province"):
            kind = "province" if provinces_only else "unit"
            raise field_error(field, f"no current {kind} has code {code!r}")
    elif principal.unit_id is not None:
        chosen = own_unit(conn, principal)
    else:
        return Scope(None)
    authorize(principal, READ, scope_chain(conn, chosen))
    if chosen.level == "province":
        return Scope(chosen)
    home = unit_at(conn, chosen.province_code, today())
    return Scope(home, chosen, subtree_ids(conn, chosen, predecessors=True))


def province_choices(conn: Connection, principal: Principal) -> list[Any]:
    """The provinces a person who sees them all may choose among (none for an officer)."""
    if principal.unit_id is not None:
        return []
    query = select(units.c.code, units.c.name).where(units.c.level == "province", valid_at(today()))
    return list(conn.execute(query.order_by(units.c.name)))
