"""One app per test module (on each backend) for the citizen-reports tests, and a system that
sends reports (``tests/support/feedback.py``). Tests that share it use reports of their own."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from ..support.backends import app_on
from ..support.feedback import Reports
from ..support.http import Api


@pytest.fixture(scope="module")
def feedback_app(module_db_url):
    with app_on(module_db_url) as app:
        yield app


@pytest.fixture(scope="module")
def feedback_client(feedback_app) -> Iterator[TestClient]:
    with TestClient(feedback_app, base_url="http://testserver") as client:
        yield client


@pytest.fixture(scope="module")
def api(feedback_app) -> Api:
    return Api(feedback_app)


@pytest.fixture(scope="module")
def feedback(feedback_client, api) -> Reports:
    """The province's communes, a source of reports, and the calls that send and read them."""
    return Reports(feedback_client, api)
