"""``/api/v1/stations``: a station is created through the gate (refused naming its field), listed
with its latest value, its effective threshold and where it comes from, and its level; an officer
creates and reads the stations of its own commune only."""

from __future__ import annotations

from ..support.http import auth
from ..support.sensors import minutes_ago, reading


def by_code(answer: dict) -> dict:
    return {s["code"]: s for s in answer["items"]}


def test_a_station_is_listed_with_its_level_against_its_threshold(sensors):
    client = sensors.client
    r = client.put(
        f"/api/v1/communes/{sensors.communes[1]}/crops",
        json={"crops": ["rice", "durian"]},
        headers=sensors.admin,
    )
    assert r.status_code == 200, r.text
    sensors.station("S-OVER", commune=1)
    sensors.station("S-WATCH", commune=0, thresholds={"salinity": 4.0})
    sensors.station("S-OK", commune=0, thresholds={"salinity": 4.0})
    sensors.station("S-QUIET", commune=0)
    at = minutes_ago(2)
    sensors.push(
        [reading("S-OVER", 1.3, at), reading("S-WATCH", 3.1, at), reading("S-OK", 0.5, at)]
    )
    got = by_code(sensors.get("/api/v1/stations"))
    over = got["S-OVER"]
    assert over["level"] == "over" and over["latest"]["salinity"]["value"] == 1.3
    assert over["threshold"] == {
        "value": 1.0,
        "origin": "crops",
        "commune": sensors.communes[1],
        "crops": ["durian"],
    }
    assert over["latest"]["salinity"]["observed_at"].endswith("+07:00")
    assert got["S-WATCH"]["level"] == "watch" and got["S-WATCH"]["threshold"]["origin"] == "station"
    assert got["S-OK"]["level"] == "ok"
    assert got["S-QUIET"]["level"] == "nodata" and got["S-QUIET"]["threshold"] is None
    assert {"code", "name", "unit", "lat", "lon", "metrics", "thresholds", "simulated"} <= set(over)
    one = sensors.get("/api/v1/stations/S-OVER")
    assert one["level"] == "over" and one["unit"] == sensors.communes[1]
    sensors.get("/api/v1/stations/NO-SUCH", expect=404)
    # of a commune's subtree
    mine = by_code(sensors.get("/api/v1/stations", unit=sensors.communes[1]))
    assert "S-OVER" in mine and "S-OK" not in mine
    sensors.get("/api/v1/stations", expect=422, unit="no-such-unit")


def test_a_bad_station_is_refused_naming_its_field(sensors):
    client = sensors.client
    bad = {"code": "S-BAD", "name": "Trạm", "unit": sensors.communes[0], "lat": 10.1}
    r = client.post("/api/v1/stations", json=bad, headers=sensors.admin)
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
    r = client.post(
        "/api/v1/stations",
        json={
            "code": "S-BAD",
            "name": "Trạm",
            "unit": sensors.communes[0],
            "thresholds": {"salinity": -1},
        },
        headers=sensors.admin,
    )
    assert r.status_code == 422 and r.json()["errors"][0]["loc"][0] == "thresholds"
    r = client.post("/api/v1/stations", content=b"{", headers=sensors.admin)
    assert r.status_code == 400


def test_an_officer_writes_and_reads_its_own_communes_stations(sensors):
    own, other = sensors.communes[2], sensors.communes[0]
    token = auth(sensors.api.user("officer-s", "officer", unit=own))
    client = sensors.client
    body = {"code": "S-OFF", "name": "Trạm xã", "unit": own}
    assert client.post("/api/v1/stations", json=body, headers=token).status_code == 201
    r = client.post(
        "/api/v1/stations", json=body | {"code": "S-OFF2", "unit": other}, headers=token
    )
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["unit"]
    sensors.station("S-ELSE", commune=0)
    seen = {s["code"] for s in client.get("/api/v1/stations", headers=token).json()["items"]}
    assert "S-OFF" in seen and "S-ELSE" not in seen
    assert client.get("/api/v1/stations/S-ELSE", headers=token).status_code == 403
    viewer = auth(sensors.api.user("viewer-s", "viewer"))
    r = client.post("/api/v1/stations", json=body, headers=viewer)
    assert r.status_code == 403
    assert client.get("/api/v1/stations").status_code == 401
