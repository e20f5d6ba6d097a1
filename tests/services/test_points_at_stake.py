"""The work list says, for each open dossier, the points its unit's 766 index keeps if it is
finished on time rather than late: the operator's order of the day."""

from __future__ import annotations

from datetime import datetime

from ioc57.core.clock import LOCAL_TZ

from ..ingest.records import dossier
from ..support.http import auth
from ..support.index766 import NONE


def listed(client, api, monkeypatch, at: str) -> dict:
    seen = datetime.fromisoformat(at).replace(tzinfo=LOCAL_TZ)
    monkeypatch.setattr("ioc57.services.worklist.now", lambda: seen)
    r = client.get(
        "/api/v1/services/dossiers",
        params={"unit": "28261"},
        headers=auth(api.token("admin")),
    )
    assert r.status_code == 200, r.text
    return {i["record_id"]: i for i in r.json()["items"]}


def test_an_open_dossier_carries_its_units_points_at_stake(client, api, lgsp, monkeypatch):
    # seen 05/09/2025: D3 (due 10/09) is open at 28261, whose September index loses 5.333
    # points if one more dossier finishes late (tests/services/test_index.py works it out)
    items = listed(client, api, monkeypatch, "2025-09-05T10:00:00")
    assert items["HS-3"]["points_at_stake"] == 5.333
    assert items["HS-3"]["state"] == "processing"


def test_a_dossier_already_late_has_nothing_at_stake(client, api, lgsp, monkeypatch):
    # asked twice for papers: late however soon it finishes
    twice = dossier(6, procedure="1.001", status="processing", supplement_requests=2, **NONE)
    lgsp.push("dossier", [twice])
    items = listed(client, api, monkeypatch, "2025-09-05T10:00:00")
    assert items["HS-6"]["points_at_stake"] == 0.0
    assert items["HS-3"]["points_at_stake"] > 0
    # seen 20/09/2025: D3 is overdue, its points are lost already
    items = listed(client, api, monkeypatch, "2025-09-20T10:00:00")
    assert items["HS-3"]["state"] == "overdue"
    assert items["HS-3"]["points_at_stake"] == 0.0
