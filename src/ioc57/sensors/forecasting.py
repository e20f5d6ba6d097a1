"""Each station's forecast, made again every ``settings.sensors_forecast_s`` seconds
(``forecast_job``) and by ``ioc57 sensors forecast`` from its readings, and kept in ``sensor_forecasts`` for its chart,
its API and the ``sensors.forecast`` figure alert rules watch.

A series (a station's metric) is forecast when it has at least ``forecast.MIN_HOURS`` hours with
readings and a reading in the last ``STALE_H`` hours; the forecast starts at the next whole hour.
A series that no longer qualifies loses its forecast: a rule must not fire on a prediction made
from a station that has gone quiet (its "no data" rule speaks for it).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import orjson
from sqlalchemy import ColumnElement, Integer, and_, cast, delete, func, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from ioc57.core.clock import local_iso, stored_utc
from ioc57.core.clock import now as clock_now
from ioc57.sensors import forecast
from ioc57.sensors.tables import forecasts, latest, readings, stations

STALE_H = 24  # a series whose last reading is older than this has no forecast
# the history one refresh reads: the fit's window before each held-out day
HISTORY_H = forecast.WINDOW_H + 24 * forecast.HELD_OUT_DAYS + 1
# what a metric never passes: an estuary is never saltier than the open sea (the East Sea's
# surface water is 32–34 ‰)
CEILINGS = {"salinity": 35.0}


def _hour_of(conn: Connection) -> ColumnElement[Any]:
    """A reading's hour, as whole hours since 1970-01-01 UTC (times are stored in UTC)."""
    if conn.dialect.name == "postgresql":
        return func.floor(func.extract("epoch", readings.c.observed_at) / 3600)
    return cast(func.strftime("%s", readings.c.observed_at), Integer) // 3600


def read_series(conn: Connection, station_id: int, metric: str, since: datetime) -> forecast.Series:
    """The hourly means of a station's metric from ``since`` on, averaged by the database (a
    station that reports every minute sends 60 rows an hour; the model reads one)."""
    hour = _hour_of(conn).label("hour")
    rows = conn.execute(
        select(hour, func.avg(readings.c.value))
        .where(
            readings.c.station_id == station_id,
            readings.c.metric == metric,
            readings.c.observed_at >= since,
        )
        .group_by(hour)
        .order_by(hour)
    ).all()
    return forecast.Series(
        np.array([int(h) for h, _ in rows], dtype=np.int64),
        np.array([float(v) for _, v in rows], dtype=float),
    )


def _hour_time(hour: int) -> datetime:
    return datetime.fromtimestamp(hour * 3600, UTC)


def _points(made: forecast.Forecast) -> list[list[Any]]:
    """``[[time with offset, value, low, high], …]``, rounded to what a sensor tells apart."""
    return [
        [local_iso(_hour_time(hour)), round(value, 4), round(low, 4), round(high, 4)]
        for hour, value, low, high in made.points
    ]


def _store(conn: Connection, row: dict[str, Any]) -> None:
    """Replace the series' forecast; a row another process stored meanwhile is just as good."""
    key = and_(forecasts.c.station_id == row["station_id"], forecasts.c.metric == row["metric"])
    if conn.execute(forecasts.update().where(key).values(**row)).rowcount:
        return
    try:
        with conn.begin_nested():
            conn.execute(forecasts.insert().values(**row))
    except IntegrityError:
        pass


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def refresh_series(
    conn: Connection, station_id: int, metric: str, province_code: str, at: datetime
) -> forecast.Forecast | None:
    """Forecast one series as of ``at`` and keep it (or drop the one it had, when it has too
    little history)."""
    series = read_series(conn, station_id, metric, at - timedelta(hours=HISTORY_H))
    made = forecast.forecast_series(
        series, after=int(at.timestamp() // 3600), ceiling=CEILINGS.get(metric)
    )
    if made is None:
        drop(conn, station_id, metric)
        return None
    _store(
        conn,
        {
            "station_id": station_id,
            "metric": metric,
            "made_at": at,
            "province_code": province_code,
            "points": orjson.dumps(_points(made)).decode(),
            "peak_24h": round(made.peak_24h, 4),
            "mae": _rounded(made.mae),
            "naive_mae": _rounded(made.naive_mae),
            "held_out_days": made.held_out_days,
        },
    )
    return made


def drop(conn: Connection, station_id: int, metric: str) -> None:
    conn.execute(
        delete(forecasts).where(forecasts.c.station_id == station_id, forecasts.c.metric == metric)
    )


def refresh(engine: Engine, at: datetime | None = None) -> list[dict[str, Any]]:
    """Forecast every series with a recent reading (each in its own transaction) and drop the
    forecasts of those gone quiet; what was made, one mapping per series."""
    at = at or clock_now()
    with engine.connect() as conn:
        series = conn.execute(
            select(
                latest.c.station_id,
                latest.c.metric,
                latest.c.observed_at,
                stations.c.code,
                stations.c.province_code,
            )
            .join(stations, stations.c.id == latest.c.station_id)
            .order_by(stations.c.code, latest.c.metric)
        ).all()
    made: list[dict[str, Any]] = []
    for station_id, metric, last, code, province in series:
        with engine.begin() as conn:
            if stored_utc(last) < at - timedelta(hours=STALE_H):
                drop(conn, station_id, metric)
                continue
            found = refresh_series(conn, station_id, metric, province, at)
        if found is not None:
            made.append(
                {
                    "station": code,
                    "metric": metric,
                    "peak_24h": round(found.peak_24h, 4),
                    "mae": _rounded(found.mae),
                    "naive_mae": _rounded(found.naive_mae),
                    "held_out_days": found.held_out_days,
                }
            )
    return made
