"""Two ``ioc57 serve`` processes on one PostgreSQL database, both running the notifier: each
change is notified once. The changes are made as the evaluator makes them (an instance moved and
its change noted in its group, in one transaction); the webhook receiver is a real local server."""

from __future__ import annotations

import os
import time

import httpx
import orjson
import pytest
from fastapi.testclient import TestClient

from ioc57.alerts import channels
from ioc57.alerts.machine import State
from ioc57.core.clock import now
from ioc57.core.db import make_engine

from ..support.alerting import make_rule, move
from ..support.backends import BACKENDS, app_on
from ..support.http import Api
from ..support.receivers import http_receiver
from ..support.sensors import Sensors, minutes_ago, reading
from ..support.servers import running_server

pytestmark = pytest.mark.skipif("postgresql" not in BACKENDS, reason="PostgreSQL not tested")
QUIET_S = 1.5  # a second notification would show up within a few rounds (0.1 s each)


def server_env(url: str) -> dict[str, str]:
    """The environment of a server on ``url`` that notifies quickly (a round every 0.1 s, a
    change after a notification sent a second after it)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("IOC57_")}
    return env | {
        "IOC57_DATABASE_URL": url,
        "IOC57_SECRET_KEY": "two-servers-secret",
        "IOC57_PULL_SCHEDULER": "0",
        "IOC57_ALERTS_NOTIFY_S": "0.1",
        "IOC57_ALERTS_GROUP_INTERVAL_S": "1",
    }


def test_two_servers_on_one_database_notify_each_change_once(pg_copies, tmp_path):
    url = pg_copies.take()
    engine = make_engine(url)
    env = server_env(url)
    try:
        rule = make_rule(engine, "twice", now())
        with http_receiver() as hook:
            with engine.begin() as conn:
                body = channels.ChannelIn(name="both", kind="webhook", target=hook.url)
                channels.create_channel(conn, actor="test", body=body)
            with (
                running_server(env, tmp_path / "one.log"),
                running_server(env, tmp_path / "two.log"),
            ):

                def change(station: str, to: State, expected: int) -> None:
                    move(engine, rule, "twice", {"station": station}, to, now(), group_wait_s=0)
                    assert len(hook.wait_for(expected)) == expected
                    time.sleep(QUIET_S)
                    assert len(hook.requests) == expected

                change("A", State.FIRING, 1)
                change("B", State.FIRING, 2)
                change("A", State.RESOLVED, 3)
                # a burst across twenty stations: one notification
                for n in range(20):
                    move(engine, rule, "twice", {"station": f"C{n}"}, State.FIRING, now())
                assert len(hook.wait_for(4, timeout=60)) == 4
                time.sleep(QUIET_S)
                assert len(hook.requests) == 4
        bodies = [orjson.loads(r.body) for r in hook.requests]
        seen = [{a["labels"]["station"]: a["status"] for a in b["alerts"]} for b in bodies]
        assert seen[:3] == [
            {"A": "firing"},
            {"A": "firing", "B": "firing"},
            {"A": "resolved", "B": "firing"},
        ]
        assert len(seen[3]) == 21 and seen[3]["B"] == "firing"
    finally:
        engine.dispose()
        pg_copies.give_back(url)


def test_two_servers_evaluate_and_notify_a_reading_once(pg_copies, tmp_path):
    """The whole way: a reading over its station's threshold pushed to one server, evaluated on
    its batch there (and by both servers' scheduler rounds), notified once by one of them."""
    url = pg_copies.take()
    try:
        with app_on(url) as app, TestClient(app, base_url="http://testserver") as client:
            sensors = Sensors(client, Api(app), name="tram-hai-may")
            sensors.station("TWO-1", thresholds={"salinity": 1.0})
            sensors.station("TWO-2", thresholds={"salinity": 1.0})
            rule = {
                "name": "two-servers-salinity",
                "title": "Độ mặn vượt ngưỡng",
                "figure": "sensors.reading",
                "params": {},
                "op": ">",
                "threshold": None,
                "severity": "critical",
                "group_by": ["alertname"],
            }
            r = client.post("/api/v1/alert-rules", json=rule, headers=sensors.admin)
            assert r.status_code == 201, r.text
            with http_receiver() as hook:
                r = client.post(
                    "/api/v1/alert-channels",
                    json={"name": "two", "kind": "webhook", "target": hook.url},
                    headers=sensors.admin,
                )
                assert r.status_code == 201, r.text
                env = server_env(url) | {"IOC57_ALERTS_GROUP_WAIT_S": "0.5"}
                with (
                    running_server(env, tmp_path / "one.log") as one,
                    running_server(env, tmp_path / "two.log") as two,
                ):

                    def push(base: str, station: str, value: float, expected: int) -> None:
                        r = httpx.post(
                            f"{base}/api/v1/ingest/reading",
                            json=[reading(station, value, minutes_ago(0.1))],
                            headers=sensors.headers,
                        )
                        assert r.status_code == 200, r.text
                        assert len(hook.wait_for(expected, timeout=30)) == expected
                        time.sleep(QUIET_S)
                        assert len(hook.requests) == expected

                    push(one, "TWO-1", 1.8, 1)
                    push(two, "TWO-2", 2.4, 2)
                    push(one, "TWO-1", 0.3, 3)
                seen = [
                    {a["labels"]["station"]: a["status"] for a in orjson.loads(r.body)["alerts"]}
                    for r in hook.requests
                ]
                assert seen == [
                    {"TWO-1": "firing"},
                    {"TWO-1": "firing", "TWO-2": "firing"},
                    {"TWO-1": "resolved", "TWO-2": "firing"},
                ]
    finally:
        pg_copies.give_back(url)
