"""What the salinity stations offer the operations centre: the tile ``sensors.salinity`` (the
highest salinity now and the stations over their threshold) and the map layer
``sensors.stations`` (each station at its place, coloured by its level).

Both read the stations of the person's scope with their latest values and effective thresholds as
the API and the map do (``queries.shown``: ``sensor_latest`` and the commune's crops, one query
each), so that the centre, the map, the overview and the alert rules judge a station alike.

No watch of their own: a station over its threshold is an alert (the rule on ``sensors.reading``
with the station's own threshold), and a station gone silent is one too (a ``nodata`` rule such
as the demo's ``station-no-data``); the alerts' watch lists both, and a sensors watch would list
each station twice."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from ioc57.core.access import Principal, may
from ioc57.core.clock import now as clock_now
from ioc57.core.clock import stored_utc
from ioc57.core.i18n import N_
from ioc57.sensors.queries import READ, STATION_ROWS, in_scope, shown
from ioc57.sensors.tables import latest, stations
from ioc57.sensors.thresholds import SALINITY

SOURCE = N_("Salinity stations (their latest readings)")
# a station's level as the map's colour
COLOUR = {"ok": "ok", "watch": "watch", "over": "bad", "nodata": "none"}
LEGEND = [
    ["bad", N_("Over its threshold")],
    ["watch", N_("Near its threshold")],
    ["ok", N_("Below its threshold")],
    ["none", N_("No recent data")],
]
ROWS = 8


def _stations(conn: Connection, principal: Principal, at: datetime) -> list[dict[str, Any]]:
    rows = list(conn.execute(STATION_ROWS.where(*in_scope(conn, principal))))
    return shown(conn, rows, at)


def _updated(conn: Connection, principal: Principal, at: datetime) -> datetime:
    """When the stations' readings last changed: the newest latest reading in scope."""
    query = select(func.max(latest.c.observed_at)).select_from(
        latest.join(stations, stations.c.id == latest.c.station_id)
    )
    found = conn.execute(query.where(*in_scope(conn, principal))).scalar()
    return stored_utc(found) if found is not None else at


def _salinity(station: dict[str, Any]) -> float | None:
    """The station's latest salinity while it is recent (None: silent or not measured)."""
    if station["metric"] != SALINITY or station["level"] == "nodata":
        return None
    value = station["latest"].get(SALINITY)
    return value["value"] if value else None


def salinity_tile(conn: Connection, principal: Principal, now: datetime) -> dict[str, Any] | None:
    if not may(principal, READ):
        return None
    found = _stations(conn, principal, now)
    if not found:
        return None
    measured = [(s, v) for s in found if (v := _salinity(s)) is not None]
    highest = max(measured, key=lambda sv: sv[1], default=None)
    over = sorted(
        ((s, v) for s, v in measured if s["level"] == "over"), key=lambda sv: sv[1], reverse=True
    )
    levels = {s["level"] for s, _ in measured}
    status = "bad" if "over" in levels else "watch" if "watch" in levels else "ok"
    return {
        "value": highest[1] if highest else None,
        "uom": "g/l",
        "caption": N_("now"),
        "trend": [],
        "delta": None,
        "good": "down",
        "status": status if measured else None,
        "updated_at": _updated(conn, principal, now),
        "source": SOURCE,
        "simulated": any(s["simulated"] for s in found),
        "href": f"/sensors/{highest[0]['code']}" if highest else "/sensors",
        "station": highest[0]["name"] if highest else None,
        "over": len(over),
        "rows": [
            {"label": s["name"], "value": v, "href": f"/sensors/{s['code']}"}
            for s, v in over[:ROWS]
        ],
    }


def stations_layer(conn: Connection, principal: Principal) -> dict[str, Any] | None:
    if not may(principal, READ):
        return None
    at = clock_now()
    found = _stations(conn, principal, at)
    points = []
    for s in found:
        if s["lat"] is None or s["lon"] is None:
            continue
        reading = s["latest"].get(s["metric"])
        points.append(
            {
                "lat": s["lat"],
                "lon": s["lon"],
                "label": s["name"],
                "value": reading["value"] if reading and s["level"] != "nodata" else None,
                "level": COLOUR[s["level"]],
                "href": f"/sensors/{s['code']}",
            }
        )
    return {
        "points": points,
        "legend": LEGEND,
        "updated_at": _updated(conn, principal, at),
        "simulated": any(s["simulated"] for s in found),
        "source": SOURCE,
    }
