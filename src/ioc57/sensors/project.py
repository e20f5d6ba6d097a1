"""Keeping the sensors' tables current with the gate's records (its projectors).

A station is kept under its code: inserted the first time, updated after (its commune, position,
metrics and thresholds). A reading's number goes to ``sensor_readings`` (one row per station,
metric and time: a reading sent again replaces its value) and, when it is the newest of its
station and metric, to ``sensor_latest``, marked with the gate batch that brought it: the batch's
event then re-evaluates the alert rules on only the stations it changed (``figure``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from ioc57.core.clock import now, stored_utc
from ioc57.ingest.hooks import Projection
from ioc57.ingest.storage import among, parts
from ioc57.ingest.unitcache import UnitInfo
from ioc57.sensors import stationunits
from ioc57.sensors.tables import latest, readings, stations

Items = list[tuple[dict[str, Any], UnitInfo | None]]


def project_stations(conn: Connection, ctx: Projection, items: Items) -> None:
    """The gate's projector of stations."""
    codes = [data["code"] for data, _unit in items]
    known = station_ids(conn, codes)
    for data, unit in items:
        assert unit is not None  # a station names its commune: the gate resolved it
        row = {
            "code": data["code"],
            "name": data["name"],
            "place": data.get("place") or "",
            "unit_id": unit.id,
            "province_code": unit.province_code,
            "lat": data.get("lat"),
            "lon": data.get("lon"),
            "metrics": orjson.dumps(data.get("metrics") or ["salinity"]).decode(),
            "thresholds": orjson.dumps(data.get("thresholds") or {}).decode(),
            "source_id": ctx.source_id,
            "simulated": ctx.simulated,
            "updated_at": now(),
        }
        if data["code"] in known:
            conn.execute(update(stations).where(stations.c.id == known[data["code"]]).values(row))
        else:
            conn.execute(insert(stations).values(row))
    stationunits.forget(conn.engine, codes)


def station_ids(conn: Connection, codes: list[str]) -> dict[str, int]:
    """The ids of the stations among ``codes``, by code."""
    found: dict[str, int] = {}
    query = select(stations.c.code, stations.c.id)
    for part in parts(conn, sorted(set(codes))):
        found.update(
            (r.code, r.id) for r in conn.execute(among(conn, query, stations.c.code, part))
        )
    return found


def _upsert_readings(conn: Connection, rows: list[dict[str, Any]]) -> None:
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(readings)
    key: dict[str, Any] = (  # by its name on PostgreSQL: the same, partitioned by province or not
        {"constraint": readings.primary_key.name}
        if conn.dialect.name == "postgresql"
        else {"index_elements": ["station_id", "metric", "observed_at"]}
    )
    statement = statement.on_conflict_do_update(
        **key,
        set_={"value": statement.excluded.value, "simulated": statement.excluded.simulated},
    )
    conn.execute(statement, rows)


def project_readings(conn: Connection, ctx: Projection, items: Items) -> None:
    """The gate's projector of readings: each stored, and the newest of each station's metric
    made its latest (marked with the batch)."""
    ids = station_ids(conn, [data["station"] for data, _unit in items])
    by_key: dict[tuple[int, str, datetime], dict[str, Any]] = {}
    for data, unit in items:
        station_id = ids.get(data["station"])
        if station_id is None or unit is None:  # the gate checked it: never happens
            continue
        at = datetime.fromisoformat(data["observed_at"])
        by_key[(station_id, data["metric"], at)] = {
            "station_id": station_id,
            "metric": data["metric"],
            "observed_at": at,
            "value": float(data["value"]),
            "province_code": unit.province_code,
            "simulated": ctx.simulated,
        }
    if not by_key:
        return
    _upsert_readings(conn, list(by_key.values()))
    newest: dict[tuple[int, str], dict[str, Any]] = {}
    for (station_id, metric, at), row in by_key.items():
        if (station_id, metric) not in newest or at >= newest[(station_id, metric)]["observed_at"]:
            newest[(station_id, metric)] = row
    _keep_latest(conn, newest, ctx.batch_id)


def _keep_latest(
    conn: Connection, newest: dict[tuple[int, str], dict[str, Any]], batch_id: int | None
) -> None:
    """Make each of ``newest`` its station's latest, unless a later reading is there already."""
    stored: dict[tuple[int, str], datetime] = {}
    query = select(latest.c.station_id, latest.c.metric, latest.c.observed_at)
    for part in parts(conn, sorted({station_id for station_id, _ in newest})):
        for r in conn.execute(query.where(latest.c.station_id.in_(part))):
            stored[(r.station_id, r.metric)] = stored_utc(r.observed_at)
    new, newer = [], []
    for key, row in newest.items():
        values = {
            "station_id": row["station_id"],
            "metric": row["metric"],
            "value": row["value"],
            "observed_at": row["observed_at"],
            "province_code": row["province_code"],
            "batch_id": batch_id,
        }
        if key not in stored:
            new.append(values)
        elif row["observed_at"] >= stored[key]:  # the same time again: a corrected value
            newer.append({**values, "_station": row["station_id"], "_metric": row["metric"]})
    if new:
        conn.execute(insert(latest), new)
    if newer:
        conn.execute(
            update(latest)
            .where(
                latest.c.station_id == bindparam("_station"),
                latest.c.metric == bindparam("_metric"),
            )
            .values(
                value=bindparam("value"),
                observed_at=bindparam("observed_at"),
                province_code=bindparam("province_code"),
                batch_id=bindparam("batch_id"),
            ),
            newer,
        )
