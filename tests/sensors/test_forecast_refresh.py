"""The forecasts kept in ``sensor_forecasts``: made by the refresh (the app's job, and
``ioc57 sensors forecast``) for each series with enough recent history, read by
``GET /api/v1/stations/{code}/forecast`` and by the ``sensors.forecast`` figure.

The stations and their readings are written straight into the module's tables (what the
projectors of the gate would leave there), from simulated tidal series (dữ liệu mô phỏng)."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import insert, select

from ioc57.cli import main
from ioc57.core import figures
from ioc57.core.clock import now, today
from ioc57.ingest.sources import create_source
from ioc57.ingest.tables import sources
from ioc57.sensors.forecasting import refresh
from ioc57.sensors.tables import forecasts, latest, readings, stations
from ioc57.units.queries import unit_at

from ..support.backends import app_on
from ..support.http import Api, auth
from .tidal import tidal_readings

HOUR = int(now().timestamp() // 3600) * 3600  # the current whole hour


@pytest.fixture(scope="module")
def app(module_db_url):
    with app_on(module_db_url) as app:
        yield app


@pytest.fixture(scope="module")
def client(app):
    with TestClient(app, base_url="http://testserver") as client:
        yield client


def _station(conn, source_id: int, code: str, unit, **extra) -> int:
    values = {
        "code": code,
        "name": f"Trạm {code}",
        "unit_id": unit.id,
        "province_code": unit.province_code,
        "metrics": '["salinity"]',
        "thresholds": "{}",
        "source_id": source_id,
        "simulated": True,
        "updated_at": now(),
    } | extra
    return conn.execute(insert(stations).values(**values).returning(stations.c.id)).scalar_one()


def _readings(conn, station_id: int, unit, seconds, values) -> None:
    rows = [
        {
            "station_id": station_id,
            "metric": "salinity",
            "observed_at": datetime.fromtimestamp(s, UTC),
            "value": v,
            "province_code": unit.province_code,
            "simulated": True,
        }
        for s, v in zip(seconds, values, strict=True)
    ]
    conn.execute(insert(readings), rows)
    conn.execute(
        insert(latest).values(
            station_id=station_id,
            metric="salinity",
            value=values[-1],
            observed_at=rows[-1]["observed_at"],
            province_code=unit.province_code,
        )
    )


@pytest.fixture(scope="module")
def stations_made(app):
    """MAN-T1: 21 days every 30 minutes up to now, its own limit 1‰; MAN-T2: two days only;
    MAN-T3: quiet for three days, with a forecast left from before."""
    with app.state.engine.begin() as conn:
        source, _ = create_source(
            conn,
            actor="test",
            name="tram-man",
            types=["station", "reading"],
            units=["82"],
            today=today(),
            simulated=True,
        )
        source_id = conn.execute(
            select(sources.c.id).where(sources.c.name == "tram-man")
        ).scalar_one()
        commune = unit_at(conn, "28261", today())
        t1 = _station(conn, source_id, "MAN-T1", commune, thresholds='{"salinity": 1.0}')
        _readings(conn, t1, commune, *tidal_readings(11, every_min=30, end=HOUR + 3600))
        t2 = _station(conn, source_id, "MAN-T2", commune)
        _readings(conn, t2, commune, *tidal_readings(12, days=2, every_min=30, end=HOUR))
        t3 = _station(conn, source_id, "MAN-T3", commune)
        _readings(conn, t3, commune, *tidal_readings(13, every_min=60, end=HOUR - 72 * 3600))
        old = {"made_at": now() - timedelta(days=3), "province_code": "82", "points": "[]"}
        conn.execute(insert(forecasts).values(station_id=t3, metric="salinity", **old))
    return refresh(app.state.engine)


def test_the_refresh_forecasts_the_series_with_enough_recent_history(app, stations_made):
    assert [m["station"] for m in stations_made] == ["MAN-T1"]
    made = stations_made[0]
    assert made["held_out_days"] == 7 and made["mae"] < 0.5 * made["naive_mae"]
    with app.state.engine.connect() as conn:
        kept = conn.execute(select(stations.c.code).join(forecasts)).scalars().all()
    assert kept == ["MAN-T1"]  # MAN-T3's forecast from before it went quiet is gone


def test_the_api_gives_the_next_48_hours_with_their_band_and_errors(app, client, stations_made):
    admin = auth(Api(app).token("admin"))
    r = client.get("/api/v1/stations/MAN-T1/forecast", headers=admin)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["station"] == "MAN-T1" and body["metric"] == "salinity" and body["simulated"]
    assert len(body["points"]) == body["horizon_h"] == 48
    first = datetime.fromisoformat(body["points"][0][0])
    assert first.utcoffset() == timedelta(hours=7)
    assert first.timestamp() == HOUR + 3600  # from the next whole hour on
    assert all(low <= value <= high for _, value, low, high in body["points"])
    assert body["peak_24h"] == pytest.approx(max(p[1] for p in body["points"][:24]), abs=1e-3)
    assert body["mae"] < body["naive_mae"] and body["held_out_days"] == 7
    assert body["made_at"].endswith("+07:00")
    # a station with too little history: no forecast yet, said plainly
    r = client.get("/api/v1/stations/MAN-T2/forecast", headers=admin)
    assert r.status_code == 200 and r.json()["points"] == [] and r.json()["mae"] is None


def test_the_api_refuses_what_it_cannot_answer(app, client, stations_made):
    api = Api(app)
    admin = auth(api.token("admin"))
    r = client.get("/api/v1/stations/NO-SUCH/forecast", headers=admin)
    assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json"
    assert r.json()["errors"][0]["loc"] == ["code"]
    r = client.get(
        "/api/v1/stations/MAN-T1/forecast", params={"metric": "Bad metric"}, headers=admin
    )
    assert r.status_code == 422 and "metric" in r.text
    assert client.get("/api/v1/stations/MAN-T1/forecast").status_code == 401
    far = auth(api.user("forecast.hanoi", "officer", unit="01"))
    assert client.get("/api/v1/stations/MAN-T1/forecast", headers=far).status_code == 403
    near = auth(api.user("forecast.dongthap", "officer", unit="82"))
    assert client.get("/api/v1/stations/MAN-T1/forecast", headers=near).status_code == 200


def test_the_figure_offers_each_forecast_peak_against_the_station_limit(app, stations_made):
    with app.state.engine.connect() as conn:
        found = figures.samples(conn, "sensors.forecast", {"metric": "salinity"})
        assert figures.samples(conn, "sensors.forecast", {}, batch=1) == []  # batches change none
        assert figures.samples(conn, "sensors.forecast", {"metric": "rainfall"}) == []
    assert len(found) == 1
    sample = found[0]
    assert dict(sample.labels) == {"station": "MAN-T1", "metric": "salinity", "commune": "28261"}
    assert sample.value == pytest.approx(stations_made[0]["peak_24h"])
    assert sample.threshold == 1.0 and sample.unit_id is not None
    assert sample.at is not None and abs((now() - sample.at).total_seconds()) < 600


def test_the_command_and_the_app_job_make_them_again(app, module_db_url, stations_made):
    with app.state.engine.connect() as conn:
        before = conn.execute(select(forecasts.c.made_at)).scalar_one()
    ran = CliRunner().invoke(main, ["--database-url", module_db_url, "sensors", "forecast"])
    assert ran.exit_code == 0, ran.output
    printed = json.loads(ran.output)
    assert [m["station"] for m in printed] == ["MAN-T1"] and printed[0]["peak_24h"] > 0
    with app.state.engine.connect() as conn:
        after_command = conn.execute(select(forecasts.c.made_at)).scalar_one()
    assert after_command > before
    ((start, stop),) = [
        job for job in app.state.background if job[0].__self__.name == "sensors-forecast"
    ]
    start()
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with app.state.engine.connect() as conn:
                if conn.execute(select(forecasts.c.made_at)).scalar_one() > after_command:
                    break
            time.sleep(0.1)
        else:
            pytest.fail("the app's job made no forecast")
    finally:
        stop()
