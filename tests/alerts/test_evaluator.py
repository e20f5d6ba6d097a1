"""The evaluator of a running app: a reading over its station's threshold, sent through the gate,
fires the station's alert on the batch's event (no polling round in between), announced as
``alerts.changed`` to the station's commune and its ancestors; the scheduler's round moves the
time-based rules; two evaluations of one rule at once (two server processes) make each change
once."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from ioc57.alerts.evaluate import evaluate_rule
from ioc57.alerts.tables import instances, transitions
from ioc57.core.clock import today
from ioc57.core.db import LOCKED, unavailable

from ..support.alerts import T0, put, stored_rule
from ..support.http import Api
from ..support.sensors import Sensors, minutes_ago, reading


@pytest.fixture(scope="module")
def running(alerts_app, alerts_client):
    """The app's evaluator running (its worker; the scheduler is called by the tests)."""
    evaluator = alerts_app.state.alerts_evaluator
    evaluator.start(scheduler=False)
    yield evaluator
    evaluator.stop()


@pytest.fixture(scope="module")
def sensors(alerts_app, alerts_client) -> Sensors:
    return Sensors(alerts_client, Api(alerts_app), name="tram-canh-bao")


def test_a_reading_over_threshold_fires_on_its_batch(
    alerts_app, alerts_client, admin, make_rule, running, sensors
):
    make_rule(
        "ev-salinity",
        figure="sensors.reading",
        params={},
        threshold=None,
        units=["82"],
        group_by=["alertname"],
    )
    sensors.station("EV-1", thresholds={"salinity": 1.0})
    sensors.station("EV-2", thresholds={"salinity": 4.0})
    seen: list = []
    alerts_app.state.bus.subscribe("alerts.changed", seen.append)
    sensors.push([reading("EV-1", 1.6, minutes_ago(1)), reading("EV-2", 1.6, minutes_ago(1))])
    assert running.drain(10)
    got = alerts_client.get(
        "/api/v1/alerts", params={"rule": "ev-salinity", "state": "firing"}, headers=admin
    ).json()["items"]
    assert [(a["labels"]["station"], a["value"], a["threshold"]) for a in got] == [
        ("EV-1", 1.6, 1.0)
    ]
    alert = got[0]
    assert alert["unit"] == sensors.communes[0]
    event = next(e for e in seen if e.data["id"] == alert["id"])
    assert event.data["state"] == "firing" and event.data["from"] == "normal"
    commune = alerts_app.state.gate.cache.at(sensors.communes[0], today())
    assert commune.id in event.units and len(event.units) >= 2  # the commune and its province

    # back below: resolved on the next batch
    sensors.push([reading("EV-1", 0.4, minutes_ago(0.5))])
    assert running.drain(10)
    state = alerts_client.get(f"/api/v1/alerts/{alert['id']}", headers=admin).json()["state"]
    assert state == "resolved"


def test_on_a_batch_only_the_rules_whose_scope_holds_its_stations_fire(
    alerts_app, alerts_client, admin, make_rule, running, sensors
):
    # a rule per commune: the batch's station lies in the first commune only
    for n in (1, 2):
        make_rule(
            f"ev-commune-{n}",
            figure="sensors.reading",
            params={},
            threshold=None,
            units=[sensors.communes[n - 1]],
            group_by=["alertname"],
        )
    sensors.station("EV-SCOPE", thresholds={"salinity": 1.0})
    sensors.push([reading("EV-SCOPE", 2.2, minutes_ago(1))])
    assert running.drain(10)
    fired = {
        n: alerts_client.get(
            "/api/v1/alerts", params={"rule": f"ev-commune-{n}", "state": "firing"}, headers=admin
        ).json()["items"]
        for n in (1, 2)
    }
    assert [a["labels"]["station"] for a in fired[1]] == ["EV-SCOPE"] and fired[2] == []


def test_the_scheduler_round_moves_no_data(
    alerts_app, alerts_client, admin, make_rule, running, sensors
):
    make_rule(
        "ev-quiet",
        kind="nodata",
        figure="sensors.reading",
        params={},
        threshold=None,
        nodata_after="1h",
        units=["82"],
    )
    sensors.station("EV-Q")
    sensors.push([reading("EV-Q", 0.2, minutes_ago(90))])
    assert running.drain(10)
    running.evaluate_all()
    got = alerts_client.get("/api/v1/alerts", params={"rule": "ev-quiet"}, headers=admin).json()
    stations = {a["labels"]["station"]: a["state"] for a in got["items"]}
    assert stations["EV-Q"] == "firing"


def test_two_evaluations_at_once_change_once(alerts_app, make_rule):
    """Two processes evaluating one rule at the same moment: one transition per change."""
    make_rule("ev-race")
    for n in range(20):
        put("ev-race", f"R{n}", 5.0, at=T0)
    rule = stored_rule(alerts_app, "ev-race")
    engine = alerts_app.state.engine
    made: list[int] = []
    start = threading.Barrier(2)

    failed: list[BaseException] = []

    def evaluate() -> None:
        start.wait()
        try:
            with engine.begin() as conn:
                changes = evaluate_rule(conn, rule, T0 + timedelta(minutes=1), group_wait_s=0)
                made.append(len(changes))
        except Exception as exc:  # SQLite: the second writer of one snapshot is refused
            failed.append(exc)

    threads = [threading.Thread(target=evaluate) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    if engine.dialect.name == "postgresql":
        assert not failed and len(made) == 2  # the loser waited, read again, found it done
    assert all(unavailable(exc) == LOCKED for exc in failed), failed
    assert sum(made) == 20, made  # each series fired once, by one or the other
    with engine.connect() as conn:
        ids = select(instances.c.id).where(instances.c.labels.contains('"alertname":"ev-race"'))
        assert conn.execute(select(func.count()).select_from(ids.subquery())).scalar_one() == 20
        steps = select(func.count()).where(transitions.c.alert_id.in_(ids))
        assert conn.execute(steps).scalar_one() == 20
