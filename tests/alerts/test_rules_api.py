"""Rules are data: created, read, replaced and deleted through the API (audited), refused with
problem+json naming the field when wrong, and exported and imported as YAML (a bad rule reported
by index and field, the good ones kept)."""

from __future__ import annotations

import yaml
from sqlalchemy import select

from ioc57.core.audit import audit_log

from ..support.alerts import rule_body
from ..support.http import auth

URL = "/api/v1/alert-rules"


def problem(r, status: int = 422) -> list:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    return [e["loc"] for e in r.json().get("errors", [])]


def test_rule_crud_and_audit(alerts_app, alerts_client, admin):
    body = rule_body("crud", **{"for": "10m", "keep_firing_for": 1800, "labels": {"team": "x"}})
    r = alerts_client.post(URL, json=body, headers=admin)
    assert r.status_code == 201, r.text
    made = r.json()
    assert made["for"] == "10m" and made["keep_firing_for"] == "30m" and made["units"] == []
    assert made["group_by"] == ["alertname"] and made["nodata_after"] is None
    assert alerts_client.post(URL, json=body, headers=admin).status_code == 409
    assert alerts_client.get(f"{URL}/crud", headers=admin).json()["title"] == "Rule crud"

    replaced = alerts_client.put(
        f"{URL}/crud", json=body | {"title": "Mặn vượt ngưỡng", "units": ["82"]}, headers=admin
    )
    assert replaced.status_code == 200 and replaced.json()["units"] == ["82"]
    assert problem(alerts_client.put(f"{URL}/other", json=body, headers=admin)) == [
        ["body", "name"]
    ]
    assert alerts_client.delete(f"{URL}/crud", headers=admin).status_code == 204
    assert alerts_client.get(f"{URL}/crud", headers=admin).status_code == 404
    with alerts_app.state.engine.connect() as conn:
        actions = conn.execute(
            select(audit_log.c.action)
            .where(audit_log.c.object_id == "crud")
            .order_by(audit_log.c.id)
        ).scalars()
        assert list(actions) == ["alert_rule.create", "alert_rule.update", "alert_rule.delete"]


def test_bad_rules_name_their_field(alerts_client, admin):
    cases = {
        "figure": rule_body("bad-1", figure="nobody.offers"),
        "params": rule_body("bad-2", params={"group": "x", "colour": "red"}),
        "for": rule_body("bad-3", **{"for": "ten minutes"}),
        "nodata_after": rule_body("bad-4", kind="nodata"),
        "op": rule_body("bad-5", op="=>"),
        "name": rule_body("Not A Slug"),
        "labels": rule_body("bad-6", labels={"alertname": "x"}),
    }
    for field, body in cases.items():
        locs = problem(alerts_client.post(URL, json=body, headers=admin))
        assert ["body", field] in locs, (field, locs)
    missing = rule_body("bad-7")
    missing["params"] = {}
    assert ["body", "params"] in problem(alerts_client.post(URL, json=missing, headers=admin))
    unknown_unit = rule_body("bad-8", units=["99999"])
    assert ["units", "0"] in problem(alerts_client.post(URL, json=unknown_unit, headers=admin))


def test_rules_are_scoped_to_a_persons_unit(alerts_client, alerts_api, admin):
    operator = auth(alerts_api.user("op-rules-82", "operator", unit="82"))
    everywhere = rule_body("scope-all")
    assert problem(alerts_client.post(URL, json=everywhere, headers=operator), 403) == [["units"]]
    other = rule_body("scope-01", units=["01"])
    assert alerts_client.post(URL, json=other, headers=operator).status_code == 403
    own = rule_body("scope-82", units=["82"])
    assert alerts_client.post(URL, json=own, headers=operator).status_code == 201
    assert alerts_client.post(URL, json=other, headers=admin).status_code == 201
    names = {r["name"] for r in alerts_client.get(URL, headers=operator).json()["items"]}
    assert "scope-82" in names and "scope-01" not in names
    viewer = auth(alerts_api.user("viewer-rules", "viewer"))
    assert alerts_client.post(URL, json=rule_body("scope-v"), headers=viewer).status_code == 403


def test_yaml_round_trip_and_a_bad_rule_reported(alerts_client, admin):
    for name in ("yaml-a", "yaml-b"):
        body = rule_body(name, **{"for": "5m", "nodata_after": "2h", "units": ["82"]})
        assert alerts_client.post(URL, json=body, headers=admin).status_code == 201
    inhibition = {
        "name": "yaml-inh",
        "source_matchers": [{"name": "alertname", "op": "=", "value": "yaml-a"}],
        "target_matchers": [{"name": "alertname", "op": "=~", "value": "yaml-.*"}],
        "equal": ["station"],
    }
    assert (
        alerts_client.post("/api/v1/alert-inhibitions", json=inhibition, headers=admin).status_code
        == 201
    )
    exported = alerts_client.get(f"{URL}/export", headers=admin)
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("application/yaml")
    document = yaml.safe_load(exported.text)
    rules = {r["name"]: r for r in document["rules"]}
    assert rules["yaml-a"]["for"] == "5m" and rules["yaml-a"]["nodata_after"] == "2h"
    assert {i["name"] for i in document["inhibitions"]} >= {"yaml-inh"}

    # edit the file: one rule changed, one new, one bad; import it back
    rules["yaml-a"]["threshold"] = 2.5
    new = rule_body("yaml-c")
    bad = rule_body("yaml-d", threshold="high")
    document["rules"] = [rules["yaml-a"], rules["yaml-b"], new, bad]
    headers = admin | {"Content-Type": "application/yaml"}
    r = alerts_client.post(
        f"{URL}/import", content=yaml.safe_dump(document, allow_unicode=True), headers=headers
    )
    assert r.status_code == 200, r.text
    report = r.json()
    assert report["created"] == ["yaml-c"]
    assert set(report["updated"]) >= {"yaml-a", "yaml-b", "inhibition:yaml-inh"}
    assert [e["loc"] for e in report["errors"]] == [["rules", 3, "threshold"]]
    assert alerts_client.get(f"{URL}/yaml-a", headers=admin).json()["threshold"] == 2.5
    assert alerts_client.get(f"{URL}/yaml-d", headers=admin).status_code == 404
    # the export of the import is the same file
    again = yaml.safe_load(alerts_client.get(f"{URL}/export", headers=admin).text)
    assert {r["name"]: r for r in again["rules"]}["yaml-a"] == rules["yaml-a"]

    assert problem(alerts_client.post(f"{URL}/import", content="rules: [", headers=headers)) == [
        ["body"]
    ]
    only_bad = yaml.safe_dump({"rules": [bad]})
    assert problem(alerts_client.post(f"{URL}/import", content=only_bad, headers=headers)) == [
        ["rules", 0, "threshold"]
    ]
