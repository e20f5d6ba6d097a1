"""Records people send through a module's own API (a task, a station): the JSON body, one object
or an array, goes through the gate as the people-entry source with the person as principal, and a
rejected object is answered with a 422 that names its fields."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import Request
from fastapi.concurrency import run_in_threadpool

from ioc57.core.access import Principal
from ioc57.core.http import read_body
from ioc57.core.problems import Problem
from ioc57.ingest.batches import BatchResult, Source
from ioc57.ingest.entry import entry_source
from ioc57.ingest.parsing import json_rows
from ioc57.ingest.types import RecordType


async def push_entered(
    request: Request, principal: Principal, rtype: RecordType[Any], max_rows: int
) -> tuple[Source, BatchResult, dict[str, Any] | None]:
    """Send the body's records through the gate: the source, the batch's result, and the one
    object sent (None for an array). The caller has checked the person may write them."""
    try:
        body = orjson.loads(await read_body(request))
    except orjson.JSONDecodeError:
        raise Problem(400, "The body is not JSON.") from None
    if not isinstance(body, dict | list):
        raise Problem(400, "The body must be a JSON object or an array of them.")
    items = [body] if isinstance(body, dict) else body
    if len(items) > max_rows:
        raise Problem(413, f"At most {max_rows} records per request.")
    gate = request.app.state.gate
    with gate.engine.connect() as conn:
        source = entry_source(conn)
    result = await run_in_threadpool(
        gate.ingest, source, rtype.name, json_rows(items), principal=principal, via="push"
    )
    return source, result, body if isinstance(body, dict) else None


def refused(report: dict[str, Any]) -> Problem:
    """The 422 of one rejected row, naming its fields."""
    errors = report["errors"]
    said = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors)
    return Problem(422, said or "The record was rejected.", errors=errors)
