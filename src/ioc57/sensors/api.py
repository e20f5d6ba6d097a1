"""``/api/v1/stations``: creating stations and reading them with their latest values.

A person's stations go through the gate as the people-entry source, with the person as principal
(an officer creates stations in its own commune only); ``project`` stores them. One object is
answered as stored (201 when new, 200 when updated or unchanged) or refused (422 naming its field);
an array as the gate's push API answers a batch. Each station is listed with its latest values, the
effective threshold of its watched metric (salinity first) and where that comes from (its own, or
the crops of its commune), and its level: ``ok``, ``watch`` (at 75 % of the threshold), ``over``
or ``nodata``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse
from sqlalchemy.engine import Connection

from ioc57.core.access import Principal, authorize, current_principal, optional_principal
from ioc57.core.clock import now, today
from ioc57.core.http import Offset, read_conn
from ioc57.core.problems import field_error
from ioc57.ingest.entry_api import push_entered, refused
from ioc57.sensors.queries import (
    READ,
    STATION_ROWS,
    WRITE,
    in_scope,
    list_stations,
    shown,
    station_in_scope,
)
from ioc57.sensors.records import STATION
from ioc57.sensors.tables import stations
from ioc57.units.queries import scope_chain, subtree_ids, unit_at

router = APIRouter(prefix="/api/v1", tags=["sensors"])

MAX_ROWS = 1_000
StationCode = Annotated[str, Path(max_length=64)]
PageLimit = Annotated[int, Query(ge=1, le=1000)]
Code = Annotated[str | None, Query(max_length=40)]

BODY = {  # read as bytes, so FastAPI cannot see it: documented here
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "oneOf": [{"type": "object"}, {"type": "array", "items": {"type": "object"}}]
            }
        }
    },
}
CREATED: dict[int | str, dict[str, Any]] = {201: {"description": "Created: the station as stored"}}


@router.post(
    "/stations", openapi_extra={"requestBody": BODY}, responses=CREATED, response_model=None
)
async def stations_post(
    request: Request, principal: Annotated[Principal, Depends(current_principal)]
):
    """Create or change stations: one (``code``, ``name``, ``unit`` (its commune), ``place``,
    ``lat``, ``lon``, ``metrics``, ``thresholds``) or an array of them; a station sent again is
    updated."""
    authorize(principal, WRITE)
    _source, result, one = await push_entered(request, principal, STATION, MAX_ROWS)
    if one is None:
        return result.answer()
    if result.rejected:
        raise refused(result.rejected[0])
    code = STATION.model.model_validate(one).code
    with request.app.state.engine.connect() as conn:
        row = conn.execute(STATION_ROWS.where(stations.c.code == code)).one()
        station = shown(conn, [row], now())[0]
    return JSONResponse(station, status_code=201 if result.accepted else 200)


@router.get("/stations")
def stations_list(
    conn: Annotated[Connection, Depends(read_conn)],
    principal: Annotated[Principal | None, Depends(optional_principal)],
    unit: Code = None,
    limit: PageLimit = 500,
    offset: Offset = 0,
):
    """The stations (of a unit's subtree with ``unit``), each with its latest values, its
    effective threshold and level; a person with a unit reads those of its subtree."""
    principal = authorize(principal, READ)
    where = in_scope(conn, principal)
    if unit:
        row = unit_at(conn, unit, today())
        if row is None:
            raise field_error("unit", f"no current unit has code {unit!r}")
        authorize(principal, READ, scope_chain(conn, row))
        where.append(stations.c.unit_id.in_(subtree_ids(conn, row, predecessors=True)))
    return list_stations(conn, where, limit, offset, now())


@router.get("/stations/{code}")
def stations_get(
    code: StationCode,
    conn: Annotated[Connection, Depends(read_conn)],
    principal: Annotated[Principal | None, Depends(optional_principal)],
):
    """A station with its latest values, its effective threshold and level."""
    row = station_in_scope(conn, principal, code)
    return shown(conn, [row], now())[0]
