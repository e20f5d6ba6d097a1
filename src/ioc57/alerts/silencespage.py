"""The silences (``/alerts/silences``): those in force and those to come (planned maintenance),
then the ended ones; the form that makes one (label matchers, a window that may start later, a
comment), filled in from an alert when the person came from its "silence like this"; and the
button that ends one early. Each write audited (``silences``).

The bell of the page a person lands on counts without the silenced alerts; other open pages
read it again on the next alert that changes.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from pydantic import ValidationError

from ioc57.alerts import service, silences
from ioc57.alerts.pageforms import done, read_form, refused, written
from ioc57.alerts.pages import Reader, Responder, common
from ioc57.core.access import Principal
from ioc57.core.clock import LOCAL_TZ, now
from ioc57.core.http import MAX_ID, Id
from ioc57.core.i18n import N_
from ioc57.core.pages import render
from ioc57.core.problems import Problem

router = APIRouter(include_in_schema=False)
ROWS = 20  # matcher rows the form reads at most (a silence's most)
BLANK = 2  # empty rows shown beyond those filled in (at least 3 rows)
ENDED_SHOWN = 20
LOCAL_INPUT = "%Y-%m-%dT%H:%M"  # <input type="datetime-local">
SKIPPED = ("severity",)  # labels "silence like this" leaves out: the rule's own, not the series'


def local_input(value: datetime) -> str:
    return value.astimezone(LOCAL_TZ).strftime(LOCAL_INPUT)


def _like(request: Request, principal: Principal, alert_id: int | None) -> dict[str, Any]:
    """Matchers of an alert's labels (one the person may see) and what it is, or none."""
    if alert_id is None:
        return {"matchers": [], "like": None}
    with request.app.state.engine.connect() as conn:
        alert = service.get_alert(conn, principal, alert_id)
    labels = sorted(alert["labels"].items())
    matchers = [{"name": k, "op": "=", "value": v} for k, v in labels if k not in SKIPPED]
    return {"matchers": matchers, "like": alert}


def _page(
    request: Request,
    principal: Principal,
    values: dict[str, Any],
    status: int = 200,
    errors: dict[str, Any] | None = None,
) -> HTMLResponse:
    with request.app.state.engine.connect() as conn:
        found = silences.list_silences(conn, principal, include_expired=True)
    current = [s for s in found if s["state"] != "expired"]
    ended = [s for s in found if s["state"] == "expired"][:ENDED_SHOWN]
    shown = min(ROWS, max(3, len(values["matchers"]) + BLANK))
    rows = (list(values["matchers"]) + [{"name": "", "op": "=", "value": ""}] * ROWS)[:shown]
    return render(
        request,
        "silences.html",
        status_code=status,
        current=current,
        ended=ended,
        values=values | {"matchers": rows},
        errors=errors or {"fields": {}, "detail": None},
        **common(request),
    )


@router.get("/alerts/silences")
def silences_page(
    request: Request,
    principal: Reader,
    like: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
):
    start = now()
    values = {
        **_like(request, principal, like),
        "starts_at": local_input(start),
        "ends_at": local_input(start + timedelta(hours=2)),
        "comment": "",
    }
    return _page(request, principal, values)


def _matchers(fields: dict[str, str]) -> list[dict[str, str]]:
    """The matcher rows a person filled (a row without a name is left out)."""
    rows = []
    for i in range(ROWS):
        name = fields.get(f"m{i}_name", "").strip()
        if name:
            rows.append(
                {
                    "name": name,
                    "op": fields.get(f"m{i}_op", "="),
                    "value": fields.get(f"m{i}_value", ""),
                }
            )
    return rows


@router.post("/alerts/silences")
async def silence_create(request: Request, principal: Responder):
    fields = await read_form(request, max_fields=ROWS * 3 + 6)
    values: dict[str, Any] = {
        "matchers": _matchers(fields),
        "starts_at": fields.get("starts_at", ""),
        "ends_at": fields.get("ends_at", ""),
        "comment": fields.get("comment", "").strip(),
    }
    try:
        body = silences.SilenceIn.model_validate(
            {
                "matchers": values["matchers"],
                "starts_at": values["starts_at"] or None,
                "ends_at": values["ends_at"],
                "comment": values["comment"],
            }
        )
        await written(
            request,
            lambda conn, address: silences.create_silence(conn, principal, body, address=address),
        )
    except (ValidationError, Problem) as exc:
        errors = refused(exc)
        if errors is None:
            raise
        return await run_in_threadpool(_page, request, principal, values, 422, errors)
    return done(request, "/alerts/silences", N_("The silence is saved."))


@router.post("/alerts/silences/{silence_id}/expire")
async def silence_expire(silence_id: Id, request: Request, principal: Responder):
    await read_form(request, max_fields=2)
    await written(
        request,
        lambda conn, address: silences.expire_silence(conn, principal, silence_id, address=address),
    )
    return done(request, "/alerts/silences", N_("The silence has ended."))
