"""``/api/v1/alert-channels`` and ``/api/v1/alert-deliveries``: where notifications go, and what
was delivered (the dead letters, and their replay). All of it is ``alerts.configure``: a channel's
target names addresses and URLs."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Response
from sqlalchemy.engine import Connection

from ioc57.alerts import channels
from ioc57.core.access import Principal, require
from ioc57.core.clock import now
from ioc57.core.http import Id, Limit, Offset, read_conn, write_conn

router = APIRouter(prefix="/api/v1", tags=["alerts"])
Configurer = Annotated[Principal, Depends(require("alerts.configure"))]


@router.get("/alert-channels", response_model=None)
def channels_list(_: Configurer, conn: Annotated[Connection, Depends(read_conn)]) -> dict[str, Any]:
    items = channels.list_channels(conn)
    return {"items": items, "total": len(items)}


@router.post("/alert-channels", status_code=201, response_model=None)
def channels_create(
    body: channels.ChannelIn,
    principal: Configurer,
    conn: Annotated[Connection, Depends(write_conn)],
) -> dict[str, Any]:
    """Add a channel: ``kind`` webhook (``target`` a URL; ``secret`` its HMAC key, made when not
    given and shown only in this answer) or email (``target`` addresses, comma-separated);
    ``matchers`` and ``min_severity`` choose the alerts it gets."""
    return channels.create_channel(conn, actor=principal.username, body=body)


@router.delete("/alert-channels/{channel_id}", status_code=204)
def channels_delete(
    channel_id: Id, principal: Configurer, conn: Annotated[Connection, Depends(write_conn)]
) -> Response:
    channels.delete_channel(conn, actor=principal.username, channel_id=channel_id)
    return Response(status_code=204)


@router.get("/alert-deliveries", response_model=None)
def deliveries_list(
    _: Configurer,
    conn: Annotated[Connection, Depends(read_conn)],
    status: Literal["pending", "sent", "dead"] | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Deliveries, the newest first; ``status=dead``: the dead letters."""
    return channels.list_deliveries(conn, status=status, limit=limit, offset=offset)


@router.post("/alert-deliveries/{delivery_id}/replay", response_model=None)
def deliveries_replay(
    delivery_id: Id, principal: Configurer, conn: Annotated[Connection, Depends(write_conn)]
) -> dict[str, Any]:
    """Send a dead letter again (its attempts counted anew)."""
    return channels.replay_delivery(
        conn, actor=principal.username, delivery_id=delivery_id, now=now()
    )
