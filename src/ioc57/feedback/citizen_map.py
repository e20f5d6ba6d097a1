"""The communes the public form's map shows, so that a citizen can pick the place of a report near
a named commune (the map has no tile server: it works on a closed network).

Which province? The ones the IOC takes reports for: those with routes of categories to agencies,
else the one of the latest report; a link may name another (``?tinh=82``). Read at most every
five minutes per app: the form is the busiest public page.
"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ioc57.core.clock import today
from ioc57.feedback.tables import reports, routes
from ioc57.units.queries import valid_at
from ioc57.units.tables import units

KEEP_S = 300.0
MOST = 1_500  # communes drawn at most (a few provinces)


def served(conn: Connection) -> list[str]:
    """The provinces the IOC takes reports for."""
    codes = sorted(set(conn.execute(select(routes.c.province_code).distinct()).scalars()))
    if codes:
        return codes[:5]
    latest = conn.execute(
        select(reports.c.province_code)
        .where(reports.c.province_code != "")
        .order_by(reports.c.id.desc())
        .limit(1)
    ).scalar()
    return [latest] if latest else []


def communes(conn: Connection, provinces: list[str]) -> list[dict[str, Any]]:
    """The current communes of ``provinces`` that have a centre: code, name, lat, lon."""
    if not provinces:
        return []
    query = (
        select(units.c.code, units.c.name, units.c.lat, units.c.lon)
        .where(
            units.c.level == "commune",
            units.c.province_code.in_(provinces),
            units.c.lat.is_not(None),
            valid_at(today()),
        )
        .order_by(units.c.code)
        .limit(MOST)
    )
    return [
        {"code": r.code, "name": r.name, "lat": round(r.lat, 5), "lon": round(r.lon, 5)}
        for r in conn.execute(query)
    ]


def map_points(state: Any, conn: Connection, province: str | None) -> list[dict[str, Any]]:
    """The communes of the form's map (``province`` asked in the link, else those served)."""
    if province:
        return communes(conn, [province])
    kept = getattr(state, "feedback_map", None)
    if kept is not None and time.monotonic() - kept[0] < KEEP_S:
        return kept[1]
    points = communes(conn, served(conn))
    state.feedback_map = (time.monotonic(), points)
    return points
