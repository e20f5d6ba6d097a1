"""Stations and readings over the public API, for Đồng Tháp (82): stations created by the admin
through ``/api/v1/stations``, readings pushed by a source of their own (``tests/sensors``)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from ioc57.core.clock import LOCAL_TZ, now
from ioc57.units.tables import units

from .http import Api, auth

PROVINCE = "82"


def reading(station: str, value: float, at: datetime, metric: str = "salinity") -> dict[str, Any]:
    return {
        "station": station,
        "metric": metric,
        "value": value,
        "uom": "ppt" if metric == "salinity" else "m",
        "observed_at": at.astimezone(LOCAL_TZ).isoformat(),
    }


def minutes_ago(n: float) -> datetime:
    return now() - timedelta(minutes=n)


def communes(api: Api, count: int) -> list[str]:
    """The codes of the province's first ``count`` communes (and wards) of today."""
    with api.app.state.engine.connect() as conn:
        return list(
            conn.execute(
                select(units.c.code)
                .where(
                    units.c.province_code == PROVINCE,
                    units.c.level.in_(("ward", "commune")),
                    units.c.valid_to.is_(None),
                )
                .order_by(units.c.code)
                .limit(count)
            ).scalars()
        )


class Sensors:
    """Three communes of the province, a source that sends readings, and calls that write and
    read stations."""

    def __init__(self, client: TestClient, api: Api, name: str = "tram-man") -> None:
        self.client, self.api = client, api
        self.communes = communes(api, 3)
        self.admin = auth(api.token("admin"))
        spec = {"name": name, "types": ["reading"], "units": [PROVINCE]}
        r = client.post("/api/v1/sources", json=spec, headers=self.admin)
        assert r.status_code == 201, r.text
        self.headers = auth(r.json()["token"])

    def station(self, code: str, commune: int = 0, expect: int = 201, **fields: Any) -> dict:
        body = {
            "code": code,
            "name": f"Trạm {code}",
            "unit": self.communes[commune],
            "lat": 10.3,
            "lon": 106.4,
        } | fields
        r = self.client.post("/api/v1/stations", json=body, headers=self.admin)
        assert r.status_code == expect, r.text
        return r.json()

    def push(self, readings: list[dict[str, Any]]) -> dict:
        r = self.client.post("/api/v1/ingest/reading", json=readings, headers=self.headers)
        assert r.status_code == 200, r.text
        return r.json()

    def get(self, path: str, expect: int = 200, **params: Any) -> Any:
        r = self.client.get(path, params=params, headers=self.admin)
        assert r.status_code == expect, r.text
        return r.json()


def make_station(client: TestClient, api: Api, code: str, commune: str | None = None) -> dict:
    """A salinity station ``code`` in ``commune`` (else the province's first commune), created by
    the admin: readings of a station nobody created are rejected."""
    if commune is None:
        commune = communes(api, 1)[0]
    body = {"code": code, "name": f"Trạm {code}", "unit": commune}
    r = client.post("/api/v1/stations", json=body, headers=auth(api.token("admin")))
    assert r.status_code in (200, 201), r.text
    return r.json()
