"""File import: a CSV, XLSX or NDJSON file through the gate, as a stream.

The file is read row by row (an XLSX by ``workbook.xlsx_cells``, within its caps), so memory
stays flat whatever its size; rows go through ``Gate.ingest`` (via ``file``), which commits
records, rollups, rejected rows, the batch's counts and each chunk's raw bytes together, chunk by chunk. A run killed
half-way is completed by running it again: the committed rows come back ``unchanged``.

``ioc57 import`` and the import page both call ``import_file``.
"""

from __future__ import annotations

import csv
import io
import os
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import IO, Any

import orjson
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine

from ioc57.core.access import Principal, Refused
from ioc57.core.clock import today
from ioc57.core.events import EventBus
from ioc57.core.export import safe_row
from ioc57.ingest import sources as service
from ioc57.ingest.batches import BatchResult
from ioc57.ingest.gate import Gate, type_refused
from ioc57.ingest.importfailures import (
    BINARY,
    NO_SOURCE,
    NOT_UTF8,
    NOT_XLSX,
    SOURCE_DISABLED,
    UNKNOWN_EXTENSION,
    UNKNOWN_FORMAT,
    UNKNOWN_TYPE,
    UNREADABLE_FILE,
    UNREADABLE_FROM,
)
from ioc57.ingest.importfailures import ImportFailed as ImportFailed  # for its callers
from ioc57.ingest.importfailures import ImportRefused as ImportRefused
from ioc57.ingest.parsing import HeaderError, clean_cells, csv_rows, json_fields, ndjson_lines
from ioc57.ingest.tables import batches, rejections
from ioc57.ingest.types import RECORD_TYPES
from ioc57.ingest.types.base import WITHHELD
from ioc57.ingest.workbook import WorkbookError, WorkbookTooLarge, xlsx_cells

FORMATS = ("csv", "xlsx", "ndjson")
EXTENSIONS = {".csv": "csv", ".xlsx": "xlsx", ".ndjson": "ndjson", ".jsonl": "ndjson"}
CONTENT_TYPES = {
    "csv": "text/csv",
    "ndjson": "application/x-ndjson",
    # an XLSX is not split into chunks: each chunk keeps its rows as read, one JSON object a line
    "xlsx": "application/x-ndjson; from=xlsx",
}
ERRORS_HEADER = ["index", "id", "field", "error", "row"]
# what a file that stops making sense half-way raises
UNREADABLE = (
    UnicodeDecodeError,
    csv.Error,
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    WorkbookError,
)
# from this size on, a worker process validates chunks while this one writes (its start costs a
# second or so; a file this size holds a few chunks)
WORKERS_FROM_BYTES = 8 * 1024 * 1024


@dataclass
class ImportReport:
    """What an import did: the batch's counts, and where the rejected rows were written."""

    result: BatchResult
    errors_path: Path | None = None
    counts: dict[str, int] = field(init=False)

    def __post_init__(self) -> None:
        r = self.result
        self.counts = {
            "submitted": r.submitted,
            "accepted": r.accepted,
            "updated": r.updated,
            "unchanged": r.unchanged,
            "stale": r.stale,
            "rejected": r.rejected_count,
        }

    @property
    def batch(self) -> int:
        return self.result.batch


def file_format(path: Path | str, given: str | None = None) -> str:
    """The format named by ``given``, else by the file's extension."""
    if given:
        if given not in FORMATS:
            raise ImportFailed(UNKNOWN_FORMAT, format=given, formats=", ".join(FORMATS))
        return given
    found = EXTENSIONS.get(Path(path).suffix.lower())
    if found is None:
        raise ImportFailed(UNKNOWN_EXTENSION, name=Path(path).name)
    return found


# -- readers: rows out, bytes read and raw payloads on the side ------------------------------------


class Reader:
    """Rows of one file as ``(index, row)``, with how far it has read and the raw bytes pending."""

    content_type = "application/octet-stream"

    def __init__(self, handle: IO[bytes], model: type[BaseModel] | None = None) -> None:
        self.handle = handle
        self.model = model  # the record type's model, for the readers that use it (CSV)
        self._raw: list[bytes] = []

    @property
    def position(self) -> int:
        """Bytes read so far (after the last row, the file may be closed: then all of it)."""
        if self.handle.closed:
            return self.size
        return self.handle.tell()

    @property
    def size(self) -> int:
        return getattr(self, "_size", 0)

    def rows(self) -> Iterator[tuple[int, Any]]:
        raise NotImplementedError

    def take_raw(self) -> list[tuple[bytes, str]]:
        """The raw bytes read since the last call: the payload of the chunk being committed."""
        if not self._raw:
            return []
        body = b"".join(self._raw)
        self._raw.clear()
        return [(body, self.content_type)]


class NdjsonReader(Reader):
    content_type = CONTENT_TYPES["ndjson"]

    def _lines(self) -> Iterator[bytes]:
        keep = self._raw.append
        for line in self.handle:
            keep(line)
            yield line

    def rows(self) -> Iterator[tuple[int, Any]]:
        return ndjson_lines(self._lines())


class CsvReader(Reader):
    content_type = CONTENT_TYPES["csv"]

    def __init__(self, handle: IO[bytes], model: type[BaseModel] | None = None) -> None:
        super().__init__(handle, model)
        self.header: str | None = None

    def _lines(self, text: IO[str]) -> Iterator[str]:
        for line in text:
            if self.header is None:
                self.header = line
            else:
                if not self._raw:
                    self._raw.append(self.header.encode())
                self._raw.append(line.encode())
            yield line

    def rows(self) -> Iterator[tuple[int, Any]]:
        self._size = os.fstat(self.handle.fileno()).st_size if hasattr(self.handle, "fileno") else 0
        # kept on the reader: a wrapper that is collected closes the file under the progress bar
        self._text = io.TextIOWrapper(self.handle, encoding="utf-8-sig", newline="")
        yield from csv_rows(self._lines(self._text), self.model)  # the header read at first row


class XlsxReader(Reader):
    content_type = CONTENT_TYPES["xlsx"]

    def rows(self) -> Iterator[tuple[int, Any]]:
        cells = json_fields(self.model)
        for index, row in xlsx_cells(self.handle):
            self._raw.append(orjson.dumps(row, default=str) + b"\n")
            yield index, clean_cells(row, cells)


READERS: dict[str, type[Reader]] = {"csv": CsvReader, "xlsx": XlsxReader, "ndjson": NdjsonReader}


def _check_readable(handle: IO[bytes], fmt: str) -> None:
    """Fail early, with a clear message, on a file that is not what its format says."""
    head = handle.read(4096)
    handle.seek(0)
    if fmt == "xlsx":
        if not head.startswith(b"PK"):
            raise ImportFailed(NOT_XLSX)
        return
    if b"\x00" in head:
        raise ImportFailed(BINARY, format=fmt.upper())
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the end of the sample
            raise ImportFailed(NOT_UTF8, reason=str(exc)) from None


# -- the import ------------------------------------------------------------------------------------


def import_file(
    engine: Engine,
    path: Path | str,
    *,
    source: str,
    type_name: str,
    principal: Principal,
    fmt: str | None = None,
    actor: str | None = None,
    filename: str | None = None,
    gate: Gate | None = None,
    errors_path: Path | str | None = None,
    progress: Callable[[int], Any] | None = None,
    workers: int | None = 0,
) -> ImportReport:
    """Import the file at ``path`` for ``source`` as records of ``type_name``, written by
    ``principal`` (the person on the import page; ``LOCAL_ADMIN`` for ``ioc57 import``).

    ``progress`` is called with the bytes read so far after each chunk and at the end;
    ``errors_path``, when given, receives the rejected rows with their reasons as CSV.
    ``workers``: processes that validate chunks while this one writes; ``None`` to decide by
    ``auto_workers``. They are started with ``spawn``, so a script that asks for them must guard
    its entry point with ``if __name__ == "__main__":``.
    """
    path = Path(path)
    if type_name not in RECORD_TYPES:
        raise ImportFailed(UNKNOWN_TYPE, type=type_name, types=", ".join(RECORD_TYPES))
    fmt = file_format(filename or path, fmt)
    with engine.connect() as conn:
        row = service.get_row(conn, source)
        if row is None:
            raise ImportFailed(NO_SOURCE, source=source)
        if row.disabled:
            raise ImportFailed(SOURCE_DISABLED, source=source)
        src = service.as_source(conn, row, today())
    if type_name not in src.types:
        raise ImportRefused(type_refused(source, type_name))
    gate = gate or Gate(engine, EventBus())
    try:
        gate.authorize(principal, src, type_name)  # before the file is opened
    except Refused as exc:
        raise ImportRefused(exc) from None
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise ImportFailed(f"cannot read {str(path)!r}: {exc.strerror or exc}") from None
    if workers is None:
        workers = auto_workers(path.stat().st_size)
    with handle:
        _check_readable(handle, fmt)
        reader = READERS[fmt](handle, RECORD_TYPES[type_name].model)
        rows = _first_read(reader.rows(), fmt)  # before a batch is opened for it
        try:
            result = gate.ingest(
                src,
                type_name,
                rows,
                principal=principal,
                via="file",
                actor=actor,
                filename=(filename or path.name)[:300],
                raw=reader.take_raw,
                on_chunk=(lambda _result: progress(reader.position)) if progress else None,
                workers=workers,
            )
        except WorkbookTooLarge as exc:
            raise ImportFailed(
                f"the XLSX workbook is refused after byte {reader.position}: {exc} The chunks "
                "committed before it are kept: fix the file and import it again"
            ) from None
        except UNREADABLE as exc:
            raise ImportFailed(UNREADABLE_FROM, position=reader.position, reason=str(exc)) from None
    report = ImportReport(result)
    if errors_path is not None:
        report.errors_path = write_errors(engine, result.batch, Path(errors_path))
    return report


def auto_workers(size: int) -> int:
    """One worker process for a file larger than ``WORKERS_FROM_BYTES`` when there is a second
    core for it, on SQLite and on PostgreSQL alike: on two cores shared with a PostgreSQL server,
    a worker took a 100,000-dossier import from 5,100 to 6,600–7,500 records/s (``bench/ingest.py
    --backend postgresql``), since its chunks' rollup cells are made there too."""
    cores = os.cpu_count() or 1
    return 1 if size > WORKERS_FROM_BYTES and cores >= 2 else 0


def _first_read(rows: Iterator[tuple[int, Any]], fmt: str) -> Iterator[tuple[int, Any]]:
    """``rows`` with the first one read now: a file that cannot be read at all fails here."""
    try:
        first = next(rows, None)
    except HeaderError as exc:
        raise ImportFailed(str(exc)) from None
    except WorkbookTooLarge as exc:  # a cap of the reader: nothing was stored
        raise ImportFailed(f"the XLSX workbook is refused: {exc}") from None
    except Exception as exc:  # for a workbook also a KeyError, a ValueError...
        if fmt == "xlsx":
            raise ImportFailed(f"cannot read the XLSX workbook: {exc}") from None
        if isinstance(exc, UNREADABLE):
            raise ImportFailed(UNREADABLE_FILE, reason=str(exc)) from None
        raise
    return iter(()) if first is None else chain([first], rows)


def rejected_lines(conn: Connection, batch_id: int) -> Iterator[list[Any]]:
    """The batch's rejected rows, one line (``ERRORS_HEADER``) per reason: without the private
    fields of the batch's record type (rows stored before they were left out too), and each cell
    safe to open in a spreadsheet. What ``errors.csv`` and ``FILE.errors.csv`` hold."""
    type_name = conn.execute(select(batches.c.type).where(batches.c.id == batch_id)).scalar()
    rtype = RECORD_TYPES.get(type_name or "")
    query = (
        select(
            rejections.c.row_index, rejections.c.record_id, rejections.c.errors, rejections.c.row
        )
        .where(rejections.c.batch_id == batch_id)
        .order_by(rejections.c.row_index)
        .execution_options(yield_per=1000)
    )
    for r in conn.execute(query):
        row = rtype.public_row(r.row) if rtype else (WITHHELD if r.row else "")
        for err in r.errors:
            yield safe_row(
                [r.row_index, r.record_id or "", ".".join(map(str, err["loc"])), err["msg"], row]
            )


def write_errors(engine: Engine, batch_id: int, path: Path) -> Path | None:
    """Write the batch's rejected rows (``rejected_lines``) to ``path``; None if none.

    An errors file left by an earlier run of the same file is removed when there is nothing to say.
    """
    written = 0
    with engine.connect() as conn, path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(ERRORS_HEADER)
        for line in rejected_lines(conn, batch_id):
            writer.writerow(line)
            written += 1
    if written == 0:
        path.unlink()
        return None
    return path
