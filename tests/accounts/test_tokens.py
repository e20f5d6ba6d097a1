"""API tokens: shown once, stored hashed, stop working when the user is disabled."""

from sqlalchemy import select

from ioc57.accounts.tables import tokens

from ..support.http import auth


def test_a_token_is_stored_only_as_a_hash(client, api, engine):
    token = api.user("xem", "viewer")
    with engine.connect() as conn:
        stored = [r.token_hash for r in conn.execute(select(tokens))]
    assert token not in stored and all(len(h) == 64 for h in stored)
    assert client.get("/api/v1/users", headers=auth(token)).status_code == 403  # a viewer


def test_a_user_makes_their_own_token_but_not_anyone_elses(client, api):
    viewer = api.user("xem", "viewer")
    r = client.post("/api/v1/tokens", json={"name": "script"}, headers=auth(viewer))
    assert r.status_code == 201 and r.json()["token"].startswith("ioc57_")
    r = client.post("/api/v1/tokens", json={"username": "admin"}, headers=auth(viewer))
    assert r.status_code == 403


def test_a_disabled_users_token_stops_working(client, api):
    leader = api.user("lanhdao", "leader")
    assert client.get("/api/v1/users", headers=auth(leader)).status_code == 200
    r = client.patch(
        "/api/v1/users/lanhdao", json={"disabled": True}, headers=auth(api.token("admin"))
    )
    assert r.status_code == 200 and r.json()["disabled"] is True
    assert client.get("/api/v1/users", headers=auth(leader)).status_code == 401


def test_a_wrong_or_missing_token_is_401(client):
    assert client.get("/api/v1/users").status_code == 401
    r = client.get("/api/v1/users", headers=auth("ioc57_not-a-token"))
    assert r.status_code == 401 and r.headers["content-type"].startswith("application/problem+json")
    assert r.headers["www-authenticate"] == "Bearer"
