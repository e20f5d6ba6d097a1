"""What the gate offers the operations centre: the records received today (``ingest.today``) and
the data sources live or gone quiet (``ingest.sources``; the concerns are in ``quiet``).

Both read the batches (a few rows a source and a day), never the records: the wall reads the
first again within a second of each batch. Today's batches are found by their ids
(``figures.first_batch_since``); the days before today do not change, and are read once a day
for each set of sources."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ioc57.core.access import Principal, may
from ioc57.core.clock import LOCAL_TZ, stored_utc
from ioc57.core.i18n import N_
from ioc57.ingest.figures import LAST_AT, first_batch_since
from ioc57.ingest.sourcescope import sources_in_scope
from ioc57.ingest.tables import batches

DAYS = 30  # the trend's span
SOURCE = N_("Data gate (batches received)")


def midnight(day: date) -> datetime:
    """The start of ``day`` in Việt Nam, in UTC (as times are stored)."""
    return datetime.combine(day, time(0), LOCAL_TZ).astimezone(UTC)


def received_since(conn: Connection, ids: Sequence[int], since: datetime) -> list[Any]:
    """(started_at, submitted) of the batches of these sources started since ``since``."""
    query = select(batches.c.started_at, batches.c.submitted).where(
        batches.c.id >= first_batch_since(conn, since), batches.c.source_id.in_(ids)
    )
    return list(conn.execute(query))


def by_day(rows: list[Any]) -> dict[date, int]:
    out: dict[date, int] = {}
    for started_at, submitted in rows:
        day = stored_utc(started_at).astimezone(LOCAL_TZ).date()
        out[day] = out.get(day, 0) + int(submitted or 0)
    return out


_closed: dict[tuple[str, tuple[int, ...], date], dict[date, int]] = {}


def days_before(conn: Connection, ids: tuple[int, ...], today: date) -> dict[date, int]:
    """The records received on each of the days before ``today`` in the trend's span, read once
    a day for each database and set of sources (closed days do not change)."""
    key = (conn.engine.url.render_as_string(hide_password=True), ids, today)
    found = _closed.get(key)
    if found is None:
        first = today - timedelta(days=DAYS - 1)
        rows = received_since(conn, ids, midnight(first))
        found = {d: n for d, n in by_day(rows).items() if d < today}
        if len(_closed) > 256:
            _closed.clear()
        _closed[key] = found
    return found


def last_batch_at(conn: Connection, ids: Sequence[int]) -> datetime | None:
    query = (
        select(LAST_AT).where(batches.c.source_id.in_(ids)).order_by(batches.c.id.desc()).limit(1)
    )
    at = conn.execute(query).scalar()
    return stored_utc(at) if at is not None else None


def today_tile(conn: Connection, principal: Principal, now: datetime) -> dict[str, Any] | None:
    """``ingest.today``: the records the gate received today from the sources in scope."""
    if not may(principal, "rollups.read"):
        return None
    scoped = sources_in_scope(conn, principal)
    if not scoped:
        return None
    ids = tuple(row.id for row in scoped)
    today = now.astimezone(LOCAL_TZ).date()
    counts = dict(days_before(conn, ids, today))
    today_rows = received_since(conn, ids, midnight(today))
    counts[today] = by_day(today_rows).get(today, 0)
    span = [today - timedelta(days=n) for n in range(DAYS - 1, -1, -1)]
    simulated_ids = {row.id for row in scoped if row.simulated}
    return {
        "value": counts[today],
        "uom": "count",
        "caption": N_("today"),
        "trend": [[d.isoformat(), counts.get(d, 0)] for d in span],
        "delta": counts[today] - counts.get(today - timedelta(days=1), 0),
        "good": None,
        "status": None,
        "updated_at": last_batch_at(conn, ids),
        "source": SOURCE,
        "simulated": bool(simulated_ids),
        "href": "/sources" if may(principal, "sources.read") else None,  # else a 403
    }
