"""EPCIS 2.0 capture (section 12.2 of the standard, its REST binding): a document of events read,
each event made a gate record, and the batch the gate keeps read back as the standard's capture job.

A document is refused whole only when it is no EPCIS 2.0 document at all (``DocumentError``): not
JSON, not an ``EPCISDocument``, another ``schemaVersion``, no ``eventList``, more events than
``MAX_EVENTS``. Its events then go through the gate, one record each, like every other record: the
caller's source (its scope, its raw log, its batch and counts). Each event carries the document's
``@context`` (where its own namespaces are defined, which its event hash needs) and, when it names
no ``unit``, the commune of its registered location (``bizLocation``, else ``readPoint``): an event
at a place no one registered is rejected naming that field.

The standard's default behaviour on an invalid event is to store nothing (``rollback``); this
project keeps the good events and reports the bad ones (``proceed``), as the gate does with every
batch; ``GS1-Capture-Error-Behaviour: rollback`` asks for the standard's way. The capture job is
the gate's batch: its ``captureID`` is the batch id, its errors the batch's rejected rows. A batch
made here is marked by its ``via`` (``VIA``, or ``VIA_ROLLBACK`` under ``rollback``);
``capture_jobs`` reads it back.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from functools import lru_cache
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.engine import Connection

from ioc57.core.access import Principal
from ioc57.ingest import batches as batch_store
from ioc57.ingest.batches import BatchResult, Counts, Source
from ioc57.ingest.gate import Gate
from ioc57.ingest.storage import among, parts
from ioc57.ingest.validation import RowError
from ioc57.traceability.epc import canonical, parse
from ioc57.traceability.records import EVENT
from ioc57.traceability.tables import locations

MAX_EVENTS = 10_000  # events in one document (a request: the gate writes it in one transaction)
VIA, VIA_ROLLBACK = "epcis", "epcis-rb"
PROCEED, ROLLBACK = "proceed", "rollback"
VALIDATION = "ValidationException"
TOO_MANY = "CaptureLimitExceededException"
PLACES = ("bizLocation", "readPoint")


class DocumentError(Exception):
    """A body that is no EPCIS 2.0 document: refused whole, naming the field at fault."""

    def __init__(self, detail: str, loc: list[str], status: int = 400, kind: str = VALIDATION):
        super().__init__(detail)
        self.detail, self.loc, self.status, self.kind = detail, loc, status, kind


def read_document(body: bytes) -> tuple[list[Any], Any]:
    """The events and the ``@context`` of an EPCIS 2.0 document; raises ``DocumentError``."""
    document = _json(body)
    if not isinstance(document, dict) or document.get("type") != "EPCISDocument":
        raise DocumentError(
            'The body is not an EPCIS document ("type": "EPCISDocument").', ["type"]
        )
    if document.get("schemaVersion") != "2.0":
        raise DocumentError(
            'This interface captures EPCIS 2.0 ("schemaVersion": "2.0").', ["schemaVersion"]
        )
    if "@context" not in document:
        raise DocumentError("An EPCIS 2.0 document names its @context.", ["@context"])
    if not _is_time(document.get("creationDate")):
        raise DocumentError("creationDate: a date and time with its offset", ["creationDate"])
    body_ = document.get("epcisBody")
    events = body_.get("eventList") if isinstance(body_, dict) else None
    if not isinstance(events, list):
        raise DocumentError("The document has no epcisBody.eventList.", ["epcisBody", "eventList"])
    if len(events) > MAX_EVENTS:
        raise DocumentError(
            f"A document carries at most {MAX_EVENTS} events; this one has {len(events)}.",
            ["epcisBody", "eventList"],
            status=413,
            kind=TOO_MANY,
        )
    return events, document["@context"]


def read_event(body: bytes) -> dict[str, Any]:
    """One event sent alone (``POST /epcis/events``); raises ``DocumentError``."""
    event = _json(body)
    if not isinstance(event, dict):
        raise DocumentError("The body is not an EPCIS event (a JSON object).", ["type"])
    return event


def _json(body: bytes) -> Any:
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise DocumentError(f"The body is not JSON: {exc}", []) from None


def _is_time(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).tzinfo is not None
    except ValueError:
        return False


# -- events as gate rows -----------------------------------------------------------------------


def _as_list(context: Any) -> list[Any]:
    return context if isinstance(context, list) else [context]


def merged_context(document: Any, event: Any) -> Any:
    """The ``@context`` an event is read in: its document's, then its own."""
    if event is None:
        return document
    if document is None:
        return event
    outer = _as_list(document)
    return outer + [c for c in _as_list(event) if c not in outer]


@lru_cache(maxsize=4096)
def _gln(uri: str) -> str | None:
    """The GLN a place's identifier names (a document names few places, many times)."""
    key = parse(canonical(uri))
    return key.gln if key is not None else None


def _places(event: dict[str, Any]) -> Iterator[tuple[str, str, str | None]]:
    """(field, identifier as sent, its GLN or None) of the places an event names."""
    for name in PLACES:
        place = event.get(name)
        if isinstance(place, dict) and isinstance(place.get("id"), str):
            uri = place["id"]
            # an identifier longer than any the model takes names no GLN: not kept in the cache
            yield name, uri, _gln(uri) if len(uri) <= 300 else None


def _units_by_gln(conn: Connection, gate: Gate, glns: list[str]) -> dict[str, str]:
    """The commune code of each registered location among ``glns``."""
    found: dict[str, str] = {}
    query = select(locations.c.gln, locations.c.unit_id)
    for part in parts(conn, glns):
        for row in conn.execute(among(conn, query, locations.c.gln, part)):
            unit = gate.cache.by_id(row.unit_id)
            if unit is not None:
                found[row.gln] = unit.code
    return found


def event_rows(
    conn: Connection, gate: Gate, events: list[Any], context: Any
) -> list[tuple[int, Any]]:
    """The gate's rows of a document's events: each with the document's ``@context`` and its
    unit; an event that is no object, or at no registered place, a ``RowError``."""
    glns = sorted(
        {
            gln
            for e in events
            if isinstance(e, dict) and not e.get("unit")
            for *_, gln in _places(e)
            if gln
        }
    )
    units = _units_by_gln(conn, gate, glns) if glns else {}
    rows: list[tuple[int, Any]] = []
    for index, event in enumerate(events):
        if not isinstance(event, dict):
            rows.append((index, RowError([{"loc": [], "msg": "an event is a JSON object"}])))
            continue
        row = {k: v for k, v in event.items() if k != "recordTime"}  # the repository's to set
        ctx = merged_context(context, event.get("@context"))
        if ctx is not None:
            row["@context"] = ctx
        if not row.get("unit"):
            unit = _unit_of(event, units)
            if isinstance(unit, RowError):
                rows.append((index, unit))
                continue
            row["unit"] = unit
        rows.append((index, row))
    return rows


def _unit_of(event: dict[str, Any], units: dict[str, str]) -> str | RowError:
    places = list(_places(event))
    for _name, _uri, gln in places:
        if gln in units:
            return units[gln]
    if not places:
        msg = "the event names no place (bizLocation or readPoint) and no unit"
        return RowError([{"loc": ["bizLocation"], "msg": msg}])
    name, uri, _gln = places[0]
    return RowError([{"loc": [name], "msg": f"location {uri} is not registered"}])


# -- capture -----------------------------------------------------------------------------------


def capture_document(
    gate: Gate,
    source: Source,
    principal: Principal,
    document: dict[str, Any],
    *,
    behaviour: str = PROCEED,
) -> BatchResult:
    """Capture an EPCIS document already read (the demo, the bench, a command) as the API
    captures one; raises ``DocumentError``."""
    body = orjson.dumps(document)
    events, context = read_document(body)
    with gate.engine.connect() as conn:
        rows = event_rows(conn, gate, events, context)
    return capture(
        gate, source, principal, rows, behaviour=behaviour, raw=(body, "application/json")
    )


def capture(
    gate: Gate,
    source: Source,
    principal: Principal,
    rows: list[tuple[int, Any]],
    *,
    behaviour: str,
    raw: tuple[bytes, str],
) -> BatchResult:
    """Capture the rows of a document as ``source``, written by ``principal``; the batch's
    counts. Under ``rollback``, a document with an invalid event stores none of its events: the
    batch keeps the payload and the rejected events, and nothing else."""
    if behaviour == ROLLBACK:
        grant = gate.authorize(principal, source, EVENT.name)
        checked = gate.validate(source, EVENT, rows, grant)
        if checked.rejected:
            return _refused(gate, source, principal, len(rows), checked.rejected, raw)
    return gate.ingest(
        source,
        EVENT.name,
        rows,
        principal=principal,
        via=VIA_ROLLBACK if behaviour == ROLLBACK else VIA,
        raw=iter([raw]),
    )


def _refused(
    gate: Gate,
    source: Source,
    principal: Principal,
    size: int,
    rejected: list[dict[str, Any]],
    raw: tuple[bytes, str],
) -> BatchResult:
    batch = gate.open_batch(source, EVENT.name, VIA_ROLLBACK, principal.username)
    counts = Counts(rejected=len(rejected))
    with gate.engine.begin() as conn:
        gate.keep_raw(conn, source, batch, *raw)
        batch_store.keep_rejected(conn, batch, rejected)
        batch_store.add_counts(conn, batch, size, counts, last=True)
    result = BatchResult(batch=batch)
    result.add(size, counts, rejected, [])
    return result
