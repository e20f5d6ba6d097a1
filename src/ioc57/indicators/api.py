"""``/api/v1/indicators``, ``/api/v1/scorecard``, ``/api/v1/observations``, ``/api/v1/targets``."""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field
from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection

from ioc57.core import audit
from ioc57.core.access import Principal, authorize, current_principal, optional_principal
from ioc57.core.clock import local_iso, now, today
from ioc57.core.http import Id, Limit, Offset, read_body, read_conn, write_conn
from ioc57.core.problems import Problem, field_error
from ioc57.indicators.catalogue import Indicator, catalogue
from ioc57.indicators.review import approved_history, decided, may_see_draft, visible_value
from ioc57.indicators.scorecard import (
    FIRST_YEAR,
    compare,
    scorecard,
    series_items,
)
from ioc57.indicators.tables import indicator_targets, indicator_values
from ioc57.ingest.entry import entry_source
from ioc57.units.queries import scope_chain, unit_at

router = APIRouter(prefix="/api/v1", tags=["indicators"])

YearParam = Annotated[int | None, Query(ge=2000, le=2100)]


def public_indicator(ind: Indicator) -> dict[str, Any]:
    return ind.model_dump() | {"group_name": catalogue().groups[ind.group].name}


def indicator_or_404(code: str) -> Indicator:
    ind = catalogue().get(code)
    if ind is None:
        raise Problem(
            404,
            f"No indicator {code!r}.",
            errors=[{"loc": ["path", "code"], "msg": "unknown indicator"}],
        )
    return ind


def unit_or_422(conn: Connection, code: str, field: str = "unit"):
    row = unit_at(conn, code, today())
    if row is None:
        raise field_error(field, f"no current unit has code {code!r}")
    return row


@router.get("/indicators")
def indicators_list(group: Annotated[str | None, Query(max_length=30)] = None):
    items = [public_indicator(i) for i in catalogue().indicators if not group or i.group == group]
    return {
        "items": items,
        "total": len(items),
        "groups": {k: g.model_dump() for k, g in catalogue().groups.items()},
    }


@router.get("/indicators/{code}")
def indicators_get(code: str):
    return public_indicator(indicator_or_404(code))


@router.get("/indicators/{code}/series")
def indicators_series(
    code: str,
    conn: Annotated[Connection, Depends(read_conn)],
    unit: Annotated[str, Query(max_length=40)],
    from_: Annotated[int, Query(alias="from", ge=2000, le=2100)] = FIRST_YEAR,
    to: Annotated[int, Query(ge=2000, le=2100)] = 2100,
):
    """Yearly values of one unit (with the legacy units it succeeded), with target and status."""
    ind = indicator_or_404(code)
    if from_ > to:
        raise field_error("from", "must not be after 'to'")
    row = unit_or_422(conn, unit)
    items = series_items(conn, ind, row, from_, to)
    return {"indicator": code, "unit": unit, "items": items}


@router.get("/indicators/{code}/compare")
def indicators_compare(
    code: str, conn: Annotated[Connection, Depends(read_conn)], year: YearParam = None
):
    """The 34 provinces on one indicator and year, ranked (ties share a rank)."""
    ind = indicator_or_404(code)
    year = year or today().year
    items = compare(conn, ind, year, with_status=True)
    return {
        "indicator": code,
        "year": year,
        "items": items,
        "of": sum(1 for i in items if i["value"] is not None),
    }


@router.get("/scorecard")
def scorecard_get(
    conn: Annotated[Connection, Depends(read_conn)],
    unit: Annotated[str, Query(max_length=40)],
    year: YearParam = None,
    group: Annotated[str | None, Query(max_length=30)] = None,
):
    row = unit_or_422(conn, unit)
    year = year or today().year
    items = [i for i in scorecard(conn, row, year) if not group or i["group"] == group]
    # plain JSON types already: orjson writes the 50 KB of a scorecard without jsonable_encoder
    body = {"unit": unit, "name": row.name, "year": year, "items": items}
    return Response(orjson.dumps(body), media_type="application/json")


# -- reported values ---------------------------------------------------------------------------


class Review(BaseModel):
    reason: str | None = Field(default=None, max_length=2000)


OBSERVATIONS_BODY = {  # read as bytes, so FastAPI cannot see it: documented here
    "required": True,
    "content": {"application/json": {"schema": {"type": "array", "items": {"type": "object"}}}},
}


@router.post("/observations", openapi_extra={"requestBody": OBSERVATIONS_BODY})
async def observations_submit(
    request: Request, principal: Annotated[Principal, Depends(current_principal)]
):
    """Report values (a JSON array of observations), answered like the gate's push API.

    An officer reports for their unit only; a leader's or admin's values are approved at once.
    """
    authorize(principal, "observations.submit")
    body = await read_body(request)
    try:
        items = orjson.loads(body)
    except ValueError:
        raise Problem(400, "The body is not JSON.") from None
    if not isinstance(items, list):
        raise Problem(400, "The body must be a JSON array of observations.")
    if len(items) > 10_000:
        raise Problem(413, "At most 10,000 observations per request.")
    gate = request.app.state.gate
    with gate.engine.connect() as conn:
        source = entry_source(conn)
    from ioc57.ingest.parsing import json_rows

    result = await run_in_threadpool(
        gate.ingest, source, "observation", json_rows(items), principal=principal, via="push"
    )
    return result.answer()


@router.get("/observations")
def observations_list(
    conn: Annotated[Connection, Depends(read_conn)],
    principal: Annotated[Principal | None, Depends(optional_principal)],
    unit: Annotated[str | None, Query(max_length=40)] = None,
    status: Annotated[str | None, Query(pattern="^(submitted|approved|rejected)$")] = None,
    indicator: Annotated[str | None, Query(max_length=60)] = None,
    limit: Limit = 100,
    offset: Offset = 0,
):
    """Reported values; drafts (submitted, rejected) only to those whose scope holds the unit."""
    from ioc57.units.tables import units

    query = select(indicator_values, units.c.code.label("unit_code")).join(
        units, units.c.id == indicator_values.c.unit_id
    )
    if unit:
        query = query.where(units.c.code == unit)
    if indicator:
        query = query.where(indicator_values.c.indicator == indicator)
    if status:
        query = query.where(indicator_values.c.status == status)
    rows = conn.execute(query.order_by(indicator_values.c.id).limit(limit).offset(offset)).all()
    items, drafts = [], {}
    for r in rows:
        if r.status != "approved":
            if r.unit_id not in drafts:
                drafts[r.unit_id] = may_see_draft(conn, principal, r.unit_id)
            if not drafts[r.unit_id]:
                continue
        item = {
            k: r._mapping[k]
            for k in (
                "id",
                "indicator",
                "period",
                "value",
                "numerator",
                "denominator",
                "status",
                "citation",
                "simulated",
                "entered_by",
                "reviewed_by",
            )
        }
        item["unit"] = r.unit_code
        items.append(item)
    return {"items": items}


@router.post("/observations/{value_id}/approve")
def observations_approve(
    value_id: Id,
    body: Review,
    request: Request,
    principal: Annotated[Principal, Depends(current_principal)],
):
    state = request.app.state
    return decided(state.engine, state.bus, principal, value_id, True, body.reason)


@router.post("/observations/{value_id}/reject")
def observations_reject(
    value_id: Id,
    body: Review,
    request: Request,
    principal: Annotated[Principal, Depends(current_principal)],
):
    state = request.app.state
    return decided(state.engine, state.bus, principal, value_id, False, body.reason)


@router.get("/observations/{value_id}/history")
def observations_history(
    value_id: Id,
    conn: Annotated[Connection, Depends(read_conn)],
    principal: Annotated[Principal | None, Depends(optional_principal)],
):
    """Every change of a value: who, when, old, new, why. Seen as the list shows values: a draft
    only by those whose scope holds its unit (to others it is 404), and of an approved value
    the others see only the approved states."""
    from ioc57.indicators.tables import indicator_value_history

    row = visible_value(conn, principal, value_id)
    rows = conn.execute(
        select(indicator_value_history)
        .where(indicator_value_history.c.value_id == value_id)
        .order_by(indicator_value_history.c.id)
    ).all()
    items = [dict(r._mapping) | {"at": local_iso(r.at)} for r in rows]
    if not may_see_draft(conn, principal, row.unit_id):
        items = approved_history(items)
    return {"items": items}


class TargetIn(BaseModel):
    indicator: str = Field(max_length=60)
    unit: str = Field(max_length=40)
    year: int = Field(ge=2000, le=2100)
    value: float
    basis: str = Field(default="", max_length=2000)


@router.post("/targets", status_code=201)
def targets_set(
    body: TargetIn,
    principal: Annotated[Principal, Depends(current_principal)],
    conn: Annotated[Connection, Depends(write_conn)],
):
    """Set a provincial target (it replaces the national one for that unit)."""
    ind = catalogue().get(body.indicator)
    if ind is None:
        raise field_error("indicator", f"no indicator {body.indicator!r}")
    row = unit_or_422(conn, body.unit)
    authorize(principal, "targets.write", scope_chain(conn, row))
    key = (
        indicator_targets.c.indicator == ind.code,
        indicator_targets.c.unit_id == row.id,
        indicator_targets.c.year == body.year,
    )
    old = conn.execute(select(indicator_targets).where(*key)).first()
    values = {
        "value": body.value,
        "basis": body.basis,
        "set_by": principal.username,
        "set_at": now(),
    }
    if old:
        conn.execute(update(indicator_targets).where(*key).values(**values))
    else:
        conn.execute(
            insert(indicator_targets).values(
                indicator=ind.code, unit_id=row.id, year=body.year, **values
            )
        )
    audit.record(
        conn,
        actor=principal.username,
        action="target.set",
        object_type="indicator_target",
        object_id=f"{ind.code}:{body.unit}:{body.year}",
        before={"value": old.value} if old else None,
        after={"value": body.value, "basis": body.basis},
    )
    return {"indicator": ind.code, "unit": body.unit, "year": body.year, "value": body.value}
