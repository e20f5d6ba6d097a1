"""One app per test module (on each backend) for the operations centre's tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from ..support.backends import app_on
from ..support.http import Api


@pytest.fixture(scope="module")
def centre_app(module_db_url):
    with app_on(module_db_url) as app:
        yield app


@pytest.fixture(scope="module")
def centre_client(centre_app) -> Iterator[TestClient]:
    with TestClient(centre_app, base_url="http://testserver") as client:
        yield client


@pytest.fixture(scope="module")
def centre_api(centre_app) -> Api:
    return Api(centre_app)
