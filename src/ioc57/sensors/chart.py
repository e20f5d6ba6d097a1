"""What a station's chart draws: its readings over a range (24 hours, 7 days, the season), with
the gaps in the data left as gaps, and its forecast with the band and the error it made on
held-out days.

Readings are averaged into buckets (the raw readings for 24 hours, hourly for 7 days, daily for
the season: a line a person can read), the gaps in the data left as gaps (``readings``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ioc57.core.clock import LOCAL_TZ, stored_utc
from ioc57.core.i18n import N_
from ioc57.sensors.readings import read_readings
from ioc57.sensors.tables import forecasts

SEASON_DAYS = 182  # the dry season, December to May: about half a year


@dataclass(frozen=True)
class Range:
    key: str
    label: str  # a message id
    span: timedelta
    every: timedelta | None  # None: the raw readings
    forecast_h: int  # the hours of the forecast drawn after it (the day: one; the week: two)

    @property
    def every_s(self) -> int:
        return int(self.every.total_seconds()) if self.every else 0


RANGES = {
    r.key: r
    for r in (
        Range("24h", N_("24 hours"), timedelta(hours=24), None, 24),
        Range("7d", N_("7 days"), timedelta(days=7), timedelta(hours=1), 48),
        Range(
            "season", N_("The season (6 months)"), timedelta(days=SEASON_DAYS), timedelta(days=1), 0
        ),
    )
}


def ms(at: datetime) -> int:
    """A time as the chart's axis counts it: milliseconds since 1970 (UTC)."""
    return int(at.timestamp() * 1000)


def series(
    conn: Connection, station_id: int, metric: str, chosen: Range, end: datetime
) -> list[list[Any]]:
    """The station's readings of ``metric`` over the range ending at ``end`` (``readings``), as
    chart points ``[ms, mean, highest]``, ``[ms, None, None]`` where the data stops."""
    # the range's last instant is in it (a reading made as the page is asked for)
    points = read_readings(
        conn, station_id, metric, end - chosen.span, end + timedelta(milliseconds=1), chosen.every
    )
    return [
        [ms(at), None if mean is None else round(mean, 3), None if high is None else round(high, 3)]
        for at, mean, high in points
    ]


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
