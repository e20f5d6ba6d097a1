"""A commune's main crops: set through the API (audited, within the writer's scope), each known
crop with its cited source, and the strictest limit among them is what its stations are held to."""

from __future__ import annotations

from sqlalchemy import select

from ioc57.core.audit import audit_log
from ioc57.sensors.crops import catalogue

from ..support.http import auth


def test_every_crop_of_the_issue_has_its_limit_and_a_cited_source():
    crops = catalogue()
    limits = {k: c.limit for k, c in crops.items()}
    assert limits == {
        "durian": 1.0,
        "banana": 1.0,
        "longan": 1.0,
        "mangosteen": 1.0,
        "leafy_vegetables": 1.0,
        "pomelo": 1.5,
        "rice": 2.0,
        "maize": 2.0,
        "citrus": 2.0,
        "mango": 4.0,
        "jackfruit": 4.0,
        "coconut": 10.0,
    }
    assert all(c.source and c.said for c in crops.values())


def test_a_communes_crops_are_set_audited_and_give_the_strictest_limit(sensors_app, sensors):
    commune = sensors.communes[0]
    path = f"/api/v1/communes/{commune}/crops"
    r = sensors.client.put(path, json={"crops": ["coconut", "pomelo"]}, headers=sensors.admin)
    assert r.status_code == 200, r.text
    assert r.json()["strictest"] == {"limit": 1.5, "crops": ["pomelo"]}
    again = sensors.get(path)
    assert [c["crop"] for c in again["crops"]] == ["coconut", "pomelo"]
    assert all(c["source"] for c in again["crops"])
    with sensors_app.state.engine.connect() as conn:
        logged = conn.execute(
            select(audit_log.c.actor, audit_log.c.after).where(audit_log.c.object_id == commune)
        ).all()
    assert [(r.actor, r.after) for r in logged] == [("admin", {"crops": ["coconut", "pomelo"]})]
    assert len(sensors.get("/api/v1/crops")["items"]) == 12


def test_an_unknown_crop_or_commune_is_refused_and_an_officer_keeps_to_its_commune(sensors):
    client = sensors.client
    own, other = sensors.communes[1], sensors.communes[2]
    r = client.put(
        f"/api/v1/communes/{own}/crops", json={"crops": ["rice", "tulip"]}, headers=sensors.admin
    )
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["crops", "1"]
    r = client.put("/api/v1/communes/82/crops", json={"crops": []}, headers=sensors.admin)
    assert r.status_code == 404
    token = auth(sensors.api.user("officer-c", "officer", unit=own))
    body = {"crops": ["durian"]}
    assert client.put(f"/api/v1/communes/{own}/crops", json=body, headers=token).status_code == 200
    assert (
        client.put(f"/api/v1/communes/{other}/crops", json=body, headers=token).status_code == 403
    )
