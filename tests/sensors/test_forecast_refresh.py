"""The forecasts kept in ``sensor_forecasts``: made by the refresh (the app's job, and
``ioc57 sensors forecast``) for each series with enough recent history, read by
``GET /api/v1/stations/{code}/forecast`` and by the ``sensors.forecast`` figure.

Stations are created through the API and their readings sent through the gate, from simulated
tidal series (dữ liệu mô phỏng); the refresh runs as the app's job runs it."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from ioc57.cli import main
from ioc57.core import figures
from ioc57.core.clock import now
from ioc57.sensors import forecast
from ioc57.sensors.forecasting import read_series, refresh
from ioc57.sensors.tables import forecasts, stations

from ..support.http import Api, auth
from ..support.sensors import reading
from .tidal import tidal_readings

HOUR = int(now().timestamp() // 3600) * 3600  # the current whole hour
SENT: dict[str, tuple[list[float], list[float]]] = {}  # the readings sent, by station


def _send(sensors, code: str, seconds, values) -> None:
    sent = [
        reading(code, round(v, 3), datetime.fromtimestamp(s, UTC))
        for s, v in zip(seconds, values, strict=True)
    ]
    assert sensors.push(sent)["accepted"] == len(sent)


@pytest.fixture(scope="module")
def made(sensors_app, sensors):
    """MAN-T1: 21 days every 30 minutes up to now, its own limit 1‰; MAN-T2: two days only;
    MAN-T3: quiet for three days, with a forecast from before it went quiet."""
    sensors.station("MAN-T1", thresholds={"salinity": 1.0})
    sensors.station("MAN-T2")
    sensors.station("MAN-T3")
    latest = min(HOUR + 3600, int(now().timestamp()) - 60)  # the last reading a minute ago or so
    SENT["MAN-T1"] = tidal_readings(11, every_min=30, end=latest)
    _send(sensors, "MAN-T1", *SENT["MAN-T1"])
    _send(sensors, "MAN-T2", *tidal_readings(12, days=2, every_min=30, end=latest))
    _send(sensors, "MAN-T3", *tidal_readings(13, every_min=60, end=HOUR - 72 * 3600))
    engine = sensors_app.state.engine
    refresh(engine, at=now() - timedelta(days=3))  # MAN-T3 had a forecast three days ago
    with engine.connect() as conn:
        assert conn.execute(select(stations.c.code).join(forecasts)).scalars().all() == [
            "MAN-T1",
            "MAN-T3",
        ]
    return refresh(engine)


def test_the_refresh_forecasts_the_series_with_enough_recent_history(sensors_app, made):
    assert [m["station"] for m in made] == ["MAN-T1"]
    t1 = made[0]
    assert t1["held_out_days"] == 7 and t1["mae"] < 0.5 * t1["naive_mae"]
    with sensors_app.state.engine.connect() as conn:
        kept = conn.execute(select(stations.c.code).join(forecasts)).scalars().all()
        t1_id = conn.execute(select(stations.c.id).where(stations.c.code == "MAN-T1")).scalar()
        hourly = read_series(conn, t1_id, "salinity", now() - timedelta(days=60))
    assert kept == ["MAN-T1"]  # MAN-T3's forecast from before it went quiet is gone
    # the database's hourly means are those of the readings sent (rounded to 3 decimals)
    expected = forecast.hourly_means(*SENT["MAN-T1"])
    assert hourly.hours.tolist() == expected.hours.tolist()
    assert abs(hourly.values - expected.values).max() < 1e-3


def test_the_api_gives_the_next_48_hours_with_their_band_and_errors(
    sensors_app, sensors_client, made
):
    admin = auth(Api(sensors_app).token("admin"))
    r = sensors_client.get("/api/v1/stations/MAN-T1/forecast", headers=admin)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["station"] == "MAN-T1" and body["metric"] == "salinity"
    assert body["simulated"] is False  # a station created through the API
    assert len(body["points"]) == body["horizon_h"] == 48
    first = datetime.fromisoformat(body["points"][0][0])
    assert first.utcoffset() == timedelta(hours=7)
    # from the next whole hour on, after the forecast was made (HOUR is read as the tests are
    # collected: a long run can cross an hour before this test)
    made = int(datetime.fromisoformat(body["made_at"]).timestamp() // 3600) * 3600
    assert first.timestamp() == made + 3600
    assert all(low <= value <= high for _, value, low, high in body["points"])
    assert body["peak_24h"] == pytest.approx(max(p[1] for p in body["points"][:24]), abs=1e-3)
    assert body["mae"] < body["naive_mae"] and body["held_out_days"] == 7
    assert body["made_at"].endswith("+07:00")
    # a station with too little history: no forecast yet, said plainly
    r = sensors_client.get("/api/v1/stations/MAN-T2/forecast", headers=admin)
    assert r.status_code == 200 and r.json()["points"] == [] and r.json()["mae"] is None


def test_the_api_refuses_what_it_cannot_answer(sensors_app, sensors_client, made):
    api = Api(sensors_app)
    admin = auth(api.token("admin"))
    r = sensors_client.get("/api/v1/stations/NO-SUCH/forecast", headers=admin)
    assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json"
    assert r.json()["errors"][0]["loc"] == ["code"]
    r = sensors_client.get(
        "/api/v1/stations/MAN-T1/forecast", params={"metric": "Bad metric"}, headers=admin
    )
    assert r.status_code == 422 and "metric" in r.text
    assert sensors_client.get("/api/v1/stations/MAN-T1/forecast").status_code == 401
    far = auth(api.user("forecast.hanoi", "officer", unit="01"))
    assert sensors_client.get("/api/v1/stations/MAN-T1/forecast", headers=far).status_code == 403
    near = auth(api.user("forecast.dongthap", "officer", unit="82"))
    assert sensors_client.get("/api/v1/stations/MAN-T1/forecast", headers=near).status_code == 200


def test_the_figure_offers_each_forecast_peak_against_the_station_limit(sensors_app, sensors, made):
    with sensors_app.state.engine.connect() as conn:
        found = figures.samples(conn, "sensors.forecast", {"metric": "salinity"})
        assert figures.samples(conn, "sensors.forecast", {}, batch=1) == []  # batches change none
        assert figures.samples(conn, "sensors.forecast", {"metric": "rainfall"}) == []
    assert len(found) == 1
    sample = found[0]
    assert dict(sample.labels) == {
        "station": "MAN-T1",
        "metric": "salinity",
        "commune": sensors.communes[0],
    }
    assert sample.value == pytest.approx(made[0]["peak_24h"])
    assert sample.threshold == 1.0 and sample.unit_id is not None
    assert sample.at is not None and abs((now() - sample.at).total_seconds()) < 600


def test_the_command_and_the_app_job_make_them_again(sensors_app, module_db_url, made):
    with sensors_app.state.engine.connect() as conn:
        before = conn.execute(select(forecasts.c.made_at)).scalar_one()
    ran = CliRunner().invoke(main, ["--database-url", module_db_url, "sensors", "forecast"])
    assert ran.exit_code == 0, ran.output
    printed = json.loads(ran.output)
    assert [m["station"] for m in printed] == ["MAN-T1"] and printed[0]["peak_24h"] > 0
    with sensors_app.state.engine.connect() as conn:
        after_command = conn.execute(select(forecasts.c.made_at)).scalar_one()
    assert after_command > before
    ((start, stop),) = [
        job
        for job in sensors_app.state.background
        if getattr(job[0].__self__, "name", None) == "sensors-forecast"
    ]
    start()
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with sensors_app.state.engine.connect() as conn:
                if conn.execute(select(forecasts.c.made_at)).scalar_one() > after_command:
                    break
            time.sleep(0.1)
        else:
            pytest.fail("the app's job made no forecast")
    finally:
        stop()


def test_a_rule_on_the_forecast_fires_before_the_line_is_crossed(sensors_app, sensors_client, made):
    """ "Will pass its limit within 24 hours": MAN-T1's forecast peak is above its 1‰."""
    admin = auth(Api(sensors_app).token("admin"))
    rule = {
        "name": "salinity-forecast-over",
        "title": "Salinity will pass the limit within 24 hours",
        "figure": "sensors.forecast",
        "params": {"metric": "salinity"},
        "op": ">",
        "threshold": None,  # the series' own: the station's, else its commune's crops'
        "severity": "warning",
    }
    r = sensors_client.post("/api/v1/alert-rules", json=rule, headers=admin)
    assert r.status_code == 201, r.text
    sensors_app.state.alerts_evaluator.evaluate_all()
    found = sensors_client.get(
        "/api/v1/alerts", params={"rule": rule["name"]}, headers=admin
    ).json()["items"]
    assert [(a["labels"]["station"], a["state"]) for a in found] == [("MAN-T1", "firing")]
    assert found[0]["value"] == pytest.approx(made[0]["peak_24h"])
    assert found[0]["threshold"] == 1.0
