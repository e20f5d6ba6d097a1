"""The trace of a lot: backwards through three transformations in a row to the harvest, forwards
from the harvest through them and into the pallet that holds the last lot, level by level; cut
at the depth asked; and, over the API, within the reader's scope.

Raw cashew (lot R) is shelled into kernels (K), roasted (S), salted into a snack (T, whose
instance T#1 is one of its bags); T goes onto a pallet that a sensor is tied to.
"""

from __future__ import annotations

import pytest

from ioc57.traceability import query, trace
from ioc57.traceability.epc import canonical
from ioc57.traceability.keyset import Order

from ..support.http import auth
from ..support.trace import (
    GLN_PACKING,
    GTIN_DURIAN,
    GTIN_PASTE,
    document,
    harvest,
    lot_class,
    sgln,
)

RAW, KERNEL, ROASTED, SNACK = (
    lot_class(GTIN_DURIAN, "R"),
    lot_class(GTIN_PASTE, "K"),
    lot_class(GTIN_PASTE, "S"),
    lot_class(GTIN_PASTE, "T"),
)
BAG = f"urn:epc:id:sgtin:8935001.0{GTIN_PASTE[8:13]}.T1"
PALLET = "urn:epc:id:sscc:8935001.0000000002"
SENSOR = "urn:epc:id:giai:8935001.S2"
OTHER = lot_class(GTIN_PASTE, "X")  # a lot on the same pallet, from elsewhere


def transform(day: int, inputs: str, outputs: str, *, bag: bool = False) -> dict:
    event = {
        "type": "TransformationEvent",
        "eventTime": f"2025-08-{day:02d}T08:00:00+07:00",
        "eventTimeZoneOffset": "+07:00",
        "bizStep": "commissioning",
        "inputQuantityList": [{"epcClass": inputs, "quantity": 100, "uom": "KGM"}],
        "outputQuantityList": [{"epcClass": outputs, "quantity": 90, "uom": "KGM"}],
        "bizLocation": {"id": sgln(GLN_PACKING)},
    }
    if bag:
        event["outputEPCList"] = [BAG]
    return event


def tie(day: int, kind: str, parent: str, *, classes=(), epcs=()) -> dict:
    return {
        "type": kind,
        "eventTime": f"2025-08-{day:02d}T08:00:00+07:00",
        "eventTimeZoneOffset": "+07:00",
        "action": "ADD",
        "bizStep": "packing" if kind == "AggregationEvent" else "assembling",
        "parentID": parent,
        "childQuantityList": [{"epcClass": c, "quantity": 10, "uom": "KGM"} for c in classes],
        "childEPCs": list(epcs),
        "bizLocation": {"id": sgln(GLN_PACKING)},
    }


@pytest.fixture(scope="module")
def sent(tracer):
    farm, packing = tracer.communes
    tracer.events(harvest(lot="R"), unit=farm)
    result = tracer.events(
        transform(1, RAW, KERNEL),
        transform(2, KERNEL, ROASTED),
        transform(3, ROASTED, SNACK, bag=True),
        tie(4, "AggregationEvent", PALLET, classes=(SNACK, OTHER)),
        tie(5, "AssociationEvent", SENSOR, epcs=(PALLET,)),
        unit=packing,
    )
    assert result["accepted"] == 5, result
    return tracer


def depths(found: trace.Trace) -> dict[str, int]:
    return dict(found.depth)


def c(*ids: str) -> list[str]:
    return [canonical(i) for i in ids]


def test_backward_crosses_three_transformations_to_the_harvest(trace_app, sent):
    with trace_app.state.engine.connect() as conn:
        found = trace.backward(conn, SNACK)
    assert depths(found) == dict(zip(c(SNACK, ROASTED, KERNEL, RAW), range(4), strict=True))
    assert [(link.source, link.target) for link in found.links] == list(
        zip(c(SNACK, ROASTED, KERNEL), c(ROASTED, KERNEL, RAW), strict=True)
    )
    assert {link.type for link in found.links} == {"TransformationEvent"}
    assert not found.truncated


def test_backward_from_an_instance_and_from_the_pallet_that_holds_it(trace_app, sent):
    with trace_app.state.engine.connect() as conn:
        from_bag = trace.backward(conn, BAG)
        from_pallet = trace.backward(conn, PALLET)
    assert depths(from_bag) == dict(zip(c(BAG, ROASTED, KERNEL, RAW), range(4), strict=True))
    assert depths(from_pallet) == {
        **dict(zip(c(PALLET, SNACK, ROASTED, KERNEL, RAW), range(5), strict=True)),
        canonical(OTHER): 1,
    }


def test_forward_goes_through_the_transformations_into_the_pallet_and_its_sensor(trace_app, sent):
    with trace_app.state.engine.connect() as conn:
        found = trace.forward(conn, RAW)
    assert depths(found) == {
        **dict(zip(c(RAW, KERNEL, ROASTED), range(3), strict=True)),
        canonical(SNACK): 3,
        canonical(BAG): 3,
        canonical(PALLET): 4,
        canonical(SENSOR): 5,
    }
    assert canonical(OTHER) not in found.depth  # beside the lot on the pallet, not from it
    into_pallet = [link for link in found.links if link.target == canonical(PALLET)]
    assert [link.type for link in into_pallet] == ["AggregationEvent"]


def test_a_lots_journey_is_the_events_of_its_trace_in_time(trace_app, sent):
    with trace_app.state.engine.connect() as conn:
        found = trace.backward(conn, PALLET)
        journey = query.events_of(conn, found.depth, order=Order("eventTime"))
    assert [(e["type"], e["eventTime"][:10]) for e in journey.events] == [
        ("ObjectEvent", "2025-07-14"),  # the harvest, 06:30 in Việt Nam
        ("TransformationEvent", "2025-08-01"),
        ("TransformationEvent", "2025-08-02"),
        ("TransformationEvent", "2025-08-03"),
        ("AggregationEvent", "2025-08-04"),
        ("AssociationEvent", "2025-08-05"),
    ]


def test_a_walk_cut_at_its_depth_says_so(trace_app, sent):
    with trace_app.state.engine.connect() as conn:
        found = trace.forward(conn, [RAW], max_depth=2)
        whole = trace.forward(conn, [SNACK], max_depth=3)
    assert max(found.depth.values()) == 2 and found.truncated
    assert not whole.truncated


def test_the_trace_over_the_api_within_the_readers_scope(sent):
    path = "/api/v1/traceability/trace"
    admin = auth(sent.api.token("admin"))
    r = sent.client.get(path, params={"epc": PALLET, "direction": "backward"}, headers=admin)
    assert r.status_code == 200, r.text
    body = r.json()
    assert {n["id"]: n["depth"] for n in body["nodes"]}[canonical(RAW)] == 4
    assert {link["eventID"] for link in body["links"]} and body["truncated"] is False
    farm, _packing = sent.communes
    officer = auth(sent.api.user("t.officer.farm", "officer", unit=farm))
    r = sent.client.get(path, params={"epc": PALLET}, headers=officer)
    assert r.json()["nodes"] == [{"id": canonical(PALLET), "depth": 0}]  # the packing's events
    r = sent.client.get(path, params={"epc": PALLET, "direction": "sideways"}, headers=admin)
    assert r.status_code == 422
    assert sent.client.get(path, params={"epc": PALLET}).status_code == 401


def test_events_captured_over_epcis_are_traced(sent):
    """The standard's way in, then the trace: a transformation captured by ``POST
    /epcis/capture`` links its output back to its input."""
    peeled, pulp = lot_class(GTIN_DURIAN, "W"), lot_class(GTIN_PASTE, "WP")
    r = sent.client.post(
        "/epcis/capture", json=document(transform(9, peeled, pulp)), headers=sent.headers
    )
    assert r.status_code == 202, r.text
    admin = auth(sent.api.token("admin"))
    r = sent.client.get("/api/v1/traceability/trace", params={"epc": pulp}, headers=admin)
    assert r.status_code == 200, r.text
    assert [(n["id"], n["depth"]) for n in r.json()["nodes"]] == [
        (canonical(pulp), 0),
        (canonical(peeled), 1),
    ]
