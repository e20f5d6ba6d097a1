"""Demo data for the traceability module, loaded only by ``ioc57 demo`` (dữ liệu mô phỏng): two
lots on their journeys, as a province's traceability system would send them.

A durian lot from a garden of Ngũ Hiệp (formerly Tiền Giang, now Đồng Tháp) is harvested, packed
on a pallet in Cái Bè, inspected with the pallet's temperature, shipped to the port of Cát Lái and
received there; raw cashew from Bù Đăng (formerly Bình Phước, now Đồng Nai) is received by a plant
in Đồng Xoài, processed into kernels (a transformation), packed and shipped to the same port. The
places, products and lots are in ``demo_data.toml``; the events are written here, for each names
the identifiers of the ones before it.

Everything comes through the gate from a simulated source of its own (``truy-xuat-mo-phong``), the
master data pushed, the events captured as one EPCIS document as ``POST /epcis/capture`` captures
it, so the rows carry ``simulated`` and the events their chain. The days are counted from the durian's
harvest, a few days before the first load and read back from its lot on later runs, so that a
second run sends the same records (and the same event hashes) and changes nothing.
"""

from __future__ import annotations

import tomllib
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine

from ioc57.core.settings import load_settings
from ioc57.ingest.sources import simulated_source
from ioc57.modules import Demo
from ioc57.traceability.capture import capture_document
from ioc57.traceability.epc import check_digit, digital_link_path, location_uri, lot_uri
from ioc57.traceability.records import EVENT, LOCATION, LOT, PRODUCT
from ioc57.traceability.tables import lots

DATA = Path(__file__).resolve().parent / "demo_data.toml"
SOURCE = "truy-xuat-mo-phong"
SOURCE_TITLE = "Dữ liệu mô phỏng (truy xuất nguồn gốc)"
PROVINCES = ["82", "75", "79"]  # the garden and the plant's provinces, and the port's
BEFORE = 10  # days from the durian's harvest to the first load
OFFSET = "+07:00"
CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"


def read_data(path: Path = DATA) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def sscc(serial: int) -> str:
    """A pallet's SSCC (extension digit 0, the demo's company prefix) as a Digital Link URI."""
    body = f"08935057{serial:09d}"
    return f"https://id.gs1.org/00/{body}{check_digit(body)}"


def harvest_day(engine: Engine, source_id: int, data: dict[str, Any]) -> date | None:
    """The durian's harvest day a previous run stored, if any."""
    durian = next(item for item in data["lot"] if item["key"] == "durian")
    query = select(lots.c.harvested_on).where(
        lots.c.source_id == source_id, lots.c.gtin == durian["gtin"], lots.c.lot == durian["lot"]
    )
    with engine.connect() as conn:
        return conn.execute(query).scalar()


def _on(day: date, days: int) -> str:
    return (day + timedelta(days=days)).isoformat()


def locations(data: dict[str, Any], day: date) -> list[dict[str, Any]]:
    out = []
    for item in data["location"]:
        certs = [
            {
                "scheme": c["scheme"],
                "number": c["number"],
                "issuer": c["issuer"],
                "valid_from": _on(day, c["from"]),
                "valid_to": _on(day, c["to"]),
            }
            for c in item.get("certificates", [])
        ]
        out.append(
            {**{k: v for k, v in item.items() if k != "certificates"}, "certificates": certs}
        )
    return out


def lot_records(data: dict[str, Any], day: date) -> list[dict[str, Any]]:
    days = {"harvested": "harvested_on", "produced": "produced_on", "best_before": "best_before"}
    return [
        {k: v for k, v in item.items() if k not in days and k != "key"}
        | {field: _on(day, item[k]) for k, field in days.items() if k in item}
        for item in data["lot"]
    ]


def _event(kind: str, day: date, days: int, hour: str, gln: str, **fields) -> dict:
    """An event at a place (its GLN) on the ``days``-th day from ``day``."""
    return {
        "type": kind,
        "eventTime": f"{_on(day, days)}T{hour}:00{OFFSET}",
        "eventTimeZoneOffset": OFFSET,
        "readPoint": {"id": location_uri(gln)},
        "bizLocation": {"id": location_uri(gln)},
        **fields,
    }


def _amount(uri: str, quantity: float) -> list[dict[str, Any]]:
    return [{"epcClass": uri, "quantity": quantity, "uom": "KGM"}]


def document(data: dict[str, Any], day: date) -> dict[str, Any]:
    """The two journeys as one EPCIS 2.0 document, the events in the order they happened."""
    return {
        "@context": [CONTEXT],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": f"{_on(day, 2)}T08:00:00{OFFSET}",
        "epcisBody": {"eventList": events(data, day)},
    }


def events(data: dict[str, Any], day: date) -> list[dict[str, Any]]:
    """The two journeys, in the order they happened."""
    farm, packing, port = "8935057000012", "8935057000029", "8935057000036"
    cashew_farm, plant = "8935057000043", "8935057000050"
    lot = {item["key"]: lot_uri(item["gtin"], item["lot"]) for item in data["lot"]}
    to_port = [{"type": "location", "destination": location_uri(port)}]
    pallet, cashew_pallet = sscc(1), sscc(2)
    cold = [
        {
            "sensorMetadata": {"time": f"{_on(day, 1)}T09:55:00{OFFSET}"},
            "sensorReport": [
                {"type": "Temperature", "value": 13.5, "uom": "CEL"},
                {"type": "RelativeHumidity", "value": 88.0, "uom": "A93"},
            ],
        }
    ]
    observe: dict[str, Any] = {"action": "OBSERVE"}
    return [
        # raw cashew: harvested at the organic farm, received by the plant, processed into kernels
        _event("ObjectEvent", day, -24, "07:00", cashew_farm, action="ADD",
               bizStep="commissioning", disposition="active",
               quantityList=_amount(lot["raw_cashew"], 5000)),
        _event("ObjectEvent", day, -22, "09:30", plant, **observe, bizStep="receiving",
               disposition="in_progress", quantityList=_amount(lot["raw_cashew"], 5000),
               sourceList=[{"type": "location", "source": location_uri(cashew_farm)}]),
        _event("TransformationEvent", day, -18, "13:00", plant, bizStep="commissioning",
               disposition="active", inputQuantityList=_amount(lot["raw_cashew"], 5000),
               outputQuantityList=_amount(lot["kernels"], 1150)),
        _event("AggregationEvent", day, -12, "08:00", plant, action="ADD", bizStep="packing",
               disposition="in_progress", parentID=cashew_pallet,
               childQuantityList=_amount(lot["kernels"], 1150)),
        _event("ObjectEvent", day, -11, "15:00", plant, **observe, bizStep="shipping",
               disposition="in_transit", epcList=[cashew_pallet], destinationList=to_port),
        _event("ObjectEvent", day, -10, "06:00", port, **observe, bizStep="receiving",
               disposition="in_progress", epcList=[cashew_pallet]),
        # durian: harvested at the garden, packed on a pallet, inspected cold, shipped for export
        _event("ObjectEvent", day, 0, "06:30", farm, action="ADD", bizStep="commissioning",
               disposition="active", quantityList=_amount(lot["durian"], 1200)),
        _event("AggregationEvent", day, 1, "08:00", packing, action="ADD", bizStep="packing",
               disposition="in_progress", parentID=pallet,
               childQuantityList=_amount(lot["durian"], 1200)),
        _event("ObjectEvent", day, 1, "10:00", packing, **observe, bizStep="inspecting",
               disposition="conformant", epcList=[pallet], sensorElementList=cold),
        _event("ObjectEvent", day, 1, "16:00", packing, **observe, bizStep="shipping",
               disposition="in_transit", epcList=[pallet], destinationList=to_port),
        _event("ObjectEvent", day, 2, "07:00", port, **observe, bizStep="receiving",
               disposition="in_progress", epcList=[pallet]),
    ]  # fmt: skip


def demo_source(engine: Engine, today: date) -> tuple[Any, Any]:
    """The simulated source of the demo's records (made once), and its own system user."""
    types = [PRODUCT.name, LOCATION.name, LOT.name, EVENT.name]
    return simulated_source(engine, SOURCE, SOURCE_TITLE, types, PROVINCES, today)


def public_paths(data: dict[str, Any]) -> list[str]:
    """The public pages of the durian lot and of the kernels (their QR codes' Digital Links)."""
    shown = {"durian", "kernels"}
    return [digital_link_path(i["gtin"], i["lot"]) for i in data["lot"] if i["key"] in shown]


def load_demo(demo: Demo) -> None:
    data = read_data()
    source, principal = demo_source(demo.engine, demo.today)
    day = harvest_day(demo.engine, source.id, data) or demo.today - timedelta(days=BEFORE)
    sent = {
        LOCATION.name: locations(data, day),
        PRODUCT.name: data["product"],
        LOT.name: lot_records(data, day),
    }
    batches = demo.gate.push_each(source, sent, principal=principal, actor="ioc57-demo")
    # the events as a traceability system sends them: a document captured as the API captures it
    # (each event's commune found from its registered place)
    batches[EVENT.name] = capture_document(demo.gate, source, principal, document(data, day))
    answers = {name: result.answer() for name, result in batches.items()}
    got = answers[EVENT.name]
    rejected = sum(len(a["rejected"]) for a in answers.values())
    demo.echo(
        f"traceability (dữ liệu mô phỏng): a durian lot harvested {day:%d/%m/%Y} in Ngũ Hiệp"
        f" (Đồng Tháp) and a cashew lot processed in Đồng Xoài (Đồng Nai):"
        f" {got['accepted']} events through the gate, {got['unchanged']} already loaded,"
        f" {rejected} records rejected; their public pages: {', '.join(public_paths(data))}"
    )
    demo.echo(seal_now(demo.engine))


def seal_now(engine: Engine) -> str:
    """A first checkpoint of the demo's log, so that the ledger page shows one at once (the app
    seals every hour after)."""
    from ioc57.traceability.checkpoints import seal
    from ioc57.traceability.keys import KeyUnavailable, load_or_create

    url = engine.url.render_as_string(hide_password=False)
    try:
        result = seal(engine, load_or_create(load_settings(database_url=url).trace_key_path))
    except KeyUnavailable as exc:
        return f"traceability: the log is not sealed ({exc})"
    return f"traceability: the log sealed in {len(result.made)} new checkpoint(s)"
