"""A station's readings of a metric over a time range, as a chart and the readings API give them:
as they came, or per bucket (its mean and its highest), with the gaps in the data left as gaps.

A chart draws what was measured and nothing else. An empty bucket is no point at all, and where
two neighbouring points lie further apart than three buckets, or three of the series' own usual
intervals, and never less than an hour, a null point is put between them, so that the line breaks
there instead of drawing a straight line over hours nobody measured; a station that reports every
two hours is not drawn as a row of dots in hourly buckets. Nothing is interpolated. Buckets are
aligned on Việt Nam's midnight (a day's bucket is a local day; Việt Nam keeps +07:00 all year).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from statistics import median

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ioc57.core.clock import stored_utc
from ioc57.sensors.tables import readings

LOCAL_OFFSET_S = 7 * 3600
MAX_POINTS = 20_000  # a range holding more readings is asked for in buckets

# (start, mean, highest) of a bucket, or of one raw reading; the mean and highest None in a gap
Point = tuple[datetime, float | None, float | None]


class TooMany(Exception):
    """More readings in the range than one answer carries: ask for buckets."""


def read_rows(
    conn: Connection, station_id: int, metric: str, start: datetime, end: datetime
) -> list[tuple[datetime, float]]:
    """The readings in [start, end), oldest first."""
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
    return [(stored_utc(at), value) for at, value in conn.execute(query)]


def bucketed(rows: list[tuple[datetime, float]], every_s: int) -> list[Point]:
    """(start, mean, highest) of each bucket of ``every_s`` seconds that holds a reading (local
    days for a day's bucket); the raw readings when ``every_s`` is 0."""
    if not every_s:
        return [(at, value, value) for at, value in rows]
    buckets: dict[int, list[float]] = {}
    for at, value in rows:
        key = (int(at.timestamp()) + LOCAL_OFFSET_S) // every_s
        buckets.setdefault(key, []).append(value)
    return [
        (
            datetime.fromtimestamp(key * every_s - LOCAL_OFFSET_S, UTC),
            sum(values) / len(values),
            max(values),
        )
        for key, values in sorted(buckets.items())
    ]


def gap_after(times: list[datetime], every_s: int) -> timedelta:
    """How far apart two neighbouring points may be before the line breaks between them."""
    usual = 0.0
    if len(times) > 2:
        usual = median((b - a).total_seconds() for a, b in zip(times, times[1:], strict=False))
    return timedelta(seconds=max(3 * every_s, 3 * usual, 3600))


def with_gaps(points: list[Point], every_s: int) -> list[Point]:
    """The points with a null point in the middle of each gap."""
    if not points:
        return []
    limit = gap_after([p[0] for p in points], every_s)
    out: list[Point] = []
    for previous, point in zip([None, *points], points, strict=False):
        if previous is not None and point[0] - previous[0] > limit:
            out.append((previous[0] + (point[0] - previous[0]) / 2, None, None))
        out.append(point)
    return out


def read_readings(
    conn: Connection,
    station_id: int,
    metric: str,
    start: datetime,
    end: datetime,
    every: timedelta | None = None,
) -> list[Point]:
    """A station's ``metric`` in [start, end): raw (``every`` None) or per bucket, with its gaps.
    Raises ``TooMany`` past ``MAX_POINTS`` readings (raw) or buckets."""
    every_s = int(every.total_seconds()) if every else 0
    rows = read_rows(conn, station_id, metric, start, end)
    if not every_s and len(rows) > MAX_POINTS:
        raise TooMany(len(rows))
    if every_s and (end - start).total_seconds() / every_s > MAX_POINTS:
        raise TooMany(int((end - start).total_seconds() / every_s))
    return with_gaps(bucketed(rows, every_s), every_s)
