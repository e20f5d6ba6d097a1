"""The alerts pages: the bell's count in the header of every page and from ``/api/v1/badges``, the
list of alerts (filters, scope), one alert's timeline, the overview's panel. The alerts are
written straight into the tables (``pagedata``): these tests are about what a person sees."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from ..support.backends import app_on
from ..support.http import ADMIN_PASSWORD, Api, login
from .pagedata import add_alert, add_rule, unit_id

PASSWORD = "password-57"


@pytest.fixture(scope="module")
def alerts_app(module_db_url):
    with app_on(module_db_url) as app:
        api = Api(app)
        api.user("hn.officer", "officer", "01")
        api.user("watcher", "viewer")
        with app.state.engine.begin() as conn:
            rule = add_rule(conn, "salinity-over")
            quiet = add_rule(conn, "station-quiet", severity="warning")
            app.state.ids = {
                "dt": add_alert(conn, rule, "salinity-over", "MT-01", unit_id(conn, "82")),
                "hn": add_alert(conn, rule, "salinity-over", "HN-01", unit_id(conn, "01")),
                "pending": add_alert(
                    conn, quiet, "station-quiet", "MT-02", unit_id(conn, "82"), state="pending"
                ),
            }
        yield app


def _client(app, username: str, password: str = PASSWORD) -> TestClient:
    client = TestClient(app, base_url="http://testserver")
    login(client, username, password)
    return client


@pytest.fixture(scope="module")
def admin(alerts_app):
    with _client(alerts_app, "admin", ADMIN_PASSWORD) as client:
        yield client


def test_the_bell_counts_the_alerting_alerts_of_the_persons_scope(alerts_app, admin):
    page = admin.get("/units").text
    assert 'data-badge="/alerts"' in page and 'class="badge-count">2<' in page
    assert admin.get("/api/v1/badges").json()["badges"]["/alerts"] == 2
    with _client(alerts_app, "hn.officer") as officer:
        assert officer.get("/api/v1/badges").json()["badges"]["/alerts"] == 1
        assert 'class="badge-count">1<' in officer.get("/").text


def test_no_bell_for_a_visitor(alerts_app):
    with TestClient(alerts_app, base_url="http://testserver") as visitor:
        assert "data-badge" not in visitor.get("/").text
        assert visitor.get("/api/v1/badges").status_code == 401


def test_the_list_shows_open_alerts_most_severe_first(alerts_app, admin):
    ids = alerts_app.state.ids
    page = admin.get("/alerts").text
    critical = [page.index(f'data-alert="{ids[k]}"') for k in ("dt", "hn")]
    assert max(critical) < page.index(f'data-alert="{ids["pending"]}"')
    assert "Độ mặn vượt ngưỡng" in page and "MT-01" in page
    only = admin.get("/alerts", params={"severity": "warning"}).text
    assert f'data-alert="{ids["pending"]}"' in only and f'data-alert="{ids["dt"]}"' not in only
    assert admin.get("/alerts", params={"state": "nonsense"}).status_code == 422


def test_an_officer_sees_only_the_alerts_of_its_unit(alerts_app):
    ids = alerts_app.state.ids
    with _client(alerts_app, "hn.officer") as officer:
        page = officer.get("/alerts").text
        assert f'data-alert="{ids["hn"]}"' in page and f'data-alert="{ids["dt"]}"' not in page
        assert officer.get(f"/alerts/{ids['dt']}").status_code == 404
        assert '/ack"' not in page and "?like=" not in page  # an officer does not respond


def test_an_alerts_page_shows_its_timeline(alerts_app, admin):
    alert = alerts_app.state.ids["dt"]
    page = admin.get(f"/alerts/{alert}").text
    assert page.count("<li><time") == 2  # normal → pending, pending → firing
    assert f'action="/alerts/{alert}/ack"' in page
    assert admin.get("/alerts/999999").status_code == 404


def test_the_overview_counts_firing_alerts_by_severity(admin):
    page = admin.get("/").text
    assert 'href="/alerts?severity=critical"' in page
