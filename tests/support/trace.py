"""A province's traceability over the public API: a source that sends master data and EPCIS events
for Đồng Tháp (82), a farm and a packing house in two of its communes, a product and its lot
(``tests/traceability/conftest.py`` makes one per test module)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from ioc57.traceability.epc import check_digit
from ioc57.units.tables import units

from .http import Api, auth

PROVINCE = "82"
TYPES = ["trace_product", "trace_location", "trace_lot", "epcis_event"]
CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"


def with_check_digit(body: str) -> str:
    return body + str(check_digit(body))


# GS1 Vietnam's prefix is 893; these company prefixes and keys are made up for the tests
COMPANY = "8935001"
GTIN_DURIAN = with_check_digit("0893500100001")  # GTIN-14
GTIN_PASTE = with_check_digit("0893500100002")
GLN_FARM = with_check_digit("893500100001")
GLN_PACKING = with_check_digit("893500100002")


def lot_class(gtin: str, lot: str) -> str:
    """The lot as an EPC class URN (``urn:epc:class:lgtin:``), company prefix of 7 digits."""
    return f"urn:epc:class:lgtin:{gtin[1:8]}.{gtin[0]}{gtin[8:13]}.{lot}"


def sgln(gln: str) -> str:
    return f"urn:epc:id:sgln:{gln[:7]}.{gln[7:12]}.0"


def document(*events: dict[str, Any], context: list | None = None) -> dict[str, Any]:
    """An EPCIS 2.0 document holding ``events``."""
    return {
        "@context": [CONTEXT, *(context or [])],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2025-07-20T08:00:00+07:00",
        "epcisBody": {"eventList": list(events)},
    }


def harvest(gtin: str = GTIN_DURIAN, lot: str = "L1", **fields: Any) -> dict[str, Any]:
    """The commissioning of a lot at the farm (an ObjectEvent, action ADD)."""
    return {
        "type": "ObjectEvent",
        "eventTime": "2025-07-15T06:30:00+07:00",
        "eventTimeZoneOffset": "+07:00",
        "action": "ADD",
        "bizStep": "commissioning",
        "disposition": "active",
        "quantityList": [{"epcClass": lot_class(gtin, lot), "quantity": 1200, "uom": "KGM"}],
        "readPoint": {"id": sgln(GLN_FARM)},
        "bizLocation": {"id": sgln(GLN_FARM)},
        **fields,
    }


class Tracer:
    """The province's communes, a source with its token, and calls that send and read."""

    def __init__(self, client: TestClient, api: Api, name: str = "truy-xuat") -> None:
        self.client, self.api = client, api
        with api.app.state.engine.connect() as conn:
            codes = conn.execute(
                select(units.c.code)
                .where(
                    units.c.province_code == PROVINCE,
                    units.c.level.in_(("ward", "commune")),
                    units.c.valid_to.is_(None),
                )
                .order_by(units.c.code)
                .limit(2)
            ).scalars()
            self.communes = list(codes)
        spec = {"name": name, "types": TYPES, "units": [PROVINCE]}
        r = client.post("/api/v1/sources", json=spec, headers=auth(api.token("admin")))
        assert r.status_code == 201, r.text
        self.token = r.json()["token"]
        self.headers = auth(self.token)

    def push(self, record_type: str, records: list[dict[str, Any]], expect: int = 200) -> dict:
        r = self.client.post(f"/api/v1/ingest/{record_type}", json=records, headers=self.headers)
        assert r.status_code == expect, r.text
        return r.json()

    def master_data(self) -> None:
        """A farm with a VietGAP certificate, a packing house, two products and a lot."""
        farm, packing = self.communes
        self.push(
            "trace_location",
            [
                {
                    "gln": GLN_FARM,
                    "name": "Vườn sầu riêng Ba Tâm",
                    "kind": "farm",
                    "unit": farm,
                    "lat": 10.36,
                    "lon": 106.12,
                    "planting_area_code": "VN-TGCB-0123",
                    "operator": "Hộ ông Nguyễn Văn Tâm",
                    "contact": "0909 123 456",
                    "certificates": [
                        {
                            "scheme": "VietGAP",
                            "number": "VietGAP-TT-12-34-82-0001",
                            "issuer": "Trung tâm Chứng nhận phù hợp",
                            "valid_from": "2024-01-01",
                            "valid_to": "2026-12-31",
                        }
                    ],
                },
                {
                    "gln": GLN_PACKING,
                    "name": "Cơ sở đóng gói Mỹ Tho",
                    "kind": "packing_house",
                    "unit": packing,
                    "lat": 10.35,
                    "lon": 106.36,
                },
            ],
        )
        self.push(
            "trace_product",
            [
                {
                    "gtin": GTIN_DURIAN,
                    "name": "Sầu riêng Ri6",
                    "category": "durian",
                    "business": "Hợp tác xã Sầu riêng Ngũ Hiệp",
                    "tax_code": "1201234567",
                    "unit": farm,
                    "ocop_stars": 4,
                },
                {
                    "gtin": GTIN_PASTE,
                    "name": "Cơm sầu riêng đông lạnh",
                    "category": "durian",
                    "business": "Công ty TNHH Chế biến Mỹ Tho",
                    "tax_code": "1209876543",
                    "unit": packing,
                },
            ],
        )
        self.push(
            "trace_lot",
            [
                {
                    "gtin": GTIN_DURIAN,
                    "lot": "L1",
                    "unit": farm,
                    "origin": GLN_FARM,
                    "harvested_on": "2025-07-15",
                    "quantity": 1200,
                    "uom": "KGM",
                }
            ],
        )

    def events(self, *events: dict[str, Any], unit: str | None = None) -> dict:
        """Events through the gate's push (each with ``unit``: the farm's commune by default)."""
        unit = unit or self.communes[0]
        return self.push("epcis_event", [{**e, "unit": e.get("unit", unit)} for e in events])
