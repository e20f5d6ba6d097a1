"""Two ``ioc57 serve`` processes on one PostgreSQL database, each running the evaluator and the
notifier: a reading over its station's threshold, pushed to either server, is evaluated on its
batch there (and by both servers' scheduler rounds) and notified once; a burst across twenty
stations is one notification. The webhook receiver is a real local server."""

from __future__ import annotations

import os
import time

import httpx
import orjson
import pytest
from fastapi.testclient import TestClient

from ..support.backends import BACKENDS, app_on
from ..support.http import Api
from ..support.receivers import http_receiver
from ..support.sensors import Sensors, minutes_ago, reading
from ..support.servers import running_server

pytestmark = pytest.mark.skipif("postgresql" not in BACKENDS, reason="PostgreSQL not tested")
QUIET_S = 1.5  # a second notification would show up within a few rounds (0.1 s each)
BURST = [f"TWO-B{n:02}" for n in range(20)]
RULE = {
    "name": "two-servers-salinity",
    "title": "Độ mặn vượt ngưỡng",
    "figure": "sensors.reading",
    "params": {},
    "op": ">",
    "threshold": None,  # each station's own
    "severity": "critical",
    "group_by": ["alertname"],
}


def server_env(url: str) -> dict[str, str]:
    """A server on ``url`` that notifies quickly: a round every 0.1 s, a new group sent half a
    second after its first alert, a change after a notification a second after it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("IOC57_")}
    return env | {
        "IOC57_DATABASE_URL": url,
        "IOC57_SECRET_KEY": "two-servers-secret",
        "IOC57_PULL_SCHEDULER": "0",
        "IOC57_ALERTS_NOTIFY_S": "0.1",
        "IOC57_ALERTS_GROUP_WAIT_S": "0.5",
        "IOC57_ALERTS_GROUP_INTERVAL_S": "1",
    }


def test_two_servers_evaluate_and_notify_each_change_once(pg_copies, tmp_path):
    url = pg_copies.take()
    try:
        with app_on(url) as app, TestClient(app, base_url="http://testserver") as client:
            sensors = Sensors(client, Api(app), name="tram-hai-may")
            for code in ("TWO-1", "TWO-2", *BURST):
                sensors.station(code, thresholds={"salinity": 1.0})
            r = client.post("/api/v1/alert-rules", json=RULE, headers=sensors.admin)
            assert r.status_code == 201, r.text
            with http_receiver() as hook:
                r = client.post(
                    "/api/v1/alert-channels",
                    json={"name": "two", "kind": "webhook", "target": hook.url},
                    headers=sensors.admin,
                )
                assert r.status_code == 201, r.text
                env = server_env(url)
                with (
                    running_server(env, tmp_path / "one.log") as one,
                    running_server(env, tmp_path / "two.log") as two,
                ):

                    def push(base: str, values: dict[str, float], expected: int) -> None:
                        at = minutes_ago(0.1)
                        r = httpx.post(
                            f"{base}/api/v1/ingest/reading",
                            json=[reading(code, value, at) for code, value in values.items()],
                            headers=sensors.headers,
                        )
                        assert r.status_code == 200, r.text
                        assert len(hook.wait_for(expected, timeout=30)) == expected
                        time.sleep(QUIET_S)
                        assert len(hook.requests) == expected

                    push(one, {"TWO-1": 1.8}, 1)
                    push(two, {"TWO-2": 2.4}, 2)
                    push(one, {"TWO-1": 0.3}, 3)
                    push(two, dict.fromkeys(BURST, 3.1), 4)  # one intrusion: one notification
        seen = [
            {a["labels"]["station"]: a["status"] for a in orjson.loads(r.body)["alerts"]}
            for r in hook.requests
        ]
        assert seen[:3] == [
            {"TWO-1": "firing"},
            {"TWO-1": "firing", "TWO-2": "firing"},
            {"TWO-1": "resolved", "TWO-2": "firing"},
        ]
        assert seen[3] == {"TWO-2": "firing"} | dict.fromkeys(BURST, "firing")
    finally:
        pg_copies.give_back(url)
