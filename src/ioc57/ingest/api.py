"""``/api/v1/ingest`` (push and batches) and ``/api/v1/sources``."""

from __future__ import annotations

import csv
import io
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from ioc57.core.access import Principal, authorize, current_principal, require
from ioc57.core.clock import local_iso, today
from ioc57.core.http import LongId, Offset, read_body, read_conn, write_conn
from ioc57.core.problems import Problem
from ioc57.ingest import sources as service
from ioc57.ingest.batches import Source
from ioc57.ingest.fileimport import ERRORS_HEADER, rejected_lines
from ioc57.ingest.gate import Gate
from ioc57.ingest.parsing import json_rows, ndjson_rows
from ioc57.ingest.tables import batches, rejections
from ioc57.ingest.tables import sources as sources_table
from ioc57.ingest.types import RECORD_TYPES

router = APIRouter(prefix="/api/v1", tags=["ingest"])

MAX_RECORDS = 10_000


def resolve_source(conn: Connection, principal: Principal, name: str | None) -> Any:
    """The source a request speaks for: a system token's own, or one an admin names."""
    if principal.is_source:
        row = service.source_of_user(conn, principal.id)
        if row is None:
            raise Problem(403, "This token belongs to no data source.")
        if name and name != row.name:
            raise Problem(403, f"This token speaks for source '{row.name}', not '{name}'.")
    else:
        if not name:
            raise Problem(
                422,
                "Name the source: ?source=NAME",
                errors=[{"loc": ["query", "source"], "msg": "required"}],
            )
        row = service.get_row(conn, name)
        if row is None:
            raise Problem(
                422,
                f"No source '{name}'.",
                errors=[{"loc": ["query", "source"], "msg": "unknown source"}],
            )
    if row.disabled:
        raise Problem(403, f"Source '{row.name}' is disabled.")
    return row


RECORDS_BODY = {  # read from the stream, so FastAPI cannot see it: documented here
    "required": True,
    "content": {
        "application/json": {"schema": {"type": "array", "items": {"type": "object"}}},
        "application/x-ndjson": {"schema": {"type": "string"}},
    },
}


@router.post(
    "/ingest/{record_type}", openapi_extra={"requestBody": RECORDS_BODY}, response_model=None
)
async def ingest_push(
    record_type: str,
    request: Request,
    principal: Annotated[Principal, Depends(current_principal)],
    source: Annotated[str | None, Query(max_length=60)] = None,
) -> dict[str, Any]:
    """Push a batch of records of any type: a JSON array or NDJSON, at most 10,000 records or
    10 MB. Each type has its own path too, whose body schema is that type's record."""
    return await push(record_type, request, principal, source)


async def push(
    record_type: str, request: Request, principal: Principal, source: str | None
) -> dict[str, Any]:
    """Take in a pushed batch of ``record_type`` records; the gate's answer."""
    authorize(principal, "ingest.push")
    if record_type not in RECORD_TYPES:
        raise Problem(
            404,
            f"No record type '{record_type}'; the types are {', '.join(RECORD_TYPES)}.",
            errors=[{"loc": ["path", "record_type"], "msg": "unknown record type"}],
        )
    engine = request.app.state.engine
    day = today()
    with engine.connect() as conn:
        row = resolve_source(conn, principal, source)
        src = service.as_source(conn, row, day)
    gate: Gate = request.app.state.gate
    gate.authorize(principal, src, record_type)  # refused before the body is read
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in ("application/json", "application/x-ndjson"):
        raise Problem(415, "Send application/json (an array) or application/x-ndjson.")
    body = await read_body(request)
    if content_type == "application/json":
        try:
            items = orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            await run_in_threadpool(_keep_rejected_payload, gate, src, body, content_type)
            raise Problem(400, f"The body is not JSON: {exc}") from None
        if not isinstance(items, list):
            await run_in_threadpool(_keep_rejected_payload, gate, src, body, content_type)
            raise Problem(400, "The body must be a JSON array of records.")
        count, rows = len(items), json_rows(items)
    else:
        lines = [line for line in body.splitlines() if line.strip()]
        count, rows = len(lines), ndjson_rows(lines)
    if count > MAX_RECORDS:
        await run_in_threadpool(_keep_rejected_payload, gate, src, body, content_type)
        raise Problem(
            413, f"A request carries at most {MAX_RECORDS} records; this one has {count}."
        )
    result = await run_in_threadpool(
        gate.ingest,
        src,
        record_type,
        rows,
        principal=principal,
        via="push",
        raw=iter([(body, content_type)]),
    )
    return result.answer()


def _keep_rejected_payload(gate: Gate, src: Source, body: bytes, content_type: str) -> None:
    with gate.engine.begin() as conn:
        gate.keep_raw(conn, src, None, body, content_type)


def _batch_item(row: Any) -> dict[str, Any]:
    item = dict(row._mapping)
    for key in ("started_at", "finished_at"):
        item[key] = local_iso(item[key])  # with its offset (SQLite keeps none)
    return item


@router.get("/ingest/batches", response_model=None)
def batches_list(
    principal: Annotated[Principal, Depends(require("ingest.read"))],
    conn: Annotated[Connection, Depends(read_conn)],
    source: Annotated[str | None, Query(max_length=60)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Batches, newest first, with their counts and their first rejected rows."""
    query = select(batches, sources_table.c.name.label("source")).join(
        sources_table, sources_table.c.id == batches.c.source_id
    )
    if principal.is_source:
        own = service.source_of_user(conn, principal.id)
        query = query.where(batches.c.source_id == (own.id if own else -1))
    if source:
        query = query.where(sources_table.c.name == source)
    total = conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    items = []
    for row in conn.execute(query.order_by(batches.c.id.desc()).limit(limit).offset(offset)):
        item = _batch_item(row)
        item.pop("source_id", None)
        item["errors"] = [
            {"index": e.row_index, "id": e.record_id, "errors": e.errors}
            for e in conn.execute(
                select(rejections)
                .where(rejections.c.batch_id == row.id)
                .order_by(rejections.c.row_index)
                .limit(20)
            )
        ]
        items.append(item)
    return {"items": items, "total": total}


@router.get(
    "/ingest/batches/{batch_id}/errors.csv",
    responses={
        200: {"description": "CSV", "content": {"text/csv": {"schema": {"type": "string"}}}}
    },
)
def batch_errors_csv(
    batch_id: LongId,
    principal: Annotated[Principal, Depends(require("ingest.read"))],
    conn: Annotated[Connection, Depends(read_conn)],
) -> Response:
    """Every rejected row of a batch with its reasons, as CSV."""
    batch = conn.execute(select(batches).where(batches.c.id == batch_id)).first()
    if batch is None:
        raise Problem(404, f"No batch {batch_id}.")
    if principal.is_source:
        own = service.source_of_user(conn, principal.id)
        if own is None or own.id != batch.source_id:
            raise Problem(403, "That batch belongs to another source.")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(ERRORS_HEADER)
    writer.writerows(rejected_lines(conn, batch_id))  # without private fields, safe cells
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="batch-{batch_id}-errors.csv"'},
    )


# -- sources -----------------------------------------------------------------------------------


class SourceIn(BaseModel):
    name: str = Field(min_length=2, max_length=40)
    title: str = Field(default="", max_length=200)
    types: list[str] = Field(min_length=1, max_length=5)
    units: list[Annotated[str, Field(max_length=40)]] = Field(min_length=1, max_length=200)
    trusted: bool = False
    simulated: bool = False
    pull_url: str | None = Field(default=None, max_length=1000)
    pull_type: str | None = None
    pull_format: str | None = None
    pull_interval_s: int | None = None


class SourceChange(BaseModel):
    title: str | None = Field(default=None, max_length=200)
    types: list[str] | None = Field(default=None, min_length=1, max_length=5)
    units: list[Annotated[str, Field(max_length=40)]] | None = Field(
        default=None, min_length=1, max_length=200
    )
    trusted: bool | None = None
    disabled: bool | None = None
    pull_url: str | None = Field(default=None, max_length=1000)
    pull_type: str | None = None
    pull_format: str | None = None
    pull_interval_s: int | None = None


@router.get("/sources", response_model=None)
def sources_list(
    _: Annotated[Principal, Depends(require("sources.read"))],
    conn: Annotated[Connection, Depends(read_conn)],
) -> dict[str, Any]:
    items = service.list_sources(conn)
    return {"items": items, "total": len(items)}


@router.post("/sources", status_code=201, response_model=None)
def sources_create(
    body: SourceIn,
    principal: Annotated[Principal, Depends(require("sources.write"))],
    conn: Annotated[Connection, Depends(write_conn)],
) -> dict[str, Any]:
    """Create a source; its token is in the answer, the only time it is shown."""
    item, token = service.create_source(
        conn, actor=principal.username, today=today(), **body.model_dump()
    )
    return item | {"token": token}


@router.get("/sources/{name}", response_model=None)
def sources_get(
    name: str,
    _: Annotated[Principal, Depends(require("sources.read"))],
    conn: Annotated[Connection, Depends(read_conn)],
) -> dict[str, Any]:
    row = service.get_row(conn, name)
    if row is None:
        raise Problem(404, f"No source '{name}'.")
    return service.public_source(row)


@router.patch("/sources/{name}", response_model=None)
def sources_change(
    name: str,
    body: SourceChange,
    principal: Annotated[Principal, Depends(require("sources.write"))],
    conn: Annotated[Connection, Depends(write_conn)],
) -> dict[str, Any]:
    return service.change_source(
        conn,
        actor=principal.username,
        name=name,
        today=today(),
        **body.model_dump(exclude_unset=True),
    )
