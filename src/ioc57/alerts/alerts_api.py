"""``/api/v1/alerts``, ``/api/v1/silences``, ``/api/v1/alert-inhibitions``: the alerts (scoped to
a person's unit), their transitions, the acknowledgement with a note, silences and inhibition
rules. Every write audited; an acknowledgement is announced on the event stream."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.engine import Connection

from ioc57.alerts import service
from ioc57.alerts.silences import (
    InhibitionIn,
    SilenceIn,
    create_silence,
    delete_inhibition,
    expire_silence,
    list_inhibitions,
    list_silences,
    save_inhibition,
)
from ioc57.core.access import Principal, authorize, current_principal, require
from ioc57.core.http import Id, Limit, Offset, client_address, read_conn, write_conn
from ioc57.core.problems import Problem

router = APIRouter(prefix="/api/v1", tags=["alerts"])

READ, RESPOND, CONFIGURE = "alerts.read", "alerts.respond", "alerts.configure"
StateName = Literal["normal", "pending", "firing", "resolved", "nodata", "error"]
Short = Annotated[str | None, Query(max_length=100)]


class AckIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: Annotated[str, Field(max_length=2000)] = ""


@router.get("/alerts")
def alerts_list(
    principal: Annotated[Principal, Depends(current_principal)],
    conn: Annotated[Connection, Depends(read_conn)],
    state: Annotated[list[StateName] | None, Query()] = None,
    severity: Literal["info", "warning", "critical"] | None = None,
    rule: Short = None,
    unit: Annotated[str | None, Query(max_length=40)] = None,
    limit: Limit = 100,
    offset: Offset = 0,
):
    """The alerts, the latest changed first (``state`` may repeat; none: all but normal), each
    with ``silenced`` and ``inhibited`` now; a person with a unit sees its subtree's."""
    return service.list_alerts(
        conn,
        principal,
        states=state or (),
        severity=severity,
        rule=rule,
        unit=unit,
        limit=limit,
        offset=offset,
    )


@router.get("/alerts/{alert_id}")
def alerts_get(
    alert_id: Id,
    principal: Annotated[Principal, Depends(current_principal)],
    conn: Annotated[Connection, Depends(read_conn)],
):
    return service.get_alert(conn, principal, alert_id)


@router.get("/alerts/{alert_id}/transitions")
def alerts_transitions(
    alert_id: Id,
    principal: Annotated[Principal, Depends(current_principal)],
    conn: Annotated[Connection, Depends(read_conn)],
):
    """Every state change of the alert and every acknowledgement (who, when), oldest first."""
    items = service.alert_transitions(conn, principal, alert_id)
    return {"items": items, "total": len(items)}


@router.post("/alerts/{alert_id}/ack")
def alerts_ack(
    alert_id: Id,
    body: AckIn,
    request: Request,
    principal: Annotated[Principal, Depends(current_principal)],
):
    """Acknowledge the alert with a note (kept until its next episode; audited)."""
    authorize(principal, RESPOND)
    with request.app.state.engine.begin() as conn:
        alert = service.acknowledge(
            conn, principal, alert_id, body.note, address=client_address(request)
        )
        unit_id = service.alert_row(conn, principal, alert_id).unit_id
    data = {k: alert[k] for k in ("id", "rule", "severity", "labels", "state", "value")}
    data |= {"from": alert["state"], "at": alert["acknowledged_at"], "acknowledged": True}
    request.app.state.alerts_evaluator.announce(data, unit_id)
    return alert


# -- silences ----------------------------------------------------------------------------------


@router.get("/silences")
def silences_list(
    principal: Annotated[Principal, Depends(require(READ))],
    conn: Annotated[Connection, Depends(read_conn)],
    expired: bool = False,
):
    """The silences in force and to come (``expired=true``: the ended ones too)."""
    items = list_silences(conn, principal, include_expired=expired)
    return {"items": items, "total": len(items)}


@router.post("/silences", status_code=201)
def silences_create(
    silence: SilenceIn,
    request: Request,
    principal: Annotated[Principal, Depends(require(RESPOND))],
    conn: Annotated[Connection, Depends(write_conn)],
):
    """Silence the alerts that match every matcher, from ``starts_at`` (default now; may be in
    the future) until ``ends_at``."""
    return create_silence(conn, principal, silence, address=client_address(request))


@router.delete("/silences/{silence_id}")
def silences_expire(
    silence_id: Id,
    request: Request,
    principal: Annotated[Principal, Depends(require(RESPOND))],
    conn: Annotated[Connection, Depends(write_conn)],
):
    """Expire a silence now; the silence as it is after."""
    return expire_silence(conn, principal, silence_id, address=client_address(request))


# -- inhibition rules --------------------------------------------------------------------------


@router.get("/alert-inhibitions")
def inhibitions_list(
    principal: Annotated[Principal, Depends(require(READ))],
    conn: Annotated[Connection, Depends(read_conn)],
):
    items = list_inhibitions(conn, principal)
    return {"items": items, "total": len(items)}


@router.post("/alert-inhibitions", responses={201: {"description": "Created"}})
def inhibitions_save(
    rule: InhibitionIn,
    request: Request,
    principal: Annotated[Principal, Depends(require(CONFIGURE))],
    conn: Annotated[Connection, Depends(write_conn)],
):
    """Create an inhibition rule (201), or replace the one of its name (200)."""
    view, new = save_inhibition(conn, principal, rule, address=client_address(request))
    return JSONResponse(view, status_code=201 if new else 200)


@router.delete("/alert-inhibitions/{name}", status_code=204)
def inhibitions_delete(
    name: Annotated[str, Path(min_length=1, max_length=100)],
    request: Request,
    principal: Annotated[Principal, Depends(require(CONFIGURE))],
    conn: Annotated[Connection, Depends(write_conn)],
) -> Response:
    if not delete_inhibition(conn, principal, name, address=client_address(request)):
        raise Problem(
            404,
            f"No inhibition rule is named {name!r}.",
            errors=[{"loc": ["path", "name"], "msg": "not found"}],
        )
    return Response(status_code=204)
