"""The page where a leader plans a programme (``/tasks/import``): the programme's own fields in a
form, then its tasks from a filled template (``/tasks/template.xlsx``).

Both go through the gate as the people-entry source, with the person as principal, as the API's
programmes and tasks do: the gate checks each row and stores the others, so a file's bad rows are
listed by their row in the file (and the reason), and a file sent again updates its tasks rather
than adding them twice. A file that is no filled template stores nothing and says why.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from sqlalchemy import select

from ioc57.core.access import Principal, check_csrf
from ioc57.core.clock import today
from ioc57.core.i18n import N_
from ioc57.core.pages import page_lang, render, require_login
from ioc57.core.uploads import TooLarge, Upload
from ioc57.ingest.batches import BatchResult
from ioc57.ingest.entry import entry_source
from ioc57.ingest.importpage import shown_errors
from ioc57.ingest.spreadsheet import TemplateError
from ioc57.tasks import template
from ioc57.tasks.pagescope import own_unit
from ioc57.tasks.records import PROGRAMME
from ioc57.units.queries import valid_at
from ioc57.units.tables import units

router = APIRouter(include_in_schema=False)
PATH = "/tasks/import"
PLAN = "tasks.plan"
Planner = Annotated[Principal, Depends(require_login(PLAN))]
MAX_MB = 5
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PROGRAMME_FIELDS = ("code", "title", "issued_by", "issued_date", "unit", "legal_basis", "parent")

NO_FILE = N_("Choose a file to import.")
TOO_LARGE = N_("The file is larger than %(mb)s MB.")
PROGRAMME_SAVED = N_("The programme %(code)s is saved.")


def _choices(request: Request, principal: Principal) -> list[Any]:
    with request.app.state.engine.connect() as conn:
        if principal.unit_id is not None:
            own = own_unit(conn, principal)
            query = select(units.c.code, units.c.name).where(
                units.c.code == own.province_code, valid_at(today())
            )
        else:
            query = select(units.c.code, units.c.name).where(
                units.c.level == "province", valid_at(today())
            )
        return list(conn.execute(query.order_by(units.c.name)))


def _page(request: Request, principal: Principal, status_code: int = 200, **context: Any):
    return render(
        request,
        "tasks_import.html",
        status_code=status_code,
        provinces=_choices(request, principal),
        max_mb=MAX_MB,
        programme=context.pop("programme", {}),
        **context,
    )


@router.get(PATH)
def import_form(request: Request, principal: Planner) -> HTMLResponse:
    return _page(request, principal)


@router.get("/tasks/template.xlsx")
def template_download(request: Request, principal: Planner) -> Response:
    """The empty template, with its instructions in the reader's language."""
    body = template.template_bytes(page_lang(request))
    headers = {
        "Content-Disposition": 'attachment; filename="ioc57-nhiem-vu-mau.xlsx"',
        "Cache-Control": "no-store",
    }
    return Response(body, media_type=XLSX_TYPE, headers=headers)


def _counts(result: BatchResult) -> dict[str, int]:
    counts = {k: getattr(result, k) for k in ("submitted", "accepted", "updated", "unchanged")}
    return counts | {"stale": result.stale, "rejected": result.rejected_count}


@router.post(PATH + "/programme")
async def programme_form(request: Request, principal: Planner) -> HTMLResponse:
    """A programme's fields, through the gate: saved, or the page again with the reason beside
    each field the gate refused."""
    async with request.form(max_files=0, max_fields=len(PROGRAMME_FIELDS) + 1) as form:
        fields = {k: v.strip() for k, v in form.items() if isinstance(v, str)}
    check_csrf(request, fields.get("csrf_token"))
    record = {k: fields[k] for k in PROGRAMME_FIELDS if fields.get(k)}

    def send() -> BatchResult:
        gate = request.app.state.gate
        with gate.engine.connect() as conn:
            source = entry_source(conn)
        return gate.ingest(source, PROGRAMME.name, [(1, record)], principal=principal, via="push")

    result = await run_in_threadpool(send)
    shown = {k: fields.get(k, "") for k in PROGRAMME_FIELDS}
    if result.rejected:
        errors = {line["field"]: line["error"] for line in shown_errors(result.rejected)}
        return await run_in_threadpool(
            _page, request, principal, 422, programme=shown, programme_errors=errors
        )
    return await run_in_threadpool(
        _page, request, principal, 200, programme=shown, programme_saved=record.get("code")
    )


@router.post(PATH)
async def tasks_upload(request: Request, principal: Planner) -> HTMLResponse:
    """A filled template: its tasks through the gate, the rows refused listed with the reason."""
    upload = Upload()

    async def page(status: int, **context: Any) -> HTMLResponse:
        return await run_in_threadpool(_page, request, principal, status, **context)

    try:
        try:
            await upload.read(request, MAX_MB * 1024 * 1024)
        except TooLarge:
            return await page(413, error=TOO_LARGE, params={"mb": MAX_MB})
        check_csrf(request, upload.fields.get("csrf_token"))
        if not upload.filename or upload.path is None:
            return await page(400, error=NO_FILE, params={})
        try:
            result = await run_in_threadpool(
                template.import_template,
                request.app.state.gate,
                upload.path,
                upload.filename,
                principal,
            )
        except TemplateError as exc:
            return await page(400, error=exc.msg, params=exc.params, filename=upload.filename)
        return await page(
            200,
            filename=upload.filename,
            counts=_counts(result),
            rejected=shown_errors(result.rejected),
        )
    finally:
        upload.discard()
