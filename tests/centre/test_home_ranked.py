"""The leader's home with data sent through the gate: the concerns in the registry's order (a
freshly late dossier above one late for days), the key figures that have a figure, the same in
the API; a commune's officer sees its commune's only."""

from __future__ import annotations

import re
from datetime import timedelta

from ioc57.core.clock import LOCAL_TZ, now

from ..ingest.records import DVC, dossier
from ..support.http import auth, login
from ..support.ingest import Pusher

COMMUNE, OTHER = "28261", "28249"  # Phường Mỹ Tho, Phường Đạo Thạnh (province 82)
PASSWORD = "password-57"
CONCERN = re.compile(r'<li class="concern [^"]*" data-key="([^"]+)" data-severity="(\d)"')
TILE = re.compile(r'<section class="tile[^"]*" data-tile="([^"]+)"')


def late(n: int, unit: str, due_ago: timedelta) -> dict:
    """Dossier HS-n of ``unit``, being processed, due ``due_ago`` ago."""
    due = now() - due_ago
    received = due - timedelta(days=3)
    return dossier(
        n,
        unit=unit,
        received_at=received.astimezone(LOCAL_TZ).isoformat(),
        due_at=due.astimezone(LOCAL_TZ).isoformat(),
        updated_at=received.astimezone(LOCAL_TZ).isoformat(),
        status="processing",
    )


def page_of(api, username: str, path: str = "/") -> str:
    client = api.client()
    client.cookies.set("lang", "en")
    login(client, username, PASSWORD)
    r = client.get(path)
    assert r.status_code == 200, r.text
    return r.text


def test_the_home_ranks_concerns_as_the_registry_and_scopes_them(client, api):
    leader = api.user("lanhdao", "leader", password=PASSWORD)
    api.user("canbo.myt", "officer", COMMUNE, password=PASSWORD)
    dvc = Pusher(client, api, DVC)
    dvc.push("dossier", [late(1, COMMUNE, timedelta(days=5)), late(2, OTHER, timedelta(minutes=1))])

    ranked = client.get("/api/v1/centre/concerns", headers=auth(leader)).json()["concerns"]
    keys = [c["key"] for c in ranked if c["key"].startswith("services:")]
    assert len(keys) == 2 and keys[0].endswith(f":{OTHER}") and keys[1].endswith(f":{COMMUNE}")
    home = page_of(api, "lanhdao")
    shown = [key for key, _ in CONCERN.findall(home)]
    assert shown == [c["key"] for c in ranked]  # the page in the API's (the registry's) order
    assert "Nothing needs attention" not in home
    assert "services.received" in TILE.findall(home)
    fragment = page_of(api, "lanhdao", "/centre/concerns")
    assert [key for key, _ in CONCERN.findall(fragment)] == shown

    own = page_of(api, "canbo.myt")
    mine = [key for key, _ in CONCERN.findall(own) if key.startswith("services:")]
    assert mine == [keys[1]]  # its commune's late dossier, not the other commune's


def test_a_tile_fragment_and_the_api_say_the_same_figure(client, api):
    leader = api.user("lanhdao", "leader", password=PASSWORD)
    dvc = Pusher(client, api, DVC)
    at = now() - timedelta(seconds=1)
    fresh = late(1, COMMUNE, -timedelta(days=5)) | {
        "received_at": at.astimezone(LOCAL_TZ).isoformat(),
        "updated_at": at.astimezone(LOCAL_TZ).isoformat(),
    }
    dvc.push("dossier", [fresh])
    body = client.get("/api/v1/centre/tiles/services.received", headers=auth(leader)).json()
    assert body["value"] == 1 and body["events"] == ["ingest.batch:dossier"]
    assert body["trend"][-1] == [at.astimezone(LOCAL_TZ).date().isoformat(), 1]
    html = page_of(api, "lanhdao", "/centre/tiles/services.received")
    assert html.startswith('<section class="tile')
    assert '<span class="tile-value">1</span>' in html
    listed = client.get("/api/v1/centre/tiles", headers=auth(leader)).json()["tiles"]
    assert body in listed
