"""Tokens can be listed and revoked, by their owner or an admin, through the API and the CLI; a
revoked token, and every token of a user whose password changed, is refused at once."""

import os
import subprocess
import sys

from ..support.http import auth


def ioc57(db_url, *args):
    env = os.environ | {"IOC57_DATABASE_URL": db_url}
    return subprocess.run(
        [sys.executable, "-m", "ioc57", *args], env=env, capture_output=True, text=True, timeout=180
    )


def test_a_user_lists_and_revokes_their_own_tokens_and_no_one_elses(client, api):
    viewer = api.user("xem", "viewer")
    api.user("lanhdao", "leader")
    r = client.post("/api/v1/tokens", json={"name": "script"}, headers=auth(viewer))
    script = r.json()["token"]

    listed = client.get("/api/v1/tokens", headers=auth(viewer)).json()["items"]
    assert {t["username"] for t in listed} == {"xem"} and len(listed) == 2
    assert all("token" not in t and "token_hash" not in t for t in listed)
    mine = next(t for t in listed if t["name"] == "script")
    everyone = client.get("/api/v1/tokens", headers=auth(api.token("admin"))).json()["items"]
    theirs = next(t for t in everyone if t["username"] == "lanhdao")

    assert client.delete(f"/api/v1/tokens/{theirs['id']}", headers=auth(viewer)).status_code == 404
    r = client.delete(f"/api/v1/tokens/{mine['id']}", headers=auth(viewer))
    assert r.status_code == 200 and r.json()["revoked_at"]
    assert client.get("/api/v1/tokens", headers=auth(script)).status_code == 401
    assert client.get("/api/v1/tokens", headers=auth(viewer)).status_code == 200  # the other one


def test_an_admin_revokes_anyones_token_and_it_is_audited(client, api):
    leader = api.user("lanhdao", "leader")
    admin = auth(api.token("admin"))
    items = client.get("/api/v1/tokens?username=lanhdao", headers=admin).json()["items"]
    assert [t["username"] for t in items] == ["lanhdao"]
    r = client.delete(f"/api/v1/tokens/{items[0]['id']}", headers=admin)
    assert r.status_code == 200
    assert client.get("/api/v1/users", headers=auth(leader)).status_code == 401
    log = client.get("/api/v1/audit?object_type=token", headers=admin).json()["items"]
    assert [(e["action"], e["actor"], e["object_id"]) for e in log] == [
        ("token.revoke", "admin", str(items[0]["id"]))
    ]
    assert client.delete("/api/v1/tokens/999999", headers=admin).status_code == 404


def test_a_new_password_revokes_the_users_tokens(client, api):
    leader = api.user("lanhdao", "leader")
    r = client.patch(
        "/api/v1/users/lanhdao",
        json={"password": "a-new-password-57"},
        headers=auth(api.token("admin")),
    )
    assert r.status_code == 200
    assert client.get("/api/v1/users", headers=auth(leader)).status_code == 401


def test_the_command_line_lists_and_revokes_tokens_by_name_or_id(client, api, db_url):
    leader = api.user("lanhdao", "leader")
    r = client.post("/api/v1/tokens", json={"name": "bao-cao"}, headers=auth(leader))
    report = r.json()["token"]

    listing = ioc57(db_url, "token", "list", "--user", "lanhdao")
    assert listing.returncode == 0, listing.stderr
    assert "bao-cao" in listing.stdout and report not in listing.stdout
    r = ioc57(db_url, "token", "revoke", "bao-cao", "--user", "lanhdao")
    assert r.returncode == 0 and "revoked" in r.stdout, r.stderr
    assert client.get("/api/v1/users", headers=auth(report)).status_code == 401
    assert client.get("/api/v1/users", headers=auth(leader)).status_code == 200

    token_id = next(
        line.split()[0] for line in listing.stdout.splitlines() if "bao-cao" not in line
    )
    assert ioc57(db_url, "token", "revoke", token_id).returncode == 0
    assert client.get("/api/v1/users", headers=auth(leader)).status_code == 401
    r = ioc57(db_url, "token", "revoke", "no-such-token")
    assert r.returncode == 2 and "no-such-token" in r.stderr and "Traceback" not in r.stderr
