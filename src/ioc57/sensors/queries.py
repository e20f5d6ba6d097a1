"""Reading stations as the API and the pages show them: each with its latest values, its
effective salinity threshold and where it comes from, and its level.

Who reads what: ``sensors.read``; a person with a unit (an officer) reads the stations of that
unit's subtree only.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Select, func, select
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from ioc57.core.access import Principal, authorize
from ioc57.core.clock import local_iso
from ioc57.core.problems import Problem
from ioc57.sensors.tables import latest, stations
from ioc57.sensors.thresholds import SALINITY, Threshold, level, thresholds_of
from ioc57.units.queries import scope_chain, subtree_ids, unit_by_id
from ioc57.units.tables import units

READ = "sensors.read"
WRITE = "sensors.write"

STATION_ROWS: Select[Any] = select(
    stations,
    units.c.code.label("unit_code"),
    units.c.name.label("unit_name"),
).join(units, units.c.id == stations.c.unit_id)


def watched_metric(metrics: list[str]) -> str:
    """The metric a station's level is of: salinity when it measures it, else its first."""
    return SALINITY if SALINITY in metrics or not metrics else metrics[0]


def public_station(
    row: Any, values: dict[str, dict[str, Any]], threshold: Threshold | None, at: datetime
) -> dict[str, Any]:
    """A station as the API answers it (``row``: of ``STATION_ROWS``; ``values``: its latest
    value of each metric; ``threshold``: the effective one of its watched metric)."""
    metrics = orjson.loads(row.metrics or "[]")
    metric = watched_metric(metrics)
    now_value = values.get(metric)
    return {
        "code": row.code,
        "name": row.name,
        "place": row.place,
        "unit": row.unit_code,
        "unit_name": row.unit_name,
        "province": row.province_code,
        "lat": row.lat,
        "lon": row.lon,
        "metrics": metrics,
        "thresholds": orjson.loads(row.thresholds or "{}"),
        "latest": values,
        "metric": metric,
        "threshold": threshold.public() if threshold is not None else None,
        "level": level(
            now_value["value"] if now_value else None,
            datetime.fromisoformat(now_value["observed_at"]) if now_value else None,
            threshold,
            at,
        ),
        "updated_at": local_iso(row.updated_at),
        "simulated": bool(row.simulated),  # dữ liệu mô phỏng
    }


def latest_values(conn: Connection, station_ids: list[int]) -> dict[int, dict[str, Any]]:
    """The latest value of each metric of each station: id -> metric -> {value, observed_at}."""
    found: dict[int, dict[str, Any]] = {}
    if not station_ids:
        return found
    query = select(latest.c.station_id, latest.c.metric, latest.c.value, latest.c.observed_at)
    for r in conn.execute(query.where(latest.c.station_id.in_(station_ids))):
        found.setdefault(r.station_id, {})[r.metric] = {
            "value": r.value,
            "observed_at": local_iso(r.observed_at),
        }
    return found


def shown(conn: Connection, rows: list[Any], at: datetime) -> list[dict[str, Any]]:
    """``rows`` (of ``STATION_ROWS``) as the API answers them."""
    values = latest_values(conn, [r.id for r in rows])
    by_metric: dict[str, list[Any]] = {}
    for r in rows:
        by_metric.setdefault(watched_metric(orjson.loads(r.metrics or "[]")), []).append(r)
    limits: dict[int, Threshold | None] = {}
    for metric, some in by_metric.items():
        limits.update(thresholds_of(conn, some, metric))
    return [public_station(r, values.get(r.id, {}), limits[r.id], at) for r in rows]


def in_scope(conn: Connection, principal: Principal) -> list[ColumnElement[bool]]:
    """The conditions that keep a person with a unit to its subtree's stations."""
    if principal.unit_id is None:
        return []
    own = unit_by_id(conn, principal.unit_id)
    return [stations.c.unit_id.in_(subtree_ids(conn, own, predecessors=True))] if own else []


def list_stations(
    conn: Connection, where: list[ColumnElement[bool]], limit: int, offset: int, at: datetime
) -> dict[str, Any]:
    total = conn.execute(select(func.count()).select_from(stations).where(*where)).scalar_one()
    query = STATION_ROWS.where(*where).order_by(stations.c.code).limit(limit).offset(offset)
    rows = list(conn.execute(query))
    return {"items": shown(conn, rows, at), "total": total, "limit": limit, "offset": offset}


def not_found(code: str) -> Problem:
    return Problem(
        404, f"No station {code!r}.", errors=[{"loc": ["path", "code"], "msg": "not found"}]
    )


def station_in_scope(
    conn: Connection, principal: Principal | None, code: str, action: str = READ
) -> Any:
    """The row (of ``STATION_ROWS``) of a station ``principal`` may take ``action`` on: 404 for
    no such station, 403 when its commune lies outside the principal's scope."""
    authorize(principal, action)
    row = conn.execute(STATION_ROWS.where(stations.c.code == code)).first()
    if row is None:
        raise not_found(code)
    commune = unit_by_id(conn, row.unit_id)
    authorize(principal, action, scope_chain(conn, commune))
    return row
