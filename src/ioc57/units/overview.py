"""The units panel of the overview page."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from ioc57.core.access import Principal
from ioc57.core.clock import today
from ioc57.core.i18n import N_
from ioc57.units.queries import valid_at
from ioc57.units.tables import units


def units_panel(conn: Connection, _principal: Principal | None) -> dict:
    day = today()
    counts: dict[str, int] = dict(
        conn.execute(
            select(units.c.level, func.count()).where(valid_at(day)).group_by(units.c.level)
        ).all()
    )
    legacy = conn.execute(
        select(func.count())
        .select_from(units)
        .where(units.c.level == "province", units.c.valid_to.is_not(None))
    ).scalar_one()
    return {
        "title": N_("Administrative units"),
        "rows": [
            (N_("Provinces and cities"), counts.get("province", 0), "/units?level=province"),
            (
                N_("Communes, wards and special zones"),
                counts.get("commune", 0),
                "/units?level=commune",
            ),
            (N_("Agencies"), counts.get("agency", 0), "/units?level=agency"),
            (N_("Provinces before 1 July 2025"), legacy, "/units?level=province&at=2025-06-30"),
        ],
    }
