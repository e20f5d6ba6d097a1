"""``/api/v1/units``: public reads of administrative units, and agency creation."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy.engine import Connection

from ioc57.core.access import Principal, authorize, current_principal
from ioc57.core.clock import today
from ioc57.core.http import Limit, Offset, parse_day, read_conn, write_conn
from ioc57.core.messages import entry
from ioc57.core.problems import Problem, field_error
from ioc57.units.agencies import create_agency
from ioc57.units.messages import NO_UNIT, NO_UNIT_FIELD, UNKNOWN_UNIT
from ioc57.units.queries import UnitFilter, list_units, resolve, scope_chain, unit_at, unit_detail

router = APIRouter(prefix="/api/v1/units", tags=["units"])

Level = Literal["province", "district", "commune", "agency"]
CodeParam = Annotated[str | None, Query(max_length=40, pattern=r"^[A-Za-z0-9._-]+$")]


@router.get("")
def units_list(
    conn: Annotated[Connection, Depends(read_conn)],
    level: Level | None = None,
    parent: CodeParam = None,
    province: CodeParam = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
    at: str | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
):
    """Units valid on day ``at`` (default today), filtered; ``q`` ignores accents and case."""
    day = parse_day(at, "at")
    flt = UnitFilter(at=day, level=level, parent=parent, q=q, province=province)
    if parent and unit_at(conn, parent, day) is None:
        raise field_error("parent", NO_UNIT_FIELD, code=parent, day=day.isoformat())
    items, total = list_units(conn, flt, limit, offset)
    return {"items": items, "total": total, "at": day.isoformat()}


@router.get("/resolve")
def units_resolve(
    conn: Annotated[Connection, Depends(read_conn)],
    name: Annotated[str, Query(min_length=2, max_length=300)],
):
    """The current unit(s) that a legacy or current name or address maps to."""
    return {"query": name, "matches": resolve(conn, name, today())}


@router.get("/{code}")
def units_get(code: str, conn: Annotated[Connection, Depends(read_conn)], at: str | None = None):
    day = parse_day(at, "at")
    if len(code) > 40:
        raise field_error("code", "at most 40 characters")
    item = unit_detail(conn, code, day)
    if item is None:
        raise Problem(
            404,
            NO_UNIT,
            errors=[entry(UNKNOWN_UNIT, ["path", "code"])],
            code=code,
            day=day.isoformat(),
        )
    return item


class AgencyIn(BaseModel):
    code: str = Field(min_length=2, max_length=40)
    name: str = Field(min_length=1, max_length=200)
    parent: str = Field(min_length=1, max_length=40)
    type: str = "cơ quan"
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)


@router.post("", status_code=201)
def units_create(
    body: AgencyIn,
    request: Request,
    principal: Annotated[Principal, Depends(current_principal)],
    conn: Annotated[Connection, Depends(write_conn)],
):
    """Add an agency under a current province or commune (admins anywhere, officers in scope)."""
    day = today()
    parent = unit_at(conn, body.parent, day)
    if parent is None:
        raise field_error("parent", f"no current unit has code {body.parent!r}")
    authorize(principal, "units.create", scope_chain(conn, parent))
    return create_agency(
        conn,
        actor=principal.username,
        parent=parent,
        code=body.code,
        name=body.name,
        type=body.type,
        lat=body.lat,
        lon=body.lon,
        today=day,
    )
