"""``/api/v1/feedback``: citizen reports for staff — the queue (scoped, filtered), one report with
its timeline, the steps of its life, and a report taken by an operator on hotline 1022.

Reading is ``feedback.read`` (an officer: the reports placed in its unit's subtree or answered by
an agency in it); the contact details show to ``feedback.contact`` only. A step needs the action
``workflow.STEPS`` gives it (the citizen's rating, taken down by an operator, ``feedback.triage``);
a step a report cannot take from its status is 409 naming ``step``, a missing field 422 naming it.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Select
from sqlalchemy.engine import Connection

from ioc57.core.access import Principal, authorize, optional_principal
from ioc57.core.clock import today
from ioc57.core.http import Offset, read_conn
from ioc57.core.problems import field_error
from ioc57.feedback import queries
from ioc57.feedback.access import READ, TRIAGE, report_for
from ioc57.feedback.categories import categories
from ioc57.feedback.intake import file_report
from ioc57.feedback.records import STATUSES
from ioc57.feedback.tables import reports
from ioc57.feedback.workflow import CITIZEN, STEPS, StepIn, take_step
from ioc57.units.queries import scope_chain, subtree_ids, unit_at

router = APIRouter(prefix="/api/v1/feedback", tags=["feedback"])

ReportId = Annotated[str, Path(min_length=1, max_length=200)]
PageLimit = Annotated[int, Query(ge=1, le=500)]
Code = Annotated[str | None, Query(max_length=40)]
Flag = Literal["near", "late"]


class Contact(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    name: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=40)
    email: str | None = Field(default=None, max_length=200)


class TakenIn(BaseModel):
    """A report taken by an operator (hotline 1022 by default)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    channel: Literal["phone", "zalo", "email", "web", "app"] = "phone"
    category: str = Field(min_length=1, max_length=40)
    text: str = Field(min_length=1, max_length=20_000)
    unit: str | None = Field(default=None, min_length=1, max_length=40)
    address: str | None = Field(default=None, max_length=500)
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    contact: Contact | None = None


@router.get("/categories")
def categories_list(request: Request) -> list[dict[str, Any]]:
    """The categories of reports, with their deadlines in working days (public)."""
    lang = getattr(request.state, "lang", "vi")
    return [
        {
            "code": c.code,
            "name": c.label(lang),
            "description": c.description,
            "deadlines": c.deadlines,
            "about_procedure": c.about_procedure,
        }
        for c in categories().values()
    ]


def _current(conn: Connection, name: str, code: str) -> Any:
    row = unit_at(conn, code, today())
    if row is None:
        raise field_error(name, f"no current unit has code {code!r}")
    return row


def _subtree(conn: Connection, name: str, code: str) -> list[int]:
    return subtree_ids(conn, _current(conn, name, code), predecessors=True)


@router.get("/reports")
def reports_list(
    conn: Annotated[Connection, Depends(read_conn)],
    principal: Annotated[Principal | None, Depends(optional_principal)],
    status: Annotated[list[Literal[STATUSES]] | None, Query()] = None,  # type: ignore[valid-type]
    category: Code = None,
    agency: Code = None,
    unit: Code = None,
    flag: Flag | None = None,
    limit: PageLimit = 50,
    offset: Offset = 0,
):
    """The reports a person may see, newest first: by ``status`` (repeatable), ``category``,
    answering ``agency``, ``unit`` (its subtree), deadline ``flag`` (near, late)."""
    principal = authorize(principal, READ)
    query = filtered(conn, principal, status, category, agency, unit, flag)
    total = queries.count(conn, query)
    rows = conn.execute(
        query.order_by(reports.c.received_at.desc(), reports.c.id.desc())
        .limit(limit)
        .offset(offset)
    )
    items = [queries.staff_report(r, principal, today()) for r in rows]
    return {"items": items, "total": total, "limit": limit, "offset": offset}


def filtered(
    conn: Connection,
    principal: Principal,
    status: list[str] | None,
    category: str | None,
    agency: str | None,
    unit: str | None,
    flag: str | None,
) -> Select[Any]:
    """The reports ``principal`` may see, by the list's filters (the list and its export)."""
    query = queries.scoped(conn, principal, queries.REPORT_ROWS)
    if status:
        query = query.where(reports.c.status.in_(status))
    if category:
        query = query.where(reports.c.category == category)
    if agency:
        query = query.where(reports.c.agency_id.in_(_subtree(conn, "agency", agency)))
    if unit:
        row = _current(conn, "unit", unit)
        authorize(principal, READ, scope_chain(conn, row))
        query = query.where(reports.c.unit_id.in_(subtree_ids(conn, row, predecessors=True)))
    return queries.by_deadline(query, flag, today())


@router.get("/reports/{report_id}")
def reports_get(
    report_id: ReportId,
    conn: Annotated[Connection, Depends(read_conn)],
    principal: Annotated[Principal | None, Depends(optional_principal)],
):
    """A report with its timeline."""
    row = report_for(conn, principal, READ, report_id)
    return queries.staff_view(conn, row.record_id, principal, today())


@router.post("/reports/{report_id}/steps")
async def reports_step(
    report_id: ReportId,
    asked: StepIn,
    request: Request,
    principal: Annotated[Principal | None, Depends(optional_principal)],
):
    """Take a step on a report (forward, refuse, merge, start, request_info, answer, publish,
    close, reopen; rate, as the citizen said it on the phone)."""
    action = STEPS[asked.step].action
    action = TRIAGE if action == CITIZEN else action
    engine = request.app.state.engine
    with engine.connect() as conn:
        row = report_for(conn, principal, action, report_id)
    assert principal is not None
    address = request.client.host if request.client else None
    await run_in_threadpool(
        take_step, request.app.state.gate, row, asked, principal.username, address
    )
    with engine.connect() as conn:
        return queries.staff_view(conn, report_id, principal, today())


@router.post("/reports", status_code=201)
async def reports_take(
    taken: TakenIn,
    request: Request,
    principal: Annotated[Principal | None, Depends(optional_principal)],
):
    """A report taken by an operator (on hotline 1022, by Zalo or email): its id and the tracking
    code to read to the citizen."""
    principal = authorize(principal, TRIAGE)
    if taken.category not in categories():
        raise field_error("category", "unknown category")
    fields = taken.model_dump(exclude={"channel"}, exclude_none=True)
    filed = await run_in_threadpool(
        file_report, request.app.state.gate, fields, taken.channel, principal.username
    )
    return JSONResponse(
        {"id": filed.record_id, "tracking": filed.tracking, "unit": filed.unit}, status_code=201
    )
