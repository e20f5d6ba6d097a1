"""Pull connectors: fetch a source's ``pull_url`` on its schedule and run the rows through the gate.

A pull is a conditional GET: the stored ETag goes out as ``If-None-Match`` and the stored
Last-Modified as ``If-Modified-Since``, so an unchanged feed costs one 304. Network errors and 5xx
answers are retried with exponential backoff; after the last try the error is kept on the source
(``last_error``, ``last_error_at``) for the sources page and the API, and cleared by the next
success.

The scheduler is a thread in the web process (``install_scheduler``; ``ioc57 serve`` and
``ioc57 demo`` start it unless ``IOC57_PULL_SCHEDULER=0``). Several processes may run it against
one PostgreSQL database: each due source is claimed with one conditional UPDATE that moves its
``pull_next_at`` forward, and only the process whose UPDATE changed the row pulls it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
import orjson
from pydantic import BaseModel
from sqlalchemy import or_, select, update
from sqlalchemy.engine import Engine

import ioc57
from ioc57.core.access import Refused
from ioc57.core.clock import now, today
from ioc57.core.periodic import Periodic
from ioc57.core.problems import Problem
from ioc57.ingest.gate import Gate
from ioc57.ingest.parsing import HeaderError, csv_rows, json_rows, ndjson_rows, text_stream
from ioc57.ingest.sources import as_source, get_row, source_principal
from ioc57.ingest.tables import sources
from ioc57.ingest.types import RECORD_TYPES

log = logging.getLogger(__name__)

DELAYS = (1.0, 2.0)  # waits between tries: three tries in all
TIMEOUT_S = 30.0
MAX_BYTES = 100 * 1024 * 1024
EVERY_S = 5.0  # how often the scheduler looks for due sources
ACCEPT = {
    "json": "application/json",
    "ndjson": "application/x-ndjson, application/json;q=0.5",
    "csv": "text/csv, text/plain;q=0.5",
}
CONTENT_TYPES = {"json": "application/json", "ndjson": "application/x-ndjson", "csv": "text/csv"}


class PullError(Exception):
    """A pull that could not fetch or read its payload; the message is kept as ``last_error``."""


@dataclass
class PullResult:
    source: str
    status: str  # "ingested", "not_modified" or "failed"
    tries: int = 0
    answer: dict[str, Any] | None = None
    error: str | None = None


@dataclass
class Fetched:
    status: int
    body: bytes = b""
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None
    tries: int = 1


def rows_of(
    body: bytes, fmt: str, model: type[BaseModel] | None = None
) -> Iterator[tuple[int, Any]]:
    """The rows of a pulled payload, read by the source's ``pull_format`` (a CSV payload's header
    checked against the record type's ``model``)."""
    if fmt == "json":
        try:
            items = orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            raise PullError(f"the payload is not JSON: {exc}") from None
        if not isinstance(items, list):
            raise PullError("the payload is not a JSON array of records")
        return json_rows(items)
    if fmt == "ndjson":
        return ndjson_rows(body.splitlines())
    if fmt == "csv":
        try:
            return csv_rows(text_stream(body), model)
        except HeaderError as exc:
            raise PullError(f"the CSV payload cannot be read: {exc}") from None
    raise PullError(f"unknown pull format {fmt!r}")


@dataclass
class Puller:
    """Pulls sources through ``gate``; ``delays`` are the waits between tries, in seconds."""

    engine: Engine
    gate: Gate
    delays: tuple[float, ...] = DELAYS
    timeout: float = TIMEOUT_S
    sleep: Callable[[float], Any] = time.sleep
    transport: httpx.BaseTransport | None = None

    # -- scheduling --------------------------------------------------------------------------------

    def due(self, at: datetime | None = None) -> list[tuple[int, int]]:
        """(id, interval) of the enabled pull sources whose time has come."""
        at = at or now()
        query = select(sources.c.id, sources.c.pull_interval_s).where(
            sources.c.pull_url.is_not(None),
            sources.c.pull_interval_s.is_not(None),
            sources.c.disabled.is_(False),
            or_(sources.c.pull_next_at.is_(None), sources.c.pull_next_at <= at),
        )
        with self.engine.connect() as conn:
            return [(r.id, r.pull_interval_s) for r in conn.execute(query.order_by(sources.c.id))]

    def claim(self, source_id: int, interval_s: int, at: datetime | None = None) -> bool:
        """Move a due source's next pull forward; True only for the one process that did it."""
        at = at or now()
        with self.engine.begin() as conn:
            result = conn.execute(
                update(sources)
                .where(
                    sources.c.id == source_id,
                    or_(sources.c.pull_next_at.is_(None), sources.c.pull_next_at <= at),
                )
                .values(pull_next_at=at + timedelta(seconds=interval_s))
            )
            return result.rowcount == 1

    def pull_due(self, stop: threading.Event | None = None) -> list[PullResult]:
        """Claim and pull every due source; return what happened to each."""
        results = []
        for source_id, interval_s in self.due():
            if stop is not None and stop.is_set():
                break
            if not self.claim(source_id, interval_s):
                continue  # another process has it
            with self.engine.connect() as conn:
                row = conn.execute(select(sources.c.name).where(sources.c.id == source_id)).first()
            if row is None:
                continue
            try:
                results.append(self.pull(row.name))
            except Problem as problem:  # disabled or changed since it was found due
                log.info("pull of source %s skipped: %s", row.name, problem.detail)
        return results

    # -- one pull ----------------------------------------------------------------------------------

    def pull(self, name: str) -> PullResult:
        """Pull source ``name`` now, whatever its schedule; the outcome is stored on the source."""
        with self.engine.connect() as conn:
            row = get_row(conn, name)
            if row is None:
                raise Problem(
                    404, f"No source '{name}'.", errors=[{"loc": ["name"], "msg": "unknown"}]
                )
            if not row.pull_url:
                raise Problem(
                    422,
                    f"Source '{name}' has no pull URL.",
                    errors=[{"loc": ["pull_url"], "msg": "not set"}],
                )
            if row.disabled:
                raise Problem(409, f"Source '{name}' is disabled.")
        result = PullResult(source=name, status="failed")
        fetched: Fetched | None = None
        try:
            with self.engine.connect() as conn:
                source = as_source(conn, row, today())
                principal = source_principal(conn, row)  # a pull writes as the source itself
            if row.pull_type not in source.types:
                raise PullError(f"the pull type {row.pull_type!r} is not among the source's types")
            fetched = self.fetch(row)
            result.tries = fetched.tries
            if fetched.status == 304:
                result.status = "not_modified"
            else:
                rows = rows_of(fetched.body, row.pull_format, RECORD_TYPES[row.pull_type].model)
                answer = self.gate.ingest(
                    source,
                    row.pull_type,
                    rows,
                    principal=principal,
                    via="pull",
                    actor=f"pull:{name}"[:60],
                    raw=iter([(fetched.body, fetched.content_type)]),
                )
                result.status, result.answer = "ingested", answer.answer()
        except (PullError, Refused) as exc:  # Refused: the source may not write that type now
            result.error = str(exc)[:2000]
        except Exception as exc:  # a bug or a database error: keep it visible on the source
            log.exception("pull of source %s failed", name)
            result.error = f"{type(exc).__name__}: {exc}"[:2000]
        self._store(row, result, fetched)
        return result

    def fetch(self, row: Any) -> Fetched:
        """GET the source's URL conditionally, retrying network errors and 5xx answers."""
        headers = {
            "Accept": ACCEPT.get(row.pull_format, "*/*"),
            "User-Agent": f"ioc57/{ioc57.__version__} (pull connector)",
        }
        if row.pull_etag:
            headers["If-None-Match"] = row.pull_etag
        if row.pull_last_modified:
            headers["If-Modified-Since"] = row.pull_last_modified
        tries = len(self.delays) + 1
        last = "no answer"
        with httpx.Client(
            timeout=self.timeout, follow_redirects=True, transport=self.transport
        ) as client:
            for attempt in range(tries):
                try:
                    fetched = self._get(client, row.pull_url, headers, row.pull_format)
                except httpx.TransportError as exc:
                    last = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
                else:
                    if fetched.status < 500:
                        fetched.tries = attempt + 1
                        return fetched
                    last = f"HTTP {fetched.status}"
                if attempt + 1 < tries:
                    self.sleep(self.delays[attempt])
        raise PullError(f"{last} from {row.pull_url} after {tries} tries")

    def _get(self, client: httpx.Client, url: str, headers: dict[str, str], fmt: str) -> Fetched:
        with client.stream("GET", url, headers=headers) as response:
            status = response.status_code
            if status >= 500:
                return Fetched(status)
            if status == 304:
                return Fetched(
                    304,
                    etag=response.headers.get("etag"),
                    last_modified=response.headers.get("last-modified"),
                )
            if status != 200:
                raise PullError(f"HTTP {status} from {url}")
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > MAX_BYTES:
                raise PullError(f"the payload is larger than {MAX_BYTES // 1024 // 1024} MB")
            body = bytearray()
            for part in response.iter_bytes():
                body += part
                if len(body) > MAX_BYTES:
                    raise PullError(f"the payload is larger than {MAX_BYTES // 1024 // 1024} MB")
            content_type = response.headers.get("content-type") or CONTENT_TYPES[fmt]
            return Fetched(
                200,
                bytes(body),
                content_type,
                etag=response.headers.get("etag"),
                last_modified=response.headers.get("last-modified"),
            )

    def _store(self, row: Any, result: PullResult, fetched: Fetched | None) -> None:
        at = now()
        values: dict[str, Any] = {
            "pull_next_at": at + timedelta(seconds=row.pull_interval_s or 300)
        }
        if result.status == "failed":
            values |= {"last_error": result.error, "last_error_at": at}
        else:
            values |= {"last_pulled_at": at, "last_error": None, "last_error_at": None}
            if fetched is not None and fetched.status == 200:
                # what the server said about this version; nothing said means nothing to send
                values |= {
                    "pull_etag": (fetched.etag or None) and fetched.etag[:200],
                    "pull_last_modified": (fetched.last_modified or None)
                    and fetched.last_modified[:100],
                }
            elif fetched is not None:  # a 304 may refresh the validators
                if fetched.etag:
                    values["pull_etag"] = fetched.etag[:200]
                if fetched.last_modified:
                    values["pull_last_modified"] = fetched.last_modified[:100]
        with self.engine.begin() as conn:
            conn.execute(update(sources).where(sources.c.id == row.id).values(**values))
        if result.status == "failed":
            log.warning("pull of source %s failed: %s", result.source, result.error)


class PullScheduler(Periodic):
    """A daemon thread that wakes every ``every`` seconds and pulls the due sources."""

    def __init__(self, engine: Engine, gate: Gate, *, every: float = EVERY_S, **puller: Any):
        super().__init__("ioc57-pull", every, self._pull_due)
        self.puller = Puller(engine, gate, sleep=self.stopping.wait, **puller)

    def _pull_due(self) -> None:
        self.puller.pull_due(self.stopping)


def install_scheduler(app: Any, **options: Any) -> PullScheduler:
    """Run the pull scheduler while ``app`` runs (through its start and stop hooks)."""
    scheduler = PullScheduler(app.state.engine, app.state.gate, **options)
    app.state.pull_scheduler = scheduler
    app.state.on_start.append(scheduler.start)
    app.state.on_stop.append(scheduler.stop)
    return scheduler
