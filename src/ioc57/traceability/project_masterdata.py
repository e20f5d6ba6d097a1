"""Keeping the master-data tables current with the gate's records (the gate's projectors).

Products, locations and lots are stored under their key (GTIN, GLN, GTIN and lot), inserted the
first time and updated after; a location's certificates are replaced with those of its latest
version. Master data is small (a province's producers and places): a row at a time."""

from __future__ import annotations

from datetime import date
from typing import Any

import orjson
from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection

from ioc57.core.clock import now
from ioc57.ingest.hooks import Projection
from ioc57.ingest.unitcache import UnitInfo
from ioc57.traceability.tables import certificates, locations, lots, products

Items = list[tuple[dict[str, Any], UnitInfo | None]]


def _upsert(conn: Connection, table: Any, key: tuple[str, ...], rows: list[dict[str, Any]]) -> dict:
    """Insert or update ``rows`` of ``table`` by their ``key`` columns; the ids by key."""
    ids: dict[tuple, int] = {}
    for row in rows:
        where = [table.c[k] == row[k] for k in key]
        found = conn.execute(select(table.c.id).where(*where)).scalar()
        if found is None:
            found = conn.execute(insert(table).values(**row).returning(table.c.id)).scalar_one()
        else:
            conn.execute(update(table).where(table.c.id == found).values(**row))
        ids[tuple(row[k] for k in key)] = found
    return ids


def _common(data: dict[str, Any], unit: UnitInfo | None, ctx: Projection) -> dict[str, Any]:
    assert unit is not None  # master data names its unit: the gate resolved it
    return {
        "unit_id": unit.id,
        "province_code": unit.province_code,
        "source_id": ctx.source_id,
        "simulated": ctx.simulated,
        "updated_at": now(),
    }


def project_products(conn: Connection, ctx: Projection, items: Items) -> None:
    rows = [
        {
            "gtin": d["gtin"],
            "name": d["name"],
            "category": d["category"],
            "business": d["business"],
            "tax_code": d["tax_code"],
            "ocop_stars": d.get("ocop_stars"),
            "marks": orjson.dumps(d.get("marks") or []).decode(),
            "certificates": orjson.dumps(d.get("certificates") or []).decode(),
            **_common(d, unit, ctx),
        }
        for d, unit in items
    ]
    _upsert(conn, products, ("gtin",), rows)


def project_locations(conn: Connection, ctx: Projection, items: Items) -> None:
    for d, unit in items:
        row = {
            "gln": d["gln"],
            "name": d["name"],
            "kind": d["kind"],
            "operator": d.get("operator"),
            "planting_area_code": d.get("planting_area_code"),
            "address": d.get("address"),
            "lat": d.get("lat"),
            "lon": d.get("lon"),
            **_common(d, unit, ctx),
        }
        location_id = _upsert(conn, locations, ("gln",), [row])[(d["gln"],)]
        conn.execute(delete(certificates).where(certificates.c.location_id == location_id))
        certs = d.get("certificates") or []
        if certs:
            conn.execute(
                insert(certificates),
                [
                    {
                        "location_id": location_id,
                        "scheme": c["scheme"],
                        "number": c["number"],
                        "issuer": c["issuer"],
                        "valid_from": date.fromisoformat(c["valid_from"]),
                        "valid_to": date.fromisoformat(c["valid_to"]),
                        "province_code": row["province_code"],
                    }
                    for c in certs
                ],
            )


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def project_lots(conn: Connection, ctx: Projection, items: Items) -> None:
    rows = [
        {
            "gtin": d["gtin"],
            "lot": d["lot"],
            "origin_gln": d.get("origin"),
            "harvested_on": _day(d.get("harvested_on")),
            "produced_on": _day(d.get("produced_on")),
            "best_before": _day(d.get("best_before")),
            "quantity": d.get("quantity"),
            "uom": d.get("uom"),
            **_common(d, unit, ctx),
        }
        for d, unit in items
    ]
    _upsert(conn, lots, ("gtin", "lot"), rows)
