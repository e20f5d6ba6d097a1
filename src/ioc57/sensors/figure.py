"""The figure ``sensors.reading``: each station's latest value of a metric, for the alert rules.

One sample per station that measures the metric: labels ``station``, ``metric`` and ``commune``
(its unit's code), the latest value and when it was observed, the station's commune as its unit,
and its effective threshold (``thresholds``): a rule whose threshold is "the series' own" holds a
salinity station to its own threshold or to the strictest crop of its commune.

A station that has never reported is a sample without a value, ``at`` the last time the station
itself was written (its creation, or its last change): a "no data" rule sees it quiet from the
moment it was set up. With a gate batch, only the stations whose
latest value that batch changed (``sensor_latest.batch_id``) are sampled.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.engine import Connection

from ioc57.core.clock import stored_utc
from ioc57.core.figures import Figure, Sample
from ioc57.core.i18n import N_
from ioc57.sensors.tables import latest, stations
from ioc57.sensors.thresholds import SALINITY, thresholds_of
from ioc57.units.tables import units

NAME = "sensors.reading"


def reading_samples(
    conn: Connection, params: Mapping[str, Any], batch: int | None = None
) -> list[Sample]:
    """The samples of ``sensors.reading`` for ``params["metric"]`` (default salinity)."""
    metric = str(params.get("metric") or SALINITY)
    query = (
        select(
            stations.c.id,
            stations.c.code,
            stations.c.unit_id,
            stations.c.metrics,
            stations.c.thresholds,
            stations.c.updated_at,
            units.c.code.label("unit_code"),
            latest.c.value,
            latest.c.observed_at,
        )
        .join(units, units.c.id == stations.c.unit_id)
        .outerjoin(latest, (latest.c.station_id == stations.c.id) & (latest.c.metric == metric))
        .order_by(stations.c.code)
    )
    if batch is not None:
        query = query.where(latest.c.batch_id == batch)
    rows = [
        r
        for r in conn.execute(query)
        if r.value is not None or metric in orjson.loads(r.metrics or "[]")
    ]
    return station_samples(
        conn,
        rows,
        metric,
        value=lambda r: r.value,
        at=lambda r: r.observed_at if r.observed_at is not None else r.updated_at,
    )


def station_samples(
    conn: Connection,
    rows: Sequence[Any],
    metric: str,
    value: Callable[[Any], float | None],
    at: Callable[[Any], datetime],
) -> list[Sample]:
    """A sample per station row (``id``, ``code``, ``unit_id``, ``unit_code``, ``thresholds``)
    held to the station's effective threshold for ``metric``: the readings' figure and the
    forecast's alike."""
    limits = thresholds_of(conn, rows, metric)
    samples = []
    for r in rows:
        limit = limits[r.id]
        samples.append(
            Sample(
                labels={"station": r.code, "metric": metric, "commune": r.unit_code},
                value=value(r),
                unit_id=r.unit_id,
                at=stored_utc(at(r)),
                threshold=limit.value if limit is not None else None,
            )
        )
    return samples


FIGURE = Figure(
    name=NAME,
    label=N_("A station's latest reading"),
    samples=reading_samples,
    uom="‰",
    record_types=("reading",),
    params={"metric": N_("The metric read: salinity (default), water_level, rainfall, …")},
)
