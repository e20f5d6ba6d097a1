"""One app per test module (on each backend) for the centre's tests, and its people: a leader
(the whole country), an officer of one commune, a data source's system user."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from ..support.http import Api, login

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
