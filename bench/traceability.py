"""Traceability at scale: EPCIS capture through the API, the events of one EPC and a lot's backward
trace over millions of events, and the tamper-evident log's verification, each against raw SQL (or
a plain loop) in the same run.

Goals (issue 14): capture ≥ 5,000 events/s through the API; with 10,000,000 events, the events of
one EPC in ≤ 50 ms and a lot's full backward trace through 3 transformations in ≤ 200 ms (p95);
``ioc57 trace verify`` over 1,000,000 chained events.

What it does, in one run:

1. The data, built once and kept for the next run (a SQLite file in ``--cache``; a database of the
   PostgreSQL server given by ``--database-url``; ``--rebuild`` builds it again). A fresh database
   (``ioc57 init``: the schema, the real units), then ``--events`` events bulk-loaded straight into
   ``trace_events`` and ``trace_event_epcs`` (``executemany`` on SQLite, ``COPY`` on PostgreSQL, in
   chunks of 100,000, the secondary indexes made after the load), as a province's supply chains
   would leave them: families of ten events, two farm lots commissioned and received, three
   transformations in a row (the two lots into a batch, then into a second and a third product),
   the last lot packed on a pallet (an aggregation), the pallet inspected and shipped. The first
   ``--verify-events`` of them come from the source ``benchtrace`` with its hash chain
   (``trace_chain``), the others from ``benchbulk``, a history loaded from elsewhere with no chain.
   Its load time is reported (``data.load``).
2. Capture: documents of ``--document-events`` events (``--capture-events`` in all, each once with
   the event hash computed by the server and once with eventIDs given) sent one after the other to
   ``POST /epcis/capture`` (or, before that endpoint exists, the gate's push of ``epcis_event``)
   of a real ``ioc57 serve`` (``--capture-via asgi``: the app in this process), waiting for each
   capture job to finish; events/s. Baseline: the same number of event rows and their identifiers
   written with the driver's executemany/COPY into a fresh database.
3. Timings, warm (every identifier timed is read once before), over ``--runs`` calls each (p50,
   p95, max; goals judged on p95): the events of one EPC (a lot or a pallet of a family picked at
   random, in turn) by the query module against the raw SELECT of the same documents; the
   backward trace of a pallet (through its lot's three transformations to the two farm lots) by
   the trace module against a raw recursive CTE, both checked to reach the same identifiers; the
   verification of ``benchtrace``'s chain and events by the ledger module (and ``ioc57 trace
   verify --source benchtrace`` as a command) against a plain loop that reads the same rows and
   recomputes the digests and links. A module that is not there yet is said so (``missing``).

Prints one JSON object on stdout; progress on stderr.

Usage: .venv/bin/python bench/traceability.py [--events 10000000] [--verify-events 1000000]
       [--capture-events 20000] [--document-events 1000] [--runs 30] [--capture-via http|asgi]
       [--backend sqlite|postgresql] [--database-url URL] [--cache DIR] [--rebuild]
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import itertools
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import orjson
from common import (
    Databases,
    add_kept_data_options,
    analyze,
    backend_of,
    goal,
    insert_rows,
    kept_data_name,
    log,
    timed,
)
from sqlalchemy import func, select, text
from sqlalchemy.engine import Engine

from ioc57.core.clock import today
from ioc57.core.db import make_engine
from ioc57.ingest.sources import create_source, get_row
from ioc57.traceability import chain as chained
from ioc57.traceability.epc import check_digit, location_uri, lot_uri
from ioc57.traceability.tables import chain, event_epcs, events
from ioc57.units.tables import units

SEED = 57
DATA = 2  # the version of the data this script builds: a change to it builds the data again
SOURCE = "benchtrace"  # the chained events'
BULK = "benchbulk"  # the others': a history loaded from elsewhere, with no chain
TYPES = ["trace_product", "trace_location", "trace_lot", "epcis_event"]
PER_FAMILY = 10  # events of a family (see ``family``)
START = datetime(2025, 1, 1, tzinfo=UTC)  # the first family's first event
LOCAL = timedelta(hours=7)
CHUNK = 100_000
EVENT_COLUMNS = [c.name for c in events.columns]
EPC_COLUMNS = ["event_pk", "epc", "role", "province_code"]
CHAIN_COLUMNS = ["source_id", "seq", "event_pk", "event_id", "digest", "link", "at"]
CHAIN_COLUMNS += ["province_code"]


def _code(body: str) -> str:
    return body + str(check_digit(body))


# the company prefix 8935057 is made up (as the demo's); four products: raw, two intermediate, final
GTINS = [_code(f"0893505790{i:03d}") for i in range(4)]
GLNS = {kind: _code(f"89350579{i:04d}") for i, kind in enumerate(["farm", "plant", "pack", "port"])}
PLACES = {kind: location_uri(gln) for kind, gln in GLNS.items()}


def sscc(serial: int) -> str:
    body = f"18935057{serial:09d}"
    return f"https://id.gs1.org/00/{body}{check_digit(body)}"


def lots_of(f: int, tag: str = "", serial: int = 0) -> dict[str, str]:
    """The identifiers of family ``f``: its two farm lots, the three lots made of them, its pallet
    (a capture's families have lots of their own, ``tag``, and pallets from ``serial``)."""
    return {
        "a": lot_uri(GTINS[0], f"{tag}A{f}"),
        "b": lot_uri(GTINS[0], f"{tag}B{f}"),
        "c": lot_uri(GTINS[1], f"{tag}C{f}"),
        "d": lot_uri(GTINS[2], f"{tag}D{f}"),
        "e": lot_uri(GTINS[3], f"{tag}E{f}"),
        "pallet": sscc(serial + f),
    }


def _kg(uri: str, quantity: float) -> list[dict]:
    return [{"epcClass": uri, "quantity": quantity, "uom": "KGM"}]


def family(f: int, families: int, tag: str = "", serial: int = 0) -> list[dict]:
    """The ten events of family ``f`` (EPCIS 2.0 JSON, canonical identifiers, no eventID), spread
    over a year: family after family, an hour between its steps."""
    ids = lots_of(f, tag, serial)
    first = START + timedelta(seconds=int(f * 365 * 86400 / max(families, 1)))
    steps = [
        ("ObjectEvent", "farm", {"action": "ADD", "bizStep": "commissioning",
                                 "disposition": "active", "quantityList": _kg(ids["a"], 500)}),
        ("ObjectEvent", "farm", {"action": "ADD", "bizStep": "commissioning",
                                 "disposition": "active", "quantityList": _kg(ids["b"], 400)}),
        ("ObjectEvent", "plant", {"action": "OBSERVE", "bizStep": "receiving",
                                  "disposition": "in_progress", "quantityList": _kg(ids["a"], 500)}),
        ("ObjectEvent", "plant", {"action": "OBSERVE", "bizStep": "receiving",
                                  "disposition": "in_progress", "quantityList": _kg(ids["b"], 400)}),
        ("TransformationEvent", "plant", {"bizStep": "commissioning", "disposition": "active",
                                          "inputQuantityList": _kg(ids["a"], 500) + _kg(ids["b"], 400),
                                          "outputQuantityList": _kg(ids["c"], 800)}),
        ("TransformationEvent", "plant", {"bizStep": "commissioning", "disposition": "active",
                                          "inputQuantityList": _kg(ids["c"], 800),
                                          "outputQuantityList": _kg(ids["d"], 600)}),
        ("TransformationEvent", "plant", {"bizStep": "commissioning", "disposition": "active",
                                          "inputQuantityList": _kg(ids["d"], 600),
                                          "outputQuantityList": _kg(ids["e"], 550)}),
        ("AggregationEvent", "pack", {"action": "ADD", "bizStep": "packing",
                                      "disposition": "in_progress", "parentID": ids["pallet"],
                                      "childQuantityList": _kg(ids["e"], 550)}),
        ("ObjectEvent", "pack", {"action": "OBSERVE", "bizStep": "inspecting",
                                 "disposition": "conformant", "epcList": [ids["pallet"]],
                                 "sensorElementList": [{"sensorReport": [
                                     {"type": "Temperature", "value": 12.5, "uom": "CEL"}]}]}),
        ("ObjectEvent", "pack", {"action": "OBSERVE", "bizStep": "shipping",
                                 "disposition": "in_transit", "epcList": [ids["pallet"]],
                                 "destinationList": [{"type": "location",
                                                      "destination": PLACES["port"]}]}),
    ]  # fmt: skip
    out = []
    for k, (kind, place, fields) in enumerate(steps):
        at = (first + timedelta(hours=k) + LOCAL).replace(tzinfo=None).isoformat()
        out.append(
            {
                "type": kind,
                "eventTime": f"{at}+07:00",
                "eventTimeZoneOffset": "+07:00",
                "readPoint": {"id": PLACES[place]},
                "bizLocation": {"id": PLACES[place]},
                **fields,
            }
        )
    return out


def event_uuid(n: int) -> str:
    return f"urn:uuid:00000000-0000-4000-8000-{n:012x}"


ROLES = (
    ("epcList", "epc"),
    ("childEPCs", "child"),
    ("inputEPCList", "input"),
    ("outputEPCList", "output"),
)
CLASS_ROLES = (
    ("quantityList", "class"),
    ("childQuantityList", "child_class"),
    ("inputQuantityList", "input_class"),
    ("outputQuantityList", "output_class"),
)


def named(event: dict) -> set[tuple[str, str]]:
    """(identifier, role) of an event whose identifiers are canonical already, as the projector
    stores them (``project.identifiers``)."""
    found = {(uri, role) for key, role in ROLES for uri in event.get(key) or ()}
    found |= {(q["epcClass"], role) for key, role in CLASS_ROLES for q in event.get(key) or ()}
    if event.get("parentID"):
        found.add((event["parentID"], "parent"))
    return found


class Rows:
    """The stored rows of events 1..``count`` (their ids their numbers), as the projector writes
    them: the event row, its identifiers, and for the first ``chained`` the source's chain."""

    def __init__(
        self, count: int, unit_id: int, sources: tuple[int, int], chained_count: int, pg: bool
    ):
        self.count, self.unit_id, (self.source_id, self.bulk_id) = count, unit_id, sources
        self.chained_count, self.pg = chained_count, pg
        self.epcs: list[tuple] = []
        self.chain: list[tuple] = []
        self.previous = chained.GENESIS
        self.recorded = datetime.now(UTC).replace(microsecond=0)

    def _time(self, value: datetime) -> str:
        text_ = value.strftime("%Y-%m-%d %H:%M:%S.%f")
        return text_ + "+00" if self.pg else text_

    def events(self) -> Iterator[tuple]:
        families = -(-self.count // PER_FAMILY)
        recorded = self._time(self.recorded)
        stamp = self.recorded.isoformat().replace("+00:00", "Z")
        pk = 0
        for f in range(families):
            for event in family(f, families):
                pk += 1
                if pk > self.count:
                    return
                event_id = event_uuid(pk)
                document = orjson.dumps(
                    {"type": event["type"], "eventID": event_id}
                    | {k: v for k, v in event.items() if k != "type"}
                    | {"recordTime": stamp}
                ).decode()
                local = datetime.fromisoformat(event["eventTime"])
                at = local.astimezone(UTC)
                self.epcs.extend((pk, uri, role, "82") for uri, role in named(event))
                if pk <= self.chained_count:
                    digest = chained.digest(document)
                    self.previous = chained.link(self.previous, pk, event_id, digest)
                    self.chain.append(
                        (self.source_id, pk, pk, event_id, digest, self.previous, recorded, "82")
                    )
                yield (
                    pk,
                    event_id,
                    event["type"],
                    self._time(at),
                    "+07:00",
                    recorded,
                    local.date().isoformat(),
                    event.get("action"),
                    event["bizStep"],
                    event["disposition"],
                    event["readPoint"]["id"],
                    event["bizLocation"]["id"],
                    False,
                    self.unit_id,
                    "82",
                    self.source_id if pk <= self.chained_count else self.bulk_id,
                    True,
                    document,
                )


def prepare(conn) -> None:
    """The template's second source: the events beyond the chained ones come from it."""
    create_source(conn, actor="bench", name=BULK, types=TYPES, units=["82"], today=today())


def commune_and_source(engine: Engine) -> tuple[int, int]:
    """A current commune of province 82 and the bench's source (of the chained events)."""
    with engine.connect() as conn:
        unit_id = conn.execute(
            select(units.c.id)
            .where(units.c.province_code == "82", units.c.level.in_(("ward", "commune")))
            .where(units.c.valid_to.is_(None))
            .order_by(units.c.code)
            .limit(1)
        ).scalar_one()
        return unit_id, get_row(conn, SOURCE).id


def load(url: str, count: int, chained_count: int) -> dict:
    """``count`` events (and their identifiers, and the chain of the first ``chained_count``)
    bulk-loaded into a fresh database, the secondary indexes made after; the load's figures."""
    engine = make_engine(url)
    unit_id, source_id = commune_and_source(engine)
    with engine.connect() as conn:
        bulk_id = get_row(conn, BULK).id
    pg = engine.dialect.name == "postgresql"
    secondary = [*events.indexes, *event_epcs.indexes, *chain.indexes]
    started = time.perf_counter()
    with engine.begin() as conn:
        for index in secondary:
            index.drop(conn)
    rows = Rows(count, unit_id, (source_id, bulk_id), chained_count, pg)
    with engine.connect() as conn:
        if not pg:
            conn.exec_driver_sql("PRAGMA synchronous=OFF")
        written = 0
        epcs = chained_rows = 0
        batch: list[tuple] = []
        for row in rows.events():
            batch.append(row)
            if len(batch) == CHUNK:
                written += insert_rows(conn, events, batch, EVENT_COLUMNS)
                epcs += insert_rows(conn, event_epcs, rows.epcs, EPC_COLUMNS)
                chained_rows += insert_rows(conn, chain, rows.chain, CHAIN_COLUMNS)
                batch, rows.epcs, rows.chain = [], [], []
                if written % 1_000_000 == 0:
                    log(f"{written:,} events loaded ({time.perf_counter() - started:.0f} s)")
        written += insert_rows(conn, events, batch, EVENT_COLUMNS)
        epcs += insert_rows(conn, event_epcs, rows.epcs, EPC_COLUMNS)
        chained_rows += insert_rows(conn, chain, rows.chain, CHAIN_COLUMNS)
    loaded = time.perf_counter() - started
    log(f"{written:,} events loaded in {loaded:.0f} s; making the indexes")
    with engine.begin() as conn:
        for index in secondary:
            index.create(conn)
        if pg:
            for table in (events, chain):
                conn.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'),"
                    f" (SELECT max(id) FROM {table.name}))"
                )
    indexed = time.perf_counter() - started - loaded
    analyze(engine)
    engine.dispose()
    total = time.perf_counter() - started
    return {
        "events": written,
        "event_epcs": epcs,
        "chain": chained_rows,
        "rows_seconds": round(loaded, 1),
        "index_seconds": round(indexed, 1),
        "seconds": round(total, 1),
        "events_per_s": round(written / total),
        "how": "executemany (SQLite) / COPY (PostgreSQL), chunks of 100,000, indexes after",
    }


# -- capture through the API ---------------------------------------------------------------------

TAGS = {"hash": ("H", 300_000_000), "given": ("G", 600_000_000)}


def capture_events(mode: str, count: int) -> list[dict]:
    """``count`` events of families of their own (``mode`` ``given``: with eventIDs)."""
    tag, serial = TAGS[mode]
    families = -(-count // PER_FAMILY)
    out: list[dict] = []
    for f in range(families):
        for event in family(f, families, tag, serial):
            if mode == "given":
                event = {"eventID": event_uuid(serial + len(out)), **event}
            out.append(event)
    return out[:count]


def capture_source(engine: Engine) -> str:
    """A source for the capture with its token, and the bench's places registered in a commune
    of 82 through the gate (the capture finds an event's commune by its location)."""
    from ioc57.core.access import LOCAL_ADMIN
    from ioc57.core.events import EventBus
    from ioc57.ingest.gate import Gate
    from ioc57.ingest.sources import as_source

    with engine.begin() as conn:
        _row, token = create_source(
            conn, actor="bench", name="benchcapture", types=TYPES, units=["82"], today=today()
        )
    with engine.connect() as conn:
        source = as_source(conn, get_row(conn, SOURCE), today())
        code = conn.execute(select(units.c.code).where(units.c.id == commune_and_source(engine)[0]))
        commune = code.scalar_one()
    places = [
        {"gln": gln, "name": f"Bench {kind}", "kind": "farm" if kind == "farm" else "other",
         "unit": commune}
        for kind, gln in GLNS.items()
    ]  # fmt: skip
    result = Gate(engine, EventBus()).ingest(
        source, "trace_location", list(enumerate(places)), principal=LOCAL_ADMIN, via="push"
    )
    if result.rejected_count:
        raise SystemExit(f"the gate rejected the places: {result.rejected[:3]}")
    return token


def send(client, endpoint: str, batch: list[dict], commune: str) -> int:
    """One document to the capture endpoint, its job waited for; how many events it accepted."""
    if endpoint == "/epcis/capture":
        document = {
            "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
            "type": "EPCISDocument",
            "schemaVersion": "2.0",
            "creationDate": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
            "epcisBody": {"eventList": batch},
        }
        answer = client.post(endpoint, content=orjson.dumps(document),
                             headers={"Content-Type": "application/json"})  # fmt: skip
        if answer.status_code not in (200, 201, 202):
            raise SystemExit(f"capture answered {answer.status_code}: {answer.text[:500]}")
        job = answer.json()
        while job.get("running"):
            time.sleep(0.005)
            job = client.get(answer.headers["Location"]).json()
        if job.get("errors"):
            raise SystemExit(f"capture errors: {job['errors'][:3]}")
        return len(batch)
    rows = [{**e, "unit": commune} for e in batch]
    answer = client.post(endpoint, content=orjson.dumps(rows),
                         headers={"Content-Type": "application/json"})  # fmt: skip
    answer.raise_for_status()
    body = answer.json()
    if body["rejected"]:
        raise SystemExit(f"the gate rejected events: {body['rejected'][:3]}")
    return body["accepted"]


def capture(dbs: Databases, args, tmp: Path) -> dict:
    """Capture through the API, both ways, and the raw baseline of the same rows."""
    from common import start_server, stop_server

    url = dbs.fresh("capture")
    engine = make_engine(url)
    token = capture_source(engine)
    with engine.connect() as conn:
        commune = conn.execute(
            select(units.c.code).where(units.c.id == commune_and_source(engine)[0])
        ).scalar_one()
    headers = {"Authorization": f"Bearer {token}"}
    server = app = None
    if args.capture_via == "http":
        env = {k: v for k, v in os.environ.items() if not k.startswith("IOC57_")}
        env |= {"IOC57_DATABASE_URL": url, "IOC57_SECRET_KEY": "bench-secret-key-57"}
        env |= {"IOC57_PULL_SCHEDULER": "0"}
        base, server = start_server(env, tmp / "serve-capture.log")
        client = httpx.Client(base_url=base, headers=headers, timeout=300)
    else:
        from fastapi.testclient import TestClient

        from ioc57.core.settings import load_settings
        from ioc57.web.app import create_app

        settings = load_settings(database_url=url, secret_key="bench-secret-key-57")
        app = create_app(settings, engine)
        client = TestClient(app, base_url="http://bench", headers=headers).__enter__()
    out: dict = {"via": args.capture_via, "document_events": args.document_events}
    try:
        there = importlib.util.find_spec("ioc57.traceability.capture_api") is not None
        endpoint = "/epcis/capture" if there else "/api/v1/ingest/epcis_event"
        out["endpoint"] = endpoint
        for mode in ("hash", "given"):
            # the last family's ten events warm the server up, the others are timed
            sent = capture_events(mode, args.capture_events + PER_FAMILY)
            send(client, endpoint, sent[-PER_FAMILY:], commune)
            sent = sent[:-PER_FAMILY]
            batches = [
                sent[i : i + args.document_events]
                for i in range(0, len(sent), args.document_events)
            ]
            started = time.perf_counter()
            accepted = sum(send(client, endpoint, b, commune) for b in batches)
            seconds = time.perf_counter() - started
            out[mode] = {
                "events": accepted,
                "documents": len(batches),
                "seconds": round(seconds, 2),
                "events_per_s": round(accepted / seconds),
            }
    finally:
        if server is not None:
            client.close()
            stop_server(server)
        else:
            client.__exit__(None, None, None)
        engine.dispose()
    out["hash"]["what"] = "no eventID: the server computes each event's hash id"
    out["given"]["what"] = "eventIDs given"
    out["baseline"] = raw_capture(dbs, args.capture_events)
    return out


def raw_capture(dbs: Databases, count: int) -> dict:
    """The same number of events, their identifiers and their chain rows, as the projector stores
    them, written with the driver's executemany/COPY into a fresh database (rows made first)."""
    url = dbs.fresh("baseline")
    engine = make_engine(url)
    unit_id, source_id = commune_and_source(engine)
    pg = engine.dialect.name == "postgresql"
    rows = Rows(count, unit_id, (source_id, source_id), count, pg)
    made = list(rows.events())
    started = time.perf_counter()
    with engine.connect() as conn:
        insert_rows(conn, events, made, EVENT_COLUMNS, chunk_size=1000)
        insert_rows(conn, event_epcs, rows.epcs, EPC_COLUMNS, chunk_size=1000)
        insert_rows(conn, chain, rows.chain, CHAIN_COLUMNS, chunk_size=1000)
    seconds = time.perf_counter() - started
    engine.dispose()
    return {
        "events": len(made),
        "seconds": round(seconds, 3),
        "events_per_s": round(len(made) / seconds),
        "what": "the event rows, their identifiers and chain rows (made beforehand) written with "
        "executemany/COPY in chunks of 1,000, one commit each",
    }


# -- the queries over the bulk data --------------------------------------------------------------

EPC_EVENTS = (
    "SELECT e.document FROM trace_event_epcs x JOIN trace_events e ON e.id = x.event_pk"
    " WHERE x.epc = %s ORDER BY e.id LIMIT 1001"
)
# what went into an identifier: the inputs of the events that output it, the children of the
# aggregations it is the parent of, and so on back (at most 20 steps, as the trace module)
BACKWARD = """
WITH RECURSIVE walk(epc, depth, via) AS (
  SELECT CAST(%s AS VARCHAR(300)), 0, CAST(NULL AS BIGINT)
  UNION
  SELECT b.epc, w.depth + 1, a.event_pk FROM walk w
  JOIN trace_event_epcs a ON a.epc = w.epc AND a.role IN ('output', 'output_class', 'parent')
  JOIN trace_event_epcs b ON b.event_pk = a.event_pk
   AND b.role IN ('input', 'input_class', 'child', 'child_class')
  WHERE w.depth < 20
)
SELECT epc, min(depth), count(via) FROM walk GROUP BY epc
"""
# the same on SQLite, a step's events as an IN (subquery): written as a join, SQLite (3.40)
# builds a Bloom filter over the whole table at each step (240 ms at 1,000,000 events; 0.03 ms
# this way), where PostgreSQL would run the subquery for every row of the table
BACKWARD_SQLITE = """
WITH RECURSIVE walk(epc, depth, via) AS (
  SELECT CAST(%s AS VARCHAR(300)), 0, CAST(NULL AS BIGINT)
  UNION
  SELECT b.epc, w.depth + 1, b.event_pk FROM walk w
  JOIN trace_event_epcs b ON b.event_pk IN (
    SELECT a.event_pk FROM trace_event_epcs a
    WHERE a.epc = w.epc AND a.role IN ('output', 'output_class', 'parent'))
   AND b.role IN ('input', 'input_class', 'child', 'child_class')
  WHERE w.depth < 20
)
SELECT epc, min(depth), count(via) FROM walk GROUP BY epc
"""
CHAIN_ROWS = (
    "SELECT c.seq, c.event_id, c.digest, c.link, e.document FROM trace_chain c"
    " LEFT JOIN trace_events e ON e.id = c.event_pk WHERE c.source_id = %s ORDER BY c.seq"
)


def raw(engine: Engine, sql: str, params: tuple) -> list[tuple]:
    """``sql`` run with the driver's cursor on a pooled connection, every row fetched."""
    with engine.connect() as conn:
        cur = conn.connection.driver_connection.cursor()
        cur.execute(sql.replace("%s", "?") if engine.dialect.name == "sqlite" else sql, params)
        rows = cur.fetchall()
        cur.close()
    return rows


def raw_verify(engine: Engine, source_id: int) -> dict:
    """The chain read in order with the events' documents, each digest and link recomputed: a
    plain loop, the floor under any verification."""
    problems = rows = 0
    previous = chained.GENESIS
    with engine.connect() as conn:
        cur = conn.connection.driver_connection.cursor()
        sql = CHAIN_ROWS.replace("%s", "?") if engine.dialect.name == "sqlite" else CHAIN_ROWS
        cur.execute(sql, (source_id,))
        while batch := cur.fetchmany(10_000):
            for seq, event_id, digest, link, document in batch:
                rows += 1
                if document is None or chained.digest(document) != digest:
                    problems += 1
                previous = chained.link(previous, seq, event_id, digest)
                if previous != link:
                    problems += 1
                    previous = link
        cur.close()
    return {"rows": rows, "problems": problems}


def in_turn(items: list, call):
    state = {"i": 0}

    def next_call():
        item = items[state["i"] % len(items)]
        state["i"] += 1
        return call(item)

    return next_call


def ratio(measured: dict, baseline: dict) -> float | None:
    return round(measured["p50_ms"] / baseline["p50_ms"], 1) if baseline["p50_ms"] else None


def modules_there() -> dict[str, object]:
    """The query, trace and ledger functions, those that are there."""
    found: dict[str, object] = {}
    for name in ("query", "trace", "verify"):
        if importlib.util.find_spec(f"ioc57.traceability.{name}") is not None:
            found[name] = importlib.import_module(f"ioc57.traceability.{name}")
    return found


def queries(engine: Engine, args, families: int) -> dict:
    """The events of one EPC and a pallet's backward trace, each against its raw SQL."""
    rng = random.Random(SEED)
    picked = [rng.randrange(families) for _ in range(max(args.runs, 10))]
    keys = itertools.cycle(["e", "a", "pallet"])
    epcs = [lots_of(f)[key] for f, key in zip(picked, keys, strict=False)]
    pallets = [lots_of(f)["pallet"] for f in picked]
    found = modules_there()
    out: dict = {"missing": [n for n in ("query", "trace", "verify") if n not in found]}
    backward = BACKWARD_SQLITE if engine.dialect.name == "sqlite" else BACKWARD
    for epc in [*epcs, *pallets]:  # warm: the pages of every identifier read once, for both
        raw(engine, EPC_EVENTS, (epc,))
        raw(engine, backward, (epc,))
    out["epc_events_baseline"], rows = timed(
        in_turn(epcs, lambda epc: raw(engine, EPC_EVENTS, (epc,))), args.runs
    )
    out["epc_events_baseline"] |= {
        "what": "the SELECT of the documents of the EPC's events, in the order stored",
        "events_of_the_last": len(rows),
    }
    out["trace_backward_baseline"], _ = timed(
        in_turn(pallets, lambda epc: raw(engine, backward, (epc,))), args.runs
    )
    nodes = raw(engine, backward, (pallets[0],))
    out["trace_backward_baseline"] |= {
        "what": "a recursive CTE over trace_event_epcs (outputs to inputs, parents to children)",
        "nodes": len(nodes),
        "depth": max(depth for _epc, depth, _via in nodes),
    }
    wired = wire(found, engine)
    if "epc_events" in wired:
        out["epc_events"], count = timed(in_turn(epcs, wired["epc_events"]), args.runs)
        out["epc_events"]["events_of_the_last"] = count
        out["ratio_epc_events_to_baseline"] = ratio(out["epc_events"], out["epc_events_baseline"])
    if "trace_backward" in wired:
        out["trace_backward"], got = timed(in_turn(pallets[:1], wired["trace_backward"]), 2)
        out["trace_backward"], _ = timed(in_turn(pallets, wired["trace_backward"]), args.runs)
        out["trace_backward"]["same_nodes_as_baseline"] = sorted(got) == sorted(
            epc for epc, _d, _v in nodes
        )
        out["ratio_trace_backward_to_baseline"] = ratio(
            out["trace_backward"], out["trace_backward_baseline"]
        )
    return out


def wire(found: dict, engine: Engine) -> dict[str, Callable[[str], Any]]:
    """Calls of the query and trace modules, as ``GET /epcis/epcs/{epc}/events`` and the trace's
    API read (a connection from the pool each): the events of an EPC, a backward trace's nodes."""
    calls: dict[str, Callable[[str], Any]] = {}
    query, trace = found.get("query"), found.get("trace")
    if query is not None and hasattr(query, "events_of"):

        def epc_events(epc: str) -> int:
            with engine.connect() as conn:
                return len(query.events_of(conn, epc).events)

        calls["epc_events"] = epc_events
    if trace is not None and hasattr(trace, "backward"):

        def trace_backward(epc: str) -> list[str]:
            with engine.connect() as conn:
                return list(trace.backward(conn, epc).depth)

        calls["trace_backward"] = trace_backward
    return calls


def verification(engine: Engine, url: str, source_id: int) -> dict:
    found = modules_there()
    out: dict = {}
    started = time.perf_counter()
    base = raw_verify(engine, source_id)
    seconds = time.perf_counter() - started
    out["verify_baseline"] = base | {
        "seconds": round(seconds, 2),
        "rows_per_s": round(base["rows"] / seconds) if seconds else None,
        "what": "the chain read in order with its events' documents, digests and links "
        "recomputed in a plain loop",
    }
    module = found.get("verify")
    if module is not None and hasattr(module, "verify"):
        started = time.perf_counter()
        report = module.verify(engine, source=SOURCE)
        seconds = time.perf_counter() - started
        out["verify"] = {
            "rows": getattr(report, "rows", None),
            "problems": getattr(report, "problems", None),
            "seconds": round(seconds, 2),
            "rows_per_s": round(base["rows"] / seconds),
            "ratio_to_baseline": round(seconds / out["verify_baseline"]["seconds"], 1)
            if out["verify_baseline"]["seconds"]
            else None,
        }
        env = {k: v for k, v in os.environ.items() if not k.startswith("IOC57_")}
        env |= {"IOC57_DATABASE_URL": url, "IOC57_SECRET_KEY": "bench-secret-key-57"}
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "ioc57", "trace", "verify", "--source", SOURCE],
            env=env,
            capture_output=True,
            text=True,
        )
        seconds = time.perf_counter() - started
        out["verify_command"] = {
            "exit": done.returncode,
            "last_line": (done.stdout.strip().splitlines() or [""])[-1][:300],
            "seconds": round(seconds, 2),
            "rows_per_s": round(base["rows"] / seconds),
        }
    return out


# -- the run ---------------------------------------------------------------------------------------


def data_name(args) -> str:
    """The kept data's name: its version, size and the schema's migrations."""
    return kept_data_name("trace", DATA, SEED, args.events, args.verify_events)


def kept(dbs: Databases, name: str, cache: Path, build, rebuild: bool) -> tuple[str, bool]:
    """The bulk data's database, built once and kept (used in place: the bench only reads it); its
    URL and whether this run built it."""
    if dbs.backend == "sqlite":
        cache.mkdir(parents=True, exist_ok=True)
        path = cache / f"{name}.db"
        built = rebuild or not path.exists()
        if built:
            for old in cache.glob(f"{name}.db*"):
                old.unlink()
            url = dbs.fresh("building")
            build(url)
            engine = make_engine(url)
            with engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            engine.dispose()
            os.replace(url.removeprefix("sqlite:///"), path)
        return f"sqlite:///{path}", built
    built = rebuild or not dbs._exists(name)
    if built:
        dbs.pg.drop_database(dbs.admin_url, name)
        build(dbs.pg.create_database(dbs.admin_url, name, template=dbs.template))
    return f"{dbs.admin_url.rsplit('/', 1)[0]}/{name}", built


def sizes(engine: Engine, url: str) -> dict:
    with engine.connect() as conn:
        out = {
            t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
            for t in (events, event_epcs, chain)
        }
        if conn.dialect.name == "sqlite":
            out["db_mb"] = round(Path(url.removeprefix("sqlite:///")).stat().st_size / 1e6)
        else:
            size = conn.execute(text("SELECT pg_database_size(current_database())")).scalar()
            out["db_mb"] = round(size / 1e6)
    return out


def run(args, dbs: Databases, tmp: Path) -> dict:
    started = time.perf_counter()
    log("capture through the API")
    captured = capture(dbs, args, tmp)
    load_figures: dict = {}

    def fill(url: str) -> None:
        log(f"bulk-loading {args.events:,} events")
        load_figures.update(load(url, args.events, args.verify_events))

    name = data_name(args)
    url, built = kept(dbs, name, args.cache, fill, args.rebuild)
    engine = make_engine(url)
    families = -(-args.events // PER_FAMILY)
    log("timing the events of an EPC and the backward trace")
    timings = queries(engine, args, families)
    log("verifying the chain")
    _unit, source_id = commune_and_source(engine)
    verified = verification(engine, url, source_id)
    counted = sizes(engine, url)
    engine.dispose()
    goals = {
        "capture_ge_5000_events_per_s": goal(captured["hash"]["events_per_s"], 5000, "above"),
        "epc_events_p95_le_50ms": goal(timings.get("epc_events", {}).get("p95_ms"), 50),
        "trace_backward_p95_le_200ms": goal(timings.get("trace_backward", {}).get("p95_ms"), 200),
        "epc_events_baseline_p95_le_50ms": goal(timings["epc_events_baseline"]["p95_ms"], 50),
        "trace_backward_baseline_p95_le_200ms": goal(
            timings["trace_backward_baseline"]["p95_ms"], 200
        ),
    }
    return {
        "bench": "traceability: capture, events of an EPC, backward trace, verify "
        "(bench/traceability.py)",
        "backend": dbs.backend,
        "cpus": os.cpu_count(),
        "events": args.events,
        "families": families,
        "rows": counted,
        "data": {"name": name, "built_in_this_run": built}
        | ({"load": load_figures} if load_figures else {}),
        "capture": captured,
        **timings,
        **verified,
        "goals": goals,
        "seconds": round(time.perf_counter() - started, 1),
    }


def main() -> None:
    from ioc57 import modules

    modules.load()  # the record types, as ``ioc57 serve`` loads them
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--verify-events", type=int, default=1_000_000)
    parser.add_argument("--capture-events", type=int, default=20_000)
    parser.add_argument("--document-events", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--capture-via", choices=("http", "asgi"), default="http")
    add_kept_data_options(parser, "trace")
    args = parser.parse_args()
    if args.events < PER_FAMILY or not 0 < args.verify_events <= args.events:
        parser.error("--events is at least 10, --verify-events in [1, --events]")
    if not 0 < args.document_events <= 10_000 or args.capture_events < args.document_events:
        parser.error("--document-events is in [1, 10000], --capture-events at least that")
    backend = backend_of(args)
    tmp = Path(tempfile.mkdtemp(prefix="ioc57-bench-trace-"))
    dbs = Databases(backend, tmp, args.database_url, SOURCE, TYPES, prepare)
    try:
        print(json.dumps(run(args, dbs, tmp), ensure_ascii=False), flush=True)
    finally:
        dbs.close()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
