"""One app per test module (on each backend) for the alerts tests, an admin's headers, and a
rule made through the API (``make_rule``); the test figure is ``tests/support/alerts.py``'s."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ..support.alerts import rule_body
from ..support.backends import app_on
from ..support.http import Api, auth


@pytest.fixture(scope="module")
def alerts_app(module_db_url):
    with app_on(module_db_url) as app:
        yield app


@pytest.fixture(scope="module")
def alerts_client(alerts_app) -> Iterator[TestClient]:
    with TestClient(alerts_app, base_url="http://testserver") as client:
        yield client


@pytest.fixture(scope="module")
def alerts_api(alerts_app) -> Api:
    return Api(alerts_app)


@pytest.fixture(scope="module")
def admin(alerts_api) -> dict[str, str]:
    return auth(alerts_api.token("admin"))


@pytest.fixture(scope="module")
def make_rule(alerts_client, admin):
    def make(name: str, **changes) -> dict[str, Any]:
        r = alerts_client.post(
            "/api/v1/alert-rules", json=rule_body(name, **changes), headers=admin
        )
        assert r.status_code == 201, r.text
        return r.json()

    return make
