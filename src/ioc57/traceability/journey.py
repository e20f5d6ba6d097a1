"""The journey of a lot as its public page tells it: every event that names the lot, what went
into it (its trace backwards: the raw lots a transformation turned into it) and what it went into
(forwards: the pallet it was packed on, the lot it was processed into), in time order.

Each step is said in words: the day and time in the event's own offset, what happened (the
business step's word), where (the location's name and commune), how much, what the sensors read,
where it was shipped to, and the other lots or units it concerns, each a link to its own page.
Events declared in error are left out. No event id, source or sender is kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.engine import Connection

from ioc57.core.clock import stored_utc
from ioc57.core.i18n import N_
from ioc57.traceability import epc, trace
from ioc57.traceability.tables import event_epcs, events, locations, products
from ioc57.traceability.vocab import bare
from ioc57.traceability.words import (
    LOCATION_KINDS,
    UOMS,
    disposition_word,
    step_word,
)
from ioc57.units.queries import ancestors, unit_by_id

MAX_STEPS = 100  # a lot's page shows its first hundred events (a real lot has a handful)
MAX_DEPTH = 6  # levels of the trace each way: raw lot -> kernels -> packed -> pallet -> ...
SENSORS = {"Temperature": N_("Temperature"), "RelativeHumidity": N_("Humidity")}
QUIET = {"active", "in_progress"}  # dispositions that say nothing to a buyer


@dataclass
class Step:
    day: date
    time: str  # HH:MM in the event's own offset
    offset: str
    word: str  # message id of what happened
    disposition: str | None  # message id
    place: dict[str, Any] | None
    destination: str | None  # a registered location's name
    quantity: tuple[float, str] | None  # of this lot, with its unit's word
    related: list[dict[str, Any]]  # other lots and units the event names, of this lot's trace
    sensors: list[tuple[str, float, float | None, str]]  # (message id, value, up to, unit)
    names_lot: bool  # the event names this very lot (not only one of its trace)
    gln: str | None  # of the place, to find the lot's origin when it has none registered
    simulated: bool


@dataclass
class Journey:
    steps: list[Step] = field(default_factory=list)
    made_from: list[dict[str, Any]] = field(default_factory=list)  # lots, backwards
    went_into: list[dict[str, Any]] = field(default_factory=list)  # lots and units, forwards
    more: bool = False  # more events than MAX_STEPS
    simulated: bool = False


def _gln(uri: str | None) -> str | None:
    key = epc.parse(uri) if uri else None
    return key.gln if key is not None else None


def place_names(conn: Connection, unit_id: int | None) -> tuple[str | None, str | None]:
    """The names of a commune and of the province it lies in."""
    row = unit_by_id(conn, unit_id) if unit_id is not None else None
    if row is None:
        return None, None
    province = next((a for a in ancestors(conn, row) if a.level == "province"), None)
    return row.name, (province.name if province is not None else None)


def _places(conn: Connection, glns: set[str]) -> dict[str, dict[str, Any]]:
    """Registered locations by GLN, as the page names them (no contact, operator or address)."""
    if not glns:
        return {}
    rows = conn.execute(
        select(locations.c.gln, locations.c.name, locations.c.kind, locations.c.unit_id).where(
            locations.c.gln.in_(sorted(glns))
        )
    )
    found = {}
    for r in rows:
        commune, province = place_names(conn, r.unit_id)
        found[r.gln] = {
            "name": r.name,
            "kind": LOCATION_KINDS.get(r.kind, LOCATION_KINDS["other"]),
            "commune": commune,
            "province": province,
        }
    return found


def _described(nodes: dict[str, str], names: dict[str, str]) -> dict[str, dict[str, Any]]:
    """What each identifier of the trace is, for a person: a lot (with its page), an item of a
    product, a logistic unit (a pallet, a carton)."""
    described: dict[str, dict[str, Any]] = {}
    for uri, side in nodes.items():
        key = epc.parse(uri)
        if key is None:
            continue
        if key.kind == "00":
            described[uri] = {"kind": "unit", "side": side, "sscc": key.key}
        elif key.kind == "01" and key.qualifier in ("10", None, "21"):
            item: dict[str, Any] = {
                "kind": "lot" if key.qualifier == "10" else "item",
                "side": side,
                "gtin": key.key,
                "name": names.get(key.key),
                "lot": key.lot,
            }
            if key.lot is not None and epc.LOT.match(key.lot):
                item["href"] = epc.digital_link_path(key.key, key.lot)
            described[uri] = item
    return described


def _sensors(document: dict[str, Any]) -> list[tuple[str, float, float | None, str]]:
    """(message id, value or lowest, highest or None, unit) of each reading a buyer may care for."""
    read: list[tuple[str, float, float | None, str]] = []
    for element in document.get("sensorElementList") or []:
        for report in element.get("sensorReport") or []:
            kind = str(report.get("type") or "").replace("/", ":").rsplit(":", 1)[-1]
            uom = UOMS.get(report.get("uom") or "", "")
            value = report.get("value", report.get("meanValue"))
            if kind not in SENSORS:
                continue
            if value is not None:
                read.append((SENSORS[kind], value, None, uom))
            elif report.get("minValue") is not None:
                low = report["minValue"]
                read.append((SENSORS[kind], low, report.get("maxValue", low), uom))
    return read


def _quantity(document: dict[str, Any], lot_uri: str) -> tuple[float, str] | None:
    for key in ("quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList"):
        for q in document.get(key) or []:
            if epc.canonical(q.get("epcClass", "")) == lot_uri and q.get("quantity") is not None:
                return q["quantity"], UOMS.get(q.get("uom") or "", q.get("uom") or "")
    return None


def _destination(document: dict[str, Any]) -> str | None:
    for d in document.get("destinationList") or []:
        if bare("sourceDest", d.get("type", "")) == "location":
            return _gln(epc.canonical(d.get("destination", "")))
    return None


def journey(conn: Connection, gtin: str, lot: str) -> Journey:
    """The lot's journey (see the module's docstring)."""
    root = epc.lot_uri(gtin, lot)
    back = trace.backward(conn, root, max_depth=MAX_DEPTH)
    ahead = trace.forward(conn, root, max_depth=MAX_DEPTH)
    nodes = {uri: "backward" for uri in back.depth} | {uri: "forward" for uri in ahead.depth}
    nodes[root] = "self"
    pks = select(event_epcs.c.event_pk).where(event_epcs.c.epc.in_(list(nodes)))
    rows = conn.execute(
        select(events)
        .where(events.c.id.in_(pks), events.c.error_declared.is_(False))
        .order_by(events.c.event_time, events.c.id)
        .limit(MAX_STEPS + 1)
    ).all()
    path = Journey(more=len(rows) > MAX_STEPS)
    rows = rows[:MAX_STEPS]
    named: dict[int, set[str]] = {}
    if rows:
        for pk, uri in conn.execute(
            select(event_epcs.c.event_pk, event_epcs.c.epc).where(
                event_epcs.c.event_pk.in_([r.id for r in rows]),
                event_epcs.c.epc.in_(list(nodes)),
            )
        ):
            named.setdefault(pk, set()).add(uri)
    gtins = {k.key for k in map(epc.parse, nodes) if k is not None and k.kind == "01"}
    names = {
        r.gtin: r.name
        for r in conn.execute(
            select(products.c.gtin, products.c.name).where(products.c.gtin.in_(gtins))
        )
    }
    described = _described({u: s for u, s in nodes.items() if u != root}, names)
    documents = {r.id: orjson.loads(r.document) for r in rows}
    glns = {g for r in rows for g in (_gln(r.biz_location or r.read_point),) if g}
    glns |= {g for d in documents.values() if (g := _destination(d))}
    places = _places(conn, glns)
    said: list[dict[str, Any]] = []  # the other lots and units the step before named
    for r in rows:
        doc = documents[r.id]
        offset = r.tz_offset or "+07:00"
        sign = -1 if offset.startswith("-") else 1
        hours, minutes = offset[1:].split(":")
        zone = timezone(sign * timedelta(hours=int(hours), minutes=int(minutes)))
        at: datetime = stored_utc(r.event_time).astimezone(zone)
        gln = _gln(r.biz_location or r.read_point)
        destination = _destination(doc)
        here = named.get(r.id, set())
        related = [described[u] for u in sorted(here) if u in described]
        # each step of a raw lot would say "made from" it again: said once, and where it joins
        shown = related if (root in here or related != said) else []
        said = related
        path.steps.append(
            Step(
                day=at.date(),
                time=at.strftime("%H:%M"),
                offset=offset,
                word=step_word(r.biz_step, r.type),
                disposition=None
                if bare("disposition", r.disposition or "") in QUIET
                else disposition_word(r.disposition),
                place=places.get(gln) if gln else None,
                destination=places[destination]["name"] if destination in places else None,
                quantity=_quantity(doc, root),
                related=shown,
                sensors=_sensors(doc),
                names_lot=root in here,
                gln=gln,
                simulated=r.simulated,
            )
        )
        path.simulated = path.simulated or r.simulated
    path.made_from = [d for d in described.values() if d["side"] == "backward" and d.get("href")]
    path.went_into = [d for d in described.values() if d["side"] == "forward" and d.get("href")]
    return path
