"""EPCIS 2.0 capture: documents of the four event types captured through the gate and stored once,
invalid events refused naming their field while the good ones are kept (or nothing, under
``rollback``), documents that are no EPCIS 2.0 refused whole, and a source held to its province.

The events follow the examples of EPCIS 2.0 (section 7 and its JSON/JSON-LD examples: an
ObjectEvent of shipping with a purchase order, source and destination, an AggregationEvent of
packing into a pallet, a TransformationEvent with its inputs and outputs by quantity, an
AssociationEvent of a sensor fitted to a returnable asset), with this province's identifiers.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from ioc57.core.access import Principal
from ioc57.core.clock import today
from ioc57.ingest.sources import as_source, get_row
from ioc57.traceability.capture import capture_document
from ioc57.traceability.eventhash import event_hash, full_hash
from ioc57.traceability.tables import event_epcs, events
from ioc57.units.tables import units

from ..support.http import auth
from ..support.trace import (
    CONTEXT,
    GLN_FARM,
    GLN_PACKING,
    GTIN_DURIAN,
    GTIN_PASTE,
    Tracer,
    document,
    harvest,
    lot_class,
    sgln,
    with_check_digit,
)

EX = {"ex": "https://example.vn/epcis/"}
MEDIA = "application/json"
SSCC = "urn:epc:id:sscc:8935001.0000000001"


def sgtin(serial: int, gtin: str = GTIN_DURIAN) -> str:
    return f"urn:epc:id:sgtin:{gtin[1:8]}.{gtin[0]}{gtin[8:13]}.{serial}"


def shipping(lot: str) -> dict[str, Any]:
    """ObjectEvent, OBSERVE, shipping, in transit, with its purchase order, the owning parties
    and a temperature reading (as the standard's example of an ObjectEvent and of sensor data)."""
    return {
        "type": "ObjectEvent",
        "eventTime": "2025-07-17T09:00:00+07:00",
        "eventTimeZoneOffset": "+07:00",
        "epcList": [sgtin(1001), sgtin(1002)],
        "action": "OBSERVE",
        "bizStep": "shipping",
        "disposition": "in_transit",
        "readPoint": {"id": sgln(GLN_PACKING)},
        "bizTransactionList": [
            {"type": "po", "bizTransaction": f"urn:epcglobal:cbv:bt:8935001000013:{lot}"}
        ],
        "sourceList": [{"type": "owning_party", "source": "urn:epc:id:pgln:8935001.00001"}],
        "destinationList": [
            {"type": "owning_party", "destination": "urn:epc:id:pgln:8935002.00001"}
        ],
        "sensorElementList": [
            {
                "sensorMetadata": {"time": "2025-07-17T08:55:00+07:00"},
                "sensorReport": [{"type": "Temperature", "value": 12.5, "uom": "CEL"}],
            }
        ],
        "ex:grade": "A",
    }


def packing(lot: str) -> dict[str, Any]:
    """AggregationEvent, ADD, packing: cases of the lot onto a pallet (SSCC)."""
    return {
        "type": "AggregationEvent",
        "eventTime": "2025-07-16T14:00:00+07:00",
        "eventTimeZoneOffset": "+07:00",
        "parentID": SSCC,
        "childEPCs": [sgtin(1001), sgtin(1002)],
        "childQuantityList": [
            {"epcClass": lot_class(GTIN_DURIAN, lot), "quantity": 300, "uom": "KGM"}
        ],
        "action": "ADD",
        "bizStep": "packing",
        "disposition": "in_progress",
        "readPoint": {"id": sgln(GLN_PACKING)},
        "bizLocation": {"id": sgln(GLN_PACKING)},
    }


def processing(lot: str) -> dict[str, Any]:
    """TransformationEvent: durian of the lot in, frozen durian paste out (with its ILMD)."""
    return {
        "type": "TransformationEvent",
        "eventTime": "2025-07-16T10:00:00+07:00",
        "eventTimeZoneOffset": "+07:00",
        "inputQuantityList": [
            {"epcClass": lot_class(GTIN_DURIAN, lot), "quantity": 500, "uom": "KGM"}
        ],
        "outputQuantityList": [
            {"epcClass": lot_class(GTIN_PASTE, f"{lot}P"), "quantity": 180, "uom": "KGM"}
        ],
        "bizStep": "commissioning",
        "disposition": "active",
        "readPoint": {"id": sgln(GLN_PACKING)},
        "bizLocation": {"id": sgln(GLN_PACKING)},
        "ilmd": {"ex:bestBefore": "2026-07-16"},
    }


def fitting(lot: str) -> dict[str, Any]:
    """AssociationEvent, ADD, assembling: a temperature logger fitted to a returnable crate."""
    return {
        "type": "AssociationEvent",
        "eventTime": "2025-07-15T07:00:00+07:00",
        "eventTimeZoneOffset": "+07:00",
        "parentID": f"urn:epc:id:grai:8935001.00001.{lot}",
        "childEPCs": [f"urn:epc:id:giai:8935001.LOGGER{lot}"],
        "action": "ADD",
        "bizStep": "assembling",
        "readPoint": {"id": sgln(GLN_FARM)},
    }


def capture(tracer: Tracer, doc: Any, expect: int = 202, headers: dict | None = None, **kw):
    r = tracer.client.post(
        "/epcis/capture", json=doc, headers={**tracer.headers, **(headers or {})}, **kw
    )
    assert r.status_code == expect, r.text
    return r


def stored(app, *where) -> list[Any]:
    with app.state.engine.connect() as conn:
        return conn.execute(select(events).where(*where).order_by(events.c.id)).all()


def epc_events(app, epc: str) -> int:
    """How many stored events name ``epc`` (canonical form)."""
    with app.state.engine.connect() as conn:
        query = select(func.count(func.distinct(event_epcs.c.event_pk))).where(
            event_epcs.c.epc == epc
        )
        return conn.execute(query).scalar_one()


def lot_uri(gtin: str, lot: str) -> str:
    return f"https://id.gs1.org/01/{gtin}/10/{lot}"


def commune_code(app, unit_id: int) -> str:
    with app.state.engine.connect() as conn:
        return conn.execute(select(units.c.code).where(units.c.id == unit_id)).scalar_one()


def test_the_four_event_types_are_captured_and_stored(trace_app, tracer):
    doc = document(fitting("C1"), processing("C1"), packing("C1"), shipping("C1"), context=[EX])
    r = capture(tracer, doc)
    for name in ("GS1-EPCIS-Version", "GS1-CBV-Version", "GS1-EPCIS-Capture-Limit"):
        assert r.headers[name]
    job = r.json()
    assert r.headers["location"] == f"/epcis/capture/{job['captureID']}"
    assert job["success"] is True and job["running"] is False and job["errors"] == []
    assert job["captureErrorBehaviour"] == "proceed" and job["captured"] == 4
    again = tracer.client.get(r.headers["location"], headers=tracer.headers)
    assert again.status_code == 200 and again.json()["captureID"] == job["captureID"]
    mine = tracer.client.get("/epcis/capture", headers=tracer.headers).json()
    assert job["captureID"] in [j["captureID"] for j in mine]

    ids = [event_hash(e, doc["@context"]) for e in doc["epcisBody"]["eventList"]]
    rows = {r.type: r for r in stored(trace_app, events.c.event_id.in_(ids))}
    assert set(rows) == {
        "ObjectEvent",
        "AggregationEvent",
        "TransformationEvent",
        "AssociationEvent",
    }
    farm, packing_house = tracer.communes
    # the unit: the commune of the bizLocation, else of the readPoint
    assert commune_code(trace_app, rows["AssociationEvent"].unit_id) == farm
    assert commune_code(trace_app, rows["ObjectEvent"].unit_id) == packing_house
    assert rows["ObjectEvent"].biz_step == "shipping"
    assert rows["ObjectEvent"].event_id.startswith("ni:///sha-256;")
    assert '"ex:grade":"A"' in rows["ObjectEvent"].document
    assert '"sensorElementList"' in rows["ObjectEvent"].document
    assert epc_events(trace_app, lot_uri(GTIN_PASTE, "C1P")) == 1


def test_the_fast_event_hash_is_the_package_s(tracer):
    """The event hash without the JSON-LD expansion gives the package's own id for each type."""
    for event in (fitting("H1"), processing("H1"), packing("H1"), shipping("H1"), harvest()):
        context = [CONTEXT, EX]
        assert event_hash(event, context) == full_hash(event, context), event["type"]


def test_invalid_events_are_refused_naming_their_field_and_the_good_ones_kept(trace_app, tracer):
    unknown = with_check_digit("893500199999")
    bad = [
        harvest(lot="B1"),  # good
        {k: v for k, v in harvest(lot="B2").items() if k != "eventTime"},
        harvest(lot="B3", bizStep="picking_flowers"),
        harvest(lot="B4", bizLocation={"id": sgln(unknown)}, readPoint={"id": sgln(unknown)}),
        {k: v for k, v in harvest(lot="B5").items() if k not in ("readPoint", "bizLocation")},
        "not an event",
        {**packing("B6"), "parentID": None, "action": "ADD"},
    ]
    job = capture(tracer, document(*bad)).json()
    assert job["success"] is False and job["captured"] == 1 and job["rejected"] == 6
    fields = {e["eventIndex"]: e["errors"][0]["loc"] for e in job["errors"]}
    assert fields == {
        1: ["eventTime"],
        2: ["bizStep"],
        3: ["bizLocation"],
        4: ["bizLocation"],
        5: [],
        6: ["parentID"],
    }
    by_index = {e["eventIndex"]: e for e in job["errors"]}
    assert by_index[3]["type"] == "epcisException:ValidationException"
    assert "is not registered" in by_index[3]["detail"]
    assert epc_events(trace_app, lot_uri(GTIN_DURIAN, "B1")) == 1
    assert epc_events(trace_app, lot_uri(GTIN_DURIAN, "B3")) == 0


def test_rollback_stores_nothing_of_a_document_with_an_invalid_event(trace_app, tracer):
    rollback = {"GS1-Capture-Error-Behaviour": "rollback"}
    doc = document(harvest(lot="R1"), harvest(lot="R2", eventTimeZoneOffset="7"))
    job = capture(tracer, doc, headers=rollback).json()
    assert job["captureErrorBehaviour"] == "rollback" and job["success"] is False
    assert [e["eventIndex"] for e in job["errors"]] == [1]
    assert job["errors"][0]["errors"][0]["loc"] == ["eventTimeZoneOffset"]
    assert epc_events(trace_app, lot_uri(GTIN_DURIAN, "R1")) == 0
    kept = tracer.client.get(f"/epcis/capture/{job['captureID']}", headers=tracer.headers)
    assert kept.json()["captureErrorBehaviour"] == "rollback"
    job = capture(tracer, document(harvest(lot="R1")), headers=rollback).json()
    assert job["success"] is True
    assert epc_events(trace_app, lot_uri(GTIN_DURIAN, "R1")) == 1


def test_the_same_event_twice_is_stored_once(trace_app, tracer):
    first = capture(tracer, document(harvest(lot="D1"))).json()
    again = capture(tracer, document(harvest(lot="D1"))).json()
    assert first["captured"] == 1 and again["captured"] == 0 and again["unchanged"] == 1
    assert epc_events(trace_app, lot_uri(GTIN_DURIAN, "D1")) == 1
    given = harvest(lot="D2", eventID="urn:uuid:6f1f8c2e-2b8e-4d6a-9a53-3c1f0b4f5d57")
    capture(tracer, document(given))
    capture(tracer, document(given))
    rows = stored(trace_app, events.c.event_id == given["eventID"])
    assert len(rows) == 1
    assert epc_events(trace_app, lot_uri(GTIN_DURIAN, "D2")) == 1
    # the same through the function the demo and the bench call
    gate = trace_app.state.gate
    with gate.engine.connect() as conn:
        row = get_row(conn, "truy-xuat")
        source = as_source(conn, row, today())
    system = Principal(row.user_id, row.name, "system", None, None, "source")
    result = capture_document(gate, source, system, document(given, harvest(lot="D3")))
    assert (result.unchanged, result.accepted) == (1, 1)


@pytest.mark.parametrize(
    ("body", "status", "kind", "loc"),
    [
        (b"{not json", 400, "ValidationException", ["body"]),
        (b'{"type": "EPCISQueryDocument"}', 400, "ValidationException", ["type"]),
        (
            b'{"type": "EPCISDocument", "schemaVersion": "1.2", "@context": []}',
            400,
            "ValidationException",
            ["schemaVersion"],
        ),
        (
            b'{"type": "EPCISDocument", "schemaVersion": "2.0", "@context": [], '
            b'"creationDate": "2025-07-20T08:00:00Z", "epcisBody": {}}',
            400,
            "ValidationException",
            ["epcisBody", "eventList"],
        ),
    ],
)
def test_a_body_that_is_no_epcis_document_is_refused_whole(tracer, body, status, kind, loc):
    headers = {**tracer.headers, "Content-Type": "application/ld+json"}
    r = tracer.client.post("/epcis/capture", content=body, headers=headers)
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
    problem = r.json()
    assert problem["type"] == f"epcisException:{kind}"
    assert problem["errors"][0]["loc"] == loc


def test_limits_media_types_and_the_behaviour_header_are_checked(tracer):
    too_many = document(*([{}] * 10_001))
    problem = capture(tracer, too_many, expect=413).json()
    assert problem["type"] == "epcisException:CaptureLimitExceededException"
    huge = b" " * (10 * 1024 * 1024 + 1)
    r = tracer.client.post(
        "/epcis/capture", content=huge, headers={**tracer.headers, "Content-Type": MEDIA}
    )
    assert r.status_code == 413, r.text
    assert r.json()["type"] == "epcisException:CaptureLimitExceededException"
    r = tracer.client.post(
        "/epcis/capture",
        content=b"<epcis/>",
        headers={**tracer.headers, "Content-Type": "application/xml"},
    )
    assert r.status_code == 415, r.text
    wrong = {"GS1-Capture-Error-Behaviour": "ignore"}
    problem = capture(tracer, document(harvest()), expect=400, headers=wrong).json()
    assert problem["errors"][0]["loc"] == ["header", "GS1-Capture-Error-Behaviour"]


def test_a_source_may_not_capture_for_another_province(trace_app, tracer):
    client, admin = tracer.client, tracer.api.token("admin")
    with trace_app.state.engine.connect() as conn:
        commune = conn.execute(
            select(units.c.code)
            .where(units.c.province_code == "75", units.c.level.in_(("ward", "commune")))
            .where(units.c.valid_to.is_(None))
            .order_by(units.c.code)
            .limit(1)
        ).scalar_one()
    gln = with_check_digit("893500300001")
    spec = {"name": "truy-xuat-75", "types": ["trace_location"], "units": ["75"]}
    token = client.post("/api/v1/sources", json=spec, headers=auth(admin)).json()["token"]
    place = {
        "gln": gln,
        "name": "Nhà máy điều Bình Phước",
        "kind": "processing_plant",
        "unit": commune,
    }
    r = client.post("/api/v1/ingest/trace_location", json=[place], headers=auth(token))
    assert r.json()["accepted"] == 1, r.text
    at_plant = harvest(lot="X1", readPoint={"id": sgln(gln)}, bizLocation={"id": sgln(gln)})
    named = harvest(lot="X2", unit=commune)
    job = capture(tracer, document(at_plant, named)).json()
    assert [(e["eventIndex"], e["errors"][0]["loc"]) for e in job["errors"]] == [
        (0, ["unit"]),
        (1, ["unit"]),
    ]
    assert "outside the source's units" in job["errors"][0]["detail"]
    assert epc_events(trace_app, lot_uri(GTIN_DURIAN, "X1")) == 0


def test_a_person_captures_one_event_as_the_people_entry_source(trace_app, tracer):
    client, api = tracer.client, tracer.api
    officer = api.user("truyxuat.canbo", "officer", unit="82")
    event = harvest(lot="E1", **{"@context": [CONTEXT, EX], "ex:grade": "B"})
    r = client.post("/epcis/events", json=event, headers=auth(officer))
    assert r.status_code == 201, r.text
    event_id = r.json()["eventID"]
    assert event_id.startswith("ni:///sha-256;") and r.headers["location"].startswith(
        "/epcis/events/"
    )
    assert len(stored(trace_app, events.c.event_id == event_id)) == 1
    bad = client.post("/epcis/events", json={**event, "action": "MOVE"}, headers=auth(officer))
    assert bad.status_code == 400, bad.text
    assert bad.json()["errors"][0]["loc"] == ["action"]
    jobs = client.get("/epcis/capture", headers=auth(officer)).json()
    assert [j["captured"] for j in jobs] == [0, 1]  # newest first; the source's jobs not among them
    page = client.get("/epcis/capture", params={"perPage": 1}, headers=auth(officer))
    assert [j["captureID"] for j in page.json()] == [jobs[0]["captureID"]]
    after = client.get(page.links["next"]["url"], headers=auth(officer)).json()
    assert [j["captureID"] for j in after] == [jobs[1]["captureID"]]
    other = client.get(f"/epcis/capture/{jobs[0]['captureID']}", headers=tracer.headers)
    assert other.status_code == 404
    viewer = api.user("truyxuat.xem", "viewer")
    assert client.post("/epcis/events", json=event, headers=auth(viewer)).status_code == 403


def test_a_capture_keeps_its_raw_document_counts_its_batch_and_is_announced(trace_app, tracer):
    from ioc57.ingest.tables import batches, raw_payloads

    heard: list = []
    trace_app.state.bus.subscribe("ingest.batch", heard.append)
    doc = document(fitting("RAW1"), packing("RAW1"), context=[EX])
    job = capture(tracer, doc).json()
    batch_id = int(job["captureID"])  # the gate's batch id, as a string
    with trace_app.state.engine.connect() as conn:
        raw = conn.execute(
            select(func.count())
            .select_from(raw_payloads)
            .where(raw_payloads.c.batch_id == batch_id)
        ).scalar_one()
        batch = conn.execute(select(batches).where(batches.c.id == batch_id)).one()
    assert raw == 1  # the document as received, kept with its batch
    assert (batch.type, batch.submitted, batch.accepted, batch.rejected) == ("epcis_event", 2, 2, 0)
    said = [e for e in heard if e.data["batch"] == batch_id]
    assert len(said) == 1 and said[0].data["record_type"] == "epcis_event"
    assert said[0].data["changed"] == 2
