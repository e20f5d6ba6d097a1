"""The import page: an admin or operator uploads a CSV, XLSX or NDJSON file for a data source.

The page is a door (``ingest.import``); what the file may write is decided by the access policy
as for every other path (``Gate.authorize``): the record type's own action (an operator may not
enter indicator values), the person's unit scope for each row, and whether values are approved.

The upload is streamed to a temporary file (at most ``MAX_UPLOAD`` bytes) by a multipart parser of
our own, so that a large file never sits in memory; then ``fileimport.import_file`` runs it
through the gate in a worker thread, and the page shows the batch's counts and a link to its
error report.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from sqlalchemy import select
from sqlalchemy.engine import Connection

from ioc57.core.access import Principal, check_csrf, may
from ioc57.core.http import read_conn
from ioc57.core.pages import render, require_login
from ioc57.core.problems import Problem
from ioc57.ingest.fileimport import (
    EXTENSIONS,
    ImportFailed,
    ImportRefused,
    file_format,
    import_file,
)
from ioc57.ingest.tables import sources
from ioc57.ingest.types import RECORD_TYPES

router = APIRouter(include_in_schema=False)

PATH = "/ingest/import"
MAX_UPLOAD = 200 * 1024 * 1024
MAX_FIELD = 10_000
SHOWN_ERRORS = 20


class TooLarge(Exception):
    pass


Importer = Annotated[Principal, Depends(require_login("ingest.import"))]


def _sources(conn: Connection) -> list[dict]:
    query = (
        select(sources.c.name, sources.c.title, sources.c.types)
        .where(sources.c.disabled.is_(False))
        .order_by(sources.c.name)
    )
    return [dict(r._mapping) for r in conn.execute(query)]


def _page(request: Request, conn: Connection, status_code: int = 200, **context):
    return render(
        request,
        "import.html",
        status_code=status_code,
        sources=_sources(conn),
        # the types this person may write: the others would only be refused on submit
        record_types=[
            name
            for name, rtype in RECORD_TYPES.items()
            if may(request.app.state.authenticate(request), rtype.write_action)
        ],
        accept=",".join(EXTENSIONS),
        max_mb=MAX_UPLOAD // 1024 // 1024,
        form=context.pop("form", {}),
        **context,
    )


@router.get(PATH)
def import_form(
    request: Request, principal: Importer, conn: Annotated[Connection, Depends(read_conn)]
):
    return _page(request, conn)


class Upload:
    """A multipart form read as it arrives: small fields in memory, the file to a temporary file."""

    def __init__(self, directory: str | None = None) -> None:
        self.fields: dict[str, str] = {}
        self.filename: str | None = None
        self.path: Path | None = None
        self.size = 0
        self._directory = directory
        self._handle = None
        self._name = ""
        self._data = bytearray()
        self._header_name = b""
        self._header_value = b""
        self._disposition = b""

    # python-multipart's callbacks
    def on_part_begin(self) -> None:
        self._name, self._data, self._disposition = "", bytearray(), b""

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def on_header_end(self) -> None:
        if self._header_name.lower() == b"content-disposition":
            self._disposition = self._header_value
        self._header_name, self._header_value = b"", b""

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self._disposition)
        self._name = options.get(b"name", b"").decode("utf-8", "replace")
        if b"filename" in options and self._name == "file" and self._handle is None:
            self.filename = os.path.basename(options[b"filename"].decode("utf-8", "replace"))
            suffix = Path(self.filename).suffix.lower()[:10]
            handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed in finish()/discard()
                prefix="ioc57-import-", suffix=suffix, dir=self._directory, delete=False
            )
            self._handle, self.path = handle, Path(handle.name)

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self._handle is not None and self._name == "file" and self.filename is not None:
            self.size += end - start
            if self.size > MAX_UPLOAD:
                raise TooLarge
            self._handle.write(data[start:end])
        elif len(self._data) + end - start <= MAX_FIELD:
            self._data += data[start:end]

    def on_part_end(self) -> None:
        if self._name and self._name != "file":
            self.fields[self._name] = self._data.decode("utf-8", "replace")

    async def read(self, request: Request) -> None:
        content_type, params = parse_options_header(request.headers.get("content-type", ""))
        if content_type != b"multipart/form-data" or b"boundary" not in params:
            raise Problem(415, "Send the form as multipart/form-data.")
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_UPLOAD + 64 * 1024:
            raise TooLarge
        callbacks = {
            name: getattr(self, name)
            for name in (
                "on_part_begin",
                "on_part_data",
                "on_part_end",
                "on_header_field",
                "on_header_value",
                "on_header_end",
                "on_headers_finished",
            )
        }
        parser = MultipartParser(params[b"boundary"], callbacks)
        try:
            async for chunk in request.stream():
                parser.write(chunk)
            parser.finalize()
        except FormParserError as exc:
            raise Problem(400, f"The form could not be read: {exc}") from None
        finally:
            if self._handle is not None:
                self._handle.close()

    def discard(self) -> None:
        if self._handle is not None:
            self._handle.close()
        if self.path is not None:
            self.path.unlink(missing_ok=True)


@router.post(PATH)
async def import_submit(request: Request, principal: Importer):
    engine = request.app.state.engine
    upload = Upload()
    try:
        try:
            await upload.read(request)
        except TooLarge:  # nothing was written: the form again, with the reason
            return await run_in_threadpool(
                _render, request, 413, form=upload.fields, error="too_large"
            )
        check_csrf(request, upload.fields.get("csrf_token"))
        form = {k: upload.fields.get(k, "") for k in ("source", "type")}
        if not upload.filename or upload.size == 0:
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
                _render, request, 403, form=form, error="refused", detail=str(exc)
            )
        except ImportFailed as exc:
            return await run_in_threadpool(
                _render, request, 422, form=form, error="failed", detail=str(exc)
            )
        return await run_in_threadpool(
            _render,
            request,
            200,
            form=form,
            report=report,
            filename=upload.filename,
            shown=_shown_errors(report.result.rejected),
            errors_url=f"/api/v1/ingest/batches/{report.batch}/errors.csv",
        )
    finally:
        upload.discard()


def _render(request: Request, status_code: int, **context):
    with request.app.state.engine.connect() as conn:
        return _page(request, conn, status_code=status_code, **context)


def _shown_errors(rejected: list[dict]) -> list[dict]:
    """The first rejected rows, one line per reason, for the page."""
    out = []
    for row in rejected:
        for err in row["errors"]:
            out.append(
                {
                    "index": row["index"],
                    "id": row.get("id") or "",
                    "field": ".".join(map(str, err["loc"])),
                    "error": err["msg"],
                }
            )
            if len(out) >= SHOWN_ERRORS:
                return out
    return out
