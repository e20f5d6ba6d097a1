"""The ``sensors.forecast`` figure: per station, the highest value its forecast reaches in the
next 24 hours, against the same limit as its readings, so that a rule fires before the line is
crossed ("will pass 1‰ within 24 h").

Forecasts change when they are made again (``forecasting.refresh``), not when readings arrive:
the alerts' scheduler evaluates it, and a gate batch changes none of its series."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.engine import Connection

from ioc57.core.clock import stored_utc
from ioc57.core.figures import Sample
from ioc57.sensors.tables import forecasts, stations
from ioc57.units.tables import units


def own_threshold(thresholds: str, metric: str) -> float | None:
    """The station's own limit for the metric, if it set one."""
    found = orjson.loads(thresholds or "{}").get(metric)
    return float(found) if found is not None else None


def forecast_samples(
    conn: Connection, params: Mapping[str, Any], batch: int | None
) -> list[Sample]:
    """One sample per station forecast for ``params["metric"]`` (default salinity)."""
    if batch is not None:
        return []
    metric = str(params.get("metric") or "salinity")
    rows = conn.execute(
        select(
            forecasts.c.peak_24h,
            forecasts.c.made_at,
            stations.c.code,
            stations.c.unit_id,
            stations.c.thresholds,
            units.c.code.label("commune"),
        )
        .join(stations, stations.c.id == forecasts.c.station_id)
        .join(units, units.c.id == stations.c.unit_id)
        .where(forecasts.c.metric == metric)
        .order_by(stations.c.code)
    ).all()
    return [
        Sample(
            labels={"station": row.code, "metric": metric, "commune": row.commune},
            value=row.peak_24h,
            unit_id=row.unit_id,
            at=stored_utc(row.made_at),
            threshold=own_threshold(row.thresholds, metric),
        )
        for row in rows
    ]
