"""One alert's page (``/alerts/{id}``): its rule, labels, unit, value against its threshold, and
its timeline: every state change, when, and who (an acknowledgement names its person and note;
the evaluator's changes name none)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from sqlalchemy.engine import Connection

from ioc57.alerts import pagereads
from ioc57.alerts.pages import Reader, common
from ioc57.core.http import Id, read_conn
from ioc57.core.pages import render
from ioc57.core.problems import Problem

router = APIRouter(include_in_schema=False)


def not_found(alert_id: int) -> Problem:
    return Problem(
        404, f"No alert {alert_id}.", errors=[{"loc": ["path", "alert_id"], "msg": "not found"}]
    )


@router.get("/alerts/{alert_id}")
def alert_page(
    alert_id: Id,
    request: Request,
    principal: Reader,
    conn: Annotated[Connection, Depends(read_conn)],
):
    alert = pagereads.alert_in_scope(conn, principal, alert_id)
    if alert is None:  # or outside the person's scope: the same answer, nothing told
        raise not_found(alert_id)
    steps = pagereads.alert_transitions(conn, alert_id)
    return render(request, "alert.html", alert=alert, steps=steps, **common(request))
