"""What a person reporting figures chooses from, by name: the units (their own and those right
under it; the provinces for one without a unit) and the periods that have begun (as people say
them on the page)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ioc57.core.access import Principal
from ioc57.core.clock import today
from ioc57.indicators.pages import provinces
from ioc57.units.queries import unit_by_id, valid_at
from ioc57.units.tables import units


def unit_choices(conn: Connection, principal: Principal, chosen: Any = None) -> list[Any]:
    """Rows with ``code`` and ``name``: the person's unit and those right under it (a
    province's communes and agencies), else the provinces; and ``chosen`` when it is none of
    them."""
    if principal.unit_id is not None:
        own = unit_by_id(conn, principal.unit_id)
        query = select(units.c.code, units.c.name).where(
            units.c.parent_id == principal.unit_id, valid_at(today())
        )
        found = [own] if own is not None else []
        found += conn.execute(query.order_by(units.c.name)).all()
    else:
        found = list(provinces(conn))
    if chosen is not None and chosen.code not in {u.code for u in found}:
        found.insert(0, chosen)
    return found


def period_choices(on: date, chosen: str = "") -> list[str]:
    """Period codes that have begun, the latest first by kind: the months of the last year,
    the quarters of the last year and the last four years; and ``chosen`` when it is none."""
    months, quarters, years = [], [], []
    year, month = on.year, on.month
    for _ in range(13):
        months.append(f"{year}{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    year, quarter = on.year, (on.month - 1) // 3 + 1
    for _ in range(5):
        quarters.append(f"{year}Q{quarter}")
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    years = [str(on.year - n) for n in range(4)]
    found = months + quarters + years
    if chosen and chosen not in found:
        found.insert(0, chosen)
    return found
