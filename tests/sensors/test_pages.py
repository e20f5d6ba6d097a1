"""The sensors' pages through the ASGI client: the map's frame, a station's chart (its ranges,
the gaps left as gaps, the thresholds, the forecast and its error against the naive one), who may
read it, and the overview's panel. Stations and readings go through the API and the gate; the
forecast row is written as the forecasting job writes it."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert, select

from ioc57.sensors.tables import forecasts, stations

from ..support.backends import app_on
from ..support.http import Api, auth, login
from ..support.ingest import Pusher

COMMUNE = "28261"  # a commune of province 82
HOLE = range(20, 33)  # the readings 5 to 8 hours ago never came


@pytest.fixture(scope="module")
def sensors_app(module_db_url):
    with app_on(module_db_url) as app:
        yield app


@pytest.fixture(scope="module")
def api(sensors_app) -> Api:
    return Api(sensors_app)


@pytest.fixture(scope="module")
def client(sensors_app) -> Iterator[TestClient]:
    with TestClient(sensors_app, base_url="http://testserver") as c:
        yield c


def reading(code: str, at: datetime, value: float) -> dict:
    iso = at.isoformat()
    return {
        "station": code,
        "metric": "salinity",
        "value": value,
        "uom": "ppt",
        "observed_at": iso,
        "updated_at": iso,
    }


@pytest.fixture(scope="module")
def sent_at() -> datetime:
    """The minute the readings are sent: read when the module's first test needs it, not when
    the suite is collected (a long suite reaches this module more than 15 minutes later, and the
    chart's day, read at request time, would have moved past the oldest reading)."""
    return datetime.now(UTC).replace(second=0, microsecond=0)


@pytest.fixture(scope="module")
def stations_sent(client, api, sent_at) -> dict[str, int]:
    """Two stations of the commune: one with a threshold of its own and a day of readings every
    15 minutes but for a hole, over its threshold now; one that never reported."""
    admin = auth(api.token("admin"))
    for code, name, own in (
        ("ST-A", "Trạm Cầu Kè", {"salinity": 1.0}),
        ("ST-B", "Trạm Im Lặng", {}),
    ):
        body = {
            "code": code,
            "name": name,
            "place": "Sông Cổ Chiên",
            "unit": COMMUNE,
            "lat": 10.1,
            "lon": 106.3,
            "metrics": ["salinity"],
            "thresholds": own,
        }
        r = client.post("/api/v1/stations", json=body, headers=admin)
        assert r.status_code == 201, r.text
    spec = {"name": "tram-man", "types": ["reading"], "units": ["82"]}
    source = Pusher(client, api, spec)
    items = [
        reading(
            "ST-A", sent_at - timedelta(minutes=15 * k), 1.4 if k == 0 else 0.5 + 0.01 * (k % 8)
        )
        for k in range(96)
        if k not in HOLE
    ]
    source.push("reading", items)
    with api.app.state.engine.connect() as conn:
        return dict(conn.execute(select(stations.c.code, stations.c.id)).all())


def signed_in(api, username, role, unit=None) -> TestClient:
    api.user(username, role, unit=unit)
    browser = api.client()
    browser.headers["accept"] = "text/html"
    login(browser, username, "password-57")
    return browser


@pytest.fixture(scope="module")
def leader(api, stations_sent) -> TestClient:
    return signed_in(api, "lanhdao", "leader")


def chart_of(html: str) -> dict:
    raw = re.search(r"data-chart='([^']*)'", html).group(1)
    return json.loads(raw.replace("&#34;", '"').replace("&#39;", "'").replace("&amp;", "&"))


def test_the_map_page_is_the_frame_its_script_fills(leader, client, api):
    r = leader.get("/sensors")
    assert r.status_code == 200
    html = r.text
    assert "<h1>Trạm quan trắc" in html
    for word in ("Bình thường", "Gần ngưỡng (từ 75 % trở lên)", "Vượt ngưỡng", "Không có dữ liệu"):
        assert word in html
    assert 'data-may-ack="1"' in html and 'data-csrf="' in html  # a leader acknowledges
    assert "/static/modules/sensors/stationmap.js" in html
    viewer = signed_in(api, "xem", "viewer")
    assert 'data-may-ack=""' in viewer.get("/sensors").text  # a viewer reads, never acknowledges
    anonymous = client.get("/sensors", follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")


def test_a_day_of_readings_breaks_where_none_came(leader):
    html = leader.get("/sensors/ST-A").text
    assert "Trạm Cầu Kè" in html and "Sông Cổ Chiên" in html
    chart = chart_of(html)
    values = [p[1] for p in chart["points"]]
    assert values.count(None) == 1  # one break, in the hole: nothing drawn across it
    assert len(values) == 96 - len(HOLE) + 1
    gap = values.index(None)
    before, after = chart["points"][gap - 1][0], chart["points"][gap + 1][0]
    assert after - before == (len(HOLE) + 1) * 15 * 60_000
    assert chart["thresholds"] == [{"kind": "station", "value": 1.0, "effective": True}]
    assert "1,4 ‰" in html  # the latest reading, as Vietnamese writes it
    assert 'id="gap-count"' in html
    silent = leader.get("/sensors/ST-B").text
    assert 'id="no-readings"' in silent and "Chưa có dự báo" in silent


def test_seven_days_and_the_season_average_their_buckets(leader):
    week = chart_of(leader.get("/sensors/ST-A", params={"range": "7d"}).text)
    assert week["every"] == 3600 and len(week["points"]) <= 26
    assert all(p[2] >= p[1] for p in week["points"] if p[1] is not None)  # highest ≥ mean
    season = chart_of(leader.get("/sensors/ST-A", params={"range": "season"}).text)
    assert season["every"] == 86400 and 1 <= len(season["points"]) <= 2
    assert season["forecast"] == []  # 48 hours do not show on half a year
    odd = chart_of(leader.get("/sensors/ST-A", params={"range": "decade"}).text)
    assert odd["every"] == 0  # an unknown range is the day


def test_the_forecast_is_drawn_with_its_band_and_its_error_in_words(
    leader, api, stations_sent, sent_at
):
    points = [
        [(sent_at + timedelta(hours=h)).isoformat(), 0.8, 0.6, 1.0 + 0.01 * h] for h in range(1, 49)
    ]
    with api.app.state.engine.begin() as conn:
        conn.execute(
            insert(forecasts).values(
                station_id=stations_sent["ST-A"],
                metric="salinity",
                made_at=sent_at,
                province_code="82",
                points=json.dumps(points),
                peak_24h=0.8,
                mae=0.05,
                naive_mae=0.2,
                held_out_days=7,
            )
        )
    html = leader.get("/sensors/ST-A").text
    chart = chart_of(html)
    assert len(chart["forecast"]) == 24 and chart["forecast"][0][2:] == [0.6, 1.01]  # a day
    week = chart_of(leader.get("/sensors/ST-A", params={"range": "7d"}).text)
    assert len(week["forecast"]) == 48  # two days after a week
    error = html[html.index('id="forecast-error"') :]
    assert "7 ngày" in error[:600] and "0,05 ‰" in error[:600] and "0,2 ‰" in error[:600]
    assert "75 %" in error[:800]  # 0.05 against 0.2: a quarter of the naive error


def test_a_station_outside_ones_commune_is_refused_and_an_unknown_one_is_missing(api, leader):
    officer = signed_in(api, "canbo", "officer", unit="28249")  # another commune of 82
    assert officer.get("/sensors/ST-A").status_code == 403
    assert leader.get("/sensors/NO-SUCH").status_code == 404


def test_the_overview_panel_counts_the_stations(leader):
    html = leader.get("/").text
    panel = html[html.index("Trạm đo độ mặn") :]
    panel = panel[: panel.index("</section>")]
    figures = re.findall(r'<dd class="figure">([^<]*)</dd>', panel)
    assert figures[:3] == ["1", "0", "1"]  # ST-A over its threshold; ST-B never reported
    assert figures[3] == "1,40"
    assert 'href="/sensors/ST-A"' in panel
