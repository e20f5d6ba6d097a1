"""The alerts, live (``/alerts``): those a person may see, the most severe first, filtered by
state, severity and rule; each with how long it has been so, its value against its threshold, its
unit by name, its labels, who acknowledged it and why; the forms of those who respond: acknowledge
with a note, and "silence alerts like this one" (the silences page, its matchers filled in).

The list reads itself again when the event stream says an alert changed (``alerts.js``, through
the stream the navigation's bell already holds open), leaving alone a form a person is filling.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import select
from sqlalchemy.engine import Connection

from ioc57.alerts import labels, pagereads, service
from ioc57.alerts.pageforms import FLASH, done, read_form, written
from ioc57.alerts.tables import rules
from ioc57.core.access import Principal
from ioc57.core.http import MAX_OFFSET, Id, read_conn
from ioc57.core.i18n import N_, moment, number
from ioc57.core.pages import link, page_lang, pager, render, require_login

router = APIRouter(include_in_schema=False)
Reader = Annotated[Principal, Depends(require_login("alerts.read"))]
Responder = Annotated[Principal, Depends(require_login("alerts.respond"))]
PAGE = 50
StateChoice = Literal[("", "all", *labels.STATES)]  # type: ignore[valid-type]
SeverityChoice = Literal[("", *labels.SEVERITIES)]  # type: ignore[valid-type]
RuleName = Annotated[str | None, Query(max_length=100)]
PageNumber = Annotated[int, Query(ge=1, le=MAX_OFFSET // PAGE)]


def common(request: Request) -> dict[str, Any]:
    """What every alerts page hands its template: how it writes figures and times, the codes'
    words, and the message a redirect left."""
    return {
        "num": number(page_lang(request)),
        "when": moment,
        "labels": labels,
        "flash": request.session.pop(FLASH, None),
    }


def rule_names(conn: Connection) -> list[tuple[str, str]]:
    """(name, title) of every rule, for the filter."""
    query = select(rules.c.name, rules.c.title).order_by(rules.c.name)
    return [(r.name, r.title) for r in conn.execute(query)]


@router.get("/alerts")
def alerts_page(
    request: Request,
    principal: Reader,
    conn: Annotated[Connection, Depends(read_conn)],
    state: StateChoice = "",
    severity: SeverityChoice = "",
    rule: RuleName = None,
    page: PageNumber = 1,
):
    states = pagereads.OPEN if state == "" else tuple(labels.STATES) if state == "all" else (state,)
    items, total = pagereads.list_alerts(
        conn, principal, states, severity or None, rule or None, PAGE, (page - 1) * PAGE
    )
    chosen = {"state": state, "severity": severity, "rule": rule or ""}
    return render(
        request,
        "alerts.html",
        items=items,
        total=total,
        chosen=chosen,
        rules=rule_names(conn),
        simulated=any(i["simulated"] for i in items),
        pager=pager(request, page, total, PAGE),
        href=lambda **kw: link("/alerts", **(chosen | kw)),
        **common(request),
    )


def announce(request: Request, alert: dict[str, Any], unit_id: int | None) -> None:
    """Tell the live pages (the bells, the lists) that a person changed an alert, as the API
    does: the evaluator's ``alerts.changed`` (none on an app that runs no evaluator)."""
    evaluator = getattr(request.app.state, "alerts_evaluator", None)
    if evaluator is None:
        return
    data = {k: alert[k] for k in ("id", "rule", "severity", "labels", "state", "value")}
    data |= {"from": alert["state"], "at": alert["acknowledged_at"], "acknowledged": True}
    evaluator.announce(data, unit_id)


def back_to(fields: dict[str, str], alert_id: int) -> str:
    """Where the form came from: the list (with its filters) or the alert's page."""
    back = fields.get("back", "")
    if back.startswith("/alerts") and not back.startswith("//"):
        return back
    return f"/alerts/{alert_id}"


@router.post("/alerts/{alert_id}/ack")
async def ack_form(alert_id: Id, request: Request, principal: Responder):
    """Acknowledge with a note (audited, a transition naming the person); back where it came."""
    await run_in_threadpool(_readable, request, principal, alert_id)
    fields = await read_form(request, max_fields=4)
    note = fields.get("note", "").strip()[:2000]

    def write(conn: Connection, address: str) -> tuple[dict[str, Any], int | None]:
        alert = service.acknowledge(conn, principal, alert_id, note, address=address)
        return alert, service.alert_row(conn, principal, alert_id).unit_id

    alert, unit_id = await written(request, write)
    announce(request, alert, unit_id)
    return done(request, back_to(fields, alert_id), N_("The alert is acknowledged."))


def _readable(request: Request, principal: Principal, alert_id: int) -> None:
    """404 for an alert the person may not see, before its form is read."""
    with request.app.state.engine.connect() as conn:
        service.alert_row(conn, principal, alert_id, "alerts.respond")
