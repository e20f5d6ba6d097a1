"""The import page: an admin or operator uploads a CSV, XLSX or NDJSON file for a data source.

It offers the sources the person may import for with a source and a type that go together
preselected (``importchoices``), and lists each type's columns with an example file to download
(``examplefile``).

The page is a door (``ingest.import``); what the file may write is decided by the access policy
as for every other path (``Gate.authorize``): the record type's own action (an operator may not
enter indicator values), the person's unit scope for each row, and whether values are approved.

The upload is streamed to a temporary file (at most ``MAX_UPLOAD`` bytes, ``core.uploads``), so
that a large file never sits in memory (a megabyte of it at most); then ``fileimport.import_file``
runs it through the gate in a worker thread, and the page shows the batch's counts and a link to
its error report.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from sqlalchemy.engine import Connection

from ioc57.core.access import Principal, check_csrf
from ioc57.core.http import read_conn
from ioc57.core.pages import render, require_login
from ioc57.core.uploads import TooLarge, Upload
from ioc57.ingest.columns import KINDS
from ioc57.ingest.fileimport import EXTENSIONS, file_format, import_file
from ioc57.ingest.importchoices import choices, preselected, type_columns, writable_types
from ioc57.ingest.importfailures import ImportFailed, ImportRefused
from ioc57.ingest.pages import type_labels

router = APIRouter(include_in_schema=False)

PATH = "/ingest/import"
MAX_UPLOAD = 200 * 1024 * 1024
SHOWN_ERRORS = 20

Importer = Annotated[Principal, Depends(require_login("ingest.import"))]


def _page(
    request: Request, conn: Connection, status_code: int = 200, **context: Any
) -> HTMLResponse:
    principal = request.app.state.authenticate(request)
    offered = choices(conn, principal)
    form = context.pop("form", {})
    source, type_name = preselected(offered, form.get("source", ""), form.get("type", ""))
    types = writable_types(principal)
    return render(
        request,
        "import.html",
        status_code=status_code,
        sources=offered,
        # the types this person may write: the others would only be refused on submit
        record_types=types,
        columns=type_columns(types),
        kinds=KINDS,
        accept=",".join(EXTENSIONS),
        max_mb=MAX_UPLOAD // 1024 // 1024,
        type_labels=type_labels(),
        form=form | {"source": source, "type": type_name},
        **context,
    )


@router.get(PATH)
def import_form(
    request: Request, principal: Importer, conn: Annotated[Connection, Depends(read_conn)]
) -> HTMLResponse:
    return _page(request, conn)


@router.post(PATH)
async def import_submit(request: Request, principal: Importer) -> HTMLResponse:
    engine = request.app.state.engine
    upload = Upload()
    try:
        try:
            await upload.read(request, MAX_UPLOAD)
        except TooLarge:  # nothing was written: the form again, with the reason
            return await run_in_threadpool(
                _render, request, 413, form=upload.fields, error="too_large"
            )
        check_csrf(request, upload.fields.get("csrf_token"))
        form = {k: upload.fields.get(k, "") for k in ("source", "type")}
        if not upload.filename or upload.size == 0 or upload.path is None:
            return await run_in_threadpool(_render, request, 422, form=form, error="no_file")
        try:
            fmt = file_format(upload.filename)
            report = await run_in_threadpool(
                import_file,
                engine,
                upload.path,
                source=form["source"],
                type_name=form["type"],
                principal=principal,
                fmt=fmt,
                filename=upload.filename,
                gate=request.app.state.gate,
                workers=None,
            )
        except ImportRefused as exc:
            return await run_in_threadpool(
                _render, request, 403, form=form, error="refused", detail=exc.error
            )
        except ImportFailed as exc:
            return await run_in_threadpool(
                _render, request, 422, form=form, error="failed", detail=exc.error
            )
        return await run_in_threadpool(
            _render,
            request,
            200,
            form=form,
            report=report,
            filename=upload.filename,
            shown=shown_errors(report.result.rejected),
            errors_url=f"/api/v1/ingest/batches/{report.batch}/errors.csv",
        )
    finally:
        upload.discard()


def _render(request: Request, status_code: int, **context: Any) -> HTMLResponse:
    with request.app.state.engine.connect() as conn:
        return _page(request, conn, status_code=status_code, **context)


def shown_errors(rejected: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The first rejected rows, one line per reason, for the page."""
    out = []
    for row in rejected:
        for err in row["errors"]:
            out.append(
                {
                    "index": row["index"],
                    "id": row.get("id") or "",
                    "field": ".".join(map(str, err["loc"])),
                    "error": err,  # the page says it in its language
                }
            )
            if len(out) >= SHOWN_ERRORS:
                return out
    return out
