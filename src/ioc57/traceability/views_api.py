"""``GET /api/v1/traceability/summary``: the figures of the IOC's traceability page as JSON, for a
province, a unit's subtree or the country (an officer: its unit's). Days are ISO dates, times ISO
with their offset; no location's contact, no event's id, source or sender."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from sqlalchemy.engine import Connection

from ioc57.core.access import Principal, authorize, optional_principal
from ioc57.core.clock import today
from ioc57.core.http import read_conn
from ioc57.traceability.activity import events_per_day, latest_events
from ioc57.traceability.views import certificates_due, figures, recent_lots
from ioc57.traceability.viewscope import READ, Code, Scope, scope_of

router = APIRouter(prefix="/api/v1", tags=["traceability"])


def summary(conn: Connection, scope: Scope, day: date) -> dict[str, Any]:
    """Everything the page shows of the scope on ``day``, in one mapping (days as ``date``)."""
    found = figures(conn, scope, day)
    per_day = events_per_day(conn, scope, day)
    return {
        "as_of": day,
        "simulated": found.simulated,
        "totals": found.total.as_dict() | {"events_30_days": sum(d["events"] for d in per_day)},
        "by_place": [line.as_dict() for line in found.by_place],
        "by_category": [line.as_dict() for line in found.by_category],
        "certificates": certificates_due(conn, scope, day),
        "events_per_day": per_day,
        "latest_events": latest_events(conn, scope),
        "recent_lots": recent_lots(conn, scope, day),
    }


def _iso(value: Any) -> Any:
    """Days as ISO text, in every mapping and list of ``value``."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _iso(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_iso(v) for v in value]
    return value


@router.get("/traceability/summary")
def traceability_summary(
    conn: Annotated[Connection, Depends(read_conn)],
    principal: Annotated[Principal | None, Depends(optional_principal)],
    unit: Code = None,
) -> dict[str, Any]:
    """Products and lots traced (in all, by place: the provinces of the country or the communes
    of a province; by category), the certificates of its places expiring within 60 days and
    those expired, the events of each of the last 30 days, the latest events and lots, of the unit
    named (a province or any unit under it; without one, the person's own unit or the country).
    Labels (``label``, ``step``, ``kind``) are English message ids; ``key`` is the code."""
    principal = authorize(principal, READ)
    scope = scope_of(conn, principal, unit)
    chosen = scope.unit if scope.unit is not None else scope.province
    body = summary(conn, scope, today())
    body["unit"] = {"code": chosen.code, "name": chosen.name} if chosen is not None else None
    body["by_place_level"] = "commune" if scope.province is not None else "province"
    return _iso(body)
