"""``GET /api/v1/stations/{code}/forecast``: a station's forecast of the next 48 hours, as its
chart draws it (a line and its band) and with its error on held-out days against the naive
baseline (the same hour yesterday), which the page shows in words.

Read from ``sensor_forecasts`` (``forecasting.refresh`` keeps it): the API never fits a model."""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Path, Query
from sqlalchemy import select
from sqlalchemy.engine import Connection

from ioc57.core.access import Principal, authorize, optional_principal
from ioc57.core.clock import local_iso
from ioc57.core.http import read_conn
from ioc57.core.problems import Problem
from ioc57.sensors.tables import forecasts, stations
from ioc57.units.queries import scope_chain, unit_by_id

READ = "sensors.read"
HORIZON_H = 48  # forecast.HORIZON_H (the model, with numpy, is not imported by the app)

router = APIRouter(prefix="/api/v1", tags=["sensors"])

StationCode = Annotated[str, Path(max_length=64, pattern=r"^[A-Za-z0-9._:-]{1,64}$")]
MetricName = Annotated[str, Query(max_length=40, pattern=r"^[a-z][a-z0-9_]{0,39}$")]


def forecast_of(conn: Connection, station_id: int, metric: str) -> dict[str, Any]:
    """The series' forecast as the API gives it; ``points`` empty and the figures null when
    none was made (too little history, or no recent reading)."""
    row = conn.execute(
        select(forecasts).where(forecasts.c.station_id == station_id, forecasts.c.metric == metric)
    ).first()
    if row is None:
        return {
            "made_at": None,
            "points": [],
            "peak_24h": None,
            "mae": None,
            "naive_mae": None,
            "held_out_days": 0,
        }
    return {
        "made_at": local_iso(row.made_at),
        "points": orjson.loads(row.points),
        "peak_24h": row.peak_24h,
        "mae": row.mae,
        "naive_mae": row.naive_mae,
        "held_out_days": row.held_out_days,
    }


@router.get("/stations/{code}/forecast")
def station_forecast(
    code: StationCode,
    conn: Annotated[Connection, Depends(read_conn)],
    principal: Annotated[Principal | None, Depends(optional_principal)],
    metric: MetricName = "salinity",
) -> dict[str, Any]:
    """The next 48 hours of a station's metric (default salinity), hourly: ``points`` is
    ``[[time, value, low, high], …]`` (times with their offset; low and high the 95 % band);
    ``peak_24h`` the highest value in the next 24 hours; ``mae`` the forecast's mean absolute
    error at up to 24 hours ahead on the last ``held_out_days`` days, ``naive_mae`` that of the
    same hour yesterday on the same hours. An officer reads its own unit's stations."""
    principal = authorize(principal, READ)
    station = conn.execute(select(stations).where(stations.c.code == code)).first()
    if station is None:
        raise Problem(
            404,
            f"No station has code {code!r}.",
            errors=[{"loc": ["code"], "msg": "no such station"}],
        )
    unit = unit_by_id(conn, station.unit_id)
    authorize(principal, READ, scope_chain(conn, unit) if unit is not None else set())
    return {
        "station": station.code,
        "metric": metric,
        "horizon_h": HORIZON_H,
        "simulated": bool(station.simulated),
        **forecast_of(conn, station.id, metric),
    }
