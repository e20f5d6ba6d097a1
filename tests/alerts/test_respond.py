"""People answer alerts: acknowledge with a note (audited, scoped to their unit, a transition
row with who did it, announced on the bus), silence by label matchers for a window (also one
ahead of time), expire a silence; an inhibition rule lets a station's "no data" alert mute its
threshold alerts."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from ioc57.core.audit import audit_log
from ioc57.core.clock import today
from ioc57.units.queries import unit_at

from ..support.alerts import T0, evaluate, put
from ..support.http import auth


def unit_id(app, code: str) -> int:
    with app.state.engine.connect() as conn:
        return unit_at(conn, code, today()).id


def firing(app, make_rule, name: str, unit: str = "82", **rule) -> int:
    make_rule(name, **rule)
    put(name, "S1", 5.0, at=T0, unit_id=unit_id(app, unit))
    changes = evaluate(app, name, T0)
    assert [c.to_state.value for c in changes] == ["firing"]
    return changes[0].alert_id


def test_ack_with_note_scoped_and_audited(alerts_app, alerts_client, alerts_api, admin, make_rule):
    alert_id = firing(alerts_app, make_rule, "ack-me")
    mine = auth(alerts_api.user("op-82", "operator", unit="82"))
    other = auth(alerts_api.user("op-01", "operator", unit="01"))
    viewer = auth(alerts_api.user("viewer-82", "viewer", unit="82"))
    url = f"/api/v1/alerts/{alert_id}/ack"
    seen: list = []
    alerts_app.state.bus.subscribe("alerts.changed", seen.append)

    # another province's operator does not see it at all; a viewer may not acknowledge
    assert alerts_client.get(f"/api/v1/alerts/{alert_id}", headers=other).status_code == 404
    assert alerts_client.post(url, json={"note": "x"}, headers=other).status_code == 404
    assert alerts_client.post(url, json={"note": "x"}, headers=viewer).status_code == 403
    listed = alerts_client.get("/api/v1/alerts", params={"rule": "ack-me"}, headers=other)
    assert listed.json()["total"] == 0

    r = alerts_client.post(url, json={"note": "Đã cử cán bộ kiểm tra"}, headers=mine)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["acknowledged_by"] == "op-82" and body["ack_note"] == "Đã cử cán bộ kiểm tra"
    assert body["state"] == "firing"
    steps = alerts_client.get(f"/api/v1/alerts/{alert_id}/transitions", headers=mine).json()
    assert [(s["to"], s["actor"], s["reason"]) for s in steps["items"]] == [
        ("firing", None, "5 > 1"),
        ("firing", "op-82", "acknowledged"),
    ]
    with alerts_app.state.engine.connect() as conn:
        row = conn.execute(
            select(audit_log).where(
                audit_log.c.action == "alert.acknowledge", audit_log.c.object_id == str(alert_id)
            )
        ).one()
    assert row.actor == "op-82" and row.after["ack_note"] == "Đã cử cán bộ kiểm tra"
    event = [e for e in seen if e.data["id"] == alert_id][-1]
    assert event.data["acknowledged"] is True
    assert unit_id(alerts_app, "82") in event.units


def test_ack_needs_something_to_acknowledge(alerts_app, alerts_client, admin, make_rule):
    alert_id = firing(alerts_app, make_rule, "ack-late")
    put("ack-late", "S1", 0.1, at=T0)
    assert [
        c.to_state.value for c in evaluate(alerts_app, "ack-late", T0 + timedelta(minutes=1))
    ] == ["resolved"]
    r = alerts_client.post(f"/api/v1/alerts/{alert_id}/ack", json={"note": ""}, headers=admin)
    assert r.status_code == 409
    assert r.headers["content-type"].startswith("application/problem+json")
    missing = alerts_client.post("/api/v1/alerts/2147483647/ack", json={}, headers=admin)
    assert missing.status_code == 404


def test_silence_now_ahead_and_expired(alerts_app, alerts_client, admin, make_rule):
    from ioc57.core.clock import now

    alert_id = firing(alerts_app, make_rule, "hush", labels={"team": "hush"})
    start = now()

    def silenced() -> bool:
        return alerts_client.get(f"/api/v1/alerts/{alert_id}", headers=admin).json()["silenced"]

    ahead = {
        "matchers": [{"name": "team", "op": "=", "value": "hush"}],
        "starts_at": (start + timedelta(days=1)).isoformat(),
        "ends_at": (start + timedelta(days=2)).isoformat(),
        "comment": "Bảo trì trạm theo kế hoạch",
    }
    r = alerts_client.post("/api/v1/silences", json=ahead, headers=admin)
    assert r.status_code == 201, r.text
    assert r.json()["state"] == "pending" and not silenced()

    now_body = ahead | {"starts_at": None, "ends_at": (start + timedelta(hours=2)).isoformat()}
    now_body["matchers"] = [{"name": "alertname", "op": "=~", "value": "hu.*"}]
    r = alerts_client.post("/api/v1/silences", json=now_body, headers=admin)
    assert r.status_code == 201, r.text
    assert r.json()["state"] == "active" and silenced()
    listed = alerts_client.get("/api/v1/silences", headers=admin).json()["items"]
    assert {s["id"] for s in listed} >= {r.json()["id"]}

    expired = alerts_client.delete(f"/api/v1/silences/{r.json()['id']}", headers=admin)
    assert expired.status_code == 200 and expired.json()["state"] == "expired"
    assert not silenced()

    bad = alerts_client.post(
        "/api/v1/silences",
        json=now_body | {"matchers": [{"name": "team", "op": "=~", "value": "("}]},
        headers=admin,
    )
    assert bad.status_code == 422 and "matchers" in bad.json()["errors"][0]["loc"]
    back = alerts_client.post(
        "/api/v1/silences", json=now_body | {"ends_at": start.isoformat()}, headers=admin
    )
    assert back.status_code == 422 and back.json()["errors"][0]["loc"] == ["ends_at"]


def test_nodata_inhibits_thresholds(alerts_app, alerts_client, admin, make_rule):
    """A station without data mutes that station's threshold alert, not another station's."""
    make_rule("inh-level", labels={"kind": "level"})
    make_rule("inh-quiet", kind="nodata", nodata_after="1h", threshold=None)
    r = alerts_client.post(
        "/api/v1/alert-inhibitions",
        json={
            "name": "quiet-mutes-level",
            "source_matchers": [{"name": "alertname", "value": "inh-quiet"}],
            "target_matchers": [{"name": "alertname", "value": "inh-level"}],
            "equal": ["station"],
        },
        headers=admin,
    )
    assert r.status_code == 201, r.text
    late = T0 + timedelta(hours=2)
    put("inh-level", "S1", 5.0, at=late)
    put("inh-level", "S2", 5.0, at=late)
    evaluate(alerts_app, "inh-level", late)
    put("inh-quiet", "S1", 0.0, at=T0)  # S1's other feed has been quiet for two hours
    evaluate(alerts_app, "inh-quiet", late)

    items = alerts_client.get(
        "/api/v1/alerts", params={"rule": "inh-level", "state": "firing"}, headers=admin
    ).json()["items"]
    muted = {a["labels"]["station"]: a["inhibited"] for a in items}
    assert muted == {"S1": True, "S2": False}
    quiet = alerts_client.get("/api/v1/alerts", params={"rule": "inh-quiet"}, headers=admin)
    assert [a["inhibited"] for a in quiet.json()["items"]] == [False]  # not by itself
