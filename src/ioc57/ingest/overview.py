"""The data gate's panel of the overview page: sources, and what came through the gate today."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from ioc57.core.access import Principal, may
from ioc57.core.clock import LOCAL_TZ, today
from ioc57.core.i18n import N_
from ioc57.ingest.tables import batches, sources


def start_of_today() -> datetime:
    """Midnight in Việt Nam, in UTC (as times are stored)."""
    return datetime.combine(today(), time(0), LOCAL_TZ).astimezone(UTC)


def gate_panel(conn: Connection, principal: Principal | None) -> dict[str, Any] | None:
    if not may(principal, "sources.read"):
        return None
    count = conn.execute(
        select(func.count()).select_from(sources).where(sources.c.disabled.is_(False))
    ).scalar_one()
    submitted, rejected, batch_count = conn.execute(
        select(
            func.coalesce(func.sum(batches.c.submitted), 0),
            func.coalesce(func.sum(batches.c.rejected), 0),
            func.count(),
        ).where(batches.c.started_at >= start_of_today())
    ).one()
    return {
        "title": N_("Data gate"),
        "rows": [
            (N_("Data sources"), count, "/sources"),
            (N_("Records received today"), int(submitted), None),
            (N_("Batches today"), batch_count, None),
            (N_("Rejected rows today"), int(rejected), None),
        ],
    }
