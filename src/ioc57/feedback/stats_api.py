"""``/api/v1/feedback/stats`` and ``/api/v1/feedback/map``: the IOC panel's figures of citizen
reports for a unit and a span, and the places of the reports open now.

Both need ``feedback.read``; an officer reads its own unit's subtree only (403 for another unit).
The map gives places rounded as the public pages round them (about 100 m: the street, not the
house), never a text or a contact; a report without coordinates is drawn at its commune's point
(``approximate``).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy import select
from sqlalchemy.engine import Connection

from ioc57.core.access import Principal, authorize, current_principal
from ioc57.core.clock import today
from ioc57.core.http import read_conn
from ioc57.feedback import panel_data, queries, stats
from ioc57.feedback.access import READ
from ioc57.feedback.categories import category
from ioc57.feedback.deadlines import flag
from ioc57.feedback.tables import reports
from ioc57.units.tables import units

router = APIRouter(prefix="/api/v1/feedback", tags=["feedback"])

UnitParam = Annotated[str | None, Query(min_length=1, max_length=40)]
DayParam = Annotated[date | None, Query()]
MAP_LIMIT = 2000


def unit_and_span(
    conn: Connection, principal: Principal, unit: str | None, start: date | None, end: date | None
) -> tuple[Any, date, date]:
    """The unit asked for (or the one the panel opens on; None when no report exists anywhere)
    and the span (default: the last 12 months)."""
    day = today()
    default_start, default_end = stats.last_months(day)
    start, end = start or default_start, end or default_end
    panel_data.check_span(start, end)
    code = unit or panel_data.first_unit(conn, principal)
    row = panel_data.readable_unit(conn, principal, code, day) if code else None
    return row, start, end


@router.get("/stats")
def stats_get(
    principal: Annotated[Principal, Depends(current_principal)],
    conn: Annotated[Connection, Depends(read_conn)],
    unit: UnitParam = None,
    start: Annotated[date | None, Query(alias="from")] = None,
    end: Annotated[date | None, Query(alias="to")] = None,
    by: Annotated[list[Literal["agency", "unit", "month"]] | None, Query()] = None,
) -> dict[str, Any]:
    """A unit's figures from ``from`` to ``to`` (dates; default the last 12 months, the current
    one included): reports received, answered (on time: within the category's deadline in
    working days), published, the citizens' ratings, and the reports open and past their deadline
    now. ``by`` (repeatable) adds the split by answering ``agency``, by ``unit`` (a province's
    communes, and ``unplaced``: what no commune holds) or by ``month``. Rates are fractions
    (None: nothing to rate). ``unit`` defaults to the person's unit, or to the first province
    with reports (``unit`` is None when there is none)."""
    authorize(principal, READ)
    row, start, end = unit_and_span(conn, principal, unit, start, end)
    if row is None:
        return {"unit": None, "from": start.isoformat(), "to": end.isoformat()}
    return panel_data.figures(conn, row, start, end, by or (), today())


def _commune_points(conn: Connection, unit_ids: set[int]) -> dict[int, tuple[float, float]]:
    if not unit_ids:
        return {}
    query = select(units.c.id, units.c.lat, units.c.lon).where(
        units.c.id.in_(sorted(unit_ids)), units.c.lat.is_not(None), units.c.lon.is_not(None)
    )
    return {r.id: (r.lat, r.lon) for r in conn.execute(query)}


@router.get("/map")
def map_get(
    request: Request,
    principal: Annotated[Principal, Depends(current_principal)],
    conn: Annotated[Connection, Depends(read_conn)],
    unit: UnitParam = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = MAP_LIMIT,
) -> dict[str, Any]:
    """The reports open now that a person may see (in ``unit``'s subtree when given), the most
    urgent first: each its id, rounded place, status, category and deadline flag (near, late).
    At most ``limit``; ``rest`` counts those left off."""
    authorize(principal, READ)
    lang = getattr(request.state, "lang", "vi")
    day = today()
    query = queries.scoped(
        conn,
        principal,
        select(
            reports.c.record_id,
            reports.c.unit_id,
            reports.c.lat,
            reports.c.lon,
            reports.c.status,
            reports.c.category,
            reports.c.due_on,
            reports.c.simulated,
        ).where(reports.c.status.in_(stats.OPEN)),
    )
    if unit:
        row = panel_data.readable_unit(conn, principal, unit, day)
        query = query.where(panel_data.reports_of(conn, row))
    total = queries.count(conn, query)
    rows = conn.execute(
        query.order_by(reports.c.due_on.is_(None), reports.c.due_on, reports.c.id).limit(limit)
    ).all()
    points = _commune_points(conn, {r.unit_id for r in rows if r.lat is None and r.unit_id})
    items = []
    for r in rows:
        lat, lon, approximate = r.lat, r.lon, False
        if (lat is None or lon is None) and r.unit_id in points:
            (lat, lon), approximate = points[r.unit_id], True
        if lat is None or lon is None:
            continue
        items.append(
            {
                "id": r.record_id,
                "lat": round(lat, queries.PUBLIC_PLACES),
                "lon": round(lon, queries.PUBLIC_PLACES),
                "approximate": approximate,
                "status": r.status,
                "category": r.category,
                "category_name": category(r.category).label(lang),
                "flag": flag(r.due_on, day),
                "simulated": r.simulated,
            }
        )
    return {
        "items": items,
        "total": total,
        "rest": total - len(rows),
        "unplaced": len(rows) - len(items),
    }
