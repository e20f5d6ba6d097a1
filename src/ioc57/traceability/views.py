"""What the IOC reads of traceability: products and lots traced, by place and by category, and
the certificates of the places about to expire.

A lot is *traced* when at least one event names it (its class ``…/01/{gtin}/10/{lot}``, as what
an event observed, packed, or took in or gave out); an event later declared an error does not
count. A product is traced when one of its lots is. Products count where the product belongs (its
unit), lots where the lot was produced (its commune). The events are read through the index of
the identifiers they name, a chunk of lots at a time, never through their JSON.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from ioc57.traceability.epc import digital_link_path, lot_uri
from ioc57.traceability.tables import certificates, event_epcs, events, locations, lots, products
from ioc57.traceability.viewscope import Scope
from ioc57.traceability.words import CATEGORIES, LOCATION_KINDS
from ioc57.units.tables import units

CHUNK = 500  # identifiers in one IN (…) of a query
EXPIRING_DAYS = 60  # a certificate that ends within this many days is said to be expiring
CERTIFICATES_SHOWN = 50

LotKey = tuple[str, str]  # (GTIN, lot)


def first_traced(
    conn: Connection, keys: Iterable[LotKey], until: date | None = None
) -> dict[LotKey, date]:
    """The first day an event named each of these lots (up to ``until``); lots never named are
    left out."""
    by_uri = {lot_uri(gtin, lot): (gtin, lot) for gtin, lot in keys}
    uris = sorted(by_uri)
    out: dict[LotKey, date] = {}
    for i in range(0, len(uris), CHUNK):
        query = (
            select(event_epcs.c.epc, func.min(events.c.day))
            .join(events, events.c.id == event_epcs.c.event_pk)
            .where(event_epcs.c.epc.in_(uris[i : i + CHUNK]), events.c.error_declared.is_(False))
            .group_by(event_epcs.c.epc)
        )
        if until is not None:
            query = query.where(events.c.day <= until)
        for uri, first in conn.execute(query):
            out[by_uri[uri]] = first if isinstance(first, date) else date.fromisoformat(first)
    return out


@dataclass
class Line:
    """One line of a table of figures: a place or a category."""

    key: str
    label: str  # a place's name, or a category's message id
    products: int = 0
    products_traced: int = 0
    lots: int = 0
    lots_traced: int = 0

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class Figures:
    """The scope's products and lots, traced or not, in all, by place and by category."""

    total: Line
    by_place: list[Line] = field(default_factory=list)
    by_category: list[Line] = field(default_factory=list)
    simulated: bool = False


def _place_of(scope: Scope, row: Any) -> Any:
    """Where a row counts on the scope's table of places: its province in the country, its
    commune (its unit) in a province."""
    return row.province_code if scope.province is None else row.unit_id


def _place_names(conn: Connection, scope: Scope, keys: set[Any]) -> dict[Any, tuple[str, str]]:
    """The code and name of each place of the table (a province by its code, else a unit by
    its id)."""
    if scope.province is None:
        query = select(units.c.code, units.c.code, units.c.name).where(
            units.c.level == "province", units.c.valid_to.is_(None), units.c.code.in_(keys)
        )
    else:
        query = select(units.c.id, units.c.code, units.c.name).where(units.c.id.in_(keys))
    return {k: (code, name) for k, code, name in conn.execute(query)}


def figures(conn: Connection, scope: Scope, day: date) -> Figures:
    """Products and lots of the scope, and those traced by ``day``."""
    product_rows = conn.execute(
        select(
            products.c.gtin,
            products.c.category,
            products.c.unit_id,
            products.c.province_code,
            products.c.simulated,
        ).where(*scope.where(products))
    ).all()
    lot_rows = conn.execute(
        select(
            lots.c.gtin,
            lots.c.lot,
            lots.c.unit_id,
            lots.c.province_code,
            lots.c.simulated,
            func.coalesce(products.c.category, "other").label("category"),
        )
        .outerjoin(products, products.c.gtin == lots.c.gtin)
        .where(*scope.where(lots))
    ).all()
    # a product is traced by any of its lots, also one produced outside the scope
    gtins = {p.gtin for p in product_rows}
    other_lots = _lots_of(conn, gtins) if scope.unit_ids is not None else []
    keys = {(r.gtin, r.lot) for r in [*lot_rows, *other_lots]}
    traced = first_traced(conn, keys, day)
    traced_gtins = {gtin for gtin, _ in traced}

    total = Line("", "")
    places: dict[Any, Line] = {}
    categories: dict[str, Line] = {}
    for p in product_rows:
        lines = (total, _line(places, _place_of(scope, p)), _line(categories, p.category))
        for line in lines:
            line.products += 1
            line.products_traced += p.gtin in traced_gtins
    for r in lot_rows:
        lines = (total, _line(places, _place_of(scope, r)), _line(categories, r.category))
        for line in lines:
            line.lots += 1
            line.lots_traced += (r.gtin, r.lot) in traced
    names = _place_names(conn, scope, set(places))
    for key, line in places.items():
        line.key, line.label = names.get(key, (str(key), str(key)))
    for key, line in categories.items():
        line.label = CATEGORIES.get(key, CATEGORIES["other"])
    order = {c: i for i, c in enumerate(CATEGORIES)}
    return Figures(
        total=total,
        by_place=sorted(places.values(), key=lambda x: (-x.lots_traced, -x.products, x.label)),
        by_category=sorted(categories.values(), key=lambda x: order.get(x.key, len(order))),
        simulated=any(r.simulated for r in [*product_rows, *lot_rows]),
    )


def _line(lines: dict[Any, Line], key: Any) -> Line:
    if key not in lines:
        lines[key] = Line(str(key), "")
    return lines[key]


def _lots_of(conn: Connection, gtins: set[str]) -> list[Any]:
    listed = sorted(gtins)
    out: list[Any] = []
    for i in range(0, len(listed), CHUNK):
        query = select(lots.c.gtin, lots.c.lot).where(lots.c.gtin.in_(listed[i : i + CHUNK]))
        out.extend(conn.execute(query))
    return out


def certificates_due(conn: Connection, scope: Scope, day: date) -> dict[str, Any]:
    """The certificates of the scope's places that end within ``EXPIRING_DAYS`` (soonest first)
    and those already ended (latest first), each list cut at ``CERTIFICATES_SHOWN``, with how
    many there are. Never a location's contact."""
    commune = units.alias("commune")
    base = (
        select(
            certificates.c.scheme,
            certificates.c.number,
            certificates.c.issuer,
            certificates.c.valid_from,
            certificates.c.valid_to,
            locations.c.gln,
            locations.c.name.label("place"),
            locations.c.kind,
            locations.c.simulated,
            commune.c.name.label("commune"),
        )
        .join(locations, locations.c.id == certificates.c.location_id)
        .join(commune, commune.c.id == locations.c.unit_id)
        .where(*scope.where(locations))
    )
    soon = day + timedelta(days=EXPIRING_DAYS)
    expiring = base.where(certificates.c.valid_to.between(day, soon))
    expired = base.where(certificates.c.valid_to < day)
    out: dict[str, Any] = {}
    for name, query, order in (
        ("expiring", expiring, certificates.c.valid_to.asc()),
        ("expired", expired, certificates.c.valid_to.desc()),
    ):
        counted = select(func.count()).select_from(query.subquery())
        out[f"{name}_total"] = conn.execute(counted).scalar_one()
        rows = conn.execute(query.order_by(order, locations.c.name).limit(CERTIFICATES_SHOWN))
        out[name] = [_certificate(r, day) for r in rows]
    return out


def _certificate(row: Any, day: date) -> dict[str, Any]:
    return {
        "scheme": row.scheme,
        "number": row.number,
        "issuer": row.issuer,
        "valid_from": row.valid_from,
        "valid_to": row.valid_to,
        "days_left": (row.valid_to - day).days,
        "gln": row.gln,
        "place": row.place,
        "kind": LOCATION_KINDS.get(row.kind, LOCATION_KINDS["other"]),
        "commune": row.commune,
        "simulated": bool(row.simulated),
    }


def traced_counts(conn: Connection, unit_ids: list[int]) -> dict[int, dict[str, date]]:
    """For each of these units, the first day each of its products (GTIN) was traced: a
    province's products by their province, any other unit's by their unit (the indicator)."""
    rows = conn.execute(
        select(units.c.id, units.c.code, units.c.level, units.c.valid_to).where(
            units.c.id.in_(unit_ids)
        )
    ).all()
    provinces = {r.code: r.id for r in rows if r.level == "province" and r.valid_to is None}
    others = [r.id for r in rows if r.level != "province"]
    owners: dict[str, set[int]] = defaultdict(set)  # GTIN -> the units it counts for
    for i in range(0, len(others), CHUNK):
        query = select(products.c.gtin, products.c.unit_id).where(
            products.c.unit_id.in_(others[i : i + CHUNK])
        )
        for gtin, unit_id in conn.execute(query):
            owners[gtin].add(unit_id)
    if provinces:
        query = select(products.c.gtin, products.c.province_code).where(
            products.c.province_code.in_(list(provinces))
        )
        for gtin, code in conn.execute(query):
            owners[gtin].add(provinces[code])
    firsts: dict[str, date] = {}
    for (gtin, _), first in first_traced(conn, _lots_of(conn, set(owners))).items():
        firsts[gtin] = min(first, firsts.get(gtin, first))
    out: dict[int, dict[str, date]] = defaultdict(dict)
    for gtin, first in firsts.items():
        for unit_id in owners[gtin]:
            out[unit_id][gtin] = first
    return out


def recent_lots(conn: Connection, scope: Scope, day: date, limit: int = 20) -> list[dict]:
    """The scope's lots last sent or changed, with their product, commune and whether an event
    names them yet; each links to its public page (the address its QR code carries)."""
    commune = units.alias("commune")
    rows = conn.execute(
        select(
            lots.c.gtin,
            lots.c.lot,
            lots.c.harvested_on,
            lots.c.produced_on,
            lots.c.simulated,
            products.c.name.label("product"),
            commune.c.name.label("commune"),
        )
        .outerjoin(products, products.c.gtin == lots.c.gtin)
        .join(commune, commune.c.id == lots.c.unit_id)
        .where(*scope.where(lots))
        .order_by(lots.c.updated_at.desc(), lots.c.id.desc())
        .limit(limit)
    ).all()
    traced = first_traced(conn, [(r.gtin, r.lot) for r in rows], day)
    return [
        {
            "gtin": r.gtin,
            "lot": r.lot,
            "product": r.product,
            "commune": r.commune,
            "harvested_on": r.harvested_on or r.produced_on,
            "first_event_on": traced.get((r.gtin, r.lot)),
            "href": digital_link_path(r.gtin, r.lot),
            "simulated": bool(r.simulated),
        }
        for r in rows
    ]
