"""The daily brief over HTTP: ``GET /api/v1/centre/brief/{day}.docx|.pdf`` (the brief of any day
up to today, of the person's scope or of a unit in it: ``unit``), and ``POST|DELETE
/api/v1/centre/brief/subscription`` (the person's own subscription by email, audited)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy.engine import Connection

from ioc57.centre import brief as content
from ioc57.centre import brief_subscription as subscription
from ioc57.centre.brief_docx import docx_bytes
from ioc57.centre.brief_mail import DOCX, filename
from ioc57.centre.brief_pdf import pdf_bytes
from ioc57.core.access import Principal, authorize, require
from ioc57.core.clock import now, today
from ioc57.core.http import client_address, read_conn, write_conn
from ioc57.core.problems import field_error
from ioc57.units.queries import scope_chain, unit_at

router = APIRouter(prefix="/api/v1/centre/brief", tags=["centre"])
Briefer = Annotated[Principal, Depends(require("centre.brief"))]
MEDIA = {"docx": DOCX, "pdf": "application/pdf"}
FIRST_DAY = date(2000, 1, 1)  # before any record an IOC holds (and far from datetime's limits)


def parse_day(value: str) -> date:
    """A day of a brief: ``YYYY-MM-DD``, from 2000 up to today (Việt Nam's)."""
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise field_error("day", "must be a date as YYYY-MM-DD") from None
    if day < FIRST_DAY:
        raise field_error("day", f"must be {FIRST_DAY.isoformat()} or later")
    if day > today():
        raise field_error("day", "must not be after today: a brief is of a day that has begun")
    return day


def scoped(conn: Connection, principal: Principal, unit: str | None) -> Principal:
    """The principal whose scope the brief is of: the person's, or a unit's within it."""
    if not unit:
        return principal
    row = unit_at(conn, unit, today())
    if row is None:
        raise field_error("unit", f"no unit {unit!r}")
    authorize(principal, "centre.brief", scope_chain(conn, row))
    return replace(principal, unit_id=row.id, unit_code=row.code)


def brief_file(brief: content.Brief, kind: str, request: Request) -> Response:
    if kind == "docx":
        body = docx_bytes(brief)
    else:
        body = pdf_bytes(brief, request.app.state.settings.brief_font_dir)
    headers = {
        "Content-Disposition": f'attachment; filename="{filename(brief.day, kind)}"',
        "Cache-Control": "no-store",
    }
    return Response(body, media_type=MEDIA[kind], headers=headers)


@router.get("/{day}.{kind}", responses={200: {"content": {DOCX: {}, "application/pdf": {}}}})
def brief_download(
    request: Request,
    principal: Briefer,
    conn: Annotated[Connection, Depends(read_conn)],
    day: str,
    kind: Literal["docx", "pdf"],
    lang: Annotated[Literal["vi", "en"], Query()] = "vi",
    unit: Annotated[str | None, Query(max_length=40)] = None,
) -> Response:
    """The daily brief of ``day`` as a DOCX in the administrative layout, or as a PDF."""
    made = content.make(conn, scoped(conn, principal, unit), parse_day(day), now(), lang)
    return brief_file(made, kind, request)


@router.post("/subscription")
def brief_subscribe(
    request: Request, principal: Briefer, conn: Annotated[Connection, Depends(write_conn)]
) -> dict[str, Any]:
    """Receive the daily brief of your scope by email, each working day."""
    return subscription.subscribe(conn, principal, client_address(request))


@router.delete("/subscription")
def brief_unsubscribe(
    request: Request, principal: Briefer, conn: Annotated[Connection, Depends(write_conn)]
) -> dict[str, Any]:
    """Stop receiving the daily brief by email."""
    return subscription.unsubscribe(conn, principal, client_address(request))
