"""A page's or an API's form with files (the import and entry pages: one file; a report's evidence:
a few): read by Starlette's form parser, which keeps a large file on disk as it arrives, under a
cap on the whole body; each file is then kept in a named temporary file for the readers that open
it by its path.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from python_multipart.multipart import parse_options_header
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.types import Message, Receive

from ioc57.core.problems import Problem

MAX_FIELD = 10_000  # bytes of a field that is not the file (a source's name, a unit, a period)
MAX_FIELDS = 20
FORM_BYTES = 64 * 1024  # what the fields and the part headers may add to the files


class TooLarge(Exception):
    """A file passes its cap: the page says so (413), nothing was stored."""

    def __init__(self, filename: str | None = None) -> None:
        super().__init__(filename or "the request's body")
        self.filename = filename  # None: the body as a whole passed the cap


@dataclass(frozen=True)
class Kept:
    """A file of the form, kept at ``path`` until the upload is discarded."""

    filename: str  # as the sender named it, without any folder
    path: Path
    size: int


class Upload:
    """A form's fields and its files sent under ``name`` (``files`` of them at most), kept until
    ``discard``; ``filename``, ``path`` and ``size`` are those of the first file."""

    def __init__(
        self,
        name: str = "file",
        files: int = 1,
        field_bytes: int = MAX_FIELD,
        form_bytes: int = FORM_BYTES,
    ) -> None:
        self.name, self.files = name, files
        # what one field, and all the fields with the part headers, may weigh
        self.field_bytes, self.form_bytes = field_bytes, form_bytes
        self.fields: dict[str, str] = {}
        self.kept: list[Kept] = []
        self.filename: str | None = None
        self.size = 0

    @property
    def path(self) -> Path | None:
        return self.kept[0].path if self.kept else None

    async def read(self, request: Request, limit: int) -> None:
        """Read the form; ``TooLarge`` as soon as a file passes ``limit`` bytes (or the body
        what ``files`` such files and the fields may weigh), a 4xx Problem for a body that is no
        form of fields and files (more files than ``files``: a 422 naming ``name``)."""
        content_type, params = parse_options_header(request.headers.get("content-type", ""))
        if content_type != b"multipart/form-data" or b"boundary" not in params:
            raise Problem(415, "Send the form as multipart/form-data.")
        body_limit = limit * self.files + self.form_bytes
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > body_limit:
            raise TooLarge
        capped = Request(request.scope, _capped(request, body_limit))
        form = capped.form(
            max_files=self.files, max_fields=MAX_FIELDS, max_part_size=self.field_bytes
        )
        try:
            async with form as items:
                self.fields = {k: v for k, v in items.multi_items() if isinstance(v, str)}
                await self._keep_all(items.getlist(self.name), limit)
        except HTTPException as exc:  # the parser's refusal of the form, in an app
            raise self._refused(str(exc.detail)) from None
        except MultiPartException as exc:  # and outside one
            raise self._refused(exc.message) from None

    async def _keep_all(self, values: list[Any], limit: int) -> None:
        sent = [f for f in values if isinstance(f, UploadFile) and f.filename]
        for file in sent:
            filename = os.path.basename(file.filename or "")
            if self.filename is None:
                self.filename, self.size = filename, file.size or 0
            if (file.size or 0) > limit:
                raise TooLarge(filename)
        for file in sent:
            self.kept.append(await run_in_threadpool(_keep, file))

    def _refused(self, detail: str) -> Problem:
        """The parser's refusal as a Problem. Too many files names the field they were sent as:
        a 422 where a person may pick several (a report's evidence: the page shows it by the
        field), a 400 where the form takes one (no page sends two: the request is malformed)."""
        if detail.startswith("Too many files"):  # Starlette's words: the only refusal of files
            msg = f"at most {self.files} file{'s' if self.files > 1 else ''}"
            status = 422 if self.files > 1 else 400
            return Problem(
                status,
                f"Too many files in {self.name}: {msg}",
                errors=[{"loc": [self.name], "msg": msg}],
            )
        return Problem(400, detail)

    def discard(self) -> None:
        for kept in self.kept:
            kept.path.unlink(missing_ok=True)


def _keep(file: UploadFile) -> Kept:
    filename = os.path.basename(file.filename or "")
    suffix = Path(filename).suffix.lower()[:10]
    with tempfile.NamedTemporaryFile(prefix="ioc57-upload-", suffix=suffix, delete=False) as handle:
        path = Path(handle.name)
        try:
            shutil.copyfileobj(file.file, handle)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
    return Kept(filename, path, file.size or 0)


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
