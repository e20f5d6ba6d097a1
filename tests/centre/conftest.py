"""One app per test module (on each backend) for the centre's tests, and its people: a leader
(the whole country), an officer of one commune, a data source's system user."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from ..support.http import Api, auth, login

PROVINCE = "82"
COMMUNE = "28261"
PASSWORD = "password-57"


@dataclass
class People:
    api: Api
    leader: str  # bearer tokens
    officer: str

    def browser(self, username: str, lang: str = "en") -> TestClient:
        """A client logged in through the form as ``username``, reading pages in ``lang``."""
        client = self.api.client()
        client.cookies.set("lang", lang)
        login(client, username, PASSWORD)
        return client


@pytest.fixture(scope="module")
def centre_app(module_db_url):
    from ..support.backends import app_on

    with app_on(module_db_url) as app:
        yield app


@pytest.fixture(scope="module")
def centre_client(centre_app) -> Iterator[TestClient]:
    with TestClient(centre_app, base_url="http://testserver") as client:
        yield client


@pytest.fixture(scope="module")
def people(centre_app, centre_client) -> People:
    api = Api(centre_app)
    leader = api.user("leader1", "leader", password=PASSWORD)
    officer = api.user("officer1", "officer", COMMUNE, password=PASSWORD)
    return People(api, leader, officer)


@pytest.fixture(scope="module")
def centre_api(centre_app) -> Api:
    """Acts as the people the wall's and the brief's tests make (on the module's app)."""
    return Api(centre_app)


@pytest.fixture(scope="module")
def leader(centre_api, centre_client) -> dict[str, str]:
    """A leader of the province (Đồng Tháp) with an email address, for the daily brief: bearer
    headers."""
    admin = auth(centre_api.token("admin"))
    body = {
        "username": "b.lanhdao",
        "role": "leader",
        "password": PASSWORD,
        "unit": PROVINCE,
        "email": "lanhdao@dongthap.gov.vn",
    }
    r = centre_client.post("/api/v1/users", json=body, headers=admin)
    assert r.status_code == 201, r.text
    r = centre_client.post("/api/v1/tokens", json={"username": "b.lanhdao"}, headers=admin)
    assert r.status_code == 201, r.text
    return auth(r.json()["token"])
