"""A station's readings of a metric over a time range: as they came, or averaged per bucket.

A chart draws what was measured and nothing else: a bucket without a reading is a null point, and
between raw readings further apart than ``GAP_FACTOR`` times their usual spacing a null point is
put, so that a line breaks where the station was silent instead of drawing a value nobody read.
Buckets are aligned on Việt Nam's midnight (a day's bucket is a local day).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from statistics import median

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ioc57.core.clock import LOCAL_TZ, stored_utc
from ioc57.sensors.tables import readings

GAP_FACTOR = 3  # raw readings further apart than this many usual spacings: a gap
MIN_GAP = timedelta(minutes=30)  # and never a gap below this
MAX_POINTS = 20_000  # a range holding more readings is asked for in buckets

Point = tuple[datetime, float | None]


class TooMany(Exception):
    """More readings in the range than one answer carries: ask for buckets."""


def _rows(
    conn: Connection, station_id: int, metric: str, start: datetime, end: datetime
) -> Iterator[tuple[datetime, float]]:
    query = (
        select(readings.c.observed_at, readings.c.value)
        .where(
            readings.c.station_id == station_id,
            readings.c.metric == metric,
            readings.c.observed_at >= start,
            readings.c.observed_at < end,
        )
        .order_by(readings.c.observed_at)
    )
    for at, value in conn.execute(query):
        yield stored_utc(at), value


def raw_points(
    conn: Connection, station_id: int, metric: str, start: datetime, end: datetime
) -> list[Point]:
    """The readings in [start, end), oldest first, with a null point in each gap."""
    rows = list(_rows(conn, station_id, metric, start, end))
    if len(rows) > MAX_POINTS:
        raise TooMany(len(rows))
    if len(rows) < 3:
        return list(rows)
    spacing = timedelta(
        seconds=median((b[0] - a[0]).total_seconds() for a, b in zip(rows, rows[1:], strict=False))
    )
    gap = max(spacing * GAP_FACTOR, MIN_GAP)
    points: list[Point] = [rows[0]]
    for before, after in zip(rows, rows[1:], strict=False):
        if after[0] - before[0] > gap:
            points.append((before[0] + (after[0] - before[0]) / 2, None))
        points.append(after)
    return points


def bucket_start(at: datetime, every: timedelta) -> datetime:
    """The start of the bucket of length ``every`` that holds ``at`` (aligned on local midnight)."""
    local = at.astimezone(LOCAL_TZ)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    if every >= timedelta(days=1):
        days = int(every / timedelta(days=1))
        epoch_day = midnight.date().toordinal()
        midnight -= timedelta(days=epoch_day % days)
        return midnight
    steps = (local - midnight) // every
    return midnight + steps * every


def bucket_points(
    conn: Connection,
    station_id: int,
    metric: str,
    start: datetime,
    end: datetime,
    every: timedelta,
) -> list[Point]:
    """The mean of each bucket of ``every`` in [start, end), each bucket a point (null: empty)."""
    sums: dict[datetime, tuple[float, int]] = {}
    for at, value in _rows(conn, station_id, metric, start, end):
        key = bucket_start(at, every)
        total, n = sums.get(key, (0.0, 0))
        sums[key] = (total + value, n + 1)
    points: list[Point] = []
    key = bucket_start(start, every)
    while key < end:
        total, n = sums.get(key, (0.0, 0))
        points.append((key, round(total / n, 4) if n else None))
        key += every  # Việt Nam keeps no daylight saving: a day is always 24 hours
        if len(points) > MAX_POINTS:
            raise TooMany(len(points))
    return points


def read_readings(
    conn: Connection,
    station_id: int,
    metric: str,
    start: datetime,
    end: datetime,
    every: timedelta | None = None,
) -> list[Point]:
    """A station's ``metric`` in [start, end): raw (``every`` None) or bucket means. Raises
    ``TooMany`` past ``MAX_POINTS``."""
    if every is None:
        return raw_points(conn, station_id, metric, start, end)
    return bucket_points(conn, station_id, metric, start, end, every)
