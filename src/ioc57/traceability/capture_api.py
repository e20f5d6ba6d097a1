"""The EPCIS 2.0 capture interface: ``POST /epcis/capture`` (a document), ``POST /epcis/events``
(one event), and the capture jobs (``GET /epcis/capture``, ``GET /epcis/capture/{captureID}``).

The caller is a source's system token (its own source) or a person with ``traceability.write``
(a token, or a session: the people-entry source, ``ingest.entry``); the gate decides the rest
(``capture``). A session's write needs no CSRF token here: the body must be sent as
``application/json`` or ``application/ld+json``, which no page of another site can send without
the browser asking this one first (no cross-origin request is allowed). Errors are the standard's
exceptions as problem details (``type: epcisException:…``); every answer carries the standard's
``GS1-EPCIS-Version`` and ``GS1-CBV-Version`` headers and the capture limits.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Header, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from sqlalchemy.engine import Connection

from ioc57.core.access import Principal, authorize, current_principal
from ioc57.core.clock import today
from ioc57.core.http import MAX_BODY_BYTES, MAX_LONG_ID, read_body, read_conn
from ioc57.core.problems import PROBLEM_JSON, Problem
from ioc57.ingest.batches import BatchResult, Source
from ioc57.ingest.entry import entry_source
from ioc57.ingest.gate import Gate
from ioc57.ingest.sources import as_source, source_of_user
from ioc57.ingest.tables import batches
from ioc57.traceability.capture import (
    MAX_EVENTS,
    PROCEED,
    ROLLBACK,
    TOO_MANY,
    VALIDATION,
    DocumentError,
    capture,
    event_rows,
    read_document,
    read_event,
)
from ioc57.traceability.capture_jobs import job, jobs_query
from ioc57.traceability.records import EVENT

router = APIRouter(prefix="/epcis", tags=["traceability"])

WRITE = "traceability.write"
MEDIA = ("application/json", "application/ld+json")
GS1_HEADERS = {
    "GS1-EPCIS-Version": "2.0.0",
    "GS1-CBV-Version": "2.0.0",
    "GS1-EPCIS-Capture-Limit": str(MAX_EVENTS),
    "GS1-EPCIS-Capture-File-Size-Limit": str(MAX_BODY_BYTES),
}
TITLES = {
    VALIDATION: "Invalid EPCIS document",
    TOO_MANY: "Capture limit exceeded",
}
DOCUMENT_BODY = {  # read as bytes, so FastAPI cannot see it: documented here
    "required": True,
    "content": {media: {"schema": {"type": "object"}} for media in MEDIA},
}
Behaviour = Annotated[str | None, Header(alias="GS1-Capture-Error-Behaviour", max_length=20)]


def epcis_error(
    request: Request,
    status: int,
    kind: str,
    detail: str,
    errors: list[dict[str, Any]] | None = None,
    **extra: Any,
) -> JSONResponse:
    """The standard's exception ``kind`` as problem details."""
    body: dict[str, Any] = {
        "type": f"epcisException:{kind}",
        "title": TITLES.get(kind, "Error"),
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        **extra,
    }
    if errors:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=GS1_HEADERS)


def caller_source(conn: Connection, principal: Principal) -> Source:
    """The source a caller captures as: a system token's own, a person's the people-entry one."""
    if not principal.is_source:
        authorize(principal, WRITE)
        return entry_source(conn)
    row = source_of_user(conn, principal.id)
    if row is None:
        raise Problem(403, "This token belongs to no data source.")
    if row.disabled:
        raise Problem(403, f"Source '{row.name}' is disabled.")
    return as_source(conn, row, today())


def jobs_of(principal: Principal, conn: Connection) -> tuple[int | None, str | None]:
    """Whose capture jobs a caller reads: (source id, writer), None for any."""
    if principal.is_source:
        row = source_of_user(conn, principal.id)
        return (row.id if row is not None else -1), None
    authorize(principal, WRITE)
    return None, principal.username  # every batch of the gate: /api/v1/ingest/batches


async def _received(request: Request, principal: Principal) -> tuple[Gate, Source, bytes, str]:
    """The gate, the caller's source (allowed to send events) and the body with its media type."""
    gate: Gate = request.app.state.gate
    with gate.engine.connect() as conn:
        source = caller_source(conn, principal)
    gate.authorize(principal, source, EVENT.name)  # refused before the body is read
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media not in MEDIA:
        raise Problem(415, "Send application/json or application/ld+json.", headers=GS1_HEADERS)
    return gate, source, await read_body(request), media


def _keep_payload(gate: Gate, source: Source, body: bytes, media: str) -> None:
    with gate.engine.begin() as conn:
        gate.keep_raw(conn, source, None, body, media)


def _capture(
    gate: Gate,
    source: Source,
    principal: Principal,
    events: list[Any],
    context: Any,
    behaviour: str,
    raw: tuple[bytes, str],
) -> tuple[BatchResult, list[tuple[int, Any]]]:
    with gate.engine.connect() as conn:
        rows = event_rows(conn, gate, events, context)
    return capture(gate, source, principal, rows, behaviour=behaviour, raw=raw), rows


def _refused(request: Request, exc: DocumentError) -> JSONResponse:
    loc = exc.loc or ["body"]
    return epcis_error(request, exc.status, exc.kind, exc.detail, [{"loc": loc, "msg": exc.detail}])


async def _document(
    request: Request, principal: Principal, one: bool
) -> tuple[Gate, Source, list[Any], Any, tuple[bytes, str]] | JSONResponse:
    """What a capture request sends, or the answer that refuses it whole."""
    try:
        gate, source, body, media = await _received(request, principal)
    except Problem as problem:
        if problem.status != 413:
            raise
        return epcis_error(request, 413, TOO_MANY, problem.detail)
    try:
        events, context = ([read_event(body)], None) if one else read_document(body)
    except DocumentError as exc:
        await run_in_threadpool(_keep_payload, gate, source, body, media)
        return _refused(request, exc)
    return gate, source, events, context, (body, media)


@router.post(
    "/capture",
    status_code=202,
    openapi_extra={"requestBody": DOCUMENT_BODY},
    responses={202: {"description": "Captured: the capture job, its Location in the header"}},
    response_model=None,
)
async def capture_post(
    request: Request,
    principal: Annotated[Principal, Depends(current_principal)],
    behaviour: Behaviour = None,
) -> JSONResponse:
    """Capture an EPCISDocument (JSON or JSON-LD, at most 10,000 events or 10 MB). The good
    events are kept and the bad ones reported (``GS1-Capture-Error-Behaviour: proceed``, this
    project's default); ``rollback`` stores nothing when any event is invalid."""
    mode = (behaviour or PROCEED).strip().lower()
    if mode not in (PROCEED, ROLLBACK):
        errors = [{"loc": ["header", "GS1-Capture-Error-Behaviour"], "msg": "rollback or proceed"}]
        detail = "GS1-Capture-Error-Behaviour: rollback or proceed"
        return epcis_error(request, 400, VALIDATION, detail, errors)
    sent = await _document(request, principal, one=False)
    if isinstance(sent, JSONResponse):
        return sent
    gate, source, events, context, raw = sent
    result, _rows = await run_in_threadpool(
        _capture, gate, source, principal, events, context, mode, raw
    )
    with gate.engine.connect() as conn:
        row = conn.execute(jobs_query(None, None).where(batches.c.id == result.batch)).one()
        body = job(conn, row)
    location = f"/epcis/capture/{result.batch}"
    return JSONResponse(body, status_code=202, headers={**GS1_HEADERS, "Location": location})


@router.post(
    "/events",
    status_code=201,
    openapi_extra={"requestBody": DOCUMENT_BODY},
    responses={201: {"description": "Captured: the event's id, its Location in the header"}},
    response_model=None,
)
async def event_post(
    request: Request, principal: Annotated[Principal, Depends(current_principal)]
) -> JSONResponse:
    """Capture one event (an EPCIS 2.0 event as a JSON object, with its own ``@context`` if it
    uses namespaces of its own): 201 with its id, or 400 naming the field at fault."""
    sent = await _document(request, principal, one=True)
    if isinstance(sent, JSONResponse):
        return sent
    gate, source, events, context, raw = sent
    result, rows = await run_in_threadpool(
        _capture, gate, source, principal, events, context, PROCEED, raw
    )
    if result.rejected:
        errors = result.rejected[0]["errors"]
        said = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors)
        return epcis_error(
            request, 400, VALIDATION, said or "Invalid event", errors, captureID=str(result.batch)
        )
    event_id = EVENT.model.model_validate(rows[0][1]).id
    assert event_id is not None  # its eventID, or its hash
    body = {"eventID": event_id, "captureID": str(result.batch)}
    location = f"/epcis/events/{quote(event_id, safe='')}"
    return JSONResponse(body, status_code=201, headers={**GS1_HEADERS, "Location": location})


@router.get("/capture", response_model=None)
def capture_jobs(
    principal: Annotated[Principal, Depends(current_principal)],
    conn: Annotated[Connection, Depends(read_conn)],
    perPage: Annotated[int, Query(ge=1, le=100)] = 30,  # noqa: N803  (the standard's name)
    nextPageToken: Annotated[str | None, Query(pattern=r"^\d{1,18}$")] = None,  # noqa: N803
) -> JSONResponse:
    """The caller's capture jobs, newest first (a source's: its own; a person's: those they
    sent); ``nextPageToken`` from the ``Link: rel="next"`` header."""
    source_id, actor = jobs_of(principal, conn)
    query = jobs_query(source_id, actor)
    if nextPageToken is not None:
        query = query.where(batches.c.id < int(nextPageToken))
    rows = conn.execute(query.order_by(batches.c.id.desc()).limit(perPage + 1)).all()
    items = [job(conn, row, limit=20) for row in rows[:perPage]]
    headers = dict(GS1_HEADERS)
    if len(rows) > perPage:
        after = rows[perPage - 1].id
        headers["Link"] = f'</epcis/capture?perPage={perPage}&nextPageToken={after}>; rel="next"'
    return JSONResponse(items, headers=headers)


@router.get("/capture/{captureID}", response_model=None)
def capture_job(
    captureID: Annotated[str, Path(max_length=20)],  # noqa: N803  (the standard's name)
    principal: Annotated[Principal, Depends(current_principal)],
    conn: Annotated[Connection, Depends(read_conn)],
) -> JSONResponse:
    """One capture job of the caller's, with every rejected event (up to 1,000)."""
    source_id, actor = jobs_of(principal, conn)
    row = None
    if captureID.isdigit() and 0 < int(captureID) <= MAX_LONG_ID:
        query = jobs_query(source_id, actor).where(batches.c.id == int(captureID))
        row = conn.execute(query).first()
    if row is None:
        raise Problem(
            404,
            f"No capture job {captureID} of yours.",
            errors=[{"loc": ["path", "captureID"], "msg": "no such capture job"}],
            headers=GS1_HEADERS,
        )
    return JSONResponse(job(conn, row), headers=GS1_HEADERS)
