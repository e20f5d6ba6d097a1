"""What traceability offers the operations centre, on master data and events sent through the
gate: the lots traced with the events captured today (tile ``traceability.lots``) and the farms
lots come from (layer ``traceability.farms``), in the person's scope."""

from __future__ import annotations

import json
from datetime import timedelta

from ioc57.core.clock import LOCAL_TZ, now

from ..support.http import Api, auth
from ..support.offers import Published, events_of
from ..support.offers_by_name import layer, tile
from ..support.trace import GLN_FARM, GTIN_DURIAN, harvest


def test_a_lot_traced_moves_the_tile_at_once(trace_app, tracer):
    before = tile(trace_app, "traceability.lots")
    published = Published(trace_app)
    tracer.push("trace_lot", [{"gtin": GTIN_DURIAN, "lot": "C7", "unit": tracer.communes[0],
                               "origin": GLN_FARM, "quantity": 800, "uom": "KGM"}])  # fmt: skip
    registered = tile(trace_app, "traceability.lots")
    assert registered["args"]["lots"] == before["args"]["lots"] + 1
    assert registered["value"] == before["value"]  # registered, not traced yet

    sent = now()
    moment = (sent - timedelta(seconds=1)).astimezone(LOCAL_TZ).isoformat()
    tracer.events(harvest(lot="C7", eventTime=moment))
    lot_and_event = {"ingest.batch:trace_lot", "ingest.batch:epcis_event"}
    assert lot_and_event <= events_of("traceability.lots") & published.specs
    assert "ingest.batch:trace_lot" in events_of("traceability.farms") & published.specs
    after = tile(trace_app, "traceability.lots")
    assert after["value"] == before["value"] + 1
    assert after["args"]["events"] == before["args"]["events"] + 1
    assert after["trend"][-1][1] == after["value"] and len(after["trend"]) == 30
    assert after["delta"] == after["trend"][-1][1] - after["trend"][-2][1]
    assert sent - timedelta(seconds=1) <= after["updated_at"] <= now()
    assert after["simulated"] is False and after["rows"][2]["value"] == after["args"]["events"]


def test_the_farms_layer_shows_where_lots_come_from_and_nothing_private(
    trace_app, trace_client, tracer
):
    shown = layer(trace_app, "traceability.farms")
    (farm,) = [p for p in shown["points"] if p["label"] == "Vườn sầu riêng Ba Tâm"]
    assert (farm["lat"], farm["lon"], farm["level"]) == (10.36, 106.12, "ok")
    assert farm["value"] >= 1 and farm["href"].startswith(f"/01/{GTIN_DURIAN}/10/")
    # the packing house is neither a farm nor any lot's origin
    assert "Cơ sở đóng gói Mỹ Tho" not in [p["label"] for p in shown["points"]]
    text = json.dumps(shown, default=str, ensure_ascii=False)
    assert "0909 123 456" not in text and "Nguyễn Văn Tâm" not in text
    # and as the API carries it to the wall's map
    token = Api(trace_app).token("admin")
    r = trace_client.get("/api/v1/centre/layers/traceability.farms", headers=auth(token))
    assert r.status_code == 200, r.text
    assert [p["label"] for p in r.json()["points"]] == [p["label"] for p in shown["points"]]
    assert "0909 123 456" not in r.text and "Nguyễn Văn Tâm" not in r.text


def test_an_officer_sees_its_commune_and_no_other(trace_app, tracer):
    api = Api(trace_app)
    farm, packing = tracer.communes
    api.user("trace.farm", "officer", unit=farm)
    api.user("trace.packing", "officer", unit=packing)
    api.user("trace.hanoi", "officer", unit="01")
    mine = tile(trace_app, "traceability.lots", "trace.farm")
    assert mine["value"] >= 1 and mine["href"] == f"/traceability?unit={farm}"
    assert [p["label"] for p in layer(trace_app, "traceability.farms", "trace.farm")["points"]] == [
        "Vườn sầu riêng Ba Tâm"
    ]
    assert tile(trace_app, "traceability.lots", "trace.packing") is None  # no lot there
    assert layer(trace_app, "traceability.farms", "trace.packing") is None
    assert tile(trace_app, "traceability.lots", "trace.hanoi") is None
    assert layer(trace_app, "traceability.farms", "trace.hanoi") is None
