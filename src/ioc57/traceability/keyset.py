"""The order of a query's events and where its next page starts: a keyset, not an offset.

Events come in the order they were stored (their id) unless the query asks for their event or
record time (EPCIS's ``orderBy``, ``orderDirection``), ties then broken by id. A page ends at a
position, the last event's (time, id), and the next starts after it: the thousandth page costs
what the first does, and events stored meanwhile neither repeat nor vanish from the pages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.engine import Connection

from ioc57.core.clock import stored_utc
from ioc57.traceability.tables import events

ORDERS = ("eventTime", "recordTime")
DIRECTIONS = ("ASC", "DESC")
DEFAULT_LIMIT = 30

# where a page ends: the ordering time as ISO (None when in the order stored) and the event's id
Position = tuple[str | None, int]


@dataclass(frozen=True)
class Order:
    """``by`` one of ``ORDERS``, or None: in the order stored (always ascending)."""

    by: str | None = None
    descending: bool = False

    def column(self) -> Any:
        return {"eventTime": events.c.event_time, "recordTime": events.c.record_time}[self.by or ""]


STORED = Order()  # in the order stored


@dataclass(frozen=True)
class Page:
    """The events of one page, as EPCIS JSON, and where the next page starts after (None: this
    is the last page)."""

    events: list[dict[str, Any]]
    after: Position | None


def _after(order: Order, position: Position) -> ColumnElement[bool]:
    at, key = position
    if order.by is None:
        return events.c.id > key
    column = order.column()
    moment = datetime.fromisoformat(at or "").astimezone(UTC)
    if order.descending:
        return or_(column < moment, and_(column == moment, events.c.id < key))
    return or_(column > moment, and_(column == moment, events.c.id > key))


def find(
    conn: Connection,
    where: Sequence[ColumnElement[bool]],
    *,
    order: Order = STORED,
    after: int | Position | None = None,
    limit: int = DEFAULT_LIMIT,
) -> Page:
    """The events that meet ``where`` in ``order``, from after ``after`` (a position, or an
    event's id in the order stored): at most ``limit`` of them."""
    if isinstance(after, int):
        after = (None, after)
    columns = [events.c.id, events.c.document]
    if order.by is not None:
        columns.append(order.column().label("at"))
    query = select(*columns).where(*where)
    if after is not None:
        query = query.where(_after(order, after))
    if order.by is None:
        query = query.order_by(events.c.id)
    elif order.descending:
        query = query.order_by(order.column().desc(), events.c.id.desc())
    else:
        query = query.order_by(order.column(), events.c.id)
    rows = conn.execute(query.limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    last = None
    if more:
        at = stored_utc(rows[-1].at).isoformat() if order.by is not None else None
        last = (at, rows[-1].id)
    return Page([orjson.loads(r.document) for r in rows], last)
