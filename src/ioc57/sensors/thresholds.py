"""A station's effective threshold for a metric, where it comes from, and the level of a value.

The line a station's reading is held to is, in order: the station's own threshold for the metric
(``thresholds: {"salinity": 1.0}``, set by whoever knows the water it samples), else, for
salinity, the strictest limit of its commune's main crops (``crops``), else none. The map, the
API, the ``sensors.reading`` figure (and so the alert rules whose threshold is "the series' own")
and the forecast's figure all read it here, so that they never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.engine import Connection

from ioc57.core.clock import stored_utc
from ioc57.sensors.crops import Strictest, strictest_by_unit
from ioc57.sensors.tables import stations
from ioc57.units.tables import units

SALINITY = "salinity"
WATCH_RATIO = 0.75  # at three quarters of its threshold a station is watched
# a station whose latest reading is older than this has no data (a station reports every 15
# minutes or faster: two hours is eight readings missed)
NODATA_AFTER = timedelta(hours=2)
LEVELS = ("ok", "watch", "over", "nodata")


@dataclass(frozen=True)
class Threshold:
    value: float
    origin: str  # "station" (its own) or "crops" (its commune's strictest crop)
    commune: str | None = None  # the commune whose crops set it (its code)
    crops: tuple[str, ...] = ()  # the crops that set it

    def public(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "origin": self.origin,
            "commune": self.commune,
            "crops": list(self.crops),
        }


def own_thresholds(text: str | None) -> dict[str, float]:
    """A station's own thresholds as stored (JSON ``{metric: limit}``)."""
    return {k: float(v) for k, v in orjson.loads(text or "{}").items()}


def effective(
    own: Mapping[str, float], metric: str, crops: Strictest | None, commune: str | None
) -> Threshold | None:
    """The threshold of a station with thresholds ``own`` for ``metric``, its commune's
    strictest crop limit being ``crops``."""
    if metric in own:
        return Threshold(own[metric], "station")
    if metric == SALINITY and crops is not None:
        return Threshold(crops.limit, "crops", commune, crops.crops)
    return None


def thresholds_of(
    conn: Connection, rows: Iterable[Any], metric: str
) -> dict[int, Threshold | None]:
    """The effective threshold of each station among ``rows`` (each with ``id``, ``unit_id``,
    ``thresholds`` and ``unit_code``, its commune's code), reading the crops in one query."""
    rows = list(rows)
    crops = strictest_by_unit(conn, {r.unit_id for r in rows}) if metric == SALINITY else {}
    return {
        r.id: effective(own_thresholds(r.thresholds), metric, crops.get(r.unit_id), r.unit_code)
        for r in rows
    }


STATION_UNITS = select(
    stations.c.id, stations.c.unit_id, stations.c.thresholds, units.c.code.label("unit_code")
).join(units, units.c.id == stations.c.unit_id)


def station_threshold(conn: Connection, station_id: int, metric: str = SALINITY) -> float | None:
    """The effective threshold of one station for ``metric`` (None: it has none)."""
    row = conn.execute(STATION_UNITS.where(stations.c.id == station_id)).first()
    if row is None:
        return None
    found = thresholds_of(conn, [row], metric)[row.id]
    return found.value if found is not None else None


def level(
    value: float | None, at: datetime | None, threshold: Threshold | float | None, now: datetime
) -> str:
    """``nodata`` (no reading, or none for ``NODATA_AFTER``), ``over`` (above the threshold),
    ``watch`` (at ``WATCH_RATIO`` of it or more) or ``ok`` (a station without a threshold too)."""
    if value is None or at is None or now - stored_utc(at) > NODATA_AFTER:
        return "nodata"
    limit = threshold.value if isinstance(threshold, Threshold) else threshold
    if limit is None:
        return "ok"
    if value > limit:
        return "over"
    if value >= WATCH_RATIO * limit:
        return "watch"
    return "ok"
