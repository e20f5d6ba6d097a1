"""Signed checkpoints of each source's chain: ``seal`` signs what was captured since the last one.

A checkpoint covers the rows ``first_seq..last_seq`` of one source's chain: their Merkle root, the
chain's link at ``last_seq`` (its head), signed with the province's key over ``chain.statement``.
Before it signs, ``seal`` recomputes the links of the new rows from the last checkpoint's head: a
chain already broken is not signed (``Sealed.refused`` says why), so a signature always vouches for
a chain that held when it was made. Rows are read as a stream and the tree is built as they come
(``Tree``), so sealing a million rows holds a few dozen hashes, not a million.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, insert, select, text
from sqlalchemy.engine import Connection, Engine

from ioc57.core import audit
from ioc57.core.clock import now
from ioc57.core.periodic import Periodic
from ioc57.ingest.tables import sources
from ioc57.traceability import chain as chained
from ioc57.traceability import keys as signing
from ioc57.traceability.tables import chain, checkpoints

log = logging.getLogger(__name__)
STREAM_ROWS = 20_000  # rows fetched at a time when reading a chain
EMPTY_ROOT = hashlib.sha256(b"").hexdigest()


def stream(conn: Connection, sql: str, params: dict[str, Any]) -> Iterator[tuple]:
    """The rows of a query (``:name`` parameters) as plain tuples, a few thousand at a time, read
    through the driver's own cursor: a SQLAlchemy row costs more than the check made of it.
    SQLite's cursor streams; on PostgreSQL a named (server-side) cursor does."""
    driver: Any = conn.connection.driver_connection
    if conn.dialect.name == "sqlite":
        cursor = driver.execute(sql, params)
        try:
            while batch := cursor.fetchmany(STREAM_ROWS):
                yield from batch
        finally:
            cursor.close()
        return
    with driver.cursor(name=f"ioc57_trace_{next(_cursors)}") as cursor:
        cursor.itersize = STREAM_ROWS
        cursor.execute(re.sub(r"(?<!:):(\w+)", r"%(\1)s", sql), params)
        yield from cursor


_cursors = itertools.count(1)


# a source's chain from a row on, in order
CHAIN = """
SELECT seq, event_id, digest, link, province_code FROM trace_chain
WHERE source_id = :source AND seq > :after AND seq <= :last
ORDER BY seq
"""


class Tree:
    """The Merkle root of digests added one by one (``chain.merkle_root``'s tree, RFC 6962): a
    stack of perfect subtrees, merged as they pair up; the root folds them from the right."""

    __slots__ = ("_stack",)

    def __init__(self) -> None:
        self._stack: list[tuple[int, bytes]] = []

    def add(self, digest_hex: str) -> None:
        node, size = hashlib.sha256(b"\x00" + bytes.fromhex(digest_hex)).digest(), 1
        stack = self._stack
        while stack and stack[-1][0] == size:
            node = hashlib.sha256(b"\x01" + stack.pop()[1] + node).digest()
            size *= 2
        stack.append((size, node))

    def root(self) -> str:
        if not self._stack:
            return EMPTY_ROOT
        node = self._stack[-1][1]
        for _size, left in reversed(self._stack[:-1]):
            node = hashlib.sha256(b"\x01" + left + node).digest()
        return node.hex()


def stamp(at: datetime) -> str:
    """A checkpoint's time as its statement spells it (UTC, to the second); a naive time read
    back from SQLite is UTC."""
    at = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
    return at.strftime("%Y-%m-%dT%H:%M:%SZ")


def statement_of(row: Any, source: str) -> bytes:
    """The bytes a stored checkpoint's signature covers."""
    return chained.statement(
        source, row.first_seq, row.last_seq, row.head, row.merkle_root, stamp(row.signed_at)
    )


@dataclass
class Sealed:
    """What a round of sealing did: the checkpoints made, and the sources it would not sign."""

    made: list[dict[str, Any]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


def _last_checkpoint(conn: Connection, source_id: int) -> tuple[int, str]:
    row = conn.execute(
        select(checkpoints.c.last_seq, checkpoints.c.head)
        .where(checkpoints.c.source_id == source_id)
        .order_by(checkpoints.c.last_seq.desc())
        .limit(1)
    ).first()
    return (row.last_seq, row.head) if row else (0, chained.GENESIS)


def _stretch(conn: Connection, source_id: int, after: int, head: str, last: int) -> Any:
    """(Merkle root, head, province) of rows ``after+1..last``, or a str saying why the chain
    there does not hold."""
    tree, previous, expected, province = Tree(), head, after + 1, ""
    rows = stream(conn, CHAIN, {"source": source_id, "after": after, "last": last})
    for seq, event_id, digest, link, of_province in rows:
        province = of_province  # the head's
        if seq != expected:
            return f"row {expected} of the chain is missing"
        previous = chained.link(previous, seq, event_id, digest)
        if previous != link:
            return f"the link of row {seq} does not follow from the rows before it"
        tree.add(digest)
        expected += 1
    if expected != last + 1:
        return f"row {expected} of the chain is missing"
    return tree.root(), previous, province


def _seal_source(
    conn: Connection, private: Ed25519PrivateKey, kid: str, source_id: int, name: str
) -> dict[str, Any] | str | None:
    """The checkpoint made for one source (None: nothing new; a str: why it was not)."""
    if conn.dialect.name == "postgresql":  # one sealer of a source at a time
        conn.execute(text("SELECT pg_advisory_xact_lock(5758, :source)"), {"source": source_id})
    after, head = _last_checkpoint(conn, source_id)
    last = conn.execute(
        select(func.max(chain.c.seq)).where(chain.c.source_id == source_id)
    ).scalar_one()
    if last is None or last <= after:
        return None
    found = _stretch(conn, source_id, after, head, last)
    if isinstance(found, str):
        return f"{name}: not sealed, {found} (run 'ioc57 trace verify')"
    root, head, province = found
    signed_at = now().replace(microsecond=0)
    row = {
        "source_id": source_id,
        "first_seq": after + 1,
        "last_seq": last,
        "head": head,
        "merkle_root": root,
        "key_id": kid,
        "signed_at": signed_at,
        "province_code": province,
    }
    message = chained.statement(name, after + 1, last, head, root, stamp(signed_at))
    row["signature"] = signing.sign(private, message)
    conn.execute(insert(checkpoints).values(**row))
    return public_checkpoint(row, name)


def seal(
    engine: Engine,
    private: Ed25519PrivateKey | Path,
    source: str | None = None,
    *,
    actor: str = "ioc57",
    address: str | None = None,
) -> Sealed:
    """Sign a checkpoint of each source's chain (or ``source``'s) that grew since its last one,
    each in a transaction of its own with its audit row (``actor`` sealed it, from ``address``)."""
    if isinstance(private, Path):  # the key's file (made there on first use)
        private = signing.load_or_create(private)
    result = Sealed()
    with engine.begin() as conn:
        kid = signing.register(conn, private)
        query = select(sources.c.id, sources.c.name).where(
            sources.c.id.in_(select(chain.c.source_id).distinct())
        )
        if source is not None:
            query = query.where(sources.c.name == source)
        chained_sources = conn.execute(query.order_by(sources.c.name)).all()
    for source_id, name in chained_sources:
        with engine.begin() as conn:
            made = _seal_source(conn, private, kid, source_id, name)
            if isinstance(made, dict):
                audit.record(
                    conn,
                    actor=actor,
                    action="trace.seal",
                    object_type="trace_checkpoint",
                    object_id=f"{name}:{made['last_seq']}",
                    after=made,
                    address=address,
                )
        if isinstance(made, str):
            result.refused.append(made)
        elif made is not None:
            result.made.append(made)
    return result


def public_checkpoint(row: Any, source: str) -> dict[str, Any]:
    """A checkpoint as the export gives it: all that is needed to check it elsewhere."""
    get = row.get if isinstance(row, dict) else row._mapping.get
    signed_at = get("signed_at")
    assert isinstance(signed_at, datetime)
    return {
        "source": source,
        "first_seq": get("first_seq"),
        "last_seq": get("last_seq"),
        "head": get("head"),
        "merkle_root": get("merkle_root"),
        "key_id": get("key_id"),
        "signature": get("signature"),
        "signed_at": stamp(signed_at),
        "province": get("province_code"),
    }


class Sealer(Periodic):
    """Seals every ``every`` seconds while the app serves (IOC57_TRACE_SEAL_S), the first round
    after one period: a start-up is no time to read a long chain."""

    def __init__(self, engine: Engine, key_path: Path | None, every: float) -> None:
        super().__init__("ioc57-trace-seal", every, self._seal)
        self.engine, self.key_path = engine, key_path

    def _seal(self) -> None:
        result = seal(self.engine, signing.load_or_create(self.key_path))
        for why in result.refused:
            log.warning("%s", why)

    def start(self, *, first_round_now: bool = False) -> None:
        super().start(first_round_now=first_round_now)
