"""The sensors demo (dữ liệu mô phỏng): the simulator's stations of Đồng Tháp with their communes'
crops, three weeks of readings through the gate, a salt intrusion that puts stations over their
threshold now, a gap on one station's chart and a station gone quiet; fast, and labelled."""

from __future__ import annotations

import time
from collections import Counter
from datetime import timedelta

import pytest

from ioc57.core.clock import LOCAL_TZ, now, today
from ioc57.modules import Demo
from ioc57.sensors.demo import load_demo

from ..support.http import Api, auth


@pytest.fixture(scope="module")
def loaded(sensors_app):
    lines: list[str] = []
    began = time.monotonic()
    load_demo(Demo(sensors_app.state.engine, sensors_app.state.gate, "demo", today(), lines.append))
    return lines, time.monotonic() - began


def test_the_demo_loads_fast_and_the_map_shows_every_level(sensors_app, sensors_client, loaded):
    lines, took = loaded
    assert took < 10, took
    assert "dữ liệu mô phỏng" in lines[0] and "0 rejected" in lines[0]
    headers = auth(Api(sensors_app).token("admin"))
    stations = sensors_client.get("/api/v1/stations", headers=headers).json()["items"]
    assert len(stations) == 8 and all(s["simulated"] for s in stations)
    assert all(s["place"] and s["lat"] and s["threshold"]["origin"] == "crops" for s in stations)
    levels = Counter(s["level"] for s in stations)
    assert levels["over"] >= 3 and levels["nodata"] == 1, levels
    # each station that reported in the last day has its next 48 hours forecast, shown at once
    assert "forecast for 8 stations" in lines[0]
    for s in stations:
        got = sensors_client.get(f"/api/v1/stations/{s['code']}/forecast", headers=headers)
        assert got.status_code == 200 and len(got.json()["points"]) == 48, got.text


def test_the_history_has_its_gap_and_the_intrusion(sensors_app, sensors_client, loaded):
    headers = auth(Api(sensors_app).token("admin"))
    stations = sensors_client.get("/api/v1/stations", headers=headers).json()["items"]

    def readings(code: str, **params) -> list:
        r = sensors_client.get(f"/api/v1/stations/{code}/readings", params=params, headers=headers)
        assert r.status_code == 200, r.text
        return r.json()["points"]

    ago = (now() - timedelta(days=8)).astimezone(LOCAL_TZ).isoformat()
    # the inland station (its commune grows durian) was silent for six hours a week ago
    inland = next(s["code"] for s in stations if s["threshold"]["value"] == 1.0)
    raw = readings(inland, **{"from": ago})
    assert [v for _t, v in raw].count(None) == 1
    # the saltiest station's last day is several times as salty as the week before the intrusion
    three_weeks = (now() - timedelta(days=21)).astimezone(LOCAL_TZ).isoformat()
    means = {s["code"]: readings(s["code"], every="1d", **{"from": three_weeks}) for s in stations}
    saltiest = max(means, key=lambda code: means[code][0][1] or 0)
    days = [v for _t, v in means[saltiest] if v is not None]
    assert days[-1] > 2 * (sum(days[-12:-5]) / 7), days
