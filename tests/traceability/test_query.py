"""EPCIS 2.0's SimpleEventQuery over REST: each parameter selects what the standard says, pages
follow ``nextPageToken``, a parameter the query cannot take is a QueryParameterException naming
it, and an officer reads its own commune's events only.

One set of events for the whole module (a durian lot harvested, packed on a pallet, turned into
paste, the pallet tied to a sensor and shipped, and an inspection declared an error), each with
an eventID of its own, so that every answer can be compared with the events expected by name.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest

from ..support.http import auth
from ..support.trace import (
    GLN_FARM,
    GLN_PACKING,
    GTIN_DURIAN,
    GTIN_PASTE,
    harvest,
    lot_class,
    sgln,
)

SSCC = "urn:epc:id:sscc:8935001.0000000001"
SENSOR = "urn:epc:id:giai:8935001.S1"
SERIAL = f"urn:epc:id:sgtin:8935001.0{GTIN_DURIAN[8:13]}.77"
LOT = lot_class(GTIN_DURIAN, "Q1")
PASTE = lot_class(GTIN_PASTE, "QP1")
LOT_DL = f"https://id.gs1.org/01/{GTIN_DURIAN}/10/Q1"


def uid(name: str) -> str:
    return f"urn:uuid:00000000-0000-4000-8000-{name.encode().hex().ljust(12, '0')[:12]}"


def at(day: int, time: str) -> dict:
    return {"eventTime": f"2025-07-{day}T{time}:00+07:00", "eventTimeZoneOffset": "+07:00"}


EVENTS = {
    "harvest": harvest(lot="Q1", eventID=uid("harvest")),
    "void": {
        "eventID": uid("void"),
        "type": "ObjectEvent",
        **at(15, "12:00"),
        "action": "OBSERVE",
        "bizStep": "inspecting",
        "epcList": [SERIAL],
        "readPoint": {"id": sgln(GLN_FARM)},
        "errorDeclaration": {
            "declarationTime": "2025-07-15T13:00:00+07:00",
            "reason": "incorrect_data",
        },
    },
    "pack": {
        "eventID": uid("pack"),
        "type": "AggregationEvent",
        **at(16, "08:00"),
        "action": "ADD",
        "bizStep": "packing",
        "disposition": "in_progress",
        "parentID": SSCC,
        "childQuantityList": [{"epcClass": LOT, "quantity": 600, "uom": "KGM"}],
        "readPoint": {"id": sgln(GLN_PACKING)},
        "bizLocation": {"id": sgln(GLN_PACKING)},
    },
    "process": {
        "eventID": uid("process"),
        "type": "TransformationEvent",
        **at(16, "10:00"),
        "bizStep": "commissioning",
        "inputQuantityList": [{"epcClass": LOT, "quantity": 600, "uom": "KGM"}],
        "outputQuantityList": [{"epcClass": PASTE, "quantity": 200, "uom": "KGM"}],
        "bizLocation": {"id": sgln(GLN_PACKING)},
    },
    "sensor": {
        "eventID": uid("sensor"),
        "type": "AssociationEvent",
        **at(17, "08:00"),
        "action": "ADD",
        "bizStep": "assembling",
        "parentID": SENSOR,
        "childEPCs": [SSCC],
        "bizLocation": {"id": sgln(GLN_PACKING)},
    },
    "ship": {
        "eventID": uid("ship"),
        "type": "ObjectEvent",
        **at(17, "09:00"),
        "action": "OBSERVE",
        "bizStep": "https://ref.gs1.org/cbv/BizStep-shipping",
        "disposition": "in_transit",
        "epcList": [SSCC],
        "readPoint": {"id": sgln(GLN_PACKING)},
    },
}
AT_PACKING = ("pack", "process", "sensor", "ship")
NAMES = {uid(name): name for name in EVENTS}


@pytest.fixture(scope="module")
def sent(tracer):
    """The module's events, sent once: the farm's in the farm's commune, the rest in the
    packing house's."""
    farm, packing = tracer.communes
    rows = [{**e, "unit": packing if n in AT_PACKING else farm} for n, e in EVENTS.items()]
    result = tracer.events(*rows)
    assert result["accepted"] == len(EVENTS), result
    return tracer


def ask(sent, path="/epcis/events", params=None, headers=None, expect=200):
    if headers is None:
        headers = auth(sent.api.token("admin"))
    r = sent.client.get(path, params=params, headers=headers)
    assert r.status_code == expect, r.text
    return r


def names(r) -> list[str]:
    body = r.json()
    assert body["type"] == "EPCISQueryDocument" and body["schemaVersion"] == "2.0"
    results = body["epcisBody"]["queryResults"]
    assert results["queryName"] == "SimpleEventQuery"
    return [NAMES[e["eventID"]] for e in results["resultsBody"]["eventList"]]


ALL = list(EVENTS)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ALL),
        ({"eventType": "AggregationEvent,TransformationEvent"}, ["pack", "process"]),
        ({"GE_eventTime": "2025-07-16T08:00:00+07:00"}, ["pack", "process", "sensor", "ship"]),
        ({"LT_eventTime": "2025-07-16T01:00:00Z"}, ["harvest", "void"]),
        ({"GE_eventTime": "2025-07-16T09:00:00 07:00"}, ["process", "sensor", "ship"]),
        ({"LT_recordTime": "2000-01-01T00:00:00Z"}, []),
        ({"GE_recordTime": "2000-01-01T00:00:00Z"}, ALL),
        ({"EQ_action": "OBSERVE"}, ["void", "ship"]),
        ({"EQ_bizStep": "shipping"}, ["ship"]),
        ({"EQ_bizStep": "https://ref.gs1.org/cbv/BizStep-packing"}, ["pack"]),
        ({"EQ_disposition": "in_transit,in_progress"}, ["pack", "ship"]),
        ({"EQ_readPoint": sgln(GLN_FARM)}, ["harvest", "void"]),
        (
            {"EQ_bizLocation": f"https://id.gs1.org/414/{GLN_PACKING}"},
            ["pack", "process", "sensor"],
        ),
        ({"WD_bizLocation": sgln(GLN_PACKING), "EQ_readPoint": sgln(GLN_FARM)}, []),
        ({"WD_readPoint": sgln(GLN_FARM)}, ["harvest", "void"]),
        ({"EQ_eventID": uid("ship")}, ["ship"]),
        ({"MATCH_epc": SSCC}, ["sensor", "ship"]),
        ({"MATCH_epc": SERIAL}, ["void"]),
        ({"MATCH_parentID": SSCC}, ["pack"]),
        ({"MATCH_anyEPC": SSCC}, ["pack", "sensor", "ship"]),
        ({"MATCH_epcClass": LOT_DL}, ["harvest", "pack"]),
        ({"MATCH_inputEPCClass": LOT}, ["process"]),
        ({"MATCH_outputEPCClass": PASTE}, ["process"]),
        ({"MATCH_anyEPCClass": LOT}, ["harvest", "pack", "process"]),
        ({"MATCH_inputEPC": SERIAL}, []),
        ({"MATCH_outputEPC": SERIAL}, []),
        ({"EXISTS_errorDeclaration": "true"}, ["void"]),
        ({"MATCH_anyEPCClass": LOT, "eventType": "ObjectEvent"}, ["harvest"]),
    ],
)
def test_each_parameter_selects_what_the_standard_says(sent, params, expected):
    assert names(ask(sent, params=params)) == expected


def test_a_repeated_parameter_is_a_list(sent):
    r = ask(sent, params=[("EQ_bizStep", "packing"), ("EQ_bizStep", "assembling")])
    assert names(r) == ["pack", "sensor"]


def test_the_answer_says_the_standards_versions_and_keeps_the_events_as_sent(sent):
    r = ask(sent, params={"EQ_eventID": uid("process")})
    assert r.headers["GS1-EPCIS-Version"] == "2.0.0"
    assert r.headers["GS1-CBV-Version"] == "2.0.0"
    (event,) = r.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    assert event["inputQuantityList"] == [{"epcClass": LOT, "quantity": 600, "uom": "KGM"}]
    assert event["recordTime"]


def test_pages_follow_the_next_page_token_to_the_end(sent):
    seen, params, pages = [], {"perPage": "2"}, 0
    r = ask(sent, params=params)
    while True:
        pages += 1
        seen += names(r)
        if "link" not in r.headers:
            break
        link = r.headers["link"]
        assert link.endswith('>; rel="next"')
        r = sent.client.get(link[1:-13], headers=auth(sent.api.token("admin")))
        assert r.status_code == 200, r.text
    assert (pages, seen) == (3, ALL)


def test_pages_in_the_order_asked_for(sent):
    params = {"orderBy": "eventTime", "perPage": "4"}
    first = ask(sent, params=params)
    assert names(first) == ["ship", "sensor", "process", "pack"]  # the standard's default: DESC
    token = first.headers["link"].split("nextPageToken=")[1].split(">")[0]
    assert names(ask(sent, params={**params, "nextPageToken": token})) == ["void", "harvest"]
    up = ask(sent, params={"orderBy": "eventTime", "orderDirection": "ASC", "perPage": "5"})
    assert names(up) == ["harvest", "void", "pack", "process", "sensor"]
    # stored in one batch: one record time, ties in the order stored, across pages too
    params, seen = {"orderBy": "recordTime", "orderDirection": "DESC", "perPage": "4"}, []
    r = ask(sent, params=params)
    seen += names(r)
    token = r.headers["link"].split("nextPageToken=")[1].split(">")[0]
    seen += names(ask(sent, params={**params, "nextPageToken": token}))
    assert seen == ALL[::-1]


def test_a_token_is_bound_to_its_query(sent):
    r = ask(sent, params={"perPage": "1", "EQ_action": "OBSERVE"})
    token = r.headers["link"].split("nextPageToken=")[1].split(">")[0]
    again = ask(sent, params={"perPage": "1", "EQ_action": "OBSERVE", "nextPageToken": token})
    assert names(again) == ["ship"]
    r = ask(sent, params={"EQ_action": "ADD", "nextPageToken": token}, expect=400)
    assert r.json()["errors"][0]["loc"] == ["query", "nextPageToken"]
    ask(sent, params={"nextPageToken": "MTIzLmFiYy5kZWY"}, expect=400)


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"MATCH_everything": "x"}, "MATCH_everything"),
        ({"eventType": "PotatoEvent"}, "eventType"),
        ({"GE_eventTime": "yesterday"}, "GE_eventTime"),
        ({"LT_recordTime": "2025-07-15T06:30:00"}, "LT_recordTime"),
        ({"LT_recordTime": "0001-01-01T00:00:00+01:00"}, "LT_recordTime"),
        ({"EQ_action": "add"}, "EQ_action"),
        ({"perPage": "0"}, "perPage"),
        ({"perPage": "1001"}, "perPage"),
        ({"perPage": "ten"}, "perPage"),
        ({"MATCH_epc": ","}, "MATCH_epc"),
        ({"EXISTS_errorDeclaration": "maybe"}, "EXISTS_errorDeclaration"),
        ({"nextPageToken": "%%%"}, "nextPageToken"),
        ({"orderBy": "bizStep"}, "orderBy"),
        ({"orderDirection": "ASC"}, "orderDirection"),
        ({"orderBy": "eventTime", "orderDirection": "UP"}, "orderDirection"),
    ],
)
def test_a_parameter_it_cannot_take_is_named(sent, params, name):
    r = ask(sent, params=params, expect=400)
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert body["type"] == "epcisException:QueryParameterException"
    assert body["errors"][0]["loc"] == ["query", name]


def test_the_events_of_an_epc_in_any_role(sent):
    lot = ask(sent, f"/epcis/epcs/{quote(LOT, safe='')}/events")
    assert names(lot) == ["harvest", "pack", "process"]
    pallet = f"/epcis/epcs/{quote(SSCC, safe='')}/events"
    assert names(ask(sent, pallet)) == ["pack", "sensor", "ship"]
    assert names(ask(sent, pallet, {"eventType": "ObjectEvent"})) == ["ship"]
    ask(sent, pallet, {"EQ_action": "KEEP"}, expect=400)


def test_event_types_and_the_events_of_one(sent):
    r = ask(sent, "/epcis/eventTypes")
    assert "TransformationEvent" in r.json()["member"]
    assert names(ask(sent, "/epcis/eventTypes/AssociationEvent/events")) == ["sensor"]
    ask(sent, "/epcis/eventTypes/PotatoEvent/events", expect=422)


def test_an_officer_reads_its_communes_events_and_a_stranger_none(sent):
    farm, _packing = sent.communes
    officer = sent.api.user("q.officer.farm", "officer", unit=farm)
    assert names(ask(sent, headers=auth(officer))) == ["harvest", "void"]
    ask(sent, headers={}, expect=401)
    ask(sent, headers=auth(sent.token), expect=403)  # a source's token sends; it does not read
