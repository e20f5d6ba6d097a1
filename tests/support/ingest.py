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
