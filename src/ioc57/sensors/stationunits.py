"""A reading's unit is its station's commune: the gate derives it from the station's code.

A reading names its station, not its commune. The gate asks ``derive_unit`` (``RecordType``) for
the unit of a record that names none; for a reading it is the commune of its station, so that a
reading counts in the commune's rollups, is written only by those whose scope holds the commune,
and is announced on the event stream to that commune and the units above it. A reading of a station
nobody created is rejected naming ``station``: a number from nowhere warns no one.

Stations are few (hundreds) and readings many (one a minute per station): each process keeps the
codes it has looked up for a minute (``TTL_S``), and the stations' projector forgets a code when
its station changes, so that a station moved to another commune takes its next readings with it.
"""

from __future__ import annotations

import threading
import time
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.engine import Engine

from ioc57.ingest.unitcache import Places, UnitInfo
from ioc57.ingest.validation import RowError
from ioc57.sensors.tables import stations

TTL_S = 60.0

_known: dict[tuple[str, str], tuple[int, float]] = {}  # (database, code) -> (unit id, read at)
_lock = threading.Lock()


def _key(engine: Engine, code: str) -> tuple[str, str]:
    return (engine.url.render_as_string(hide_password=True), code)


def station_unit_id(engine: Engine, code: str) -> int | None:
    """The unit id of the station ``code`` (None: no such station), read at most once a minute."""
    key = _key(engine, code)
    with _lock:
        hit = _known.get(key)
    if hit is not None and time.monotonic() - hit[1] < TTL_S:
        return hit[0]
    with engine.connect() as conn:
        unit_id = conn.execute(select(stations.c.unit_id).where(stations.c.code == code)).scalar()
    if unit_id is not None:
        with _lock:
            _known[key] = (unit_id, time.monotonic())
    return unit_id


def forget(engine: Engine, codes: list[str]) -> None:
    """Forget what this process read of ``codes`` (their stations were just written)."""
    with _lock:
        for code in codes:
            _known.pop(_key(engine, code), None)


def reading_unit(record: Any, places: Any) -> UnitInfo | None:
    """The gate's ``derive_unit`` of a reading: its station's commune; a station nobody created
    rejects the row naming ``station``."""
    gate_places = cast(Places, places)
    unit_id = station_unit_id(gate_places.engine, record.station)
    if unit_id is None:
        raise RowError(
            [
                {
                    "loc": ["station"],
                    "msg": f"no station has code {record.station!r}; create it first",
                }
            ]
        )
    return gate_places.cache.by_id(unit_id)
