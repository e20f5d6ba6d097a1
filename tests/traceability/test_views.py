"""The IOC's views of traceability (the summary API, the page, the overview's panel) count what
was sent: products and lots traced by commune and category, certificates about to expire, events
per day; an officer reads only its commune's."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from ..support.http import auth, login
from ..support.trace import (
    GLN_PACKING,
    GTIN_DURIAN,
    GTIN_PASTE,
    PROVINCE,
    harvest,
    lot_class,
    sgln,
    with_check_digit,
)

DAY = date(2025, 8, 1)  # "today" of these tests
GTIN_DRAGON = with_check_digit("0893500100003")
GLN_NURSERY = with_check_digit("893500100003")
READERS = ("views_api", "pages", "overview")


@pytest.fixture(autouse=True)
def today_is_day(monkeypatch):
    for name in READERS:
        monkeypatch.setattr(f"ioc57.traceability.{name}.today", lambda: DAY)


def in_days(n: int) -> str:
    return (DAY + timedelta(days=n)).isoformat()


def certificate(number: str, valid_to: str) -> dict:
    return {
        "scheme": "VietGAP",
        "number": number,
        "issuer": "Trung tâm Chứng nhận phù hợp",
        "valid_from": "2023-01-01",
        "valid_to": valid_to,
    }


@pytest.fixture(scope="module")
def scene(tracer):
    """Three products (two durian, one dragon fruit) and four lots in two communes; events name
    two lots (one through a transformation); one more lot is named only by an event declared an
    error. A nursery in the second commune has certificates expiring, expired and valid."""
    farm, packing = tracer.communes
    tracer.push(
        "trace_product",
        [
            {
                "gtin": GTIN_DRAGON,
                "name": "Thanh long ruột đỏ",
                "category": "dragon_fruit",
                "business": "Hợp tác xã Thanh long Chợ Gạo",
                "tax_code": "1201112223",
                "unit": packing,
            }
        ],
    )
    lots = [("V2", GTIN_DURIAN, farm), ("C1", GTIN_PASTE, packing), ("D1", GTIN_DRAGON, packing)]
    tracer.push(
        "trace_lot",
        [{"gtin": g, "lot": lot, "unit": u, "harvested_on": "2025-07-10"} for lot, g, u in lots],
    )
    tracer.push(
        "trace_location",
        [
            {
                "gln": GLN_NURSERY,
                "name": "Vườn ươm Chợ Gạo",
                "kind": "farm",
                "unit": packing,
                "contact": "0912 000 111",
                "certificates": [
                    certificate("VG-SOON", in_days(10)),
                    certificate("VG-TODAY", in_days(0)),
                    certificate("VG-GONE", in_days(-5)),
                    certificate("VG-LATER", in_days(61)),
                ],
            }
        ],
    )
    packed = harvest(
        eventTime="2025-07-20T09:00:00+07:00",
        action="OBSERVE",
        bizStep="packing",
        readPoint={"id": sgln(GLN_PACKING)},
        bizLocation={"id": sgln(GLN_PACKING)},
    )
    processed = {
        "type": "TransformationEvent",
        "eventTime": "2025-07-25T14:00:00+07:00",
        "eventTimeZoneOffset": "+07:00",
        "bizStep": "commissioning",
        "inputQuantityList": [{"epcClass": lot_class(GTIN_DURIAN, "L1"), "quantity": 500}],
        "outputQuantityList": [{"epcClass": lot_class(GTIN_PASTE, "C1"), "quantity": 200}],
        "bizLocation": {"id": sgln(GLN_PACKING)},
    }
    tracer.events(processed, unit=packing)  # at the packing house
    tracer.events(harvest(), packed, processed)  # the same processing again: one event
    # a harvest of V2, then declared an error: V2 is not traced
    wrong = harvest(lot="V2", eventTime="2025-07-28T06:00:00+07:00")
    tracer.events(wrong)
    declared = {"declarationTime": "2025-07-29T08:00:00+07:00", "reason": "incorrect_data"}
    tracer.events({**wrong, "errorDeclaration": declared})
    return tracer


def summary(tracer, params=None, token=None, expect=200):
    token = token or tracer.api.token("admin")
    r = tracer.client.get(
        "/api/v1/traceability/summary",
        params={"unit": PROVINCE} if params is None else params,
        headers=auth(token),
    )
    assert r.status_code == expect, r.text
    return r.json()


def test_the_figures_equal_the_counts_by_hand(scene):
    farm, packing = scene.communes
    s = summary(scene)
    assert s["unit"]["code"] == PROVINCE and s["by_place_level"] == "commune"
    totals = {k: s["totals"][k] for k in ("products", "products_traced", "lots", "lots_traced")}
    # L1 (harvested, packed, processed) and C1 (made by the processing); V2's only event is an
    # error; D1 has none. Durian and the paste traced, the dragon fruit not.
    assert totals == {"products": 3, "products_traced": 2, "lots": 4, "lots_traced": 2}
    places = {line["key"]: line for line in s["by_place"]}
    assert {
        k: (v["products"], v["products_traced"], v["lots"], v["lots_traced"])
        for k, v in places.items()
    } == {farm: (1, 1, 2, 1), packing: (2, 1, 2, 1)}
    categories = {line["key"]: line for line in s["by_category"]}
    assert (categories["durian"]["products_traced"], categories["durian"]["lots"]) == (2, 3)
    assert categories["dragon_fruit"]["products_traced"] == 0
    assert categories["dragon_fruit"]["label"] == "Dragon fruit"

    # the events per day: the 30 days to "today" (from 03/07), one on each day an event happened
    days = {d["day"]: d["events"] for d in s["events_per_day"]}
    assert min(days) == "2025-07-03" and max(days) == DAY.isoformat() and len(days) == 30
    busy = {d: n for d, n in days.items() if n}
    assert busy == {"2025-07-15": 1, "2025-07-20": 1, "2025-07-25": 1, "2025-07-28": 1}
    assert s["totals"]["events_30_days"] == 4


def test_certificates_ending_soon_and_expired(scene):
    c = summary(scene)["certificates"]
    # the farm's VietGAP of the shared master data ends 31/12/2026: not within 60 days of DAY
    assert [x["number"] for x in c["expiring"]] == ["VG-TODAY", "VG-SOON"]
    assert [x["days_left"] for x in c["expiring"]] == [0, 10]
    assert [x["number"] for x in c["expired"]] == ["VG-GONE"] and c["expired_total"] == 1
    assert c["expiring"][0]["place"] == "Vườn ươm Chợ Gạo"
    assert "contact" not in str(c) and "0912" not in str(c)


def test_the_latest_events_say_what_where_and_which_lot(scene):
    latest = summary(scene)["latest_events"]
    # the processing (a TransformationEvent sent with the step commissioning) is said as such
    assert [e["step"] for e in latest[:3]] == ["Harvested or made", "Processed", "Packed"]
    assert latest[0]["error_declared"] and latest[0]["time"] == "2025-07-28T06:00:00+07:00"
    processed = latest[1]
    assert processed["place"] == "Cơ sở đóng gói Mỹ Tho"
    assert {(x["lot"], x["href"]) for x in processed["lots"]} == {
        ("L1", f"/01/{GTIN_DURIAN}/10/L1"),
        ("C1", f"/01/{GTIN_PASTE}/10/C1"),
    }
    assert not any("event_id" in e or "source" in e for e in latest)


def test_an_officer_reads_its_commune_only(scene):
    farm, packing = scene.communes
    token = scene.api.user("views.officer", "officer", unit=packing)
    s = summary(scene, {}, token)
    assert s["unit"]["code"] == packing and s["by_place_level"] == "commune"
    totals = {k: s["totals"][k] for k in ("products", "products_traced", "lots", "lots_traced")}
    assert totals == {"products": 2, "products_traced": 1, "lots": 2, "lots_traced": 1}
    assert [e["place"] for e in s["latest_events"]] == ["Cơ sở đóng gói Mỹ Tho"]
    assert summary(scene, {"unit": PROVINCE}, token, expect=403)["status"] == 403
    assert summary(scene, {"unit": farm}, token, expect=403)["errors"][0]["loc"] == ["unit"]
    bad = summary(scene, {"unit": "no-such"}, expect=422)
    assert bad["errors"][0]["loc"][-1] == "unit"


def test_the_page_and_the_overview_panel(scene):
    scene.api.user("views.leader", "leader")
    client = scene.api.client()
    login(client, "views.leader", "password-57")
    country = client.get("/traceability")
    assert country.status_code == 200, country.text
    assert f'href="/traceability?province={PROVINCE}"' in country.text
    page = client.get("/traceability", params={"province": PROVINCE})
    html = page.text
    assert page.status_code == 200 and 'id="events-chart"' in html
    assert f'href="/01/{GTIN_PASTE}/10/C1"' in html and 'href="/traceability/ledger"' in html
    assert "VG-SOON" in html and "0912" not in html
    assert "25/07/2025" in html  # dates as dd/mm/yyyy
    assert client.get("/traceability", params={"province": "no"}).status_code == 422
    overview = client.get("/")
    assert 'href="/traceability#certificates"' in overview.text
