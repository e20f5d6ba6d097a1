"""The public page of a lot at its GS1 Digital Link path: what a buyer who scans the package reads
(product, producer, origin farm, certificates held at harvest, the journey in time order, through
a pallet and a transformation), nothing private, clear 404s, the QR code for print, and the GS1
linkset for machines. No login anywhere."""

from __future__ import annotations

import re

import pytest

from ..support.http import Api, auth
from ..support.trace import (
    GLN_FARM,
    GLN_PACKING,
    GTIN_DURIAN,
    GTIN_PASTE,
    TYPES,
    Tracer,
    harvest,
    lot_class,
    sgln,
)

SSCC = "urn:epc:id:sscc:8935001.0000000001"
PAGE = f"/01/{GTIN_DURIAN}/10/L1"
PASTE = f"/01/{GTIN_PASTE}/10/P1"
EVENT_ID = "urn:uuid:5a1b3c2d-0000-4000-8000-00000000e001"


def at(day: str, time: str, **fields) -> dict:
    return {"eventTime": f"{day}T{time}:00+07:00", "eventTimeZoneOffset": "+07:00", **fields}


def where(gln: str) -> dict:
    return {"readPoint": {"id": sgln(gln)}, "bizLocation": {"id": sgln(gln)}}


@pytest.fixture(scope="module")
def journey(tracer: Tracer) -> Tracer:
    send_journey(tracer)
    return tracer


def send_journey(tracer: Tracer) -> None:
    """L1 harvested at the farm, packed on a pallet at the packing house, inspected cold, the
    pallet shipped; part of L1 processed into the paste lot P1; a packing declared in error."""
    farm, packing = tracer.communes
    l1 = lot_class(GTIN_DURIAN, "L1")
    tracer.events(harvest(eventID=EVENT_ID))
    tracer.events(
        {
            "type": "AggregationEvent",
            **at("2025-07-16", "08:00"),
            "action": "ADD",
            "bizStep": "packing",
            "parentID": SSCC,
            "childQuantityList": [{"epcClass": l1, "quantity": 800, "uom": "KGM"}],
            **where(GLN_PACKING),
        },
        {
            "type": "ObjectEvent",
            **at("2025-07-16", "09:30"),
            "action": "OBSERVE",
            "bizStep": "inspecting",
            "disposition": "conformant",
            "quantityList": [{"epcClass": l1}],
            "sensorElementList": [
                {"sensorReport": [{"type": "gs1:Temperature", "value": 4.5, "uom": "CEL"}]}
            ],
            **where(GLN_PACKING),
        },
        {
            "type": "ObjectEvent",
            **at("2025-07-17", "14:00"),
            "action": "OBSERVE",
            "bizStep": "shipping",
            "disposition": "in_transit",
            "epcList": [SSCC],
            "destinationList": [{"type": "location", "destination": sgln(GLN_FARM)}],
            **where(GLN_PACKING),
        },
        {
            "type": "TransformationEvent",
            **at("2025-07-18", "10:00"),
            "bizStep": "commissioning",
            "inputQuantityList": [{"epcClass": l1, "quantity": 400, "uom": "KGM"}],
            "outputQuantityList": [
                {"epcClass": lot_class(GTIN_PASTE, "P1"), "quantity": 120, "uom": "KGM"}
            ],
            **where(GLN_PACKING),
        },
        unit=packing,
    )
    wrong = {
        "type": "ObjectEvent",
        **at("2025-07-16", "07:00"),
        "action": "OBSERVE",
        "bizStep": "destroying",
        "quantityList": [{"epcClass": l1}],
        **where(GLN_PACKING),
    }
    tracer.events(wrong, unit=packing)
    declared = {
        **wrong,
        "errorDeclaration": {
            "declarationTime": "2025-07-16T10:00:00+07:00",
            "reason": "did_not_occur",
        },
    }
    tracer.events(declared, unit=packing)


def text_of(html: str) -> str:
    """The page's words, tags and runs of spaces gone."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_buyer_reads_the_product_its_origin_and_its_journey(trace_client, journey):
    r = trace_client.get(PAGE)
    assert r.status_code == 200, r.text
    words = text_of(r.text)
    for expected in (
        "Sầu riêng Ri6",
        "Hợp tác xã Sầu riêng Ngũ Hiệp",
        "1201234567",
        "OCOP 4 sao",
        "Vườn sầu riêng Ba Tâm",
        "VN-TGCB-0123",
        "Tỉnh Đồng Tháp",
        "Ngày thu hoạch 15/07/2025",
        "VietGAP-TT-12-34-82-0001",
        "Còn hiệu lực vào ngày thu hoạch",
        "Nhiệt độ: 4,5 °C",
        "Gửi đến: Vườn sầu riêng Ba Tâm",
    ):
        assert expected in words, expected
    steps = re.findall(r"<h3>([^<]+)", r.text.split('id="timeline"')[1])
    assert [s.strip() for s in steps] == [
        "Thu hoạch hoặc sản xuất",
        "Đóng gói",
        "Kiểm tra",
        "Gửi đi",
        "Chế biến",
    ]
    assert "Đã tiêu hủy" not in words  # the destroying declared in error is left out
    assert "Chế biến thành: Cơm sầu riêng đông lạnh · lô P1" in words  # with a link to its page
    assert f'href="{PASTE}"' in r.text
    assert "Cache-Control" in r.headers and "max-age" in r.headers["Cache-Control"]
    assert 'rel="linkset"' in r.headers["Link"]


def test_the_page_of_a_processed_lot_tells_what_it_was_made_from(trace_client, journey):
    r = trace_client.get(PASTE)
    assert r.status_code == 200, r.text
    words = text_of(r.text)
    assert "Cơm sầu riêng đông lạnh" in words
    assert "Công ty TNHH Chế biến Mỹ Tho" in words
    # said at the first of L1's steps and at the processing, not at each step between
    assert words.count("Làm từ: Sầu riêng Ri6 · lô L1") == 2
    assert f'href="{PAGE}"' in r.text  # made from L1, with L1's harvest in its journey
    assert "15/07/2025" in words


def test_the_page_shows_no_private_data_nor_the_records_behind_it(trace_client, journey):
    for path in (PAGE, PASTE, f"{PAGE}?linkType=all"):
        body = trace_client.get(path).text
        for private in ("0909 123 456", "Hộ ông Nguyễn Văn Tâm", EVENT_ID, "ni:///", "truy-xuat"):
            assert private not in body, (path, private)


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        (f"/01/{GTIN_DURIAN[:-1]}0/10/L1", "số kiểm tra"),  # a wrong check digit
        (f"/01/{GTIN_DURIAN}/10/KHONG-CO", "Chưa có lô nào"),  # a lot no one recorded
        (f"/01/{GTIN_DURIAN}/10/L%201", "không phải là số lô hợp lệ"),  # a space: no GS1 lot
        ("/01/abc/10/L1", "số kiểm tra"),
    ],
)
def test_a_code_that_names_no_lot_is_a_404_page_that_says_why(trace_client, journey, path, reason):
    r = trace_client.get(path)
    assert r.status_code == 404
    assert "Không tìm thấy lô hàng" in r.text and reason in r.text
    machine = trace_client.get(path, headers={"Accept": "application/json"})
    assert machine.status_code == 404
    assert machine.headers["content-type"].startswith("application/problem+json")


def test_a_short_gtin_is_sent_to_the_lot_s_one_address(trace_client, journey):
    r = trace_client.get(f"/01/{GTIN_DURIAN[1:]}/10/L1?x=1", follow_redirects=False)
    assert r.status_code == 301
    assert r.headers["location"] == f"{PAGE}?x=1"


def test_the_qr_code_carries_the_lot_s_address_on_this_host(trace_client, journey):
    svg = trace_client.get(f"{PAGE}/qr.svg")
    assert svg.status_code == 200
    assert svg.headers["content-type"] == "image/svg+xml"
    assert f"<title>http://testserver{PAGE}</title>" in svg.text and "<path" in svg.text
    png = trace_client.get(f"{PAGE}/qr.png")
    assert png.headers["content-type"] == "image/png" and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert trace_client.get(f"/01/{GTIN_DURIAN}/10/NONE/qr.svg").status_code == 404


def test_machines_get_the_lot_s_gs1_linkset(trace_client, journey):
    for r in (
        trace_client.get(f"{PAGE}?linkType=all"),
        trace_client.get(PAGE, headers={"Accept": "application/json"}),
    ):
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("application/linkset+json")
        (links,) = r.json()["linkset"]
        assert links["anchor"] == f"http://testserver{PAGE}"
        assert links["https://gs1.org/voc/pip"][0]["href"] == f"http://testserver{PAGE}"


def test_a_simulated_lot_says_so(trace_app, trace_client, tracer):
    api = Api(trace_app)
    spec = {"name": "truy-xuat-mo-phong", "types": TYPES, "units": ["82"], "simulated": True}
    token = trace_client.post("/api/v1/sources", json=spec, headers=auth(api.token("admin")))
    lot = {"gtin": GTIN_DURIAN, "lot": "SIM1", "unit": tracer.communes[0], "origin": GLN_FARM}
    pushed = trace_client.post(
        "/api/v1/ingest/trace_lot", json=[lot], headers=auth(token.json()["token"])
    )
    assert pushed.status_code == 200, pushed.text
    assert "dữ liệu mô phỏng" in trace_client.get(f"/01/{GTIN_DURIAN}/10/SIM1").text
    assert "dữ liệu mô phỏng" not in trace_client.get(PAGE).text


def test_certificates_are_judged_on_the_harvest_day(trace_client, tracer):
    farm = tracer.communes[0]
    certificate = {"number": "GG-2020-77", "issuer": "Control Union", "scheme": "GlobalGAP"}
    tracer.push(
        "trace_location",
        [
            {
                "gln": GLN_FARM,
                "name": "Vườn sầu riêng Ba Tâm",
                "kind": "farm",
                "unit": farm,
                "lat": 10.36,
                "lon": 106.12,
                "certificates": [
                    {
                        "scheme": "VietGAP",
                        "number": "VietGAP-TT-12-34-82-0001",
                        "issuer": "Trung tâm Chứng nhận phù hợp",
                        "valid_from": "2024-01-01",
                        "valid_to": "2026-12-31",
                    },
                    {**certificate, "valid_from": "2020-01-01", "valid_to": "2022-12-31"},
                ],
            }
        ],
    )
    lot = {"gtin": GTIN_DURIAN, "lot": "OLD", "unit": farm, "origin": GLN_FARM}
    tracer.push("trace_lot", [{**lot, "harvested_on": "2021-06-01"}])
    words = text_of(trace_client.get(f"/01/{GTIN_DURIAN}/10/OLD").text)
    vietgap = words.split("VietGAP-TT-12-34-82-0001")[1].split("GlobalGAP")[0]
    assert "Không còn hiệu lực vào ngày thu hoạch" in vietgap and "Hết hạn" not in vietgap
    globalgap = words.split("GG-2020-77")[1]
    assert "Còn hiệu lực vào ngày thu hoạch" in globalgap
    assert "Hết hạn ngày 31/12/2022" in globalgap
