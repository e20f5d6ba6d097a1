"""The gate: validate, resolve units, dedupe and upsert records, roll up — all in one transaction
per chunk — then announce the change on the event bus.

A file or a pull is read as a stream and written ``CHUNK`` rows a transaction; a request (a push,
an EPCIS capture document, a page's form) is one chunk whatever its size, bounded by its API, so
it commits or fails as a whole. Each chunk
commits its records, its rollup deltas, its rejected rows and its batch's counts together, so a
process killed half-way leaves a database that a re-run completes to the state of one clean run.

The steps are modules of their own: ``validation`` (rows to candidates or rejected rows),
``chunks`` (rows cut into chunks, validated here or in worker processes), ``storage`` (candidates
against the stored versions, written through ``bulk``) and ``batches`` (a batch's raw payloads,
rejected rows and counts).

Where the time goes, and what is done about it (see ``bench/ingest.py``): validating a record and
computing its rollup contributions cost more than writing it, so the next chunk is validated while
the current one is written, by a worker process, for big files (``chunks``); the writes go
through ``bulk`` as plain ``executemany``/``COPY`` of prepared tuples; SQLite gets a
larger page cache and fewer checkpoints for the length of a batch; stored versions are looked up
with one array parameter on PostgreSQL, and their data read only when a record may change.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import closing
from dataclasses import replace
from typing import Any

import orjson
from sqlalchemy.engine import Connection, Engine

from ioc57.core import heap
from ioc57.core.access import Principal, Refused, WriteGrant, authorize_write
from ioc57.core.clock import now
from ioc57.core.events import Event, EventBus
from ioc57.core.i18n import N_
from ioc57.core.messages import message
from ioc57.ingest import batches, chunks, hooks, storage
from ioc57.ingest.batches import BatchResult, Counts, Source
from ioc57.ingest.bulk import bulk_session
from ioc57.ingest.chunks import Chunk, Payloads, Raw, Rows
from ioc57.ingest.rollups import targets
from ioc57.ingest.types import RECORD_TYPES, RecordType
from ioc57.ingest.unitcache import Places, UnitCache, UnitInfo
from ioc57.ingest.validation import Candidate, Validated, Validator

# Rows of a file or a pull per transaction. What a file import holds in memory is a few chunks in
# flight (one written, the next validated by a worker, their rows, candidates and rollup cells):
# chunks of 5,000 took a 100,000-dossier import's processes from 467 to 366 MB at the same speed
# (bench/ingest.py --paths file); bigger chunks only aggregate a few more rollup cells.
CHUNK = 5_000
STREAMS = ("file", "pull")  # the ways in that are chunked; any other is a request, written whole
WHOLE = sys.maxsize


TYPE_REFUSED = message(
    "ingest.type_refused", N_("Source '{source}' may not send '{type}' records.")
)


def type_refused(source: str, type_name: str) -> Refused:
    """The refusal of a record type its source was not given (403, with its code: a page says
    it in its language)."""
    return Refused(TYPE_REFUSED, source=source, type=type_name)


class Gate:
    def __init__(self, engine: Engine, bus: EventBus, cache: UnitCache | None = None) -> None:
        self.engine = engine
        self.bus = bus
        self.cache = cache or UnitCache(engine)
        self.places = Places(engine, self.cache)
        self.validator = Validator(self.cache, self.places)

    def open_batch(
        self, source: Source, type_name: str, via: str, actor: str, filename: str | None = None
    ) -> int:
        """A new batch (``batches.open_batch``); its id."""
        return batches.open_batch(self.engine, source, type_name, via, actor, filename)

    def keep_raw(
        self, conn: Connection, source: Source, batch_id: int | None, body: bytes, content_type: str
    ) -> None:
        """Keep a payload as received (``batches.keep_raw``)."""
        batches.keep_raw(conn, source, batch_id, body, content_type)

    def authorize(self, principal: Principal, source: Source, type_name: str) -> WriteGrant:
        """What ``principal`` may write as ``source`` of records of ``type_name``: the source's
        rule (its record types) and the access policy's (``core.access.authorize_write``).
        ``ingest`` decides it itself; a caller may ask first, to refuse before reading a body.
        Raises ``Refused``."""
        rtype = RECORD_TYPES[type_name]
        if type_name not in source.types:
            raise type_refused(source.name, type_name)
        return authorize_write(
            principal,
            rtype.write_action,
            own_source=principal is not None and principal.id == source.user_id,
            trusted=source.trusted,
            review=rtype.review_action,
        )

    def validate(
        self,
        source: Source,
        rtype: RecordType[Any],
        rows: Rows,
        grant: WriteGrant,
    ) -> Validated:
        """Candidates, rejected rows and warnings of ``rows`` (``Validator.validate``)."""
        return self.validator.validate(source, rtype, rows, grant)

    def ingest(
        self,
        source: Source,
        type_name: str,
        rows: Iterable[tuple[int, Any]],
        *,
        principal: Principal,
        via: str,
        actor: str | None = None,
        filename: str | None = None,
        batch_id: int | None = None,
        raw: Raw | None = None,
        on_chunk: Callable[[BatchResult], Any] | None = None,
        workers: int = 0,
    ) -> BatchResult:
        """Ingest ``rows`` written by ``principal`` as ``source``, chunk by chunk; return the
        batch's counts.

        The access policy decides first (``authorize``): a record type the principal may not
        write is refused as a whole (``Refused``, before a batch is opened); a row whose unit
        lies outside the principal's scope is rejected naming its field; the policy says too
        whether the values are approved on arrival. ``actor`` names the writer in the batch and
        the values' history when it is not the principal's user name (``pull:NAME``).

        A row is ``(index, dict)``, ``(index, RowError)``, or ``(index, bytes)``: one NDJSON line,
        read as ``parsing.ndjson_rows`` reads it. ``raw`` gives the raw payloads kept with the
        records: an iterator of (body, content type), all kept with the first chunk, or a callable
        that returns the payloads read since its last call, kept with the chunk whose last row was
        just read. ``on_chunk`` is called with the counts so far after each chunk commits.
        A file or a pull (``via`` in ``STREAMS``) is written ``CHUNK`` rows a transaction, any
        other batch in one.
        ``workers`` > 0 validates chunks in that many processes while this one writes (for large
        files; a batch of one chunk starts none).
        """
        rtype = RECORD_TYPES[type_name]
        grant = self.authorize(principal, source, type_name)
        actor = actor or principal.username
        batch_id = batch_id or self.open_batch(source, type_name, via, actor, filename)
        result = BatchResult(batch=batch_id)
        # values that domain modules keep (reported indicator values) are approved on arrival
        # when the policy says so
        projection = hooks.Projection(actor, grant.approve, source.id, source.simulated, batch_id)
        if hooks.checks(type_name):  # worker processes do not load the modules' checks
            workers = 0

        def prepare(items: Rows, payloads: Payloads, last: bool) -> Chunk:
            candidates, rejected, warnings = self.validate(source, rtype, items, grant)
            return Chunk(len(items), candidates, rejected, warnings, payloads, last)

        chunk_size = CHUNK if via in STREAMS else WHOLE
        url = self._url_for_workers() if workers > 0 else None
        if url is None:
            prepared = chunks.in_turn(prepare, iter(rows), raw, chunk_size)
        else:
            prepared = chunks.in_workers(
                prepare,
                iter(rows),
                raw,
                chunk_size,
                url=url,
                source=source,
                grant=grant,
                rtype=rtype,
                workers=workers,
            )
        self.cache.load()  # before the collector is spared it: it lives as long as the gate
        with (
            heap.collector_spared(),
            self.engine.connect() as conn,
            closing(prepared),
            bulk_session(conn),
        ):
            for chunk in prepared:
                self._commit_chunk(conn, source, rtype, projection, chunk, result)
                if on_chunk:
                    on_chunk(result)
        return result

    def push_each(
        self,
        source: Source,
        made: Mapping[str, Sequence[Any]],
        *,
        principal: Principal,
        actor: str | None = None,
    ) -> dict[str, BatchResult]:
        """The records of each type in ``made`` pushed in a batch of their own, in its order (a
        programme before its tasks, a catalogue before its dossiers); each batch's counts by type."""
        return {
            type_name: self.ingest(
                source,
                type_name,
                list(enumerate(rows)),
                principal=principal,
                via="push",
                actor=actor,
            )
            for type_name, rows in made.items()
        }

    def _url_for_workers(self) -> str | None:
        """The database URL a worker process can open; None for an in-memory database."""
        url = self.engine.url
        if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
            return None
        return url.render_as_string(hide_password=False)

    def _commit_chunk(
        self,
        conn: Connection,
        source: Source,
        rtype: RecordType[Any],
        projection: hooks.Projection,
        chunk: Chunk,
        result: BatchResult,
    ) -> None:
        """Write a chunk and its batch's counts in one transaction; then count it in ``result``
        and announce what changed."""
        with conn.begin():
            for body, content_type in chunk.payloads:
                batches.keep_raw(conn, source, result.batch, body, content_type)
            stored = storage.store(
                conn, source, rtype, chunk.candidates, result.batch, self.cache, chunk.cells
            )
            counts = stored.counts
            counts.rejected = len(chunk.rejected)
            replaced = frozenset(stored.replaced)
            self._project(conn, rtype, stored.changed, replace(projection, replaced=replaced))
            batches.keep_rejected(conn, result.batch, chunk.rejected)
            batches.add_counts(conn, result.batch, chunk.size, counts, chunk.last)
        result.add(chunk.size, counts, chunk.rejected, chunk.warnings)
        if stored.changed:
            self._announce(source, rtype, result.batch, stored.changed, counts)

    def _project(
        self,
        conn: Connection,
        rtype: RecordType[Any],
        changed: list[Candidate],
        projection: hooks.Projection,
    ) -> None:
        """Hand the accepted and updated records to the modules that keep their own tables."""
        projectors = hooks.projectors(rtype.name)
        if not projectors or not changed:
            return
        latest: dict[str, tuple[dict[str, Any], UnitInfo | None]] = {}
        for c in changed:  # a record sent twice in one chunk: its last version
            data = c.data if c.data is not None else orjson.loads(c.json)
            unit_id = c.unit_id if c.unit_id is not None else c.agency_id
            latest[c.key] = (data, self.cache.by_id(unit_id) if unit_id is not None else None)
        for project in projectors:
            project(conn, projection, list(latest.values()))

    def _announce(
        self,
        source: Source,
        rtype: RecordType[Any],
        batch_id: int,
        changed: list[Candidate],
        counts: Counts,
    ) -> None:
        """Publish ``ingest.batch``; a stream scoped to a unit sees only its own records of it."""
        groups: dict[tuple[int, ...], list[str]] = {}
        for c in changed:
            groups.setdefault(targets(self.cache, c.unit_id, c.agency_id), []).append(c.key)
        unit_ids = {u for units in groups for u in units}
        self.bus.publish(
            Event(
                type="ingest.batch",
                data={
                    "batch": batch_id,
                    "record_type": rtype.name,
                    "source": source.name,
                    "ids": [c.key for c in changed[:100]],
                    "changed": len(changed),
                    "counts": counts.as_dict(),
                    "at": now().isoformat(),
                },
                units=tuple(sorted(unit_ids)),
                parts=tuple(
                    (units, {"ids": keys[:100], "changed": len(keys)})
                    for units, keys in groups.items()
                ),
                private=("counts",),  # batch-wide: they count other units' records too
            )
        )
