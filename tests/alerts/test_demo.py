"""The alerts demo: its rules and inhibitions, evaluated so that the stations over their
line are firing at once (not pending), marked simulated; a second run changes nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from ioc57.alerts.demo import load_demo
from ioc57.alerts.tables import transitions
from ioc57.core.clock import today
from ioc57.modules import Demo

from ..support.http import Api
from ..support.sensors import Sensors, minutes_ago, reading


def test_the_demo_fires_on_stations_over_their_line(alerts_app, alerts_client, admin):
    sensors = Sensors(alerts_client, Api(alerts_app), name="tram-demo")
    sensors.station("DEMO-OVER", thresholds={"salinity": 1.0})
    sensors.station("DEMO-UNDER", thresholds={"salinity": 1.0})
    sensors.station("DEMO-QUIET", thresholds={"salinity": 1.0})
    sensors.push(
        [
            reading("DEMO-OVER", 2.4, minutes_ago(3)),
            reading("DEMO-UNDER", 0.6, minutes_ago(3)),
            reading("DEMO-QUIET", 3.0, minutes_ago(180)),
        ]
    )
    lines: list[str] = []
    demo = Demo(alerts_app.state.engine, alerts_app.state.gate, "demo", today(), lines.append)
    load_demo(demo)
    assert "dữ liệu mô phỏng" in lines[0]

    def states(rule: str) -> dict[str, str]:
        got = alerts_client.get("/api/v1/alerts", params={"rule": rule}, headers=admin).json()
        return {
            a["labels"]["station"]: a["state"]
            for a in got["items"]
            if a["labels"]["station"].startswith("DEMO-")
        }

    assert states("salinity-over-crop-threshold") == {"DEMO-OVER": "firing", "DEMO-QUIET": "firing"}
    assert states("station-no-data") == {"DEMO-QUIET": "firing"}
    items = alerts_client.get(
        "/api/v1/alerts", params={"rule": "salinity-over-crop-threshold"}, headers=admin
    ).json()["items"]
    muted = {a["labels"]["station"]: a["inhibited"] for a in items}
    assert muted["DEMO-QUIET"] is True and muted["DEMO-OVER"] is False
    assert all(a["simulated"] for a in items)

    with alerts_app.state.engine.connect() as conn:
        before = conn.execute(select(func.count()).select_from(transitions)).scalar_one()
    load_demo(demo)
    with alerts_app.state.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(transitions)).scalar_one() == before
