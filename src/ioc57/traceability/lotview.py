"""What the public page of a lot shows: the product and its producer, the farm or plant it comes
from with the certificates that held on its harvest day, and its journey (``journey``).

Only what a buyer may read: never a location's ``contact``, ``operator`` or address (a farm is
often a household), never an event's id, source or the people who sent it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import orjson
from sqlalchemy import exists, select
from sqlalchemy.engine import Connection

from ioc57.traceability import epc
from ioc57.traceability.journey import Journey, journey, place_names
from ioc57.traceability.tables import certificates, event_epcs, locations, lots, products
from ioc57.traceability.words import CATEGORIES, LOCATION_KINDS
from ioc57.units.tables import units

MAP_COMMUNES = 400  # the province's communes drawn around the farm (a province has up to ~170)


@dataclass
class Certificate:
    scheme: str
    number: str
    issuer: str
    valid_from: date
    valid_to: date
    held_at_harvest: bool  # valid on the lot's harvest (or production) day
    expired: bool  # its validity has ended by today


@dataclass
class LotView:
    gtin: str
    lot: str
    product: dict[str, Any] | None  # name, category word, business, tax code, stars, marks
    origin: dict[str, Any] | None  # name, kind word, commune, province, planting area, lat, lon
    harvested_on: date | None
    produced_on: date | None
    best_before: date | None
    quantity: float | None
    uom: str | None
    certificates: list[Certificate] = field(default_factory=list)
    journey: Journey | None = None
    simulated: bool = False
    communes: list[dict[str, Any]] = field(default_factory=list)  # map context: name, lat, lon


def location(conn: Connection, gln: str | None) -> dict[str, Any] | None:
    """A location as the public page shows it (no contact, operator or address)."""
    if gln is None:
        return None
    row = conn.execute(
        select(
            locations.c.id,
            locations.c.gln,
            locations.c.name,
            locations.c.kind,
            locations.c.planting_area_code,
            locations.c.lat,
            locations.c.lon,
            locations.c.unit_id,
            locations.c.province_code,
            locations.c.simulated,
        ).where(locations.c.gln == gln)
    ).first()
    if row is None:
        return None
    commune, province = place_names(conn, row.unit_id)
    return {
        "id": row.id,
        "name": row.name,
        "kind": LOCATION_KINDS.get(row.kind, LOCATION_KINDS["other"]),
        "commune": commune,
        "province": province,
        "province_code": row.province_code,
        "planting_area_code": row.planting_area_code,
        "lat": row.lat,
        "lon": row.lon,
        "simulated": row.simulated,
    }


def product(conn: Connection, gtin: str) -> dict[str, Any] | None:
    row = conn.execute(select(products).where(products.c.gtin == gtin)).first()
    if row is None:
        return None
    return {
        "name": row.name,
        "category": CATEGORIES.get(row.category, CATEGORIES["other"]),
        "business": row.business,
        "tax_code": row.tax_code,
        "ocop_stars": row.ocop_stars,
        "marks": orjson.loads(row.marks or "[]"),
        "certificates": orjson.loads(row.certificates or "[]"),
        "simulated": row.simulated,
    }


def _certificates(conn: Connection, location_id: int, on: date | None, today: date) -> list:
    rows = conn.execute(
        select(certificates)
        .where(certificates.c.location_id == location_id)
        .order_by(certificates.c.valid_to.desc(), certificates.c.id)
    )
    return [
        Certificate(
            r.scheme,
            r.number,
            r.issuer,
            r.valid_from,
            r.valid_to,
            held_at_harvest=on is not None and r.valid_from <= on <= r.valid_to,
            expired=r.valid_to < today,
        )
        for r in rows
    ]


def _communes(conn: Connection, province_code: str) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(units.c.name, units.c.lat, units.c.lon)
        .where(
            units.c.province_code == province_code,
            units.c.level.in_(("ward", "commune")),
            units.c.valid_to.is_(None),
            units.c.lat.is_not(None),
        )
        .order_by(units.c.code)
        .limit(MAP_COMMUNES)
    )
    return [{"name": r.name, "lat": round(r.lat, 4), "lon": round(r.lon, 4)} for r in rows]


def known(conn: Connection, gtin: str, lot: str) -> bool:
    """Whether the lot is registered or any event names it."""
    registered = select(lots.c.id).where(lots.c.gtin == gtin, lots.c.lot == lot)
    named = select(event_epcs.c.event_pk).where(event_epcs.c.epc == epc.lot_uri(gtin, lot))
    return bool(conn.execute(select(exists(registered) | exists(named))).scalar())


def lot_view(conn: Connection, gtin: str, lot: str, today: date) -> LotView | None:
    """The public view of lot ``lot`` of GTIN-14 ``gtin``; None when nothing names it."""
    if not known(conn, gtin, lot):
        return None
    row = conn.execute(select(lots).where(lots.c.gtin == gtin, lots.c.lot == lot)).first()
    path = journey(conn, gtin, lot)
    origin_gln = row.origin_gln if row is not None else None
    if origin_gln is None and path.steps:  # where it was first recorded
        origin_gln = next((s.gln for s in path.steps if s.gln and s.names_lot), None)
    origin = location(conn, origin_gln)
    harvested = row.harvested_on if row is not None else None
    produced = row.produced_on if row is not None else None
    first_day = next((s.day for s in path.steps if s.names_lot), None)
    made = harvested or produced or first_day
    view = LotView(
        gtin=gtin,
        lot=lot,
        product=product(conn, gtin),
        origin=origin,
        harvested_on=harvested,
        produced_on=produced,
        best_before=row.best_before if row is not None else None,
        quantity=row.quantity if row is not None else None,
        uom=row.uom if row is not None else None,
        journey=path,
    )
    if origin is not None:
        view.certificates = _certificates(conn, origin["id"], made, today)
        if origin["lat"] is not None:
            view.communes = _communes(conn, origin["province_code"])
    view.simulated = bool(
        (row is not None and row.simulated)
        or (view.product or {}).get("simulated")
        or (origin or {}).get("simulated")
        or path.simulated
    )
    return view
