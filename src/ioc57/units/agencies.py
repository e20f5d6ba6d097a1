"""Agencies (sở, ban, ngành, commune committees): units that report and answer, under a province or commune."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from ioc57.core import audit
from ioc57.core.problems import Problem, field_error
from ioc57.units.queries import public, valid_at
from ioc57.units.source import search_key
from ioc57.units.tables import units

AGENCY_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{1,39}$")
AGENCY_TYPES = ("sở", "ban", "ngành", "ủy ban nhân dân", "trung tâm", "cơ quan")


def create_agency(
    conn: Connection,
    *,
    actor: str,
    parent: Any,
    code: str,
    name: str,
    type: str = "cơ quan",
    lat: float | None = None,
    lon: float | None = None,
    today: date,
) -> dict[str, Any]:
    """Add an agency under ``parent`` (a current province or commune row)."""
    if not AGENCY_CODE.match(code or ""):
        raise field_error("code", "2–40 letters, digits, '.', '_' or '-'")
    if not name or len(name) > 200:
        raise field_error("name", "1–200 characters")
    if type not in AGENCY_TYPES:
        raise field_error("type", f"one of {', '.join(AGENCY_TYPES)}")
    if parent.level not in ("province", "commune"):
        raise field_error("parent", "an agency belongs to a province or a commune")
    # a code any unit ever held (at any level, in any period: "815" was a district until 2025)
    # is never given again, or what a record dated back then means would depend on row order
    if conn.execute(select(units.c.id).where(units.c.code == code).limit(1)).first():
        raise Problem(
            409,
            f"Code '{code}' is taken: a unit has held it.",
            errors=[{"loc": ["code"], "msg": "taken by a current or former unit"}],
        )
    values = {
        "code": code,
        "name": name,
        "short_name": name,
        "level": "agency",
        "type": type,
        "parent_id": parent.id,
        "province_code": parent.province_code,
        "valid_from": None,
        "valid_to": None,
        "lat": lat if lat is not None else parent.lat,
        "lon": lon if lon is not None else parent.lon,
        "search_name": search_key(name),
    }
    conn.execute(insert(units).values(**values))
    row = conn.execute(select(units).where(units.c.code == code, valid_at(today))).first()
    item = public(row, parent.code)
    audit.record(
        conn, actor=actor, action="unit.create", object_type="unit", object_id=code, after=item
    )
    return item
