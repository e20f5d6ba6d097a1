"""Pages: search and browse units; one unit with its communes on a map."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.engine import Connection

from ioc57.core.clock import today
from ioc57.core.http import parse_day, read_conn
from ioc57.core.i18n import day as written_day
from ioc57.core.pages import render
from ioc57.core.problems import Problem
from ioc57.units.mapdata import unit_map
from ioc57.units.messages import NO_UNIT
from ioc57.units.queries import UnitFilter, children, list_units, resolve, unit_at, unit_detail

router = APIRouter(include_in_schema=False)


def as_day(iso: str | None) -> str:
    """A day the units' queries give as ISO, as a page writes it (dd/mm/yyyy); "…" when open."""
    return written_day(date.fromisoformat(iso[:10])) if iso else "…"


@router.get("/units")
def units_page(
    request: Request,
    conn: Annotated[Connection, Depends(read_conn)],
    q: Annotated[str | None, Query(max_length=100)] = None,
    at: str | None = None,
    level: Annotated[str | None, Query(pattern="^(province|district|commune|agency)$")] = None,
):
    day = parse_day(at, "at")
    flt = UnitFilter(at=day, q=q or None, level=level or (None if q else "province"))
    items, total = list_units(conn, flt, 200, 0)
    # a name that is no unit on this day may be a legacy name: say what it is now
    suggestions = resolve(conn, q, today()) if q and total == 0 and len(q) >= 2 else []
    return render(
        request,
        "units.html",
        as_day=as_day,
        items=items,
        total=total,
        q=q or "",
        at=day,
        level=level,
        suggestions=suggestions,
    )


@router.get("/units/{code}")
def unit_page(
    code: str,
    request: Request,
    conn: Annotated[Connection, Depends(read_conn)],
    at: str | None = None,
):
    day = parse_day(at, "at")
    unit = unit_detail(conn, code[:40], day)
    if unit is None:
        # a page writes its days as dd/mm/yyyy
        raise Problem(404, NO_UNIT, code=code[:40], day=day.strftime("%d/%m/%Y"))
    row = unit_at(conn, code, day)
    kids = children(conn, row)
    drawn = unit_map(conn, row, kids, day)
    return render(request, "unit.html", unit=unit, children=kids, map=drawn, at=day, as_day=as_day)
