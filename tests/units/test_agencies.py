"""Agencies are units under a province or commune; admins add them anywhere, officers in their scope."""

from sqlalchemy import select

from ioc57.core.audit import audit_log

from ..support.http import auth

SKHCN = {"code": "SKHCN-82", "name": "Sở Khoa học và Công nghệ", "parent": "82", "type": "sở"}


def test_admin_adds_an_agency_and_it_is_a_unit(client, api):
    r = client.post("/api/v1/units", json=SKHCN, headers=auth(api.token("admin")))
    assert r.status_code == 201, r.text
    assert r.json()["level"] == "agency" and r.json()["parent_code"] == "82"
    unit = client.get("/api/v1/units/SKHCN-82").json()
    assert [a["code"] for a in unit["ancestors"]] == ["82"]
    found = client.get("/api/v1/units", params={"parent": "82", "level": "agency"}).json()
    assert [i["code"] for i in found["items"]] == ["SKHCN-82"]
    assert client.get("/api/v1/units", params={"q": "khoa hoc va cong nghe"}).json()["total"] == 1


def test_the_write_is_audited_with_its_after_state(client, api, engine):
    client.post("/api/v1/units", json=SKHCN, headers=auth(api.token("admin")))
    with engine.connect() as conn:
        row = conn.execute(select(audit_log).where(audit_log.c.action == "unit.create")).one()
    assert row.actor == "admin" and row.object_id == "SKHCN-82"
    assert row.after["name"] == "Sở Khoa học và Công nghệ" and row.before is None


def test_a_taken_code_is_a_conflict(client, api):
    token = api.token("admin")
    assert client.post("/api/v1/units", json=SKHCN, headers=auth(token)).status_code == 201
    r = client.post("/api/v1/units", json=SKHCN, headers=auth(token))
    assert r.status_code == 409 and r.json()["errors"][0]["loc"] == ["code"]
    r = client.post("/api/v1/units", json=SKHCN | {"code": "82"}, headers=auth(token))
    assert r.status_code == 409


def test_bad_agency_fields_are_named(client, api):
    token = auth(api.token("admin"))
    cases = [
        (SKHCN | {"parent": "99"}, "parent"),
        (SKHCN | {"parent": "815"}, "parent"),  # a district: gone since 2025-07-01
        (SKHCN | {"type": "tòa án"}, "type"),
        (SKHCN | {"code": "has space"}, "code"),
        (SKHCN | {"lat": 123}, "lat"),
        ({"code": "X-1"}, "name"),
    ]
    for body, field in cases:
        r = client.post("/api/v1/units", json=body, headers=token)
        assert r.status_code == 422, (body, r.text)
        assert any(field in e["loc"] for e in r.json()["errors"]), (field, r.json())


def test_an_officer_adds_agencies_only_within_their_unit(client, api):
    officer = api.user("canbo.mytho", "officer", unit="28261")
    inside = {
        "code": "UBND-28261",
        "name": "UBND phường Mỹ Tho",
        "parent": "28261",
        "type": "ủy ban nhân dân",
    }
    assert client.post("/api/v1/units", json=inside, headers=auth(officer)).status_code == 201
    r = client.post("/api/v1/units", json=SKHCN, headers=auth(officer))
    assert r.status_code == 403
    assert client.get("/api/v1/units/SKHCN-82").status_code == 404
