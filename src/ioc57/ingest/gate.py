"""The gate: validate, resolve units, dedupe and upsert records, roll up — all in one transaction
per chunk — then announce the change on the event bus.

A chunk is at most ``CHUNK`` rows; a push request is one chunk, a file import many. Each chunk
commits its records, its rollup deltas, its rejected rows and its batch's counts together, so a
process killed half-way leaves a database that a re-run completes to the state of one clean run.

Where the time goes, and what is done about it (see ``bench/ingest.py``): validating a record and
computing its rollup contributions cost more than writing it, so the next chunk is validated while
the current one is written, by a worker process, for big files (``chunks``); the writes go
through ``bulk`` as plain ``executemany``/``COPY`` of prepared tuples; SQLite gets a
larger page cache and fewer checkpoints for the length of a batch; stored versions are looked up
with one array parameter on PostgreSQL, and their data read only when a record may change.
"""

from __future__ import annotations

import hashlib
import logging
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple

import orjson
from pydantic import ValidationError
from sqlalchemy import ARRAY, bindparam, func, insert, select, update
from sqlalchemy.engine import Connection, Engine

from ioc57.core.access import Principal, Refused, WriteGrant, authorize_write
from ioc57.core.clock import now, stored_utc
from ioc57.core.events import Event, EventBus
from ioc57.ingest import chunks, hooks
from ioc57.ingest.bulk import BulkWriter, RollupDeltas
from ioc57.ingest.rollups import targets
from ioc57.ingest.tables import batches, raw_payloads, records, rejections
from ioc57.ingest.types import RECORD_TYPES, RecordType
from ioc57.ingest.unitcache import Places, UnitCache

log = logging.getLogger(__name__)

CHUNK = 10_000
KEPT_ERRORS = 1_000  # rejected rows listed in an answer; all of them are kept in ingest_rejections
OUTCOMES = ("accepted", "updated", "unchanged", "stale", "rejected")


@dataclass(frozen=True)
class Source:
    id: int
    name: str
    types: frozenset[str]
    unit_codes: tuple[str, ...]
    scope: frozenset[int]  # ids of the current units it may send for
    user_id: int
    trusted: bool = False
    simulated: bool = False


@dataclass
class BatchResult:
    batch: int
    submitted: int = 0
    accepted: int = 0
    updated: int = 0
    unchanged: int = 0
    stale: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)
    rejected_count: int = 0
    warnings: list[dict[str, Any]] = field(default_factory=list)
    projection: hooks.Projection | None = field(default=None, repr=False)

    def answer(self) -> dict[str, Any]:
        body = {
            "batch": self.batch,
            "submitted": self.submitted,
            "accepted": self.accepted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "stale": self.stale,
            "rejected": self.rejected,
        }
        if self.rejected_count > len(self.rejected):
            body["rejected_total"] = self.rejected_count
        if self.warnings:
            body["warnings"] = self.warnings
        return body


class RowError(Exception):
    """A row that could not even be read (bad JSON line, bad CSV cell)."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(errors[0]["msg"] if errors else "unreadable")
        self.errors = errors

    def __reduce__(self):  # sent to worker processes with the rows
        return (RowError, (self.errors,))


class Candidate(NamedTuple):
    """A valid record, ready to be compared with the stored one and written."""

    index: int
    key: str
    data: dict | None  # the record; None when it comes from a worker process (json, shares hold it)
    updated_at: datetime
    hash: str
    unit_id: int | None
    agency_id: int | None
    province: str
    occurred_on: date
    json: str  # the record as stored
    shares: list  # its rollup contributions


# the raw payloads of a batch: (body, content type) pairs, or a callable that returns those read
# since its last call
Raw = Iterable[tuple[bytes, str]] | Callable[[], Iterable[tuple[bytes, str]]]


@dataclass(slots=True)
class Chunk:
    """Up to ``CHUNK`` rows, validated: committed in one transaction."""

    size: int
    candidates: list[Candidate]
    rejected: list[dict[str, Any]]
    warnings: list[dict[str, Any]]
    payloads: list[tuple[bytes, str]]
    last: bool


# SQLite while a batch is written: a page cache of 32 MB (the default is 2 MB), so that the
# records' and rollups' indexes stay in memory instead of being read back page by page; and a WAL
# checkpoint every 10,000 pages (40 MB) instead of 1,000, so that the index pages every chunk
# touches are copied back once in a few chunks rather than once a chunk
SQLITE_BULK_CACHE_KIB = 32_768
SQLITE_BULK_CHECKPOINT_PAGES = 10_000


@contextmanager
def _bulk_session(conn: Connection) -> Iterator[None]:
    """SQLite's cache and checkpoint settings for a batch on ``conn``; then the old ones."""
    if conn.dialect.name != "sqlite":
        yield
        return
    before = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    checkpoint = conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar()
    conn.exec_driver_sql(f"PRAGMA cache_size=-{SQLITE_BULK_CACHE_KIB}")
    conn.exec_driver_sql(f"PRAGMA wal_autocheckpoint={SQLITE_BULK_CHECKPOINT_PAGES}")
    conn.commit()
    try:
        yield
    finally:
        if conn.in_transaction():
            conn.rollback()
        conn.exec_driver_sql(f"PRAGMA cache_size={int(before)}")
        conn.exec_driver_sql(f"PRAGMA wal_autocheckpoint={int(checkpoint)}")
        conn.commit()


def _parts(conn: Connection, values: list) -> Iterator[list]:
    """``values`` in lists small enough for one query: SQLite binds at most 999 parameters in
    older builds; PostgreSQL takes them all as one array."""
    size = max(len(values), 1) if conn.dialect.name == "postgresql" else 900
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _among(conn: Connection, query, column, values: list):
    """``query`` for the rows whose ``column`` is in ``values``. On PostgreSQL a join with the
    values as one array: a list of parameters costs it more to plan than to run, and ``= ANY``
    of an array, on a table that grew since it was last analysed, is read row by row against
    the whole array (minutes for a file of 200,000 records); a join stays linear."""
    if conn.dialect.name == "postgresql":
        array = bindparam(None, values, type_=ARRAY(column.type))
        wanted = func.unnest(array).table_valued("value").render_derived()
        return query.join(wanted, column == wanted.c.value)
    return query.where(column.in_(values))


def _from_worker(size: int, result: tuple, payloads: list, last: bool) -> Chunk:
    rows, rejected, warnings = result
    return Chunk(size, list(map(Candidate._make, rows)), rejected, warnings, payloads, last)


def _rejected(index: int, row: Any, data: dict | None, exc: Exception) -> dict[str, Any]:
    """A rejected row: its errors, and the row as sent (cut short) for the errors file."""
    if isinstance(exc, ValidationError):
        errors = _errors(exc)
    elif isinstance(exc, RowError):
        errors = exc.errors
    else:  # a row no check foresaw: rejected alone, and logged for whoever looks for the cause
        log.warning("row %s rejected: %r", index, exc, exc_info=exc)
        errors = [{"loc": ["__root__"], "msg": f"cannot be processed: {type(exc).__name__}"}]
    # the id as read, when the row is valid as a record
    record_id = (
        data["id"] if data is not None else (row.get("id") if isinstance(row, dict) else None)
    )
    return {
        "index": index,
        "id": record_id,
        "errors": errors,
        "_row": _as_sent(row),
    }


def _as_sent(row: Any) -> str:
    """The row as sent, as JSON cut short (as text when even that fails: an integer over 64 bits)."""
    try:
        return orjson.dumps(row, default=str).decode()[:10_000]
    except TypeError:
        return repr(row)[:10_000]


def _errors(exc: ValidationError) -> list[dict[str, Any]]:
    out = []
    for err in exc.errors(include_url=False, include_input=False):
        loc = [str(p) for p in err["loc"]] or ["__root__"]
        out.append({"loc": loc, "msg": err["msg"].removeprefix("Value error, ")})
    return out


class Gate:
    def __init__(self, engine: Engine, bus: EventBus, cache: UnitCache | None = None) -> None:
        self.engine = engine
        self.bus = bus
        self.cache = cache or UnitCache(engine)
        self.places = Places(engine, self.cache)

    # -- batches and raw payloads ----------------------------------------------------------------

    def open_batch(
        self, source: Source, type_name: str, via: str, actor: str, filename: str | None = None
    ) -> int:
        with self.engine.begin() as conn:
            result = conn.execute(
                insert(batches).values(
                    source_id=source.id,
                    type=type_name,
                    via=via,
                    filename=filename,
                    started_at=now(),
                    actor=actor,
                )
            )
            return int(result.inserted_primary_key[0])

    def keep_raw(
        self, conn: Connection, source: Source, batch_id: int | None, body: bytes, content_type: str
    ) -> None:
        conn.execute(
            insert(raw_payloads).values(
                batch_id=batch_id,
                source_id=source.id,
                received_at=now(),
                content_type=content_type[:100],
                sha256=hashlib.sha256(body).hexdigest(),
                size=len(body),
                body=zlib.compress(body, 1),
            )
        )

    # -- the pipeline ------------------------------------------------------------------------------

    def authorize(self, principal: Principal, source: Source, type_name: str) -> WriteGrant:
        """What ``principal`` may write as ``source`` of records of ``type_name``: the source's
        rule (its record types) and the access policy's (``core.access.authorize_write``).
        ``ingest`` decides it itself; a caller may ask first, to refuse before reading a body.
        Raises ``Refused``."""
        rtype = RECORD_TYPES[type_name]
        if type_name not in source.types:
            raise Refused(f"Source '{source.name}' may not send '{type_name}' records.")
        return authorize_write(
            principal,
            rtype.write_action,
            own_source=principal is not None and principal.id == source.user_id,
            trusted=source.trusted,
            review=rtype.review_action,
        )

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
        result.projection = hooks.Projection(actor, grant.approve, source.id, source.simulated)
        if hooks.checks(type_name):  # worker processes do not load the modules' checks
            workers = 0

        def prepare(items: list, payloads: list, last: bool) -> Chunk:
            candidates, rejected, warnings = self.validate(source, rtype, items, grant)
            return Chunk(len(items), candidates, rejected, warnings, payloads, last)

        url = self._url_for_workers() if workers > 0 else None
        if url is None:
            prepared = chunks.in_turn(prepare, iter(rows), raw, CHUNK)
        else:
            prepared = chunks.in_workers(
                prepare,
                _from_worker,
                iter(rows),
                raw,
                CHUNK,
                url=url,
                source=source,
                grant=grant,
                rtype=rtype,
                workers=workers,
            )
        with self.engine.connect() as conn, closing(prepared), _bulk_session(conn):
            for chunk in prepared:
                self._commit_chunk(conn, source, rtype, chunk, result)
                if on_chunk:
                    on_chunk(result)
        return result

    def _url_for_workers(self) -> str | None:
        """The database URL a worker process can open; None for an in-memory database."""
        url = self.engine.url
        if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
            return None
        return url.render_as_string(hide_password=False)

    def _commit_chunk(
        self, conn: Connection, source: Source, rtype: RecordType, chunk: Chunk, result
    ) -> None:
        rejected, warnings = chunk.rejected, chunk.warnings
        counts = dict.fromkeys(OUTCOMES, 0)
        counts["rejected"] = len(rejected)
        changed: list[Candidate] = []
        with conn.begin():
            for body, content_type in chunk.payloads:
                self.keep_raw(conn, source, result.batch, body, content_type)
            changed = self._store(conn, source, rtype, chunk.candidates, counts, result.batch)
            self._project(conn, rtype, changed, result.projection)
            if rejected:
                conn.execute(
                    insert(rejections),
                    [
                        {
                            "batch_id": result.batch,
                            "row_index": r["index"],
                            "record_id": r.get("id"),
                            "errors": r["errors"],
                            "row": r.pop("_row", None),
                        }
                        for r in rejected
                    ],
                )
            values = {k: getattr(batches.c, k) + counts[k] for k in OUTCOMES}
            values["submitted"] = batches.c.submitted + chunk.size
            if chunk.last:
                values["finished_at"] = now()
            conn.execute(update(batches).where(batches.c.id == result.batch).values(**values))
        result.submitted += chunk.size
        result.accepted += counts["accepted"]
        result.updated += counts["updated"]
        result.unchanged += counts["unchanged"]
        result.stale += counts["stale"]
        result.rejected_count += len(rejected)
        room = KEPT_ERRORS - len(result.rejected)
        result.rejected.extend(r for r in rejected[: max(room, 0)])
        result.warnings.extend(warnings[: max(KEPT_ERRORS - len(result.warnings), 0)])
        if changed:
            self._announce(source, rtype, result.batch, changed, counts)

    def validate(
        self,
        source: Source,
        rtype: RecordType,
        rows: list,
        grant: WriteGrant,
        shipped: bool = False,
    ):
        """Candidates, rejected rows and warnings of ``rows`` written under ``grant``; ``shipped``
        candidates carry their rollup contributions instead of the record (to be sent from a
        worker process).

        A row that fails anywhere on its way, in its model, its units (the writer's scope among
        them), the modules' checks or its rollup contributions, is rejected alone: the rows around
        it go on."""
        candidates: list[Candidate] = []
        rejected: list[dict[str, Any]] = []
        warnings: list[dict[str, Any]] = []
        received = now()
        validate = rtype.model.model_validate
        as_of = rtype.as_of
        contributions = rtype.contributions
        public = rtype.without_private  # a rejected row is kept without a person's details
        loads, dumps = orjson.loads, orjson.dumps
        sort_keys, blake2b = orjson.OPT_SORT_KEYS, hashlib.blake2b
        same = {}.setdefault  # one object for equal contributions
        for index, row in rows:
            if isinstance(row, bytes):  # an NDJSON line
                try:
                    row = loads(row)
                except orjson.JSONDecodeError as exc:
                    row = RowError([{"loc": [], "msg": f"line {index + 1} is not JSON: {exc}"}])
                else:
                    if not isinstance(row, dict):
                        row = RowError([{"loc": [], "msg": "a record must be a JSON object"}])
            if isinstance(row, RowError):
                rejected.append({"index": index, "id": None, "errors": row.errors})
                continue
            # everything that one row costs, from its model to its rollup contributions, happens
            # here, so that whatever goes wrong with a row rejects that row and no other
            data = None
            try:
                record = validate(row)
                extra = record.model_extra
                data = record.model_dump(mode="json", exclude=set(extra) if extra else None)
                day = as_of(record)
                unit, agency = self._units(source, grant, rtype, record, data, day)
                updated_at = record.updated_at or received
                data.pop("updated_at", None)
                digest = blake2b(dumps(data, option=sort_keys), digest_size=16).hexdigest()
                data["updated_at"] = updated_at.isoformat()
                shares = [same(share, share) for share in contributions(data)]
                candidate = Candidate(
                    index,
                    data["id"],
                    None if shipped else data,
                    updated_at,
                    digest,
                    unit.id if unit else None,
                    agency.id if agency else None,
                    (unit or agency).province_code,
                    day,
                    dumps(data).decode(),
                    shares,
                )
            except Exception as exc:
                rejected.append(_rejected(index, public(row), data, exc))
                continue
            if extra:
                warnings.append(
                    {
                        "index": index,
                        "id": data["id"],
                        "msg": "unknown fields ignored",
                        "fields": sorted(extra),
                    }
                )
            candidates.append(candidate)
        if shipped:  # plain tuples pickle in C; the records' many equal shares are sent once
            return [tuple(c) for c in candidates], rejected, warnings
        return candidates, rejected, warnings

    def _units(self, source: Source, grant: WriteGrant, rtype: RecordType, record, data, day):
        unit = agency = None
        code = data.get("unit")
        if code:
            unit = self.cache.at(code, day)
            if unit is None:
                raise RowError(
                    [{"loc": ["unit"], "msg": f"no unit has code {code!r} on {day.isoformat()}"}]
                )
        elif rtype.derive_unit is not None:
            unit = rtype.derive_unit(record, self.places)
            if unit is not None:
                data["unit"] = unit.code
                data["unit_derived"] = True
        if data.get("agency"):
            agency = self.cache.at(data["agency"], day)
            if agency is None or agency.level != "agency":
                raise RowError(
                    [{"loc": ["agency"], "msg": f"no agency has code {data['agency']!r}"}]
                )
        if unit is None and agency is None:
            if rtype.unit_required or not source.unit_codes:
                raise RowError(
                    [{"loc": ["unit"], "msg": "the unit is missing and cannot be derived"}]
                )
            unit = self.cache.at(source.unit_codes[0], day) or self.cache.at(
                source.unit_codes[0], now().date()
            )
        for field_name, info in (("unit", unit), ("agency", agency)):
            if info is None:
                continue
            if not (info.scope & source.scope):
                raise RowError(
                    [{"loc": [field_name], "msg": f"{info.code} is outside the source's units"}]
                )
            outside = grant.unit_error(field_name, info.code, info.scope)
            if outside:
                raise RowError([outside])
        for check in hooks.checks(rtype.name):
            errors = check(data)
            if errors:
                raise RowError(errors)
        return unit, agency

    def _store(
        self, conn: Connection, source: Source, rtype: RecordType, candidates, counts, batch_id
    ):
        """Sort the candidates into the four outcomes against what is stored; write the new and
        the changed records and their rollup deltas; return the changed candidates."""
        existing = self._existing(conn, source, rtype, candidates)
        contributions = rtype.contributions
        chains: dict[tuple, tuple[int, ...]] = {}

        def targets_of(unit_id, agency_id) -> tuple[int, ...]:
            key = (unit_id, agency_id)
            found = chains.get(key)
            if found is None:
                found = chains[key] = targets(self.cache, unit_id, agency_id)
            return found

        deltas = RollupDeltas()
        inserts: list[tuple] = []
        updates: list[tuple] = []
        changed: list[Candidate] = []
        pending: dict[str, dict] = {}
        for c in candidates:
            prev = pending.get(c.key) or existing.get(c.key)
            if prev is None:
                outcome = "accepted"
            elif prev["hash"] == c.hash:
                outcome = "unchanged"
            elif c.updated_at < prev["updated_at"]:
                outcome = "stale"
            else:
                outcome = "updated"
            counts[outcome] += 1
            if outcome in ("unchanged", "stale"):
                continue
            unit_id, agency_id = c.unit_id, c.agency_id
            shares = c.shares
            if prev is not None:
                if prev["shares"] is None:
                    prev["shares"] = list(contributions(orjson.loads(prev["data"])))
                deltas.add(
                    prev["shares"],
                    targets_of(prev["unit_id"], prev["agency_id"]),
                    prev["province_code"],
                    -1,
                )
            deltas.add(shares, targets_of(unit_id, agency_id), c.province, +1)
            values = (
                unit_id,
                agency_id,
                c.province,
                c.occurred_on,
                c.updated_at,
                c.hash,
                c.json,
                batch_id,
            )
            if prev is not None and prev["id"] is not None:
                updates.append((*values, prev["id"]))
            elif prev is not None:  # sent twice in this chunk: update the pending insert
                inserts[prev["position"]] = (source.id, rtype.name, c.key, *values)
            else:
                inserts.append((source.id, rtype.name, c.key, *values))
            pending[c.key] = {
                "hash": c.hash,
                "updated_at": c.updated_at,
                "shares": shares,
                "unit_id": unit_id,
                "agency_id": agency_id,
                "province_code": c.province,
                "id": prev["id"] if prev else None,
                "position": prev["position"] if prev else len(inserts) - 1,
            }
            changed.append(c)
        writer = BulkWriter(conn)
        writer.insert_records(inserts)
        writer.update_records(updates)
        writer.apply_deltas(deltas)
        return changed

    def _project(self, conn: Connection, rtype: RecordType, changed, projection) -> None:
        """Hand the accepted and updated records to the modules that keep their own tables."""
        projectors = hooks.projectors(rtype.name)
        if not projectors or not changed:
            return
        latest = {}
        for c in changed:  # a record sent twice in one chunk: its last version
            data = c.data if c.data is not None else orjson.loads(c.json)
            latest[c.key] = (
                data,
                self.cache.by_id(c.unit_id if c.unit_id is not None else c.agency_id),
            )
        for project in projectors:
            project(conn, projection, list(latest.values()))

    def _existing(self, conn: Connection, source: Source, rtype: RecordType, candidates):
        """The stored versions of the candidates' records, by record id; the stored data is read
        only for those a candidate may change (a different hash)."""
        found: dict[str, dict] = {}
        columns = (
            records.c.id,
            records.c.record_id,
            records.c.updated_at,
            records.c.hash,
            records.c.unit_id,
            records.c.agency_id,
            records.c.province_code,
        )
        of_source = (records.c.source_id == source.id, records.c.type == rtype.name)
        for part in _parts(conn, list(dict.fromkeys(c.key for c in candidates))):
            query = _among(conn, select(*columns).where(*of_source), records.c.record_id, part)
            for r in conn.execute(query):
                found[r.record_id] = {
                    "id": r.id,
                    "hash": r.hash,
                    "updated_at": stored_utc(r.updated_at),
                    "data": None,
                    "shares": None,
                    "unit_id": r.unit_id,
                    "agency_id": r.agency_id,
                    "province_code": r.province_code,
                    "position": None,
                }
        if found:
            by_id = {v["id"]: v for v in found.values()}
            differ = list(
                dict.fromkeys(
                    found[c.key]["id"]
                    for c in candidates
                    if c.key in found and found[c.key]["hash"] != c.hash
                )
            )
            for part in _parts(conn, differ):
                query = _among(conn, select(records.c.id, records.c.data), records.c.id, part)
                for r in conn.execute(query):
                    by_id[r.id]["data"] = r.data
        return found

    def _announce(self, source: Source, rtype: RecordType, batch_id: int, changed, counts) -> None:
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
                    "counts": {k: counts[k] for k in OUTCOMES},
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
