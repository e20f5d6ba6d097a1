"""The staff's queue of reports (``/feedback``) and the count beside the navigation's entry.

The queue reads the reports a person may see (``access.in_scope``: an operator all of them, an
officer those placed in or answered by its unit's subtree), filtered by status, category, answering
agency, commune and deadline flag, the most urgent first: past deadline, then the nearest
deadline, then those that wait on nobody, newest first. A filter is only a narrowing of that scope:
an agency's officer may look at one commune's reports among its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.engine import Connection

from ioc57.core.access import Principal, may
from ioc57.core.clock import today
from ioc57.core.problems import Problem
from ioc57.feedback import queries
from ioc57.feedback.access import READ, in_scope
from ioc57.feedback.records import STATUSES
from ioc57.feedback.tables import reports
from ioc57.feedback.workflow import OPEN
from ioc57.units.queries import subtree_ids, unit_at, valid_at
from ioc57.units.tables import units

# "open": every status someone still acts on (an answer waits to be published)
ACTIVE = (*OPEN, "answered")
STATUS_CHOICES = ("open", "all", *STATUSES)


@dataclass(frozen=True)
class Filters:
    status: str = "open"
    category: str | None = None
    agency: str | None = None  # the answering agency's code
    commune: str | None = None  # a commune's (or any unit's) code: its subtree
    flag: str | None = None  # near, late


def _unit(conn: Connection, field: str, code: str, on: date) -> Any:
    row = unit_at(conn, code, on)
    if row is None:
        raise Problem(
            422, f"{field}: no current unit", errors=[{"loc": ["query", field], "msg": "unknown"}]
        )
    return row


def filtered(conn: Connection, principal: Principal, f: Filters, on: date) -> Select[Any]:
    """The reports of the person's scope that pass the filters (422 naming an unknown unit)."""
    query = queries.scoped(conn, principal, queries.REPORT_ROWS)
    if f.status == "open":
        query = query.where(reports.c.status.in_(ACTIVE))
    elif f.status != "all":
        query = query.where(reports.c.status == f.status)
    if f.category:
        query = query.where(reports.c.category == f.category)
    if f.agency:
        query = query.where(reports.c.agency_id == _unit(conn, "agency", f.agency, on).id)
    if f.commune:
        row = _unit(conn, "commune", f.commune, on)
        query = query.where(reports.c.unit_id.in_(subtree_ids(conn, row, predecessors=True)))
    return queries.by_deadline(query, f.flag, on)


def queue(
    conn: Connection, principal: Principal, f: Filters, on: date, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """A page of the queue, the most urgent first, as staff see each report; and how many."""
    query = filtered(conn, principal, f, on)
    total = queries.count(conn, query)
    rows = conn.execute(
        query.order_by(
            reports.c.due_on.is_(None),
            reports.c.due_on,
            reports.c.received_at.desc(),
            reports.c.id.desc(),
        )
        .limit(limit)
        .offset(offset)
    )
    return [queries.staff_report(r, principal, on) for r in rows], total


def late_count(conn: Connection, principal: Principal) -> int | None:
    """The navigation's count: reports of the person's scope past their deadline (None for a
    person who may not read reports: no count)."""
    if not may(principal, READ):
        return None
    query = select(func.count()).select_from(reports).where(reports.c.due_on < today())
    where = in_scope(conn, principal)
    return int(conn.execute(query if where is None else query.where(where)).scalar_one())


def communes_of(conn: Connection, province_code: str | None, on: date) -> list[Any]:
    """The current communes of a province (the queue's and the call form's choices), by name."""
    if not province_code:
        return []
    query = select(units.c.code, units.c.name).where(
        units.c.level == "commune", units.c.province_code == province_code, valid_at(on)
    )
    return list(conn.execute(query.order_by(units.c.name)))
