"""The sensors' panel of the overview page: how many stations are over their threshold, how many
are near it, how many have sent nothing lately, and the highest salinity now, each linked to
the map or the station.

It reads the figure the alert rules watch (``sensors.reading``) and the levels of ``thresholds``,
so that the panel, the map and the alerts judge a station against the same threshold.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ioc57.core import figures
from ioc57.core.access import Principal, may
from ioc57.core.clock import now
from ioc57.core.i18n import N_
from ioc57.sensors.queries import READ, in_scope
from ioc57.sensors.tables import stations
from ioc57.sensors.thresholds import SALINITY, level

FIGURE = "sensors.reading"


def sensors_panel(conn: Connection, principal: Principal | None) -> dict[str, Any] | None:
    if principal is None or not may(principal, READ):
        return None
    query = select(stations.c.code, stations.c.simulated).where(*in_scope(conn, principal))
    rows = conn.execute(query).all()
    if not rows:
        return None
    mine = {row.code for row in rows}
    samples = [
        s
        for s in figures.samples(conn, FIGURE, {"metric": SALINITY})
        if s.labels.get("station") in mine
    ]
    when = now()
    levels = [level(s.value, s.at, s.threshold, when) for s in samples]
    measured = [s for s, lvl in zip(samples, levels, strict=True) if lvl != "nodata"]
    highest = max(measured, key=lambda s: s.value or 0.0, default=None)
    rows_shown = [
        (N_("Stations over their threshold"), levels.count("over"), "/sensors"),
        (N_("Stations near their threshold"), levels.count("watch"), "/sensors"),
        (N_("Stations without recent data"), levels.count("nodata"), "/sensors"),
        (
            N_("Highest salinity now, ‰"),
            highest.value if highest is not None else None,
            f"/sensors/{highest.labels['station']}" if highest is not None else "/sensors",
        ),
    ]
    return {
        "title": N_("Salinity stations"),
        "rows": rows_shown,
        "simulated": any(row.simulated for row in rows),
    }
