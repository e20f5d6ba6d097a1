"""Managing users through the API: validation, conflicts, roles and scopes."""

from ..support.http import auth


def test_admin_creates_and_changes_users(client, api):
    admin = auth(api.token("admin"))
    r = client.post(
        "/api/v1/users",
        json={"username": "canbo.82", "role": "officer", "unit": "82", "password": "password-57"},
        headers=admin,
    )
    assert r.status_code == 201 and r.json()["unit"] == "82"
    r = client.patch(
        "/api/v1/users/canbo.82", json={"role": "leader", "clear_unit": True}, headers=admin
    )
    assert r.status_code == 200 and r.json()["role"] == "leader" and r.json()["unit"] is None
    listed = client.get("/api/v1/users", headers=admin).json()["items"]
    assert {u["username"] for u in listed} == {"admin", "canbo.82"}
    assert all("password_hash" not in u for u in listed)


def test_bad_user_input_names_the_field(client, api):
    admin = auth(api.token("admin"))
    cases = [
        ({"username": "Bad Name", "role": "viewer"}, "username", 422),
        ({"username": "ok.name", "role": "emperor"}, "role", 422),
        ({"username": "ok.name", "role": "officer"}, "unit", 422),
        ({"username": "ok.name", "role": "officer", "unit": "99999"}, "unit", 422),
        ({"username": "ok.name", "role": "viewer", "password": "short"}, "password", 422),
        ({"username": "admin", "role": "viewer"}, "username", 409),
    ]
    for body, field, status in cases:
        r = client.post("/api/v1/users", json=body, headers=admin)
        assert r.status_code == status, (body, r.text)
        assert any(field in e["loc"] for e in r.json()["errors"]), (field, r.json())
    assert (
        client.patch("/api/v1/users/nobody", json={"role": "viewer"}, headers=admin).status_code
        == 404
    )
