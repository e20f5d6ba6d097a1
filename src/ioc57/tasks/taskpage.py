"""One task's page (``/tasks/{id}``): what was assigned, its deadline (the original struck through
beside the extended one, with the reason), its status, its reports with their evidence, its
timeline; and the forms of those who act on it: a progress report with files (the lead agency's
officers, leaders, admins), a leader's decisions (confirm or refuse a completion, extend the
deadline, answer difficulties).

The forms post to the routes below, which run the API's own writes (``work_api.written`` with the
functions of ``progress`` and ``decisions``): a refusal shows the page again (422, nothing saved)
with the reason beside its field, a success redirects back with a message.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import select
from sqlalchemy.engine import Connection

from ioc57.core.access import Principal, check_csrf, may
from ioc57.core.clock import now, today
from ioc57.core.http import Id, LongId
from ioc57.core.i18n import N_, day, moment, number
from ioc57.core.pages import page_lang, render, require_login
from ioc57.core.problems import Problem
from ioc57.core.uploads import Upload
from ioc57.tasks import decisions, evidence, progress
from ioc57.tasks.assignment import Assignment
from ioc57.tasks.labels import LABELS
from ioc57.tasks.pagescope import Reader, shown_task
from ioc57.tasks.queries import public_task, task_in_scope, timeline
from ioc57.tasks.status import current_period
from ioc57.tasks.tables import programmes
from ioc57.tasks.work_api import (
    DECIDE,
    EVIDENCE,
    FIELD_BYTES,
    FORM_BYTES,
    REPORT,
    in_scope,
    parsed,
    read_files,
    written,
)
from ioc57.units.queries import scope_chain, unit_by_id
from ioc57.units.tables import units

router = APIRouter(include_in_schema=False)
Reporter = Annotated[Principal, Depends(require_login(REPORT))]
Decider = Annotated[Principal, Depends(require_login(DECIDE))]
REPORTS_SHOWN = 100
MAX_FIELDS = 5  # of a decision's form
KINDS = dict(zip(evidence.TYPES, ("PDF", "PNG", "JPEG", "DOCX", "XLSX"), strict=True))
FLASH = "tasks.flash"  # the session's key of the message a redirect carries

DONE = {
    "report": N_("Your report is saved."),
    "completes": N_("Your report is saved: the completion waits for a leader's confirmation."),
    "confirm": N_("The completion is confirmed."),
    "refuse": N_("The completion is refused; the agency sees your reason."),
    "extend": N_("The deadline is extended."),
    "answer": N_("Your answer is saved."),
}
# what a person reads beside a field the service refused (its own words follow, in English)
HINTS = {
    "period": N_("Give a period of this task's kind that has begun, such as %(period)s."),
    "percent": N_("Give the progress as a whole number from 0 to 100 (100 for a completed task)."),
    "text": N_("Say what was done."),
    "difficulties": N_("At most 5,000 characters."),
    "proposals": N_("At most 5,000 characters."),
    "completes": N_("This task cannot be reported completed now."),
    "evidence": N_("Attach PDF, PNG, JPEG, DOCX or XLSX files, at most 5 of 20 MB each."),
    "evidence.required": N_("A report that completes the task carries at least one evidence file."),
    "evidence.kind": N_("%(name)s is not a PDF, PNG, JPEG, DOCX or XLSX file."),
    "evidence.large": N_("A file is over 20 MB."),
    "deadline": N_("Give a day after the deadline in force."),
    "reason": N_("Give the reason."),
    "answer": N_("Write the answer."),
}
FIELDS = {
    "confirm": (),
    "report": ("period", "percent", "text", "difficulties", "proposals", "completes", "evidence"),
    "refuse": ("reason",),
    "extend": ("deadline", "reason"),
    "answer": ("answer",),
}


def _named(conn: Connection, codes: list[str]) -> list[dict[str, str]]:
    """The agencies of ``codes`` with their names (a code no unit has any more, as it is)."""
    query = select(units.c.code, units.c.name).where(units.c.code.in_(codes))
    names = {r.code: r.name for r in conn.execute(query)}
    return [{"code": c, "name": names.get(c, c)} for c in codes]


def _note(kind: str, detail: dict[str, Any]) -> str:
    """What a step of the timeline says beside its name."""
    if kind == "extended":
        return f"{day(date.fromisoformat(detail['from']))} → {day(date.fromisoformat(detail['to']))}: {detail['reason']}"
    if kind in ("reported", "completion_claimed") and "percent" in detail:
        return f"{detail['percent']} %"
    return str(detail.get("reason") or "")


def task_context(conn: Connection, principal: Principal, task_id: int) -> dict[str, Any]:
    """What the page shows of the task, and which of its forms this person gets."""
    row = task_in_scope(conn, principal, task_id)
    chain = scope_chain(conn, unit_by_id(conn, row.agency_id))
    task = shown_task(public_task(row, today()))
    steps = timeline(conn, task_id)
    for step in steps:
        step["note"] = _note(step["kind"], step["detail"])
    extensions = [s for s in steps if s["kind"] == "extended"]
    title = conn.execute(
        select(programmes.c.title).where(
            programmes.c.province_code == row.province_code, programmes.c.code == row.programme_code
        )
    ).scalar()
    task |= {
        "agency": {"code": row.agency_code, "name": row.agency_name},
        "cooperating": _named(conn, task["cooperating_agencies"]),
        "programme_title": title,
        "extension_reason": extensions[-1]["detail"]["reason"] if extensions else None,
    }
    work = Assignment(row, frozenset(chain))
    reports = progress.reports_of(conn, work, REPORTS_SHOWN, 0)["items"]
    for report in reports:
        report["reported_on"] = date.fromisoformat(report["reported_on"])
    return {
        "task": task,
        "reports": reports,
        "timeline": steps,
        "may_report": may(principal, REPORT, chain) and row.confirmed_at is None,
        "may_decide": may(principal, DECIDE, chain),
        "may_download": may(principal, EVIDENCE, chain),
        "current_period": current_period(row.recurrence, today()).code if row.recurrence else "",
        "kinds": KINDS,
        "max_files": evidence.MAX_FILES,
        "max_mb": evidence.MAX_BYTES // 1024 // 1024,
    }


def sizes(lang: str) -> Callable[[int], str]:
    """A file's size as a person reads it: bytes, KB or MB."""
    fmt = number(lang)

    def size(n: int) -> str:
        if n < 1024:
            return f"{n} B"
        if n < 1024 * 1024:
            return f"{fmt(n / 1024, 1)} KB"
        return f"{fmt(n / 1024 / 1024, 1)} MB"

    return size


def _page(
    request: Request,
    principal: Principal,
    task_id: int,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    with request.app.state.engine.connect() as conn:
        shown = task_context(conn, principal, task_id)
    return render(
        request,
        "task.html",
        status_code=status_code,
        labels=LABELS,
        day=day,
        moment=moment,
        size=sizes(page_lang(request)),
        errors=context.pop("errors", {}),
        values=context.pop("values", {}),
        flash=request.session.pop(FLASH, None),
        **shown,
        **context,
    )


@router.get("/tasks/{task_id}")
def task_page(task_id: LongId, request: Request, principal: Reader) -> HTMLResponse:
    return _page(request, principal, task_id)


def _errors(form: str, problem: Problem, kept: Sequence[Any] = ()) -> dict[str, Any]:
    """The fields a refusal names, each with what a person reads beside it."""
    fields: dict[str, Any] = {}
    for error in problem.errors:
        loc = [str(part) for part in error.get("loc", ())]
        name = next((part for part in loc if part in FIELDS[form]), None)
        if name is None or name in fields:
            continue
        key = name
        if name == "evidence":
            place = next((int(p) for p in loc[1:] if p.isdigit()), None)
            if problem.status == 413:
                key = "evidence.large"
            elif place is not None:
                key = "evidence.kind"
                error["name"] = kept[place].filename if place < len(kept) else ""
            elif "completes" in str(error.get("msg", "")):
                key = "evidence.required"
        fields[name] = {"hint": HINTS[key], "said": error.get("msg", ""), "name": error.get("name")}
    return {"form": form, "fields": fields, "detail": None if fields else problem.detail}


def _refused(problem: Problem) -> bool:
    """A refusal of what was written (shown beside its fields), not of the person (raised)."""
    return problem.status in (409, 413, 415, 422)


def _done(request: Request, task_id: int, message: str, anchor: str = "") -> RedirectResponse:
    request.session[FLASH] = message
    return RedirectResponse(f"/tasks/{task_id}{anchor}", status_code=303)


@router.post("/tasks/{task_id}/report")
async def report_form(task_id: LongId, request: Request, principal: Reporter):
    """A progress report, with its evidence files (a multipart form)."""
    await run_in_threadpool(in_scope, request, principal, REPORT, task_id)
    upload = Upload(evidence.FIELD, evidence.MAX_FILES, FIELD_BYTES, FORM_BYTES)
    try:
        try:
            files = await read_files(request, upload)
            refusal = None
        except Problem as exc:
            if not _refused(exc):
                raise
            files, refusal = [], exc
        values = {k: v for k, v in upload.fields.items() if k != "csrf_token"}
        try:
            if refusal is not None:  # nothing is written: the form again, with the reason
                raise refusal
            check_csrf(request, upload.fields.get("csrf_token"))
            body = parsed(progress.ReportIn, upload.fields)
            at, on = now(), today()

            def submit(conn: Connection, work: Assignment):
                return progress.submit(
                    conn, work, body, files, actor=principal.username, today=on, at=at
                )

            await run_in_threadpool(written, request, principal, REPORT, task_id, submit)
        except Problem as exc:
            if not _refused(exc):
                raise
            errors = _errors("report", exc, upload.kept)
            return await run_in_threadpool(
                _page, request, principal, task_id, 422, errors=errors, values=values
            )
    finally:
        upload.discard()
    return _done(request, task_id, DONE["completes" if body.completes else "report"])


async def _fields(request: Request) -> dict[str, str]:
    """A decision's form (its few text fields), once its CSRF token is right."""
    async with request.form(max_files=0, max_fields=MAX_FIELDS) as form:
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
    check_csrf(request, fields.get("csrf_token"))
    return fields


async def _decide(
    request: Request,
    principal: Principal,
    task_id: int,
    form: str,
    decide: Callable[[dict[str, str]], Callable[[Connection, Assignment], Any]],
    anchor: str = "",
):
    """Run a leader's decision on the task; the page again with the reason when it is refused."""
    await run_in_threadpool(in_scope, request, principal, DECIDE, task_id)
    fields = await _fields(request)
    try:
        write = decide(fields)  # reads the form: a 422 naming its field
        await run_in_threadpool(written, request, principal, DECIDE, task_id, write)
    except Problem as exc:
        if not _refused(exc):
            raise
        values = {k: v for k, v in fields.items() if k != "csrf_token"}
        errors = _errors(form, exc)
        return await run_in_threadpool(
            _page, request, principal, task_id, 422, errors=errors, values=values
        )
    return _done(request, task_id, DONE[form], anchor)


@router.post("/tasks/{task_id}/confirm")
async def confirm_form(task_id: LongId, request: Request, principal: Decider):
    at, on = now(), today()
    return await _decide(
        request,
        principal,
        task_id,
        "confirm",
        lambda fields: (
            lambda conn, work: decisions.confirm(
                conn, work, actor=principal.username, today=on, at=at
            )
        ),
    )


@router.post("/tasks/{task_id}/refuse")
async def refuse_form(task_id: LongId, request: Request, principal: Decider):
    at, on = now(), today()

    def decide(fields: dict[str, str]):
        body = parsed(decisions.RefusalIn, fields)
        return lambda conn, work: decisions.refuse(
            conn, work, body, actor=principal.username, today=on, at=at
        )

    return await _decide(request, principal, task_id, "refuse", decide)


@router.post("/tasks/{task_id}/extend")
async def extend_form(task_id: LongId, request: Request, principal: Decider):
    at, on = now(), today()

    def decide(fields: dict[str, str]):
        body = parsed(decisions.ExtensionIn, fields)
        return lambda conn, work: decisions.extend(
            conn, work, body, actor=principal.username, today=on, at=at
        )

    return await _decide(request, principal, task_id, "extend", decide)


@router.post("/tasks/{task_id}/reports/{report_id}/answer")
async def answer_form(task_id: LongId, report_id: Id, request: Request, principal: Decider):
    at = now()

    def decide(fields: dict[str, str]):
        body = parsed(decisions.AnswerIn, fields)
        return lambda conn, work: decisions.answer(
            conn, work, report_id, body, actor=principal.username, at=at
        )

    anchor = f"#report-{report_id}"
    return await _decide(request, principal, task_id, "answer", decide, anchor)
