"""The routes of a province: which of its agencies takes up each category of reports. An admin keeps
them (``/feedback/routes``); the operator's forward form preselects the route's agency, and the
operator always confirms or changes it.

A province's routes are written whole (the table of the routes page): a category left out has no
route. Every agency named must be a current agency of that province; the change is audited with the
table before and after.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Connection

from ioc57.core import audit
from ioc57.core.access import Principal
from ioc57.core.clock import now, today
from ioc57.core.problems import Problem
from ioc57.feedback.categories import categories
from ioc57.feedback.tables import reports, routes
from ioc57.units.queries import unit_by_id, valid_at
from ioc57.units.tables import units


def agencies_of(conn: Connection, province_code: str) -> list[Any]:
    """The current agencies of a province (its departments and its communes' committees), by
    name: what a route or a forward may name."""
    query = (
        select(units.c.id, units.c.code, units.c.name)
        .where(
            units.c.level == "agency",
            units.c.province_code == province_code,
            valid_at(today()),
        )
        .order_by(units.c.name, units.c.code)
    )
    return list(conn.execute(query))


def home_province(conn: Connection, principal: Principal) -> str | None:
    """The province a person works on: their unit's, or (for one without a unit) the first
    province that has routes, else the first whose reports came in."""
    if principal.unit_id is not None:
        unit = unit_by_id(conn, principal.unit_id)
        return unit.province_code if unit is not None else None
    routed = select(routes.c.province_code).order_by(routes.c.province_code).limit(1)
    reported = select(reports.c.province_code).where(reports.c.province_code != "").limit(1)
    return conn.execute(routed).scalar() or conn.execute(reported).scalar()


def routes_of(conn: Connection, province_code: str) -> dict[str, dict[str, str]]:
    """{category: {code, name} of its agency} for the routed categories of a province."""
    query = (
        select(routes.c.category, units.c.code, units.c.name)
        .join(units, units.c.id == routes.c.agency_id)
        .where(routes.c.province_code == province_code)
    )
    return {r.category: {"code": r.code, "name": r.name} for r in conn.execute(query)}


def route_for(conn: Connection, province_code: str, category: str) -> str | None:
    """The code of the agency a category's reports go to in a province (None: no route)."""
    query = (
        select(units.c.code)
        .join(routes, units.c.id == routes.c.agency_id)
        .where(routes.c.province_code == province_code, routes.c.category == category)
    )
    return conn.execute(query).scalar()


def _checked(conn: Connection, province_code: str, wanted: dict[str, str | None]) -> dict[str, int]:
    """{category: agency id} of ``wanted`` (a category with no agency has no route): 422 naming
    each unknown category and each agency that is not a current one of the province."""
    agencies = {a.code: a.id for a in agencies_of(conn, province_code)}
    known = categories()
    errors: list[dict[str, Any]] = []
    chosen: dict[str, int] = {}
    for code, agency in wanted.items():
        where = ["body", "routes", code]
        if code not in known:
            errors.append({"loc": where, "msg": "unknown category"})
        elif agency:
            if agency not in agencies:
                errors.append({"loc": where, "msg": "not a current agency of the province"})
            else:
                chosen[code] = agencies[agency]
    if errors:
        raise Problem(422, "; ".join(f"{e['loc'][-1]}: {e['msg']}" for e in errors), errors=errors)
    return chosen


def set_routes(
    conn: Connection,
    province_code: str,
    wanted: dict[str, str | None],
    actor: str,
    address: str | None = None,
) -> dict[str, dict[str, str]]:
    """Replace a province's routes by ``wanted`` ({category: agency code or None}), audited, in
    the caller's transaction; the routes as they now stand."""
    chosen = _checked(conn, province_code, wanted)
    before = {c: r["code"] for c, r in routes_of(conn, province_code).items()}
    conn.execute(delete(routes).where(routes.c.province_code == province_code))
    at = now()
    if chosen:
        conn.execute(
            insert(routes),
            [
                {
                    "province_code": province_code,
                    "category": code,
                    "agency_id": agency_id,
                    "updated_by": actor,
                    "updated_at": at,
                }
                for code, agency_id in sorted(chosen.items())
            ],
        )
    after = routes_of(conn, province_code)
    audit.record(
        conn,
        actor=actor,
        action="feedback.routes",
        object_type="feedback_routes",
        object_id=province_code,
        before=before,
        after={c: r["code"] for c, r in after.items()},
        address=address,
    )
    return after
