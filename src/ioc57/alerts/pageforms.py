"""What the alerts pages' forms share: reading a small form once its CSRF token is right, a
refusal as the fields it names (shown beside them, the form kept), a write in one transaction
with the person's address, and the redirect that carries a message back.

A refusal of what was written (422, 409) shows the form again; a refusal of the person (403, 404)
is raised as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from sqlalchemy.engine import Connection

from ioc57.core.access import check_csrf
from ioc57.core.http import client_address
from ioc57.core.problems import Problem

T = TypeVar("T")
FLASH = "alerts.flash"  # the session's key of the message a redirect carries


async def read_form(request: Request, max_fields: int) -> dict[str, str]:
    """A form's text fields, once its CSRF token is right."""
    async with request.form(max_files=0, max_fields=max_fields) as form:
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
    check_csrf(request, fields.get("csrf_token"))
    return fields


def refused(exc: Exception) -> dict[str, Any] | None:
    """The fields a refusal names, {field: message} under "fields" (the first part of each
    place that is not "body"), and its detail; None for a refusal of the person, raised."""
    if isinstance(exc, ValidationError):
        errors = [{"loc": list(e["loc"]), "msg": e["msg"]} for e in exc.errors(include_url=False)]
        detail = None
    elif isinstance(exc, Problem) and exc.status in (409, 413, 422):
        errors, detail = list(exc.errors), exc.detail
    else:
        return None
    fields: dict[str, str] = {}
    for error in errors:
        loc = [str(p) for p in error.get("loc", ()) if str(p) != "body"]
        key = loc[0] if loc else "form"
        fields.setdefault(key, str(error.get("msg", "")))
    return {"fields": fields, "detail": detail if not fields else None}


async def written(request: Request, write: Callable[[Connection, str], T]) -> T:
    """Run ``write(conn, address)`` in one transaction."""

    def run() -> T:
        with request.app.state.engine.begin() as conn:
            return write(conn, client_address(request))

    return await run_in_threadpool(run)


def done(request: Request, to: str, message: str) -> RedirectResponse:
    request.session[FLASH] = message
    return RedirectResponse(to, status_code=303)
