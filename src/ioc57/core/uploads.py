"""A page's form with one file (the import and entry pages): read by Starlette's form parser, which
keeps a large file on disk as it arrives, under a cap on the whole body; the file is then kept in
a named temporary file for the readers that open it by its path.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import IO

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from python_multipart.multipart import parse_options_header
from starlette.datastructures import UploadFile
from starlette.types import Message, Receive

from ioc57.core.problems import Problem

MAX_FIELD = 10_000  # bytes of a field that is not the file (a source's name, a unit, a period)
MAX_FIELDS = 20
FORM_BYTES = 64 * 1024  # what the fields and the part headers may add to the file


class TooLarge(Exception):
    """The file passes its cap: the page says so (413), nothing was stored."""


class Upload:
    """A form's fields and its ``file``, kept at ``path`` until ``discard``."""

    def __init__(self) -> None:
        self.fields: dict[str, str] = {}
        self.filename: str | None = None
        self.path: Path | None = None
        self.size = 0

    async def read(self, request: Request, limit: int) -> None:
        """Read the form; ``TooLarge`` as soon as the file passes ``limit`` bytes, a 4xx Problem
        for a body that is no form of fields and one file."""
        content_type, params = parse_options_header(request.headers.get("content-type", ""))
        if content_type != b"multipart/form-data" or b"boundary" not in params:
            raise Problem(415, "Send the form as multipart/form-data.")
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit + FORM_BYTES:
            raise TooLarge
        capped = Request(request.scope, _capped(request, limit + FORM_BYTES))
        form = capped.form(max_files=1, max_fields=MAX_FIELDS, max_part_size=MAX_FIELD)
        async with form as items:
            self.fields = {k: v for k, v in items.multi_items() if isinstance(v, str)}
            file = items.get("file")
            if not isinstance(file, UploadFile) or not file.filename:
                return
            self.filename = os.path.basename(file.filename)
            self.size = file.size or 0
            if self.size > limit:
                raise TooLarge
            await run_in_threadpool(self._keep, file.file)

    def _keep(self, source: IO[bytes]) -> None:
        suffix = Path(self.filename or "").suffix.lower()[:10]
        with tempfile.NamedTemporaryFile(
            prefix="ioc57-import-", suffix=suffix, delete=False
        ) as handle:
            self.path = Path(handle.name)
            shutil.copyfileobj(source, handle)

    def discard(self) -> None:
        if self.path is not None:
            self.path.unlink(missing_ok=True)


def _capped(request: Request, limit: int) -> Receive:
    """The request's ``receive``, raising ``TooLarge`` once the body passes ``limit`` bytes."""
    received = 0

    async def receive() -> Message:
        nonlocal received
        message = await request.receive()
        received += len(message.get("body", b""))
        if received > limit:
            raise TooLarge
        return message

    return receive
