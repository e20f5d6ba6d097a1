"""Every write leaves an audit row with who, when, what, before and after; admins read them."""

from ..support.http import auth


def test_a_change_is_audited_with_before_and_after(client, api):
    admin = auth(api.token("admin"))
    client.post("/api/v1/users", json={"username": "xem", "role": "viewer"}, headers=admin)
    client.patch("/api/v1/users/xem", json={"role": "operator"}, headers=admin)
    items = client.get("/api/v1/audit", params={"object_type": "user"}, headers=admin).json()[
        "items"
    ]
    change = next(i for i in items if i["action"] == "user.change")
    assert change["actor"] == "admin" and change["object_id"] == "xem"
    assert change["before"]["role"] == "viewer" and change["after"]["role"] == "operator"
    assert change["at"]
    assert any(i["action"] == "user.create" and i["object_id"] == "xem" for i in items)


def test_passwords_and_tokens_never_reach_the_audit_log(client, api):
    admin = auth(api.token("admin"))
    client.post(
        "/api/v1/users",
        json={"username": "xem", "role": "viewer", "password": "secret-pw-57"},
        headers=admin,
    )
    token = client.post("/api/v1/tokens", json={"username": "xem"}, headers=admin).json()["token"]
    text = client.get("/api/v1/audit", headers=admin).text
    assert "secret-pw-57" not in text and token not in text and "argon2" not in text


def test_audit_paging_is_validated(client, api):
    r = client.get("/api/v1/audit", params={"limit": 0}, headers=auth(api.token("admin")))
    assert r.status_code == 422
