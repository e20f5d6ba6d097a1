"""Reports filed at the same moment go through the gate together, in one batch (group commit).

A report filed alone costs the gate a whole batch: its row, its counts, a transaction, an event
on the bus — about 7 ms, most of it the same whatever the number of records. When many people
file at once (a flood, an outage: hundreds of calls and forms a minute), each filing waits for
its turn to write; whoever gets the turn sends every report waiting by then, one batch per actor,
and hands each filer its own outcome. Alone, a report goes at once, as before; under load, the
batches grow with the queue, and the rate with them.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ioc57.core import audit
from ioc57.feedback.access import SERVICE
from ioc57.feedback.tables import reports
from ioc57.ingest.entry import entry_source
from ioc57.ingest.entry_api import refused
from ioc57.ingest.gate import Gate
from ioc57.units.tables import units


@dataclass
class Filing:
    data: dict[str, Any]  # the report's record
    actor: str
    address: str | None  # the client's, for the audit
    outcome: Future[str | None] = field(default_factory=Future)  # its commune's code


class Together:
    """The reports waiting to go through one gate, and the turn to send them."""

    def __init__(self) -> None:
        self.turn = threading.Lock()
        self.guard = threading.Lock()
        self.waiting: list[Filing] = []

    def file(
        self, gate: Gate, data: dict[str, Any], actor: str, address: str | None = None
    ) -> str | None:
        """Send ``data`` (with whatever else is waiting, when this filing gets the turn); its
        commune's code once it is stored and its filing audited (by ``actor``, from the client
        ``address``), the gate's refusal (a 422) when it is rejected."""
        filing = Filing(data, actor, address)
        with self.guard:
            self.waiting.append(filing)
        with self.turn:
            if not filing.outcome.done():  # not sent by the one before: send all that waits
                with self.guard:
                    taken, self.waiting = self.waiting, []
                send(gate, taken)
        return filing.outcome.result()


def send(gate: Gate, taken: list[Filing]) -> None:
    """The filings through the gate, a batch for each actor; each filing's outcome set."""
    by_actor: dict[str, list[Filing]] = defaultdict(list)
    for filing in taken:
        by_actor[filing.actor].append(filing)
    for actor, group in by_actor.items():
        try:
            with gate.engine.connect() as conn:
                source = entry_source(conn)
            rows = list(enumerate(f.data for f in group))
            result = gate.ingest(
                source, "feedback", rows, principal=SERVICE, via="push", actor=actor
            )
            bad = {r["index"]: r for r in result.rejected}
            stored = [f for i, f in enumerate(group) if i not in bad]
            with gate.engine.begin() as conn:
                placed = communes(conn, [f.data["id"] for f in stored])
                for filing in stored:
                    audited(conn, filing, placed.get(filing.data["id"]))
            for i, filing in enumerate(group):
                if i in bad:
                    filing.outcome.set_exception(refused(bad[i]))
                else:
                    filing.outcome.set_result(placed.get(filing.data["id"]))
        except Exception as exc:  # each filer gets the error, as if it had filed alone
            for filing in group:
                if not filing.outcome.done():
                    filing.outcome.set_exception(exc)


def communes(conn: Connection, record_ids: list[str]) -> dict[str, str]:
    """The code of the commune each stored report was placed in."""
    if not record_ids:
        return {}
    query = (
        select(reports.c.record_id, units.c.code)
        .select_from(reports.join(units, units.c.id == reports.c.unit_id))
        .where(reports.c.record_id.in_(record_ids))
    )
    return {record_id: code for record_id, code in conn.execute(query)}


def audited(conn: Connection, filing: Filing, unit: str | None) -> None:
    data = filing.data
    audit.record(
        conn,
        actor=filing.actor,
        action="feedback.file",
        object_type="feedback",
        object_id=data["id"],
        after={"channel": data["channel"], "category": data["category"], "unit": unit},
        address=filing.address,
    )


_queues: WeakKeyDictionary[Gate, Together] = WeakKeyDictionary()
_lock = threading.Lock()


def together(gate: Gate) -> Together:
    """The queue of ``gate`` (one a gate: an app's)."""
    with _lock:
        queue = _queues.get(gate)
        if queue is None:
            queue = _queues[gate] = Together()
        return queue
