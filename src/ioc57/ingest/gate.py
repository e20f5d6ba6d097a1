"""The gate: validate, resolve units, dedupe and upsert records, roll up — all in one transaction
per chunk — then announce the change on the event bus.

A chunk is at most ``CHUNK`` rows; a push request is one chunk, a file import many. Each chunk
commits its records, its rollup deltas, its rejected rows and its batch's counts together, so a
process killed half-way leaves a database that a re-run completes to the state of one clean run.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson
from pydantic import ValidationError
from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.engine import Connection, Engine

from ioc57.core.events import Event, EventBus
from ioc57.ingest.rollups import Deltas, targets
from ioc57.ingest.tables import batches, raw_payloads, records, rejections
from ioc57.ingest.types import RECORD_TYPES, RecordType
from ioc57.ingest.unitcache import UnitCache, UnitInfo

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


@dataclass
class Candidate:
    index: int
    key: str
    data: dict
    updated_at: datetime
    hash: str
    unit: UnitInfo | None
    agency: UnitInfo | None
    province: str
    occurred_on: Any


def utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def now() -> datetime:
    return datetime.now(UTC)


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

    def ingest(
        self,
        source: Source,
        type_name: str,
        rows: Iterable[tuple[int, Any]],
        *,
        via: str,
        actor: str,
        filename: str | None = None,
        batch_id: int | None = None,
        raw: Iterator[tuple[bytes, str]] | None = None,
        on_chunk=None,
    ) -> BatchResult:
        """Ingest ``rows`` (index, dict or RowError) chunk by chunk; return the batch's counts."""
        rtype = RECORD_TYPES[type_name]
        batch_id = batch_id or self.open_batch(source, type_name, via, actor, filename)
        result = BatchResult(batch=batch_id)
        chunk: list[tuple[int, Any]] = []
        for item in rows:
            chunk.append(item)
            if len(chunk) >= CHUNK:
                self._commit_chunk(source, rtype, chunk, result, raw)
                chunk = []
                if on_chunk:
                    on_chunk(result)
        self._commit_chunk(source, rtype, chunk, result, raw, last=True)
        if on_chunk:
            on_chunk(result)
        return result

    def _commit_chunk(self, source, rtype, chunk, result, raw, last=False) -> None:
        candidates, rejected, warnings = self._validate(source, rtype, chunk)
        counts = dict.fromkeys(OUTCOMES, 0)
        counts["rejected"] = len(rejected)
        changed: list[Candidate] = []
        with self.engine.begin() as conn:
            if raw is not None:
                for body, content_type in raw:
                    self.keep_raw(conn, source, result.batch, body, content_type)
            changed = self._store(conn, source, rtype, candidates, counts, result.batch)
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
            values["submitted"] = batches.c.submitted + len(chunk)
            if last:
                values["finished_at"] = now()
            conn.execute(update(batches).where(batches.c.id == result.batch).values(**values))
        result.submitted += len(chunk)
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

    def _validate(self, source: Source, rtype: RecordType, chunk):
        candidates: list[Candidate] = []
        rejected: list[dict[str, Any]] = []
        warnings: list[dict[str, Any]] = []
        received = now()
        model = rtype.model
        for index, row in chunk:
            if isinstance(row, RowError):
                rejected.append({"index": index, "id": None, "errors": row.errors})
                continue
            row_id = row.get("id") if isinstance(row, dict) else None
            try:
                record = model.model_validate(row)
            except ValidationError as exc:
                rejected.append(
                    {
                        "index": index,
                        "id": row_id,
                        "errors": _errors(exc),
                        "_row": orjson.dumps(row, default=str).decode()[:10_000],
                    }
                )
                continue
            extra = record.model_extra
            data = record.model_dump(mode="json", exclude=set(extra) if extra else None)
            if extra:
                warnings.append(
                    {
                        "index": index,
                        "id": data["id"],
                        "msg": "unknown fields ignored",
                        "fields": sorted(extra),
                    }
                )
            try:
                unit, agency = self._units(source, rtype, record, data)
            except RowError as exc:
                rejected.append(
                    {
                        "index": index,
                        "id": data["id"],
                        "errors": exc.errors,
                        "_row": orjson.dumps(row, default=str).decode()[:10_000],
                    }
                )
                continue
            updated_at = record.updated_at or received
            data.pop("updated_at", None)
            digest = hashlib.blake2b(
                orjson.dumps(data, option=orjson.OPT_SORT_KEYS), digest_size=16
            )
            data["updated_at"] = updated_at.isoformat()
            candidates.append(
                Candidate(
                    index,
                    data["id"],
                    data,
                    updated_at,
                    digest.hexdigest(),
                    unit,
                    agency,
                    (unit or agency).province_code,
                    rtype.as_of(record),
                )
            )
        return candidates, rejected, warnings

    def _units(self, source: Source, rtype: RecordType, record, data: dict):
        day = rtype.as_of(record)
        unit = agency = None
        code = data.get("unit")
        if code:
            unit = self.cache.at(code, day)
            if unit is None:
                raise RowError(
                    [{"loc": ["unit"], "msg": f"no unit has code {code!r} on {day.isoformat()}"}]
                )
        elif rtype.name == "feedback":
            unit = self._place(record)
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
            if info is not None and not (info.scope & source.scope):
                raise RowError(
                    [{"loc": [field_name], "msg": f"{info.code} is outside the source's units"}]
                )
        return unit, agency

    def _place(self, record) -> UnitInfo | None:
        if record.lat is not None and record.lon is not None:
            return self.cache.nearest_commune(record.lat, record.lon)
        if record.address:
            from ioc57.units.queries import resolve

            with self.engine.connect() as conn:
                matches = resolve(conn, record.address, now().date())
            if matches:
                return self.cache.at(matches[0]["code"], now().date())
        return None

    def _store(
        self, conn: Connection, source: Source, rtype: RecordType, candidates, counts, batch_id
    ):
        existing = self._existing(conn, source, rtype, [c.key for c in candidates])
        deltas = Deltas()
        inserts, updates, changed = [], [], []
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
            unit_id = c.unit.id if c.unit else None
            agency_id = c.agency.id if c.agency else None
            row = {
                "source_id": source.id,
                "type": rtype.name,
                "record_id": c.key,
                "unit_id": unit_id,
                "agency_id": agency_id,
                "province_code": c.province,
                "occurred_on": c.occurred_on,
                "updated_at": c.updated_at,
                "hash": c.hash,
                "data": orjson.dumps(c.data).decode(),
                "batch_id": None,
            }
            if prev is not None:
                deltas.add(
                    rtype.name,
                    prev["data"],
                    targets(self.cache, prev["unit_id"], prev["agency_id"]),
                    prev["province_code"],
                    -1,
                )
            deltas.add(rtype.name, c.data, targets(self.cache, unit_id, agency_id), c.province, +1)
            if prev is not None and prev.get("id") is not None:
                updates.append(row | {"b_id": prev["id"]})
            elif prev is not None:  # sent twice in this chunk: update the pending insert
                inserts[prev["position"]] = row
            else:
                inserts.append(row)
            pending[c.key] = {
                "hash": c.hash,
                "updated_at": c.updated_at,
                "data": c.data,
                "unit_id": unit_id,
                "agency_id": agency_id,
                "province_code": c.province,
                "id": prev.get("id") if prev else None,
                "position": prev.get("position") if prev else len(inserts) - 1,
            }
            changed.append(c)
        for row in inserts + updates:
            row["batch_id"] = batch_id
        if inserts:
            conn.execute(insert(records), inserts)
        if updates:
            conn.execute(
                update(records)
                .where(records.c.id == bindparam("b_id"))
                .values(
                    {
                        k: bindparam(k)
                        for k in (
                            "unit_id",
                            "agency_id",
                            "province_code",
                            "occurred_on",
                            "updated_at",
                            "hash",
                            "data",
                            "batch_id",
                        )
                    }
                ),
                updates,
            )
        deltas.apply(conn)
        return changed

    def _existing(self, conn: Connection, source: Source, rtype: RecordType, keys: list[str]):
        found: dict[str, dict] = {}
        unique = list(dict.fromkeys(keys))
        for start in range(0, len(unique), 900):
            part = unique[start : start + 900]
            query = select(
                records.c.id,
                records.c.record_id,
                records.c.updated_at,
                records.c.hash,
                records.c.data,
                records.c.unit_id,
                records.c.agency_id,
                records.c.province_code,
            ).where(
                records.c.source_id == source.id,
                records.c.type == rtype.name,
                records.c.record_id.in_(part),
            )
            for r in conn.execute(query):
                found[r.record_id] = {
                    "id": r.id,
                    "hash": r.hash,
                    "updated_at": utc(r.updated_at),
                    "data": orjson.loads(r.data),
                    "unit_id": r.unit_id,
                    "agency_id": r.agency_id,
                    "province_code": r.province_code,
                }
        return found

    def _announce(self, source: Source, rtype: RecordType, batch_id: int, changed, counts) -> None:
        unit_ids = set()
        for c in changed:
            unit_ids.update(
                targets(
                    self.cache, c.unit.id if c.unit else None, c.agency.id if c.agency else None
                )
            )
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
            )
        )
