"""Batches: what a source sends at once, with its raw payloads, its rejected rows and its counts.

Every chunk adds to its batch's row in the chunk's own transaction (``add_counts``), so the row
always counts what is committed; ``BatchResult`` counts the same for the answer.
"""

from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection, Engine

from ioc57.core.clock import now
from ioc57.ingest.tables import batches, raw_payloads, records, rejections

# a rejected row or a warning, as the answer lists it: index, id, errors (or msg and fields)
Report = dict[str, Any]

KEPT_ERRORS = 1_000  # rejected rows listed in an answer; all of them are kept in ingest_rejections
OUTCOMES = ("accepted", "updated", "unchanged", "stale", "rejected")


@dataclass(frozen=True)
class Source:
    """A source as the gate sees it (``sources.as_source`` makes it)."""

    id: int
    name: str
    types: frozenset[str]
    unit_codes: tuple[str, ...]
    scope: frozenset[int]  # ids of the current units it may send for
    user_id: int
    trusted: bool = False
    simulated: bool = False


@dataclass(slots=True)
class Counts:
    """How the rows of a chunk came out, one count per outcome (``OUTCOMES``)."""

    accepted: int = 0
    updated: int = 0
    unchanged: int = 0
    stale: int = 0
    rejected: int = 0

    def as_dict(self) -> dict[str, int]:
        return {k: getattr(self, k) for k in OUTCOMES}


@dataclass
class BatchResult:
    batch: int
    submitted: int = 0
    accepted: int = 0
    updated: int = 0
    unchanged: int = 0
    stale: int = 0
    rejected: list[Report] = field(default_factory=list)
    rejected_count: int = 0
    warnings: list[Report] = field(default_factory=list)

    def add(
        self, size: int, counts: Counts, rejected: list[Report], warnings: list[Report]
    ) -> None:
        """Count a committed chunk of ``size`` rows; list its first rejected rows and warnings,
        up to ``KEPT_ERRORS`` of each for the batch."""
        self.submitted += size
        self.accepted += counts.accepted
        self.updated += counts.updated
        self.unchanged += counts.unchanged
        self.stale += counts.stale
        self.rejected_count += counts.rejected
        self.rejected.extend(rejected[: max(KEPT_ERRORS - len(self.rejected), 0)])
        self.warnings.extend(warnings[: max(KEPT_ERRORS - len(self.warnings), 0)])

    def answer(self) -> dict[str, Any]:
        body: dict[str, Any] = {
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


def open_batch(
    engine: Engine,
    source: Source,
    type_name: str,
    via: str,
    actor: str,
    filename: str | None = None,
) -> int:
    """A new batch of ``source``'s records of ``type_name``; its id."""
    with engine.begin() as conn:
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
        key = result.inserted_primary_key
        assert key is not None  # one row inserted
        return int(key[0])


def keep_raw(
    conn: Connection, source: Source, batch_id: int | None, body: bytes, content_type: str
) -> None:
    """Keep a payload as it was received, compressed."""
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


def keep_rejected(conn: Connection, batch_id: int, rejected: list[Report]) -> None:
    """Keep the rejected rows with their errors; each row as sent leaves its report here."""
    if not rejected:
        return
    conn.execute(
        insert(rejections),
        [
            {
                "batch_id": batch_id,
                "row_index": r["index"],
                "record_id": r.get("id"),
                "errors": r["errors"],
                "row": r.pop("_row", None),
            }
            for r in rejected
        ],
    )


def add_counts(conn: Connection, batch_id: int, size: int, counts: Counts, last: bool) -> None:
    """Add a chunk of ``size`` rows to the batch's counts; the ``last`` chunk finishes it."""
    values: dict[str, Any] = {k: getattr(batches.c, k) + getattr(counts, k) for k in OUTCOMES}
    values["submitted"] = batches.c.submitted + size
    if last:
        values["finished_at"] = now()
    conn.execute(update(batches).where(batches.c.id == batch_id).values(**values))


def kept_file(
    conn: Connection, source_id: int, type_name: str, record_id: str
) -> dict[str, Any] | None:
    """The file kept with the batch that last wrote a record (an evidence file sent with it):
    its name, type and bytes; None when that batch kept none (or its retention has passed)."""
    query = (
        select(batches.c.filename, raw_payloads.c.content_type, raw_payloads.c.body)
        .join(raw_payloads, raw_payloads.c.batch_id == batches.c.id)
        .join(records, records.c.batch_id == batches.c.id)
        .where(
            records.c.source_id == source_id,
            records.c.type == type_name,
            records.c.record_id == record_id,
        )
        .order_by(raw_payloads.c.id.desc())
        .limit(1)
    )
    row = conn.execute(query).first()
    if row is None:
        return None
    return {
        "filename": row.filename or "evidence",
        "content_type": row.content_type,
        "body": zlib.decompress(row.body),
    }
