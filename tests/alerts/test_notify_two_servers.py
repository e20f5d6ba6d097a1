"""Two ``ioc57 serve`` processes on one PostgreSQL database, both running the notifier: each
change is notified once. The changes are made as the evaluator makes them (an instance moved and
its change noted in its group, in one transaction); the webhook receiver is a real local server."""

from __future__ import annotations

import os
import time

import orjson
import pytest

from ioc57.alerts import channels
from ioc57.alerts.machine import State
from ioc57.core.clock import now
from ioc57.core.db import make_engine

from ..support.alerting import make_rule, move
from ..support.backends import BACKENDS
from ..support.receivers import http_receiver
from ..support.servers import running_server

pytestmark = pytest.mark.skipif("postgresql" not in BACKENDS, reason="PostgreSQL not tested")
QUIET_S = 1.5  # a second notification would show up within a few rounds (0.1 s each)


def test_two_servers_on_one_database_notify_each_change_once(pg_copies, tmp_path):
    url = pg_copies.take()
    engine = make_engine(url)
    env = {k: v for k, v in os.environ.items() if not k.startswith("IOC57_")}
    env |= {
        "IOC57_DATABASE_URL": url,
        "IOC57_SECRET_KEY": "two-servers-secret",
        "IOC57_PULL_SCHEDULER": "0",
        "IOC57_ALERTS_NOTIFY_S": "0.1",
        "IOC57_ALERTS_GROUP_INTERVAL_S": "1",
        # the servers' evaluator would find the test's rule without series and resolve its
        # alerts: the test makes the changes itself
        "IOC57_ALERTS_EVAL_S": "3600",
    }
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
