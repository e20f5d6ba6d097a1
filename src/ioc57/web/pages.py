"""The overview page, and the language switch."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.engine import Connection

from ioc57.core.http import read_conn
from ioc57.core.i18n import LANGUAGES
from ioc57.core.pages import render

router = APIRouter(include_in_schema=False)


@router.get("/")
def overview(request: Request, conn: Annotated[Connection, Depends(read_conn)]):
    principal = request.app.state.authenticate(request)
    panels = [panel(conn, principal) for panel in request.app.state.overview_panels]
    return render(request, "overview.html", panels=[p for p in panels if p])


@router.get("/lang/{lang}")
def switch_language(lang: str, request: Request, next: str = "/"):
    target = next if next.startswith("/") and not next.startswith("//") else "/"
    response = RedirectResponse(target, status_code=303)
    if lang in LANGUAGES:
        response.set_cookie("lang", lang, max_age=365 * 86400, samesite="lax", httponly=True)
    return response
