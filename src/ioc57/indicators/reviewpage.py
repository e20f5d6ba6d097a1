"""The page where a leader approves or rejects the values officers submitted."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.engine import Connection

from ioc57.core.access import Principal, check_csrf
from ioc57.core.http import Id, read_conn
from ioc57.core.pages import render, require_login
from ioc57.core.problems import Problem
from ioc57.indicators import errors
from ioc57.indicators.catalogue import catalogue
from ioc57.indicators.pages import common
from ioc57.indicators.review import decided, sent_file, waiting
from ioc57.indicators.share import shown_value

router = APIRouter(include_in_schema=False)
PATH = "/indicators/review"
Reviewer = Annotated[Principal, Depends(require_login("observations.review", back=PATH))]


@router.get(PATH)
def review_page(
    request: Request,
    principal: Reviewer,
    conn: Annotated[Connection, Depends(read_conn)],
    done: str | None = None,
):
    items = waiting(conn, principal)
    for item in items:
        item["file"] = sent_file(conn, principal, item["id"]) is not None
        item["ind"] = ind = catalogue().get(item["indicator"])
        item["shown"] = shown_value(ind, item["value"], item["numerator"], item["denominator"])
    return render(
        request,
        "review.html",
        items=items,
        done=done if done in ("approved", "rejected") else None,
        **common(request),
    )


@router.post(PATH + "/{value_id}")
def review_decide(
    value_id: Id,
    request: Request,
    principal: Reviewer,
    decision: Annotated[str, Form(pattern="^(approve|reject)$")],
    reason: Annotated[str, Form(max_length=2000)] = "",
    csrf_token: Annotated[str, Form()] = "",
):
    check_csrf(request, csrf_token)
    state = request.app.state
    result = decided(
        state.engine, state.bus, principal, value_id, decision == "approve", reason.strip() or None
    )
    return RedirectResponse(f"{PATH}?done={result['status']}", status_code=303)


@router.get(PATH + "/{value_id}/file")
def review_file(
    value_id: Id,
    principal: Reviewer,
    conn: Annotated[Connection, Depends(read_conn)],
):
    """The file a value was sent with (the evidence an officer attached, or the filled
    template), for the reviewer to open before deciding."""
    kept = sent_file(conn, principal, value_id)
    if kept is None:
        raise Problem(404, errors.NO_FILE, value_id=value_id)
    name = kept["filename"].replace('"', "")
    return Response(
        kept["body"],
        media_type=kept["content_type"],
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "X-Content-Type-Options": "nosniff",
        },
    )
