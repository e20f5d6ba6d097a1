"""What happened lately in the scope's traceability: the events of each of the last days, and the
latest events as a person reads them (what was done, where, to which lot), never their ids, their
source or who sent them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from ioc57.core.clock import local_iso
from ioc57.traceability.epc import digital_link_path, parse
from ioc57.traceability.tables import event_epcs, events, locations, products
from ioc57.traceability.viewscope import Scope
from ioc57.traceability.words import step_word
from ioc57.units.tables import units

DAYS = 30  # the days the chart of events covers
LATEST = 15  # the latest events listed


def events_per_day(conn: Connection, scope: Scope, day: date, days: int = DAYS) -> list[dict]:
    """The events of each of the ``days`` days to ``day`` (their local day), none included."""
    first = day - timedelta(days=days - 1)
    query = (
        select(events.c.day, func.count())
        .where(*scope.where(events), events.c.day.between(first, day))
        .group_by(events.c.day)
    )
    counts = {
        (d if isinstance(d, date) else date.fromisoformat(d)): n for d, n in conn.execute(query)
    }
    return [
        {"day": first + timedelta(days=i), "events": counts.get(first + timedelta(days=i), 0)}
        for i in range(days)
    ]


def latest_events(conn: Connection, scope: Scope, limit: int = LATEST) -> list[dict[str, Any]]:
    """The scope's latest events (by when they happened): when, what (the business step's word),
    where (the place's name and commune), the lots they name with their public pages."""
    commune = units.alias("commune")
    rows = conn.execute(
        select(
            events.c.id,
            events.c.type,
            events.c.event_time,
            events.c.biz_step,
            events.c.biz_location,
            events.c.read_point,
            events.c.error_declared,
            events.c.simulated,
            commune.c.name.label("commune"),
        )
        .outerjoin(commune, commune.c.id == events.c.unit_id)
        .where(*scope.where(events))
        .order_by(events.c.event_time.desc(), events.c.id.desc())
        .limit(limit)
    ).all()
    if not rows:
        return []
    named: dict[int, list[tuple[str, str]]] = {r.id: [] for r in rows}
    others: dict[int, int] = dict.fromkeys(named, 0)
    query = select(event_epcs.c.event_pk, event_epcs.c.epc).where(
        event_epcs.c.event_pk.in_(list(named))
    )
    for pk, epc in conn.execute(query.order_by(event_epcs.c.event_pk, event_epcs.c.epc)):
        key = parse(epc)
        if key is not None and key.gtin and key.lot:
            if (key.gtin, key.lot) not in named[pk]:
                named[pk].append((key.gtin, key.lot))
        else:
            others[pk] += 1  # an item, a pallet, a device: counted, not named
    places = _places(conn, rows)
    names = _product_names(conn, {g for found in named.values() for g, _ in found})
    return [
        {
            "time": local_iso(r.event_time),
            "type": r.type,
            "step": step_word(r.biz_step, r.type),
            "place": places.get(r.biz_location or "") or places.get(r.read_point or ""),
            "commune": r.commune,
            "lots": [
                {
                    "gtin": gtin,
                    "lot": lot,
                    "product": names.get(gtin),
                    "href": digital_link_path(gtin, lot),
                }
                for gtin, lot in named[r.id]
            ],
            "other_ids": others[r.id],
            "error_declared": bool(r.error_declared),
            "simulated": bool(r.simulated),
        }
        for r in rows
    ]


def _places(conn: Connection, rows: Sequence[Any]) -> dict[str, str]:
    """The names of the registered locations the events name, by the events' identifiers."""
    by_gln: dict[str, list[str]] = {}
    for r in rows:
        for uri in (r.biz_location, r.read_point):
            key = parse(uri) if uri else None
            if key is not None and key.gln:
                by_gln.setdefault(key.gln, []).append(uri)
    if not by_gln:
        return {}
    query = select(locations.c.gln, locations.c.name).where(locations.c.gln.in_(list(by_gln)))
    return {uri: name for gln, name in conn.execute(query) for uri in by_gln[gln]}


def _product_names(conn: Connection, gtins: set[str]) -> dict[str, str]:
    if not gtins:
        return {}
    query = select(products.c.gtin, products.c.name).where(products.c.gtin.in_(sorted(gtins)))
    return {gtin: name for gtin, name in conn.execute(query)}
