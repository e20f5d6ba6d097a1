"""``/api/v1/services/index``, ``/api/v1/services/ranking``, ``/api/v1/services/trend``: the live
Decision 766 index, within the reader's scope (an officer sees its own unit's subtree)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from sqlalchemy.engine import Connection

from ioc57.core.access import Principal, authorize, current_principal
from ioc57.core.clock import today
from ioc57.core.http import read_conn
from ioc57.core.periods import Period
from ioc57.core.problems import field_error
from ioc57.services.index import (
    COUNTRY,
    Target,
    index_of,
    parse_window,
    ranking,
    target,
    trend,
)
from ioc57.services.provenance import simulated_dossiers
from ioc57.services.scoring import spec
from ioc57.units.queries import scope_chain, unit_by_id

router = APIRouter(prefix="/api/v1/services", tags=["services"])

UnitParam = Annotated[str, Query(min_length=1, max_length=40)]
PeriodParam = Annotated[str | None, Query(max_length=20)]


def window(code: str | None) -> Period:
    """The period asked for (the current month when none), or 422 naming ``period``."""
    try:
        return parse_window(code or f"{today():%Y%m}")
    except ValueError as exc:
        raise field_error("period", str(exc)) from None


def readable_target(conn: Connection, principal: Principal, code: str, field: str) -> Target:
    """The unit (or the country) a code names, if the principal may read it; 422 naming the field
    when it names none, 403 when it is outside the principal's scope."""
    goal = target(conn, code, today())
    if goal is None:
        raise field_error(field, f"no current unit has code {code!r}")
    if goal.level == "country":
        authorize(principal, "services.read", set() if principal.unit_id else None)
    else:
        row = unit_by_id(conn, goal.scopes[0].id)
        authorize(principal, "services.read", scope_chain(conn, row))
    return goal


@router.get("/index")
def index_get(
    unit: UnitParam,
    period: PeriodParam = None,
    principal: Principal = Depends(current_principal),
    conn: Connection = Depends(read_conn),
) -> dict[str, Any]:
    """The 766 index of a unit (``VN``: the whole country) for a period: the total, the six groups
    and every indicator with its numerator and denominator; points that cannot be assessed are
    reported as such (``assessable: false``)."""
    goal = readable_target(conn, principal, unit, "unit")
    simulated = simulated_dossiers(conn, [s.id for s in goal.scopes])
    return index_of(conn, goal, window(period), today()) | {
        "basis": spec()["basis"],
        "simulated": simulated,  # the dossiers came from a simulated source: dữ liệu mô phỏng
    }


@router.get("/ranking")
def ranking_get(
    level: Annotated[Literal["province", "commune", "agency"], Query()],
    parent: Annotated[str | None, Query(max_length=40)] = None,
    period: PeriodParam = None,
    principal: Principal = Depends(current_principal),
    conn: Connection = Depends(read_conn),
) -> dict[str, Any]:
    """The units of a level ranked by their index (ties share a rank), each with the previous
    period's rank. Communes and agencies are ranked within their province (``parent``)."""
    return ranking_of(conn, principal, level, parent, window(period))


def ranking_of(
    conn: Connection, principal: Principal, level: str, parent: str | None, span: Period
) -> dict[str, Any]:
    """The ranking ``GET /api/v1/services/ranking`` gives, if the principal may read the parent;
    422 naming ``parent`` when it is not the one the level is ranked in."""
    if level == "province":
        goal = readable_target(conn, principal, parent or COUNTRY, "parent")
        if goal.level != "country":
            raise field_error("parent", "provinces are ranked in the whole country (VN)")
    else:
        if not parent:
            raise field_error("parent", f"name the province whose {level} units to rank")
        goal = readable_target(conn, principal, parent, "parent")
        if goal.level != "province":
            raise field_error("parent", f"{level} units are ranked within a province")
    items = ranking(conn, level, goal, span, today())
    return {"level": level, "parent": goal.code, "period": span.code, "items": items}


@router.get("/trend")
def trend_get(
    unit: UnitParam,
    period: PeriodParam = None,
    months: Annotated[int, Query(ge=1, le=36)] = 12,
    principal: Principal = Depends(current_principal),
    conn: Connection = Depends(read_conn),
) -> dict[str, Any]:
    """The index total of each month up to the period's end."""
    goal = readable_target(conn, principal, unit, "unit")
    span = window(period)
    return {"unit": goal.code, "items": trend(conn, goal, span, today(), months)}
