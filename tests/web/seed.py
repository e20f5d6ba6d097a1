"""A database that holds data, made through the app's own API (helpers for the whole-app tests).

One user of every role, a data source and its token, feedback pushed through the gate (one row
rejected, so that a batch has an ``errors.csv``), an open dossier, and an officer's submitted
(unapproved) value: so that the ids the routes take exist, and every role has something to read
or be refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi.testclient import TestClient

from ioc57.feedback.open311.keys import create_key
from ioc57.web.openapi import walk_routes  # noqa: F401  (the tests walk the routes with it)

from ..ingest.records import dossier, feedback, observation
from ..support.http import ADMIN_PASSWORD, auth

PASSWORD = "seeded-Pass-5791"
PROVINCE = "82"  # Đồng Tháp: the officer's province, the source's units
OTHER_PROVINCE = "01"  # Hà Nội
ROLES = ("anonymous", "viewer", "officer", "operator", "leader", "admin", "system")
# username, role, unit: "officer" is the officer of PROVINCE, "officer_other" of OTHER_PROVINCE
USERS = {
    "admin": ("admin", "admin", None),
    "leader": ("seed.leader", "leader", None),
    "operator": ("seed.operator", "operator", None),
    "officer": ("seed.officer", "officer", PROVINCE),
    "officer_other": ("seed.officer.hn", "officer", OTHER_PROVINCE),
    "viewer": ("seed.viewer", "viewer", None),
    "system": ("seed.system", "system", PROVINCE),
}


@dataclass
class Seeded:
    tokens: dict[str, str] = field(default_factory=dict)  # USERS key -> bearer token
    passwords: dict[str, str] = field(default_factory=dict)  # USERS key -> password
    source: str = ""
    source_token: str = ""
    other_source: str = ""
    other_source_token: str = ""
    batch_id: int = 0  # a feedback batch with a rejected row
    value_id: int = 0  # a submitted (unapproved) value of PROVINCE
    approved_id: int = 0  # an approved value of PROVINCE
    dossier_id: int = 0  # an open dossier of a commune of PROVINCE (its gate record id)
    agency: str = ""  # an agency of PROVINCE
    programme_id: int = 0  # a programme of PROVINCE
    task_id: int = 0  # a task of the programme, led by the agency
    open311_key: str = ""  # the key of an Open311 app
    usernames: dict[str, str] = field(default_factory=dict)

    def headers(self, who: str) -> dict[str, str]:
        """Bearer headers for a USERS key, "source", "other_source"; none for "anonymous"."""
        if who == "anonymous":
            return {}
        if who == "source":
            return auth(self.source_token)
        if who == "other_source":
            return auth(self.other_source_token)
        return auth(self.tokens[who])


def _ok(r, status: int = 200) -> dict:
    assert r.status_code == status, (r.request.method, str(r.request.url), r.status_code, r.text)
    return r.json()


def admin_token(app) -> str:
    from ioc57.accounts.service import create_token

    with app.state.engine.begin() as conn:
        return create_token(conn, actor="test", username="admin")


def make_source(client: TestClient, admin: str, name: str, units: list[str]) -> str:
    spec = {"name": name, "types": ["feedback", "dossier", "procedure"], "units": units}
    return _ok(client.post("/api/v1/sources", json=spec, headers=auth(admin)), 201)["token"]


def push(client: TestClient, token: str, record_type: str, records: list[dict]) -> dict:
    return _ok(client.post(f"/api/v1/ingest/{record_type}", json=records, headers=auth(token)))


def submit(client: TestClient, token: str, *observations: dict) -> dict:
    return _ok(client.post("/api/v1/observations", json=list(observations), headers=auth(token)))


def seed(app, client: TestClient) -> Seeded:
    s = Seeded()
    admin = admin_token(app)
    for key, (username, role, unit) in USERS.items():
        s.usernames[key] = username
        if key == "admin":
            s.tokens[key], s.passwords[key] = admin, ADMIN_PASSWORD
            continue
        body = {"username": username, "role": role, "password": PASSWORD}
        if unit:
            body["unit"] = unit
        _ok(client.post("/api/v1/users", json=body, headers=auth(admin)), 201)
        answer = client.post("/api/v1/tokens", json={"username": username}, headers=auth(admin))
        s.tokens[key] = _ok(answer, 201)["token"]
        s.passwords[key] = PASSWORD
    s.source, s.other_source = "seed-lgsp-82", "seed-other-01"
    s.source_token = make_source(client, admin, s.source, [PROVINCE])
    s.other_source_token = make_source(client, admin, s.other_source, [OTHER_PROVINCE])
    # feedback with a contact, and one bad row (its contact too) so the batch has rejected rows
    good = feedback(1, unit="28261")
    bad = feedback(2, unit="28261", status="not-a-status")
    s.batch_id = push(client, s.source_token, "feedback", [good, bad])["batch"]
    assert push(client, s.source_token, "dossier", [dossier(1)])["accepted"] == 1
    listed = client.get("/api/v1/services/dossiers", params={"unit": PROVINCE}, headers=auth(admin))
    s.dossier_id = _ok(listed)["items"][0]["id"]
    answer = submit(client, s.tokens["officer"], observation(period="2023"))
    assert answer["accepted"] == 1, answer
    listed = client.get(
        "/api/v1/observations",
        params={"status": "submitted", "unit": PROVINCE},
        headers=auth(admin),
    )
    s.value_id = _ok(listed)["items"][0]["id"]
    answer = submit(client, admin, observation(period="2022"))  # an admin's value is approved
    assert answer["accepted"] == 1, answer
    listed = client.get("/api/v1/observations", params={"status": "approved", "unit": PROVINCE})
    s.approved_id = _ok(listed)["items"][0]["id"]
    s.agency = "SEED-82-KHCN"
    body = {"code": s.agency, "name": "Sở Khoa học và Công nghệ", "parent": PROVINCE, "type": "sở"}
    _ok(client.post("/api/v1/units", json=body, headers=auth(admin)), 201)
    body = {
        "code": "SEED-57",
        "title": "Chương trình hành động thực hiện Nghị quyết 57",
        "issued_by": "Tỉnh ủy",
        "issued_date": "2025-05-06",
        "unit": PROVINCE,
    }
    s.programme_id = _ok(client.post("/api/v1/programmes", json=body, headers=auth(admin)), 201)[
        "id"
    ]
    body = {
        "programme": "SEED-57",
        "code": "1",
        "content": "Số hóa hồ sơ",
        "lead_agency": s.agency,
        "deadline": "2026-06-30",
    }
    s.task_id = _ok(client.post("/api/v1/tasks", json=body, headers=auth(admin)), 201)["id"]
    with app.state.engine.begin() as conn:
        s.open311_key = create_key(conn, actor="seed", name="seed-app")
    return s
