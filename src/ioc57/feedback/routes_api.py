"""``/api/v1/feedback/routes``: which agency of a province takes up each category of reports.

Reading is ``feedback.read`` (the operator's forward form shows the route); writing the province's
whole table is ``feedback.admin`` (audited; an admin with a unit writes its own province's only).
An unknown category or an agency that is not a current one of the province is a 422 naming it.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from sqlalchemy.engine import Connection

from ioc57.core.access import Principal, authorize, optional_principal
from ioc57.core.clock import today
from ioc57.core.http import client_address, read_conn, write_conn
from ioc57.core.problems import field_error
from ioc57.feedback.access import ADMIN, READ
from ioc57.feedback.categories import categories
from ioc57.feedback.routes import agencies_of, home_province, routes_of, set_routes
from ioc57.units.queries import scope_chain, unit_at

router = APIRouter(prefix="/api/v1/feedback", tags=["feedback"])

CodeText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
ProvinceQuery = Annotated[str | None, Query(max_length=40)]


class RoutesIn(BaseModel):
    """A province's routes, whole: {category: agency code, or null for no route}."""

    model_config = ConfigDict(extra="forbid")
    province: CodeText
    routes: Annotated[dict[CodeText, CodeText | None], Field(max_length=500)]


def province_row(conn: Connection, principal: Principal, action: str, code: str | None) -> Any:
    """The current province ``code`` (default: the person's) once the person may take ``action``
    on it: 422 naming ``province`` for no such province."""
    code = code or home_province(conn, principal)
    row = unit_at(conn, code, today()) if code else None
    if row is None or row.level != "province":
        raise field_error("province", "not a current province")
    authorize(principal, action, scope_chain(conn, row))
    return row


def shown_routes(conn: Connection, province: Any, lang: str) -> dict[str, Any]:
    """Every category with the agency it goes to (None: no route), and the agencies to choose."""
    routed = routes_of(conn, province.code)
    return {
        "province": {"code": province.code, "name": province.name},
        "routes": [
            {"category": c.code, "category_name": c.label(lang), "agency": routed.get(c.code)}
            for c in categories().values()
        ],
        "agencies": [{"code": a.code, "name": a.name} for a in agencies_of(conn, province.code)],
    }


@router.get("/routes")
def routes_get(
    request: Request,
    conn: Annotated[Connection, Depends(read_conn)],
    principal: Annotated[Principal | None, Depends(optional_principal)],
    province: ProvinceQuery = None,
) -> dict[str, Any]:
    """A province's routes (default: the caller's province): each category and its agency."""
    principal = authorize(principal, READ)
    row = province_row(conn, principal, READ, province)
    return shown_routes(conn, row, getattr(request.state, "lang", "vi"))


@router.put("/routes")
def routes_put(
    body: RoutesIn,
    request: Request,
    conn: Annotated[Connection, Depends(write_conn)],
    principal: Annotated[Principal | None, Depends(optional_principal)],
) -> dict[str, Any]:
    """Replace a province's routes (a category left out, or null, has no route); audited."""
    principal = authorize(principal, ADMIN)
    row = province_row(conn, principal, ADMIN, body.province)
    set_routes(conn, row.code, body.routes, principal.username, client_address(request))
    return shown_routes(conn, row, getattr(request.state, "lang", "vi"))
