"""Wall displays' device keys: an admin issues one (shown once), the display reads with it as a
viewer of its unit and never writes; revoked, it is refused at once — by the API, the CLI, and on
an open event stream, which ends. Every issue and revocation is audited."""

from __future__ import annotations

import os
import subprocess
import sys

import httpx
import pytest
from fastapi.testclient import TestClient

from ..support.http import auth
from ..support.servers import running_server
from ..support.stream import Listener

COOKIE = "ioc57_device"


def issue(client, admin: str, **body) -> dict:
    r = client.post("/api/v1/devices", json={"name": "Màn hình tường"} | body, headers=auth(admin))
    assert r.status_code == 201, r.text
    return r.json()


def display(app, key: str) -> TestClient:
    """A wall display's browser: the device cookie and nothing else."""
    client = TestClient(app, base_url="http://testserver")
    client.cookies.set(COOKIE, key)
    return client


def test_a_device_reads_as_a_viewer_of_its_unit_and_its_key_is_shown_once(app, client, api):
    admin = api.token("admin")
    device = issue(client, admin, name="Phòng IOC tỉnh", unit="82", layout="tinh")
    key = device["key"]
    assert key.startswith("ioc57d_") and device["prefix"] == key[:12]
    assert (device["unit"], device["layout"], device["revoked_at"]) == ("82", "tinh", None)

    wall = display(app, key)
    assert wall.get("/api/v1/stations?unit=82").status_code == 200
    r = wall.get("/api/v1/stations?unit=01")  # another province: outside its scope
    assert r.status_code == 403, r.text
    assert client.get("/api/v1/stations").status_code == 401  # no key, no read

    listed = client.get("/api/v1/devices", headers=auth(admin)).json()["items"]
    assert [d["name"] for d in listed] == ["Phòng IOC tỉnh"]
    assert "key" not in listed[0] and key not in str(listed)
    assert listed[0]["created_by"] == "admin" and listed[0]["last_seen_at"] is not None


def test_a_device_never_writes(app, client, api):
    admin = api.token("admin")
    wall = display(app, issue(client, admin)["key"])
    refused = [
        wall.post("/api/v1/tokens", json={"name": "mine"}),  # a viewer may make its own token
        wall.post("/api/v1/devices", json={"name": "another"}),
        wall.delete("/api/v1/devices/1"),
        wall.patch("/api/v1/users/admin", json={"disabled": True}),
        wall.post("/api/v1/ingest/dossier", json=[]),
    ]
    assert [r.status_code for r in refused] == [403] * len(refused), [r.text for r in refused]
    assert wall.get("/api/v1/stations").status_code == 200  # it still reads


def test_a_revoked_device_is_anonymous_at_once_and_its_cookie_is_cleared(app, client, api):
    admin = api.token("admin")
    device = issue(client, admin)
    wall = display(app, device["key"])
    assert wall.get("/api/v1/stations").status_code == 200
    r = client.delete(f"/api/v1/devices/{device['id']}", headers=auth(admin))
    assert r.status_code == 200 and r.json()["revoked_at"]
    assert wall.get("/api/v1/stations").status_code == 401
    page = wall.get("/wall/connect")
    assert page.status_code == 200
    assert (
        f'{COOKIE}=""' in page.headers["set-cookie"] and "Max-Age=0" in page.headers["set-cookie"]
    )
    assert client.delete("/api/v1/devices/999999", headers=auth(admin)).status_code == 404


def test_bad_input_names_the_field_and_only_an_admin_manages_devices(client, api):
    admin = auth(api.token("admin"))
    for body, field in [
        ({"name": "Tường", "unit": "99999"}, "unit"),
        ({"name": "Tường", "layout": "Bad layout!"}, "layout"),
        ({"name": ""}, "name"),
        ({}, "name"),
    ]:
        r = client.post("/api/v1/devices", json=body, headers=admin)
        assert r.status_code == 422, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
        assert field in r.json()["errors"][0]["loc"], r.json()
    leader = auth(api.user("lanhdao", "leader"))
    assert client.get("/api/v1/devices", headers=leader).status_code == 403
    assert client.post("/api/v1/devices", json={"name": "x"}, headers=leader).status_code == 403
    assert client.get("/api/v1/devices").status_code == 401


def test_issue_and_revoke_are_audited_and_last_seen_is_written_at_most_once_a_minute(
    app, client, api
):
    admin = api.token("admin")
    device = issue(client, admin, unit="28261")
    wall = display(app, device["key"])
    wall.get("/api/v1/stations")
    first = client.get("/api/v1/devices", headers=auth(admin)).json()["items"][0]["last_seen_at"]
    wall.get("/api/v1/stations")
    again = client.get("/api/v1/devices", headers=auth(admin)).json()["items"][0]["last_seen_at"]
    assert first is not None and again == first
    client.delete(f"/api/v1/devices/{device['id']}", headers=auth(admin))
    log = client.get("/api/v1/audit?object_type=device", headers=auth(admin)).json()["items"]
    assert sorted((e["action"], e["actor"], e["object_id"]) for e in log) == [
        ("device.create", "admin", str(device["id"])),
        ("device.revoke", "admin", str(device["id"])),
    ]
    assert device["key"] not in str(log)


def ioc57(db_url, *args):
    env = os.environ | {"IOC57_DATABASE_URL": db_url}
    return subprocess.run(
        [sys.executable, "-m", "ioc57", *args], env=env, capture_output=True, text=True, timeout=180
    )


def test_the_command_line_issues_lists_and_revokes_devices(app, db_url, client, api):
    r = ioc57(db_url, "device", "create", "Màn hình xã", "--unit", "28261", "--layout", "xa")
    assert r.returncode == 0, r.stderr
    key = r.stdout.strip().splitlines()[-1]
    wall = display(app, key)
    assert wall.get("/api/v1/stations").status_code == 200
    listed = ioc57(db_url, "device", "list")
    assert listed.returncode == 0, listed.stderr
    assert "Màn hình xã" in listed.stdout and key[:12] in listed.stdout and key not in listed.stdout
    device_id = listed.stdout.split()[0]
    r = ioc57(db_url, "device", "revoke", device_id)
    assert r.returncode == 0, r.stderr
    assert wall.get("/api/v1/stations").status_code == 401
    assert "revoked" in ioc57(db_url, "device", "list").stdout
    assert ioc57(db_url, "device", "create", "x", "--unit", "nope").returncode != 0
    log = client.get("/api/v1/audit?object_type=device", headers=auth(api.token("admin")))
    assert sorted(e["action"] for e in log.json()["items"]) == ["device.create", "device.revoke"]


@pytest.fixture
def server(db_url, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("IOC57_")}
    env |= {
        "IOC57_DATABASE_URL": db_url,
        "IOC57_SECRET_KEY": "device-test-secret",
        "IOC57_STREAM_RECHECK_S": "1",
        "IOC57_PULL_SCHEDULER": "0",
    }
    with running_server(env, tmp_path / "serve.log") as base:
        yield base


def test_an_open_stream_of_a_revoked_device_ends(server, client, api):
    admin = api.token("admin")
    device = issue(client, admin)
    cookies = httpx.Cookies()
    cookies.set(COOKIE, device["key"])
    stream = Listener(f"{server}/api/v1/stream", cookies=cookies)
    assert stream.status == 200
    r = httpx.delete(f"{server}/api/v1/devices/{device['id']}", headers=auth(admin))
    assert r.status_code == 200
    assert stream.closed.wait(1 + 3.0), "the stream is still open"
    events = [stream.events.get_nowait() for _ in range(stream.events.qsize())]
    assert [(e.event, e.json()["reason"]) for e in events] == [
        ("stream.end", "the device was revoked")
    ]
    again = httpx.get(f"{server}/api/v1/stream", cookies=cookies, timeout=10)
    assert again.status_code == 401
