"""The citizen reports' layer of the operations centre's map (``feedback.open``): each open report
of the person's scope that has a place, at that place rounded as the public sees it (about 100 m:
``queries.PUBLIC_PLACES``), coloured by its deadline — past (bad), near (watch), else ok. A point
names the report by its category and commune; never its words, its address or the citizen."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import quote

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ioc57.core.access import Principal, may
from ioc57.core.clock import now as clock_now
from ioc57.core.i18n import N_
from ioc57.feedback.access import READ, in_scope
from ioc57.feedback.centre import SOURCE, local_day, title
from ioc57.feedback.centre_tiles import updated_at
from ioc57.feedback.deadlines import flag
from ioc57.feedback.queries import PUBLIC_PLACES, commune
from ioc57.feedback.stats import OPEN
from ioc57.feedback.tables import reports

MAX_POINTS = 3000  # the most urgent first: a wall's map shows no more
LEVEL = {"late": "bad", "near": "watch", "": "ok"}
LEGEND = [
    ["bad", N_("Past deadline")],
    ["watch", N_("Deadline near")],
    ["ok", N_("Open, within its deadline")],
]


def open_layer(conn: Connection, principal: Principal) -> dict[str, Any] | None:
    if not may(principal, READ):
        return None
    now: datetime = clock_now()
    today = local_day(now)
    c = reports.c
    query = (
        select(c.record_id, c.category, c.due_on, c.lat, c.lon, c.simulated, commune.c.name)
        .select_from(reports.outerjoin(commune, commune.c.id == c.unit_id))
        .where(c.status.in_(OPEN), c.lat.is_not(None), c.lon.is_not(None))
        .order_by(c.due_on.is_(None), c.due_on, c.id)
        .limit(MAX_POINTS)
    )
    scope = in_scope(conn, principal)
    if scope is not None:
        query = query.where(scope)
    points, simulated = [], False
    for r in conn.execute(query):
        simulated = simulated or bool(r.simulated)
        points.append(
            {
                "lat": round(r.lat, PUBLIC_PLACES),
                "lon": round(r.lon, PUBLIC_PLACES),
                "label": title(r.category, r.name),
                "value": 1,
                "level": LEVEL[flag(r.due_on, today)],
                "href": f"/feedback/{quote(r.record_id, safe='')}",
            }
        )
    return {
        "points": points,
        "legend": LEGEND,
        "updated_at": updated_at(conn, now),
        "simulated": simulated,
        "source": SOURCE,
    }
