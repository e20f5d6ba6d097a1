"""The gate's figure for alert rules: how much each data source sent in the last day, and when it
last sent anything (``ingest.source_records``).

A source that goes quiet is the first thing an operator wants to hear of: a rule of kind
``nodata`` on this figure ("no batch for 1 h") fires when a source's last batch is older than the
rule's ``nodata_after``; a threshold rule ("fewer than 100 records in a day") reads the value. A
source that never sent a batch counts from its creation, so that a source set up and never used
is quiet too. Disabled sources are left out: an administrator stopped them on purpose.

The figure names no record type: it is evaluated by the alerts' scheduler, which is how a quiet
source is noticed at all (nothing arrives to trigger it).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.engine import Connection

from ioc57.core.clock import now, stored_utc
from ioc57.core.figures import Sample
from ioc57.ingest.tables import batches, sources

WINDOW = timedelta(days=1)  # the records counted: those sent in the last day


def source_records(
    conn: Connection, params: Mapping[str, Any], batch: int | None = None
) -> list[Sample]:
    """One sample per enabled source (or the one ``params["source"]`` names): the records its
    batches brought in the last day, at the time of its last batch."""
    since = now() - WINDOW
    last = func.max(func.coalesce(batches.c.finished_at, batches.c.started_at))
    recent = func.sum(case((batches.c.started_at >= since, batches.c.submitted), else_=0))
    per_source = (
        select(batches.c.source_id, last.label("last_at"), recent.label("records"))
        .group_by(batches.c.source_id)
        .subquery()
    )
    query = (
        select(
            sources.c.name,
            sources.c.created_at,
            per_source.c.last_at,
            per_source.c.records,
        )
        .select_from(sources.outerjoin(per_source, per_source.c.source_id == sources.c.id))
        .where(sources.c.disabled.is_(False))
        .order_by(sources.c.name)
    )
    name = params.get("source")
    if name:
        query = query.where(sources.c.name == str(name))
    return [
        Sample(
            labels={"source": row.name},
            value=float(row.records or 0),
            at=stored_utc(row.last_at or row.created_at),
        )
        for row in conn.execute(query)
    ]
