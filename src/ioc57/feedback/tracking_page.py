"""``/phan-anh/theo-doi``: the citizen follows a report by its tracking code — where it stands, its
timeline (statuses, days and the agencies that took it; never the staff's names), the answer —
and rates the answer (satisfied closes it, not satisfied sends it back to the agency: the step
``rate`` of the workflow, by the actor ``citizen``). The photos of a report show to the holder of
its code; a photo an operator made public, of a published report, to everyone.

The code is the key: the page shows no contact details (a code passed on shows nothing
personal), the text and the answer redacted as the public page shows them. Codes that match no
report are counted per client address, so that codes cannot be guessed by the thousand.
"""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.engine import Connection

from ioc57.core.access import check_csrf
from ioc57.core.clock import today
from ioc57.core.http import client_address
from ioc57.core.i18n import N_, day, moment
from ioc57.core.pages import page_lang, render
from ioc57.core.problems import Problem
from ioc57.feedback import labels, photos, queries, tracking
from ioc57.feedback.access import not_found
from ioc57.feedback.categories import category
from ioc57.feedback.public_form import FILED, Refusal, small_form
from ioc57.feedback.ratelimit import hit
from ioc57.feedback.redact import redact
from ioc57.feedback.tables import reports
from ioc57.feedback.workflow import StepIn, take_step

router = APIRouter(include_in_schema=False)

Code = Annotated[str, Path(min_length=1, max_length=60)]
PhotoId = Annotated[str, Path(min_length=1, max_length=40)]
MISSES_PER_HOUR = 30  # codes that match nothing, per client address
RATED = "feedback.rated"  # the session's key: the report just rated
RATABLE = ("answered", "published")
NOTED = ("refused", "info_requested", "reopened", "merged")  # steps whose reason the citizen reads
PRIVATE = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex"}
MESSAGES = {
    "code": N_("No report has this code. Check it and type it again."),
    "code.empty": N_("Type the code you were given when you sent the report."),
    "misses": N_("Too many codes that match nothing. Try again in %(minutes)s min."),
    "satisfaction": N_("Choose whether you are satisfied with the answer."),
    "note": N_("Say why you are not satisfied (at most 2,000 characters)."),
    "state": N_("This report cannot be rated now."),
    "csrf": N_("The form had expired. Check it and send it again."),
    "form.bad": N_("The form could not be read; send it again."),
    "form.large": N_("The form is too large."),
}


def _row_by_code(conn: Connection, code: str) -> Any | None:
    record_id = conn.execute(
        select(reports.c.record_id).where(reports.c.tracking == tracking.normal(code))
    ).scalar()
    return queries.one(conn, record_id) if record_id else None


def _timeline(conn: Connection, row: Any, names: list[str | None]) -> list[dict[str, Any]]:
    """The report's steps as the citizen reads them: no one's name, reasons redacted."""
    return [
        {
            "status": step["status"],
            "label": labels.STATUS.get(step["status"], step["status"]),
            "at": moment(step["at"]),
            "agency": step["agency"]["name"] if step["agency"] else None,
            "note": redact(step["note"], names) if step["status"] in NOTED else None,
        }
        for step in queries.timeline(conn, row.id)
    ]


def report_view(conn: Connection, row: Any, lang: str) -> dict[str, Any]:
    """What the tracking page shows of a report."""
    contact = orjson.loads(row.contact) if row.contact else {}
    names = [contact.get("name")]
    due = queries.due(row, today())
    return {
        "id": row.record_id,
        "category": category(row.category).label(lang),
        "status": row.status,
        "status_label": labels.STATUS.get(row.status, row.status),
        "received": moment(row.received_at.isoformat()),
        "commune": row.unit_name,
        "agency": row.agency_name,
        "due": due and {"on": day(row.due_on), "step": labels.DUE_STEP.get(due["step"], "")},
        "text": row.text_public,
        "answer": row.answer_public,
        "answered": moment(row.answered_at.isoformat()) if row.answered_at else None,
        "satisfaction": row.satisfaction,
        "duplicate_of": row.duplicate_of,
        "photos": photos.ids_of(conn, row.record_id),
        "timeline": _timeline(conn, row, names),
        "ratable": row.status in RATABLE,
        "simulated": row.simulated,
    }


def find_page(request: Request, status: int = 200, error: tuple[str, dict] | None = None, code=""):
    response = render(
        request, "tracking_find.html", status, error=error, messages=MESSAGES, code=code
    )
    response.headers.update(PRIVATE)
    return response


@router.get("/phan-anh/theo-doi")
def find(request: Request, ma: str | None = None):
    """Type a tracking code (the form of this page sends it as ``ma``)."""
    if ma is None:
        return find_page(request)
    code = tracking.normal(ma[:60])
    if not code:
        return find_page(request, 422, ("code.empty", {}))
    return RedirectResponse(f"/phan-anh/theo-doi/{code}", status_code=303)


def _missed(request: Request, code: str):
    """The page for a code that matches nothing (counted: 429 past the hour's allowance)."""
    try:
        hit(request.app.state, "tracking-miss", client_address(request), MISSES_PER_HOUR)
    except Problem as exc:
        minutes = max(1, -(-int(exc.headers["Retry-After"]) // 60))
        return find_page(request, 429, ("misses", {"minutes": minutes}), code)
    return find_page(request, 404, ("code", {}), code)


def _page(request: Request, code: str, status: int = 200, error: tuple[str, dict] | None = None):
    with request.app.state.engine.connect() as conn:
        row = _row_by_code(conn, code)
        if row is None:
            return _missed(request, code)
        report = report_view(conn, row, page_lang(request))
    code = tracking.normal(code)
    response = render(
        request,
        "tracking.html",
        status,
        report=report,
        code=code,
        filed=request.session.pop(FILED, None) == code,
        rated=request.session.pop(RATED, None) == code,
        error=error,
        messages=MESSAGES,
        satisfaction_labels=labels.SATISFACTION,
    )
    response.headers.update(PRIVATE)
    return response


@router.get("/phan-anh/theo-doi/{code}")
async def report_page(code: Code, request: Request):
    """Where the report stands, its timeline, the answer, and the rating form once answered."""
    return await run_in_threadpool(_page, request, code)


def _rate(request: Request, code: str, fields: dict[str, str]) -> None:
    with request.app.state.engine.connect() as conn:
        row = conn.execute(
            select(reports).where(reports.c.tracking == tracking.normal(code))
        ).first()
    if row is None:
        raise not_found(code, "code")
    satisfaction = fields.get("satisfaction") or None
    note = (fields.get("note") or "").strip() or None
    if satisfaction not in ("satisfied", "unsatisfied"):
        raise Refusal(422, {"satisfaction": ("satisfaction", {})})
    if satisfaction == "unsatisfied" and not note:
        raise Refusal(422, {"note": ("note", {})})
    if row.status not in RATABLE:
        raise Refusal(409, {"state": ("state", {})})
    try:
        asked = StepIn(step="rate", satisfaction=satisfaction, note=note)
    except ValidationError:
        raise Refusal(422, {"note": ("note", {})}) from None
    try:
        take_step(request.app.state.gate, row, asked, "citizen", client_address(request))
    except Problem as exc:
        if exc.status in (409, 422):
            raise Refusal(409, {"state": ("state", {})}) from None
        raise


@router.post("/phan-anh/theo-doi/{code}/danh-gia")
async def rate(code: Code, request: Request):
    """The citizen's rating of the answer."""
    try:
        fields = await small_form(request)
        try:
            check_csrf(request, fields.get("csrf_token"))
        except Problem:
            raise Refusal(403, {"csrf": ("csrf", {})}) from None
        await run_in_threadpool(_rate, request, code, fields)
    except Refusal as refusal:
        key, params = next(iter(refusal.errors.values()))
        return await run_in_threadpool(_page, request, code, refusal.status, (key, params))
    request.session[RATED] = tracking.normal(code)
    return RedirectResponse(f"/phan-anh/theo-doi/{tracking.normal(code)}", status_code=303)


@router.get("/phan-anh/theo-doi/{code}/anh/{photo_id}")
def holder_photo(code: Code, photo_id: PhotoId, request: Request):
    """A photo of the report, for the holder of its code."""
    with request.app.state.engine.connect() as conn:
        record_id = conn.execute(
            select(reports.c.record_id).where(reports.c.tracking == tracking.normal(code))
        ).scalar()
        row = photos.of_report(conn, record_id, photo_id) if record_id else None
    if row is None:
        raise not_found(photo_id, "photo_id")
    return photos.response(row)


@router.get("/phan-anh/anh/{photo_id}")
def public_photo(photo_id: PhotoId, request: Request):
    """A photo made public, of a report whose answer is published."""
    with request.app.state.engine.connect() as conn:
        row = photos.public_photo(conn, photo_id)
    if row is None:
        raise not_found(photo_id, "photo_id")
    return photos.response(row, public=True)
