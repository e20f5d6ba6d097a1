"""The alerts pages' forms, as a person fills them: a rule created and edited on its form (a
threshold written "1,5"), a bad one shown again with the reason beside its field; a YAML import
naming the bad rule by its place; an alert raised by that rule acknowledged with a note (the
bell counts one fewer, the timeline names the person); a silence made "like this alert" and ended.
Real evaluation over the tests' own figure (``tests/support/alerts.py``)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert, select

from ioc57.alerts import tables
from ioc57.core import audit
from ioc57.core.clock import now

from ..support.alerts import evaluate, put
from ..support.backends import app_on
from ..support.http import ADMIN_PASSWORD, Api, login


@pytest.fixture(scope="module")
def forms_app(module_db_url):
    with app_on(module_db_url) as app:
        Api(app).user("watcher", "viewer")
        yield app


@pytest.fixture(scope="module")
def admin(forms_app):
    with TestClient(forms_app, base_url="http://testserver") as client:
        client.csrf = login(client, "admin", ADMIN_PASSWORD)
        yield client


def rule_form(csrf: str, name: str, **changes: str) -> dict[str, str]:
    form = {
        "csrf_token": csrf,
        "editing": "0",
        "name": name,
        "title": f"Mực nước {name}",
        "kind": "threshold",
        "figure": "test.level",
        "params": f"group={name}",
        "op": ">",
        "threshold": "1,5",
        "for": "0s",
        "keep_firing_for": "0s",
        "nodata_after": "",
        "severity": "critical",
        "labels": "team=trực ban",
        "units": "",
        "group_by": "alertname",
        "active": "on",
    }
    return form | changes


def test_a_rule_made_on_its_form_then_edited(admin):
    r = admin.post("/alerts/rules", data=rule_form(admin.csrf, "form-rule"), follow_redirects=False)
    assert r.status_code == 303, r.text
    rule = admin.get("/api/v1/alert-rules/form-rule").json()
    assert rule["threshold"] == 1.5 and rule["labels"] == {"team": "trực ban"}
    page = admin.get("/alerts/rules/form-rule").text
    assert 'value="1.5"' in page and "readonly" in page
    edited = rule_form(admin.csrf, "form-rule", editing="1", threshold="", severity="warning")
    assert admin.post("/alerts/rules", data=edited, follow_redirects=False).status_code == 303
    rule = admin.get("/api/v1/alert-rules/form-rule").json()
    assert rule["threshold"] is None and rule["severity"] == "warning"
    assert "form-rule" in admin.get("/alerts/rules").text


def test_a_bad_rule_comes_back_with_the_reason_beside_its_field(admin):
    bad = rule_form(admin.csrf, "bad-rule", **{"for": "soon"})
    r = admin.post("/alerts/rules", data=bad, follow_redirects=False)
    assert r.status_code == 422
    assert 'name="for" value="soon"' in r.text and 'aria-invalid="true"' in r.text
    taken = rule_form(admin.csrf, "form-rule")  # a new rule may not take a name in use
    assert admin.post("/alerts/rules", data=taken).status_code == 422
    assert admin.get("/api/v1/alert-rules/bad-rule").status_code == 404


def test_an_import_keeps_the_good_rules_and_names_the_bad_by_place(admin):
    text = (
        "rules:\n"
        "  - {name: yaml-good, title: Tốt, figure: test.level, params: {group: y}, threshold: 2}\n"
        "  - {name: yaml-bad, title: Hỏng, figure: test.level, params: {group: y}, for: later}\n"
        "inhibitions:\n"
        "  - {name: quiet-mutes, source_matchers: [{name: alertname, value: a}],\n"
        "     target_matchers: [{name: alertname, value: b}], equal: [station]}\n"
    )
    r = admin.post("/alerts/rules/import", data={"csrf_token": admin.csrf, "yaml": text})
    assert r.status_code == 200
    assert "yaml-good" in r.text and "<code>for</code>" in r.text
    assert admin.get("/api/v1/alert-rules/yaml-good").status_code == 200
    assert "<code>quiet-mutes</code>" in admin.get("/alerts/rules").text
    r = admin.post(
        "/alerts/rules/import",
        data={"csrf_token": admin.csrf},
        files={"file": ("rules.yaml", b"rules: [{name: x}]", "application/yaml")},
    )
    assert r.status_code == 422 and "import-report" in r.text


def test_an_alert_acknowledged_with_a_note_leaves_the_bell(forms_app, admin):
    name = "ack-rule"
    assert admin.post("/alerts/rules", data=rule_form(admin.csrf, name)).status_code == 200
    put(name, "TR-01", 3.0, at=now())
    evaluate(forms_app, name, now())
    alert = admin.get("/api/v1/alerts", params={"rule": name}).json()["items"][0]
    before = admin.get("/api/v1/badges").json()["badges"]["/alerts"]
    form = {
        "csrf_token": admin.csrf,
        "note": "Đã cử người kiểm tra",
        "back": "/alerts?state=firing",
    }
    r = admin.post(f"/alerts/{alert['id']}/ack", data=form, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/alerts?state=firing"
    assert admin.get("/api/v1/badges").json()["badges"]["/alerts"] == before - 1
    page = admin.get(f"/alerts/{alert['id']}").text
    assert "Đã cử người kiểm tra" in page and "<b>admin</b>" in page
    assert f'action="/alerts/{alert["id"]}/ack"' not in page  # acknowledged: no form again
    with forms_app.state.engine.connect() as conn:
        assert audit.entries(conn, object_type="alert", actor="admin")
    with TestClient(forms_app, base_url="http://testserver") as viewer:
        csrf = login(viewer, "watcher", "password-57")
        r = viewer.post(f"/alerts/{alert['id']}/ack", data={"csrf_token": csrf, "note": "x"})
        assert r.status_code == 403


def test_a_silence_like_an_alert_then_ended(forms_app, admin):
    name = "silence-rule"
    admin.post("/alerts/rules", data=rule_form(admin.csrf, name))
    put(name, "TR-09", 3.0, at=now())
    evaluate(forms_app, name, now())
    alert = admin.get("/api/v1/alerts", params={"rule": name}).json()["items"][0]
    page = admin.get("/alerts/silences", params={"like": alert["id"]}).text
    assert 'value="TR-09"' in page and 'value="severity"' not in page
    start = now() + timedelta(hours=1)
    form = {
        "csrf_token": admin.csrf,
        "m0_name": "station",
        "m0_op": "=",
        "m0_value": "TR-09",
        "starts_at": (start + timedelta(hours=7)).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=9)).strftime("%Y-%m-%dT%H:%M"),
        "comment": "Bảo trì trạm",
    }
    bad = form | {"comment": ""}
    assert admin.post("/alerts/silences", data=bad).status_code == 422
    assert admin.post("/alerts/silences", data=form, follow_redirects=False).status_code == 303
    listed = admin.get("/api/v1/silences").json()
    silence = next(s for s in listed["items"] if s["comment"] == "Bảo trì trạm")
    assert silence["state"] == "pending"  # planned: it starts in an hour
    r = admin.post(
        f"/alerts/silences/{silence['id']}/expire",
        data={"csrf_token": admin.csrf},
        follow_redirects=False,
    )
    assert r.status_code == 303
    page = admin.get("/alerts/silences").text
    assert f'data-silence="{silence["id"]}"' not in page  # no longer in force nor to come
    assert "Bảo trì trạm" in page.split('id="silences"')[1]  # among the ended


def test_a_channel_added_its_secret_shown_once_and_a_dead_letter_sent_again(forms_app, admin):
    form = {
        "csrf_token": admin.csrf,
        "name": "Trực ban",
        "kind": "webhook",
        "target": "http://127.0.0.1:9/hook",
        "min_severity": "warning",
        "m0_name": "team",
        "m0_op": "=",
        "m0_value": "trực ban",
    }
    r = admin.post("/alerts/channels", data=form)
    assert r.status_code == 200 and 'class="secret"' in r.text
    channel = admin.get("/api/v1/alert-channels").json()["items"][0]
    assert channel["matchers"] == [{"name": "team", "op": "=", "value": "trực ban"}]
    assert 'class="secret"' not in admin.get("/alerts/channels").text  # once
    bad = form | {"name": "Thư", "kind": "email", "target": "not an address"}
    r = admin.post("/alerts/channels", data=bad)
    assert r.status_code == 422 and 'aria-invalid="true"' in r.text
    with forms_app.state.engine.begin() as conn:
        dead = conn.execute(
            insert(tables.deliveries).values(
                channel_id=channel["id"],
                group_key="g" * 64,
                status="dead",
                attempts=8,
                payload='{"status": "firing", "alerts": [{}]}',
                last_error="refused",
                created_at=now(),
            )
        ).inserted_primary_key[0]
    page = admin.get("/alerts/channels").text
    assert f'action="/alerts/deliveries/{dead}/replay"' in page
    r = admin.post(
        f"/alerts/deliveries/{dead}/replay", data={"csrf_token": admin.csrf}, follow_redirects=False
    )
    assert r.status_code == 303
    with forms_app.state.engine.connect() as conn:
        status = conn.execute(
            select(tables.deliveries.c.status).where(tables.deliveries.c.id == dead)
        ).scalar_one()
    assert status == "pending"
    r = admin.post(
        f"/alerts/channels/{channel['id']}/delete",
        data={"csrf_token": admin.csrf},
        follow_redirects=False,
    )
    assert r.status_code == 303 and admin.get("/api/v1/alert-channels").json()["items"] == []
