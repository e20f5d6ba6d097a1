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
from sqlalchemy import select
from sqlalchemy.engine import Connection

from ioc57.alerts import labels, pagereads
from ioc57.alerts.tables import rules
from ioc57.core.access import Principal
from ioc57.core.http import MAX_OFFSET, read_conn
from ioc57.core.i18n import moment, number
from ioc57.core.pages import link, page_lang, pager, render, require_login

router = APIRouter(include_in_schema=False)
Reader = Annotated[Principal, Depends(require_login("alerts.read"))]
PAGE = 50
FLASH = "alerts.flash"  # the session's key of the message a redirect carries
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
