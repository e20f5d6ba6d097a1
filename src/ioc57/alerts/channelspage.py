"""The notification channels and what went out over them (``/alerts/channels``, those who
configure alerts): the channels (a webhook, email addresses) with which alerts each gets, the form
that adds one (a webhook's signing secret is shown once, on the page that answers its creation),
the button that removes one; the dead letters (notifications whose attempts ran out) with the
reason of their last failure and a button that sends one again; the latest deliveries.

The writes are the channels service's (``channels``): audited.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from pydantic import ValidationError

from ioc57.alerts import channels
from ioc57.alerts.pageforms import done, read_form, refused, written
from ioc57.alerts.pages import common
from ioc57.core.access import Principal
from ioc57.core.clock import now
from ioc57.core.http import Id
from ioc57.core.i18n import N_
from ioc57.core.pages import render, require_login
from ioc57.core.problems import Problem

router = APIRouter(include_in_schema=False)
Configurer = Annotated[Principal, Depends(require_login("alerts.configure"))]
SHOWN = 50  # dead letters, and latest deliveries
MATCHER_ROWS = 3
EMPTY = {"name": "", "kind": "webhook", "target": "", "min_severity": "warning", "matchers": []}


def _page(
    request: Request,
    values: dict[str, Any],
    status: int = 200,
    errors: dict[str, Any] | None = None,
    made: dict[str, Any] | None = None,
) -> HTMLResponse:
    with request.app.state.engine.connect() as conn:
        found = channels.list_channels(conn)
        dead = channels.list_deliveries(conn, status="dead", limit=SHOWN)
        latest = channels.list_deliveries(conn, limit=SHOWN)
    rows = list(values["matchers"]) + [{"name": "", "op": "=", "value": ""}] * MATCHER_ROWS
    return render(
        request,
        "channels.html",
        status_code=status,
        channels=found,
        dead=dead,
        latest=latest,
        values=values | {"matchers": rows[: max(MATCHER_ROWS, len(values["matchers"]))]},
        errors=errors or {"fields": {}, "detail": None},
        made=made,
        **common(request),
    )


@router.get("/alerts/channels")
def channels_page(request: Request, principal: Configurer) -> HTMLResponse:
    return _page(request, dict(EMPTY))


@router.post("/alerts/channels")
async def channel_create(request: Request, principal: Configurer):
    fields = await read_form(request, max_fields=MATCHER_ROWS * 3 + 6)
    matchers = []
    for i in range(MATCHER_ROWS):
        name = fields.get(f"m{i}_name", "").strip()
        if name:
            op, value = fields.get(f"m{i}_op", "="), fields.get(f"m{i}_value", "")
            matchers.append({"name": name, "op": op, "value": value})
    values = {
        "name": fields.get("name", "").strip(),
        "kind": fields.get("kind", ""),
        "target": fields.get("target", "").strip(),
        "min_severity": fields.get("min_severity", ""),
        "matchers": matchers,
    }
    try:
        body = channels.ChannelIn.model_validate(values)
        made = await written(
            request,
            lambda conn, address: channels.create_channel(
                conn, actor=principal.username, body=body
            ),
        )
    except (ValidationError, Problem) as exc:
        errors = refused(exc)
        if errors is None:
            raise
        return await run_in_threadpool(_page, request, values, 422, errors)
    if made.get("secret"):  # shown once, on this page: never in a redirect's session
        request.session["alerts.flash"] = N_("The channel is added.")
        return await run_in_threadpool(_page, request, dict(EMPTY), 200, None, made)
    return done(request, "/alerts/channels", N_("The channel is added."))


@router.post("/alerts/channels/{channel_id}/delete")
async def channel_delete(channel_id: Id, request: Request, principal: Configurer):
    await read_form(request, max_fields=2)
    await written(
        request,
        lambda conn, address: channels.delete_channel(
            conn, actor=principal.username, channel_id=channel_id
        ),
    )
    return done(request, "/alerts/channels", N_("The channel is removed."))


@router.post("/alerts/deliveries/{delivery_id}/replay")
async def delivery_replay(delivery_id: Id, request: Request, principal: Configurer):
    await read_form(request, max_fields=2)
    await written(
        request,
        lambda conn, address: channels.replay_delivery(
            conn, actor=principal.username, delivery_id=delivery_id, now=now()
        ),
    )
    return done(request, "/alerts/channels#dead", N_("The notification will be sent again."))
