"""One app per test module (on each backend) for the traceability tests: a province with a farm,
a packing house, products and a lot, sent by a source (``tests/support/trace.py``). Tests that
share it send events of their own lots, so that they do not interfere."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from ..support.backends import app_on
from ..support.http import Api
from ..support.trace import Tracer


@pytest.fixture(scope="module")
def trace_app(module_db_url):
    with app_on(module_db_url) as app:
        yield app


@pytest.fixture(scope="module")
def trace_client(trace_app) -> Iterator[TestClient]:
    with TestClient(trace_app, base_url="http://testserver") as client:
        yield client


@pytest.fixture(scope="module")
def tracer(trace_app, trace_client) -> Tracer:
    """The source, its master data sent, and the calls that send and read (``Tracer``)."""
    t = Tracer(trace_client, Api(trace_app))
    t.master_data()
    return t
