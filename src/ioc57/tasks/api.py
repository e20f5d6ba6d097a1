"""``/api/v1/programmes`` and ``/api/v1/tasks``: planning programmes and tasks, and reading them.

A person's programmes and tasks go through the gate as the people-entry source, with the person as
principal: the gate checks them as it checks a provincial system's, and ``plan`` stores them. One
object is answered as stored (201 when new, 200 when updated or unchanged) or refused (422 naming
its field); an array as the gate's push API answers a batch (each bad row rejected alone).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from ioc57.core.access import Principal, authorize, current_principal, optional_principal
from ioc57.core.clock import today
from ioc57.core.http import LongId, Offset, read_conn
from ioc57.core.problems import field_error
from ioc57.ingest.batches import BatchResult, Source
from ioc57.ingest.entry_api import push_entered, refused
from ioc57.ingest.types import RecordType
from ioc57.tasks.queries import (
    PROGRAMME_ROWS,
    READ,
    TASK_ROWS,
    in_subtree,
    list_tasks,
    not_found,
    public_programme,
    public_task,
    stored_id,
    task_in_scope,
    timeline,
)
from ioc57.tasks.records import PROGRAMME, TASK
from ioc57.tasks.status import STATUSES
from ioc57.tasks.tables import programmes, tasks
from ioc57.units.queries import scope_chain, unit_at, unit_by_id

router = APIRouter(prefix="/api/v1", tags=["tasks"])

PLAN = "tasks.plan"
MAX_ROWS = 10_000
PageLimit = Annotated[int, Query(ge=1, le=200)]
Code = Annotated[str | None, Query(max_length=40)]
Status = Literal[STATUSES]  # type: ignore[valid-type]

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
# one new object; 200 answers an object updated or unchanged, and an array (the batch's counts)
CREATED: dict[int | str, dict[str, Any]] = {201: {"description": "Created: the object as stored"}}


async def write(
    request: Request, principal: Principal, rtype: RecordType[Any]
) -> tuple[Source, BatchResult, dict[str, Any] | None]:
    """Send the body's records through the gate as the people-entry source (``push_entered``)."""
    authorize(principal, PLAN)
    return await push_entered(request, principal, rtype, MAX_ROWS)


def shown_programme(conn: Connection, key: int) -> dict[str, Any]:
    return public_programme(conn.execute(PROGRAMME_ROWS.where(programmes.c.id == key)).one())


def shown_task(conn: Connection, key: int) -> dict[str, Any]:
    return public_task(conn.execute(TASK_ROWS.where(tasks.c.id == key)).one(), today())


async def answer(
    request: Request,
    principal: Principal,
    rtype: RecordType[Any],
    shown: Callable[[Connection, int], dict[str, Any]],
):
    """The answer to a POST: the batch's, or the one object as stored now."""
    source, result, one = await write(request, principal, rtype)
    if one is None:
        return result.answer()
    if result.rejected:
        raise refused(result.rejected[0])
    record_id = rtype.model.model_validate(one).id  # its default, as the gate gave it
    with request.app.state.engine.connect() as conn:
        key = stored_id(conn, source.id, rtype.name, record_id)
        assert key is not None  # accepted, updated, unchanged or stale: stored
        body = shown(conn, key)
    return JSONResponse(body, status_code=201 if result.accepted else 200)


def province_of(conn: Connection, principal: Principal | None) -> str | None:
    """The province a person with a unit reads the programmes of (None: every province)."""
    if principal is None or principal.unit_id is None:
        return None
    unit = unit_by_id(conn, principal.unit_id)
    return unit.province_code if unit is not None else None


@router.post(
    "/programmes", openapi_extra={"requestBody": BODY}, responses=CREATED, response_model=None
)
async def programmes_post(
    request: Request, principal: Annotated[Principal, Depends(current_principal)]
):
    """Plan programmes: one (``code``, ``title``, ``issued_by``, ``issued_date``, ``unit``, ...)
    or an array of them; a programme sent again is updated."""
    return await answer(request, principal, PROGRAMME, shown_programme)


@router.get("/programmes")
def programmes_list(
    conn: Annotated[Connection, Depends(read_conn)],
    principal: Annotated[Principal | None, Depends(optional_principal)],
    unit: Code = None,
    limit: PageLimit = 50,
    offset: Offset = 0,
):
    """The programmes of a province (``unit``), or of all; a person with a unit reads its
    province's."""
    authorize(principal, READ)
    where = []
    own = province_of(conn, principal)
    if own is not None:
        where.append(programmes.c.province_code == own)
    if unit:
        row = unit_at(conn, unit, today())
        if row is None:
            raise field_error("unit", f"no current unit has code {unit!r}")
        where.append(programmes.c.province_code == row.province_code)
    total = conn.execute(select(func.count()).select_from(programmes).where(*where)).scalar_one()
    query = PROGRAMME_ROWS.where(*where).order_by(programmes.c.issued_date.desc(), programmes.c.id)
    items = [public_programme(r) for r in conn.execute(query.limit(limit).offset(offset))]
    return {"items": items, "total": total, "limit": limit, "offset": offset}


@router.get("/programmes/{programme_id}")
def programmes_get(
    programme_id: LongId,
    conn: Annotated[Connection, Depends(read_conn)],
    principal: Annotated[Principal | None, Depends(optional_principal)],
):
    authorize(principal, READ)
    row = conn.execute(PROGRAMME_ROWS.where(programmes.c.id == programme_id)).first()
    own = province_of(conn, principal)
    if row is None or own not in (None, row.province_code):
        raise not_found("programme", "programme_id", programme_id)
    return public_programme(row)


@router.post("/tasks", openapi_extra={"requestBody": BODY}, responses=CREATED, response_model=None)
async def tasks_post(request: Request, principal: Annotated[Principal, Depends(current_principal)]):
    """Plan tasks: one (``programme``, ``code``, ``content``, ``lead_agency``, ``deadline`` or
    ``recurrence``, ...) or an array of them; a task sent again is updated, and what people did
    to it since (its reports, an extension, a completion) is kept."""
    return await answer(request, principal, TASK, shown_task)


@router.get("/tasks")
def tasks_list(
    conn: Annotated[Connection, Depends(read_conn)],
    principal: Annotated[Principal | None, Depends(optional_principal)],
    programme: Code = None,
    agency: Code = None,
    status: Status | None = None,
    leader: Annotated[str | None, Query(max_length=200)] = None,
    unit: Code = None,
    limit: PageLimit = 50,
    offset: Offset = 0,
):
    """Tasks with their computed status, filtered by programme code, lead agency, status, leader
    and unit (those whose lead agency lies in its subtree); a person with a unit reads those of
    its subtree."""
    principal = authorize(principal, READ)
    within = unit_by_id(conn, principal.unit_id) if principal.unit_id is not None else None
    if unit:
        within = unit_at(conn, unit, today())
        if within is None:
            raise field_error("unit", f"no current unit has code {unit!r}")
        authorize(principal, READ, scope_chain(conn, within))
    where = in_subtree(conn, within)
    if programme:
        where.append(tasks.c.programme_code == programme)
    if agency:
        row = unit_at(conn, agency, today())
        if row is None or row.level != "agency":
            raise field_error("agency", f"no agency has code {agency!r}")
        where.append(tasks.c.agency_id == row.id)
    if leader:
        where.append(tasks.c.leader == leader)
    return list_tasks(conn, where, today(), status, limit, offset)


@router.get("/tasks/{task_id}")
def tasks_get(
    task_id: LongId,
    conn: Annotated[Connection, Depends(read_conn)],
    principal: Annotated[Principal | None, Depends(optional_principal)],
):
    """A task with its status and its timeline (planned, changed, reported, confirmed, ...)."""
    row = task_in_scope(conn, principal, task_id)
    return public_task(row, today()) | {"timeline": timeline(conn, task_id)}
