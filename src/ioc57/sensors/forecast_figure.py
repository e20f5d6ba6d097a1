"""The ``sensors.forecast`` figure: per station, the highest value its forecast reaches in the
next 24 hours, against the same line as its readings (``thresholds``: the station's own, else
the strictest crop of its commune), so that a rule fires before the line is crossed ("will pass
1‰ within 24 h").

Forecasts change when they are made again (``forecasting.refresh``), not when readings arrive:
the alerts' scheduler evaluates it, and a gate batch changes none of its series."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ioc57.core.figures import Figure, Sample
from ioc57.core.i18n import N_
from ioc57.sensors.figure import station_samples
from ioc57.sensors.tables import forecasts, stations
from ioc57.sensors.thresholds import SALINITY
from ioc57.units.tables import units


def forecast_samples(
    conn: Connection, params: Mapping[str, Any], batch: int | None = None
) -> list[Sample]:
    """One sample per station forecast for ``params["metric"]`` (default salinity)."""
    if batch is not None:
        return []
    metric = str(params.get("metric") or SALINITY)
    rows = conn.execute(
        select(
            stations.c.id,
            stations.c.code,
            stations.c.unit_id,
            stations.c.thresholds,
            units.c.code.label("unit_code"),
            forecasts.c.peak_24h,
            forecasts.c.made_at,
        )
        .join(stations, stations.c.id == forecasts.c.station_id)
        .join(units, units.c.id == stations.c.unit_id)
        .where(forecasts.c.metric == metric)
        .order_by(stations.c.code)
    ).all()
    return station_samples(conn, rows, metric, value=lambda r: r.peak_24h, at=lambda r: r.made_at)


FIGURE = Figure(
    name="sensors.forecast",
    label=N_("Highest forecast value in the next 24 hours"),
    samples=forecast_samples,
    uom="‰",
    params={"metric": N_("The metric (default salinity)")},
)
