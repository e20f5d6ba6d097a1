"""``verify``: recompute every source's chain and its checkpoints, and check the stored events
against what was chained, naming each event changed or removed and each link or checkpoint broken.

Three passes, each a stream read in the database's order (a million rows hold no more memory than
a few thousand): each source's chain in ``seq`` order (gaps, links, and the checkpoints over it:
Merkle root, head and signature); the events, each with the latest chain row that names it (its
JSON must hash to that row's digest; ``deep`` also recomputes the event's hash id); and the chain
rows that name an event no longer stored (or stored under another id). After a broken link the
check goes on from the stored link, so one changed row is named once, not with every row after it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine

from ioc57.ingest.tables import sources
from ioc57.traceability import chain as chained
from ioc57.traceability import keys as signing
from ioc57.traceability.checkpoints import CHAIN, Tree, statement_of, stream
from ioc57.traceability.tables import chain, checkpoints

MAX_FINDINGS = 10_000  # past these, only counted
HASH_ID = "ni:///sha-256;"
MAX_SEQ = 2**63 - 1


@dataclass(frozen=True)
class Finding:
    """One problem: its kind (changed, removed, unchained, renamed, link, gap, checkpoint,
    hash), where it is (a source's chain and row, an event), and what it means in a sentence."""

    kind: str
    message: str
    source: str | None = None
    seq: int | None = None
    event_id: str | None = None

    def line(self) -> str:
        return f"{self.kind}: {self.message}"


@dataclass
class Report:
    """What ``verify`` found, and how much it read."""

    deep: bool = False
    findings: list[Finding] = field(default_factory=list)
    problems: int = 0
    sources: int = 0
    rows: int = 0
    events: int = 0
    checkpoints: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.problems == 0

    @property
    def rows_per_s(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0

    def add(self, finding: Finding) -> None:
        self.problems += 1
        if len(self.findings) < MAX_FINDINGS:
            self.findings.append(finding)

    def summary(self) -> str:
        outcome = "no problem found" if self.ok else f"{self.problems} problem(s)"
        if self.problems > len(self.findings):
            outcome += f" ({len(self.findings)} listed)"
        return (
            f"verified {self.sources} source(s), {self.rows} chain row(s), {self.events}"
            f" event(s), {self.checkpoints} checkpoint(s){' (deep)' if self.deep else ''}"
            f" in {self.seconds:.2f} s ({self.rows_per_s:,.0f} rows/s): {outcome}"
        )


def _rows(first: int, last: int) -> str:
    return f"row {first} is" if first == last else f"rows {first}..{last} are"


class _Checks:
    """The checkpoints of one source, checked as its chain streams by."""

    def __init__(self, report: Report, name: str, stored: list[Any], public: dict) -> None:
        self.report, self.name, self.public = report, name, public
        self.waiting = stored  # by first_seq
        self.next = 0
        self.open: list[tuple[Any, Tree]] = []
        self.boundary: int = stored[0].first_seq if stored else MAX_SEQ
        self.fast: Callable[[str], None] | None = None
        covered = 0
        for cp in stored:
            if cp.first_seq > covered + 1:
                rows = _rows(covered + 1, cp.first_seq - 1)
                message = f"{name} {rows} sealed by no checkpoint, though later rows are"
                report.add(Finding("checkpoint", message, name, covered + 1))
            covered = max(covered, cp.last_seq)

    def _add(self, cp: Any, what: str) -> None:
        message = f"{self.name} checkpoint {cp.first_seq}..{cp.last_seq}: {what}"
        self.report.add(Finding("checkpoint", message, self.name, cp.last_seq))

    def row(self, seq: int, digest: str, link: str) -> None:
        while self.next < len(self.waiting) and self.waiting[self.next].first_seq <= seq:
            self.open.append((self.waiting[self.next], Tree()))
            self.next += 1
        still = []
        for cp, tree in self.open:
            if seq <= cp.last_seq:
                tree.add(digest)
            if seq >= cp.last_seq:
                self._close(cp, tree, link if seq == cp.last_seq else None)
            else:
                still.append((cp, tree))
        self.open = still
        # the next row that opens or closes a checkpoint; until then one tree (or none) grows
        firsts = [self.waiting[self.next].first_seq] if self.next < len(self.waiting) else []
        self.boundary = min([*firsts, *(cp.last_seq for cp, _t in still), MAX_SEQ])
        self.fast = still[0][1].add if len(still) == 1 else None
        if len(still) > 1:  # checkpoints that overlap: every row goes through ``row``
            self.boundary = 0

    def _close(self, cp: Any, tree: Tree, head: str | None) -> None:
        self.report.checkpoints += 1
        public = self.public.get(cp.key_id)
        if public is None:
            self._add(cp, f"signed by key {cp.key_id[:16]}…, which is not a stored public key")
        elif not signing.signed(public, cp.signature, statement_of(cp, self.name)):
            self._add(cp, "its signature does not verify: the checkpoint was changed")
        if tree.root() != cp.merkle_root:
            self._add(cp, "the digests of these rows are not the ones it sealed")
        if head != cp.head:
            self._add(cp, f"the chain's link at row {cp.last_seq} is not the head it sealed")

    def end(self, last: int) -> None:
        """The checkpoints past the chain's last row: rows they sealed were removed."""
        for cp, _tree in self.open:
            self.report.checkpoints += 1
            self._add(cp, f"the chain ends at row {last}: the rows after it were removed")
        for cp in self.waiting[self.next :]:
            self.report.checkpoints += 1
            self._add(cp, f"the chain ends at row {last}: the rows it sealed were removed")


def _verify_chain(conn: Connection, source_id: int, name: str, report: Report, public) -> None:
    stored = list(
        conn.execute(
            select(checkpoints)
            .where(checkpoints.c.source_id == source_id)
            .order_by(checkpoints.c.first_seq, checkpoints.c.id)
        )
    )
    checks = _Checks(report, name, stored, public) if stored else None
    rows = stream(conn, CHAIN, {"source": source_id, "after": 0, "last": MAX_SEQ})
    previous, expected, count, link_of = chained.GENESIS, 1, 0, chained.link
    boundary, fast = (checks.boundary, checks.fast) if checks is not None else (MAX_SEQ, None)
    for seq, event_id, digest, link, _province in rows:
        count += 1
        if seq != expected:
            missing = _rows(expected, seq - 1)
            report.add(Finding("gap", f"{name} {missing} missing from the chain", name, seq))
        elif link_of(previous, seq, event_id, digest) != link:
            report.add(
                Finding(
                    "link",
                    f"{name} row {seq} (event {event_id}) does not follow from the row before:"
                    " this row or the one before it was changed",
                    name,
                    seq,
                    event_id,
                )
            )
        previous, expected = link, seq + 1
        if seq < boundary:  # inside one checkpoint's rows, or none's: the plain case
            if fast is not None:
                fast(digest)
        elif checks is not None:
            checks.row(seq, digest, link)
            boundary, fast = checks.boundary, checks.fast
    report.rows += count
    if checks is not None:
        checks.end(expected - 1)


# each stored event with the latest chain row that names it, in no particular order (a sort of a
# million documents costs more than the check): SQLite looks each one up by the event_pk index,
# PostgreSQL takes them all at once
EVENTS = """
SELECT e.id, e.event_id, e.document, c.digest, s.name, c.seq
FROM trace_events e
LEFT JOIN trace_chain c ON c.id = (SELECT max(l.id) FROM trace_chain l WHERE l.event_pk = e.id)
LEFT JOIN sources s ON s.id = c.source_id
{where}
"""
EVENTS_PG = """
SELECT e.id, e.event_id, e.document, c.digest, s.name, c.seq
FROM trace_events e
LEFT JOIN (
  SELECT DISTINCT ON (event_pk) event_pk, digest, source_id, seq
  FROM trace_chain ORDER BY event_pk, id DESC
) c ON c.event_pk = e.id
LEFT JOIN sources s ON s.id = c.source_id
{where}
"""
# the chain rows that name an event no longer stored, or stored under another id
REMOVED = """
SELECT c.event_pk, c.event_id, s.name, c.seq, e.event_id AS stored_id
FROM trace_chain c
JOIN sources s ON s.id = c.source_id
LEFT JOIN trace_events e ON e.id = c.event_pk
WHERE (e.id IS NULL OR e.event_id <> c.event_id) {where}
ORDER BY c.id
"""


def _verify_events(conn: Connection, source_id: int | None, report: Report) -> None:
    where = "WHERE e.source_id = :source" if source_id is not None else ""
    sql = EVENTS_PG if conn.dialect.name == "postgresql" else EVENTS
    digest_of, count, found = chained.digest, 0, []
    for pk, event_id, document, digest, name, seq in stream(
        conn, sql.format(where=where), {"source": source_id}
    ):
        count += 1
        if digest is None:
            message = (
                f"event {event_id} is stored but no chain names it: it was added outside"
                " capture, or its chain row was removed"
            )
            found.append((pk, Finding("unchained", message, event_id=event_id)))
        elif digest_of(document) != digest:
            message = (
                f"event {event_id} ({name} row {seq}): its stored JSON is not the one captured"
            )
            found.append((pk, Finding("changed", message, name, seq, event_id)))
        if report.deep and not _hash_holds(event_id, document):
            message = f"event {event_id}: its stored content does not match its id"
            found.append((pk, Finding("hash", message, event_id=event_id)))
    for _pk, finding in sorted(found, key=lambda f: f[0]):
        report.add(finding)
    report.events += count


def _hash_holds(event_id: str, document: str) -> bool:
    """``deep``: an event's JSON names its id, and a hash id is the hash of its content."""
    from ioc57.traceability.eventhash import event_hash  # its package, for ``--deep`` alone

    try:
        event = orjson.loads(document)
        if event.get("eventID") != event_id:
            return False
        return not event_id.startswith(HASH_ID) or event_hash(event, event.get("@context")) == (
            event_id
        )
    except Exception:  # a JSON so changed it cannot be read or hashed
        return False


def _verify_removed(conn: Connection, source_id: int | None, report: Report) -> None:
    where = "AND c.source_id = :source" if source_id is not None else ""
    seen: set[int] = set()
    for pk, event_id, name, seq, stored_id in stream(
        conn, REMOVED.format(where=where), {"source": source_id}
    ):
        if pk in seen:
            continue
        seen.add(pk)
        if stored_id is None:
            kind, said = "removed", "is no longer stored"
        else:
            kind, said = "renamed", f"is stored under another id, {stored_id}"
        message = f"event {event_id} ({name} row {seq}) {said}"
        report.add(Finding(kind, message, name, seq, event_id))


def _sources(conn: Connection, source: str | None) -> list[tuple[int, str]]:
    query = select(sources.c.id, sources.c.name).where(
        sources.c.id.in_(select(chain.c.source_id).distinct())
        | sources.c.id.in_(select(checkpoints.c.source_id).distinct())
    )
    if source is not None:
        query = select(sources.c.id, sources.c.name).where(sources.c.name == source)
    found = [(r.id, r.name) for r in conn.execute(query.order_by(sources.c.name))]
    if source is not None and not found:
        raise LookupError(f"no source {source!r}")
    return found


def verify(engine: Engine, source: str | None = None, deep: bool = False) -> Report:
    """Check every source's chain (or ``source``'s), its checkpoints and the stored events;
    ``LookupError`` for a source that does not exist."""
    started = time.perf_counter()
    report = Report(deep=deep)
    with engine.connect() as conn:
        named = _sources(conn, source)
        public = signing.public_keys(conn)
        for source_id, name in named:
            _verify_chain(conn, source_id, name, report, public)
        only = named[0][0] if source is not None else None
        _verify_events(conn, only, report)
        _verify_removed(conn, only, report)
    report.sources = len(named)
    report.seconds = time.perf_counter() - started
    return report
