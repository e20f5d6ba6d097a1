"""Evidence files of a progress report: PDF, PNG, JPEG, DOCX or XLSX, told by their bytes (never by
their name or the type the sender declared), at most ``MAX_BYTES`` each and ``MAX_FILES`` to a
report, stored in ``tasks_evidence`` with their SHA-256.

A DOCX or an XLSX is a ZIP holding ``word/document.xml`` or ``xl/workbook.xml``: only its
directory is read, nothing is extracted, and one that carries macros (``vbaProject.bin``: a .docm
or .xlsm renamed) is refused. A file refused refuses the whole report: nothing of it is stored.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import func, insert, select
from sqlalchemy.engine import Connection

from ioc57.core.clock import local_iso
from ioc57.core.problems import Problem
from ioc57.core.uploads import Kept
from ioc57.tasks.tables import evidence

FIELD = "evidence"  # the form field the files are sent as, and the field a refusal names
MAX_BYTES = 20 * 1024 * 1024
MAX_FILES = 5  # to a report, with those added later

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TYPES = (PDF, PNG, JPEG, DOCX, XLSX)
KINDS = "PDF, PNG, JPEG, DOCX or XLSX"

MAGIC = ((b"%PDF-", PDF), (b"\x89PNG\r\n\x1a\n", PNG), (b"\xff\xd8\xff", JPEG))
ZIP = b"PK\x03\x04"
OFFICE = (("word/document.xml", DOCX), ("xl/workbook.xml", XLSX))
CONTENT_TYPES = "[Content_Types].xml"  # every Office Open XML package has it
MACROS = "vbaproject.bin"
UNSAFE = re.compile(r"[\x00-\x1f\x7f]")
MAX_NAME = 255
CHUNK = 1024 * 1024


def sniff(file: IO[bytes]) -> str | None:
    """The type of an evidence file by its bytes (one of ``TYPES``), or None when it is none."""
    file.seek(0)
    head = file.read(8)
    for magic, kind in MAGIC:
        if head.startswith(magic):
            return kind
    return _office(file) if head.startswith(ZIP) else None


def _office(file: IO[bytes]) -> str | None:
    """DOCX or XLSX by the names in a ZIP's directory; None for any other ZIP, one with macros,
    or one whose directory cannot be read."""
    try:
        with zipfile.ZipFile(file) as archive:
            names = archive.namelist()
    except Exception:  # the bytes are the sender's: a directory that cannot be read is refused
        return None
    if CONTENT_TYPES not in names or any(n.lower().endswith(MACROS) for n in names):
        return None
    return next((kind for part, kind in OFFICE if part in names), None)


@dataclass(frozen=True)
class File:
    """An evidence file that passed the checks, still on disk until it is stored."""

    filename: str
    path: Path
    content_type: str
    size: int
    sha256: str


def refused(place: int | None, msg: str, status: int = 422) -> Problem:
    """A Problem naming the evidence file at ``place`` among those sent (or the field)."""
    loc: list[str | int] = [FIELD] if place is None else [FIELD, place]
    return Problem(status, f"{FIELD}: {msg}", errors=[{"loc": loc, "msg": msg}])


def too_large(filename: str | None) -> Problem:
    what = filename or "a file"
    return refused(None, f"{what} is over {MAX_BYTES // 1024 // 1024} MB", 413)


def clean_name(filename: str) -> str:
    """The name a file is kept and offered under: no control characters, at most 255 of them."""
    name = UNSAFE.sub("", filename).strip() or FIELD
    if len(name) > MAX_NAME:
        suffix = Path(name).suffix[:16]
        name = name[: MAX_NAME - len(suffix)] + suffix
    return name


def check(kept: Sequence[Kept]) -> list[File]:
    """The files of one form, checked: a Problem naming ``evidence`` (and the file's place) for
    too many of them or for the first one refused."""
    room(0, len(kept))
    return [_checked(place, file) for place, file in enumerate(kept)]


def room(stored: int, adding: int) -> None:
    """Refuse ``adding`` files to a report that holds ``stored`` when they pass ``MAX_FILES``."""
    if stored + adding > MAX_FILES:
        left = max(MAX_FILES - stored, 0)
        raise refused(None, f"a report holds at most {MAX_FILES} files: {left} more may be added")


def _checked(place: int, kept: Kept) -> File:
    name = clean_name(kept.filename)
    with kept.path.open("rb") as handle:
        size = kept.path.stat().st_size
        if size > MAX_BYTES:
            raise too_large(name)
        kind = sniff(handle)
        if kind is None:
            raise refused(place, f"{name} is not a {KINDS} file")
        handle.seek(0)
        digest = hashlib.sha256()
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return File(name, kept.path, kind, size, digest.hexdigest())


def store(
    conn: Connection,
    files: Iterable[File],
    *,
    report_id: int,
    task_id: int,
    actor: str,
    at: datetime,
) -> list[dict[str, Any]]:
    """Keep ``files`` (checked) with the report; their items as ``listed`` gives them."""
    out = []
    for file in files:
        values = {
            "report_id": report_id,
            "task_id": task_id,
            "filename": file.filename,
            "content_type": file.content_type,
            "size": file.size,
            "sha256": file.sha256,
            "uploaded_by": actor,
            "uploaded_at": at,
        }
        content = file.path.read_bytes()  # one file in memory at a time
        new_id = conn.execute(
            insert(evidence).values(**values, content=content).returning(evidence.c.id)
        ).scalar_one()
        out.append(item({"id": new_id, **values}))
    return out


def item(row: Any) -> dict[str, Any]:
    """What the API shows of an evidence file (not its bytes: ``href`` downloads them)."""
    r = row if isinstance(row, dict) else row._mapping
    return {
        "id": r["id"],
        "filename": r["filename"],
        "content_type": r["content_type"],
        "size": r["size"],
        "sha256": r["sha256"],
        "uploaded_by": r["uploaded_by"],
        "uploaded_at": local_iso(r["uploaded_at"]),
        "href": f"/api/v1/tasks/{r['task_id']}/evidence/{r['id']}",
    }


LISTED = [c for c in evidence.c if c.name != "content"]


def listed(conn: Connection, report_ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    """The evidence of each report, in the order it came, without the bytes."""
    out: dict[int, list[dict[str, Any]]] = {rid: [] for rid in report_ids}
    if not report_ids:
        return out
    query = select(*LISTED).where(evidence.c.report_id.in_(report_ids)).order_by(evidence.c.id)
    for row in conn.execute(query):
        out[row.report_id].append(item(row))
    return out


def count(conn: Connection, report_id: int) -> int:
    query = select(func.count()).select_from(evidence).where(evidence.c.report_id == report_id)
    return conn.execute(query).scalar_one()


def one(conn: Connection, task_id: int, evidence_id: int) -> Any | None:
    """An evidence file of a task, with its bytes; None when the task has no such file."""
    query = select(evidence).where(evidence.c.id == evidence_id, evidence.c.task_id == task_id)
    return conn.execute(query).first()
