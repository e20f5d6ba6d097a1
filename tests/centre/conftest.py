"""One app per test module (on each backend) for the operations centre's tests, and the people
of a province (Đồng Tháp, 82): a leader of the province with an email address, an officer of a
commune without one."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from ..support.backends import app_on
from ..support.http import Api, auth

PROVINCE = "82"


@pytest.fixture(scope="module")
def centre_app(module_db_url):
    with app_on(module_db_url) as app:
        yield app


@pytest.fixture(scope="module")
def centre_client(centre_app) -> Iterator[TestClient]:
    with TestClient(centre_app, base_url="http://testserver") as client:
        yield client


@pytest.fixture(scope="module")
def api(centre_app) -> Api:
    return Api(centre_app)


@pytest.fixture(scope="module")
def leader(api, centre_client) -> dict[str, str]:
    """A leader of the province with an email address: bearer headers."""
    admin = auth(api.token("admin"))
    body = {
        "username": "b.lanhdao",
        "role": "leader",
        "password": "password-57",
        "unit": PROVINCE,
        "email": "lanhdao@dongthap.gov.vn",
    }
    r = centre_client.post("/api/v1/users", json=body, headers=admin)
    assert r.status_code == 201, r.text
    r = centre_client.post("/api/v1/tokens", json={"username": "b.lanhdao"}, headers=admin)
    assert r.status_code == 201, r.text
    return auth(r.json()["token"])
