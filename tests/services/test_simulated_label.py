"""Dossiers from a simulated source are labelled "dữ liệu mô phỏng" wherever they show: the
index, the ranking, the work list, a dossier and the catalogue, on the pages and in the API;
real ones are not."""

from __future__ import annotations

import pytest

from ioc57.core.clock import today
from ioc57.services.demo import load_simulated_services

from ..support.http import auth
from .test_pages import signed_in

LABEL = '<span class="simulated">dữ liệu mô phỏng</span>'
PAGES = [
    "/services?unit=82",
    "/services/ranking?level=commune&parent=82",
    "/services/dossiers?unit=82",
    "/services/procedures?unit=82",
]


@pytest.fixture
def simulated(app):
    load_simulated_services(app.state.gate, today(), per_month=20)


def test_simulated_dossiers_are_labelled_on_every_page_and_in_the_api(client, api, simulated):
    leader = signed_in(api, "lanhdao", "leader")
    for path in PAGES:
        r = leader.get(path)
        assert r.status_code == 200 and LABEL in r.text, path
    headers = auth(api.token("admin"))
    body = client.get("/api/v1/services/index", params={"unit": "82"}, headers=headers).json()
    assert body["simulated"] is True
    first = client.get("/api/v1/services/dossiers", params={"unit": "82"}, headers=headers).json()
    item = first["items"][0]
    assert item["simulated"] is True
    r = leader.get(f"/services/dossiers/{item['id']}")
    assert r.status_code == 200 and LABEL in r.text


def test_real_dossiers_carry_no_label(client, api, lgsp):
    leader = signed_in(api, "lanhdao", "leader")
    for path in PAGES:
        r = leader.get(path.replace("?", "?period=202509&") if "dossiers" not in path else path)
        assert r.status_code == 200 and LABEL not in r.text, path
    headers = auth(api.token("admin"))
    body = client.get("/api/v1/services/index", params={"unit": "82"}, headers=headers).json()
    assert body["simulated"] is False
