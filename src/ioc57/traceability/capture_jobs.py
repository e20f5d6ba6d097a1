"""The standard's capture job (EPCIS 2.0, its REST binding) of a capture: the gate's batch read
back. ``captureID`` is the batch id; ``errors`` are its rejected rows, one exception an event,
naming the event's index in the document and the fields at fault; the batch's counts follow.
A batch is a capture's when its ``via`` says so (``capture.VIA``, ``capture.VIA_ROLLBACK``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.engine import Connection

from ioc57.ingest.tables import batches, rejections
from ioc57.traceability.capture import PROCEED, ROLLBACK, VALIDATION, VIA, VIA_ROLLBACK

JOB_ERRORS = 1_000  # rejected events listed in one capture job


def _time(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:  # SQLite keeps UTC without its offset
        value = value.replace(tzinfo=UTC)
    return value.isoformat()


def job_error(capture_id: int, index: int, record_id: str | None, errors: list) -> dict[str, Any]:
    """A rejected event as the standard's exception, naming the event and its fields."""
    said = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'event'}: {e['msg']}" for e in errors)
    return {
        "type": f"epcisException:{VALIDATION}",
        "title": "Invalid event",
        "status": 400,
        "detail": f"eventList[{index}]: {said}",
        "instance": f"/epcis/capture/{capture_id}",
        "eventIndex": index,
        "eventID": record_id,
        "errors": errors,
    }


def job(conn: Connection, row: Any, limit: int = JOB_ERRORS) -> dict[str, Any]:
    """The capture job of a batch row (``batches``): the standard's fields, then the counts."""
    errors = [
        job_error(row.id, e.row_index, e.record_id, e.errors)
        for e in conn.execute(
            select(rejections.c.row_index, rejections.c.record_id, rejections.c.errors)
            .where(rejections.c.batch_id == row.id)
            .order_by(rejections.c.row_index)
            .limit(limit)
        )
    ]
    finished = row.finished_at is not None
    return {
        "captureID": str(row.id),
        "createdAt": _time(row.started_at),
        "finishedAt": _time(row.finished_at),
        "running": not finished,
        "success": finished and row.rejected == 0,
        "captureErrorBehaviour": ROLLBACK if row.via == VIA_ROLLBACK else PROCEED,
        "errors": errors,
        "eventCount": row.submitted,
        "captured": row.accepted + row.updated,
        "unchanged": row.unchanged + row.stale,
        "rejected": row.rejected,
    }


def jobs_query(source_id: int | None, actor: str | None) -> Select[Any]:
    """The capture batches of a source (None: of every source), of one writer (None: of all)."""
    query = select(batches).where(batches.c.via.in_((VIA, VIA_ROLLBACK)))
    if source_id is not None:
        query = query.where(batches.c.source_id == source_id)
    if actor is not None:
        query = query.where(batches.c.actor == actor)
    return query
