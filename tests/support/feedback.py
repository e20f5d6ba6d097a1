"""Citizen reports for the tests (``tests/feedback``): a system that sends ``feedback`` records
for Đồng Tháp (82) through the gate, as a hotline 1022 platform would, and the steps people take
on them through the module's workflow."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from ioc57.core.clock import LOCAL_TZ, now
from ioc57.feedback.tables import reports, steps

from .http import Api, auth
from .sensors import PROVINCE, communes

_ids = itertools.count(1)


def report(commune: str, at: datetime | None = None, **fields: Any) -> dict[str, Any]:
    """A report received at ``at`` (default: a second ago, so that it is received today, also in
    the first hour of a day in Việt Nam) in ``commune``."""
    at = at or now() - timedelta(seconds=1)
    return {
        "id": f"T-{next(_ids)}-{int(now().timestamp() * 1000)}",
        "channel": "phone",
        "received_at": at.astimezone(LOCAL_TZ).isoformat(),
        "category": "moi-truong",
        "text": "Rác thải ùn ứ nhiều ngày ở ấp 2, chưa được thu gom.",
        "unit": commune,
        "status": "received",
        "contact": {"name": "Nguyễn Văn An", "phone": "0912345678", "email": "an@example.vn"},
        "updated_at": at.astimezone(LOCAL_TZ).isoformat(),
    } | fields


class Reports:
    """Three communes of the province, a source that sends reports, and calls that read them."""

    def __init__(self, client: TestClient, api: Api, name: str = "tong-dai-1022") -> None:
        self.client, self.api = client, api
        self.communes = communes(api, 3)
        self.admin = auth(api.token("admin"))
        spec = {"name": name, "types": ["feedback"], "units": [PROVINCE]}
        r = client.post("/api/v1/sources", json=spec, headers=self.admin)
        assert r.status_code == 201, r.text
        self.headers = auth(r.json()["token"])

    def push(self, records: list[dict[str, Any]]) -> dict:
        r = self.client.post("/api/v1/ingest/feedback", json=records, headers=self.headers)
        assert r.status_code == 200, r.text
        return r.json()

    def new(self, commune: int = 0, **fields: Any) -> dict[str, Any]:
        """A report sent by the source, as stored."""
        record = report(self.communes[commune], **fields)
        answer = self.push([record])
        assert answer["accepted"] == 1, answer
        return self.row(record["id"])

    def row(self, record_id: str) -> Any:
        with self.api.app.state.engine.connect() as conn:
            return conn.execute(select(reports).where(reports.c.record_id == record_id)).one()

    def timeline(self, record_id: str) -> list[Any]:
        row = self.row(record_id)
        with self.api.app.state.engine.connect() as conn:
            return list(
                conn.execute(select(steps).where(steps.c.report_id == row.id).order_by(steps.c.id))
            )
