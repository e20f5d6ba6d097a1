"""EPCIS 2.0's query interface over REST (``/epcis/events``, ``/epcis/epcs/{epc}/events``,
``/epcis/eventTypes``) and the trace of a lot (``/api/v1/traceability/trace``).

The EPCIS routes read their parameters themselves, as the standard names them (``GE_eventTime``,
``MATCH_epc``, ...): an unknown parameter or a value that cannot be read is the standard's
``QueryParameterException`` (400, naming the parameter), not a framework's validation error. A
page's ``nextPageToken`` is the position the next page starts after (``keyset``), bound to the
query's parameters and signed with the app's secret, so that a client cannot hand-make one or
carry it over to another query. Staff read with ``traceability.read``; a person with a unit reads
the events of that unit's subtree (``query.readable``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Sequence
from typing import Annotated, Any, Literal
from urllib.parse import unquote

import orjson
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from sqlalchemy import ColumnElement
from sqlalchemy.engine import Connection

from ioc57.core.access import Principal, authorize, optional_principal
from ioc57.core.clock import now
from ioc57.core.http import read_conn
from ioc57.core.problems import PROBLEM_JSON
from ioc57.traceability import query, trace
from ioc57.traceability.epc import canonical
from ioc57.traceability.keyset import Position
from ioc57.traceability.tables import events
from ioc57.traceability.vocab import EVENT_TYPES

router = APIRouter(tags=["traceability"])

READ = "traceability.read"
CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
VERSIONS = {"GS1-EPCIS-Version": "2.0.0", "GS1-CBV-Version": "2.0.0"}
# the query parameters, documented (each is read by ``query.parse``, not by the framework)
PARAMETERS = [
    {"name": name, "in": "query", "required": False, "schema": {"type": "string"}}
    for name in sorted(query.PARAMETERS)
]
PROBLEM = {"$ref": "#/components/schemas/Problem"}
QUERY_ERROR: dict[int | str, dict[str, Any]] = {
    400: {
        "description": "epcisException:QueryParameterException: the parameter at fault named",
        "content": {PROBLEM_JSON: {"schema": PROBLEM}},
    }
}
Reader = Annotated[Principal | None, Depends(optional_principal)]
Conn = Annotated[Connection, Depends(read_conn)]


def epcis_exception(request: Request, name: str, message: str) -> JSONResponse:
    """The standard's QueryParameterException as problem details, naming the parameter."""
    body = {
        "type": "epcisException:QueryParameterException",
        "title": "Query parameter exception",
        "status": 400,
        "detail": f"{name}: {message}",
        "instance": request.url.path,
        "errors": [{"loc": ["query", name], "msg": message}],
    }
    return JSONResponse(body, status_code=400, media_type=PROBLEM_JSON, headers=VERSIONS)


def _digest(params: Sequence[tuple[str, str]]) -> str:
    """What a page token is bound to: the query's parameters, paging aside."""
    kept = sorted((k, v) for k, v in params if k not in query.PAGING)
    return hashlib.sha256(orjson.dumps(kept)).hexdigest()[:16]


def _mac(secret: str, payload: str) -> str:
    return hmac.new(secret.encode(), payload.encode(), hashlib.sha256).hexdigest()[:24]


def page_token(secret: str, after: Position, params: Sequence[tuple[str, str]]) -> str:
    payload = orjson.dumps([after[0], after[1], _digest(params)]).decode()
    raw = orjson.dumps([payload, _mac(secret, payload)])
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def token_after(secret: str, token: str, params: Sequence[tuple[str, str]]) -> Position:
    """Where a page token's page starts after; QueryParameterError for a token this server did
    not give for this query."""
    try:
        payload, mac = orjson.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        if hmac.compare_digest(str(mac), _mac(secret, str(payload))):
            at, key, digest = orjson.loads(payload)
            if digest == _digest(params):
                return (at, int(key))
    except (ValueError, TypeError):  # not base64, not JSON, not the parts of a token
        pass
    raise query.QueryParameterError("nextPageToken", "is not a token of this query")


def query_document(found: list[dict[str, Any]]) -> dict[str, Any]:
    """An EPCISQueryDocument holding ``found`` (their own contexts named at the top too)."""
    context: list[Any] = [CONTEXT]
    for event in found:
        extra = event.get("@context")
        for item in extra if isinstance(extra, list) else [extra] if extra else []:
            if item not in context:
                context.append(item)
    return {
        "@context": context,
        "type": "EPCISQueryDocument",
        "schemaVersion": "2.0",
        "creationDate": now().isoformat().replace("+00:00", "Z"),
        "epcisBody": {
            "queryResults": {
                "queryName": "SimpleEventQuery",
                "resultsBody": {"eventList": found},
            }
        },
    }


def answer_query(
    request: Request,
    conn: Connection,
    principal: Principal | None,
    fixed: Sequence[ColumnElement[bool]] = (),
) -> JSONResponse:
    """The page of events a SimpleEventQuery asks for (its parameters in the request's query
    string, ``fixed`` conditions of the path), with the link to the next page."""
    authorize(principal, READ)
    params = request.query_params.multi_items()
    secret = request.app.state.settings.secret_key
    try:
        asked = query.parse(params)
        after = token_after(secret, asked.page_token, params) if asked.page_token else None
    except query.QueryParameterError as exc:
        return epcis_exception(request, exc.name, exc.message)
    where = [*query.conditions(asked.query), *fixed, *query.readable(conn, principal)]
    page = query.find(conn, where, order=asked.order, after=after, limit=asked.per_page)
    headers = dict(VERSIONS)
    if page.after is not None:
        token = page_token(secret, page.after, params)
        headers["Link"] = f'<{request.url.include_query_params(nextPageToken=token)}>; rel="next"'
    return JSONResponse(query_document(page.events), headers=headers)


@router.get("/epcis/events", openapi_extra={"parameters": PARAMETERS}, responses=QUERY_ERROR)
def epcis_events(request: Request, conn: Conn, principal: Reader) -> JSONResponse:
    """SimpleEventQuery: the events that meet every parameter sent (``eventType``,
    ``GE_eventTime``, ``EQ_bizStep``, ``MATCH_epc``, ...; a list as values separated by commas),
    ``perPage`` of them (at most 1000), the next page linked (``Link: <…>; rel="next"``)."""
    return answer_query(request, conn, principal)


@router.get("/epcis/eventTypes")
def epcis_event_types(principal: Reader) -> JSONResponse:
    """The event types this repository holds and answers queries on."""
    authorize(principal, READ)
    body = {"@context": CONTEXT, "type": "Collection", "member": list(EVENT_TYPES)}
    return JSONResponse(body, headers=VERSIONS)


@router.get(
    "/epcis/eventTypes/{event_type}/events",
    openapi_extra={"parameters": PARAMETERS},
    responses=QUERY_ERROR,
)
def epcis_events_of_type(
    event_type: Literal[EVENT_TYPES],  # type: ignore[valid-type]
    request: Request,
    conn: Conn,
    principal: Reader,
) -> JSONResponse:
    """The events of one type, the query's other parameters as ``/epcis/events`` takes them."""
    return answer_query(request, conn, principal, [events.c.type == event_type])


@router.get(
    "/epcis/epcs/{epc}/events",
    openapi_extra={"parameters": PARAMETERS},
    responses=QUERY_ERROR,
)
def epcis_events_of_epc(request: Request, epc: str, conn: Conn, principal: Reader) -> JSONResponse:
    """The events that name an EPC in any role: in their list of EPCs, as a parent or child, an
    input or output, or as a class. A URN as it is; a GS1 Digital Link URI percent-encoded twice
    (the server decodes a path once before it routes it, and a Digital Link holds slashes), or
    sent as ``/epcis/events?MATCH_anyEPC=…`` (``MATCH_anyEPCClass`` for a lot)."""
    epc = unquote(epc)
    if not epc or len(epc) > 300:
        return epcis_exception(request, "epc", "must be an identifier of 1 to 300 characters")
    named = events.c.id.in_(query.naming([canonical(epc)]))
    return answer_query(request, conn, principal, [named])


@router.get("/api/v1/traceability/trace")
def trace_get(
    conn: Conn,
    principal: Reader,
    epc: Annotated[str, Query(min_length=1, max_length=300)],
    direction: Literal["backward", "forward"] = "backward",
    depth: Annotated[int, Query(ge=1, le=trace.MAX_DEPTH)] = trace.MAX_DEPTH,
) -> dict[str, Any]:
    """The trace of an identifier (a lot's Digital Link or URN): ``backward``, what went into
    it; ``forward``, where it went; through transformations, aggregations and associations.
    Each identifier reached comes with its depth, and each link with the event that makes it."""
    authorize(principal, READ)
    where = query.readable(conn, principal)
    return trace.walk(conn, epc, direction, where=where, max_depth=depth).as_json()
