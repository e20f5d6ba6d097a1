"""The published answers, as anyone may read them: the list (newest first, by category and
commune, a page at a time), one report, and the communes that have any.

A report is public while it stands published (``published``, or ``closed`` after it was
published) and its last answer was published: a report reopened and answered again leaves the
public page until the new answer is published (the answer column holds the new, unreviewed one). Every row goes out
through ``queries.public_report``: the redacted text and answer, the commune, rounded places and
the photos the operator made public, never the contact, the address or the tracking code.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from ioc57.core.clock import today
from ioc57.feedback import queries
from ioc57.feedback.tables import reports
from ioc57.units.queries import subtree_ids, unit_at
from ioc57.units.tables import units

PUBLIC_STATUSES = ("published", "closed")
PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


def is_public() -> ColumnElement[bool]:
    """The reports anyone may read: published after their last answer."""
    return and_(
        reports.c.status.in_(PUBLIC_STATUSES),
        reports.c.published_at.is_not(None),
        or_(reports.c.answered_at.is_(None), reports.c.published_at >= reports.c.answered_at),
    )


class UnknownUnit(ValueError):
    """A commune filter that names no current unit."""


# published reports counted for a page's total, at most (a province's two years hold hundreds of
# thousands: counting them all costs a page more than showing it; past it, "more than")
COUNT_CAP = 10_000
COMMUNES_TTL_S = 300.0  # how long the list of communes with published reports is kept


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    total: int  # at most ``COUNT_CAP``
    limit: int
    offset: int
    more: bool = False  # more than ``COUNT_CAP``


def unit_filter(conn: Connection, code: str) -> list[int]:
    """The ids a commune filter stands for: the unit, what it holds and what it succeeded (a
    report placed in a commune before the 2025 reorganisation shows under its successor)."""
    row = unit_at(conn, code, today())
    if row is None:
        raise UnknownUnit(code)
    return subtree_ids(conn, row, predecessors=True)


def _shown(conn: Connection, rows: list[Any], lang: str) -> list[dict[str, Any]]:
    photos = queries.public_photo_ids(conn, [r.record_id for r in rows])
    return [queries.public_report(r, photos.get(r.record_id, []), lang) for r in rows]


def published_page(
    conn: Connection,
    category: str | None = None,
    unit: str | None = None,
    limit: int = PAGE_SIZE,
    offset: int = 0,
    lang: str = "vi",
) -> Page:
    """A page of the published reports, the most recently published first (``UnknownUnit`` for a
    ``unit`` code no current unit has)."""
    query = queries.REPORT_ROWS.where(is_public())
    if category:
        query = query.where(reports.c.category == category)
    if unit:
        query = query.where(reports.c.unit_id.in_(unit_filter(conn, unit)))
    total = queries.count(conn, query.with_only_columns(reports.c.id).limit(COUNT_CAP + 1))
    rows = list(
        conn.execute(
            query.order_by(reports.c.published_at.desc(), reports.c.id.desc())
            .limit(limit)
            .offset(offset)
        )
    )
    return Page(_shown(conn, rows, lang), min(total, COUNT_CAP), limit, offset, total > COUNT_CAP)


def published_one(conn: Connection, record_id: str, lang: str = "vi") -> dict[str, Any] | None:
    """One published report (None: no such report, or not public)."""
    row = conn.execute(
        queries.REPORT_ROWS.where(reports.c.record_id == record_id, is_public())
    ).first()
    return _shown(conn, [row], lang)[0] if row is not None else None


_communes: dict[str, tuple[float, list[dict[str, str]]]] = {}


def communes_published(conn: Connection) -> list[dict[str, str]]:
    """The current communes with published reports, by name (the page's filter): read again
    every ``COMMUNES_TTL_S`` (it reads every published report)."""
    key = str(conn.engine.url)
    kept = _communes.get(key)
    if kept is not None and time.monotonic() - kept[0] < COMMUNES_TTL_S:
        return kept[1]
    found = _communes_now(conn)
    _communes[key] = (time.monotonic(), found)
    return found


def _communes_now(conn: Connection) -> list[dict[str, str]]:
    placed = (
        select(reports.c.unit_id).where(is_public(), reports.c.unit_id.is_not(None)).distinct()
    ).subquery()
    query = (
        select(units.c.code, units.c.name)
        .where(units.c.id.in_(select(placed.c.unit_id)), units.c.valid_to.is_(None))
        .order_by(units.c.name, units.c.code)
    )
    return [{"code": r.code, "name": r.name} for r in conn.execute(query)]
