"""The daily brief's page (``/brief``): pick a day (today by default), read the brief of the
person's scope, download it as DOCX or PDF; subscribe to it by email or stop (audited); the
briefs sent to the person lately."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ioc57.centre import brief as content
from ioc57.centre import brief_subscription as subscription
from ioc57.centre.brief_api import parse_day
from ioc57.centre.shown import local_time
from ioc57.core.access import Principal, check_csrf
from ioc57.core.clock import now, stored_utc, today
from ioc57.core.http import client_address
from ioc57.core.i18n import N_
from ioc57.core.i18n import day as day_text
from ioc57.core.pages import page_lang, render, require_login
from ioc57.core.problems import Problem

router = APIRouter(include_in_schema=False)
PATH = "/brief"
Briefer = Annotated[Principal, Depends(require_login("centre.brief"))]
BAD_DAY = N_("Choose a day up to today; the brief of today is shown.")


def _deliveries(rows: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            "day": day_text(r.day),
            "sent": local_time(stored_utc(r.sent_at)) if r.sent_at else None,
            "error": r.error,
        }
        for r in rows
    ]


@router.get(PATH, response_class=HTMLResponse)
def brief_page(request: Request, principal: Briefer, day: str | None = None) -> HTMLResponse:
    lang = page_lang(request)
    error = None
    try:
        chosen = parse_day(day) if day else today()
    except Problem:
        chosen, error = today(), BAD_DAY
    with request.app.state.engine.connect() as conn:
        made = content.make(conn, principal, chosen, now(), lang)
        email = subscription.email_of(conn, principal)
        context = {
            "brief": made,
            "day": chosen.isoformat(),
            "today": today().isoformat(),
            "day_error": error,
            "email": email,
            "subscribed": subscription.subscribed(conn, principal),
            "deliveries": _deliveries(subscription.recent(conn, principal)),
            "files": {k: f"/api/v1/centre/brief/{chosen}.{k}?lang={lang}" for k in ("docx", "pdf")},
        }
    status = 422 if error else 200
    return render(request, "brief.html", status_code=status, **context)


@router.post(PATH + "/subscription")
async def brief_subscription_form(request: Request, principal: Briefer) -> Response:
    async with request.form(max_files=0, max_fields=3) as form:
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
    check_csrf(request, fields.get("csrf_token"))
    with request.app.state.engine.begin() as conn:
        if fields.get("action") == "unsubscribe":
            subscription.unsubscribe(conn, principal, client_address(request))
        elif subscription.email_of(conn, principal) is not None:
            subscription.subscribe(conn, principal, client_address(request))
    return RedirectResponse(PATH, status_code=303)
