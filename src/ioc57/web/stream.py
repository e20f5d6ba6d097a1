"""``GET /api/v1/stream``: the event bus as Server-Sent Events, for live pages and scripts.

Every event on the app's bus (``ingest.batch`` after each committed chunk, and whatever other
modules announce) is sent as ``event: <type>`` with an ``id:`` and JSON ``data:``, to the streams
whose principal may see it: one without a unit sees all, one with a unit sees the events of its
subtree. ``?types=ingest.batch,...`` narrows the stream to those types. A comment line keeps the
connection alive every 15 seconds. The stream is live once its first line (``retry:``) arrives;
nothing is replayed after a reconnect (``Last-Event-ID`` is ignored), and a client that reads too
slowly is sent ``event: stream.gap`` with the number of events it missed.

On PostgreSQL the events of every ``ioc57 serve`` process on the same database reach every
stream (``core.relay``); on SQLite there is one process and the events stay in it.

An open stream re-checks its principal in the database (``accounts.auth.recheck``: session live,
token not revoked, user enabled with the same role and unit, source enabled) every
``IOC57_STREAM_RECHECK_S`` seconds while idle, and before a delivery when its last check is over
a second old; when the principal no longer counts it sends ``event: stream.end`` with the reason
and closes. Each process checks for its own streams, so a revocation made anywhere (another
process, the CLI) closes them all.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.exc import SQLAlchemyError
from sse_starlette import EventSourceResponse, ServerSentEvent

from ioc57.accounts.auth import recheck
from ioc57.core.access import Principal, authorize, current_principal
from ioc57.core.events import Event
from ioc57.core.problems import field_error
from ioc57.core.relay import Relay
from ioc57.core.stream import Hub, Message

router = APIRouter(prefix="/api/v1", tags=["stream"])

HEARTBEAT_S = 15
RETRY_MS = 3_000
TYPE_NAME = re.compile(r"[a-z][a-z0-9_.-]{0,59}")
MAX_TYPES = 20
DELIVERY_RECHECK_S = 1.0  # a busy stream checks its principal before delivery at most this often
_IDLE = object()


def attach(app: FastAPI) -> None:
    """Give ``app`` a hub fed by its bus, and on PostgreSQL a relay to the other processes."""
    hub = Hub()
    engine = app.state.engine
    relay = Relay(engine, hub) if engine.dialect.name == "postgresql" else None

    def forward(event: Event) -> None:
        message = hub.publish(event)
        if relay is not None:
            relay.send(message)

    app.state.bus.subscribe("*", forward)
    app.state.hub = hub
    app.state.relay = relay


@asynccontextmanager
async def running(app: FastAPI) -> AsyncIterator[None]:
    """For the app's lifespan: listen to the other processes while the app runs."""
    relay: Relay | None = app.state.relay
    if relay is not None:
        await run_in_threadpool(relay.start)
    try:
        yield
    finally:
        app.state.hub.close()
        if relay is not None:
            await run_in_threadpool(relay.stop)


def _types(raw: str | None) -> frozenset[str] | None:
    if not raw:
        return None
    names = {part.strip() for part in raw.split(",") if part.strip()}
    bad = sorted(n for n in names if not TYPE_NAME.fullmatch(n))
    if bad:
        raise field_error("query.types", f"not an event type: {', '.join(bad)}")
    if len(names) > MAX_TYPES:
        raise field_error("query.types", f"at most {MAX_TYPES} types")
    return frozenset(names) or None


async def _events(app: FastAPI, types: frozenset[str] | None, principal: Principal):
    hub: Hub = app.state.hub
    every = float(app.state.settings.stream_recheck_s)
    sub = hub.subscribe(types, principal.unit_id)
    checked = time.monotonic()
    getter: asyncio.Future[Message | None] | None = None
    try:
        yield ServerSentEvent(comment="ioc57 live stream", retry=RETRY_MS)
        while True:
            if getter is None:
                getter = asyncio.ensure_future(sub.get())
            wait = max(0.0, checked + every - time.monotonic())
            done, _ = await asyncio.wait({getter}, timeout=wait)
            message = _IDLE
            if done:
                message, getter = getter.result(), None
            if message is None:
                return
            since = time.monotonic() - checked
            if since >= every or (message is not _IDLE and since >= DELIVERY_RECHECK_S):
                try:
                    why = await run_in_threadpool(recheck, app, principal)
                except SQLAlchemyError:  # no way to tell: end it, the client reconnects
                    why = "the reader could not be checked; reconnect"
                checked = time.monotonic()
                if why:
                    yield ServerSentEvent(
                        data=orjson.dumps({"reason": why}).decode(), event="stream.end"
                    )
                    return
            if not isinstance(message, Message):  # idle
                continue
            dropped = sub.take_dropped()
            if dropped:
                yield ServerSentEvent(
                    data=orjson.dumps({"dropped": dropped}).decode(), event="stream.gap"
                )
            yield ServerSentEvent(
                data=orjson.dumps(message.data, default=str).decode(),
                event=message.type,
                id=message.id,
            )
    finally:
        if getter is not None:
            getter.cancel()
        hub.unsubscribe(sub)


STREAM_DOC: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Server-Sent Events: `event: <type>`, `id:`, JSON `data:`",
        "content": {"text/event-stream": {"schema": {"type": "string"}}},
    }
}


@router.get("/stream", response_class=EventSourceResponse, responses=STREAM_DOC)
async def stream(
    request: Request,
    principal: Annotated[Principal, Depends(current_principal)],
    types: Annotated[str | None, Query(max_length=1_000)] = None,
):
    """Live events as ``text/event-stream``, within the caller's units."""
    authorize(principal, "stream.read")
    return EventSourceResponse(
        _events(request.app, _types(types), principal),
        ping=HEARTBEAT_S,
        headers={"Cache-Control": "no-store"},
    )
