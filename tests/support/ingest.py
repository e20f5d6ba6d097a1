"""A data source pushing records through the gate, over the public API."""

from __future__ import annotations

from .http import auth


class Pusher:
    """Pushes records as a data source, through the public API."""

    def __init__(self, client, api, spec):
        self.client = client
        r = client.post("/api/v1/sources", json=spec, headers=auth(api.token("admin")))
        assert r.status_code == 201, r.text
        self.token = r.json()["token"]
        self.name = spec["name"]

    def push(self, record_type, records, expect=200, content=None, content_type="application/json"):
        if content is None:
            r = self.client.post(
                f"/api/v1/ingest/{record_type}", json=records, headers=auth(self.token)
            )
        else:
            headers = auth(self.token) | {"Content-Type": content_type}
            r = self.client.post(f"/api/v1/ingest/{record_type}", content=content, headers=headers)
        assert r.status_code == expect, r.text
        return r.json()


def local_gate(engine, types: list[str], name: str = "prop", units: tuple[str, ...] = ("82",)):
    """The gate and a source of ``units`` (province 82) sending ``types``, as ``ioc57 import``
    uses them (no HTTP): for property tests that send many batches."""
    from datetime import date

    from ioc57.core.events import EventBus
    from ioc57.ingest.gate import Gate
    from ioc57.ingest.sources import as_source, create_source, get_row

    day = date(2026, 1, 1)
    with engine.begin() as conn:
        create_source(conn, actor="test", name=name, types=types, units=list(units), today=day)
        source = as_source(conn, get_row(conn, name), day)
    return Gate(engine, EventBus()), source


def ingest_local(gate, source, record_type: str, records) -> object:
    """Records through the gate as the machine's administrator; none may be rejected."""
    from ioc57.core.access import LOCAL_ADMIN

    result = gate.ingest(
        source,
        record_type,
        list(enumerate(records)),
        principal=LOCAL_ADMIN,
        via="push",
        actor="test",
    )
    assert result.rejected_count == 0, result.rejected
    return result
