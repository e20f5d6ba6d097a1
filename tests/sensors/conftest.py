"""One app per test module (on each backend) for the sensors tests, and a source of readings
(``tests/support/sensors.py``). Tests that share it use stations of their own codes, so that
they do not interfere."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from ..support.backends import app_on
from ..support.http import Api
from ..support.sensors import Sensors


@pytest.fixture(scope="module")
def sensors_app(module_db_url):
    with app_on(module_db_url) as app:
        yield app


@pytest.fixture(scope="module")
def sensors_client(sensors_app) -> Iterator[TestClient]:
    with TestClient(sensors_app, base_url="http://testserver") as client:
        yield client


@pytest.fixture(scope="module")
def sensors(sensors_app, sensors_client) -> Sensors:
    """The province's communes, a source of readings, and the calls that send and read."""
    return Sensors(sensors_client, Api(sensors_app))
