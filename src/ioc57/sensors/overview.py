"""The sensors' panel of the overview page: how many stations are over their threshold, how many
are near it, how many have sent nothing for an hour, and the highest salinity now, each linked to
the map or the station.

It reads the figure the alert rules watch (``sensors.reading``), so that the panel, the map and the
alerts judge a station against the same threshold.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ioc57.core import figures
from ioc57.core.access import Principal, may
from ioc57.core.clock import now, stored_utc
from ioc57.core.i18n import N_
from ioc57.sensors.tables import stations
from ioc57.units.queries import subtree_ids, unit_by_id

READ = "sensors.read"
FIGURE = "sensors.reading"
NODATA_AFTER = timedelta(hours=1)  # a station silent this long shows "no data"
WATCH_FROM = 0.75  # of the threshold: a station this close is watched


def level_of(
    value: float | None, threshold: float | None, at: datetime | None, when: datetime
) -> str:
    """ok, watch (75 % of the threshold or more), over, or nodata (nothing in the last hour)."""
    if value is None or at is None or when - stored_utc(at) > NODATA_AFTER:
        return "nodata"
    if threshold is None:
        return "ok"
    if value > threshold:
        return "over"
    return "watch" if value >= WATCH_FROM * threshold else "ok"


def sensors_panel(conn: Connection, principal: Principal | None) -> dict[str, Any] | None:
    if principal is None or not may(principal, READ) or figures.figure(FIGURE) is None:
        return None
    samples = figures.samples(conn, FIGURE, {"metric": "salinity"})
    query = select(stations.c.code, stations.c.unit_id, stations.c.simulated)
    if principal.unit_id is not None:
        query = query.where(
            stations.c.unit_id.in_(subtree_ids(conn, unit_by_id(conn, principal.unit_id)))
        )
    rows = conn.execute(query).all()
    if not rows:
        return None
    mine = {row.code for row in rows}
    samples = [s for s in samples if s.labels.get("station") in mine]
    when = now()
    levels = [level_of(s.value, s.threshold, s.at, when) for s in samples]
    silent = len(mine) - len(samples) + levels.count("nodata")  # never reported, or not lately
    measured = [s for s, level in zip(samples, levels, strict=True) if level != "nodata"]
    highest = max(measured, key=lambda s: s.value or 0.0, default=None)
    rows_shown = [
        (N_("Stations over their threshold"), levels.count("over"), "/sensors"),
        (N_("Stations near their threshold"), levels.count("watch"), "/sensors"),
        (N_("Stations without recent data"), silent, "/sensors"),
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
