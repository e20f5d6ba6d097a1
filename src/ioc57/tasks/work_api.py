"""``/api/v1/tasks/{task_id}/...``: the work on a task — progress reports with evidence files, their
download, and a leader's decisions (confirm or refuse a completion, extend a deadline, answer a
report).

Reporting (``tasks.report``) and downloading evidence (``tasks.evidence``) are for those whose unit
holds the task's lead agency (leaders and admins without a unit: every task); reading reports is
``tasks.read`` within the same scope; decisions are ``tasks.decide``. A role that may not is 403
before the task is looked up; a task that is not there 404; a task outside the caller's unit 403,
before a byte of the report is read.

Every write is one transaction: the change, its row in the task's timeline and in the audit log;
once it commits, its event goes on the bus (``timeline``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import BaseModel, ValidationError
from sqlalchemy.engine import Connection

from ioc57.core.access import Principal, optional_principal, require
from ioc57.core.clock import now, today
from ioc57.core.events import Event
from ioc57.core.export import attachment
from ioc57.core.http import Id, LongId, Offset, read_body, read_conn
from ioc57.core.problems import Problem, from_validation_error
from ioc57.core.uploads import TooLarge, Upload
from ioc57.tasks import decisions, evidence, progress
from ioc57.tasks.assignment import Assignment, authorized

router = APIRouter(prefix="/api/v1/tasks", tags=["tasks"])

READ, REPORT, DECIDE, EVIDENCE = "tasks.read", "tasks.report", "tasks.decide", "tasks.evidence"
Reader = Annotated[Principal, Depends(require(READ))]
Reporter = Annotated[Principal, Depends(require(REPORT))]
Decider = Annotated[Principal, Depends(require(DECIDE))]
PageLimit = Annotated[int, Query(ge=1, le=200)]
# a report's text and notes: as JSON (a character may be escaped in 6 bytes), as a form's fields
# (in at most 4 bytes of UTF-8)
MAX_JSON = 6 * (progress.MAX_TEXT + 2 * progress.MAX_NOTE) + 64 * 1024
FIELD_BYTES = 4 * progress.MAX_TEXT
FORM_BYTES = 4 * (progress.MAX_TEXT + 2 * progress.MAX_NOTE) + 64 * 1024
Model = TypeVar("Model", bound=BaseModel)

BINARY = {"type": "string", "format": "binary"}
FILES = {"type": "array", "items": BINARY, "maxItems": evidence.MAX_FILES}
FORM_SCHEMA: dict[str, Any] = {  # the report's fields, and its files
    "type": "object",
    "required": ["text"],
    "properties": {
        **{
            name: {"type": "string"}
            for name in ("period", "percent", "text", "difficulties", "proposals", "completes")
        },
        evidence.FIELD: FILES,
    },
}
REPORT_BODY = {  # read from the stream, so FastAPI cannot see it: documented here
    "required": True,
    "content": {
        "application/json": {"schema": progress.ReportIn.model_json_schema()},
        "multipart/form-data": {"schema": FORM_SCHEMA},
    },
}
EVIDENCE_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": [evidence.FIELD],
                "properties": {evidence.FIELD: FILES},
            }
        }
    },
}
DOWNLOAD: dict[int | str, dict[str, Any]] = {
    200: {"content": {kind: {"schema": BINARY} for kind in evidence.TYPES}}
}


def parsed(model: type[Model], data: bytes | dict[str, str]) -> Model:
    """A body (JSON bytes, or a form's fields) as ``model``; a 422 naming the fields at fault."""
    try:
        if isinstance(data, bytes):
            return model.model_validate_json(data)
        return model.model_validate(data)
    except ValidationError as exc:
        errors = [
            {**err, "loc": ("body", *err["loc"])}
            for err in exc.errors(include_url=False, include_context=False, include_input=False)
        ]
        raise from_validation_error(RequestValidationError(errors)) from None


async def read_files(request: Request, upload: Upload) -> list[evidence.File]:
    """The evidence files of a multipart form, checked (they stay on disk until it is
    discarded)."""
    try:
        await upload.read(request, evidence.MAX_BYTES)
    except TooLarge as exc:
        raise evidence.too_large(exc.filename) from None
    return await run_in_threadpool(evidence.check, upload.kept)


def in_scope(request: Request, principal: Principal, action: str, task_id: int) -> None:
    """Refuse (404, 403) before a body is read."""
    with request.app.state.engine.connect() as conn:
        authorized(conn, principal, action, task_id)


def written(
    request: Request,
    principal: Principal,
    action: str,
    task_id: int,
    write: Callable[[Connection, Assignment], tuple[dict[str, Any], Event]],
) -> dict[str, Any]:
    """Run ``write`` on the task (locked) in one transaction; publish its event once committed."""
    with request.app.state.engine.begin() as conn:
        work = authorized(conn, principal, action, task_id, for_update=True)
        result, event = write(conn, work)
    request.app.state.bus.publish(event)
    return result


@router.post("/{task_id}/reports", status_code=201, openapi_extra={"requestBody": REPORT_BODY})
async def reports_submit(task_id: LongId, request: Request, principal: Reporter):
    """Report progress on a task as its lead agency: ``percent``, ``text``, ``difficulties``,
    ``proposals``, ``period`` (the task's current one by default), ``completes`` (claims the task
    done: at least one evidence file in the same report). JSON, or a multipart form with up to 5
    files named ``evidence`` (PDF, PNG, JPEG, DOCX, XLSX; 20 MB each)."""
    await run_in_threadpool(in_scope, request, principal, REPORT, task_id)
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    upload = Upload(evidence.FIELD, evidence.MAX_FILES, FIELD_BYTES, FORM_BYTES)
    try:
        if kind == "application/json":
            body = parsed(progress.ReportIn, await read_body(request, MAX_JSON))
            files: list[evidence.File] = []
        elif kind == "multipart/form-data":
            files = await read_files(request, upload)
            body = parsed(progress.ReportIn, upload.fields)
        else:
            raise Problem(415, "Send application/json, or multipart/form-data with the files.")
        at, day = now(), today()

        def submit(conn: Connection, work: Assignment) -> tuple[dict[str, Any], Event]:
            actor = principal.username
            return progress.submit(conn, work, body, files, actor=actor, today=day, at=at)

        return await run_in_threadpool(written, request, principal, REPORT, task_id, submit)
    finally:
        upload.discard()


@router.get("/{task_id}/reports")
def reports_list(
    task_id: LongId,
    conn: Annotated[Connection, Depends(read_conn)],
    principal: Reader,
    limit: PageLimit = 50,
    offset: Offset = 0,
):
    """The reports on a task, the latest first, each with its evidence files."""
    work = authorized(conn, principal, READ, task_id)
    return progress.reports_of(conn, work, limit, offset)


@router.post(
    "/{task_id}/reports/{report_id}/evidence",
    status_code=201,
    openapi_extra={"requestBody": EVIDENCE_BODY},
)
async def reports_add_evidence(
    task_id: LongId, report_id: Id, request: Request, principal: Reporter
):
    """Add evidence files (``evidence``, a multipart form) to a report one sent; a report holds
    at most 5."""
    await run_in_threadpool(in_scope, request, principal, REPORT, task_id)
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "multipart/form-data":
        raise Problem(415, "Send the files as multipart/form-data, named evidence.")
    upload = Upload(evidence.FIELD, evidence.MAX_FILES)
    try:
        files = await read_files(request, upload)
        at = now()

        def add(conn: Connection, work: Assignment) -> tuple[dict[str, Any], Event]:
            actor = principal.username
            return progress.add_evidence(conn, work, report_id, files, actor=actor, at=at)

        return await run_in_threadpool(written, request, principal, REPORT, task_id, add)
    finally:
        upload.discard()


@router.get("/{task_id}/evidence/{evidence_id}", response_class=Response, responses=DOWNLOAD)
def evidence_download(
    task_id: LongId,
    evidence_id: Id,
    conn: Annotated[Connection, Depends(read_conn)],
    principal: Annotated[Principal | None, Depends(optional_principal)],
):
    """An evidence file, as it was sent, with the type told from its bytes."""
    authorized(conn, principal, EVIDENCE, task_id)
    row = evidence.one(conn, task_id, evidence_id)
    if row is None:
        raise Problem(
            404,
            f"No evidence file {evidence_id} on task {task_id}.",
            errors=[{"loc": ["path", "evidence_id"], "msg": "no such file"}],
        )
    headers = {
        "Content-Disposition": attachment(row.filename),
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store",
    }
    return Response(bytes(row.content), media_type=row.content_type, headers=headers)


@router.post("/{task_id}/confirm")
def tasks_confirm(task_id: LongId, request: Request, principal: Decider):
    """Confirm the completion the lead agency claimed (a leader's decision)."""
    at, day = now(), today()
    return written(
        request,
        principal,
        DECIDE,
        task_id,
        lambda conn, work: decisions.confirm(
            conn, work, actor=principal.username, today=day, at=at
        ),
    )


@router.post("/{task_id}/refuse")
def tasks_refuse(task_id: LongId, body: decisions.RefusalIn, request: Request, principal: Decider):
    """Refuse the completion the lead agency claimed, with a ``reason``."""
    at, day = now(), today()
    return written(
        request,
        principal,
        DECIDE,
        task_id,
        lambda conn, work: decisions.refuse(
            conn, work, body, actor=principal.username, today=day, at=at
        ),
    )


@router.post("/{task_id}/extend")
def tasks_extend(
    task_id: LongId, body: decisions.ExtensionIn, request: Request, principal: Decider
):
    """Extend a task's deadline to ``deadline`` (after the one in force), with a ``reason``;
    the first deadline is kept."""
    at, day = now(), today()
    return written(
        request,
        principal,
        DECIDE,
        task_id,
        lambda conn, work: decisions.extend(
            conn, work, body, actor=principal.username, today=day, at=at
        ),
    )


@router.post("/{task_id}/reports/{report_id}/answer")
def reports_answer(
    task_id: LongId,
    report_id: Id,
    body: decisions.AnswerIn,
    request: Request,
    principal: Decider,
):
    """Answer the difficulties and proposals a report raised."""
    at = now()
    return written(
        request,
        principal,
        DECIDE,
        task_id,
        lambda conn, work: decisions.answer(
            conn, work, report_id, body, actor=principal.username, at=at
        ),
    )
