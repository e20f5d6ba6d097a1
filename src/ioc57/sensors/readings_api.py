"""``GET /api/v1/stations/{code}/readings``: a station's readings of a metric for its chart.

``from`` and ``to`` are times with an offset (a time without one is Việt Nam's), by default the
last 24 hours; ``every`` (``15m``, ``1h``, ``1d``, or seconds) averages the readings per bucket.
Each point is ``[time with offset, value]``; a null value is a gap (``readings``): nothing is
interpolated. The answer carries the thresholds the chart draws: the station's own and its
commune's crops'.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Path, Query
from sqlalchemy.engine import Connection

from ioc57.core.access import Principal, optional_principal
from ioc57.core.clock import LOCAL_TZ, local_iso, now, to_utc
from ioc57.core.http import read_conn
from ioc57.core.problems import field_error
from ioc57.sensors.crops import strictest
from ioc57.sensors.queries import station_in_scope
from ioc57.sensors.readings import MAX_POINTS, TooMany, read_readings
from ioc57.sensors.thresholds import SALINITY, own_thresholds

router = APIRouter(prefix="/api/v1", tags=["sensors"])

StationCode = Annotated[str, Path(max_length=64)]
Text = Annotated[str | None, Query(max_length=40)]
MAX_RANGE = timedelta(days=400)  # a season and then some
MIN_EVERY = timedelta(minutes=1)
MAX_EVERY = timedelta(days=31)
DEFAULT_RANGE = timedelta(hours=24)
UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
EVERY = re.compile(r"^(\d{1,7})([smhd]?)$")
METRIC = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
UOM = {SALINITY: "‰"}


def parse_time(value: str | None, field: str, default: datetime) -> datetime:
    if not value:
        return default
    try:
        parsed = datetime.fromisoformat(value.replace(" ", "+"))
    except ValueError:
        raise field_error(field, "must be a time as YYYY-MM-DDTHH:MM[:SS][+07:00]") from None
    if not 1990 <= parsed.year <= 2100:
        raise field_error(field, "must lie between 1990 and 2100")
    return to_utc(parsed)


def parse_every(value: str | None) -> timedelta | None:
    if not value:
        return None
    found = EVERY.match(value.strip())
    if found is None:
        raise field_error("every", "must be a number of seconds or like 15m, 1h, 1d")
    every = timedelta(seconds=int(found.group(1)) * UNITS[found.group(2) or "s"])
    if not MIN_EVERY <= every <= MAX_EVERY:
        raise field_error("every", "must lie between 1 minute and 31 days")
    return every


def chart_thresholds(conn: Connection, row: Any, metric: str) -> dict[str, Any]:
    """The lines a station's chart draws: its own threshold and its commune's crops' limit."""
    own = own_thresholds(row.thresholds).get(metric)
    crops = strictest(conn, row.unit_id) if metric == SALINITY else None
    return {
        "station": own,
        "crops": (
            {"value": crops.limit, "crops": list(crops.crops), "commune": row.unit_code}
            if crops is not None
            else None
        ),
        "effective": own if own is not None else (crops.limit if crops is not None else None),
    }


@router.get("/stations/{code}/readings")
def station_readings(
    code: StationCode,
    conn: Annotated[Connection, Depends(read_conn)],
    principal: Annotated[Principal | None, Depends(optional_principal)],
    metric: Text = None,
    start: Annotated[str | None, Query(alias="from", max_length=40)] = None,
    end: Annotated[str | None, Query(alias="to", max_length=40)] = None,
    every: Annotated[str | None, Query(max_length=12)] = None,
):
    """A station's readings of ``metric`` (default: salinity) from ``from`` to ``to``, raw or
    averaged ``every`` bucket; null values are gaps."""
    row = station_in_scope(conn, principal, code)
    metric = metric or SALINITY
    if not METRIC.match(metric):
        raise field_error("metric", "must be a metric name (lower case letters, digits, _)")
    until = parse_time(end, "to", now())
    since = parse_time(start, "from", until - DEFAULT_RANGE)
    if since >= until:
        raise field_error("from", "must be before to")
    if until - since > MAX_RANGE:
        raise field_error("from", "the range is at most 400 days")
    step = parse_every(every)
    try:
        points = read_readings(conn, row.id, metric, since, until, step)
    except TooMany:
        raise field_error(
            "every", f"more than {MAX_POINTS} points in the range: give a longer every"
        ) from None
    return {
        "station": row.code,
        "metric": metric,
        "uom": UOM.get(metric),
        "from": since.astimezone(LOCAL_TZ).isoformat(),
        "to": until.astimezone(LOCAL_TZ).isoformat(),
        "every": int(step.total_seconds()) if step else None,
        "points": [[local_iso(at), mean] for at, mean, _high in points],
        "thresholds": chart_thresholds(conn, row, metric),
        "measured": metric in orjson.loads(row.metrics or "[]"),
        "simulated": bool(row.simulated),  # dữ liệu mô phỏng
    }
