"""What traceability offers the operations centre: the lots traced in the person's scope with the
events captured today (tile ``traceability.lots``), and the farms and other places lots come from
on the map (layer ``traceability.farms``).

The scope is the IOC views' (``viewscope``): an officer's unit's subtree, else the country. A lot
is traced when an event names it (``views.first_traced``, by the index of identifiers); the
trend is the lots traced by each of the last 30 days. Never a place's contact, operator or
address (a farm is often a household): its name and position, as the public page of a lot shows.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from ioc57.core.access import Principal, may
from ioc57.core.clock import LOCAL_TZ, stored_utc
from ioc57.core.i18n import N_
from ioc57.traceability.epc import digital_link_path
from ioc57.traceability.tables import events, locations, lots
from ioc57.traceability.views import first_traced
from ioc57.traceability.viewscope import READ, Scope, scope_of

DAYS = 30
SOURCE = N_("Product traceability (GS1 EPCIS events)")
FARMS = ("farm",)  # kinds of place shown even before a lot names them as its origin


def _scope(conn: Connection, principal: Principal) -> Scope | None:
    return scope_of(conn, principal, None) if may(principal, READ) else None


def captured_since(conn: Connection, scope: Scope, since: datetime) -> int:
    """The events of the scope captured (recorded by ioc57) since ``since``, errors included."""
    query = select(func.count()).where(*scope.where(events), events.c.record_time >= since)
    return int(conn.execute(query).scalar_one())


def last_captured(conn: Connection, scope: Scope) -> datetime | None:
    query = select(func.max(events.c.record_time)).where(*scope.where(events))
    at = conn.execute(query).scalar()
    return stored_utc(at) if at is not None else None


def lots_tile(conn: Connection, principal: Principal, now: datetime) -> dict[str, Any] | None:
    """``traceability.lots``: the scope's lots traced (of those registered), their trend, and the
    events captured today."""
    scope = _scope(conn, principal)
    if scope is None:
        return None
    day = now.astimezone(LOCAL_TZ).date()
    rows = conn.execute(select(lots.c.gtin, lots.c.lot, lots.c.simulated).where(*scope.where(lots)))
    registered = {(r.gtin, r.lot): bool(r.simulated) for r in rows}
    if not registered:
        return None
    first = first_traced(conn, registered, day)
    span = [day - timedelta(days=n) for n in range(DAYS - 1, -1, -1)]
    traced = [sum(1 for f in first.values() if f <= d) for d in span]
    midnight = datetime.combine(day, time(0), LOCAL_TZ).astimezone(UTC)
    today_events = captured_since(conn, scope, midnight)
    href = "/traceability" + (f"?unit={scope.code}" if scope.code else "")
    return {
        "value": len(first),
        "uom": "count",
        "caption": N_("lots traced of {lots} registered; {events} events captured today"),
        "args": {"lots": len(registered), "events": today_events},
        "trend": [[d.isoformat(), n] for d, n in zip(span, traced, strict=True)],
        "delta": traced[-1] - traced[-2],
        "good": "up",
        "status": None,
        "updated_at": last_captured(conn, scope),
        "source": SOURCE,
        "simulated": any(registered.values()),
        "href": href,
        "rows": [
            {"label": N_("Lots traced"), "value": len(first), "href": href + "#by-place"},
            {"label": N_("Lots registered"), "value": len(registered), "href": href + "#by-place"},
            {
                "label": N_("Events captured today"),
                "value": today_events,
                "href": href + "#per-day-title",
            },
        ],
    }


def farms_layer(conn: Connection, principal: Principal) -> dict[str, Any] | None:
    """``traceability.farms``: the scope's farms and the places its lots come from, with a
    position; sized by their lots."""
    scope = _scope(conn, principal)
    if scope is None:
        return None
    by_origin: dict[str, list[Any]] = {}
    of_lots = select(lots.c.gtin, lots.c.lot, lots.c.origin_gln, lots.c.updated_at).where(
        *scope.where(lots), lots.c.origin_gln.is_not(None)
    )
    for lot in conn.execute(of_lots):
        by_origin.setdefault(lot.origin_gln, []).append(lot)
    of_places = select(
        locations.c.gln,
        locations.c.name,
        locations.c.kind,
        locations.c.lat,
        locations.c.lon,
        locations.c.simulated,
        locations.c.updated_at,
    ).where(*scope.where(locations), locations.c.lat.is_not(None), locations.c.lon.is_not(None))
    places = [r for r in conn.execute(of_places) if r.kind in FARMS or r.gln in by_origin]
    if not places:
        return None
    points = []
    for r in places:
        mine = sorted(by_origin.get(r.gln, []), key=lambda x: stored_utc(x.updated_at))
        points.append(
            {
                "lat": r.lat,
                "lon": r.lon,
                "label": r.name,
                "value": len(mine),
                "level": "ok" if mine else "none",
                "href": digital_link_path(mine[-1].gtin, mine[-1].lot) if mine else "/traceability",
            }
        )
    stamps = [stored_utc(r.updated_at) for r in places]
    stamps += [stored_utc(x.updated_at) for rows in by_origin.values() for x in rows]
    return {
        "points": points,
        "legend": [["ok", N_("Lots come from here")], ["none", N_("No lot registered yet")]],
        "updated_at": max(stamps, default=None),
        "simulated": any(r.simulated for r in places),
        "source": SOURCE,
    }
