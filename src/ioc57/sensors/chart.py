"""What a station's chart draws: its readings over a range (24 hours, 7 days, the season), with
the gaps in the data left as gaps, and its forecast with the band and the error it made on
held-out days.

Readings are averaged into buckets (the raw readings for 24 hours, hourly for 7 days, daily for
the season: a line a person can read); an empty bucket is no point at all, and where two
neighbouring points lie further apart than a few buckets, or a few of the series' own usual
intervals, a null point is put between them, so that the line breaks there instead of drawing a
straight line over hours nobody measured. Nothing is interpolated.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from statistics import median
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ioc57.core.clock import LOCAL_TZ, stored_utc
from ioc57.core.i18n import N_
from ioc57.sensors.tables import forecasts, readings

LOCAL_OFFSET_S = 7 * 3600  # Việt Nam keeps +07:00 all year: a day's bucket starts at local midnight
SEASON_DAYS = 182  # the dry season, December to May: about half a year


@dataclass(frozen=True)
class Range:
    key: str
    label: str  # a message id
    span: timedelta
    every_s: int  # 0: the raw readings
    forecast_h: int  # the hours of the forecast drawn after it (the day: one; the week: two)


RANGES = {
    r.key: r
    for r in (
        Range("24h", N_("24 hours"), timedelta(hours=24), 0, 24),
        Range("7d", N_("7 days"), timedelta(days=7), 3600, 48),
        Range("season", N_("The season (6 months)"), timedelta(days=SEASON_DAYS), 86400, 0),
    )
}


def ms(at: datetime) -> int:
    """A time as the chart's axis counts it: milliseconds since 1970 (UTC)."""
    return int(at.timestamp() * 1000)


def bucketed(
    rows: list[tuple[datetime, float]], every_s: int
) -> list[tuple[datetime, float, float]]:
    """(start, mean, max) of each bucket of ``every_s`` seconds that holds a reading (local days
    for a day's bucket); the raw readings when ``every_s`` is 0."""
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
    """How far apart two neighbouring points may be before the line breaks between them: three
    buckets, or three of the series' usual intervals, whichever is longer (a station that reports
    hourly is not full of gaps), and never less than an hour."""
    usual = 0.0
    if len(times) > 2:
        usual = median((b - a).total_seconds() for a, b in zip(times, times[1:], strict=False))
    return timedelta(seconds=max(3 * every_s, 3 * usual, 3600))


def with_gaps(points: list[tuple[datetime, float, float]], every_s: int) -> list[list[Any]]:
    """The chart's points ``[ms, mean, max]``, with ``[ms, None, None]`` where the data stops."""
    if not points:
        return []
    limit = gap_after([p[0] for p in points], every_s)
    out: list[list[Any]] = []
    for previous, point in zip([None, *points], points, strict=False):
        if previous is not None and point[0] - previous[0] > limit:
            middle = previous[0] + (point[0] - previous[0]) / 2
            out.append([ms(middle), None, None])
        out.append([ms(point[0]), round(point[1], 3), round(point[2], 3)])
    return out


def series(
    conn: Connection, station_id: int, metric: str, chosen: Range, end: datetime
) -> list[list[Any]]:
    """The station's readings of ``metric`` over the range ending at ``end``, as chart points."""
    query = (
        select(readings.c.observed_at, readings.c.value)
        .where(
            readings.c.station_id == station_id,
            readings.c.metric == metric,
            readings.c.observed_at > end - chosen.span,
            readings.c.observed_at <= end,
        )
        .order_by(readings.c.observed_at)
    )
    rows = [(stored_utc(at), value) for at, value in conn.execute(query)]
    return with_gaps(bucketed(rows, chosen.every_s), chosen.every_s)


def forecast_of(conn: Connection, station_id: int, metric: str) -> dict[str, Any] | None:
    """The station's latest forecast of ``metric`` (points ``[ms, value, low, high]``), its peak in
    24 hours, and its error at 24 hours on held-out days against the naive baseline (the same hour
    the day before); None when none was made."""
    row = conn.execute(
        select(forecasts).where(forecasts.c.station_id == station_id, forecasts.c.metric == metric)
    ).first()
    if row is None:
        return None
    points = []
    for item in json.loads(row.points):
        at = datetime.fromisoformat(item[0])
        at = at if at.tzinfo else at.replace(tzinfo=LOCAL_TZ)
        points.append([ms(at), *(None if v is None else round(float(v), 3) for v in item[1:4])])
    better = None
    if row.mae is not None and row.naive_mae:
        better = 1 - row.mae / row.naive_mae  # > 0: closer than the naive baseline
    return {
        "points": points,
        "made_at": stored_utc(row.made_at),
        "peak_24h": row.peak_24h,
        "mae": row.mae,
        "naive_mae": row.naive_mae,
        "held_out_days": row.held_out_days,
        "better": better,
    }
